//! Exchanges over a real SQLite file: quote, swap once, refuse what the policy refuses.

use crate::common;

use axum::http::StatusCode;
use common::{call, fresh, FABRIKAM};
use serde_json::{json, Value};

#[tokio::test]
async fn an_exchange_returns_units_and_buys_new_ones_once() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    let r = list.as_array().unwrap().iter().find(|r| r["provisioningState"] == "Succeeded").unwrap().clone();
    let (_, catalog) = call(&router, "GET", "/api/catalog", None).await;
    let family = r["reservedResourceType"].as_str().unwrap();
    let target = catalog.as_array().unwrap().iter().rfind(|i| i["reservedResourceType"] == family).unwrap();
    let other = catalog.as_array().unwrap().iter().find(|i| i["reservedResourceType"] != family).unwrap();

    let request = |sku: &Value, quantity: u32| json!({
        "reservationsToExchange": [{ "reservationId": r["id"], "quantity": 1 }],
        "reservationsToPurchase": [{ "skuId": sku["skuId"], "term": "P3Y", "billingPlan": "Upfront",
                                     "quantity": quantity, "appliedScopeType": "Shared" }]
    });
    // Another family: quoted with a policy error, and the swap is refused with the quote's own
    // refusal (409 and its policy errors), nothing exchanged.
    let (status, refused) = call(&router, "POST", "/api/calculateExchange", Some(request(other, 5))).await;
    assert_eq!(status, StatusCode::OK, "{refused}");
    assert_eq!(refused["quote"]["isValidExchange"], false);
    let (status, problem) = call(&router, "POST", "/api/exchange", Some(json!({ "sessionId": refused["sessionId"] }))).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("policyRefused")), "{problem}");

    let (status, calc) = call(&router, "POST", "/api/calculateExchange", Some(request(target, 3))).await;
    assert_eq!(status, StatusCode::OK, "{calc}");
    assert_eq!(calc["quote"]["isValidExchange"], true, "{calc}");
    let (status, done) = call(&router, "POST", "/api/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let (_, again) = call(&router, "POST", "/api/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(done, again);

    let (_, after) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    let after = after.as_array().unwrap();
    let returned = after.iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(returned["quantity"].as_u64().unwrap(), r["quantity"].as_u64().unwrap() - 1);
    let bought: Vec<&Value> = after.iter().filter(|x| x["reservationOrderId"] == done["reservationOrderId"]).collect();
    assert_eq!(bought.len(), 1, "one new reservation, not two");
    assert_eq!(bought[0]["quantity"], 3);
    assert_eq!(bought[0]["term"], "P3Y");

    let (status, problem) = call(&router, "POST", "/api/calculateExchange", Some(json!({
        "reservationsToExchange": [], "reservationsToPurchase": []
    }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["field"], "reservationsToExchange");
}

/// In local mode a customer's catalog is the demo catalog, with its prices, and one unit's price
/// is the demo catalog's: the same interfaces Azure mode answers from Azure.
#[tokio::test]
async fn in_local_mode_a_customers_catalog_and_prices_are_the_demos() {
    let (router, _dir, _) = fresh().await;
    let (_, demo) = call(&router, "GET", "/api/catalog", None).await;
    let (status, catalog) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/catalog"), None).await;
    assert_eq!(status, StatusCode::OK, "{catalog}");
    assert_eq!((&catalog["source"], &catalog["items"]), (&json!("demo"), &demo), "{catalog}");
    assert!(catalog.get("subscriptionId").is_none() && catalog.get("readAt").is_none(), "{catalog}");
    let (_, east) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/catalog?location=eastus&reservedResourceType=SqlDatabases"), None).await;
    let east: Vec<&str> = east["items"].as_array().unwrap().iter().map(|i| i["skuId"].as_str().unwrap()).collect();
    assert_eq!(east, ["SQLDB_GP_Gen5_8/eastus", "SQLDB_BC_Gen5_4/eastus"]);
    let (status, price) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/price?skuId=Standard_D4s_v5/westeurope&term=P3Y"), None).await;
    assert_eq!(status, StatusCode::OK, "{price}");
    assert_eq!((&price["unitPrice"]["amount"], &price["source"], &price["billingPlan"]), (&json!("4204.80"), &json!("demo"), &json!("Upfront")), "{price}");
    let (status, problem) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/price?skuId=Standard_E4s_v5/northeurope&term=P1Y"), None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::BAD_REQUEST, &json!("notInCatalog")), "{problem}");
    let (status, _) = call(&router, "GET", "/api/customers/no-such-customer/catalog", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
