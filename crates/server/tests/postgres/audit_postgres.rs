//! The audit chain on the PostgreSQL store: the chain is linked in SQL (`desk_audit_link`,
//! migrations-postgres/0005) exactly as `desk::audit_chain` links it, with or without the key;
//! the time and customer columns are in the hash; a refund-ledger row deleted or edited with raw
//! SQL is reported; nothing is linked at start.

use crate::common;
use crate::common_postgres;

use axum::http::StatusCode;
use axum::Router;
use common::{call, FABRIKAM};
use desk::audit_chain::ChainKey;
use reservation_desk_server::state::AppState;
use reservation_desk_server::{api_with_state, postgres};
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection};

/// The API over `url` (a new database is seeded), its chain linked under `key`.
async fn server(url: &str, key: &ChainKey) -> Router {
    api_with_state(AppState::new(postgres::open_with(url, chrono::Utc::now().date_naive(), key).await.unwrap()))
}

async fn verify(router: &Router) -> Value {
    let (status, report) = call(router, "GET", "/api/audit/verify", None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

/// A return of one unit of a Fabrikam reservation (its entry records its ledger row) and a role
/// assignment on its order.
async fn changes(router: &Router) {
    let r = common::active(router, FABRIKAM).await[0].clone();
    let order = r["reservationOrderId"].as_str().unwrap().to_owned();
    let (status, quote) = call(
        router,
        "POST",
        &format!("/api/reservationOrders/{order}/calculateRefund"),
        Some(json!({ "reservationId": r["id"], "quantity": 1 })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let body = json!({ "sessionId": quote["sessionId"], "returnReason": "No longer needed" });
    let (status, done) = call(router, "POST", &format!("/api/reservationOrders/{order}/return"), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let assignment = json!({ "principalName": "ada@fabrikam.example", "principalType": "User", "role": "Reader" });
    let (status, _) = call(router, "POST", &format!("/api/reservationOrders/{order}/roleAssignments"), Some(assignment)).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn postgres_links_as_the_desk_does_and_reports_edited_columns_and_ledger_rows() {
    for key in [ChainKey::none(), ChainKey::hmac(b"kept out of the database")] {
        let url = common_postgres::fresh_database().await;
        let router = server(&url, &key).await;
        changes(&router).await;
        let report = verify(&router).await;
        // The seed's ledger entries (two customers), the refund, the role assignment: SQL's links
        // are the desk's.
        assert_eq!((report["intact"].as_bool(), report["entries"].as_u64()), (Some(true), Some(4)), "{key:?}: {report}");
        let mut db = PgConnection::connect(&url).await.unwrap();
        let (format,): (i16,) = sqlx::query_as("SELECT MIN(format) FROM audit").fetch_one(&mut db).await.unwrap();
        assert_eq!(format, i16::from(key.format()));

        // The customer column: what the per-customer filter reads.
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM audit WHERE body LIKE '%\"action\":\"refund\"%'").fetch_one(&mut db).await.unwrap();
        sqlx::query("UPDATE audit SET customer_id = 'someone-else' WHERE id = $1").bind(id).execute(&mut db).await.unwrap();
        let report = verify(&router).await;
        assert_eq!((report["firstBroken"].as_u64(), report["brokenBecause"].as_str()), (Some(3), Some("hash")), "{report}");
        sqlx::query("UPDATE audit SET customer_id = $1 WHERE id = $2").bind(FABRIKAM).bind(id).execute(&mut db).await.unwrap();
        // The time column.
        sqlx::query("UPDATE audit SET at = at - 60 WHERE id = $1").bind(id).execute(&mut db).await.unwrap();
        assert_eq!(verify(&router).await["firstBroken"], 3);
        sqlx::query("UPDATE audit SET at = at + 60 WHERE id = $1").bind(id).execute(&mut db).await.unwrap();
        assert_eq!(verify(&router).await["intact"], true);

        // The refund's ledger row, edited, then deleted: the chain is intact, the ledger is not.
        let (row,): (i64,) = sqlx::query_as("SELECT MAX(id) FROM refund_ledger").fetch_one(&mut db).await.unwrap();
        sqlx::query("UPDATE refund_ledger SET amount = amount / 2 WHERE id = $1").bind(row).execute(&mut db).await.unwrap();
        let report = verify(&router).await;
        assert_eq!((report["intact"].as_bool(), report.get("firstBroken")), (Some(false), None), "{report}");
        assert_eq!(report["ledgerMismatches"][0]["kind"], "edited", "{report}");
        sqlx::query("DELETE FROM refund_ledger WHERE id = $1").bind(row).execute(&mut db).await.unwrap();
        let report = verify(&router).await;
        assert_eq!(report["ledgerMismatches"][0]["kind"], "missing", "{report}");
        assert_eq!(report["ledgerMismatches"][0]["recorded"]["customerId"], FABRIKAM, "{report}");
        db.close().await.ok();
    }
}

#[tokio::test]
async fn postgres_links_nothing_at_start_after_the_one_time_step() {
    let url = common_postgres::fresh_database().await;
    let router = server(&url, &ChainKey::none()).await;
    changes(&router).await;
    let mut db = PgConnection::connect(&url).await.unwrap();
    let (pending,): (i32,) = sqlx::query_as("SELECT pending FROM audit_upgrade").fetch_one(&mut db).await.unwrap();
    assert_eq!(pending, 0, "the step ran once, on the first open");
    sqlx::query("INSERT INTO audit (at, customer_id, body, hash) VALUES (0, NULL, '{}', '')").execute(&mut db).await.unwrap();
    // Another server opening the database links nothing: the row stays reported.
    let again = server(&url, &ChainKey::none()).await;
    let report = verify(&again).await;
    assert_eq!((report["intact"].as_bool(), report["firstBroken"].as_u64(), report["brokenBecause"].as_str()), (Some(false), Some(5), Some("format")), "{report}");
    let (entries,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit WHERE body LIKE '%ledgerBaseline%'").fetch_one(&mut db).await.unwrap();
    assert_eq!(entries, 2, "the ledger entries (one per customer) are written once");
    db.close().await.ok();
}
