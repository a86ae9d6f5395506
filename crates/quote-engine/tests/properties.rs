//! Property tests of the issue: bounds, fee, exact lines, monotonicity, the limit, no panics.

mod common;

use chrono::{Days, NaiveDate};
use common::*;
use proptest::prelude::*;
use quote_engine::*;
use rust_decimal::Decimal;

fn term() -> impl Strategy<Value = Term> {
    prop_oneof![Just(Term::P1Y), Just(Term::P3Y), Just(Term::P5Y)]
}

fn plan() -> impl Strategy<Value = BillingPlan> {
    prop_oneof![Just(BillingPlan::Upfront), Just(BillingPlan::Monthly)]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0u64..5000).prop_map(|n| d("2018-01-01") + Days::new(n))
}

/// Reservations in USD, EUR (with a USD price) or JPY, at up to 1,000,000 per unit.
fn reservation() -> impl Strategy<Value = Reservation> {
    (
        term(),
        plan(),
        date(),
        1u32..=10,
        0i64..=100_000_000,
        0usize..3,
        any::<bool>(),
    )
        .prop_map(
            |(term, plan, purchase, quantity, cents, currency, has_usage)| {
                let usd_price = Decimal::new(cents, 2);
                let (unit_price, pricing) = match currency {
                    0 => (usd(usd_price), None),
                    1 => (
                        money(Decimal::new(cents * 9, 3), "EUR"),
                        Some(usd(usd_price)),
                    ),
                    _ => (
                        money(Decimal::new(cents * 15, 2).round(), "JPY"),
                        Some(usd(usd_price)),
                    ),
                };
                Reservation {
                    reserved_resource_type: family("VirtualMachines"),
                    term,
                    billing_plan: plan,
                    purchase_date: purchase,
                    quantity,
                    unit_price,
                    pricing_unit_price: pricing,
                    has_usage,
                }
            },
        )
}

fn ledger() -> impl Strategy<Value = Vec<PriorRefund>> {
    prop::collection::vec(
        (date(), 0i64..=3_000_000).prop_map(|(date, cents)| PriorRefund {
            date,
            amount: usd(Decimal::new(cents, 2)),
        }),
        0..6,
    )
}

fn policy() -> impl Strategy<Value = Policy> {
    prop_oneof![
        Just(Policy::partner_center_2020()),
        Just(Policy::azure_current())
    ]
}

/// As-of dates around the term: a little before, inside, and after.
fn offset() -> impl Strategy<Value = i64> {
    -20i64..2000
}

fn at(r: &Reservation, offset: i64) -> NaiveDate {
    if offset >= 0 {
        r.purchase_date + Days::new(offset as u64)
    } else {
        r.purchase_date - Days::new(offset.unsigned_abs())
    }
}

