//! A finance controller's review of the customer statement (`desk_service::statement`) and its
//! match to Microsoft's invoice (`desk_service::reconciliation`). Every expected figure is worked
//! out by hand in the comments from the rules in `docs/statements.md`; a test that fails is a
//! finding, not a test to "fix" by changing its figures.

use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::NaiveDate;
use contract::{FixedPrice, InvoiceLine, MatchState, Move, MoveKind, PartnerPricing, PriceBasis, PriceInForce, Statement, StatementLine};
use desk_service::reconciliation::{read_file, reconcile};
use desk_service::statement::{month, pricing, statement};
use quote_engine::{BillingPlan, Currency, Money, Term};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const CUSTOMER: &str = "196e2273-9651-43a3-ba7e-7cbcd918fc40";

fn usd(a: Decimal) -> Money {
    Money::new(a, Currency::USD)
}

fn eur(a: Decimal) -> Money {
    Money::new(a, Currency::EUR)
}

fn jpy(a: Decimal) -> Money {
    Money::new(a, Currency::JPY)
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A move of order-1's Standard_D4s_v5 for a year, upfront, as an older desk recorded it (no
/// price with it).
fn mv(time: &str, kind: MoveKind, quantity: u32, microsoft: Money, paid: Option<Money>) -> Move {
    Move {
        time: time.to_owned(),
        day: day(&time[..10]),
        kind,
        reservation_order_id: Some("order-1".into()),
        reservation_id: Some("res-1".into()),
        orders: vec![],
        name: "VM_RI_D4s".into(),
        sku_name: "Standard_D4s_v5".into(),
        term: Term::P1Y,
        quantity,
        microsoft,
        paid_for_units: paid,
        ticket_reference: None,
        billing_plan: BillingPlan::Upfront,
        commitment: None,
        price_in_force: None,
    }
}

/// The same move recorded with the price in force when the money moved.
fn at(m: Move, markup: Decimal, fixed: Option<Money>) -> Move {
    let sku = m.sku_name.clone();
    Move {
        price_in_force: Some(PriceInForce {
            set_at: Some("2026-01-01T00:00:00Z".into()),
            markup_percent: markup,
            fixed: fixed.map(|unit_price| FixedPrice { sku_name: sku, term: m.term, unit_price }).into_iter().collect(),
        }),
        ..m
    }
}

fn of_order(m: Move, order: &str, sku: &str) -> Move {
    Move { reservation_order_id: Some(order.into()), sku_name: sku.into(), ..m }
}

fn monthly(m: Move, commitment: Money) -> Move {
    Move { billing_plan: BillingPlan::Monthly, commitment: Some(commitment), ..m }
}

fn markup(from: &str, percent: Decimal) -> PartnerPricing {
    PartnerPricing { from: from.into(), markup_percent: percent, fixed: vec![] }
}

/// The statement of `yyyy_mm`, read long after it closed.
fn of(yyyy_mm: &str, moves: &[Move], own: &[PartnerPricing]) -> Statement {
    statement("contoso", month(yyyy_mm).unwrap(), day("2030-01-01"), moves, own, &[])
}

fn customer(s: &Statement) -> Vec<Decimal> {
    s.lines.iter().map(|l| l.customer.amount).collect()
}

fn credited(s: &Statement) -> Decimal {
    s.lines.iter().filter(|l| l.r#move.kind.is_credit()).map(|l| l.customer.amount).sum()
}

// ---------------------------------------------------------------------------------------------
// Rounding and currencies
// ---------------------------------------------------------------------------------------------

#[test]
fn a_markup_rounds_each_line_half_to_even_and_totals_are_the_sums_of_the_rounded_lines() {
    // 100.05 × 1.5 = 150.075 → 150.08 (7 is odd: up to even 8); 100.15 × 1.5 = 150.225 → 150.22
    // (2 is even: stays; half-up would say 150.23). Total 300.30, Microsoft 200.20, margin 100.10.
    let a = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100.05)), None), dec!(50), None);
    let b = of_order(at(mv("2026-11-03T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100.15)), None), dec!(50), None), "order-2", "Standard_D4s_v5");
    let s = of("2026-11", &[a, b], &[]);
    assert_eq!(customer(&s), vec![dec!(150.08), dec!(150.22)]);
    assert_eq!(s.totals.len(), 1);
    let t = &s.totals[0];
    assert_eq!((t.customer.amount, t.charged.amount, t.credited.amount, t.microsoft.amount, t.margin.amount), (dec!(300.30), dec!(300.30), dec!(0), dec!(200.20), dec!(100.10)));
    assert_eq!(s.lines.iter().map(|l| l.margin.amount).collect::<Vec<_>>(), vec![dec!(50.03), dec!(50.07)]);
}

#[test]
fn yen_has_no_minor_unit_and_each_currency_is_totalled_apart_in_code_order() {
    // ¥12,345 × 1.1 = ¥13,579.5 → ¥13,580 (half to even: 9 is odd → 13,580).
    // $100 × 1.1 = $110; €200 × 1.1 = €220. Never mixed: three totals, EUR, JPY, USD.
    let y = of_order(at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, jpy(dec!(12345)), None), dec!(10), None), "order-y", "Standard_D4s_v5");
    let u = of_order(at(mv("2026-11-03T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100)), None), dec!(10), None), "order-u", "Standard_D4s_v5");
    let e = of_order(at(mv("2026-11-04T10:00:00Z", MoveKind::Purchase, 1, eur(dec!(200)), None), dec!(10), None), "order-e", "Standard_D4s_v5");
    let s = of("2026-11", &[y, u, e], &[]);
    assert_eq!(customer(&s), vec![dec!(13580), dec!(110), dec!(220)]);
    assert_eq!(s.totals.iter().map(|t| t.customer).collect::<Vec<_>>(), vec![eur(dec!(220)), jpy(dec!(13580)), usd(dec!(110))]);
    // ¥13,580 is written without decimals (scale 0), as the yen has no minor unit.
    assert_eq!(s.lines[0].customer.amount.scale(), 0);
}

#[test]
fn a_yen_fixed_price_billed_monthly_adds_up_over_the_term_to_the_fixed_price_exactly() {
    // Fixed ¥100,000 for one unit over a year, monthly: twelve whole-yen instalments adding up to
    // ¥100,000 exactly (8,333 × 11 + 8,337, or any split of whole yen that sums to 100,000).
    let bought = monthly(at(mv("2026-01-31T10:00:00Z", MoveKind::Purchase, 1, jpy(dec!(8000)), None), dec!(0), Some(jpy(dec!(100000)))), jpy(dec!(96000)));
    let mut sum = Decimal::ZERO;
    let mut lines = 0;
    for m in 1..=12 {
        let s = of(&format!("2026-{m:02}"), std::slice::from_ref(&bought), &[]);
        for l in &s.lines {
            assert_eq!(l.customer.amount, l.customer.amount.trunc(), "whole yen: {}", l.customer);
            sum += l.customer.amount;
            lines += 1;
        }
    }
    assert_eq!((lines, sum), (12, dec!(100000)));
    // The thirteenth month: the term is over, nothing is due.
    assert!(of("2027-01", &[bought], &[]).lines.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Prices that change between the purchase and the credit
// ---------------------------------------------------------------------------------------------

#[test]
fn a_markup_lowered_or_raised_after_the_purchase_credits_the_share_of_what_the_customer_paid() {
    // Bought 1 unit at +20 %: Microsoft 1,000, the customer 1,200. Markup then lowered to 0 %.
    // Microsoft credits 500 of its 1,000 (50 %): the customer gets 50 % of 1,200 = 600, not 500.
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(1000)), None), dec!(20), None);
    let lowered = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-500)), Some(usd(dec!(1000)))), dec!(0), None);
    assert_eq!(customer(&of("2026-11", &[bought.clone(), lowered], &[])), vec![dec!(1200), dec!(-600)]);
    // Raised to +100 %: still 600, not 1,000.
    let raised = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-500)), Some(usd(dec!(1000)))), dec!(100), None);
    assert_eq!(customer(&of("2026-11", &[bought, raised], &[])), vec![dec!(1200), dec!(-600)]);
}

