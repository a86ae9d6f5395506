//! What to buy, in Azure mode: `GET /api/customers/{id}/recommendations` reads
//! Microsoft.Consumption's reservation recommendations in the customer's tenant, on behalf of the
//! signed-in user (the stand-in: `azure_stand_ins/consumption.rs`, written from the
//! specification's examples): for each reserved resource type the desk asks, every subscription
//! the user sees at single scope and the customer's shared scope once, both kinds, over the
//! look-back the user picks (30 days by default). Azure's figures are shown as Azure gave them
//! (to the cent), never priced from the desk's catalog, largest yearly savings first; what was
//! read but is not shown is in `leftOut` with its reason. A subscription the user may not read
//! costs only its own recommendations, a tenant where the user may read none answers Azure's
//! refusal, and a demo user cannot ask.

use crate::azure_desk;
use crate::azure_stand_ins;
use crate::oidc_provider;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::{modern, recommendation, Subscription};
use rust_decimal::Decimal;
use serde_json::{json, Value};

const TENANT: &str = "tenant-contoso";

/// The resource types the desk asks, as the filter names them.
const TYPES: [&str; 8] = ["VirtualMachines", "SQLDatabases", "CosmosDB", "AppService", "RedisCache", "PostgreSQL", "MySQL", "ManagedDisk"];

fn filter(scope: &str, look_back: &str, resource_type: &str) -> String {
    format!("properties/scope eq '{scope}' AND properties/lookBackPeriod eq '{look_back}' AND properties/resourceType eq '{resource_type}'")
}

fn decimal(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("{v} is an amount")).parse().unwrap()
}

/// Contoso's subscriptions: two recommending for themselves (one across two pages, with a SKU
/// the desk's catalog does not sell; the other a modern SQL Database recommendation beside a
/// virtual machine), one with nothing to recommend, one disabled, one the user may not read.
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
        Subscription::enabled(
            "sub-c2",
            vec![
                recommendation("Standard_E8s_v5", "eastus", "P1Y", 1, 600.0, 360.0, 240.0),
                modern("sqldatabases", "SQLDB_BC_Compute_Gen5", "westus2", "P3Y", 35, "USD", 279881.9457795231, 126115.06849314792, 153766.87728637524),
            ],
        ),
        Subscription::enabled("sub-c3", vec![]),
        Subscription { state: "Disabled".into(), ..Subscription::enabled("sub-c4", vec![recommendation("Standard_D4s_v5", "eastus", "P1Y", 9, 1.0, 1.0, 0.0)]) },
        Subscription { refused: true, ..Subscription::enabled("sub-c5", vec![recommendation("Standard_D4s_v5", "eastus", "P1Y", 7, 1.0, 1.0, 0.0)]) },
    ]
}

/// Contoso's shared-scope recommendations: Redis for the whole customer (legacy kind, as
/// `ReservationRecommendationsByBillingAccount.json` has it).
fn contoso_shared() -> Vec<Value> {
    let mut redis = recommendation("Premium_P1", "westeurope", "P1Y", 2, 900.0, 600.0, 300.0);
    redis["properties"]["resourceType"] = json!("RedisCache");
    vec![redis]
}

