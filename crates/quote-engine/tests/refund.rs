//! Refund quotes: every row of both presets, every refund error code, leap years, monthly plans,
//! partial quantities, zero-decimal currencies and the refund cap.

mod common;

use common::*;
use quote_engine::*;
use rust_decimal_macros::dec;

const PURCHASE: &str = "2024-03-01"; // P3Y → 2027-03-01, T = 1095 (no 29 Feb inside)

fn pc() -> Policy {
    Policy::partner_center_2020()
}
fn az() -> Policy {
    Policy::azure_current()
}

fn upfront(has_usage: bool) -> Reservation {
    Reservation {
        has_usage,
        expiry_date: None,
        ..vm(Term::P3Y, BillingPlan::Upfront, PURCHASE, 4, dec!(3600))
    }
}

fn assert_lines_add_up(q: &RefundQuote) {
    assert_eq!(
        lines_sum(q.refund_amount.currency, &q.lines),
        q.refund_amount,
        "{:#?}",
        q.lines
    );
}

fn reasons(q: &RefundQuote) -> Vec<&str> {
    q.lines.iter().map(|l| l.reason.as_ref()).collect()
}

#[test]
fn partner_center_within_5_days_no_usage_refunds_everything_paid() {
    let q = quote_refund(&pc(), d("2024-03-06"), &upfront(false), 1, &[]).unwrap();
    assert_eq!(q.elapsed_days, 5);
    assert_eq!(q.term_days, 1095);
    assert_eq!(q.refund_amount, usd(dec!(3600.00)));
    assert_eq!(q.early_termination_fee, usd(dec!(0.00)));
    assert_eq!(reasons(&q), ["full-refund-within-grace"]);
    assert!(q.is_allowed());
    assert_lines_add_up(&q);
}

#[test]
fn partner_center_within_5_days_with_usage_is_pro_rated_without_fee() {
    let q = quote_refund(&pc(), d("2024-03-06"), &upfront(true), 1, &[]).unwrap();
    // U = round(3600 × 5 / 1095) = 16.44
    assert_eq!(q.used_amount, usd(dec!(16.44)));
    assert_eq!(q.refund_amount, usd(dec!(3583.56)));
    assert_eq!(q.early_termination_fee.amount, dec!(0));
    assert_eq!(reasons(&q), ["paid-to-date", "pro-rated"]);
    assert_lines_add_up(&q);
}

#[test]
fn partner_center_after_5_days_charges_12_percent_of_base() {
    for has_usage in [false, true] {
        let q = quote_refund(&pc(), d("2024-03-07"), &upfront(has_usage), 1, &[]).unwrap();
        assert_eq!(q.elapsed_days, 6);
        // U = round(3600 × 6 / 1095) = 19.73; B = 3580.27; fee = round(429.6324) = 429.63
        assert_eq!(q.pro_rated_base, usd(dec!(3580.27)));
        assert_eq!(q.early_termination_fee, usd(dec!(429.63)));
        assert_eq!(q.refund_amount, usd(dec!(3150.64)));
        assert_eq!(
            reasons(&q),
            ["paid-to-date", "pro-rated", "early-termination-fee-12pct"]
        );
        assert_lines_add_up(&q);
    }
    let q = quote_refund(&pc(), d("2025-03-01"), &upfront(true), 1, &[]).unwrap();
    // Each line carries its figures as data, for an explanation in the user's language.
    let details: Vec<&LineDetail> = q.lines.iter().map(|l| &l.detail).collect();
    assert_eq!(
        details,
        [
            &LineDetail::PaidUpfront,
            &LineDetail::Used { days: 365, term_days: 1095 },
            &LineDetail::Fee { rate_percent: dec!(12), base: usd(dec!(2400.00)) },
        ]
    );
    // A line stored before lines carried figures still reads, as Unknown.
    let mut stored = serde_json::to_value(&q.lines[0]).unwrap();
    stored.as_object_mut().unwrap().remove("detail");
    assert_eq!(serde_json::from_value::<QuoteLine>(stored).unwrap().detail, LineDetail::Unknown);
    assert_eq!(q.used_amount, usd(dec!(1200.00)));
    assert_eq!(q.early_termination_fee, usd(dec!(288.00)));
    assert_eq!(q.refund_amount, usd(dec!(2112.00)));
}

