//! Generators and the counting runner shared by `properties.rs` (512 cases per property) and
//! `long_run.rs` (the opt-in run of millions of inputs, `scripts/long-run.sh`).
//!
//! A test file that uses them declares `mod common; mod strategies;`.
#![allow(dead_code)]

use std::cell::Cell;

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use quote_engine::*;
use rust_decimal::Decimal;

use crate::common::*;

/// What one property ran: the cases it really evaluated and how many reached each branch.
#[derive(Clone, Debug)]
pub struct Tally {
    /// The property's name.
    pub name: String,
    /// Cases evaluated (each one generated input through the property).
    pub total: u64,
    /// Cases per expected branch.
    pub branches: Vec<(&'static str, u64)>,
}

/// Runs `property` on `cases` values of `strategy` (from `seed` when given, else a random seed);
/// `property` returns the name of the branch the case reached (or `None`). Panics on the first
/// failing case (after proptest has shrunk it), and when a branch of `expected` was reached by
/// fewer cases than [`min_count`] allows for its share. Each share is the one seen over 20,000
/// cases (measured 2026-11-24 with `LONG_RUN_INPUTS=140000` and `PROPTEST_CASES=20000`): sampling
/// noise passes, a strategy that stops reaching a branch fails.
pub fn check<S: Strategy>(
    name: &str,
    cases: u32,
    seed: Option<[u8; 32]>,
    strategy: S,
    expected: &[(&'static str, f64)],
    property: impl Fn(S::Value) -> Result<Option<&'static str>, TestCaseError>,
) -> Tally
where
    S::Value: std::fmt::Debug,
{
    let counts: Vec<Cell<u64>> = expected.iter().map(|_| Cell::new(0)).collect();
    let total = Cell::new(0u64);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = match seed {
        Some(seed) => TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed)),
        None => TestRunner::new(config),
    };
    let result = runner.run(&strategy, |value| {
        total.set(total.get() + 1);
        let branch = property(value)?;
        if let Some(i) = expected.iter().position(|(b, _)| Some(*b) == branch) {
            counts[i].set(counts[i].get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    let tally = Tally {
        name: name.to_owned(),
        total: total.get(),
        branches: expected.iter().zip(&counts).map(|((b, _), c)| (*b, c.get())).collect(),
    };
    for ((branch, share), (_, count)) in expected.iter().zip(&tally.branches) {
        let min = min_count(tally.total, *share);
        eprintln!("{name}: {branch} in {count} of {} cases", tally.total);
        assert!(
            *count >= min,
            "{name}: only {count} of {} cases reached `{branch}` (want ≥ {min}: {:.1} % seen over many runs)",
            tally.total,
            share * 100.0
        );
    }
    tally
}

/// The fewest of `cases` that must reach a branch seen in `share` of cases over many runs: the
/// largest count `k` whose Chernoff bound P(count ≤ k) ≤ exp(−cases · KL(k/cases ‖ share)) is
/// below one in ten million (a bound that holds for every share, unlike the normal one near 1),
/// so sampling noise never fails a run in practice. Share 1 means every case; share 0 none needed.
pub fn min_count(cases: u64, share: f64) -> u64 {
    if share <= 0.0 || cases == 0 {
        return 0;
    }
    if share >= 1.0 {
        return cases;
    }
    let n = cases as f64;
    let kl = |a: f64| {
        let x = if a > 0.0 { a * (a / share).ln() } else { 0.0 };
        x + (1.0 - a) * ((1.0 - a) / (1.0 - share)).ln()
    };
    let limit = (1e-7f64).ln();
    (0..=(n * share).floor() as u64).rev().find(|&k| -n * kl(k as f64 / n) <= limit).map_or(0, |k| k + 1)
}

pub fn term() -> impl Strategy<Value = Term> {
    prop_oneof![Just(Term::P1Y), Just(Term::P3Y), Just(Term::P5Y)]
}

pub fn plan() -> impl Strategy<Value = BillingPlan> {
    prop_oneof![Just(BillingPlan::Upfront), Just(BillingPlan::Monthly)]
}

pub fn date() -> impl Strategy<Value = NaiveDate> {
    (0u64..5000).prop_map(|n| d("2018-01-01") + Days::new(n))
}

/// Reservations in USD, EUR (with a USD price) or JPY, whole-term unit prices in USD cents from `cents`.
pub fn reservation_priced(cents: std::ops::RangeInclusive<i64>) -> impl Strategy<Value = Reservation> {
    (term(), plan(), date(), 1u32..=10, cents, 0usize..3, any::<bool>()).prop_map(
        |(term, plan, purchase, quantity, cents, currency, has_usage)| {
            let usd_price = Decimal::new(cents, 2);
            let (unit_price, pricing) = match currency {
                0 => (usd(usd_price), None),
                // EUR at 0.9 per USD, to the cent; the limit still counts the USD price.
                1 => (money(Decimal::new(cents * 9, 3).round_dp(2), "EUR"), Some(usd(usd_price))),
                _ => (money(Decimal::new(cents * 15, 2).round(), "JPY"), Some(usd(usd_price))),
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
                expiry_date: None,
                current_unit_price: None,
                sku_name: None,
            }
        },
    )
}

/// Up to USD 1,000,000 per unit: most refunds are far beyond the limit.
pub fn reservation() -> impl Strategy<Value = Reservation> {
    reservation_priced(0..=100_000_000)
}

/// USD 100 to 15,000 per unit: refunds of the same order as the limit's headroom.
pub fn reservation_near_limit() -> impl Strategy<Value = Reservation> {
    reservation_priced(10_000..=1_500_000)
}

/// A day inside the reservation's term (`share` of the way through, in thousandths).
pub fn within_term(r: &Reservation, thousandths: u32) -> NaiveDate {
    let expiry = expiry_date(r.purchase_date, r.term).unwrap();
    let days = (expiry - r.purchase_date).num_days() as u64;
    r.purchase_date + Days::new(days * u64::from(thousandths) / 1000)
}

pub fn ledger() -> impl Strategy<Value = Vec<PriorRefund>> {
    prop::collection::vec(
        (date(), 0i64..=3_000_000).prop_map(|(date, cents)| PriorRefund { date, amount: usd(Decimal::new(cents, 2)) }),
        0..6,
    )
}

/// A ledger dated around `as_of` (from 400 days before to 10 days after), summing to tens of thousands.
pub fn ledger_around(as_of: NaiveDate) -> impl Strategy<Value = Vec<PriorRefund>> {
    prop::collection::vec(
        (0u64..410, 500_000i64..=2_000_000).prop_map(move |(back, cents)| PriorRefund {
            date: as_of + Days::new(10) - Days::new(back),
            amount: usd(Decimal::new(cents, 2)),
        }),
        1..5,
    )
}

pub fn policy() -> impl Strategy<Value = Policy> {
    prop_oneof![Just(Policy::partner_center_2020()), Just(Policy::azure_current())]
}

/// As-of dates around the term: a little before, inside, and after.
pub fn at(r: &Reservation, offset: i64) -> NaiveDate {
    if offset >= 0 {
        r.purchase_date + Days::new(offset as u64)
    } else {
        r.purchase_date - Days::new(offset.unsigned_abs())
    }
}

/// An as-of date from an offset: below 0, days before the purchase; 0..1100, thousandths of the
/// term (past 1000: expired).
pub fn as_of_at(r: &Reservation, offset: i64) -> NaiveDate {
    if offset < 0 { at(r, offset) } else { within_term(r, offset as u32) }
}

pub fn is_refused_by_limit(q: &RefundQuote) -> bool {
    q.policy_result.policy_errors.iter().any(|e| e.code == PolicyErrorCode::RefundLimitExceeded)
}

/// A valid refund request as text, for the mutation fuzzers.
pub fn refund_request_text(plan: &str, amount: &str, pricing: &str, ledger: &str) -> String {
    serde_json::json!({
        "policy": "azure-current", "asOf": "2026-11-22",
        "reservation": { "reservedResourceType": "VirtualMachines", "term": "P3Y", "billingPlan": plan,
            "purchaseDate": "2025-03-01", "quantity": 4, "unitPrice": {"amount": amount, "currencyCode": "EUR"},
            "pricingUnitPrice": {"amount": pricing, "currencyCode": "USD"}, "hasUsage": true },
        "quantity": 2, "priorRefunds": [{"date": "2026-05-01", "amount": {"amount": ledger, "currencyCode": "USD"}}]
    })
    .to_string()
}

/// One edit of a request text: where, which operation (0: change a digit, 1: replace, 2: insert,
/// 3: remove a byte), and the byte.
pub type TextEdit = (prop::sample::Index, u8, u8);

/// One to `max` edits, most of them digit changes (the text stays JSON and reaches the engine
/// with other dates, amounts and quantities).
pub fn text_edits(max: usize) -> impl Strategy<Value = Vec<TextEdit>> {
    let edit = (
        any::<prop::sample::Index>(),
        prop_oneof![6 => Just(0u8), 1 => Just(1), 1 => Just(2), 1 => Just(3)],
        prop::sample::select(b"0123456789.-\"{}[],:eE xP".to_vec()),
    );
    prop::collection::vec(edit, 1..=max)
}

/// Applies `edits` to `text`; `None` when the result is not UTF-8.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> Option<String> {
    let mut text = text.as_bytes().to_vec();
    for (at, op, byte) in edits {
        let i = at.index(text.len().max(1)).min(text.len().saturating_sub(1));
        match op {
            0 => {
                let digits: Vec<usize> = (0..text.len()).filter(|&i| text[i].is_ascii_digit()).collect();
                if !digits.is_empty() {
                    text[digits[at.index(digits.len())]] = b'0' + (byte % 10);
                }
            }
            _ if text.is_empty() => text.push(*byte),
            1 => text[i] = *byte,
            2 => text.insert(i, *byte),
            _ => drop(text.remove(i)),
        }
    }
    String::from_utf8(text).ok()
}