proptest! {
    #[test]
    fn refund_is_between_zero_and_paid_and_lines_add_up(
        policy in policy(), r in reservation(), offset in offset(), q in 0u32..12, ledger in ledger()
    ) {
        let quote = quote_refund(&policy, at(&r, offset), &r, q, &ledger).unwrap();
        prop_assert!(!quote.refund_amount.is_negative());
        prop_assert!(quote.refund_amount.amount <= quote.total_paid.amount);
        prop_assert_eq!(lines_sum(r.unit_price.currency, &quote.lines), quote.refund_amount);
        prop_assert!(quote.lines.iter().all(|l| l.amount.amount.scale() == r.unit_price.currency.minor_units()));
        prop_assert_eq!(quote.refund_amount.amount.scale(), r.unit_price.currency.minor_units());
        if !quote.is_allowed() {
            prop_assert!(quote.refund_amount.is_zero());
        }
    }

    #[test]
    fn fee_is_12_percent_of_base_within_rounding(r in reservation(), offset in 6i64..2000, q in 1u32..=10) {
        let quote = quote_refund(&Policy::partner_center_2020(), at(&r, offset), &r, q.min(r.quantity), &[]).unwrap();
        let exact = quote.pro_rated_base.amount * Decimal::new(12, 2);
        let half_unit = Decimal::new(5, r.unit_price.currency.minor_units() + 1);
        prop_assert!((quote.early_termination_fee.amount - exact).abs() <= half_unit);
        let none = quote_refund(&Policy::azure_current(), at(&r, offset), &r, q.min(r.quantity), &[]).unwrap();
        prop_assert!(none.early_termination_fee.is_zero());
    }

    #[test]
    fn upfront_refund_never_increases_with_time(
        policy in policy(), mut r in reservation(), a in 0i64..2000, b in 0i64..2000, q in 1u32..=10
    ) {
        r.billing_plan = BillingPlan::Upfront;
        let (early, late) = (a.min(b), a.max(b));
        let q = q.min(r.quantity);
        let first = quote_refund(&policy, at(&r, early), &r, q, &[]).unwrap();
        let second = quote_refund(&policy, at(&r, late), &r, q, &[]).unwrap();
        prop_assert!(second.refund_amount.amount <= first.refund_amount.amount || !first.is_allowed(),
            "{} then {}", first.refund_amount, second.refund_amount);
    }

    #[test]
    fn azure_current_never_pushes_the_window_over_the_limit(
        r in reservation(), offset in 0i64..1900, q in 1u32..=10, ledger in ledger()
    ) {
        let policy = Policy::azure_current();
        let as_of = at(&r, offset);
        let quote = quote_refund(&policy, as_of, &r, q, &ledger).unwrap();
        let pr = &quote.policy_result;
        if quote.is_allowed() {
            let total = pr.consumed_refunds_total.checked_add(pr.counted_toward_limit).unwrap();
            prop_assert!(total.amount <= pr.max_refund_limit.amount);
        }
        if let Some(m) = quote.max_quantity_within_limit.filter(|m| *m > 0) {
            prop_assert!(quote_refund(&policy, as_of, &r, m, &ledger).unwrap().is_allowed());
        }
        if let Some(day) = quote.fits_on {
            prop_assert!(day > as_of);
            prop_assert!(quote_refund(&policy, day, &r, q, &ledger).unwrap().is_allowed());
        }
    }

    #[test]
    fn partner_center_cap_never_exceeds_headroom(r in reservation(), offset in 0i64..1900, q in 1u32..=10, ledger in ledger()) {
        let quote = quote_refund(&Policy::partner_center_2020(), at(&r, offset), &r, q, &ledger).unwrap();
        let pr = &quote.policy_result;
        let total = pr.consumed_refunds_total.checked_add(pr.counted_toward_limit).unwrap();
        prop_assert!(total.amount <= pr.max_refund_limit.amount.max(pr.consumed_refunds_total.amount));
    }

    #[test]
    fn installments_sum_to_the_commitment(cents in 0i64..10_000_000_000, term in term(), purchase in date(), jpy in any::<bool>()) {
        let c = if jpy { money(Decimal::from(cents), "JPY") } else { usd(Decimal::new(cents, 2)) };
        let s = installment_schedule(c, purchase, term).unwrap();
        prop_assert_eq!(s.len() as u32, term.months());
        prop_assert!(s.iter().all(|i| !i.amount.is_negative()));
        prop_assert_eq!(Money::checked_sum(c.currency, s.iter().map(|i| i.amount)).unwrap(), c);
    }

    #[test]
    fn exchange_lines_add_up(policy in policy(), r in reservation(), offset in offset(), q in 0u32..12,
                             pterm in term(), pplan in plan(), pq in 1u32..5, cents in 0i64..100_000_000) {
        let p = purchase(pterm, pplan, pq, Money::new(Decimal::new(cents, 2), r.unit_price.currency));
        let quote = quote_exchange(&policy, at(&r, offset), &[ExchangeReturn { reservation: r.clone(), quantity: q }], &[p]).unwrap();
        prop_assert_eq!(lines_sum(quote.currency, &quote.lines), quote.net_payable);
        prop_assert_eq!(quote.net_payable, quote.purchases_total.checked_sub(quote.refunds_total).unwrap());
        prop_assert!(!quote.refunds_total.is_negative());
    }

    #[test]
    fn no_panic_on_arbitrary_strings(s in ".{0,200}") {
        if let Ok(req) = serde_json::from_str::<api::RefundQuoteRequest>(&s) {
            let _ = api::refund(&req);
        }
        if let Ok(req) = serde_json::from_str::<api::ExchangeQuoteRequest>(&s) {
            let _ = api::exchange(&req);
        }
    }

    #[test]
    fn no_panic_on_well_shaped_but_wild_requests(
        policy in prop_oneof![Just("azure-current"), Just("partner-center-2020")],
        as_of in prop_oneof![Just("-262143-01-01".to_owned()), Just("+262142-12-31".to_owned()), "20[0-9]{2}-0[1-9]-1[0-9]"],
        purchase in prop_oneof![Just("-262143-01-01".to_owned()), Just("+262142-12-31".to_owned()), "20[0-9]{2}-0[1-9]-1[0-9]"],
        amount in prop_oneof!["-?[0-9]{1,30}(\\.[0-9]{1,30})?", Just("79228162514264337593543950335".to_owned())],
        pricing in "-?[0-9]{1,30}(\\.[0-9]{1,30})?",
        currency in prop_oneof![Just("USD"), Just("JPY"), Just("EUR")],
        quantity in any::<u32>(), rq in any::<u32>(), plan in prop_oneof![Just("Upfront"), Just("Monthly")],
        ledger_amount in "-?[0-9]{1,30}(\\.[0-9]{1,30})?",
    ) {
        let reservation = serde_json::json!({
            "reservedResourceType": "VirtualMachines", "term": "P5Y", "billingPlan": plan, "purchaseDate": purchase,
            "quantity": rq, "unitPrice": {"amount": amount, "currencyCode": currency},
            "pricingUnitPrice": {"amount": pricing, "currencyCode": "USD"}, "hasUsage": false });
        let body = serde_json::json!({ "policy": policy, "asOf": as_of, "reservation": reservation, "quantity": quantity,
            "priorRefunds": [{"date": as_of, "amount": {"amount": ledger_amount, "currencyCode": "USD"}}] });
        if let Ok(req) = serde_json::from_value::<api::RefundQuoteRequest>(body) {
            let _ = api::refund(&req);
        }
        let body = serde_json::json!({ "policy": policy, "asOf": as_of,
            "returns": [{"reservation": reservation, "quantity": quantity}],
            "purchases": [{"reservedResourceType": "VirtualMachines", "term": "P1Y", "billingPlan": plan, "quantity": quantity,
                           "unitPrice": {"amount": amount, "currencyCode": currency}}] });
        if let Ok(req) = serde_json::from_value::<api::ExchangeQuoteRequest>(body) {
            let _ = api::exchange(&req);
        }
    }
}
