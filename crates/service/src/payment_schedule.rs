//! An order's payment plan: what its reservations cost and when each payment is due, as
//! Azure's `GET …/reservationOrders/{id}?$expand=schedule` writes it in `planInformation`.
//!
//! The rule, once for every adapter: each reservation of the order is paid as the engine's
//! [`quote_engine::payments`] has it (Upfront: the commitment C = round(unit price × quantity)
//! once, on the purchase date; Monthly: `term.months()` installments due monthly from the
//! purchase date, split as the engine's installment plan splits C, the rounding remainder in the
//! last). An installment due on or before `today` is paid (`Succeeded`, as many as the engine's
//! [`quote_engine::installments_due`] counts: exactly the ones a refund quote counts as paid),
//! a later one `Scheduled`. The order's payments on one day are summed over its reservations.
//!
//! The plan is of what the order holds now: each reservation at its current quantity (after a
//! partial return, what is left). A reservation whose units are elsewhere or gone adds nothing:
//! split or merged (its units are in the parts or the merged reservation), cancelled (every unit
//! returned or exchanged) or failed. Amounts are exact, in the billing currency and, where the
//! USD price is known (billed in USD, or `pricingUnitPrice`), in the USD pricing currency.
//! Pure: `today` is an argument.

use std::collections::btree_map::{BTreeMap, Entry};

use chrono::NaiveDate;
use contract::reservation::{ProvisioningState, Reservation};
use quote_engine::{installments_due, payments, Currency, Money, MoneyError};

/// Whether a payment is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentStatus {
    /// Due on or before today: paid.
    Succeeded,
    /// Due after today.
    Scheduled,
}

/// One payment of the order (its reservations' installments due that day, together).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    /// The day it is due.
    pub due: NaiveDate,
    /// Paid or to come.
    pub status: PaymentStatus,
    /// In the billing currency.
    pub billing: Money,
    /// In USD, the pricing currency, when every reservation of the order has a USD price.
    pub pricing: Option<Money>,
}

/// An order's payment plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentPlan {
    /// The order's first purchase date: when the plan started.
    pub start: NaiveDate,
    /// Every payment, in the billing currency: the sum of the order's reservations' commitments.
    pub billing_total: Money,
    /// The same in USD, when known (see [`Payment::pricing`]).
    pub pricing_total: Option<Money>,
    /// The first payment after today; `None` once everything is paid.
    pub next_due: Option<NaiveDate>,
    /// By due date, the earliest first.
    pub payments: Vec<Payment>,
}

/// Whether a reservation in `state` holds its units now, so its payments are in its order's
/// plan: not when split or merged (the units are in other reservations of the order), cancelled
/// (returned) or failed (never bought).
pub const fn holds_units(state: ProvisioningState) -> bool {
    !matches!(state, ProvisioningState::Split | ProvisioningState::Merged | ProvisioningState::Cancelled | ProvisioningState::Failed)
}

/// The USD price of one unit: the reservation's price when billed in USD, else its
/// `pricingUnitPrice` (if it has one).
fn pricing_unit_price(r: &Reservation) -> Option<Money> {
    if r.unit_price.currency == Currency::USD {
        Some(r.unit_price)
    } else {
        r.pricing_unit_price.filter(|p| p.currency == Currency::USD)
    }
}

