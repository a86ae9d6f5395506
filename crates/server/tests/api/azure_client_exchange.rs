//! An exchange through Azure Resource Manager, the client itself
//! (`azure_client::AzureClient::{calculate_exchange, start_exchange}`, `azure_client::exchanged`)
//! against the ARM stand-in (`azure_stand_ins/arm_exchange.rs`, written from the specification's
//! `CalculateExchange.json` and `Exchange.json`), over real HTTP with a token obtained on behalf
//! of the signed-in partner user (the stand-in's token endpoint checks the user's assertion and
//! issues a token for the customer's tenant and ARM, which every ARM call checks). The
//! calculation is followed through its `Azure-AsyncOperation` to Azure's exact figures and
//! session; the exchange is started once and followed to what it bought, which the tenant then
//! lists and whose order ARM prices; a session is good for one exchange; a failed operation, a
//! user without rights, ARM unreachable and a lost answer are each what Azure said.

use crate::azure_desk;
use crate::azure_stand_ins;

use std::str::FromStr;
use std::time::Duration;

use azure_api::exchange::{PurchaseProperties, PurchaseRequest};
use azure_api::order_price::OrderPrice;
use azure_api::reservation::SkuName;
use azure_client::{exchanged, ExchangeReturn, PollKind};
use azure_desk::*;
use azure_stand_ins::{DEFAULT_UNIT_PRICE, DEFAULT_UNIT_REFUND, REFUND_EXCEEDS_PURCHASE};
use contract::reservation::AppliedScopeType;
use quote_engine::{BillingPlan, Term};
use rust_decimal::Decimal;
use serde_json::Value;

const TENANT: &str = "tenant-contoso";

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn returning(reservation: &str, quantity: u32) -> Vec<ExchangeReturn> {
    vec![ExchangeReturn { order_id: "order-c".into(), reservation_id: reservation.into(), quantity }]
}

fn buying(sku: &str, quantity: u32) -> Vec<PurchaseRequest> {
    vec![PurchaseRequest {
        sku: SkuName { name: sku.into() },
        location: "westeurope".into(),
        properties: PurchaseProperties {
            reserved_resource_type: Some("VirtualMachines".into()),
            billing_scope_id: None,
            term: Term::P3Y,
            billing_plan: BillingPlan::Upfront,
            quantity,
            display_name: Some("contoso d4".into()),
            applied_scope_type: AppliedScopeType::Shared,
            applied_scopes: None,
            applied_scope_properties: None,
            renew: None,
        },
    }]
}

fn listed(d: &Desk, reservation: &str) -> Option<Value> {
    d.stand_ins.listed(TENANT).into_iter().find(|r| r["id"].as_str().is_some_and(|id| id.ends_with(&format!("/reservations/{reservation}"))))
}

