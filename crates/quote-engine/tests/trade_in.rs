//! The savings plan trade-in at its edges — eligibility by reservation type (compute for the
//! compute plan, databases for the 1-year database plan),
//! plan SKU and term; at most 100 reservations; the lifetime commitment (hourly × 8,760 hours a
//! year) against the remaining commitment returned, a cent either side of the quoted minimum;
//! the quote's lines and totals; and a request without savings plans answering as before.

mod common;

use common::*;
use quote_engine::api::{exchange, ExchangeQuoteRequest};
use quote_engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn az() -> Policy {
    Policy::azure_current()
}

fn plan(term: Term, billing: BillingPlan, hourly: Decimal) -> SavingsPlanPurchase {
    SavingsPlanPurchase { sku_name: COMPUTE_SAVINGS_PLAN.into(), term, billing_plan: billing, hourly_commitment: usd(hourly) }
}

fn of(family_name: &str, r: Reservation) -> Reservation {
    Reservation { reserved_resource_type: family(family_name), ..r }
}

/// A 1-year VM reservation of one unit at USD 8,760 bought on 2026-01-01, half used on 2026-07-02.
fn half_used_vm() -> ExchangeReturn {
    ExchangeReturn { reservation: vm(Term::P1Y, BillingPlan::Upfront, "2026-01-01", 1, dec!(8760)), quantity: 1 }
}

fn trade_in(returns: &[ExchangeReturn], plans: &[SavingsPlanPurchase], as_of: &str) -> ExchangeQuote {
    quote_exchange_with_savings_plans(&az(), d(as_of), returns, &[], plans).unwrap()
}

#[test]
fn a_vm_reservation_traded_for_a_compute_plan_at_the_minimum_hourly_commitment_is_valid_and_a_cent_less_is_not() {
    let returns = [half_used_vm()];
    // 182 of 365 days used: RC = 8760 − 8760 × 182 / 365 = 8760 − 4368 = 4392.
    let probe = trade_in(&returns, &[plan(Term::P1Y, BillingPlan::Upfront, dec!(0.01))], "2026-07-02");
    assert_eq!(probe.remaining_commitment_total, usd(dec!(4392.00)));
    let minimum = probe.savings_plans[0].minimum_hourly_commitment;
    // 4392 / 8760 = 0.50137…: 0.51 an hour (0.50 × 8760 = 4380 is short).
    assert_eq!(minimum, usd(dec!(0.51)));

    let at_minimum = trade_in(&returns, &[plan(Term::P1Y, BillingPlan::Upfront, dec!(0.51))], "2026-07-02");
    assert!(at_minimum.is_valid_exchange(), "{:?}", at_minimum.policy_errors);
    let quoted = &at_minimum.savings_plans[0];
    assert_eq!((quoted.hours, quoted.lifetime_commitment, quoted.due_now), (8_760, usd(dec!(4467.60)), usd(dec!(4467.60))));
    assert_eq!(quoted.minimum_hourly_commitment, usd(dec!(0.51)));
    assert_eq!(at_minimum.new_commitment_total, usd(dec!(4467.60)));
    assert_eq!(at_minimum.purchases_total, usd(dec!(4467.60)));
    assert_eq!(lines_sum(at_minimum.currency, &at_minimum.lines), at_minimum.net_payable);
    let line = at_minimum.lines.last().unwrap();
    assert_eq!(line.reason, reason::SAVINGS_PLAN_UPFRONT);
    assert_eq!(line.label().to_string(), "Savings plan 1: Compute_Savings_Plan P1Y, 0.51 USD an hour × 8760 hours, commitment 4467.60 USD, upfront");

    let below = trade_in(&returns, &[plan(Term::P1Y, BillingPlan::Upfront, dec!(0.50))], "2026-07-02");
    assert_eq!(error_codes(&below.policy_errors), [PolicyErrorCode::SavingsPlanCommitmentTooLow]);
    assert_eq!(
        below.policy_errors[0].detail,
        Some(PolicyErrorDetail::SavingsPlanCommitmentTooLow {
            lifetime_commitment: usd(dec!(4380.00)),
            remaining_commitment: usd(dec!(4392.00)),
        })
    );
    assert!(below.policy_errors[0].message.contains("4380.00") && below.policy_errors[0].message.contains("4392.00"));
}

