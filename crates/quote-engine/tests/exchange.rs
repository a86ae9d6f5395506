//! Exchange quotes: totals, sign of the net, and every exchange error code.

mod common;

use common::*;
use quote_engine::*;
use rust_decimal_macros::dec;

fn ret(r: Reservation, quantity: u32) -> ExchangeReturn {
    ExchangeReturn {
        reservation: r,
        quantity,
    }
}

/// 2 × USD 3,600 P3Y upfront bought 2024-03-01; on 2025-03-01 each has B = RC = 2,400.
fn vms() -> Reservation {
    vm(Term::P3Y, BillingPlan::Upfront, "2024-03-01", 2, dec!(3600))
}

fn assert_lines_add_up(q: &ExchangeQuote) {
    assert_eq!(
        lines_sum(q.currency, &q.lines),
        q.net_payable,
        "{:#?}",
        q.lines
    );
}

#[test]
fn valid_exchange_pays_the_difference() {
    for policy in [Policy::partner_center_2020(), Policy::azure_current()] {
        let q = quote_exchange(
            &policy,
            d("2025-03-01"),
            &[ret(vms(), 1)],
            &[purchase(
                Term::P3Y,
                BillingPlan::Upfront,
                1,
                usd(dec!(3000)),
            )],
        )
        .unwrap();
        assert!(q.is_valid_exchange(), "{:?}", q.policy_errors);
        assert_eq!(q.refunds_total, usd(dec!(2400.00)), "no fee in an exchange");
        assert_eq!(q.remaining_commitment_total, usd(dec!(2400.00)));
        assert_eq!(q.new_commitment_total, usd(dec!(3000.00)));
        assert_eq!(q.purchases_total, usd(dec!(3000.00)));
        assert_eq!(q.net_payable, usd(dec!(600.00)));
        assert_eq!(
            q.lines
                .iter()
                .map(|l| l.reason.as_ref())
                .collect::<Vec<_>>(),
            ["exchange-return-pro-rated", "purchase-upfront"]
        );
        assert_lines_add_up(&q);
    }
}

#[test]
fn monthly_purchase_is_due_its_first_installment_and_net_can_be_a_credit() {
    let q = quote_exchange(
        &Policy::azure_current(),
        d("2025-03-01"),
        &[ret(vms(), 2)],
        &[purchase(
            Term::P5Y,
            BillingPlan::Monthly,
            1,
            usd(dec!(6000)),
        )],
    )
    .unwrap();
    assert!(q.is_valid_exchange());
    assert_eq!(q.refunds_total, usd(dec!(4800.00)));
    assert_eq!(q.purchases_total, usd(dec!(100.00)));
    assert_eq!(q.net_payable, usd(dec!(-4700.00)));
    assert_eq!(q.lines[1].reason, "purchase-first-installment");
    assert_lines_add_up(&q);
}

#[test]
fn grace_period_does_not_apply_to_exchanges() {
    let r = Reservation {
        has_usage: false,
        expiry_date: None,
        ..vms()
    };
    let q = quote_exchange(
        &Policy::partner_center_2020(),
        d("2024-03-03"),
        &[ret(r, 1)],
        &[purchase(
            Term::P3Y,
            BillingPlan::Upfront,
            1,
            usd(dec!(3600)),
        )],
    )
    .unwrap();
    // B = 3600 − round(3600 × 2 / 1095) = 3600 − 6.58
    assert_eq!(q.refunds_total, usd(dec!(3593.42)));
}

#[test]
fn commitment_too_low() {
    let q = quote_exchange(
        &Policy::azure_current(),
        d("2025-03-01"),
        &[ret(vms(), 1)],
        &[purchase(
            Term::P1Y,
            BillingPlan::Upfront,
            1,
            usd(dec!(2399.99)),
        )],
    )
    .unwrap();
    assert_eq!(
        error_codes(&q.policy_errors),
        [PolicyErrorCode::ExchangeCommitmentTooLow]
    );
    assert!(!q.is_valid_exchange());
    assert_lines_add_up(&q);
}

#[test]
fn product_family_mismatch() {
    let mut p = purchase(Term::P3Y, BillingPlan::Upfront, 1, usd(dec!(5000)));
    p.reserved_resource_type = family("SqlDatabases");
    let q = quote_exchange(
        &Policy::azure_current(),
        d("2025-03-01"),
        &[ret(vms(), 1)],
        &[p],
    )
    .unwrap();
    assert_eq!(
        error_codes(&q.policy_errors),
        [PolicyErrorCode::ExchangeProductFamilyMismatch]
    );
    let mut other = vms();
    other.reserved_resource_type = family("CosmosDb");
    let q = quote_exchange(
        &Policy::azure_current(),
        d("2025-03-01"),
        &[ret(vms(), 1), ret(other, 1)],
        &[purchase(
            Term::P3Y,
            BillingPlan::Upfront,
            2,
            usd(dec!(5000)),
        )],
    )
    .unwrap();
    assert_eq!(
        error_codes(&q.policy_errors),
        [PolicyErrorCode::ExchangeProductFamilyMismatch]
    );
}

