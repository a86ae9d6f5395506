//! The reservation list's cache (`list_cache.rs`) over SQLite: two routers on one file stand for
//! two server processes; each list shows, at once, what the other (or plain SQL) changed.

use crate::common;

use axum::http::StatusCode;
use common::{call, call_as, fresh, CONTOSO};
use serde_json::{json, Value};

fn units(list: &Value, id: &Value) -> u64 {
    list.as_array().unwrap().iter().find(|r| &r["id"] == id).unwrap()["quantity"].as_u64().unwrap()
}

#[tokio::test]
async fn the_cached_list_shows_what_another_process_changed() {
    let (a, _dir, url) = fresh().await;
    let b = reservation_desk_server::api(reservation_desk_server::db::open(&url).await.unwrap());
    let path = format!("/api/customers/{CONTOSO}/reservations");
    let (status, list) = call(&a, "GET", &path, None).await;
    assert_eq!(status, StatusCode::OK);
    let r = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["provisioningState"] == "Succeeded" && r["quantity"].as_u64().unwrap() >= 2)
        .unwrap()
        .clone();
    let before = units(&list, &r["id"]);
    assert_eq!(call(&a, "GET", &path, None).await.1, list, "the same list twice");

    // A unit returned through the other router.
    let order = r["reservationOrderId"].as_str().unwrap();
    let (status, calc) =
        call(&b, "POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({ "reservationId": r["id"], "quantity": 1 }))).await;
    assert_eq!(status, StatusCode::OK, "{calc}");
    let (status, done) = call(
        &b,
        "POST",
        &format!("/api/reservationOrders/{order}/return"),
        Some(json!({ "sessionId": calc["sessionId"], "returnReason": "Cache" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(units(&call(&a, "GET", &path, None).await.1, &r["id"]), before - 1);

    // A change made outside the desk (the triggers count it).
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("UPDATE reservations SET quantity = quantity + 5 WHERE id = ?").bind(r["id"].as_str().unwrap()).execute(&pool).await.unwrap();
    assert_eq!(units(&call(&a, "GET", &path, None).await.1, &r["id"]), before + 4);
}

#[tokio::test]
async fn a_cached_list_is_still_guarded_and_an_unknown_customer_is_404() {
    let (a, _dir, _) = fresh().await;
    let path = format!("/api/customers/{CONTOSO}/reservations");
    assert_eq!(call(&a, "GET", &path, None).await.0, StatusCode::OK);
    assert_eq!(call_as(&a, "", "GET", &path, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(call(&a, "GET", "/api/customers/no-such-customer/reservations", None).await.0, StatusCode::NOT_FOUND);
}

/// The worklist reads the book through a per-customer cache (`book_cache.rs`): a change another
/// process (or plain SQL) made to one customer's reservations shows at the next read.
#[tokio::test]
async fn the_worklist_shows_what_another_process_changed_in_the_book() {
    let (a, _dir, url) = fresh().await;
    let b = reservation_desk_server::api(reservation_desk_server::db::open(&url).await.unwrap());
    let (status, list) = call(&a, "GET", "/api/worklist", None).await;
    assert_eq!(status, StatusCode::OK);
    let row = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reason"] == "exchangeRightEnds" && r["atStake"].is_object())
        .expect("a campaign row with its money at stake")
        .clone();
    let stake = |list: &Value| list["items"].as_array().unwrap().iter().find(|r| r["id"] == row["id"]).map(|r| r["atStake"]["amount"].clone());
    assert_eq!(call(&a, "GET", "/api/worklist", None).await.1, list, "the same list twice");
    assert_eq!(call(&b, "GET", "/api/worklist", None).await.1["items"], list["items"], "the other process reads the same");

    // More units of that reservation, written outside the desk: its remaining commitment grows.
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("UPDATE reservations SET quantity = quantity + 5 WHERE id = ?").bind(row["reservationId"].as_str().unwrap()).execute(&pool).await.unwrap();
    let after = call(&a, "GET", "/api/worklist", None).await.1;
    let (was, now) = (stake(&list).unwrap(), stake(&after).unwrap());
    let amount = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned).parse::<rust_decimal::Decimal>().unwrap();
    assert!(amount(&now) > amount(&was), "{was} → {now}");
    // Its rows gone from the book, through the other router's store, and the first sees it too.
    sqlx::query("UPDATE reservations SET provisioning_state = 'Cancelled' WHERE id = ?")
        .bind(row["reservationId"].as_str().unwrap())
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(stake(&call(&b, "GET", "/api/worklist", None).await.1), None);
    assert_eq!(stake(&call(&a, "GET", "/api/worklist", None).await.1), None);
}