#[test]
fn a_three_year_monthly_plan_counts_26280_hours_and_is_due_one_installment_now() {
    let q = trade_in(&[half_used_vm()], &[plan(Term::P3Y, BillingPlan::Monthly, dec!(0.17))], "2026-07-02");
    let quoted = &q.savings_plans[0];
    assert_eq!((quoted.hours, quoted.lifetime_commitment), (26_280, usd(dec!(4467.60))));
    assert_eq!(quoted.due_now, usd(dec!(124.10)), "4467.60 / 36");
    // 4392 / 26280 = 0.1671…: 0.17.
    assert_eq!(quoted.minimum_hourly_commitment, usd(dec!(0.17)));
    assert!(q.is_valid_exchange(), "{:?}", q.policy_errors);
    assert_eq!(q.lines.last().unwrap().reason, reason::SAVINGS_PLAN_FIRST_INSTALLMENT);
    assert_eq!(lines_sum(q.currency, &q.lines), q.net_payable);
}

#[test]
fn vm_dedicated_host_and_app_service_reservations_trade_in_together_and_database_reservations_not_for_a_compute_plan() {
    let r = half_used_vm().reservation;
    let compute = ["VirtualMachines", "DedicatedHost", "AppService"]
        .map(|f| ExchangeReturn { reservation: of(f, r.clone()), quantity: 1 });
    let q = trade_in(&compute, &[plan(Term::P3Y, BillingPlan::Upfront, dec!(1.00))], "2026-07-02");
    assert!(q.is_valid_exchange(), "several families in one trade-in: {:?}", q.policy_errors);

    for database in DATABASES {
        let returns = [half_used_vm(), ExchangeReturn { reservation: of(database, r.clone()), quantity: 1 }];
        let q = trade_in(&returns, &[plan(Term::P1Y, BillingPlan::Upfront, dec!(2.00))], "2026-07-02");
        assert_eq!(error_codes(&q.policy_errors), [PolicyErrorCode::TradeInNotEligible], "{database}");
        assert_eq!(
            q.policy_errors[0].detail,
            Some(PolicyErrorDetail::TradeInNotEligible {
                reserved_resource_type: database.into(),
                savings_plan_sku: COMPUTE_SAVINGS_PLAN.into(),
                term: Term::P1Y,
            })
        );
        let message = &q.policy_errors[0].message;
        assert!(message.starts_with("Return 2:") && message.contains(database) && message.contains(COMPUTE_SAVINGS_PLAN), "{message}");
    }
    // A 5-year plan takes nothing.
    let five = trade_in(&[half_used_vm()], &[plan(Term::P5Y, BillingPlan::Upfront, dec!(1.00))], "2026-07-02");
    assert_eq!(error_codes(&five.policy_errors), [PolicyErrorCode::TradeInNotEligible]);
}

/// The database types the savings plan for databases takes in.
const DATABASES: [&str; 4] = ["SqlDatabases", "PostgreSql", "MySql", "CosmosDb"];

fn database_plan(term: Term, billing: BillingPlan, hourly: Decimal) -> SavingsPlanPurchase {
    SavingsPlanPurchase { sku_name: DATABASE_SAVINGS_PLAN.into(), ..plan(term, billing, hourly) }
}