/// The payment plan of an order made of `reservations` (all of one order), as of `today`;
/// `None` for an order without reservations. An error only when the order mixes billing
/// currencies or an amount overflows.
pub fn order_plan(reservations: &[&Reservation], today: NaiveDate) -> Result<Option<PaymentPlan>, MoneyError> {
    let Some(first) = reservations.first() else { return Ok(None) };
    let start = reservations.iter().map(|r| r.purchase_date).min().unwrap_or(first.purchase_date);
    let priced = reservations.iter().all(|r| pricing_unit_price(r).is_some());
    // Due date → (status, billing, pricing).
    let mut by_day: BTreeMap<NaiveDate, (PaymentStatus, Money, Option<Money>)> = BTreeMap::new();
    for r in reservations.iter().filter(|r| holds_units(r.provisioning_state)) {
        let billing = payments(r.unit_price, r.quantity, r.billing_plan, r.term, r.purchase_date)?;
        let pricing = match pricing_unit_price(r).filter(|_| priced) {
            Some(price) => payments(price, r.quantity, r.billing_plan, r.term, r.purchase_date)?.into_iter().map(|i| Some(i.amount)).collect(),
            None => vec![None; billing.len()],
        };
        let paid = installments_due(r.purchase_date, u32::try_from(billing.len()).unwrap_or(u32::MAX), today) as usize;
        for (i, (installment, usd)) in billing.iter().zip(pricing).enumerate() {
            let status = if i < paid { PaymentStatus::Succeeded } else { PaymentStatus::Scheduled };
            match by_day.entry(installment.due) {
                Entry::Vacant(day) => {
                    day.insert((status, installment.amount, usd));
                }
                Entry::Occupied(mut day) => {
                    let (_, billing, pricing) = day.get_mut();
                    *billing = billing.checked_add(installment.amount)?;
                    *pricing = match (*pricing, usd) {
                        (Some(sum), Some(usd)) => Some(sum.checked_add(usd)?),
                        _ => None,
                    };
                }
            }
        }
    }
    let mut billing_total = Money::zero(first.unit_price.currency).round();
    let mut pricing_total = priced.then(|| Money::zero(Currency::USD).round());
    let mut plan = Vec::with_capacity(by_day.len());
    for (due, (status, billing, pricing)) in by_day {
        billing_total = billing_total.checked_add(billing)?;
        pricing_total = match (pricing_total, pricing) {
            (Some(total), Some(usd)) => Some(total.checked_add(usd)?),
            _ => None,
        };
        plan.push(Payment { due, status, billing, pricing });
    }
    let next_due = plan.iter().find(|p| p.status == PaymentStatus::Scheduled).map(|p| p.due);
    Ok(Some(PaymentPlan { start, billing_total, pricing_total, next_due, payments: plan }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote_engine::{BillingPlan, Term};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn usd(amount: Decimal) -> Money {
        Money::new(amount, Currency::USD)
    }

    fn reservation(id: &str, quantity: u32, term: Term, plan: BillingPlan, purchase: &str, unit: &str) -> Reservation {
        serde_json::from_value(json!({
            "id": id, "reservationOrderId": "o-1", "customerId": "c-1", "displayName": id,
            "skuName": "Standard_D2s_v3", "location": "westeurope", "reservedResourceType": "VirtualMachines",
            "quantity": quantity, "term": term, "billingPlan": plan, "purchaseDate": purchase, "expiryDate": "2099-01-01",
            "unitPrice": {"amount": unit, "currencyCode": "USD"}, "appliedScopeType": "Shared",
            "provisioningState": "Succeeded", "renew": false,
            "utilization": {"last1Day": "0", "last7Days": "0", "last30Days": "0"}
        }))
        .unwrap()
    }

    fn plan(rs: &[Reservation], today: &str) -> PaymentPlan {
        order_plan(&rs.iter().collect::<Vec<_>>(), d(today)).unwrap().unwrap()
    }

    fn sum(payments: &[Payment]) -> Money {
        Money::checked_sum(Currency::USD, payments.iter().map(|p| p.billing)).unwrap()
    }

    #[test]
    fn upfront_is_one_payment_at_purchase() {
        let r = reservation("r", 3, Term::P3Y, BillingPlan::Upfront, "2025-03-10", "1000.00");
        let p = plan(std::slice::from_ref(&r), "2025-06-01");
        assert_eq!(p.payments, vec![Payment { due: d("2025-03-10"), status: PaymentStatus::Succeeded, billing: usd(dec!(3000.00)), pricing: Some(usd(dec!(3000.00))) }]);
        assert_eq!((p.start, p.billing_total, p.pricing_total, p.next_due), (d("2025-03-10"), usd(dec!(3000.00)), Some(usd(dec!(3000.00))), None));
        // Before the purchase date nothing is paid yet.
        let early = plan(&[r], "2025-03-09");
        assert_eq!((early.payments[0].status, early.next_due), (PaymentStatus::Scheduled, Some(d("2025-03-10"))));
    }

    #[test]
    fn monthly_over_one_year_adds_up_and_is_paid_up_to_today() {
        let r = reservation("r", 1, Term::P1Y, BillingPlan::Monthly, "2025-01-15", "1000.00");
        let p = plan(&[r], "2025-04-20");
        assert_eq!(p.payments.len(), 12);
        assert_eq!(p.payments[0].billing, usd(dec!(83.33)));
        assert_eq!(p.payments[11].billing, usd(dec!(83.37)), "the last installment takes the rounding remainder");
        assert_eq!(sum(&p.payments), usd(dec!(1000.00)));
        assert_eq!(p.billing_total, usd(dec!(1000.00)));
        let paid = p.payments.iter().filter(|x| x.status == PaymentStatus::Succeeded).count();
        assert_eq!(paid, 4, "15 Jan, 15 Feb, 15 Mar, 15 Apr");
        assert_eq!(p.next_due, Some(d("2025-05-15")));
        assert!(p.payments.iter().all(|x| x.pricing == Some(x.billing)), "billed in USD: the pricing amounts are the billing ones");
    }

    #[test]
    fn monthly_over_three_years_with_the_remainder_in_the_last_installment() {
        let r = reservation("r", 1, Term::P3Y, BillingPlan::Monthly, "2025-01-15", "1000.00");
        let p = plan(&[r], "2024-12-31");
        assert_eq!(p.payments.len(), 36);
        assert!(p.payments[..35].iter().all(|x| x.billing == usd(dec!(27.78))));
        assert_eq!(p.payments[35].billing, usd(dec!(27.70)));
        assert_eq!(sum(&p.payments), usd(dec!(1000.00)));
        assert!(p.payments.iter().all(|x| x.status == PaymentStatus::Scheduled));
        assert_eq!((p.next_due, p.payments[35].due), (Some(d("2025-01-15")), d("2027-12-15")));
    }

    #[test]
    fn today_on_a_due_date_counts_it_paid() {
        let r = reservation("r", 2, Term::P1Y, BillingPlan::Monthly, "2025-01-15", "600.00");
        let p = plan(std::slice::from_ref(&r), "2025-03-15");
        let statuses: Vec<_> = p.payments[..4].iter().map(|x| x.status).collect();
        assert_eq!(statuses, [PaymentStatus::Succeeded, PaymentStatus::Succeeded, PaymentStatus::Succeeded, PaymentStatus::Scheduled]);
        assert_eq!(p.next_due, Some(d("2025-04-15")));
        let day_before = plan(&[r], "2025-03-14");
        assert_eq!(day_before.payments[2].status, PaymentStatus::Scheduled);
        assert_eq!(day_before.next_due, Some(d("2025-03-15")));
    }

    #[test]
    fn a_month_end_purchase_is_due_on_each_months_last_day_as_the_engine_has_it() {
        let r = reservation("r", 1, Term::P1Y, BillingPlan::Monthly, "2024-01-31", "120.00");
        let p = plan(std::slice::from_ref(&r), "2024-02-29");
        let due: Vec<NaiveDate> = p.payments.iter().map(|x| x.due).collect();
        assert_eq!(&due[..4], &[d("2024-01-31"), d("2024-02-29"), d("2024-03-31"), d("2024-04-30")]);
        assert_eq!(due[11], d("2024-12-31"));
        assert_eq!(p.payments.iter().filter(|x| x.status == PaymentStatus::Succeeded).count(), 2, "29 Feb is the second due date");
        // Exactly the installments the engine's refund counts as paid, on every day of the term.
        for offset in 0..400 {
            let today = d("2024-01-01") + chrono::Days::new(offset);
            let paid = plan(std::slice::from_ref(&r), &today.to_string()).payments.iter().filter(|x| x.status == PaymentStatus::Succeeded).count();
            assert_eq!(paid as u32, installments_due(r.purchase_date, 12, today), "{today}");
            assert_eq!(paid, due.iter().filter(|day| **day <= today).count(), "{today}");
        }
    }

    #[test]
    fn an_order_sums_what_it_holds_now_by_day() {
        // A split (the source counts nothing, its parts their units), a partial return (quantity
        // is what is left) and a cancelled reservation (nothing).
        let mut source = reservation("source", 5, Term::P1Y, BillingPlan::Monthly, "2025-01-10", "100.00");
        source.provisioning_state = ProvisioningState::Split;
        let a = reservation("a", 2, Term::P1Y, BillingPlan::Monthly, "2025-01-10", "100.00");
        let b = reservation("b", 1, Term::P1Y, BillingPlan::Monthly, "2025-01-10", "100.00");
        let mut gone = reservation("gone", 4, Term::P1Y, BillingPlan::Monthly, "2025-01-10", "100.00");
        gone.provisioning_state = ProvisioningState::Cancelled;
        let p = plan(&[source, a, b, gone], "2025-02-01");
        assert_eq!(p.payments.len(), 12);
        assert_eq!(p.billing_total, usd(dec!(300.00)));
        assert_eq!(sum(&p.payments), usd(dec!(300.00)));
        // 200.00 / 12 = 16.67 (last 16.63) and 100.00 / 12 = 8.33 (last 8.37), each as the engine splits it.
        assert_eq!((p.payments[0].billing, p.payments[11].billing), (usd(dec!(25.00)), usd(dec!(25.00))));
        assert_eq!(p.payments.iter().filter(|x| x.status == PaymentStatus::Succeeded).count(), 1);
        // Nothing held: an empty plan, nothing due.
        let mut all_gone = reservation("x", 1, Term::P1Y, BillingPlan::Upfront, "2025-01-10", "100.00");
        all_gone.provisioning_state = ProvisioningState::Cancelled;
        let empty = plan(&[all_gone], "2025-02-01");
        assert!(empty.payments.is_empty() && empty.next_due.is_none() && empty.billing_total.is_zero());
        assert_eq!(order_plan(&[], d("2025-02-01")).unwrap(), None);
    }

    #[test]
    fn billed_in_euros_the_pricing_currency_is_usd_split_by_the_same_rule() {
        let mut r = reservation("r", 3, Term::P3Y, BillingPlan::Monthly, "2025-01-15", "0");
        r.unit_price = Money::new(dec!(920.00), Currency::new("EUR").unwrap());
        r.pricing_unit_price = Some(usd(dec!(1000.00)));
        let p = plan(std::slice::from_ref(&r), "2025-02-15");
        assert_eq!(p.billing_total, Money::new(dec!(2760.00), Currency::new("EUR").unwrap()));
        assert_eq!(p.pricing_total, Some(usd(dec!(3000.00))));
        assert_eq!((p.payments[0].billing.amount, p.payments[0].pricing), (dec!(76.67), Some(usd(dec!(83.33)))));
        assert_eq!(p.payments[35].pricing, Some(usd(dec!(83.45))));
        let usd_sum = Money::checked_sum(Currency::USD, p.payments.iter().map(|x| x.pricing.unwrap())).unwrap();
        assert_eq!(usd_sum, usd(dec!(3000.00)));
        // Without a USD price, no pricing amounts at all.
        r.pricing_unit_price = None;
        let p = plan(&[r], "2025-02-15");
        assert!(p.pricing_total.is_none() && p.payments.iter().all(|x| x.pricing.is_none()));
    }
}
