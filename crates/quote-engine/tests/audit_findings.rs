//! Regression tests for the findings of the engine audit, one per finding, each
//! named after what it shows and built from the audit's own reproduction.

mod common;

use common::*;
use quote_engine::*;
use rust_decimal_macros::dec;

fn az() -> Policy {
    Policy::azure_current()
}

fn pc() -> Policy {
    Policy::partner_center_2020()
}

fn assert_lines_add_up(q: &RefundQuote) {
    assert_eq!(lines_sum(q.refund_amount.currency, &q.lines), q.refund_amount);
}

/// USD 108,000.00 P3Y Upfront bought 2024-03-01, one unit, quoted on 2025-03-01.
fn usd_108k() -> Reservation {
    vm(Term::P3Y, BillingPlan::Upfront, "2024-03-01", 1, dec!(108000.00))
}

fn counted_50k() -> [PriorRefund; 1] {
    [PriorRefund { date: d("2025-01-15"), amount: usd(dec!(50000.00)) }]
}

#[test]
fn a_usd_price_beside_a_usd_billing_price_cannot_lower_what_the_limit_counts() {
    let r = Reservation { pricing_unit_price: Some(usd(dec!(1.00))), ..usd_108k() };
    let err = quote_refund(&az(), d("2025-03-01"), &r, 1, &[]).unwrap_err();
    assert_eq!(err.field, "reservation.pricingUnitPrice");
    assert!(matches!(err.kind, QuoteErrorKind::PricingUnitPriceDiffers { .. }), "{err}");
    // Without it (or equal to the billing price) the rules count the canceled commitment,
    // 72,000.00 > 50,000: refused.
    for pricing in [None, Some(usd(dec!(108000)))] {
        let q = quote_refund(&az(), d("2025-03-01"), &Reservation { pricing_unit_price: pricing, ..usd_108k() }, 1, &[]).unwrap();
        assert_eq!(q.remaining_commitment, usd(dec!(72000.00)));
        assert_eq!(error_codes(&q.policy_result.policy_errors), [PolicyErrorCode::RefundLimitExceeded]);
    }
}

#[test]
fn a_zero_usd_price_cannot_take_a_refund_past_the_limit() {
    // partner-center, USD 3,600 billed, 50,000 already counted, USD price 0.00.
    let r = Reservation {
        pricing_unit_price: Some(usd(dec!(0.00))),
        ..vm(Term::P3Y, BillingPlan::Upfront, "2024-03-01", 1, dec!(3600))
    };
    let err = quote_refund(&pc(), d("2025-03-01"), &r, 1, &counted_50k()).unwrap_err();
    assert_eq!(err.field, "reservation.pricingUnitPrice");
    // azure-current, EUR 3,300 billed, USD price 0.00.
    let eur = Reservation { unit_price: money(dec!(3300.00), "EUR"), ..r };
    let err = quote_refund(&az(), d("2025-03-01"), &eur, 1, &counted_50k()).unwrap_err();
    assert_eq!(err.field, "reservation.pricingUnitPrice");
    assert_eq!(err.kind, QuoteErrorKind::ZeroPricingUnitPrice);
    // With its real USD price the EUR refund is refused by the limit.
    let real = Reservation { pricing_unit_price: Some(usd(dec!(3600.00))), ..eur };
    let q = quote_refund(&az(), d("2025-03-01"), &real, 1, &counted_50k()).unwrap();
    assert_eq!(error_codes(&q.policy_result.policy_errors), [PolicyErrorCode::RefundLimitExceeded]);
}

#[test]
fn a_refund_refused_by_the_limit_still_reports_what_it_would_be() {
    let q = quote_refund(&az(), d("2025-03-01"), &usd_108k(), 1, &[]).unwrap();
    assert!(!q.is_allowed());
    // refund = B = P − U = 108,000 − 36,000, with the lines that add up to it, and no
    // "refused" line taking it back to zero.
    assert_eq!(q.refund_amount, usd(dec!(72000.00)));
    assert_eq!(q.refund_amount, q.pro_rated_base);
    assert_lines_add_up(&q);
    assert!(q.lines.iter().all(|l| l.reason != reason::REFUSED_BY_POLICY));
    // Nothing counts, and the ways out are reported.
    assert!(q.policy_result.counted_toward_limit.is_zero());
    assert_eq!(q.max_quantity_within_limit, Some(0));
    // RC = 108,000 − round(108,000 × E/1095) ≤ 50,000 from E = 589 (2025-10-11) on
    // (E = 588 leaves 50,005.48).
    assert_eq!(q.fits_on, Some(d("2025-10-11")));
    // Refused for its own state, a reservation has no refund to report.
    let expired = quote_refund(&az(), d("2027-03-01"), &usd_108k(), 1, &[]).unwrap();
    assert!(expired.refund_amount.is_zero());
    assert_lines_add_up(&expired);
}