#[tokio::test]
async fn an_exchange_is_calculated_made_once_and_followed_to_what_it_bought() {
    let d = desk().await;
    let (client, user) = d.azure_client();
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c2"), Some(2));

    // calculateExchange: 202, followed through Azure-AsyncOperation to the figures.
    let calc = client.calculate_exchange(&user, TENANT, &returning("res-c2", 1), &buying("Standard_D4s_v3", 1), &[]).await.unwrap();
    assert_eq!(calc.session_id, "20000000-aaaa-bbbb-cccc-000000000001");
    let refund = dec(&DEFAULT_UNIT_REFUND.to_string());
    assert_eq!((calc.refunds_total.currency_code.as_str(), calc.refunds_total.amount.0), ("USD", refund));
    assert_eq!((calc.purchases_total.currency_code.as_str(), calc.purchases_total.amount.0), ("USD", dec(DEFAULT_UNIT_PRICE)));
    assert_eq!(calc.net_payable.amount.0, dec("2879.5"), "3000.00 − 120.5");
    assert!(calc.policy_errors.is_empty(), "{:?}", calc.policy_errors);
    d.stand_ins.exchanges(|x| assert_eq!((x.calculations, x.calculation_polls, x.exchanges_posted.len()), (1, 1, 0), "a calculation posts no exchange"));
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c2"), Some(2), "a calculation changes nothing");
    assert_eq!(*d.waits.lock().unwrap(), vec![Duration::from_secs(5)], "the 202's Retry-After waited once");

    // exchange: 202 with the status document to follow, made at once by ARM.
    let started = client.start_exchange(&user, TENANT, &calc.session_id).await.unwrap();
    assert_eq!(started.answer.status, 202);
    let poll = started.poll.clone().expect("an operation to follow");
    assert_eq!(poll.kind, PollKind::AsyncOperation);
    assert!(poll.url.starts_with(&format!("{}/providers/Microsoft.Capacity/exchangeOperationResults/exchange-1?", d.stand_ins.base())), "{}", poll.url);
    assert_eq!(started.wait, Duration::from_secs(5));
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c2"), Some(1), "the returned unit left at once");

    // Followed: InProgress twice, then Succeeded naming what was bought.
    let answer = client.follow(&user, TENANT, &poll, started.wait).await.unwrap();
    d.stand_ins.exchanges(|x| assert_eq!(x.polls_answered, 3, "two InProgress, then Succeeded"));
    assert_eq!(exchanged(&answer).unwrap().purchased, vec![("xorder-1".to_owned(), "xres-1-1".to_owned())]);
    assert_eq!(d.waits.lock().unwrap().len(), 4, "each poll after its Retry-After: {:?}", d.waits.lock().unwrap());

    // The tenant lists the new reservation as bought; the client reads it as the desk does.
    let new = listed(&d, "xres-1-1").expect("the reservation bought");
    let p = &new["properties"];
    assert_eq!((&new["name"], &new["sku"]["name"], &new["location"]), (&Value::from("xorder-1/xres-1-1"), &Value::from("Standard_D4s_v3"), &Value::from("westeurope")));
    assert_eq!((&p["quantity"], &p["term"], &p["billingPlan"], &p["displayName"]), (&Value::from(1), &Value::from("P3Y"), &Value::from("Upfront"), &Value::from("contoso d4")));
    assert_eq!((&p["purchaseDate"], &p["expiryDate"], &p["appliedScopeType"]), (&Value::from("2026-11-25"), &Value::from("2029-11-25"), &Value::from("Shared")));
    let read = client.reservations(&azure_client::Reader::User(user.clone()), TENANT).await.unwrap();
    let names: Vec<&str> = read.iter().map(|r| r.as_ref().unwrap().name.as_deref().unwrap()).collect();
    assert!(names.contains(&"xorder-1/xres-1-1") && names.len() == 6, "{names:?}");
    assert_eq!(client.reservation(&user, TENANT, "order-c", "res-c2").await.unwrap().and_then(|r| r.properties?.quantity), Some(1));

    // Its order is priced at what the exchange paid for it.
    let order = client.reservation_order(&azure_client::Reader::User(user.clone()), TENANT, "xorder-1").await.unwrap();
    match order.price() {
        OrderPrice::Known { unit_price, pricing_unit_price: None } => assert_eq!((unit_price.amount, unit_price.currency.code()), (dec("3000"), "USD")),
        other => panic!("{other:?}"),
    }

    // The session was used: a second exchange is refused and changes nothing.
    let again = client.start_exchange(&user, TENANT, &calc.session_id).await.unwrap_err();
    assert_eq!((again.status, again.code.as_str()), (Some(400), "InvalidSessionId"), "{again}");
    assert_eq!(d.stand_ins.exchanges(|x| x.exchanges_posted.get(&calc.session_id).copied()), Some(2));
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c2"), Some(1));
    assert!(listed(&d, "xres-2-1").is_none());
    d.stand_ins.record(|r| {
        assert!(r.refused.is_empty(), "every token was ARM's for the tenant: {:?}", r.refused);
        let asked: Vec<_> = r.tokens.iter().collect();
        assert_eq!(asked, vec![(&(TENANT.to_owned(), azure_client::ARM_SCOPE.to_owned()), &1)], "one on-behalf-of exchange, for ARM in the customer's tenant, then cached");
    });
}