#[test]
fn azure_current_has_no_grace_and_no_fee() {
    for (as_of, refund) in [
        ("2024-03-01", dec!(3600.00)),
        ("2024-03-06", dec!(3583.56)),
        ("2025-03-01", dec!(2400.00)),
    ] {
        let q = quote_refund(&az(), d(as_of), &upfront(false), 1, &[]).unwrap();
        assert_eq!(q.refund_amount, usd(refund), "{as_of}");
        assert_eq!(q.early_termination_fee.amount, dec!(0));
        assert!(!reasons(&q)
            .iter()
            .any(|r| r.starts_with("early-termination-fee")));
        assert!(!reasons(&q).contains(&"full-refund-within-grace"));
        assert_lines_add_up(&q);
    }
}

#[test]
fn not_started_expired_and_invalid_quantity_are_policy_errors() {
    let r = upfront(true);
    for policy in [pc(), az()] {
        let q = quote_refund(&policy, d("2024-02-29"), &r, 1, &[]).unwrap();
        assert_eq!(
            error_codes(&q.policy_result.policy_errors),
            [PolicyErrorCode::ReservationNotStarted]
        );
        assert_eq!(q.refund_amount.amount, dec!(0));
        assert_lines_add_up(&q);
        // Expiry day itself is expired; the day before is not.
        let q = quote_refund(&policy, d("2027-03-01"), &r, 1, &[]).unwrap();
        assert_eq!(
            error_codes(&q.policy_result.policy_errors),
            [PolicyErrorCode::ReservationExpired]
        );
        assert_eq!(q.refund_amount.amount, dec!(0));
        assert_lines_add_up(&q);
        let q = quote_refund(&policy, d("2027-02-28"), &r, 1, &[]).unwrap();
        assert!(q.is_allowed());
        // U = round(3600 × 1094 / 1095) = 3596.71; B = 3.29; partner-center fee round(0.3948) = 0.39.
        let expected = if policy.early_termination_fee_enabled {
            dec!(2.90)
        } else {
            dec!(3.29)
        };
        assert_eq!(q.refund_amount, usd(expected));
        for bad in [0, 5] {
            let q = quote_refund(&policy, d("2025-01-01"), &r, bad, &[]).unwrap();
            assert_eq!(
                error_codes(&q.policy_result.policy_errors),
                [PolicyErrorCode::InvalidRefundQuantity]
            );
            assert_eq!(q.refund_amount.amount, dec!(0));
            assert_eq!(q.lines.last().unwrap().reason, "refused-by-policy");
            assert_lines_add_up(&q);
        }
    }
}

#[test]
fn partial_quantities_scale_the_commitment() {
    let q = quote_refund(&az(), d("2025-03-01"), &upfront(true), 3, &[]).unwrap();
    assert_eq!(q.commitment, usd(dec!(10800.00)));
    assert_eq!(q.refund_amount, usd(dec!(7200.00)));
    let q4 = quote_refund(&az(), d("2025-03-01"), &upfront(true), 4, &[]).unwrap();
    assert_eq!(q4.refund_amount, usd(dec!(9600.00)));
}

#[test]
fn leap_year_terms_have_366_day_years() {
    // 2025-03-01 + 3 years crosses 29 Feb 2028: T = 1096.
    let r = vm(Term::P3Y, BillingPlan::Upfront, "2025-03-01", 1, dec!(1096));
    let q = quote_refund(&az(), d("2026-03-01"), &r, 1, &[]).unwrap();
    assert_eq!(q.term_days, 1096);
    assert_eq!(q.used_amount, usd(dec!(365.00)));
    let r = vm(Term::P1Y, BillingPlan::Upfront, "2027-06-01", 1, dec!(366));
    let q = quote_refund(&az(), d("2028-03-01"), &r, 1, &[]).unwrap();
    assert_eq!(q.term_days, 366);
    assert_eq!(q.elapsed_days, 274);
    assert_eq!(q.used_amount, usd(dec!(274.00)));
}

