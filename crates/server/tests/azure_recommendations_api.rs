//! What to buy, in Azure mode: `GET /api/customers/{id}/recommendations` reads
//! Microsoft.Consumption's reservation recommendations in the customer's tenant, on behalf of the
//! signed-in user, for every subscription the user sees there (the stand-in:
//! `azure_stand_ins/consumption.rs`, written from the specification's examples). Azure's figures
//! are shown as Azure gave them (to the cent), each priced by the desk's engine, largest yearly
//! savings first; a subscription the user may not read costs only its own recommendations, a
//! tenant where the user may read none answers Azure's refusal, and a demo user cannot ask.

mod azure_desk;
mod azure_stand_ins;
mod oidc_provider;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::{recommendation, Subscription};
use rust_decimal::Decimal;
use serde_json::{json, Value};

const TENANT: &str = "tenant-contoso";
const FILTER: &str = "properties/scope eq 'Single' AND properties/lookBackPeriod eq 'Last30Days'";

fn decimal(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("{v} is an amount")).parse().unwrap()
}

/// Contoso's subscriptions: two recommending for themselves (one across two pages, with a SKU
/// of contoso's own reservations that the desk's catalog does not sell), one with nothing to
/// recommend, one disabled, one the user may not read.
fn contoso() -> Vec<Subscription> {
    vec![
        Subscription::enabled(
            "sub-c1",
            vec![
                recommendation("Standard_D4s_v5", "westeurope", "P1Y", 2, 480.123456789, 288.0, 192.123456789),
                recommendation("Standard_D4s_v5", "westeurope", "P3Y", 2, 480.12, 200.0, 280.12),
                recommendation("Standard_D2s_v3", "westeurope", "P1Y", 1, 100.0, 60.0, 40.0),
            ],
        ),
        Subscription::enabled("sub-c2", vec![recommendation("Standard_E8s_v5", "eastus", "P1Y", 1, 600.0, 360.0, 240.0)]),
        Subscription::enabled("sub-c3", vec![]),
        Subscription { state: "Disabled".into(), ..Subscription::enabled("sub-c4", vec![recommendation("Standard_D4s_v5", "eastus", "P1Y", 9, 1.0, 1.0, 0.0)]) },
        Subscription { refused: true, ..Subscription::enabled("sub-c5", vec![recommendation("Standard_D4s_v5", "eastus", "P1Y", 7, 1.0, 1.0, 0.0)]) },
    ]
}

