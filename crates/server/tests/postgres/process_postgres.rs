//! Two server processes on one PostgreSQL database (the binary, started twice at once): the
//! migrations and the seed happen once, a refund session calculated on one is submitted on the
//! other, a replay on either moves nothing, a burst of returns split over both never passes the
//! limit, the audit entry of a return names its session, and the audit chain stays intact. And
//! the crash scenario SQLite passes (`crash_scenario`): SIGKILL mid-burst, restarted, every
//! answered return applied once.

use crate::common;
use crate::common_postgres;
use crate::crash_scenario;
use crate::server_process;

use std::collections::HashMap;

use common::{amount, CONTOSO, FABRIKAM};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection};
use server_process::{get, request, Server};

async fn active(port: u16, customer: &str) -> Vec<Value> {
    let list = get(port, &format!("/api/customers/{customer}/reservations")).await;
    list.as_array().unwrap().iter().filter(|r| r["provisioningState"] == "Succeeded").cloned().collect()
}

async fn calculate(port: u16, r: &Value) -> Value {
    let order = r["reservationOrderId"].as_str().unwrap();
    let body = json!({ "reservationId": r["id"], "quantity": 1 });
    let (status, calc) = request(port, "POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(&body)).await;
    assert_eq!(status, 200, "{calc}");
    calc["sessionId"].clone()
}

async fn submit(port: u16, r: &Value, session: &Value) -> (u16, Value) {
    let order = r["reservationOrderId"].as_str().unwrap();
    let body = json!({ "sessionId": session, "returnReason": "Two servers" });
    request(port, "POST", &format!("/api/reservationOrders/{order}/return"), Some(&body)).await
}

async fn consumed(port: u16, customer: &str) -> Decimal {
    amount(&get(port, &format!("/api/customers/{customer}/refundLimit")).await["consumed"])
}

async fn count(db: &mut PgConnection, sql: &str) -> i64 {
    sqlx::query_as::<_, (i64,)>(sql).fetch_one(&mut *db).await.unwrap().0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_database_migrate_once_share_sessions_and_never_pass_the_limit_together() {
    let url = common_postgres::fresh_database().await;
    // Both started at the same moment on a database with no tables yet.
    let (a, b) = (Server::spawn(&url, &[]), Server::spawn(&url, &[]));
    let (a, b) = (a.ready(), b.ready());

    let mut db = PgConnection::connect(&url).await.unwrap();
    let data = desk_service::seed::demo_data(chrono::Utc::now().date_naive());
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations-postgres")).unwrap().count() as i64;
    assert_eq!(count(&mut db, "SELECT COUNT(*) FROM _sqlx_migrations").await, migrations, "each migration ran once");
    assert_eq!(count(&mut db, "SELECT COUNT(*) FROM customers").await, data.customers.len() as i64);
    assert_eq!(count(&mut db, "SELECT COUNT(*) FROM reservations").await, data.reservations.len() as i64);
    // The ledger has no natural key: a second seed would have doubled it.
    assert_eq!(count(&mut db, "SELECT COUNT(*) FROM refund_ledger").await, data.ledger.len() as i64, "seeded once");

    // Calculated on A, submitted on B; replayed on A and on B: one refund.
    let r = active(a.port, FABRIKAM).await.into_iter().find(|r| r["quantity"].as_u64().unwrap() >= 2).unwrap();
    let before = consumed(b.port, FABRIKAM).await;
    let session = calculate(a.port, &r).await;
    let (status, first) = submit(b.port, &r, &session).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["sessionId"], session);
    for port in [a.port, b.port] {
        let (status, again) = submit(port, &r, &session).await;
        assert_eq!((status, &again), (200, &first), "a replay answers what was done");
    }
    assert_eq!(consumed(a.port, FABRIKAM).await - before, amount(&first["quote"]["policyResult"]["countedTowardLimit"]), "moved once");
    let after = active(b.port, FABRIKAM).await.into_iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(after["quantity"].as_u64().unwrap(), r["quantity"].as_u64().unwrap() - 1);
    let refunds = count(&mut db, &format!("SELECT COUNT(*) FROM refunds WHERE session_id = '{}'", session.as_str().unwrap())).await;
    assert_eq!(refunds, 1);

    // The return's audit entry names its session (read on the other server).
    let audit = get(a.port, &format!("/api/audit?customerId={FABRIKAM}")).await;
    let entry = audit.as_array().unwrap().iter().find(|e| e["action"] == "refund").expect("the refund is audited").clone();
    assert!(entry["change"].as_str().unwrap().contains(session.as_str().unwrap()), "{entry}");

    // A burst of Contoso's returns, sessions calculated on both, submitted half to each at once.
    let start = consumed(a.port, CONTOSO).await;
    let reservations = active(a.port, CONTOSO).await;
    let mut pending = Vec::new();
    for i in 0..40 {
        let r = reservations[i % reservations.len()].clone();
        let (calc_on, submit_on) = if i % 2 == 0 { (a.port, b.port) } else { (b.port, a.port) };
        pending.push((submit_on, r.clone(), calculate(calc_on, &r).await));
    }
    let tasks: Vec<_> = pending
        .iter()
        .cloned()
        .map(|(port, r, session)| tokio::spawn(async move { (r.clone(), submit(port, &r, &session).await) }))
        .collect();
    let mut refunded = Decimal::ZERO;
    let mut accepted = HashMap::<String, u64>::new();
    for task in tasks {
        let (r, (status, body)) = task.await.unwrap();
        assert!(status == 200 || status == 409, "{status} {body}");
        if status == 200 {
            refunded += amount(&body["quote"]["policyResult"]["countedTowardLimit"]);
            *accepted.entry(r["id"].as_str().unwrap().to_owned()).or_default() += 1;
        }
    }
    assert!(!accepted.is_empty(), "some returns went through");
    let end = consumed(b.port, CONTOSO).await;
    assert!(end <= Decimal::from(50_000), "the limit holds across both servers: {end}");
    assert_eq!(end - start, refunded, "the ledger holds exactly what was answered");
    let list = get(a.port, &format!("/api/customers/{CONTOSO}/reservations")).await;
    for r in &reservations {
        let id = r["id"].as_str().unwrap();
        let now = list.as_array().unwrap().iter().find(|x| x["id"] == id).unwrap()["quantity"].as_u64().unwrap();
        assert_eq!(now, r["quantity"].as_u64().unwrap() - accepted.get(id).copied().unwrap_or(0), "{id}");
    }
    // Every session replayed on the server it was not submitted to: nothing more moves.
    for (port, r, session) in &pending {
        let other = if *port == a.port { b.port } else { a.port };
        let (status, body) = submit(other, r, session).await;
        assert!(status == 200 || status == 409, "{status} {body}");
    }
    assert_eq!(consumed(a.port, CONTOSO).await, end, "replays moved nothing");

    for port in [a.port, b.port] {
        let chain = get(port, "/api/audit/verify").await;
        assert_eq!(chain["intact"], true, "{chain}");
    }
}

#[tokio::test]
async fn backup_of_a_postgres_database_says_to_use_pg_dump() {
    let url = common_postgres::fresh_database().await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"))
        .args(["--database", &url, "backup", "/nonexistent/copy.sqlite"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("pg_dump"), "{said}");
}

/// The refunds recorded in the database at `url`.
async fn recorded_refunds(url: &str) -> Vec<crash_scenario::RefundRow> {
    let mut db = PgConnection::connect(url).await.expect("the database opens after the crash");
    let rows = sqlx::query_as("SELECT session_id, reservation_order_id, reservation_id, quantity, response FROM refunds")
        .fetch_all(&mut db)
        .await
        .unwrap();
    db.close().await.ok();
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_mid_burst_every_answered_return_is_applied_once() {
    let url = common_postgres::fresh_database().await;
    let (kills, _) = crash_scenario::killed_mid_burst(&url, 3, || recorded_refunds(&url)).await;
    assert_eq!(kills, 3);
}