#[test]
fn a_database_reservation_trades_for_one_year_of_the_database_plan_at_its_minimum_and_a_cent_less_is_refused() {
    for database in DATABASES {
        let returns = [ExchangeReturn { reservation: of(database, half_used_vm().reservation), quantity: 1 }];
        // The same figures as the VM's: RC = 4392; 0.51 × 8760 = 4467.60 reaches it, 0.50 does not.
        let probe = trade_in(&returns, &[database_plan(Term::P1Y, BillingPlan::Monthly, dec!(0.01))], "2026-07-02");
        assert_eq!(probe.remaining_commitment_total, usd(dec!(4392.00)), "{database}");
        assert_eq!(probe.savings_plans[0].minimum_hourly_commitment, usd(dec!(0.51)), "{database}");

        let monthly = trade_in(&returns, &[database_plan(Term::P1Y, BillingPlan::Monthly, dec!(0.51))], "2026-07-02");
        assert!(monthly.is_valid_exchange(), "{database}: {:?}", monthly.policy_errors);
        let quoted = &monthly.savings_plans[0];
        assert_eq!((quoted.sku_name.as_str(), quoted.hours, quoted.lifetime_commitment), (DATABASE_SAVINGS_PLAN, 8_760, usd(dec!(4467.60))));
        assert_eq!(quoted.due_now, usd(dec!(372.30)), "{database}: the first of 12 installments");
        let upfront = trade_in(&returns, &[database_plan(Term::P1Y, BillingPlan::Upfront, dec!(0.51))], "2026-07-02");
        assert!(upfront.is_valid_exchange(), "{database}: {:?}", upfront.policy_errors);
        assert_eq!(upfront.savings_plans[0].due_now, usd(dec!(4467.60)));

        let below = trade_in(&returns, &[database_plan(Term::P1Y, BillingPlan::Upfront, dec!(0.50))], "2026-07-02");
        assert_eq!(error_codes(&below.policy_errors), [PolicyErrorCode::SavingsPlanCommitmentTooLow], "{database}");

        // Three years of the database plan: refused, naming the reservation's type and the plan.
        let three = trade_in(&returns, &[database_plan(Term::P3Y, BillingPlan::Upfront, dec!(1.00))], "2026-07-02");
        assert_eq!(error_codes(&three.policy_errors), [PolicyErrorCode::TradeInNotEligible], "{database}");
        assert_eq!(
            three.policy_errors[0].detail,
            Some(PolicyErrorDetail::TradeInNotEligible { reserved_resource_type: database.into(), savings_plan_sku: DATABASE_SAVINGS_PLAN.into(), term: Term::P3Y })
        );
        // Bought after the 2027 exchange restriction, it may still be traded in.
        let bought_after = [ExchangeReturn { reservation: of(database, vm(Term::P1Y, BillingPlan::Upfront, "2027-02-15", 1, dec!(8760))), quantity: 1 }];
        let q = trade_in(&bought_after, &[database_plan(Term::P1Y, BillingPlan::Upfront, dec!(1.00))], "2027-03-01");
        assert!(q.is_valid_exchange(), "{database}: {:?}", q.policy_errors);
    }
    // Before the plan existed (18 March 2026), there was nothing to trade for.
    let early = [ExchangeReturn { reservation: of("SqlDatabases", vm(Term::P1Y, BillingPlan::Upfront, "2026-01-01", 1, dec!(8760))), quantity: 1 }];
    assert_eq!(error_codes(&trade_in(&early, &[database_plan(Term::P1Y, BillingPlan::Upfront, dec!(1.00))], "2026-03-17").policy_errors), [PolicyErrorCode::TradeInNotEligible]);
}

