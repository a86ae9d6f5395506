//! The refund flow over a real SQLite file: calculate → return, once per session, never past
//! the limit, atomic, and kept across a restart. The clock is fixed so figures are stable.

use crate::common;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::Router;
use chrono::{DateTime, Utc};
use common::{active, amount, calculate, call_as, consumed, get_ok, submit, AGENT, CONTOSO, FABRIKAM};
use reservation_desk_server::state::AppState;
use reservation_desk_server::{api_with_state, db};
use rust_decimal::Decimal;
use serde_json::{json, Value};

struct Server {
    router: Router,
    _dir: tempfile::TempDir,
    url: String,
}

fn now() -> DateTime<Utc> {
    // The seed is placed relative to the real day it runs; the clock matches it.
    Utc::now()
}

async fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/test.sqlite", dir.path().display());
    let pool = db::open(&url).await.unwrap();
    Server { router: api_with_state(AppState::new(pool)), _dir: dir, url }
}

#[tokio::test]
async fn a_customers_reservations_are_listed_with_utilization_and_one_opens_with_its_history() {
    let s = server().await;
    let list = get_ok(&s.router, &format!("/api/customers/{CONTOSO}/reservations")).await;
    let list = list.as_array().unwrap();
    assert!(list.len() >= 6);
    assert!(list.iter().all(|r| r["customerId"] == CONTOSO));
    let r = &list[0];
    for field in ["displayName", "skuName", "reservedResourceType", "term", "billingPlan", "purchaseDate",
                  "expiryDate", "appliedScopeType", "provisioningState", "renew", "utilization"] {
        assert!(!r[field].is_null(), "{field} missing in {r}");
    }
    let path = format!("/api/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let detail = get_ok(&s.router, &path).await;
    assert_eq!(detail["id"], r["id"]);
    assert!(detail["utilizationHistory"].as_array().unwrap().len() > 300, "a year of daily history");
}

#[tokio::test]
async fn a_reservation_under_another_order_is_not_found() {
    let s = server().await;
    let contoso = active(&s.router, CONTOSO).await;
    let fabrikam = active(&s.router, FABRIKAM).await;
    let path = format!(
        "/api/reservationOrders/{}/reservations/{}",
        fabrikam[0]["reservationOrderId"].as_str().unwrap(),
        contoso[0]["id"].as_str().unwrap()
    );
    let (status, body) = call_as(&s.router, AGENT, "GET", &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["status"], 404);
}

#[tokio::test]
async fn calculate_then_return_moves_money_once_even_when_submitted_twice() {
    let s = server().await;
    let r = active(&s.router, FABRIKAM).await.into_iter().find(|r| r["quantity"].as_u64().unwrap() >= 2).unwrap();
    let before = r["quantity"].as_u64().unwrap();
    let consumed_before = consumed(&s.router, FABRIKAM).await;

    let (status, calc) = calculate(&s.router, &r, 1).await;
    assert_eq!(status, StatusCode::OK, "{calc}");
    let (first_status, first) = submit(&s.router, &r, &calc["sessionId"]).await;
    assert_eq!(first_status, StatusCode::OK, "{first}");
    let (second_status, second) = submit(&s.router, &r, &calc["sessionId"]).await;
    assert_eq!(second_status, StatusCode::OK);
    assert_eq!(first, second, "the repeat answers the first result");

    let after = active(&s.router, FABRIKAM).await.into_iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(after["quantity"].as_u64().unwrap(), before - 1);
    assert_ne!(consumed(&s.router, FABRIKAM).await, consumed_before, "the ledger has the refund");
    let limit = get_ok(&s.router, &format!("/api/customers/{FABRIKAM}/refundLimit")).await;
    let entries = limit["entries"].as_array().unwrap();
    assert_eq!(entries.iter().filter(|e| e["reservationId"] == r["id"]).count(), 1, "one ledger entry");
}

#[tokio::test]
async fn concurrent_submissions_of_one_session_refund_once() {
    let s = server().await;
    let r = active(&s.router, FABRIKAM).await.into_iter().find(|r| r["quantity"].as_u64().unwrap() >= 2).unwrap();
    let (_, calc) = calculate(&s.router, &r, 1).await;
    let submissions = (0..8).map(|_| submit(&s.router, &r, &calc["sessionId"]));
    let results = futures_join_all(submissions).await;
    let ids: Vec<&Value> = results.iter().map(|(status, body)| {
        assert_eq!(*status, StatusCode::OK, "{body}");
        &body["refundId"]
    }).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "one refund, answered eight times");
    let after = active(&s.router, FABRIKAM).await.into_iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(after["quantity"], r["quantity"].as_u64().unwrap() - 1);
}