#[test]
fn currency_mismatch_is_left_out_of_the_totals() {
    let q = quote_exchange(
        &Policy::azure_current(),
        d("2025-03-01"),
        &[ret(vms(), 1)],
        &[
            purchase(Term::P3Y, BillingPlan::Upfront, 1, usd(dec!(3000))),
            purchase(Term::P3Y, BillingPlan::Upfront, 1, money(dec!(3000), "EUR")),
        ],
    )
    .unwrap();
    assert_eq!(
        error_codes(&q.policy_errors),
        [PolicyErrorCode::CurrencyMismatch]
    );
    assert_eq!(q.purchases_total, usd(dec!(3000.00)));
    assert_eq!(q.lines.len(), 2);
    assert_lines_add_up(&q);
}

#[test]
fn inactive_returns_and_bad_quantities_are_policy_errors() {
    let purchases = [purchase(
        Term::P3Y,
        BillingPlan::Upfront,
        9,
        usd(dec!(3600)),
    )];
    for (as_of, quantity, code) in [
        ("2024-02-01", 1, PolicyErrorCode::ReservationNotStarted),
        ("2027-03-01", 1, PolicyErrorCode::ReservationExpired),
        ("2025-03-01", 0, PolicyErrorCode::InvalidRefundQuantity),
        ("2025-03-01", 3, PolicyErrorCode::InvalidRefundQuantity),
    ] {
        let q = quote_exchange(
            &Policy::azure_current(),
            d(as_of),
            &[ret(vms(), quantity)],
            &purchases,
        )
        .unwrap();
        assert_eq!(error_codes(&q.policy_errors), [code], "{as_of} {quantity}");
        assert_eq!(q.refunds_total.amount, dec!(0));
        assert_lines_add_up(&q);
    }
}

#[test]
fn malformed_exchanges_name_the_field() {
    let p = Policy::azure_current();
    let ok_purchase = [purchase(
        Term::P3Y,
        BillingPlan::Upfront,
        1,
        usd(dec!(3000)),
    )];
    let field = |returns: &[ExchangeReturn], purchases: &[Purchase]| {
        quote_exchange(&p, d("2025-03-01"), returns, purchases)
            .unwrap_err()
            .field
    };
    assert_eq!(field(&[], &ok_purchase), "returns");
    assert_eq!(field(&[ret(vms(), 1)], &[]), "purchases");
    let mut bad = purchase(Term::P3Y, BillingPlan::Upfront, 1, usd(dec!(-3000)));
    assert_eq!(
        field(&[ret(vms(), 1)], &[ok_purchase[0].clone(), bad.clone()]),
        "purchases[1].unitPrice.amount"
    );
    bad.unit_price = usd(dec!(1));
    bad.quantity = 0;
    assert_eq!(field(&[ret(vms(), 1)], &[bad]), "purchases[0].quantity");
    let mut r = vms();
    r.unit_price = usd(dec!(-1));
    assert_eq!(
        field(&[ret(vms(), 1), ret(r, 1)], &ok_purchase),
        "returns[1].reservation.unitPrice.amount"
    );
    // A non-USD return needs no USD price in an exchange (the limit is not involved).
    let eur = Reservation {
        unit_price: money(dec!(3000), "EUR"),
        ..vms()
    };
    let q = quote_exchange(
        &p,
        d("2025-03-01"),
        &[ret(eur, 1)],
        &[purchase(
            Term::P3Y,
            BillingPlan::Upfront,
            1,
            money(dec!(2500), "EUR"),
        )],
    )
    .unwrap();
    assert!(q.is_valid_exchange());
    assert_eq!(q.net_payable, money(dec!(500.00), "EUR"));
}

#[test]
fn an_exchange_in_another_currency_states_its_refunds_total_in_usd_at_each_returns_usd_price() {
    let p = Policy::azure_current();
    // EUR 3,312 a unit (USD 3,600 at its pricing price): one unit returned, a third of the term used.
    let eur = Reservation {
        unit_price: money(dec!(3312), "EUR"),
        pricing_unit_price: Some(usd(dec!(3600))),
        ..vms()
    };
    let buy = [purchase(Term::P3Y, BillingPlan::Upfront, 1, money(dec!(3000), "EUR"))];
    let q = quote_exchange(&p, d("2025-03-01"), &[ret(eur.clone(), 1)], &buy).unwrap();
    assert_eq!(q.refunds_total, money(dec!(2208.00), "EUR"));
    assert_eq!(q.refunds_total_usd, Some(usd(dec!(2400.00))), "the same return at its USD price");
    // Without a USD price there is no USD figure; in USD, refundsTotal is it.
    let unpriced = Reservation { pricing_unit_price: None, ..eur };
    let q = quote_exchange(&p, d("2025-03-01"), &[ret(unpriced, 1)], &buy).unwrap();
    assert_eq!(q.refunds_total_usd, None);
    let q = quote_exchange(&p, d("2025-03-01"), &[ret(vms(), 1)], &[purchase(Term::P3Y, BillingPlan::Upfront, 1, usd(dec!(3000)))]).unwrap();
    assert_eq!(q.refunds_total_usd, None);
}