#[test]
fn a_vm_reservation_cannot_buy_a_database_plan_nor_a_database_reservation_a_compute_plan() {
    let vm_for_database = trade_in(&[half_used_vm()], &[database_plan(Term::P1Y, BillingPlan::Upfront, dec!(1.00))], "2026-07-02");
    assert_eq!(error_codes(&vm_for_database.policy_errors), [PolicyErrorCode::TradeInNotEligible]);
    assert_eq!(
        vm_for_database.policy_errors[0].detail,
        Some(PolicyErrorDetail::TradeInNotEligible { reserved_resource_type: "VirtualMachines".into(), savings_plan_sku: DATABASE_SAVINGS_PLAN.into(), term: Term::P1Y })
    );
    let message = &vm_for_database.policy_errors[0].message;
    assert!(message.contains("VirtualMachines") && message.contains(DATABASE_SAVINGS_PLAN), "{message}");

    let sql = [ExchangeReturn { reservation: of("SqlDatabases", half_used_vm().reservation), quantity: 1 }];
    let sql_for_compute = trade_in(&sql, &[plan(Term::P1Y, BillingPlan::Upfront, dec!(1.00))], "2026-07-02");
    assert_eq!(
        sql_for_compute.policy_errors[0].detail,
        Some(PolicyErrorDetail::TradeInNotEligible { reserved_resource_type: "SqlDatabases".into(), savings_plan_sku: COMPUTE_SAVINGS_PLAN.into(), term: Term::P1Y })
    );
    // A VM and a SQL reservation, one plan of each kind: each plan refuses the other's reservation.
    let both = [half_used_vm(), sql[0].clone()];
    let q = trade_in(&both, &[plan(Term::P1Y, BillingPlan::Upfront, dec!(1.00)), database_plan(Term::P1Y, BillingPlan::Upfront, dec!(1.00))], "2026-07-02");
    assert_eq!(error_codes(&q.policy_errors), [PolicyErrorCode::TradeInNotEligible, PolicyErrorCode::TradeInNotEligible]);
}

#[test]
fn a_trade_in_takes_100_reservations_and_not_101() {
    let small = ExchangeReturn { reservation: vm(Term::P1Y, BillingPlan::Upfront, "2026-01-01", 1, dec!(10)), quantity: 1 };
    let hundred = vec![small.clone(); 100];
    let q = trade_in(&hundred, &[plan(Term::P1Y, BillingPlan::Upfront, dec!(1.00))], "2026-07-02");
    assert!(q.is_valid_exchange(), "{:?}", q.policy_errors);
    let mut hundred_one = hundred;
    hundred_one.push(small);
    let q = trade_in(&hundred_one, &[plan(Term::P1Y, BillingPlan::Upfront, dec!(1.00))], "2026-07-02");
    assert_eq!(error_codes(&q.policy_errors), [PolicyErrorCode::TradeInTooManyReservations]);
    assert_eq!(q.policy_errors[0].detail, Some(PolicyErrorDetail::TradeInTooManyReservations { reservations: 101, max: 100 }));
    // An exchange without savings plans is not bound by the trade-in's 100.
    let p = purchase(Term::P1Y, BillingPlan::Upfront, 1, usd(dec!(5000)));
    let exchange = quote_exchange(&az(), d("2026-07-02"), &hundred_one, &[p]).unwrap();
    assert!(exchange.is_valid_exchange(), "{:?}", exchange.policy_errors);
}

#[test]
fn a_reservation_that_may_no_longer_be_exchanged_may_still_be_traded_in() {
    let bought_after = ExchangeReturn { reservation: vm(Term::P1Y, BillingPlan::Upfront, "2027-02-15", 1, dec!(8760)), quantity: 1 };
    let q = trade_in(std::slice::from_ref(&bought_after), &[plan(Term::P1Y, BillingPlan::Upfront, dec!(1.00))], "2027-03-01");
    assert!(q.is_valid_exchange(), "the trade-in policy does not change: {:?}", q.policy_errors);
    // Beside a reservation purchase it is an exchange again, and refused.
    let p = purchase(Term::P1Y, BillingPlan::Upfront, 1, usd(dec!(9000)));
    let mixed = quote_exchange_with_savings_plans(&az(), d("2027-03-01"), &[bought_after], &[p], &[plan(Term::P1Y, BillingPlan::Upfront, dec!(1.00))])
        .unwrap();
    assert_eq!(error_codes(&mixed.policy_errors), [PolicyErrorCode::ReservationNotExchangeable]);
}