#[tokio::test]
async fn a_burst_of_refunds_against_one_customer_never_exceeds_the_limit() {
    let s = server().await;
    // Contoso starts with USD 46,500 of 50,000 used. Quote every unit of every active
    // reservation, then submit all sessions at once: each quote assumed the same headroom.
    let mut pending = Vec::new();
    for r in active(&s.router, CONTOSO).await {
        for _ in 0..r["quantity"].as_u64().unwrap().min(4) {
            let (status, calc) = calculate(&s.router, &r, 1).await;
            assert_eq!(status, StatusCode::OK, "{calc}");
            pending.push((r.clone(), calc["sessionId"].clone()));
        }
    }
    assert!(pending.len() >= 3);
    let results = futures_join_all(pending.iter().map(|(r, session)| submit(&s.router, r, session))).await;
    let accepted = results.iter().filter(|(status, _)| *status == StatusCode::OK).count();
    assert!(accepted >= 1);
    for (status, body) in &results {
        assert!(*status == StatusCode::OK || *status == StatusCode::CONFLICT, "{status} {body}");
    }
    assert!(consumed(&s.router, CONTOSO).await <= Decimal::from(50_000), "the limit holds");
}

#[tokio::test]
async fn malformed_refund_requests_are_problems_that_say_what_is_wrong() {
    let s = server().await;
    let r = &active(&s.router, FABRIKAM).await[0];
    let order = r["reservationOrderId"].as_str().unwrap();
    let path = format!("/api/reservationOrders/{order}/calculateRefund");
    let cases = [
        (json!({ "reservationId": r["id"], "quantity": 0 }), StatusCode::BAD_REQUEST),
        (json!({ "reservationId": r["id"], "quantity": 10_000 }), StatusCode::BAD_REQUEST),
        (json!({ "reservationId": r["id"], "quantity": -1 }), StatusCode::BAD_REQUEST),
        (json!({ "reservationId": r["id"], "quantity": "two" }), StatusCode::BAD_REQUEST),
        (json!({ "reservationId": r["id"], "quantity": 1, "extra": true }), StatusCode::BAD_REQUEST),
        (json!({ "reservationId": r["id"], "quantity": 1, "policy": "generous" }), StatusCode::BAD_REQUEST),
        (json!({ "reservationId": "nope", "quantity": 1 }), StatusCode::NOT_FOUND),
    ];
    for (body, expected) in cases {
        let (status, problem) = call_as(&s.router, AGENT, "POST", &path, Some(body.clone())).await;
        assert_eq!(status, expected, "{body} → {problem}");
        assert_eq!(problem["status"], expected.as_u16());
        assert!(!problem["detail"].as_str().unwrap().is_empty());
    }
    let (status, problem) = call_as(&s.router, AGENT, "POST", &format!("/api/reservationOrders/{order}/return"),
        Some(json!({ "sessionId": "not-a-session", "returnReason": "x" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{problem}");
    let (status, problem) = call_as(&s.router, AGENT, "POST", &format!("/api/reservationOrders/{order}/return"),
        Some(json!({ "sessionId": "x", "returnReason": "  " }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["field"], "returnReason");
    assert_eq!(problem["code"], "required");
}

#[tokio::test]
async fn an_expired_session_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::open(&format!("sqlite://{}/t.sqlite", dir.path().display())).await.unwrap();
    let start = now();
    let offset = Arc::new(std::sync::atomic::AtomicI64::new(0));
    let clock_offset = offset.clone();
    let state = AppState::with_clock(pool, Arc::new(move || {
        start + chrono::Duration::seconds(clock_offset.load(std::sync::atomic::Ordering::SeqCst))
    }));
    let s = Server { router: api_with_state(state), _dir: dir, url: String::new() };
    let r = active(&s.router, FABRIKAM).await.remove(0);
    let (_, calc) = calculate(&s.router, &r, 1).await;
    offset.store(601, std::sync::atomic::Ordering::SeqCst);
    let (status, problem) = submit(&s.router, &r, &calc["sessionId"]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("expired"));
    assert_eq!(problem["code"], "sessionExpired");
    let after = active(&s.router, FABRIKAM).await.into_iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(after["quantity"], r["quantity"]);
}

#[tokio::test]
async fn a_restart_keeps_every_change() {
    let s = server().await;
    let r = active(&s.router, FABRIKAM).await.into_iter().find(|r| r["quantity"].as_u64().unwrap() >= 2).unwrap();
    let (_, calc) = calculate(&s.router, &r, 1).await;
    let (status, _) = submit(&s.router, &r, &calc["sessionId"]).await;
    assert_eq!(status, StatusCode::OK);
    let consumed_before = consumed(&s.router, FABRIKAM).await;

    let reopened = Server { router: api_with_state(AppState::new(db::open(&s.url).await.unwrap())), _dir: tempfile::tempdir().unwrap(), url: s.url.clone() };
    let after = active(&reopened.router, FABRIKAM).await.into_iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(after["quantity"].as_u64().unwrap(), r["quantity"].as_u64().unwrap() - 1);
    assert_eq!(consumed(&reopened.router, FABRIKAM).await, consumed_before);
}

/// Runs the futures concurrently: their requests interleave at every await.
async fn futures_join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    futures::future::join_all(futures).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_on_one_file_never_exceed_the_limit_together() {
    // Two routers with their own pools and locks stand for two processes on one database.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/shared.sqlite", dir.path().display());
    let a = Server { router: api_with_state(AppState::new(db::open(&url).await.unwrap())), _dir: tempfile::tempdir().unwrap(), url: url.clone() };
    let b = Server { router: api_with_state(AppState::new(db::open(&url).await.unwrap())), _dir: tempfile::tempdir().unwrap(), url: url.clone() };
    let mut pending = Vec::new();
    for r in active(&a.router, CONTOSO).await {
        for i in 0..r["quantity"].as_u64().unwrap().min(3) {
            let server = if i % 2 == 0 { &a } else { &b };
            let (status, calc) = calculate(&server.router, &r, 1).await;
            assert_eq!(status, StatusCode::OK, "{calc}");
            pending.push((server, r.clone(), calc["sessionId"].clone()));
        }
    }
    let results = futures_join_all(pending.iter().map(|(s, r, session)| submit(&s.router, r, session))).await;
    for (status, body) in &results {
        assert!(*status == StatusCode::OK || *status == StatusCode::CONFLICT, "{status} {body}");
    }
    assert!(consumed(&a.router, CONTOSO).await <= Decimal::from(50_000), "the limit holds");
    drop(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_parallel_refunds_against_one_customer_never_exceed_the_limit_nor_refund_a_unit_twice() {
    let s = server().await;
    let before = consumed(&s.router, CONTOSO).await;
    let active = active(&s.router, CONTOSO).await;
    // 64 sessions for one unit each, round robin over Contoso's reservations: several sessions
    // stand on the same unit and all of them assumed the same headroom.
    let mut pending = Vec::new();
    for i in 0..64 {
        let r = &active[i % active.len()];
        let (status, calc) = calculate(&s.router, r, 1).await;
        assert_eq!(status, StatusCode::OK, "{calc}");
        pending.push((r.clone(), calc["sessionId"].clone()));
    }
    // Each submission on its own task of a multi-threaded runtime: truly in parallel.
    let tasks: Vec<_> = pending
        .into_iter()
        .map(|(r, session)| {
            let router = s.router.clone();
            tokio::spawn(async move {
                let (status, body) = submit(&router, &r, &session).await;
                (r, status, body)
            })
        })
        .collect();
    let mut refunded = Decimal::ZERO;
    let mut accepted_per_reservation = std::collections::HashMap::<String, u64>::new();
    for task in tasks {
        let (r, status, body) = task.await.unwrap();
        assert!(status == StatusCode::OK || status == StatusCode::CONFLICT, "{status} {body}");
        if status == StatusCode::OK {
            refunded += amount(&body["quote"]["policyResult"]["countedTowardLimit"]);
            *accepted_per_reservation.entry(r["id"].as_str().unwrap().to_owned()).or_default() += 1;
        } else {
            assert_eq!(body["status"], 409, "a refusal is a problem: {body}");
        }
    }
    assert!(!accepted_per_reservation.is_empty(), "some refunds went through");
    let after = consumed(&s.router, CONTOSO).await;
    assert!(after <= Decimal::from(50_000), "consumed {after}");
    assert_eq!(after - before, refunded, "the ledger holds exactly the accepted refunds");
    for r in get_ok(&s.router, &format!("/api/customers/{CONTOSO}/reservations")).await.as_array().unwrap() {
        let Some(original) = active.iter().find(|x| x["id"] == r["id"]) else { continue };
        let accepted = accepted_per_reservation.get(r["id"].as_str().unwrap()).copied().unwrap_or(0);
        assert_eq!(r["quantity"].as_u64().unwrap(), original["quantity"].as_u64().unwrap() - accepted,
            "each accepted refund took exactly one unit of {}", r["id"]);
    }
}