#[test]
fn amounts_finer_than_the_currency_are_refused_naming_the_field() {
    // USD 100.005: rounding C first would give U 33.33 / refund 66.67 where the rule gives 33.34 / 66.66.
    let r = vm(Term::P3Y, BillingPlan::Upfront, "2024-03-01", 1, dec!(100.005));
    let err = quote_refund(&az(), d("2025-03-01"), &r, 1, &[]).unwrap_err();
    assert_eq!(err.field, "reservation.unitPrice.amount");
    assert_eq!(err.kind, QuoteErrorKind::TooManyDecimals { currency: Currency::USD, minor_units: 2 });
    // JPY 1000.50: yen have no minor unit.
    let yen = Reservation { unit_price: money(dec!(1000.50), "JPY"), pricing_unit_price: Some(usd(dec!(7))), ..r.clone() };
    assert_eq!(quote_refund(&pc(), d("2025-03-01"), &yen, 1, &[]).unwrap_err().field, "reservation.unitPrice.amount");
    // Trailing zeros are not precision: 100.500 is 100.50.
    let ok = vm(Term::P3Y, BillingPlan::Upfront, "2024-03-01", 1, dec!(100.500));
    assert_eq!(quote_refund(&az(), d("2025-03-01"), &ok, 1, &[]).unwrap().refund_amount, usd(dec!(67.00)));
    // The same for a USD price, a ledger entry and a purchase.
    let eur = Reservation { unit_price: money(dec!(90.00), "EUR"), pricing_unit_price: Some(usd(dec!(100.001))), ..ok.clone() };
    assert_eq!(quote_refund(&az(), d("2025-03-01"), &eur, 1, &[]).unwrap_err().field, "reservation.pricingUnitPrice.amount");
    let ledger = [PriorRefund { date: d("2025-01-01"), amount: usd(dec!(16666.665)) }];
    assert_eq!(quote_refund(&az(), d("2025-03-01"), &ok, 1, &ledger).unwrap_err().field, "priorRefunds[0].amount.amount");
    let p = purchase(Term::P1Y, BillingPlan::Upfront, 1, usd(dec!(10.001)));
    let err = quote_exchange(&az(), d("2025-03-01"), &[ExchangeReturn { reservation: ok, quantity: 1 }], &[p]).unwrap_err();
    assert_eq!(err.field, "purchases[0].unitPrice.amount");
}

#[test]
fn tiny_monthly_commitments_hand_out_minor_units_evenly() {
    // USD 1.00 over 60 months: forty of 0.02, then twenty of 0.01.
    let c = usd(dec!(1.00));
    let s = installment_schedule(c, d("2022-07-31"), Term::P5Y).unwrap();
    assert!(s[..40].iter().all(|i| i.amount == usd(dec!(0.02))));
    assert!(s[40..].iter().all(|i| i.amount == usd(dec!(0.01))));
    // As of 2022-11-28 four installments were due (Jul 31, Aug 31, Sep 30, Oct 31): 0.08 paid.
    let r = vm(Term::P5Y, BillingPlan::Monthly, "2022-07-31", 1, dec!(1.00));
    let q = quote_refund(&pc(), d("2022-11-28"), &r, 1, &[]).unwrap();
    assert_eq!(q.installments_paid, 4);
    assert_eq!(q.total_paid, usd(dec!(0.08)));
    assert_lines_add_up(&q);
    // An exchange purchase of the same kind is due its first installment, 0.02.
    let big = vm(Term::P5Y, BillingPlan::Upfront, "2022-07-31", 1, dec!(100.00));
    let p = purchase(Term::P5Y, BillingPlan::Monthly, 1, usd(dec!(1.00)));
    let x = quote_exchange(&pc(), d("2022-11-28"), &[ExchangeReturn { reservation: big, quantity: 1 }], &[p]).unwrap();
    assert_eq!(x.purchases_total, usd(dec!(0.02)));
}

#[test]
fn the_regular_installment_rule_holds_down_to_where_the_last_would_go_negative() {
    // 0.59 over 60: round(0.59/60) = 0.01, 59 × 0.01 = 0.59, the last is 0.00: the installment rule.
    let s = installment_schedule(usd(dec!(0.59)), d("2025-01-15"), Term::P5Y).unwrap();
    assert!(s[..59].iter().all(|i| i.amount == usd(dec!(0.01))));
    assert_eq!(s[59].amount, usd(dec!(0.00)));
    // 0.58: the rule would leave −0.01 last; instead 58 of 0.01, then two of 0.00.
    let s = installment_schedule(usd(dec!(0.58)), d("2025-01-15"), Term::P5Y).unwrap();
    assert!(s[..58].iter().all(|i| i.amount == usd(dec!(0.01))));
    assert!(s[58..].iter().all(|i| i.amount == usd(dec!(0.00))));
    // 1000.00 over 36 keeps the rule: 35 of 27.78 and 27.70 last.
    let s = installment_schedule(usd(dec!(1000.00)), d("2025-01-15"), Term::P3Y).unwrap();
    assert_eq!((s[0].amount, s[35].amount), (usd(dec!(27.78)), usd(dec!(27.70))));
}

