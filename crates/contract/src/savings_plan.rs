//! Savings plans: bought by trading reservations in (an exchange with `savingsPlansToPurchase`),
//! then something the customer has (`GET /api/customers/{customerId}/savingsPlans`). A savings
//! plan cannot be cancelled, exchanged or refunded.

use std::fmt;

use chrono::NaiveDate;
use quote_engine::{BillingPlan, Currency, Money, Term};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::reservation::{AppliedScopeProperties, AppliedScopeType};

/// A savings plan to buy in an exchange (a trade-in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SavingsPlanPurchaseRequest {
    /// The plan's SKU: `Compute_Savings_Plan`.
    pub sku_name: String,
    /// `P1Y` or `P3Y`, starting on the exchange's day.
    pub term: Term,
    /// Upfront or monthly (the same total).
    pub billing_plan: BillingPlan,
    /// The commitment per hour, in the customer's billing currency (that of the returned
    /// reservations), to the currency's minor unit.
    pub hourly_commitment: Money,
    /// Where the plan applies.
    pub applied_scope_type: AppliedScopeType,
    /// The target for a Single or ManagementGroup scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// A name for it (`{SKU short}-{term}` when absent or blank).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// The grain of a savings plan's commitment: always per hour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CommitmentGrain {
    /// Per hour.
    #[default]
    Hourly,
}

/// A savings plan's commitment, as Azure writes it: `{"currencyCode": "USD", "amount": "12.50",
/// "grain": "Hourly"}` (the amount a decimal string, as every amount of the desk's API).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SavingsPlanCommitment {
    /// ISO 4217.
    pub currency_code: Currency,
    /// Per `grain`.
    #[serde(with = "amount_string")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, examples("12.50")))]
    pub amount: Decimal,
    /// `Hourly`.
    pub grain: CommitmentGrain,
}

impl SavingsPlanCommitment {
    /// An hourly commitment of `per_hour`.
    pub fn hourly(per_hour: Money) -> Self {
        Self { currency_code: per_hour.currency, amount: per_hour.amount, grain: CommitmentGrain::Hourly }
    }

    /// The amount per hour.
    pub fn per_hour(&self) -> Money {
        Money::new(self.amount, self.currency_code)
    }
}

mod amount_string {
    use rust_decimal::Decimal;
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = String::deserialize(d)?;
        quote_engine::parse_amount(&text).ok_or_else(|| de::Error::custom("expected a decimal string such as \"12.50\""))
    }
}

/// A savings plan the customer has (`GET /api/customers/{customerId}/savingsPlans`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SavingsPlan {
    /// Its ID (a GUID).
    pub id: String,
    /// Its order (a GUID; one order per plan).
    pub savings_plan_order_id: String,
    /// The customer.
    pub customer_id: String,
    /// Its name.
    pub display_name: String,
    /// e.g. `Compute_Savings_Plan`.
    pub sku_name: String,
    /// `P1Y` or `P3Y`.
    pub term: Term,
    /// Upfront or monthly.
    pub billing_plan: BillingPlan,
    /// What the customer commits to per hour.
    pub commitment: SavingsPlanCommitment,
    /// The billing total: the commitment × the hours of the term.
    pub lifetime_commitment: Money,
    /// Where it applies.
    pub applied_scope_type: AppliedScopeType,
    /// The target for a Single or ManagementGroup scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// The first day (the trade-in's day).
    pub start_date: NaiveDate,
    /// The day after its last day: the same calendar date `term` later.
    pub expiry_date: NaiveDate,
    /// The exchange session of the trade-in that bought it (its audit entry names the
    /// reservations traded in).
    pub exchange_session_id: String,
}

impl fmt::Display for CommitmentGrain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hourly")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commitment_is_written_as_azure_writes_it() {
        let c = SavingsPlanCommitment::hourly(Money::new(Decimal::new(1250, 2), Currency::new("USD").unwrap()));
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"currencyCode":"USD","amount":"12.50","grain":"Hourly"}"#);
        assert_eq!(serde_json::from_str::<SavingsPlanCommitment>(&json).unwrap(), c);
        assert!(serde_json::from_str::<SavingsPlanCommitment>(r#"{"currencyCode":"USD","amount":12.5,"grain":"Hourly"}"#).is_err());
        assert!(serde_json::from_str::<SavingsPlanCommitment>(r#"{"currencyCode":"USD","amount":"1","grain":"Daily"}"#).is_err());
    }
}