#[test]
fn a_plan_in_another_currency_is_left_out_and_the_minimum_counts_the_rest_of_the_exchange() {
    let eur = SavingsPlanPurchase { hourly_commitment: money(dec!(1.00), "EUR"), ..plan(Term::P1Y, BillingPlan::Upfront, dec!(0)) };
    let q = trade_in(&[half_used_vm()], &[eur], "2026-07-02");
    assert!(error_codes(&q.policy_errors).contains(&PolicyErrorCode::CurrencyMismatch));
    assert!(q.savings_plans.is_empty());
    // A reservation bought beside the plan lowers what the plan must bring.
    let p = purchase(Term::P1Y, BillingPlan::Upfront, 1, usd(dec!(4000)));
    let q = quote_exchange_with_savings_plans(&az(), d("2026-07-02"), &[half_used_vm()], &[p], &[plan(Term::P1Y, BillingPlan::Upfront, dec!(0.05))])
        .unwrap();
    // (4392 − 4000) / 8760 = 0.0447…: 0.05.
    assert_eq!(q.savings_plans[0].minimum_hourly_commitment, usd(dec!(0.05)));
    assert!(q.is_valid_exchange(), "{:?}", q.policy_errors);
    // Already enough without the plan: zero.
    let p = purchase(Term::P1Y, BillingPlan::Upfront, 1, usd(dec!(5000)));
    let q = quote_exchange_with_savings_plans(&az(), d("2026-07-02"), &[half_used_vm()], &[p], &[plan(Term::P1Y, BillingPlan::Upfront, dec!(0.05))])
        .unwrap();
    assert_eq!(q.savings_plans[0].minimum_hourly_commitment, usd(dec!(0.00)));
}

#[test]
fn the_quote_api_reads_savings_plans_and_answers_them_and_without_them_answers_as_before() {
    let body = r#"{"policy":"azure-current","asOf":"2026-07-02",
        "returns":[{"reservation":{"reservedResourceType":"VirtualMachines","term":"P1Y","billingPlan":"Upfront",
            "purchaseDate":"2026-01-01","quantity":1,"unitPrice":{"amount":"8760.00","currencyCode":"USD"},"hasUsage":true},"quantity":1}],
        "purchases":[],
        "savingsPlansToPurchase":[{"skuName":"Compute_Savings_Plan","term":"P1Y","billingPlan":"Upfront",
            "hourlyCommitment":{"amount":"0.51","currencyCode":"USD"}}]}"#;
    let request: ExchangeQuoteRequest = serde_json::from_str(body).unwrap();
    let answer = serde_json::to_value(exchange(&request).unwrap()).unwrap();
    assert_eq!(answer["isValidExchange"], true);
    assert_eq!(answer["savingsPlans"][0]["lifetimeCommitment"]["amount"], "4467.60");
    assert_eq!(answer["savingsPlans"][0]["minimumHourlyCommitment"]["amount"], "0.51");
    assert_eq!(answer["savingsPlans"][0]["hours"], 8760);
    // Neither plans nor purchases: the request names the list it needs.
    let none: ExchangeQuoteRequest = serde_json::from_str(&body.replace(r#""savingsPlansToPurchase":[{"skuName":"Compute_Savings_Plan","term":"P1Y","billingPlan":"Upfront",
            "hourlyCommitment":{"amount":"0.51","currencyCode":"USD"}}]"#, r#""savingsPlansToPurchase":[]"#)).unwrap();
    assert_eq!(exchange(&none).unwrap_err().field, "purchases");
    // Without savings plans, no `savingsPlans` key and the request writes none either.
    let plain = ExchangeQuoteRequest {
        savings_plans_to_purchase: Vec::new(),
        purchases: vec![purchase(Term::P1Y, BillingPlan::Upfront, 1, usd(dec!(9000)))],
        ..request
    };
    assert!(!serde_json::to_string(&plain).unwrap().contains("savingsPlansToPurchase"));
    let answer = serde_json::to_string(&exchange(&plain).unwrap()).unwrap();
    assert!(!answer.contains("savingsPlans"), "{answer}");
    // A bad hourly commitment is a 400 naming it.
    let bad: ExchangeQuoteRequest = serde_json::from_str(&body.replace("\"0.51\"", "\"0.511\"")).unwrap();
    assert_eq!(exchange(&bad).unwrap_err().field, "savingsPlansToPurchase[0].hourlyCommitment.amount");
}