/// The on-demand total the engine avoids over the proposal's term: `cost` over 30 days, per
/// day, for every day from the purchase to the expiry.
fn avoided(proposal: &Value, cost: &str) -> Decimal {
    let day = |k: &str| chrono::NaiveDate::parse_from_str(proposal[k].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let days = Decimal::from((day("expiryDate") - day("asOf")).num_days());
    (cost.parse::<Decimal>().unwrap() / Decimal::from(30) * days).round_dp(2)
}

#[tokio::test]
async fn a_signed_in_user_reads_azures_recommendations_priced_by_the_desk() {
    let d = desk().await;
    read(&d).await;
    d.stand_ins.consumption(|c| c.subscriptions.insert(TENANT.into(), contoso()));

    let (status, body) = d.call("GET", "/api/customers/contoso/recommendations", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let list = body["recommendations"].as_array().unwrap();
    let named: Vec<(&str, &str)> = list.iter().map(|r| (r["skuId"].as_str().unwrap(), r["term"].as_str().unwrap())).collect();
    // Largest yearly savings first (three years of D4s_v5 save most a year); the SKU the
    // catalog cannot price, the disabled and the refused subscriptions are not there.
    assert_eq!(named, vec![("Standard_D4s_v5/westeurope", "P3Y"), ("Standard_E8s_v5/eastus", "P1Y"), ("Standard_D4s_v5/westeurope", "P1Y")], "{body}");

    let d4 = &list[2];
    assert_eq!((d4["recommendedQuantity"].as_u64(), d4["lookBackPeriod"].as_str()), (Some(2), Some("Last30Days")), "{d4}");
    assert_eq!((&d4["netSavings"]["amount"], &d4["costWithNoReservedInstances"]["amount"]), (&json!("192.12"), &json!("480.12")), "Azure's figures, to the cent: {d4}");
    assert_eq!(d4["totalCostWithReservedInstances"]["amount"], json!("288.00"));
    assert_eq!((&d4["appliedScopeType"], &d4["appliedScopeProperties"]["subscriptionId"]), (&json!("Single"), &json!("/subscriptions/sub-c1")));
    assert_eq!((&d4["onDemand"]["days"], &d4["onDemand"]["quantity"], &d4["onDemand"]["cost"]["amount"]), (&json!(30), &json!(2), &json!("480.12")));
    assert_eq!(d4["firstUsageDate"], "2026-10-27");
    // The engine's proposal: 1752.00 a unit for a year, against Azure's on-demand cost.
    let proposal = &d4["proposal"];
    assert_eq!(proposal["commitment"]["amount"], "3504.00", "{proposal}");
    let on_demand = avoided(proposal, "480.12");
    assert_eq!(decimal(&proposal["savings"]["onDemandTotal"]["amount"]), on_demand, "{proposal}");
    assert_eq!(decimal(&proposal["savings"]["savingsTotal"]["amount"]), on_demand - Decimal::new(350400, 2));
    assert!(d4.get("refusal").is_none());

    let e8 = &list[1];
    assert_eq!((&e8["netSavings"]["amount"], &e8["proposal"]["commitment"]["amount"]), (&json!("240.00"), &json!("4380.00")), "{e8}");
    assert_eq!(e8["appliedScopeProperties"]["subscriptionId"], "/subscriptions/sub-c2");
    let three_years = &list[0]["proposal"];
    assert_eq!(three_years["commitment"]["amount"], "8409.60", "{three_years}");

    // The savings on the table: the best term of each SKU and subscription, summed.
    let yearly = |r: &Value| decimal(&r["proposal"]["savings"]["savingsPerYear"]["amount"]);
    assert!(yearly(&list[0]) >= yearly(&list[1]) && yearly(&list[1]) >= yearly(&list[2]), "sorted: {body}");
    assert_eq!(decimal(&body["savingsPerYear"]["amount"]), yearly(&list[0]) + yearly(&list[1]), "{body}");
    assert_eq!(body["savingsPerYear"]["currencyCode"], "USD");

    // Asked of ARM with the user's token in contoso's tenant, every page, each subscription once.
    let asked = d.stand_ins.consumption(|c| c.asked.clone());
    for a in &asked {
        assert_eq!((a.tenant.as_str(), a.user.as_str(), a.via.as_str()), (TENANT, oidc_provider::OID, "obo"), "{a:?}");
    }
    let paths: Vec<&str> = asked.iter().map(|a| a.path.as_str()).collect();
    let of = |sub: &str| format!("/subscriptions/{sub}/providers/Microsoft.Consumption/reservationRecommendations");
    assert_eq!(paths.iter().filter(|p| **p == "/subscriptions").count(), 3, "five subscriptions, two a page: {paths:?}");
    assert_eq!(paths.iter().filter(|p| **p == of("sub-c1")).count(), 2, "three recommendations, two a page: {paths:?}");
    for (sub, times) in [("sub-c2", 1), ("sub-c3", 1), ("sub-c4", 0), ("sub-c5", 1)] {
        assert_eq!(paths.iter().filter(|p| **p == of(sub)).count(), times, "{sub}: {paths:?}");
    }
    assert!(asked.iter().filter(|a| a.path != "/subscriptions").all(|a| a.filter.as_deref() == Some(FILTER)), "{asked:?}");
    d.stand_ins.record(|r| assert!(r.refused.is_empty(), "{:?}", r.refused));
}

#[tokio::test]
async fn a_tenant_refusing_the_user_says_azures_words_and_a_demo_user_cannot_ask() {
    let d = desk().await;
    read(&d).await;

    // Every subscription refuses the user: Azure's refusal, not "nothing to buy".
    d.stand_ins.consumption(|c| c.subscriptions.insert(TENANT.into(), vec![Subscription { refused: true, ..Subscription::enabled("sub-x", vec![]) }]));
    let (status, problem) = d.call("GET", "/api/customers/contoso/recommendations", None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    for said in ["could not read the reservation recommendations", "AuthorizationFailed", "Microsoft.Consumption/reservationRecommendations/read"] {
        assert!(detail.contains(said), "{said:?} in {detail}");
    }

    // A tenant where the user has no role at all: ARM refuses the subscriptions themselves.
    let (status, problem) = d.call("GET", "/api/customers/forbidden/recommendations", None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("AuthorizationFailed"), "{problem}");

    // A tenant with no subscription the user sees has nothing to recommend.
    d.stand_ins.consumption(|c| c.subscriptions.insert(TENANT.into(), vec![]));
    let (status, body) = d.call("GET", "/api/customers/contoso/recommendations", None).await;
    assert_eq!((status, &body["recommendations"], &body["savingsPerYear"]["amount"]), (StatusCode::OK, &json!([]), &json!("0.00")), "{body}");

    // Fabrikam's own SKU, as the stand-in recommends it by default, is not in the catalog.
    let (status, body) = d.call("GET", "/api/customers/fabrikam/recommendations", None).await;
    assert_eq!((status, &body["recommendations"]), (StatusCode::OK, &json!([])), "{body}");
    assert!(d.stand_ins.consumption(|c| c.asked.iter().any(|a| a.path.starts_with("/subscriptions/tenant-fabrikam-sub/"))));

    // A demo user has no token to ask Azure with on their behalf.
    let mut state = d.state.clone();
    state.demo_users = reservation_desk_server::config::DemoUsers::OnLoopback;
    let demo = reservation_desk_server::api_with_state(state);
    let request = axum::http::Request::get("/api/customers/contoso/recommendations")
        .header(axum::http::header::AUTHORIZATION, "Bearer demo-admin-agent")
        .body(axum::body::Body::empty())
        .unwrap();
    let answer = tower::ServiceExt::oneshot(demo, request).await.unwrap();
    let status = answer.status();
    let bytes = http_body_util::BodyExt::collect(answer.into_body()).await.unwrap().to_bytes();
    let problem: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("roleForbids")), "{problem}");

    // ARM out of reach: Azure unavailable, said as such.
    d.stand_ins.stop();
    let (status, problem) = d.call("GET", "/api/customers/contoso/recommendations", None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");
}
