//! Savings plans bought in an exchange (a trade-in): the request and the quote of each plan.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::QuoteError;
use crate::money::Money;
use crate::reservation::{check_amount, check_sku_name};
use crate::term::{BillingPlan, Term};

/// A savings plan bought by trading reservations in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SavingsPlanPurchase {
    /// The plan's SKU, e.g. `Compute_Savings_Plan`.
    pub sku_name: String,
    /// `P1Y` or `P3Y`.
    pub term: Term,
    /// Upfront or monthly (the same total).
    pub billing_plan: BillingPlan,
    /// The commitment per hour, in the exchange's currency, to the currency's minor unit.
    pub hourly_commitment: Money,
}

impl SavingsPlanPurchase {
    /// Validates the plan; `path` prefixes field names (written only for an error).
    pub(crate) fn validate(&self, path: &dyn fmt::Display) -> Result<(), QuoteError> {
        check_sku_name(Some(&self.sku_name), || format!("{path}.skuName"))?;
        check_amount(&self.hourly_commitment, || format!("{path}.hourlyCommitment"))
    }
}

/// The quote of one savings plan of a trade-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SavingsPlanQuote {
    /// The plan's SKU.
    pub sku_name: String,
    /// Its term.
    pub term: Term,
    /// Upfront or monthly.
    pub billing_plan: BillingPlan,
    /// The commitment per hour asked for.
    pub hourly_commitment: Money,
    /// Hours of the term (8,760 a year).
    pub hours: u32,
    /// The billing total: hourly commitment × hours, the plan's lifetime commitment.
    pub lifetime_commitment: Money,
    /// What is due now (upfront: the lifetime commitment; monthly: the first installment).
    pub due_now: Money,
    /// The least hourly commitment (to the currency's minor unit) with which the exchange's new
    /// lifetime commitment reaches the remaining commitment returned, the rest of the exchange
    /// as it is; zero when the rest already does.
    pub minimum_hourly_commitment: Money,
}

/// `ceil(needed / hours)` to the minor unit of `needed`'s currency (zero when `needed` ≤ 0), in
/// integers of minor units so nothing is lost to a rounded quotient.
pub(crate) fn minimum_hourly(needed: Money, hours: u32) -> Option<Money> {
    let currency = needed.currency;
    if !needed.amount.is_sign_positive() || needed.amount.is_zero() {
        return Some(Money::zero_rounded(currency));
    }
    let dp = currency.minor_units();
    let scale = Decimal::from(10u64.pow(dp));
    let minor = (needed.amount.checked_mul(scale)?).ceil();
    let hours = Decimal::from(hours);
    let per_hour = (minor.checked_add(hours - Decimal::ONE)? / hours).floor();
    let mut amount = per_hour.checked_div(scale)?;
    amount.rescale(dp);
    Some(Money::new(amount, currency))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::currency::Currency;
    use rust_decimal_macros::dec;

    fn usd(amount: Decimal) -> Money {
        Money::new(amount, Currency::new("USD").unwrap())
    }

    #[test]
    fn the_minimum_hourly_commitment_rounds_up_to_the_cent_and_is_enough() {
        assert_eq!(minimum_hourly(usd(dec!(8760.00)), 8_760).unwrap(), usd(dec!(1.00)));
        assert_eq!(minimum_hourly(usd(dec!(8760.01)), 8_760).unwrap(), usd(dec!(1.01)));
        assert_eq!(minimum_hourly(usd(dec!(0.01)), 26_280).unwrap(), usd(dec!(0.01)));
        assert_eq!(minimum_hourly(usd(dec!(0)), 8_760).unwrap(), usd(dec!(0.00)));
        assert_eq!(minimum_hourly(usd(dec!(-5)), 8_760).unwrap(), usd(dec!(0.00)));
        let jpy = Money::new(dec!(100000), Currency::new("JPY").unwrap());
        assert_eq!(minimum_hourly(jpy, 8_760).unwrap().amount, dec!(12), "¥11.4 an hour is ¥12");
        // Enough, and a cent less is not.
        for needed in [dec!(12345.67), dec!(99999.99), dec!(26280), dec!(26280.01)] {
            let min = minimum_hourly(usd(needed), 26_280).unwrap().amount;
            assert!(min * dec!(26280) >= needed, "{needed}");
            assert!((min - dec!(0.01)) * dec!(26280) < needed, "{needed}");
        }
    }
}
