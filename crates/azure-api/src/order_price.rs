//! A reservation's price from its order, as the desk reads it from Azure: ARM's reservation
//! carries no price; its order does (`GET /providers/Microsoft.Capacity/reservationOrders/{id}`
//! with `$expand=schedule`, `ReservationOrderResponse` of `reservations.json` 2022-11-01, the
//! example `GetReservationOrderDetailsWithExpandPlanInformation.json`): `originalQuantity` units
//! were bought for `planInformation.pricingCurrencyTotal` (the whole order, whole term, tax not
//! included, in the pricing currency, USD for the refund limit), paid in `transactions` whose
//! `billingCurrencyTotal` is in the billing currency ("null for future payments").
//!
//! The desk's `unitPrice` is the whole-term price of one unit in the billing currency, and
//! `pricingUnitPrice` the same in USD when billing is in another currency. So:
//!
//! - pricing unit price = `pricingCurrencyTotal / originalQuantity`, exact in `Decimal`, rounded
//!   half-even to the currency's minor unit only when the division does not end there (at most
//!   half a minor unit per unit from Azure's total);
//! - the billing currency is the one the order's paid transactions name; when none names one
//!   (nothing paid yet), the pricing currency;
//! - billed in the pricing currency: that is the unit price;
//! - billed in another currency: the billing total is the sum of the transactions'
//!   `billingCurrencyTotal` (failed and cancelled ones left out), known only when every payment
//!   has one (an upfront order, or a monthly one paid off); otherwise the price is unknown; and
//!   the pricing total must then be in USD (`pricingUnitPrice` is kept in USD, stored without its
//!   currency): priced in another currency, the price is unknown, never taken as dollars;
//! - no plan information, no `pricingCurrencyTotal`, no `originalQuantity`, a currency the desk
//!   does not know: unknown, with why.
//!
//! Nothing here guesses: a price that cannot be derived is [`OrderPrice::Unknown`], never zero.

use contract::source::PriceUnknown;
use quote_engine::{Currency, Money};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::number::ExactNumber;

/// ARM's order as the desk reads it (only what the price needs).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRead {
    /// The full ARM ID.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub id: String,
    /// The order ID.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub name: String,
    /// The properties.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub properties: OrderReadProperties,
}

/// `ReservationOrderProperties`, as far as the price goes, and what fills a reservation that
/// leaves them out (`crate::read`). Every property is optional, as in the specification.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderReadProperties {
    /// "Total Quantity of the skus purchased in the reservation."
    #[serde(default)]
    pub original_quantity: Option<u32>,
    /// `P1Y`, `P3Y`, `P5Y`.
    #[serde(default)]
    pub term: Option<crate::lenient::Lenient<quote_engine::Term>>,
    /// `Upfront` or `Monthly`.
    #[serde(default)]
    pub billing_plan: Option<crate::lenient::Lenient<quote_engine::BillingPlan>>,
    /// When the benefit started.
    #[serde(default)]
    pub benefit_start_time: Option<String>,
    /// When the order was created.
    #[serde(default)]
    pub created_date_time: Option<String>,
    /// When it was asked for.
    #[serde(default)]
    pub request_date_time: Option<String>,
    /// The day its term ends.
    #[serde(default)]
    pub expiry_date: Option<String>,
    /// The instant its term ends.
    #[serde(default)]
    pub expiry_date_time: Option<String>,
    /// The payment plan (with `$expand=schedule`).
    #[serde(default)]
    pub plan_information: Option<PlanRead>,
}

/// `ReservationOrderBillingPlanInformation`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanRead {
    /// "Amount of money to be paid for the Order. Tax is not included."
    #[serde(default)]
    pub pricing_currency_total: Option<PriceRead>,
    /// The payments.
    #[serde(default)]
    pub transactions: Option<Vec<PaymentRead>>,
}

/// `PaymentDetail`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRead {
    /// In the billing currency; null for future payments.
    #[serde(default)]
    pub billing_currency_total: Option<PriceRead>,
    /// `Succeeded`, `Failed`, `Scheduled`, `Cancelled`.
    #[serde(default)]
    pub status: Option<String>,
}