#[tokio::test]
async fn arm_refuses_what_the_tenant_does_not_hold_and_a_session_of_another_tenant() {
    let d = desk().await;
    let (client, user) = d.azure_client();
    let more = client.calculate_exchange(&user, TENANT, &returning("res-c2", 3), &buying("Standard_D4s_v3", 1), &[]).await.unwrap_err();
    assert_eq!((more.status, more.code.as_str()), (Some(400), "InvalidQuantity"), "{more}");
    let other = vec![ExchangeReturn { order_id: "order-f".into(), reservation_id: "res-f1".into(), quantity: 1 }];
    let elsewhere = client.calculate_exchange(&user, TENANT, &other, &buying("Standard_D4s_v3", 1), &[]).await.unwrap_err();
    assert_eq!((elsewhere.status, elsewhere.code.as_str()), (Some(404), "ReservationNotFound"), "fabrikam's reservation is not in contoso's tenant");

    let fabrikam = client.calculate_exchange(&user, "tenant-fabrikam", &other, &buying("Standard_D4s_v3", 1), &[]).await.unwrap();
    let crossed = client.start_exchange(&user, TENANT, &fabrikam.session_id).await.unwrap_err();
    assert_eq!((crossed.status, crossed.code.as_str()), (Some(400), "InvalidSessionId"), "a session is good in its own tenant only");
    assert_eq!(d.stand_ins.exchanges(|x| x.calculations), 1);
}

#[tokio::test]
async fn purchases_cheaper_than_the_refunds_name_azures_policy_error_and_are_not_made() {
    let d = desk().await;
    let (client, user) = d.azure_client();
    d.stand_ins.exchanges(|x| x.unit_price = dec("100.25"));
    let calc = client.calculate_exchange(&user, TENANT, &returning("res-c3", 1), &buying("Standard_D2s_v3", 1), &[]).await.unwrap();
    assert_eq!((calc.purchases_total.amount.0, calc.net_payable.amount.0), (dec("100.25"), dec("-20.25")));
    assert_eq!(calc.policy_errors.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), vec![REFUND_EXCEEDS_PURCHASE]);
    let refused = client.start_exchange(&user, TENANT, &calc.session_id).await.unwrap_err();
    assert_eq!((refused.status, refused.code.as_str()), (Some(400), REFUND_EXCEEDS_PURCHASE));
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c3"), Some(3));
}

#[tokio::test]
async fn a_failed_exchange_operation_is_azures_error_and_changes_nothing() {
    let d = desk().await;
    let (client, user) = d.azure_client();
    d.stand_ins.exchanges(|x| x.fail_operation = Some(("PurchaseError".into(), "The purchase could not be completed.".into())));
    let calc = client.calculate_exchange(&user, TENANT, &returning("res-c2", 1), &buying("Standard_D4s_v3", 1), &[]).await.unwrap();
    let started = client.start_exchange(&user, TENANT, &calc.session_id).await.unwrap();
    let failed = client.follow(&user, TENANT, started.poll.as_ref().unwrap(), started.wait).await.unwrap_err();
    assert_eq!((failed.code.as_str(), failed.message.as_str()), ("PurchaseError", "The purchase could not be completed."), "{failed}");
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c2"), Some(2));
    assert!(listed(&d, "xres-1-1").is_none());
}

#[tokio::test]
async fn a_user_without_rights_arm_unreachable_and_a_lost_answer_are_what_azure_said() {
    let d = desk().await;
    let (client, user) = d.azure_client();

    d.stand_ins.exchanges(|x| x.forbidden = true);
    let forbidden = client.calculate_exchange(&user, TENANT, &returning("res-c2", 1), &buying("Standard_D4s_v3", 1), &[]).await.unwrap_err();
    assert_eq!((forbidden.status, forbidden.code.as_str()), (Some(403), "AuthorizationFailed"), "{forbidden}");
    assert!(forbidden.message.contains("Microsoft.Capacity/calculateExchange/action"), "{forbidden}");
    let forbidden = client.start_exchange(&user, TENANT, "20000000-aaaa-bbbb-cccc-000000000001").await.unwrap_err();
    assert_eq!((forbidden.status, forbidden.code.as_str()), (Some(403), "AuthorizationFailed"));
    d.stand_ins.exchanges(|x| x.forbidden = false);

    d.stand_ins.exchanges(|x| x.unreachable = true);
    let down = client.calculate_exchange(&user, TENANT, &returning("res-c2", 1), &buying("Standard_D4s_v3", 1), &[]).await.unwrap_err();
    assert_eq!((down.status, down.code.as_str()), (Some(503), "ServiceUnavailable"), "{down}");
    d.stand_ins.exchanges(|x| x.unreachable = false);

    // The exchange is made and its answer lost: the desk hears a 500, Azure holds the exchange.
    let calc = client.calculate_exchange(&user, TENANT, &returning("res-c2", 1), &buying("Standard_D4s_v3", 1), &[]).await.unwrap();
    d.stand_ins.exchanges(|x| x.lose_exchange_answer = true);
    let lost = client.start_exchange(&user, TENANT, &calc.session_id).await.unwrap_err();
    assert_eq!(lost.status, Some(500), "{lost}");
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c2"), Some(1));
    assert!(listed(&d, "xres-1-1").is_some());
}

