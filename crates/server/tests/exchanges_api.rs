//! Exchanges over a real SQLite file: quote, swap once, refuse what the policy refuses.

mod common;

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
    // Another family: quoted with a policy error, and the swap is refused: a refused quote's
    // session is not kept, so there is none to swap.
    let (status, refused) = call(&router, "POST", "/api/calculateExchange", Some(request(other, 5))).await;
    assert_eq!(status, StatusCode::OK, "{refused}");
    assert_eq!(refused["quote"]["isValidExchange"], false);
    let (status, _) = call(&router, "POST", "/api/exchange", Some(json!({ "sessionId": refused["sessionId"] }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

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