/// ARM's `Price`, read digit for digit (both members optional, as in the specification).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceRead {
    /// ISO 4217.
    #[serde(default)]
    pub currency_code: Option<String>,
    /// The amount.
    #[serde(default)]
    pub amount: Option<ExactNumber>,
}

/// A reservation's price as the desk derives it from its order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderPrice {
    /// Whole term, one unit: in the billing currency, and in USD when billed otherwise.
    Known {
        /// `unitPrice`.
        unit_price: Money,
        /// `pricingUnitPrice`.
        pricing_unit_price: Option<Money>,
    },
    /// Not derivable: why.
    Unknown(PriceUnknown),
}

fn unknown(code: &str, message: String) -> OrderPrice {
    OrderPrice::Unknown(PriceUnknown { code: code.to_owned(), message })
}

/// Why an ARM `Price` is not an amount the desk can use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PriceProblem {
    /// Its currency or its figure is missing.
    Incomplete,
    /// A currency the desk does not know (its code).
    UnknownCurrency(String),
}

impl PriceRead {
    /// The amount, when both members are there and the currency is one the desk knows.
    pub fn money(&self) -> Result<Money, PriceProblem> {
        let (Some(code), Some(amount)) = (self.currency_code.as_deref(), self.amount) else {
            return Err(PriceProblem::Incomplete);
        };
        Currency::new(code).map(|c| Money::new(amount.0, c)).map_err(|_| PriceProblem::UnknownCurrency(code.to_owned()))
    }
}

fn money(p: &PriceRead) -> Result<Money, OrderPrice> {
    p.money().map_err(|problem| match problem {
        PriceProblem::Incomplete => unknown("UnreadableAnswer", "Azure's order gives an amount without its currency or its figure.".into()),
        PriceProblem::UnknownCurrency(code) => {
            unknown("UnknownCurrency", format!("Azure's order names a currency the desk does not know ({code:?})."))
        }
    })
}

/// `total / quantity`, exact when it ends at the currency's minor unit, else rounded half-even
/// to it.
fn per_unit(total: Money, quantity: u32) -> Result<Money, OrderPrice> {
    total
        .checked_div(Decimal::from(quantity))
        .map(Money::round)
        .map_err(|_| unknown("UnreadableAnswer", "Azure's order total cannot be divided by its quantity.".into()))
}

fn failed(status: Option<&str>) -> bool {
    status.is_some_and(|s| s.eq_ignore_ascii_case("Failed") || s.eq_ignore_ascii_case("Cancelled"))
}

impl OrderRead {
    /// The price of one unit of this order's reservations (see the module).
    pub fn price(&self) -> OrderPrice {
        match self.derive() {
            Ok(price) | Err(price) => price,
        }
    }