#[test]
fn feb_29_purchase_expires_feb_28() {
    let r = vm(Term::P1Y, BillingPlan::Upfront, "2024-02-29", 1, dec!(365));
    let q = quote_refund(&az(), d("2025-02-27"), &r, 1, &[]).unwrap();
    assert_eq!(q.expiry_date, d("2025-02-28"));
    assert_eq!(q.term_days, 365);
    assert_eq!(q.refund_amount, usd(dec!(1.00)));
    let q = quote_refund(&az(), d("2025-02-28"), &r, 1, &[]).unwrap();
    assert_eq!(
        error_codes(&q.policy_result.policy_errors),
        [PolicyErrorCode::ReservationExpired]
    );
}

#[test]
fn monthly_plan_pays_installments_due_on_or_before_as_of() {
    let r = vm(Term::P1Y, BillingPlan::Monthly, "2025-01-31", 1, dec!(1000));
    let s = installment_schedule(usd(dec!(1000.00)), d("2025-01-31"), Term::P1Y).unwrap();
    assert_eq!(
        s.iter().map(|i| i.amount.amount).collect::<Vec<_>>()[10..],
        [dec!(83.33), dec!(83.37)]
    );
    // Day 0: first installment only.
    let q = quote_refund(&az(), d("2025-01-31"), &r, 1, &[]).unwrap();
    assert_eq!((q.installments_paid, q.installments), (1, 12));
    assert_eq!(q.total_paid, usd(dec!(83.33)));
    assert_eq!(q.canceled_future_payments, usd(dec!(916.67)));
    assert_eq!(q.refund_amount, usd(dec!(83.33)));
    // 28 Feb is the second due date (31 Jan + 1 month, clamped).
    let q = quote_refund(&az(), d("2025-02-28"), &r, 1, &[]).unwrap();
    assert_eq!(q.installments_paid, 2);
    assert_eq!(q.total_paid, usd(dec!(166.66)));
    // Last installment due 31 Dec 2025: everything is paid, the remainder included.
    let q = quote_refund(&az(), d("2025-12-31"), &r, 1, &[]).unwrap();
    assert_eq!(q.installments_paid, 12);
    assert_eq!(q.total_paid, usd(dec!(1000.00)));
    assert_eq!(q.canceled_future_payments.amount, dec!(0));
    // Installments are paid in advance, so the base stays small but positive.
    let q = quote_refund(&az(), d("2025-02-27"), &r, 1, &[]).unwrap();
    assert_eq!(q.used_amount, usd(dec!(73.97)));
    assert_eq!(q.refund_amount, usd(dec!(9.36)));
    let q = quote_refund(&az(), d("2025-12-30"), &r, 1, &[]).unwrap();
    assert_eq!(q.total_paid, usd(dec!(916.63)));
    assert_eq!(q.used_amount, usd(dec!(912.33)));
    assert_eq!(q.refund_amount, usd(dec!(4.30)));
    assert_lines_add_up(&q);
}

#[test]
fn yen_amounts_have_no_minor_unit() {
    let r = Reservation {
        unit_price: money(dec!(1000001), "JPY"),
        pricing_unit_price: Some(usd(dec!(6700))),
        ..vm(Term::P1Y, BillingPlan::Upfront, "2025-01-01", 2, dec!(0))
    };
    let q = quote_refund(&pc(), d("2025-04-01"), &r, 1, &[]).unwrap();
    // U = round(1000001 × 90 / 365) = round(246575.589...) = 246576
    assert_eq!(q.used_amount.amount.to_string(), "246576");
    assert_eq!(q.pro_rated_base.amount.to_string(), "753425");
    // fee = round(0.12 × 753425) = round(90411.0) = 90411
    assert_eq!(q.early_termination_fee.amount.to_string(), "90411");
    assert_eq!(q.refund_amount.amount.to_string(), "663014");
    assert_eq!(q.refund_amount.currency, Currency::JPY);
    assert_lines_add_up(&q);
    // A fraction of a yen is more precision than the currency has: refused, naming the field.
    let r = Reservation {
        unit_price: money(dec!(2.5), "JPY"),
        ..r
    };
    let err = quote_refund(&pc(), d("2025-01-01"), &r, 1, &[]).unwrap_err();
    assert_eq!(err.field, "reservation.unitPrice.amount");
}