#[test]
fn discounts_down_to_minus_100_percent_charge_and_credit_the_discounted_price() {
    // −25 %: Microsoft 1,000 → 750; Microsoft credits 500 (half) → 375.
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(1000)), None), dec!(-25), None);
    let back = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-500)), Some(usd(dec!(1000)))), dec!(10), None);
    let s = of("2026-11", &[bought, back], &[]);
    assert_eq!(customer(&s), vec![dec!(750), dec!(-375)]);
    assert_eq!(s.totals[0].margin.amount, dec!(-125), "(750 − 375) − (1,000 − 500)");
    // −100 %: given away, so nothing to credit back, whatever the markup on the day of the refund.
    let free = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(1000)), None), dec!(-100), None);
    let back = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-1000)), Some(usd(dec!(1000)))), dec!(50), None);
    let s = of("2026-11", &[free, back], &[]);
    assert_eq!(customer(&s), vec![dec!(0), dec!(0)]);
    assert_eq!(s.totals[0].customer.amount, dec!(0));
}

#[test]
fn a_fixed_price_added_removed_or_raised_after_the_purchase_leaves_the_credit_at_the_purchases_price() {
    // Bought at +10 %: Microsoft 1,200 → 1,320. A fixed price of 5,000 is added later. Microsoft
    // credits 600 of 1,200: the customer gets half of 1,320 = 660.
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(1200)), None), dec!(10), None);
    let added = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-600)), Some(usd(dec!(1200)))), dec!(0), Some(usd(dec!(5000))));
    assert_eq!(customer(&of("2026-11", &[bought, added], &[])), vec![dec!(1320), dec!(-660)]);
    // Bought at a fixed 1,500 (Microsoft 1,200); the fixed price removed (0 %): half back → 750.
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(1200)), None), dec!(0), Some(usd(dec!(1500))));
    let removed = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-600)), Some(usd(dec!(1200)))), dec!(0), None);
    assert_eq!(customer(&of("2026-11", &[bought.clone(), removed], &[])), vec![dec!(1500), dec!(-750)]);
    // Raised to 3,000: still 750.
    let raised = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-600)), Some(usd(dec!(1200)))), dec!(0), Some(usd(dec!(3000))));
    assert_eq!(customer(&of("2026-11", &[bought, raised], &[])), vec![dec!(1500), dec!(-750)]);
}

#[test]
fn legacy_moves_are_priced_by_the_history_at_their_time_and_the_credit_by_what_was_charged() {
    // No price recorded: the purchase on 2 Nov at the 10 % in force then (100 → 110); the markup
    // is raised to 20 % on 15 Nov; the whole refund on 20 Nov gives back 110, not 120.
    let history = [markup("2026-01-01T00:00:00Z", dec!(10)), markup("2026-11-15T00:00:00Z", dec!(20))];
    let s = of("2026-11", &[mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100)), None), mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-100)), Some(usd(dec!(100))))], &history);
    assert_eq!(customer(&s), vec![dec!(110), dec!(-110)]);
    assert_eq!(s.lines[1].customer_paid_for_units, Some(usd(dec!(110))));
}

#[test]
fn a_purchase_microsoft_charged_nothing_known_for_is_credited_by_the_refunds_paid_for_units_not_by_the_markup_of_the_day() {
    // Bought at a fixed 1,500 for 1 unit; Microsoft's figure for the purchase was not known
    // (recorded as 0). The refund records what Microsoft had charged for the unit (1,200) and
    // that it credits 600 of it: half. The customer gets half of its 1,500 = 750, whatever the
    // markup is on the day of the refund (+50 % here: "whatever the price is on the day of the
    // credit", docs/statements.md).
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(0)), None), dec!(0), Some(usd(dec!(1500))));
    let back = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-600)), Some(usd(dec!(1200)))), dec!(50), None);
    let s = of("2026-11", &[bought, back], &[]);
    assert_eq!(customer(&s), vec![dec!(1500), dec!(-750)], "the credit must not depend on the markup of the refund's day (600 × 1.5 = 900)");
}

