//! Microsoft's worked examples from the issue.

mod common;

use common::*;
use quote_engine::*;
use rust_decimal_macros::dec;

/// A 36-month reservation at USD 100/month (USD 3,600) returned after 12 months of a 1,095-day
/// term leaves a canceled commitment of USD 2,400 and headroom USD 47,600, released 365 days later.
#[test]
fn usd_3600_returned_after_12_months() {
    let policy = Policy::azure_current();
    let r = vm(Term::P3Y, BillingPlan::Monthly, "2024-03-01", 1, dec!(3600));
    let as_of = d("2025-03-01");
    let q = quote_refund(&policy, as_of, &r, 1, &[]).unwrap();
    assert_eq!(q.term_days, 1095);
    assert_eq!(q.elapsed_days, 365);
    assert!(q.is_allowed());
    assert_eq!(q.used_amount, usd(dec!(1200.00)));
    assert_eq!(q.remaining_commitment, usd(dec!(2400.00)));
    assert_eq!(q.policy_result.counted_toward_limit, usd(dec!(2400.00)));
    // 13 installments of 100 are due by the 12-month anniversary (the 13th falls on as-of).
    assert_eq!(q.total_paid, usd(dec!(1300.00)));
    assert_eq!(q.canceled_future_payments, usd(dec!(2300.00)));
    assert_eq!(q.refund_amount, usd(dec!(100.00)));

    let ledger = [PriorRefund {
        date: as_of,
        amount: q.policy_result.counted_toward_limit,
    }];
    let w = refund_window(&policy, as_of, &ledger).unwrap();
    assert_eq!(w.consumed, usd(dec!(2400.00)));
    assert_eq!(w.headroom, usd(dec!(47600.00)));
    assert_eq!(w.entries[0].released_on, Some(d("2026-03-01")));
    assert_eq!(
        refund_window(&policy, d("2026-02-28"), &ledger)
            .unwrap()
            .headroom,
        usd(dec!(47600.00))
    );
    assert_eq!(
        refund_window(&policy, d("2026-03-01"), &ledger)
            .unwrap()
            .headroom,
        usd(dec!(50000.00))
    );
}

/// A USD 108,000 monthly reservation cannot be refunded under `azure-current` until at least
/// USD 58,000 of it is used.
#[test]
fn usd_108000_monthly_needs_58000_used() {
    let policy = Policy::azure_current();
    let r = vm(
        Term::P3Y,
        BillingPlan::Monthly,
        "2024-03-01",
        1,
        dec!(108000),
    );
    let q = quote_refund(&policy, d("2024-03-01"), &r, 1, &[]).unwrap();
    assert_eq!(
        error_codes(&q.policy_result.policy_errors),
        [PolicyErrorCode::RefundLimitExceeded]
    );
    assert_eq!(q.max_quantity_within_limit, Some(0));
    let fits_on = q.fits_on.unwrap();
    let ok = quote_refund(&policy, fits_on, &r, 1, &[]).unwrap();
    assert!(ok.is_allowed());
    assert!(ok.used_amount.amount >= dec!(58000));
    let day_before = fits_on.pred_opt().unwrap();
    let refused = quote_refund(&policy, day_before, &r, 1, &[]).unwrap();
    assert!(!refused.is_allowed());
    assert!(refused.used_amount.amount < dec!(58000));
    // 108000 × 589 / 1095 = 58093.15 ≥ 58000 > 108000 × 588 / 1095 = 57994.52
    assert_eq!(ok.elapsed_days, 589);
}