#[test]
fn a_window_already_over_the_limit_refuses_a_refund_that_counts_nothing() {
    // USD 0.01 P1Y, 200 days in: U = round(0.01 × 200/365) = 0.01, so RC (what counts) is 0.00.
    let r = vm(Term::P1Y, BillingPlan::Upfront, "2025-01-01", 1, dec!(0.01));
    let as_of = d("2025-07-20");
    let over = [PriorRefund { date: d("2025-03-01"), amount: usd(dec!(60000.00)) }];
    let q = quote_refund(&az(), as_of, &r, 1, &over).unwrap();
    assert_eq!(q.remaining_commitment, usd(dec!(0.00)));
    assert_eq!(error_codes(&q.policy_result.policy_errors), [PolicyErrorCode::RefundLimitExceeded]);
    // Exactly at the limit, 0.00 more still fits: consumed + counted ≤ limit.
    let at_limit = [PriorRefund { date: d("2025-03-01"), amount: usd(dec!(50000.00)) }];
    assert!(quote_refund(&az(), as_of, &r, 1, &at_limit).unwrap().is_allowed());
}

#[test]
fn prior_refunds_are_summed_exactly() {
    // 16,666.67 + 16,666.66 + 16,666.66 = 49,999.99: one cent of headroom, exactly.
    let ledger: Vec<PriorRefund> = [dec!(16666.67), dec!(16666.66), dec!(16666.66)]
        .into_iter()
        .map(|a| PriorRefund { date: d("2025-02-01"), amount: usd(a) })
        .collect();
    let w = refund_window(&az(), d("2025-03-01"), &ledger).unwrap();
    assert_eq!(w.consumed, usd(dec!(49999.99)));
    assert_eq!(w.headroom, usd(dec!(0.01)));
    // A reservation whose canceled commitment is 0.01 fits; 0.02 does not.
    let one_cent = vm(Term::P1Y, BillingPlan::Upfront, "2025-03-01", 2, dec!(0.01));
    assert!(quote_refund(&az(), d("2025-03-01"), &one_cent, 1, &ledger).unwrap().is_allowed());
    let q = quote_refund(&az(), d("2025-03-01"), &one_cent, 2, &ledger).unwrap();
    assert_eq!(error_codes(&q.policy_result.policy_errors), [PolicyErrorCode::RefundLimitExceeded]);
    assert_eq!(q.max_quantity_within_limit, Some(1));
}

#[test]
fn an_amount_with_more_digits_than_decimal_holds_is_refused_not_rounded() {
    // Found by the long run (`amount text`): rust_decimal's parser rounds past 28 to 29
    // significant digits, so USD 100.00000000000000000000000000001 read as 100.00 and was quoted,
    // and a ledger entry of 49,999.990000000000000000000000001 counted as 49,999.99.
    use std::str::FromStr;
    let sneaky = "100.00000000000000000000000000001";
    assert_eq!(rust_decimal::Decimal::from_str(sneaky).unwrap().normalize(), dec!(100));
    assert_eq!(parse_amount(sneaky), None);
    let body = |unit: &str, ledger: &str| {
        serde_json::json!({ "policy": "azure-current", "asOf": "2025-03-01",
            "reservation": { "reservedResourceType": "VirtualMachines", "term": "P1Y", "billingPlan": "Upfront",
                "purchaseDate": "2024-09-01", "quantity": 1, "unitPrice": {"amount": unit, "currencyCode": "USD"}, "hasUsage": true },
            "quantity": 1, "priorRefunds": [{"date": "2025-01-01", "amount": {"amount": ledger, "currencyCode": "USD"}}] })
        .to_string()
    };
    let field = |text: String| {
        let mut parser = serde_json::Deserializer::from_str(&text);
        let err = serde_path_to_error::deserialize::<_, api::RefundQuoteRequest>(&mut parser).unwrap_err();
        err.path().to_string()
    };
    assert_eq!(field(body(sneaky, "0.00")), "reservation.unitPrice.amount");
    assert_eq!(field(body("100.00", "49999.990000000000000000000000001")), "priorRefunds[0].amount.amount");
    // Exact values keep their digits, and trailing zeros past Decimal's scale are not precision.
    assert_eq!(parse_amount("80.000000188313311988287356962"), None);
    assert_eq!(parse_amount(&format!("100.{}", "0".repeat(30))), Some(dec!(100)));
    let request: api::RefundQuoteRequest = serde_json::from_str(&body("100.00", "0.00")).unwrap();
    assert_eq!(request.reservation.unit_price, usd(dec!(100.00)));
}