#[test]
fn partner_center_cap_truncates_and_warns() {
    let ledger = [
        PriorRefund {
            date: d("2024-04-01"),
            amount: usd(dec!(49000)),
        },
        // Exactly 365 days before as-of: released, does not count.
        PriorRefund {
            date: d("2024-03-01"),
            amount: usd(dec!(10000)),
        },
    ];
    let q = quote_refund(&pc(), d("2025-03-01"), &upfront(true), 1, &ledger).unwrap();
    assert_eq!(q.policy_result.consumed_refunds_total, usd(dec!(49000.00)));
    assert_eq!(q.refund_amount, usd(dec!(1000.00)));
    assert_eq!(q.forfeited_amount, usd(dec!(1112.00)));
    assert_eq!(q.policy_result.counted_toward_limit, usd(dec!(1000.00)));
    assert!(q.is_allowed());
    assert_eq!(
        q.policy_result
            .warnings
            .iter()
            .map(|w| w.code)
            .collect::<Vec<_>>(),
        [WarningCode::RefundCapped]
    );
    assert_eq!(q.lines.last().unwrap().reason, "refund-cap-truncated");
    assert_lines_add_up(&q);
    // Headroom zero: everything forfeited.
    let full = [PriorRefund {
        date: d("2025-01-01"),
        amount: usd(dec!(50000)),
    }];
    let q = quote_refund(&pc(), d("2025-03-01"), &upfront(true), 1, &full).unwrap();
    assert_eq!(q.refund_amount, usd(dec!(0.00)));
    assert_eq!(q.forfeited_amount, usd(dec!(2112.00)));
}

#[test]
fn cap_is_counted_in_usd_for_other_currencies() {
    let r = Reservation {
        unit_price: money(dec!(3000), "EUR"),
        pricing_unit_price: Some(usd(dec!(3600))),
        ..upfront(true)
    };
    let ledger = [PriorRefund {
        date: d("2024-04-01"),
        amount: usd(dec!(49000)),
    }];
    let q = quote_refund(&pc(), d("2025-03-01"), &r, 1, &ledger).unwrap();
    // EUR refund 1760.00 (USD 2112.00); headroom USD 1000 → EUR 1760 × 1000 / 2112 = 833.33
    assert_eq!(q.refund_amount, money(dec!(833.33), "EUR"));
    assert_eq!(q.forfeited_amount, money(dec!(926.67), "EUR"));
    assert_eq!(q.policy_result.counted_toward_limit, usd(dec!(1000.00)));
    assert_lines_add_up(&q);
    // Under azure-current the USD canceled commitment is what counts.
    let q = quote_refund(&az(), d("2025-03-01"), &r, 1, &[]).unwrap();
    assert_eq!(q.refund_amount, money(dec!(2000.00), "EUR"));
    assert_eq!(q.policy_result.counted_toward_limit, usd(dec!(2400.00)));
}