#[tokio::test]
async fn every_service_and_scope_is_read_with_azures_own_figures() {
    let d = desk().await;
    read(&d).await;
    d.stand_ins.consumption(|c| {
        c.subscriptions.insert(TENANT.into(), contoso());
        c.shared.insert(TENANT.into(), contoso_shared());
        // The read listed each tenant's subscriptions (to price its shared reservations today):
        // not what the recommendations ask.
        c.asked.clear();
    });

    let (status, body) = d.call("GET", "/api/customers/contoso/recommendations", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((&body["lookBackPeriod"], &body["leftOut"]), (&json!("Last30Days"), &json!([])), "{body}");
    let list = body["recommendations"].as_array().unwrap();
    let named: Vec<(&str, &str, &str)> =
        list.iter().map(|r| (r["skuId"].as_str().unwrap(), r["term"].as_str().unwrap(), r["appliedScopeType"].as_str().unwrap())).collect();
    // Largest yearly savings first; the SKU the catalog does not sell, the SQL Database and the
    // shared Redis shown too; the disabled and the refused subscriptions are not there.
    assert_eq!(
        named,
        vec![
            ("SQLDB_BC_Compute_Gen5/westus2", "P3Y", "Single"),
            ("Premium_P1/westeurope", "P1Y", "Shared"),
            ("Standard_D4s_v5/westeurope", "P3Y", "Single"),
            ("Standard_E8s_v5/eastus", "P1Y", "Single"),
            ("Standard_D4s_v5/westeurope", "P1Y", "Single"),
            ("Standard_D2s_v3/westeurope", "P1Y", "Single"),
        ],
        "{body}"
    );

    let d4 = &list[4];
    assert_eq!((d4["recommendedQuantity"].as_u64(), d4["lookBackPeriod"].as_str()), (Some(2), Some("Last30Days")), "{d4}");
    assert_eq!((&d4["netSavings"]["amount"], &d4["costWithNoReservedInstances"]["amount"]), (&json!("192.12"), &json!("480.12")), "Azure's figures, to the cent: {d4}");
    assert_eq!(d4["totalCostWithReservedInstances"]["amount"], json!("288.00"));
    assert_eq!((&d4["appliedScopeType"], &d4["appliedScopeProperties"]["subscriptionId"]), (&json!("Single"), &json!("/subscriptions/sub-c1")));
    assert_eq!((&d4["onDemand"]["days"], &d4["onDemand"]["quantity"], &d4["onDemand"]["cost"]["amount"]), (&json!(30), &json!(2), &json!("480.12")));
    assert_eq!(d4["firstUsageDate"], "2026-10-27");
    // Azure's net savings over 30 days, carried to a year: never the catalog's price.
    assert_eq!(d4["savingsPerYear"]["amount"], "2337.50", "{d4}");
    assert!(d4.get("proposal").is_none() && d4.get("refusal").is_none() && d4.get("notInCatalog").is_none(), "{d4}");

    let sql = &list[0];
    assert_eq!((&sql["reservedResourceType"], &sql["notInCatalog"], &sql["recommendedQuantity"]), (&json!("SqlDatabases"), &json!(true), &json!(35)), "{sql}");
    assert_eq!((&sql["costWithNoReservedInstances"]["amount"], &sql["netSavings"]["amount"]), (&json!("279881.95"), &json!("153766.88")), "{sql}");
    assert_eq!(sql["appliedScopeProperties"]["subscriptionId"], "/subscriptions/sub-c2");
    let redis = &list[1];
    assert_eq!((&redis["reservedResourceType"], &redis["notInCatalog"], redis.get("appliedScopeProperties")), (&json!("RedisCache"), &json!(true), None), "{redis}");
    // What is buyable is Contoso's catalog in Azure's say, never the demo catalog's: E8s v5 in East
    // US (which the demo sells) is not in it; D2s v3 for a year is, and the retired Dsv3 series
    // refuses it.
    assert_eq!(list[3]["notInCatalog"], json!(true), "Standard_E8s_v5 in East US is not sold to Contoso: shown with Azure's figures");
    assert_eq!((list[5].get("notInCatalog"), &list[5]["refusal"]["code"]), (None, &json!("RetiredVmSeries")), "{}", list[5]);

    // The savings on the table: the best term of each SKU and scope, summed (the retired one
    // cannot be bought: not counted).
    let yearly = |r: &Value| decimal(&r["savingsPerYear"]["amount"]);
    assert!(list.windows(2).all(|w| yearly(&w[0]) >= yearly(&w[1])), "sorted: {body}");
    let on_the_table: Decimal = [0, 1, 2, 3].iter().map(|i| yearly(&list[*i])).sum();
    assert_eq!(decimal(&body["savingsPerYear"]["amount"]), on_the_table, "{body}");
    assert_eq!(body["savingsPerYear"]["currencyCode"], "USD");

    // Asked of ARM with the user's token in contoso's tenant, every page: each active
    // subscription once per resource type at single scope, the shared scope once per type.
    let asked = d.stand_ins.consumption(|c| c.asked.clone());
    for a in &asked {
        assert_eq!((a.tenant.as_str(), a.user.as_str(), a.via.as_str()), (TENANT, oidc_provider::OID, "obo"), "{a:?}");
    }
    let of = |sub: &str| format!("/subscriptions/{sub}/providers/Microsoft.Consumption/reservationRecommendations");
    // Five subscriptions, two a page; listed again once for the customer's catalog (which tells
    // what of it can be bought), the subscription then kept.
    assert_eq!(asked.iter().filter(|a| a.path == "/subscriptions").count(), 3 + 3, "five subscriptions, two a page");
    let count = |sub: &str, f: &str| asked.iter().filter(|a| a.path == of(sub) && a.filter.as_deref() == Some(f)).count();
    for t in TYPES {
        let single = filter("Single", "Last30Days", t);
        let pages = if t == "VirtualMachines" { 2 } else { 1 };
        assert_eq!((count("sub-c1", &single), count("sub-c2", &single), count("sub-c3", &single), count("sub-c4", &single), count("sub-c5", &single)), (pages, 1, 1, 0, 1), "{t}");
        let shared = filter("Shared", "Last30Days", t);
        assert_eq!(asked.iter().filter(|a| a.filter.as_deref() == Some(shared.as_str())).count(), 1, "{t}: the shared scope once, of the first subscription");
        assert_eq!(count("sub-c1", &shared), 1);
    }
    // The subscriptions (3 pages, and 3 for the catalog), sub-c1 at single scope (9: two pages of
    // virtual machines), sub-c2, sub-c3 and sub-c5 (8 each), the shared scope (8).
    assert_eq!(asked.len(), 3 + 3 + 9 + 8 * 3 + 8, "nothing else asked");
    d.stand_ins.record(|r| assert!(r.refused.is_empty(), "{:?}", r.refused));
}

#[tokio::test]
async fn the_look_back_picked_is_asked_and_what_cannot_be_shown_is_listed_with_why() {
    let d = desk().await;
    read(&d).await;
    let mut no_sku = modern("cosmosdb", "", "westeurope", "P1Y", 3, "USD", 50.0, 30.0, 20.0);
    no_sku["properties"].as_object_mut().unwrap().remove("skuName");
    let mut no_kind = recommendation("Standard_D2s_v5", "westeurope", "P1Y", 1, 10.0, 5.0, 5.0);
    no_kind.as_object_mut().unwrap().remove("kind");
    let subscriptions = vec![Subscription::enabled(
        "sub-c1",
        vec![
            recommendation("Standard_D4s_v5", "westeurope", "P1Y", 2, 480.0, 288.0, 192.0),
            no_sku,
            no_kind,
            modern("mysql", "MySQL_GP_Gen5", "westeurope", "P1Y", 0, "USD", 50.0, 30.0, 20.0),
            recommendation("Standard_D2s_v5", "westeurope", "P3Y", 1, 10.0, 12.0, -2.0),
        ],
    )];
    let mut shared = recommendation("Standard_D8s_v5", "westeurope", "P1Y", 1, 70.0, 42.0, 28.0);
    shared["properties"]["recommendedQuantity"] = json!(1.5);
    d.stand_ins.consumption(|c| {
        c.subscriptions.insert(TENANT.into(), subscriptions);
        c.shared.insert(TENANT.into(), vec![shared]);
    });

    let (status, body) = d.call("GET", "/api/customers/contoso/recommendations?lookBack=Last7Days", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["lookBackPeriod"], "Last7Days");
    let list = body["recommendations"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{body}");
    assert_eq!((&list[0]["lookBackPeriod"], &list[0]["onDemand"]["days"]), (&json!("Last7Days"), &json!(7)));
    // 192 over 7 days, for 365.
    assert_eq!(list[0]["savingsPerYear"]["amount"], "10011.43");
    let left: Vec<(&str, &str, &str)> = body["leftOut"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["reason"].as_str().unwrap(), l["skuName"].as_str().unwrap_or("-"), l["appliedScopeType"].as_str().unwrap_or("-")))
        .collect();
    assert_eq!(
        left,
        vec![
            // In the order asked: virtual machines first (an item without a type is one), then Cosmos DB, …
            ("incomplete", "Standard_D2s_v5", "Single"),
            ("incomplete", "-", "Single"),
            ("noSavings", "Standard_D2s_v5", "Single"),
            ("notWholeQuantity", "MySQL_GP_Gen5", "Single"),
            ("notWholeQuantity", "Standard_D8s_v5", "Shared"),
        ],
        "{body}"
    );
    let out = body["leftOut"].as_array().unwrap();
    assert_eq!((&out[1]["location"], &out[1]["reservedResourceType"], &out[1]["subscriptionId"]), (&json!("westeurope"), &json!("CosmosDb"), &json!("sub-c1")), "{body}");
    assert!(out[1]["detail"].as_str().unwrap().contains("no SKU"), "{body}");
    assert!(out[0]["detail"].as_str().unwrap().contains("no kind"), "{body}");
    assert!(out[3]["detail"].as_str().unwrap().contains("0 units") && out[3]["subscriptionId"] == "sub-c1", "{body}");
    assert!(out[4]["detail"].as_str().unwrap().contains("1.5 units") && out[4].get("subscriptionId").is_none(), "a shared one belongs to no subscription: {body}");
    let asked = d.stand_ins.consumption(|c| c.asked.clone());
    assert!(asked.iter().filter(|a| a.path != "/subscriptions").all(|a| a.filter.as_deref().unwrap().contains("properties/lookBackPeriod eq 'Last7Days'")), "{asked:?}");

    let (status, body) = d.call("GET", "/api/customers/contoso/recommendations?lookBack=60", None).await;
    assert_eq!((status, &body["lookBackPeriod"], &body["recommendations"][0]["onDemand"]["days"]), (StatusCode::OK, &json!("Last60Days"), &json!(60)), "{body}");
    let (status, problem) = d.call("GET", "/api/customers/contoso/recommendations?lookBack=Last90Days", None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::BAD_REQUEST, &json!("malformedRequest")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("Last90Days"), "{problem}");
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

    // Fabrikam's own SKU, as the stand-in recommends it by default, cannot be bought: for three
    // years its catalog does not sell it, for one year the retired series refuses it. Shown
    // anyway, with Azure's figures.
    let (status, body) = d.call("GET", "/api/customers/fabrikam/recommendations", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed = body["recommendations"].as_array().unwrap();
    assert!(!listed.is_empty() && listed.iter().all(|r| r["notInCatalog"] == json!(true) || r["refusal"]["code"] == json!("RetiredVmSeries")), "{body}");
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

/// Microsoft's published shared-scope answer (`ReservationRecommendationsByBillingAccount.json`,
/// byte for byte): two legacy recommendations of Standard_DS1_v2 in westus for a year at shared
/// scope, with other figures, beside a subscription's own (single-scope) recommendation of the
/// same SKU, region and term. Both scopes are shown (two purchases Azure offers); of the two
/// shared ones, the same purchase, the larger net savings is shown and the other is in
/// `leftOut` with why: nothing Azure recommended vanishes unsaid.
#[tokio::test]
async fn a_shared_recommendation_beside_a_single_sibling_and_its_own_twin_is_shown_or_listed_with_why() {
    const PUBLISHED: &str = include_str!("../../../azure-api/tests/published/consumption-2023-05-01/ReservationRecommendationsByBillingAccount.json");
    let published: Value = serde_json::from_str(PUBLISHED).unwrap();
    let shared = published["responses"]["200"]["body"]["value"].as_array().unwrap().clone();
    assert_eq!(shared.len(), 2);
    let d = desk().await;
    read(&d).await;
    let single = recommendation("Standard_DS1_v2", "westus", "P1Y", 1, 12.0, 10.0, 2.0);
    d.stand_ins.consumption(|c| {
        c.subscriptions.insert(TENANT.into(), vec![Subscription::enabled("sub-c1", vec![single])]);
        c.shared.insert(TENANT.into(), shared);
    });

    let (status, body) = d.call("GET", "/api/customers/contoso/recommendations?lookBack=Last7Days", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let shown: Vec<(&str, &str, &str, &str)> = body["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["skuName"].as_str().unwrap(), r["location"].as_str().unwrap(), r["appliedScopeType"].as_str().unwrap(), r["netSavings"]["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(shown, vec![("Standard_DS1_v2", "westus", "Single", "2.00"), ("Standard_DS1_v2", "westus", "Shared", "0.68")], "{body}");
    let out = body["leftOut"].as_array().unwrap();
    assert_eq!(out.len(), 1, "{body}");
    let left = &out[0];
    assert_eq!((left["reason"].as_str(), left["skuName"].as_str(), left["location"].as_str(), left["appliedScopeType"].as_str(), left["term"].as_str()), (Some("samePurchase"), Some("Standard_DS1_v2"), Some("westus"), Some("Shared"), Some("P1Y")), "{body}");
    let detail = left["detail"].as_str().unwrap();
    assert!(detail.contains("0.588546019225182") && detail.contains("0.68"), "the figures of both, as Azure wrote them: {detail}");
    assert!(left.get("subscriptionId").is_none(), "{body}");
}