/// The savings plan of Microsoft's published `CalculateExchange.json` (a trade-in), as the
/// example writes it: its `billingScopeId`, `term`, `appliedScopeType` and
/// `appliedScopeProperties`, `commitment {currencyCode, amount, grain}` and `displayName`.
fn published_plan() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../azure-api/tests/published/microsoft.capacity-2022-11-01/examples/CalculateExchange.json");
    let example: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    example["parameters"]["body"]["properties"]["savingsPlansToPurchase"][0].clone()
}

#[tokio::test]
async fn a_trade_in_sends_the_published_savings_plan_and_reads_azures_figure_and_the_plans_ids() {
    let d = desk().await;
    let (client, user) = d.azure_client();
    let plan = published_plan();
    let asked: azure_api::exchange::SavingsPlanPurchaseRequest = serde_json::from_value(plan.clone()).unwrap();

    // calculateExchange with the plan and no reservation bought: the request ARM receives is
    // the example's, member for member; its figure is the lifetime commitment (15.23 × 8,760).
    let calc = client.calculate_exchange(&user, TENANT, &returning("res-c2", 1), &[], std::slice::from_ref(&asked)).await.unwrap();
    let sent = d.stand_ins.exchanges(|x| x.last_calculation.clone()).unwrap();
    assert_eq!(sent["properties"]["savingsPlansToPurchase"], serde_json::json!([plan]), "{sent}");
    assert_eq!(sent["properties"]["reservationsToPurchase"], serde_json::json!([]), "{sent}");
    let lifetime = dec("15.23") * Decimal::from(8760);
    assert_eq!(calc.savings_plans.iter().map(|p| p.as_ref().map(|p| p.amount.0)).collect::<Vec<_>>(), vec![Some(lifetime)]);
    assert_eq!(calc.purchases_total.amount.0, lifetime);
    assert!(calc.policy_errors.is_empty(), "{:?}", calc.policy_errors);

    // exchange, followed: the plan's savingsPlanOrderId and savingsPlanId, bare; the stand-in
    // keeps the plan it bought, and a second exchange of the session is refused.
    let started = client.start_exchange(&user, TENANT, &calc.session_id).await.unwrap();
    let answer = client.follow(&user, TENANT, &started.poll.unwrap(), started.wait).await.unwrap();
    let done = exchanged(&answer).unwrap();
    assert_eq!((done.purchased.len(), done.savings_plans.clone()), (0, vec![("spo-1-1".to_owned(), "sp-1-1".to_owned())]));
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c2"), Some(1), "the unit traded in left");
    let kept = d.stand_ins.exchanges(|x| x.savings_plans.clone());
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].0.as_str(), &kept[0].1["properties"]["commitment"]), (TENANT, &plan["properties"]["commitment"]));
    assert!(client.start_exchange(&user, TENANT, &calc.session_id).await.is_err(), "a session is good for one exchange");

    // Azure's policy: a commitment under its minimum is named in the calculation's policyResult.
    d.stand_ins.exchanges(|x| x.minimum_hourly_commitment = Some(dec("20")));
    let refused = client.calculate_exchange(&user, TENANT, &returning("res-c2", 1), &[], std::slice::from_ref(&asked)).await.unwrap();
    assert_eq!(refused.policy_errors.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(), vec!["SavingsPlanCommitmentTooLow"]);
}
