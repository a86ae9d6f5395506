//! An order's payment plan as Microsoft.Capacity 2022-11-01 writes it under
//! `properties.planInformation` when `GET …/reservationOrders/{id}` is asked for
//! `$expand=schedule` (`ReservationOrderBillingPlanInformation`, `PaymentDetail`, `PaymentStatus`
//! of `reservations.json`; the example `GetReservationOrderDetailsWithExpandPlanInformation.json`).
//! The plan itself is the desk's rule (`desk_service::payment_schedule`); this only writes it.

use chrono::NaiveDate;
use quote_engine::Money;
use serde::Serialize;

use crate::number::Price;

/// Whether `$expand` asks for the payment plan: `schedule` (the value of Azure's example), in
/// any case, alone or in a comma-separated list. Any other value is ignored, as the
/// specification declares `$expand` a free string ("May be used to expand the planInformation")
/// rather than an enum: a script that sends another value gets the order without the plan.
pub fn expands_schedule(expand: Option<&str>) -> bool {
    expand.is_some_and(|e| e.split(',').any(|item| item.trim().eq_ignore_ascii_case("schedule")))
}

/// One payment of the plan, as the desk computed it (what the adapter hands over).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    /// When it is due.
    pub due: NaiveDate,
    /// Whether it is paid (due on or before today).
    pub paid: bool,
    /// In the billing currency.
    pub billing: Money,
    /// In USD, the pricing currency, when known.
    pub pricing: Option<Money>,
}

/// `PaymentStatus`: of the specification's `Succeeded`, `Failed`, `Scheduled` and `Cancelled`,
/// the desk knows paid and to come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PaymentStatus {
    /// Paid.
    Succeeded,
    /// Due later.
    Scheduled,
}

/// `PaymentDetail`: one payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetail {
    /// When it is due.
    pub due_date: NaiveDate,
    /// When it was paid (its due date); absent while it is scheduled, as the specification has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_date: Option<NaiveDate>,
    /// In USD, the pricing currency (absent when the desk has no USD price).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pricing_currency_total: Option<Price>,
    /// In the billing currency (also for a scheduled payment: the desk's price is fixed in it).
    pub billing_currency_total: Price,
    /// `Succeeded` or `Scheduled`.
    pub status: PaymentStatus,
}

/// `ReservationOrderBillingPlanInformation`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReservationOrderBillingPlanInformation {
    /// What the order costs in all, in USD, the pricing currency (absent when the desk has no
    /// USD price): the sum of the transactions' `pricingCurrencyTotal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pricing_currency_total: Option<Price>,
    /// When the plan started: the order's purchase date.
    pub start_date: NaiveDate,
    /// The next payment's due date; absent once everything is paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_payment_due_date: Option<NaiveDate>,
    /// Every payment, the earliest first: one for an upfront order, one a month for a monthly one.
    pub transactions: Vec<PaymentDetail>,
}

impl ReservationOrderBillingPlanInformation {
    /// The plan that started on `start`, costs `pricing_total` (USD, when known), is next due on
    /// `next_due` and is paid in `payments`.
    pub fn new(start: NaiveDate, pricing_total: Option<&Money>, next_due: Option<NaiveDate>, payments: &[Payment]) -> Self {
        ReservationOrderBillingPlanInformation {
            pricing_currency_total: pricing_total.map(Price::from),
            start_date: start,
            next_payment_due_date: next_due,
            transactions: payments
                .iter()
                .map(|p| PaymentDetail {
                    due_date: p.due,
                    payment_date: p.paid.then_some(p.due),
                    pricing_currency_total: p.pricing.as_ref().map(Price::from),
                    billing_currency_total: Price::from(&p.billing),
                    status: if p.paid { PaymentStatus::Succeeded } else { PaymentStatus::Scheduled },
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote_engine::Currency;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn expand_schedule_is_read_in_any_case_and_anything_else_is_ignored() {
        for yes in ["schedule", "Schedule", " SCHEDULE ", "renewProperties,schedule"] {
            assert!(expands_schedule(Some(yes)), "{yes}");
        }
        for no in [None, Some(""), Some("schedules"), Some("planInformation"), Some("renewProperties")] {
            assert!(!expands_schedule(no), "{no:?}");
        }
    }

    #[test]
    fn the_plan_is_written_with_the_specifications_names_and_exact_numbers() {
        let usd = |a| Money::new(a, Currency::USD);
        let eur = |a| Money::new(a, Currency::new("EUR").unwrap());
        let payments = [
            Payment { due: d("2025-01-31"), paid: true, billing: eur(dec!(76.67)), pricing: Some(usd(dec!(83.33))) },
            Payment { due: d("2025-02-28"), paid: false, billing: eur(dec!(76.60)), pricing: Some(usd(dec!(83.45))) },
        ];
        let plan = ReservationOrderBillingPlanInformation::new(d("2025-01-31"), Some(&usd(dec!(166.78))), Some(d("2025-02-28")), &payments);
        let text = serde_json::to_string(&plan).unwrap();
        assert!(text.contains(r#""amount":76.60"#), "written digit for digit: {text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            json!({
                "pricingCurrencyTotal": {"currencyCode": "USD", "amount": 166.78},
                "startDate": "2025-01-31",
                "nextPaymentDueDate": "2025-02-28",
                "transactions": [
                    {"dueDate": "2025-01-31", "paymentDate": "2025-01-31", "status": "Succeeded",
                     "pricingCurrencyTotal": {"currencyCode": "USD", "amount": 83.33},
                     "billingCurrencyTotal": {"currencyCode": "EUR", "amount": 76.67}},
                    {"dueDate": "2025-02-28", "status": "Scheduled",
                     "pricingCurrencyTotal": {"currencyCode": "USD", "amount": 83.45},
                     "billingCurrencyTotal": {"currencyCode": "EUR", "amount": 76.60}}
                ]
            })
        );
        // Paid off, and no USD price known: no next due date, no pricing amounts.
        let paid = [Payment { due: d("2025-01-31"), paid: true, billing: eur(dec!(900.00)), pricing: None }];
        let written = serde_json::to_value(ReservationOrderBillingPlanInformation::new(d("2025-01-31"), None, None, &paid)).unwrap();
        assert_eq!(
            written,
            json!({"startDate": "2025-01-31", "transactions": [{"dueDate": "2025-01-31", "paymentDate": "2025-01-31", "status": "Succeeded", "billingCurrencyTotal": {"currencyCode": "EUR", "amount": 900.00}}]})
        );
    }
}