// ---------------------------------------------------------------------------------------------
// Partial refunds, caps, rounding over several credits
// ---------------------------------------------------------------------------------------------

#[test]
fn a_whole_order_refunded_in_three_steps_gives_back_exactly_what_the_customer_was_charged() {
    // 3 units, Microsoft 1,000.00, +10 %: the customer paid 1,100.00. Microsoft gives back all it
    // charged in three refunds of one unit: 333.33 + 333.33 + 333.34 = 1,000.00 (100 %). The
    // customer must get back 1,100.00 in all, to the cent (the last credit takes what is left):
    // 366.66 + 366.66 + 366.68, or any split adding to 1,100.00.
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 3, usd(dec!(1000)), None), dec!(10), None);
    let r = |t: &str, a: Decimal| at(mv(t, MoveKind::Refund, 1, usd(a), Some(usd(dec!(333.33)))), dec!(10), None);
    let s = of("2026-11", &[bought, r("2026-11-10T10:00:00Z", dec!(-333.33)), r("2026-11-11T10:00:00Z", dec!(-333.33)), r("2026-11-12T10:00:00Z", dec!(-333.34))], &[]);
    assert_eq!(s.lines[0].customer.amount, dec!(1100));
    assert_eq!(credited(&s), dec!(-1100), "lines: {:?}", customer(&s));
    assert_eq!(s.totals[0].customer.amount, dec!(0), "charged 1,100 and fully refunded: nothing owed either way");
}

#[test]
fn two_half_refunds_never_credit_more_than_the_customer_was_charged_even_by_a_cent() {
    // 2 units, Microsoft 1,000.03, 0 %: the customer paid 1,000.03. Microsoft credits 500.02 for
    // each unit (it rounds each line: 1,000.04 in all, a cent more than it charged). Each credit
    // is capped: the first at the unit's share, 500.015 → 500.02; the second at what is left of
    // what the customer paid, 1,000.03 − 500.02 = 500.01. Never 1,000.04 for 1,000.03 paid.
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 2, usd(dec!(1000.03)), None), dec!(0), None);
    let r = |t: &str| at(mv(t, MoveKind::Refund, 1, usd(dec!(-500.02)), Some(usd(dec!(500.02)))), dec!(0), None);
    let s = of("2026-11", &[bought, r("2026-11-10T10:00:00Z"), r("2026-11-11T10:00:00Z")], &[]);
    assert!(-credited(&s) <= dec!(1000.03), "credited {} for 1,000.03 charged: {:?}", -credited(&s), customer(&s));
}