    fn derive(&self) -> Result<OrderPrice, OrderPrice> {
        let order = &self.name;
        let plan = self.properties.plan_information.as_ref().ok_or_else(|| {
            unknown("NoPlanInformation", format!("Azure's order {order} carries no planInformation (asked with $expand=schedule)."))
        })?;
        let total = plan
            .pricing_currency_total
            .as_ref()
            .ok_or_else(|| unknown("NoPlanInformation", format!("Azure's order {order} carries no planInformation.pricingCurrencyTotal.")))?;
        let total = money(total)?;
        let quantity = self
            .properties
            .original_quantity
            .filter(|q| *q > 0)
            .ok_or_else(|| unknown("NoOriginalQuantity", format!("Azure's order {order} carries no originalQuantity.")))?;
        let pricing_unit = per_unit(total, quantity)?;
        let live: Vec<&PaymentRead> = plan.transactions.iter().flatten().filter(|t| !failed(t.status.as_deref())).collect();
        let billing = live.iter().filter_map(|t| t.billing_currency_total.as_ref()).map(money).collect::<Result<Vec<_>, _>>()?;
        let billing_currency = billing.first().map_or(total.currency, |m| m.currency);
        if billing.iter().any(|m| m.currency != billing_currency) {
            return Err(unknown("BillingTotalUnknown", format!("Azure's order {order} is paid in more than one currency.")));
        }
        if billing_currency == total.currency {
            return Ok(OrderPrice::Known { unit_price: pricing_unit, pricing_unit_price: None });
        }
        if billing.len() != live.len() {
            return Err(unknown(
                "BillingTotalUnknown",
                format!(
                    "Azure's order {order} is billed in {billing_currency} and gives no {billing_currency} amount for its future payments: \
                     its whole-term price in {billing_currency} is not known yet."
                ),
            ));
        }
        // `pricingUnitPrice` is in USD (the refund limit's currency): a pricing total in another
        // currency is never taken as dollars, and the desk converts no currency.
        if total.currency != Currency::USD {
            return Err(unknown(
                "PricingCurrencyNotUsd",
                format!(
                    "Azure's order {order} is priced in {} and billed in {billing_currency}: the desk keeps a reservation billed in                      another currency than its price with its price in USD, and converts no currency.",
                    total.currency
                ),
            ));
        }
        let mut billing_total = Money::zero(billing_currency);
        for m in billing {
            billing_total = billing_total
                .checked_add(m)
                .map_err(|_| unknown("UnreadableAnswer", format!("Azure's order {order}'s payments cannot be added up.")))?;
        }
        Ok(OrderPrice::Known { unit_price: per_unit(billing_total, quantity)?, pricing_unit_price: Some(pricing_unit) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn read(v: serde_json::Value) -> OrderRead {
        serde_json::from_str(&v.to_string()).unwrap()
    }

    fn usd(a: Decimal) -> Money {
        Money::new(a, Currency::USD)
    }

    #[test]
    fn microsofts_example_reads_as_its_total_over_its_original_quantity() {
        // GetReservationOrderDetailsWithExpandPlanInformation.json (2022-11-01), trimmed: 466 USD
        // for 7 units, billed in USD (one failed payment among them).
        let order = read(json!({
            "id": "/providers/microsoft.capacity/reservationOrders/1f14354c-dc12-4c8d-8090-6f295a3a34aa",
            "name": "1f14354c-dc12-4c8d-8090-6f295a3a34aa", "type": "Microsoft.Capacity/reservationOrders", "etag": 7,
            "properties": {
                "displayName": "cabri", "term": "P1Y", "billingPlan": "Monthly", "provisioningState": "Succeeded",
                "originalQuantity": 7,
                "planInformation": {
                    "pricingCurrencyTotal": {"currencyCode": "USD", "amount": 466},
                    "startDate": "2019-08-30", "nextPaymentDueDate": "2019-09-30",
                    "transactions": [
                        {"dueDate": "2019-09-30", "paymentDate": "2019-09-30", "status": "Succeeded",
                         "pricingCurrencyTotal": {"currencyCode": "USD", "amount": 466}, "billingCurrencyTotal": {"currencyCode": "USD", "amount": 466}, "billingAccount": "23456"},
                        {"dueDate": "2019-10-30", "paymentDate": "2019-10-30", "status": "Failed",
                         "pricingCurrencyTotal": {"currencyCode": "USD", "amount": 466}, "billingCurrencyTotal": {"currencyCode": "USD", "amount": 466},
                         "extendedStatusInfo": {"statusCode": "PaymentDeclined", "message": "Credit card charge failed."}}
                    ]
                }
            }
        }));
        // 466 / 7 = 66.571428…: rounded half-even to the cent.
        assert_eq!(order.price(), OrderPrice::Known { unit_price: usd(dec!(66.57)), pricing_unit_price: None });
    }

    #[test]
    fn an_exact_division_is_kept_to_the_cent_and_a_foreign_billing_total_gives_both_prices() {
        let order = read(json!({"name": "o", "properties": {"originalQuantity": 4, "planInformation": {
            "pricingCurrencyTotal": {"currencyCode": "USD", "amount": 8409.60},
            "transactions": [{"status": "Succeeded", "billingCurrencyTotal": {"currencyCode": "EUR", "amount": 7736.83}}]}}}));
        let eur = Currency::new("EUR").unwrap();
        // 8409.60 / 4 = 2102.40 exactly; 7736.83 / 4 = 1934.2075 → 1934.21 (half-even at the cent).
        assert_eq!(
            order.price(),
            OrderPrice::Known { unit_price: Money::new(dec!(1934.21), eur), pricing_unit_price: Some(usd(dec!(2102.40))) }
        );
    }

    #[test]
    fn what_cannot_be_derived_is_unknown_with_why_never_zero() {
        let cases = [
            (json!({"name": "o", "properties": {"originalQuantity": 2}}), "NoPlanInformation"),
            (json!({"name": "o", "properties": {"originalQuantity": 2, "planInformation": {"transactions": []}}}), "NoPlanInformation"),
            (json!({"name": "o", "properties": {"planInformation": {"pricingCurrencyTotal": {"currencyCode": "USD", "amount": 10}}}}), "NoOriginalQuantity"),
            (json!({"name": "o", "properties": {"originalQuantity": 0, "planInformation": {"pricingCurrencyTotal": {"currencyCode": "USD", "amount": 10}}}}), "NoOriginalQuantity"),
            (json!({"name": "o", "properties": {"originalQuantity": 1, "planInformation": {"pricingCurrencyTotal": {"currencyCode": "usd!", "amount": 10}}}}), "UnknownCurrency"),
            // Monthly in EUR, a payment to come: its EUR amount is not known.
            (json!({"name": "o", "properties": {"originalQuantity": 1, "planInformation": {
                "pricingCurrencyTotal": {"currencyCode": "USD", "amount": 1200},
                "transactions": [
                    {"status": "Succeeded", "billingCurrencyTotal": {"currencyCode": "EUR", "amount": 92.10}},
                    {"status": "Scheduled"}]}}}), "BillingTotalUnknown"),
        ];
        for (order, code) in cases {
            match read(order.clone()).price() {
                OrderPrice::Unknown(why) => assert_eq!(why.code, code, "{order}: {}", why.message),
                known => panic!("{order}: {known:?}"),
            }
        }
        // Priced in pounds, billed in euros: the pricing total is not dollars, and is never taken
        // as such (it would be stored as the USD price the refund limit counts).
        let pounds = read(json!({"name": "o", "properties": {"originalQuantity": 2, "planInformation": {
            "pricingCurrencyTotal": {"currencyCode": "GBP", "amount": 1000},
            "transactions": [{"status": "Succeeded", "billingCurrencyTotal": {"currencyCode": "EUR", "amount": 1160}}]}}}));
        match pounds.price() {
            OrderPrice::Unknown(why) => assert!(why.code == "PricingCurrencyNotUsd" && why.message.contains("GBP"), "{why:?}"),
            known => panic!("a GBP pricing total taken as a price: {known:?}"),
        }
        // Priced and billed in the same currency: that is the unit price, in its own currency.
        let euros = read(json!({"name": "o", "properties": {"originalQuantity": 2, "planInformation": {
            "pricingCurrencyTotal": {"currencyCode": "EUR", "amount": 1160},
            "transactions": [{"status": "Succeeded", "billingCurrencyTotal": {"currencyCode": "EUR", "amount": 1160}}]}}}));
        let eur = Currency::new("EUR").unwrap();
        assert_eq!(euros.price(), OrderPrice::Known { unit_price: Money::new(dec!(580.00), eur), pricing_unit_price: None });
        // Nothing paid yet and no billing amount: billed in the pricing currency.
        let unpaid = read(json!({"name": "o", "properties": {"originalQuantity": 3, "planInformation": {
            "pricingCurrencyTotal": {"currencyCode": "USD", "amount": 300}, "transactions": [{"status": "Scheduled"}]}}}));
        assert_eq!(unpaid.price(), OrderPrice::Known { unit_price: usd(dec!(100.00)), pricing_unit_price: None });
    }
}
