//! With Azure unreachable (the stand-ins stopped) the
//! desk answers from its cache — customers, reservations at their order's price — a refund's
//! Review says Azure cannot be reached, and a customer whose read failed says so and that what is
//! shown is stale (`stale`, and why).

use crate::azure_desk;

use axum::http::StatusCode;
use azure_desk::*;
use serde_json::json;

#[tokio::test]
async fn with_azure_unreachable_the_cache_stays_readable_and_a_failed_read_says_it_is_stale() {
    let d = desk().await;
    read(&d).await;
    let (_, fresh) = d.call("GET", "/api/source/customers/fabrikam", None).await;
    assert_eq!((&fresh["stale"], fresh.get("error")), (&json!(false), None), "{fresh}");
    let (_, forbidden) = d.call("GET", "/api/source/customers/forbidden", None).await;
    assert_eq!(forbidden["stale"], true, "never read: {forbidden}");

    d.stand_ins.stop();
    // A read of every customer fails at Partner Center: the read says why, and nothing read
    // before is lost.
    let ended = read(&d).await;
    assert_eq!((&ended["state"], &ended["error"]["code"]), (&json!("failed"), &json!("Unreachable")), "{ended}");
    // A read of one customer fails at ARM: recorded on it, with why; stale.
    let (status, fabrikam) = d.call("POST", "/api/source/customers/fabrikam/refresh", None).await;
    assert_eq!(status, StatusCode::OK, "{fabrikam}");
    assert_eq!((&fabrikam["stale"], &fabrikam["error"]["code"]), (&json!(true), &json!("Unreachable")), "{fabrikam}");
    assert!(fabrikam["readAt"].is_string(), "when the cache was read stays: {fabrikam}");
    let (_, again) = d.call("GET", "/api/source/customers/fabrikam", None).await;
    assert_eq!((&again["stale"], &again["error"]["code"]), (&json!(true), &json!("Unreachable")));

    // The cache answers: the customers, the reservations at their order's price.
    let (status, customers) = d.call("GET", "/api/customers", None).await;
    assert_eq!((status, customers.as_array().map(Vec::len)), (StatusCode::OK, Some(5)));
    let (status, listed) = d.call("GET", "/api/customers/fabrikam/reservations", None).await;
    assert_eq!((status, &listed[0]["unitPrice"]["amount"]), (StatusCode::OK, &json!("2102.40")), "{listed}");
    let (status, quote) = d.call("POST", "/api/reservationOrders/order-f/calculateRefund", Some(json!({"reservationId": "res-f1", "quantity": 1}))).await;
    // A refund's Review asks Azure too (its figures and session): unreachable, it says why and
    // nothing can be submitted (the console's live quote is the engine's, on the cached data).
    assert_eq!((status, &quote["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{quote}");
    assert!(quote["detail"].as_str().unwrap().contains("could not be reached"), "{quote}");
    // A customer not read again is not marked: its last read succeeded within the interval.
    let (_, contoso) = d.call("GET", "/api/source/customers/contoso", None).await;
    assert_eq!((&contoso["stale"], contoso.get("error")), (&json!(false), None), "{contoso}");
}