#[test]
fn more_units_returned_than_were_bought_never_credits_more_than_the_order_was_charged() {
    // Order-1: 2 units bought through the desk, Microsoft 1,000, +10 %: the customer paid 1,100.
    // Both returned (Microsoft credits 1,000 → 1,100 back). A further refund of 1 unit of the
    // same order (Microsoft credits 500 more: a duplicate, or Microsoft's mistake) has no unit
    // the customer paid for left: the order's credits stay at 1,100.
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 2, usd(dec!(1000)), None), dec!(10), None);
    let all = at(mv("2026-11-10T10:00:00Z", MoveKind::Refund, 2, usd(dec!(-1000)), Some(usd(dec!(1000)))), dec!(10), None);
    let extra = at(mv("2026-11-11T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-500)), Some(usd(dec!(500)))), dec!(10), None);
    let two_steps = of("2026-11", &[bought.clone(), all, extra], &[]);
    // The same returns in one refund of 3 units: capped at 1,100 (what the desk does there).
    let one_step = of("2026-11", &[bought, at(mv("2026-11-10T10:00:00Z", MoveKind::Refund, 3, usd(dec!(-1500)), Some(usd(dec!(1500)))), dec!(10), None)], &[]);
    assert_eq!(credited(&one_step), dec!(-1100));
    assert_eq!(credited(&two_steps), dec!(-1100), "lines: {:?}", customer(&two_steps));
}

#[test]
fn microsoft_crediting_more_than_it_charged_is_capped_at_what_the_customer_paid() {
    // Bought through the desk: 1 unit, Microsoft 1,000, +10 % → 1,100. Microsoft credits 1,300:
    // the customer gets 1,100, capped.
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(1000)), None), dec!(10), None);
    let back = at(mv("2026-11-10T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-1300)), Some(usd(dec!(1000)))), dec!(10), None);
    let s = of("2026-11", &[bought, back], &[]);
    assert_eq!(customer(&s), vec![dec!(1100), dec!(-1100)]);
    assert!(s.lines[1].capped);
    assert_eq!(s.lines[1].customer_paid_for_units, Some(usd(dec!(1100))));
}

#[test]
fn a_reservation_bought_before_the_desk_is_credited_at_the_price_of_the_credit_capped_at_microsofts_charge() {
    // No purchase move (order-old): +10 % on the day. Microsoft credits 600 of the 1,000 it had
    // charged → 660; it credits 1,100 of 1,000 → capped at 1,000 × 1.1 = 1,100 (not 1,210).
    let a = of_order(at(mv("2026-11-05T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-600)), Some(usd(dec!(1000)))), dec!(10), None), "order-old", "Standard_D4s_v5");
    let b = of_order(at(mv("2026-11-06T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-1100)), Some(usd(dec!(1000)))), dec!(10), None), "order-old2", "Standard_D4s_v5");
    let s = of("2026-11", &[a, b], &[]);
    assert_eq!(customer(&s), vec![dec!(-660), dec!(-1100)]);
    assert_eq!(s.lines.iter().map(|l| (l.capped, l.customer_paid_for_units)).collect::<Vec<_>>(), vec![(false, None), (true, None)]);
    // Microsoft's paid amount unknown (absent, or zero) at a fixed price: cannot be priced, says why.
    let unknown = of_order(at(mv("2026-11-07T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-600)), Some(usd(dec!(0)))), dec!(0), Some(usd(dec!(1500)))), "order-old3", "Standard_D4s_v5");
    let s = of("2026-11", &[unknown], &[]);
    assert_eq!((s.lines.len(), s.unpriced.iter().map(|u| u.reason.as_str()).collect::<Vec<_>>()), (0, vec!["paidUnknown"]));
    assert!(s.totals.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Monthly billing
// ---------------------------------------------------------------------------------------------

#[test]
fn bought_monthly_on_31_january_each_instalment_falls_on_the_months_last_day_and_stops_after_the_term() {
    // 1 unit, commitment 1,200 over 12 months: Microsoft 100 a month, +10 % → 110.
    let bought = monthly(at(mv("2026-01-31T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100)), None), dec!(10), None), usd(dec!(1200)));
    let due = |m: &str| of(m, std::slice::from_ref(&bought), &[]).lines.iter().map(|l| (l.r#move.kind, l.r#move.day, l.r#move.microsoft.amount, l.customer.amount)).collect::<Vec<_>>();
    assert_eq!(due("2026-01"), vec![(MoveKind::Purchase, day("2026-01-31"), dec!(100), dec!(110))]);
    assert_eq!(due("2026-02"), vec![(MoveKind::Instalment, day("2026-02-28"), dec!(100), dec!(110))]);
    assert_eq!(due("2026-03"), vec![(MoveKind::Instalment, day("2026-03-31"), dec!(100), dec!(110))]);
    assert_eq!(due("2026-04"), vec![(MoveKind::Instalment, day("2026-04-30"), dec!(100), dec!(110))]);
    assert_eq!(due("2026-12"), vec![(MoveKind::Instalment, day("2026-12-31"), dec!(100), dec!(110))]);
    assert_eq!(due("2027-01"), vec![], "twelve instalments: January 2026 to December 2026");
}

#[test]
fn a_monthly_reservation_partly_refunded_mid_term_is_credited_its_share_of_the_instalments_and_billed_for_the_units_left() {
    // 2 units bought 15 Sep, commitment 2,400: Microsoft 200 a month, +20 % → 240.
    // Paid by 10 Nov: 15 Sep and 15 Oct: the customer 480, Microsoft 400.
    // 10 Nov, 1 unit refunded, Microsoft credits 150: share 240 (Microsoft 200) → 240 × 150/200 = 180.
    // 15 Nov: 1 unit left → Microsoft 100, the customer 120.
    let bought = monthly(at(mv("2026-09-15T10:00:00Z", MoveKind::Purchase, 2, usd(dec!(200)), None), dec!(20), None), usd(dec!(2400)));
    let first = at(mv("2026-11-10T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-150)), Some(usd(dec!(1200)))), dec!(20), None);
    let moves = [bought.clone(), first.clone()];
    let nov = of("2026-11", &moves, &[]);
    assert_eq!(nov.lines.iter().map(|l| (l.r#move.kind, l.r#move.microsoft.amount, l.customer.amount, l.r#move.quantity)).collect::<Vec<_>>(), vec![
        (MoveKind::Refund, dec!(-150), dec!(-180), 1),
        (MoveKind::Instalment, dec!(100), dec!(120), 1),
    ]);
    let t = &nov.totals[0];
    assert_eq!((t.charged.amount, t.credited.amount, t.customer.amount, t.microsoft.amount, t.margin.amount), (dec!(120), dec!(-180), dec!(-60), dec!(-50), dec!(-10)));
    // 15 Dec: 100 / 120. 20 Dec the last unit, Microsoft credits 300: what is held by then is
    // 240 + 120 + 120 = 480 (Microsoft 200 + 100 + 100 = 400) → 480 × 300/400 = 360.
    let last = at(mv("2026-12-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-300)), Some(usd(dec!(1200)))), dec!(20), None);
    let moves = [bought, first, last];
    assert_eq!(customer(&of("2026-12", &moves, &[])), vec![dec!(120), dec!(-360)]);
    assert!(of("2027-01", &moves, &[]).lines.is_empty(), "nothing held: no instalment");
}

// ---------------------------------------------------------------------------------------------
// Exchanges
// ---------------------------------------------------------------------------------------------

#[test]
fn an_exchange_sharing_an_order_with_a_refund_and_buying_several_skus_prices_each_line_on_its_own() {
    // Order A: 4 × D4s_v5 bought at a fixed 1,500 a unit (Microsoft 4,800): 6,000.
    // 5 Nov, 1 unit refunded, Microsoft credits 900 of its 1,200: 1,500 × 900/1,200 = 1,125.
    // 10 Nov, an exchange returns the other 3 (Microsoft credits 2,700 of 3,600):
    // 4,500 × 2,700/3,600 = 3,375; and buys 2 × E8s_v5 in order B at +10 % (Microsoft 5,000 →
    // 5,500) and 1 × D2s_v5 in order C at its fixed 800 (Microsoft 700).
    let fixed_d4 = FixedPrice { sku_name: "Standard_D4s_v5".into(), term: Term::P1Y, unit_price: usd(dec!(1500)) };
    let fixed_d2 = FixedPrice { sku_name: "Standard_D2s_v5".into(), term: Term::P1Y, unit_price: usd(dec!(800)) };
    let price = PriceInForce { set_at: Some("2026-10-01T00:00:00Z".into()), markup_percent: dec!(10), fixed: vec![fixed_d4.clone(), fixed_d2] };
    let with = |m: Move| Move { price_in_force: Some(price.clone()), ..m };
    let orders = vec!["order-a".to_owned(), "order-b".to_owned(), "order-c".to_owned()];
    let moves = [
        with(of_order(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 4, usd(dec!(4800)), None), "order-a", "Standard_D4s_v5")),
        with(of_order(mv("2026-11-05T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-900)), Some(usd(dec!(1200)))), "order-a", "Standard_D4s_v5")),
        Move { orders: orders.clone(), ..with(of_order(mv("2026-11-10T10:00:00Z", MoveKind::ExchangeReturn, 3, usd(dec!(-2700)), Some(usd(dec!(3600)))), "order-a", "Standard_D4s_v5")) },
        Move { orders: orders.clone(), ..with(of_order(mv("2026-11-10T10:00:00Z", MoveKind::ExchangePurchase, 2, usd(dec!(5000)), None), "order-b", "Standard_E8s_v5")) },
        Move { orders, ..with(of_order(mv("2026-11-10T10:00:00Z", MoveKind::ExchangePurchase, 1, usd(dec!(700)), None), "order-c", "Standard_D2s_v5")) },
    ];
    let s = of("2026-11", &moves, &[]);
    assert_eq!(customer(&s), vec![dec!(6000), dec!(-1125), dec!(-3375), dec!(5500), dec!(800)]);
    assert_eq!(s.lines[2].customer_paid_for_units, Some(usd(dec!(4500))));
    let t = &s.totals[0];
    assert_eq!((t.charged.amount, t.credited.amount, t.customer.amount, t.microsoft.amount, t.margin.amount), (dec!(12300), dec!(-4500), dec!(7800), dec!(6900), dec!(900)));
}

#[test]
fn an_order_emptied_by_a_refund_and_an_exchange_return_is_not_credited_again_at_the_fixed_price() {
    // Order A: 4 × D4s_v5 at a fixed 1,500 (Microsoft 4,800): 6,000 charged. 1 unit refunded
    // (1,125 back) and 3 returned in an exchange (3,375 back): 4,500 of 6,000 given back, no unit
    // held. A refund of order A recorded in December (a duplicate, or Microsoft crediting a unit
    // the desk no longer holds) has nothing the customer paid for left: 0 (or unpriced, said why),
    // never 1,500 × 900 / 1,200 = 1,125 again.
    let price = PriceInForce { set_at: Some("2026-10-01T00:00:00Z".into()), markup_percent: dec!(10), fixed: vec![FixedPrice { sku_name: "Standard_D4s_v5".into(), term: Term::P1Y, unit_price: usd(dec!(1500)) }] };
    let with = |m: Move| Move { price_in_force: Some(price.clone()), ..of_order(m, "order-a", "Standard_D4s_v5") };
    let moves = [
        with(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 4, usd(dec!(4800)), None)),
        with(mv("2026-11-05T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-900)), Some(usd(dec!(1200))))),
        with(mv("2026-11-10T10:00:00Z", MoveKind::ExchangeReturn, 3, usd(dec!(-2700)), Some(usd(dec!(3600))))),
        with(mv("2026-12-01T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-900)), Some(usd(dec!(1200))))),
    ];
    assert_eq!(credited(&of("2026-11", &moves, &[])), dec!(-4500));
    let dec_s = of("2026-12", &moves, &[]);
    assert!(credited(&dec_s) == dec!(0) || !dec_s.unpriced.is_empty(), "order-a was fully credited in November; December credits {:?}", customer(&dec_s));
}

// ---------------------------------------------------------------------------------------------
// Closed months
// ---------------------------------------------------------------------------------------------

#[test]
fn a_closed_month_reads_the_same_after_later_moves_and_price_changes() {
    let history = vec![markup("2026-01-01T00:00:00Z", dec!(10))];
    let moves = vec![
        monthly(at(mv("2026-09-15T10:00:00Z", MoveKind::Purchase, 2, usd(dec!(200)), None), dec!(20), None), usd(dec!(2400))),
        mv("2026-11-03T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100)), None).clone(),
        at(mv("2026-11-10T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-150)), Some(usd(dec!(1200)))), dec!(20), None),
    ];
    let moves: Vec<Move> = moves.into_iter().enumerate().map(|(i, m)| if i == 1 { of_order(m, "order-legacy", "Standard_D4s_v5") } else { m }).collect();
    let first = month("2026-11").unwrap();
    let before = statement("contoso", first, day("2026-12-01"), &moves, &history, &[]);
    assert!(before.closed);
    let mut later = moves.clone();
    later.push(at(mv("2026-12-01T00:00:00Z", MoveKind::Refund, 1, usd(dec!(-100)), Some(usd(dec!(1200)))), dec!(50), None));
    later.push(of_order(mv("2026-12-02T00:00:00Z", MoveKind::Refund, 1, usd(dec!(-50)), Some(usd(dec!(100)))), "order-legacy", "Standard_D4s_v5"));
    let mut later_history = history.clone();
    later_history.push(markup("2026-12-01T00:00:00Z", dec!(-50)));
    let default = vec![markup("2026-12-01T00:00:00Z", dec!(300))];
    assert_eq!(statement("contoso", first, day("2027-06-01"), &later, &later_history, &default), before);
}

// ---------------------------------------------------------------------------------------------
// Odd input: no panic
// ---------------------------------------------------------------------------------------------

#[test]
fn a_month_is_exactly_four_digits_a_dash_and_two_digits() {
    for bad in ["2026-+1", "+026-11", "-026-11", "2026- 1"] {
        assert!(month(bad).is_err(), "{bad:?} read as {:?}", month(bad));
    }
}

#[test]
fn a_fixed_price_the_form_accepts_never_makes_a_statement_panic() {
    // pricing() accepts any positive fixed price in whole cents. With 10^26 a unit, a purchase
    // of 1,000 units overflows a decimal (max ≈ 7.9 × 10^28): the price must be refused, or the
    // statement must still answer (unpriced, or a line), not crash the customer's statement page.
    let request = contract::PricingRequest { markup_percent: dec!(0), fixed: vec![FixedPrice { sku_name: "Standard_D4s_v5".into(), term: Term::P1Y, unit_price: usd(Decimal::from_i128_with_scale(10i128.pow(26), 0)) }] };
    let Ok(p) = pricing(&request, "2026-01-01T00:00:00Z".into()) else { return };
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1000, usd(dec!(1000)), None), dec!(0), Some(p.fixed[0].unit_price));
    let answered = catch_unwind(AssertUnwindSafe(|| of("2026-11", &[bought], &[])));
    assert!(answered.is_ok(), "a fixed price of 10^26 was accepted, then the statement panicked");
}

#[test]
fn zero_units_and_empty_input_do_not_panic_and_credit_nothing_for_nothing() {
    let s = of("2026-11", &[], &[]);
    assert!(s.lines.is_empty() && s.totals.is_empty());
    // A purchase of 3 units, then a "refund" of 0 units: nothing returned, nothing held back.
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 3, usd(dec!(300)), None), dec!(10), None);
    let nothing = at(mv("2026-11-03T10:00:00Z", MoveKind::Refund, 0, usd(dec!(0)), None), dec!(10), None);
    let then = at(mv("2026-11-04T10:00:00Z", MoveKind::Refund, 3, usd(dec!(-300)), Some(usd(dec!(300)))), dec!(10), None);
    let s = of("2026-11", &[bought, nothing, then], &[]);
    assert_eq!(customer(&s), vec![dec!(330), dec!(0), dec!(-330)]);
}

// ---------------------------------------------------------------------------------------------
// The match to Microsoft's invoice
// ---------------------------------------------------------------------------------------------

fn statement_of(moves: Vec<Move>) -> Statement {
    let lines = moves
        .into_iter()
        .map(|m| StatementLine { customer: m.microsoft, margin: Money::new(Decimal::ZERO, m.microsoft.currency), price: PriceBasis::Markup { markup_percent: Decimal::ZERO }, capped: false, customer_paid_for_units: None, r#move: m })
        .collect();
    Statement { customer_id: CUSTOMER.into(), month: "2026-11".into(), closed: true, lines, totals: vec![], unpriced: vec![] }
}

fn invoice(number: u32, charge: &str, order: &str, quantity: Decimal, amount: Money) -> InvoiceLine {
    InvoiceLine {
        number,
        invoice_number: Some("G000000001".into()),
        customer_id: CUSTOMER.into(),
        customer_name: Some("Contoso".into()),
        charge_type: charge.into(),
        reservation_order_id: Some(order.into()),
        product: None,
        quantity,
        amount,
        date: None,
    }
}

fn order_move(kind: MoveKind, order: &str, quantity: u32, microsoft: Money) -> Move {
    Move { reservation_order_id: Some(order.into()), microsoft, ..mv("2026-11-02T10:00:00Z", kind, quantity, microsoft, None) }
}

#[test]
fn a_line_billed_twice_makes_the_purchase_differ_by_the_duplicate() {
    // Microsoft's file holds the same `new` line twice: 2 × 1,000 for a purchase of 1,000.
    let s = statement_of(vec![order_move(MoveKind::Purchase, "o-1", 1, usd(dec!(1000)))]);
    let lines = [invoice(1, "new", "o-1", dec!(1), usd(dec!(1000))), invoice(2, "new", "O-1", dec!(1), usd(dec!(1000)))];
    let (matches, unexplained, _) = reconcile(&s, &[CUSTOMER], &lines);
    assert_eq!(matches[0].state, MatchState::Differing);
    assert_eq!(matches[0].difference, Some(usd(dec!(1000))));
    assert_eq!(matches[0].invoiced_quantity, Some(dec!(2)));
    assert!(unexplained.is_empty());
}

#[test]
fn two_refunds_of_one_order_both_match_when_the_lines_can_be_paired_within_a_cent_each() {
    // Refund A: 1 unit, −100.00. Refund B: 1 unit, −100.02. Microsoft's lines: −100.01 then −99.99.
    // Pairing A↔−99.99 (a cent) and B↔−100.01 (a cent) matches both; each is within its minor
    // unit, so a correct match says matched twice, whatever order the file lists them in.
    let s = statement_of(vec![order_move(MoveKind::Refund, "o-1", 1, usd(dec!(-100.00))), order_move(MoveKind::Refund, "o-1", 1, usd(dec!(-100.02)))]);
    let lines = [invoice(1, "cancelImmediate", "o-1", dec!(-1), usd(dec!(-100.01))), invoice(2, "cancelImmediate", "o-1", dec!(-1), usd(dec!(-99.99)))];
    let (matches, unexplained, _) = reconcile(&s, &[CUSTOMER], &lines);
    assert!(unexplained.is_empty());
    assert_eq!(matches.iter().map(|m| m.state).collect::<Vec<_>>(), vec![MatchState::Matched, MatchState::Matched], "{matches:?}");
}

#[test]
fn an_exchange_recorded_as_its_net_does_not_take_the_refund_line_of_a_refund_of_the_same_order() {
    // An older desk's exchange (its net, 200: returned 3 units of order A for 500, bought order B
    // for 700) and, the same month, a refund of 1 unit of order A (−300). The file: A −500 (3
    // units), A −300 (1 unit), B +700. The refund's own line fits it exactly: matched; the
    // exchange takes the rest, −500 + 700 = 200: matched.
    let net = Move { kind: MoveKind::Exchange, reservation_order_id: None, orders: vec!["order-a".into(), "order-b".into()], ..mv("2026-11-02T10:00:00Z", MoveKind::Exchange, 3, usd(dec!(200)), None) };
    let refund = order_move(MoveKind::Refund, "order-a", 1, usd(dec!(-300)));
    let s = statement_of(vec![net, refund]);
    let lines = [
        invoice(1, "cancelImmediate", "order-a", dec!(-3), usd(dec!(-500))),
        invoice(2, "cancelImmediate", "order-a", dec!(-1), usd(dec!(-300))),
        invoice(3, "new", "order-b", dec!(2), usd(dec!(700))),
    ];
    let (matches, _, _) = reconcile(&s, &[CUSTOMER], &lines);
    assert_eq!((matches[1].state, matches[1].invoice_lines.clone()), (MatchState::Matched, vec![2]), "the refund: {:?}", matches[1]);
    assert_eq!((matches[0].state, matches[0].invoiced), (MatchState::Matched, Some(usd(dec!(200)))), "the exchange: {:?}", matches[0]);
}

#[test]
fn charge_types_are_read_in_any_case_and_spelling_and_an_unknown_one_by_its_sign() {
    // A purchase (`NEW`), an instalment (`Cycle Charge`), a refund (`CANCEL_IMMEDIATE`) and a
    // refund filed under a type the desk does not know (`Adjustment`, negative): each matched.
    let s = statement_of(vec![
        order_move(MoveKind::Purchase, "o-1", 2, usd(dec!(2000))),
        order_move(MoveKind::Instalment, "o-2", 1, usd(dec!(100))),
        order_move(MoveKind::Refund, "o-3", 1, usd(dec!(-400))),
        order_move(MoveKind::Refund, "o-4", 1, usd(dec!(-50))),
    ]);
    let lines = [
        invoice(1, "NEW", "o-1", dec!(2), usd(dec!(2000.01))),
        invoice(2, "Cycle Charge", "o-2", dec!(1), usd(dec!(100))),
        invoice(3, "CANCEL_IMMEDIATE", "o-3", dec!(-1), usd(dec!(-400))),
        invoice(4, "Adjustment", "o-4", dec!(-1.0), usd(dec!(-50))),
    ];
    let (matches, unexplained, instalments) = reconcile(&s, &[CUSTOMER], &lines);
    assert_eq!(matches.iter().map(|m| m.state).collect::<Vec<_>>(), vec![MatchState::Matched; 4], "{matches:?}");
    assert!(unexplained.is_empty() && instalments.is_empty());
}

#[test]
fn another_currency_or_a_yen_off_by_more_than_one_makes_a_line_differ() {
    // A USD purchase invoiced in EUR differs (never compared across currencies); a yen purchase of
    // ¥100,000 invoiced ¥100,001 matches (one minor unit), ¥100,002 differs by ¥2.
    let s = statement_of(vec![order_move(MoveKind::Purchase, "o-1", 1, usd(dec!(1000))), order_move(MoveKind::Purchase, "o-2", 1, jpy(dec!(100000))), order_move(MoveKind::Purchase, "o-3", 1, jpy(dec!(100000)))]);
    let lines = [invoice(1, "new", "o-1", dec!(1), eur(dec!(1000))), invoice(2, "new", "o-2", dec!(1), jpy(dec!(100001))), invoice(3, "new", "o-3", dec!(1), jpy(dec!(100002)))];
    let (matches, _, _) = reconcile(&s, &[CUSTOMER], &lines);
    assert_eq!(matches.iter().map(|m| m.state).collect::<Vec<_>>(), vec![MatchState::Differing, MatchState::Matched, MatchState::Differing]);
    assert_eq!(matches[2].difference, Some(jpy(dec!(2))));
}

fn json_line(fields: &str) -> String {
    format!("{{\"CustomerId\":\"{CUSTOMER}\",\"Currency\":\"USD\",\"ReservationOrderId\":\"o-1\",\"ChargeType\":\"new\",\"BillableQuantity\":\"1\",{fields}}}\n")
}

#[test]
fn numbers_are_read_as_microsoft_writes_them_and_other_locales_are_unreadable_never_guessed() {
    let read = |subtotal: &str| read_file(json_line(&format!("\"Subtotal\":{subtotal}")).as_bytes()).unwrap();
    for (text, value) in [("\"1234.56\"", dec!(1234.56)), ("\"-0.5\"", dec!(-0.5)), ("\"1.5E2\"", dec!(150)), ("1.5e2", dec!(150)), ("12.50", dec!(12.5)), ("\" 7.25 \"", dec!(7.25))] {
        let r = read(text);
        assert_eq!(r.lines.iter().map(|l| l.amount.amount).collect::<Vec<_>>(), vec![value], "{text}: {:?}", r.unreadable);
    }
    for text in ["\"1.234,56\"", "\"12,50\"", "\"1,234.56\"", "\"1 234.56\"", "\"(12.50)\"", "\"12.50-\"", "\"$12.50\"", "\"NaN\"", "\"0x10\"", "\"1e\"", "\"-\"", "\".\"", "true"] {
        let r = read(text);
        assert!(r.lines.is_empty() && r.unreadable.len() == 1, "{text} read as {:?}", r.lines.iter().map(|l| l.amount).collect::<Vec<_>>());
    }
}

#[test]
fn a_file_with_absurd_numbers_is_read_or_refused_line_by_line_never_panicking() {
    // EffectiveUnitPrice × PCToBCExchangeRate beyond a decimal's range: the line is unreadable
    // (with why), the file still read.
    let lines = [
        json_line("\"EffectiveUnitPrice\":\"79228162514264337593543950335\",\"PCToBCExchangeRate\":\"10\""),
        json_line("\"EffectiveUnitPrice\":\"10\",\"PCToBCExchangeRate\":\"1\",\"BillableQuantity\":\"79228162514264337593543950335\""),
        json_line("\"Subtotal\":\"1e4294967296\""),
        json_line("\"Subtotal\":\"1e-4294967296\""),
        json_line("\"Subtotal\":\"99999999999999999999999999999999999\""),
    ];
    for (i, l) in lines.iter().enumerate() {
        let read = catch_unwind(AssertUnwindSafe(|| read_file(l.as_bytes())));
        assert!(read.is_ok(), "line {i} panicked: {l}");
    }
}

#[test]
fn matching_absurd_amounts_never_panics() {
    // Two lines of one order near a decimal's maximum: their sum overflows. A line far from a
    // move's figure: their difference overflows. The match must say differing, not panic.
    let big = Decimal::MAX;
    let s = statement_of(vec![order_move(MoveKind::Purchase, "o-1", 1, usd(dec!(1000))), order_move(MoveKind::Refund, "o-2", 1, usd(-big)), order_move(MoveKind::Refund, "o-2", 1, usd(dec!(-1)))]);
    let lines = [invoice(1, "new", "o-1", dec!(1), usd(big)), invoice(2, "new", "o-1", dec!(1), usd(big)), invoice(3, "cancel", "o-2", dec!(-1), usd(big)), invoice(4, "cancel", "o-2", dec!(-1), usd(big))];
    let answered = catch_unwind(AssertUnwindSafe(|| reconcile(&s, &[CUSTOMER], &lines)));
    assert!(answered.is_ok(), "reconcile panicked on a file's amounts");
}

// ---------------------------------------------------------------------------------------------
// A second review: what the first missed
// ---------------------------------------------------------------------------------------------

#[test]
fn a_whole_refund_after_the_price_was_raised_credits_what_was_paid_and_says_it_was_capped() {
    // Bought 2 units at 0 %: Microsoft 1,000, the customer 1,000. The markup raised to 50 %; the
    // whole order refunded, Microsoft crediting its 1,000: at the day's price that would be 1,500,
    // so the credit is cut to the 1,000 paid, and the line must say so (capped at 1,000).
    let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 2, usd(dec!(1000)), None), dec!(0), None);
    let whole = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 2, usd(dec!(-1000)), Some(usd(dec!(1000)))), dec!(50), None);
    let s = of("2026-11", &[bought.clone(), whole], &[]);
    assert_eq!(customer(&s), vec![dec!(1000), dec!(-1000)]);
    assert!(s.lines[1].capped, "1,500 at the day's markup, cut to the 1,000 paid: {:?}", s.lines[1]);
    assert_eq!(s.lines[1].customer_paid_for_units, Some(usd(dec!(1000))));
    // The same with a fixed price of 900 a unit set after the purchase: 1,800 at the day's price.
    let fixed = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 2, usd(dec!(-1000)), Some(usd(dec!(1000)))), dec!(0), Some(usd(dec!(900))));
    let s = of("2026-11", &[bought.clone(), fixed], &[]);
    assert_eq!((customer(&s), s.lines[1].capped), (vec![dec!(1000), dec!(-1000)], true));
    // In two steps after the raise: each 500, each capped (750 at the day's price).
    let step = |t: &str| at(mv(t, MoveKind::Refund, 1, usd(dec!(-500)), Some(usd(dec!(500)))), dec!(50), None);
    let s = of("2026-11", &[bought, step("2026-11-20T10:00:00Z"), step("2026-11-21T10:00:00Z")], &[]);
    assert_eq!(s.lines.iter().map(|l| (l.customer.amount, l.capped)).collect::<Vec<_>>(), vec![(dec!(1000), false), (dec!(-500), true), (dec!(-500), true)]);
    // Refunded unit by unit at the purchase's own price: the cent the running total moves from one
    // line to the next is no cap (7 units, Microsoft 1,000, +10 %: 1,100 back in all, none capped).
    let seven = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 7, usd(dec!(1000)), None), dec!(10), None);
    let mut moves = vec![seven];
    for k in 0..7u32 {
        let back = if k == 6 { dec!(142.84) } else { dec!(142.86) };
        moves.push(at(mv(&format!("2026-11-{:02}T10:00:00Z", 3 + k), MoveKind::Refund, 1, usd(-back), Some(usd(dec!(142.86)))), dec!(10), None));
    }
    let s = of("2026-11", &moves, &[]);
    assert_eq!(credited(&s), dec!(-1100));
    assert!(s.lines.iter().all(|l| !l.capped), "{:?}", s.lines.iter().map(|l| (l.customer.amount, l.capped)).collect::<Vec<_>>());
}

#[test]
fn a_refund_and_an_exchange_returning_units_of_its_order_and_another_each_get_their_own_lines() {
    // One month: an exchange returns 2 units of order A (−600) and 1 of order B (−250) and buys
    // order C (+900); then a refund of 1 unit of order A (−300). Microsoft's file lists A's two
    // cancel credits with the refund's first, B's credit, C's purchase, and an instalment of a
    // monthly reservation (order D) the month's moves do not name. Each move takes its own line,
    // whatever the order of either list, and the instalment is explained as one.
    let exchange_a = order_move(MoveKind::ExchangeReturn, "order-a", 2, usd(dec!(-600)));
    let exchange_b = order_move(MoveKind::ExchangeReturn, "order-b", 1, usd(dec!(-250)));
    let bought = order_move(MoveKind::ExchangePurchase, "order-c", 1, usd(dec!(900)));
    let refund = order_move(MoveKind::Refund, "order-a", 1, usd(dec!(-300)));
    let lines = [
        invoice(1, "cancelImmediate", "order-a", dec!(-1), usd(dec!(-300))),
        invoice(2, "cancelImmediate", "order-a", dec!(-2), usd(dec!(-600))),
        invoice(3, "cancelImmediate", "order-b", dec!(-1), usd(dec!(-250))),
        invoice(4, "new", "order-c", dec!(1), usd(dec!(900))),
        invoice(5, "cycleCharge", "order-d", dec!(1), usd(dec!(75))),
    ];
    for moves in [vec![exchange_a.clone(), exchange_b.clone(), bought.clone(), refund.clone()], vec![refund.clone(), exchange_a.clone(), exchange_b.clone(), bought.clone()]] {
        let s = statement_of(moves.clone());
        let (matches, unexplained, _instalments) = reconcile(&s, &[CUSTOMER], &lines);
        let line_of = |m: &Move| {
            let i = moves.iter().position(|x| x == m).unwrap();
            (matches[i].state, matches[i].invoice_lines.clone())
        };
        assert_eq!(line_of(&refund), (MatchState::Matched, vec![1]), "the refund: {matches:?}");
        assert_eq!(line_of(&exchange_a), (MatchState::Matched, vec![2]), "the exchange's return of A: {matches:?}");
        assert_eq!(line_of(&exchange_b), (MatchState::Matched, vec![3]), "the exchange's return of B: {matches:?}");
        assert_eq!(line_of(&bought), (MatchState::Matched, vec![4]), "the exchange's purchase: {matches:?}");
        assert!(unexplained.iter().all(|l| l.number != 5), "an instalment listed as unexplained: {unexplained:?}");
    }
}