#[test]
fn azure_current_refuses_over_the_limit_with_max_quantity_and_fits_on() {
    let r = vm(
        Term::P1Y,
        BillingPlan::Upfront,
        "2025-01-01",
        3,
        dec!(30000),
    );
    let q = quote_refund(&az(), d("2025-01-01"), &r, 3, &[]).unwrap();
    assert_eq!(
        error_codes(&q.policy_result.policy_errors),
        [PolicyErrorCode::RefundLimitExceeded]
    );
    // Refused, the quote still says what the refund would be (B), and counts nothing.
    assert_eq!(q.refund_amount, usd(dec!(90000.00)));
    assert!(reasons(&q).iter().all(|r| *r != "refused-by-policy"));
    assert_eq!(q.policy_result.counted_toward_limit.amount, dec!(0));
    assert_eq!(q.max_quantity_within_limit, Some(1));
    // RC(3) = 90000 × (1 − E/365) ≤ 50000 from E = 163 on.
    assert_eq!(q.fits_on, Some(d("2025-06-13")));
    assert_eq!((d("2025-06-13") - d("2025-01-01")).num_days(), 163);
    assert!(quote_refund(&az(), d("2025-06-13"), &r, 3, &[])
        .unwrap()
        .is_allowed());
    assert!(!quote_refund(&az(), d("2025-06-12"), &r, 3, &[])
        .unwrap()
        .is_allowed());
    assert!(quote_refund(&az(), d("2025-01-01"), &r, 1, &[])
        .unwrap()
        .is_allowed());
    assert_lines_add_up(&q);
    // A full window releases on its 365th day; then the quantity fits sooner.
    let ledger = [PriorRefund {
        date: d("2024-06-01"),
        amount: usd(dec!(50000)),
    }];
    let q = quote_refund(&az(), d("2025-01-01"), &r, 1, &ledger).unwrap();
    assert_eq!(q.max_quantity_within_limit, Some(0));
    assert_eq!(q.fits_on, Some(d("2025-06-01")));
    // Never fits before expiry: fits_on is None.
    let r = vm(
        Term::P1Y,
        BillingPlan::Upfront,
        "2025-01-01",
        1,
        dec!(100000000),
    );
    let q = quote_refund(&az(), d("2025-12-01"), &r, 1, &[]).unwrap();
    assert_eq!(q.fits_on, None);
    assert_eq!(q.max_quantity_within_limit, Some(0));
}

#[test]
fn malformed_input_is_an_error_naming_the_field() {
    let field = |r: &Reservation, ledger: &[PriorRefund]| {
        quote_refund(&az(), d("2025-03-01"), r, 1, ledger)
            .unwrap_err()
            .field
    };
    let mut r = upfront(true);
    r.unit_price = usd(dec!(-1));
    assert_eq!(field(&r, &[]), "reservation.unitPrice.amount");
    r.unit_price = usd(dec!(1000000000000001));
    assert_eq!(field(&r, &[]), "reservation.unitPrice.amount");
    r.unit_price = money(dec!(1), "EUR");
    assert_eq!(field(&r, &[]), "reservation.pricingUnitPrice");
    r.pricing_unit_price = Some(money(dec!(1), "GBP"));
    assert_eq!(field(&r, &[]), "reservation.pricingUnitPrice.currencyCode");
    r.pricing_unit_price = Some(usd(dec!(-1)));
    assert_eq!(field(&r, &[]), "reservation.pricingUnitPrice.amount");
    let mut r = upfront(true);
    r.quantity = 0;
    assert_eq!(field(&r, &[]), "reservation.quantity");
    let mut r = upfront(true);
    r.purchase_date = chrono::NaiveDate::MAX;
    assert_eq!(field(&r, &[]), "reservation.purchaseDate");
    let ledger = [PriorRefund {
        date: d("2025-01-01"),
        amount: money(dec!(1), "EUR"),
    }];
    assert_eq!(
        field(&upfront(true), &ledger),
        "priorRefunds[0].amount.currencyCode"
    );
    let err = quote_refund(&az(), d("2025-03-01"), &r, 1, &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "reservation.purchaseDate: date out of the supported range"
    );
}

#[test]
fn extreme_dates_and_amounts_do_not_panic() {
    let mut r = vm(
        Term::P5Y,
        BillingPlan::Monthly,
        "2025-01-01",
        u32::MAX,
        MAX_AMOUNT,
    );
    for as_of in [
        chrono::NaiveDate::MIN,
        chrono::NaiveDate::MAX,
        d("2025-01-01"),
        d("2027-01-01"),
    ] {
        for policy in [pc(), az()] {
            let q = quote_refund(&policy, as_of, &r, u32::MAX, &[]).unwrap();
            assert_lines_add_up(&q);
        }
    }
    r.purchase_date = chrono::NaiveDate::MIN;
    assert!(quote_refund(&az(), chrono::NaiveDate::MAX, &r, 1, &[]).is_ok());
}
