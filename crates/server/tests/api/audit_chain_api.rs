//! The audit log is tamper-evident. A row edited directly in the database breaks the
//! chain there (`GET /api/audit/verify`); a backup of a live database restores with everything in
//! it. The hash covers the time and customer columns too; the refund ledger
//! is held to what the chain records (a deleted or edited row is reported); with
//! `AUDIT_HMAC_KEY` a chain re-hashed without the key is caught; rows written before the chain
//! existed are linked once, by migration 0010's step, and never again at start.

use crate::common;

use axum::http::StatusCode;
use common::{call, call_as, CONTOSO, FABRIKAM};
use desk::audit_chain::{ChainKey, FORMAT_PLAIN};
use reservation_desk_server::sqlite::SqliteStore;
use reservation_desk_server::state::AppState;
use reservation_desk_server::{api, api_with_state, backup, db};
use serde_json::{json, Value};

/// Makes three audited changes on `router`: a return, a rename and a role assignment.
async fn three_changes(router: &axum::Router) {
    let (_, list) = call(router, "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    let r = list.as_array().unwrap().iter().find(|r| r["provisioningState"] == "Succeeded").unwrap().clone();
    let order = r["reservationOrderId"].as_str().unwrap();
    let id = r["id"].as_str().unwrap();
    let (status, quote) = call(
        router,
        "POST",
        &format!("/api/reservationOrders/{order}/calculateRefund"),
        Some(json!({ "reservationId": id, "quantity": 1 })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let body = json!({ "sessionId": quote["sessionId"], "returnReason": "No longer needed" });
    let (status, done) = call(router, "POST", &format!("/api/reservationOrders/{order}/return"), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let patch = json!({ "displayName": "audited-rename" });
    let (status, _) = call(router, "PATCH", &format!("/api/reservationOrders/{order}/reservations/{id}"), Some(patch)).await;
    assert_eq!(status, StatusCode::OK);
    let assignment = json!({ "principalName": "ada@fabrikam.example", "principalType": "User", "role": "Reader" });
    let (status, _) = call(router, "POST", &format!("/api/reservationOrders/{order}/roleAssignments"), Some(assignment)).await;
    assert_eq!(status, StatusCode::CREATED);
}

async fn verify(router: &axum::Router) -> Value {
    let (status, report) = call(router, "GET", "/api/audit/verify", None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

#[tokio::test]
async fn a_row_edited_in_the_database_breaks_the_chain_from_there() {
    let (router, _dir, url) = common::fresh().await;
    three_changes(&router).await;
    let intact = verify(&router).await;
    // The seed's ledger entries (Contoso's, Fabrikam's), then the three changes.
    assert_eq!((intact["intact"].as_bool(), intact["entries"].as_u64()), (Some(true), Some(5)), "{intact}");

    // Someone with the database file changes who made the second change.
    let pool = db::open(&url).await.unwrap();
    let (id, body): (i64, String) = sqlx::query_as("SELECT id, body FROM audit ORDER BY id LIMIT 1 OFFSET 3").fetch_one(&pool).await.unwrap();
    let forged = body.replace("Global admin", "Someone else").replace("admin@", "someone@");
    assert_ne!(forged, body, "the entry names its actor: {body}");
    sqlx::query("UPDATE audit SET body = ? WHERE id = ?").bind(&forged).bind(id).execute(&pool).await.unwrap();

    let broken = verify(&router).await;
    assert_eq!(broken["intact"], false, "{broken}");
    assert_eq!(broken["firstBroken"], 4, "{broken}");
    assert_eq!(broken["entries"], 5);

    // Putting the old text back mends it: the chain checks the text, not when it was written.
    sqlx::query("UPDATE audit SET body = ? WHERE id = ?").bind(&body).bind(id).execute(&pool).await.unwrap();
    assert_eq!(verify(&router).await, intact);

    // Deleting a row in the middle breaks the chain at the row after it.
    sqlx::query("DELETE FROM audit WHERE id = ?").bind(id).execute(&pool).await.unwrap();
    let cut = verify(&router).await;
    assert_eq!((cut["intact"].as_bool(), cut["firstBroken"].as_u64(), cut["entries"].as_u64()), (Some(false), Some(4), Some(4)), "{cut}");

    let (status, problem) = call_as(&router, "demo-admin-agent", "GET", "/api/audit/verify", None).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("roleForbids")), "{problem}");
}

/// The audit rows, oldest first: `(id, at, customer_id, body)`.
async fn rows(pool: &sqlx::SqlitePool) -> Vec<(i64, i64, Option<String>, String)> {
    sqlx::query_as("SELECT id, at, customer_id, body FROM audit ORDER BY id").fetch_all(pool).await.unwrap()
}

/// The row of the entry whose action is `action` (the first).
async fn row_of(pool: &sqlx::SqlitePool, action: &str) -> (i64, i64, Option<String>, String) {
    rows(pool).await.into_iter().find(|r| r.3.contains(&format!("\"action\":\"{action}\""))).unwrap()
}

#[tokio::test]
async fn an_edited_customer_or_time_column_breaks_the_chain_there() {
    // What the per-customer filter and the list's order read are in the hash: moving an entry to
    // another customer (or out of every customer's view), or back in time, is reported.
    let (router, _dir, url) = common::fresh().await;
    three_changes(&router).await;
    let pool = db::open(&url).await.unwrap();
    let (id, at, customer, _) = row_of(&pool, "refund").await;
    assert_eq!(customer.as_deref(), Some(FABRIKAM));
    for edit in ["UPDATE audit SET customer_id = 'someone-else' WHERE id = ?", "UPDATE audit SET customer_id = NULL WHERE id = ?"] {
        sqlx::query(edit).bind(id).execute(&pool).await.unwrap();
        let report = verify(&router).await;
        assert_eq!((report["intact"].as_bool(), report["firstBroken"].as_u64(), report["brokenBecause"].as_str()), (Some(false), Some(3), Some("hash")), "{edit}: {report}");
        sqlx::query("UPDATE audit SET customer_id = ? WHERE id = ?").bind(&customer).bind(id).execute(&pool).await.unwrap();
        assert_eq!(verify(&router).await["intact"], true);
    }
    sqlx::query("UPDATE audit SET at = ? WHERE id = ?").bind(at - 86_400).bind(id).execute(&pool).await.unwrap();
    let report = verify(&router).await;
    assert_eq!((report["intact"].as_bool(), report["firstBroken"].as_u64()), (Some(false), Some(3)), "{report}");
}

#[tokio::test]
async fn a_deleted_or_edited_ledger_row_is_reported() {
    // The limit is computed from the ledger: a refund's row deleted gives the customer its limit
    // back, which verify now reports; so does an amount made smaller, or a row added.
    let (router, _dir, url) = common::fresh().await;
    three_changes(&router).await;
    let pool = db::open(&url).await.unwrap();
    let refund: Value = serde_json::from_str(&row_of(&pool, "refund").await.3).unwrap();
    let recorded = refund["ledger"][0].clone();
    assert_eq!(recorded["customerId"], FABRIKAM, "{refund}");
    let consumed = common::consumed(&router, FABRIKAM).await;

    let (id, amount): (i64, String) = sqlx::query_as("SELECT id, amount FROM refund_ledger ORDER BY id DESC LIMIT 1").fetch_one(&pool).await.unwrap();
    sqlx::query("UPDATE refund_ledger SET amount = '0.01' WHERE id = ?").bind(id).execute(&pool).await.unwrap();
    let report = verify(&router).await;
    assert_eq!((report["intact"].as_bool(), report.get("firstBroken")), (Some(false), None), "the chain itself is intact: {report}");
    assert_eq!(report["ledgerMismatches"][0]["recorded"], recorded, "{report}");
    assert_eq!(report["ledgerMismatches"][0]["kind"], "edited", "{report}");
    assert_eq!(report["ledgerMismatches"][0]["stored"]["amount"]["amount"], "0.01", "{report}");
    sqlx::query("UPDATE refund_ledger SET amount = ? WHERE id = ?").bind(&amount).bind(id).execute(&pool).await.unwrap();
    assert_eq!(verify(&router).await["intact"], true);

    sqlx::query("DELETE FROM refund_ledger WHERE id = ?").bind(id).execute(&pool).await.unwrap();
    assert!(common::consumed(&router, FABRIKAM).await < consumed, "the deleted row gave the limit back");
    let report = verify(&router).await;
    assert_eq!(report["intact"], false, "{report}");
    assert_eq!(report["ledgerMismatches"], json!([{ "kind": "missing", "recorded": recorded }]), "{report}");

    sqlx::query("INSERT INTO refund_ledger (customer_id, date, amount, currency, reservation_id, reservation_order_id) \
                 VALUES (?, '2026-01-01', '5.00', 'USD', 'r', 'o')")
        .bind(CONTOSO)
        .execute(&pool)
        .await
        .unwrap();
    let report = verify(&router).await;
    let kinds: Vec<&str> = report["ledgerMismatches"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["missing", "extra"], "{report}");
}

/// The API over the database at `url`, its chain linked under `key`.
async fn keyed(url: &str, key: &ChainKey) -> axum::Router {
    let pool = db::open_with(url, chrono::Utc::now().date_naive(), key).await.unwrap();
    api_with_state(AppState::new(SqliteStore::new(pool).with_audit_key(key.clone())))
}

#[tokio::test]
async fn with_a_key_a_chain_rewritten_without_it_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/keyed.sqlite", dir.path().display());
    let key = ChainKey::hmac(b"a secret the database never sees");
    let router = keyed(&url, &key).await;
    three_changes(&router).await;
    assert_eq!(verify(&router).await["intact"], true);
    let (formats,): (i64,) = sqlx::query_as("SELECT MIN(format) FROM audit").fetch_one(&db::open(&url).await.unwrap()).await.unwrap();
    assert_eq!(formats, 3, "every entry is an HMAC link");

    // Someone who can write the database moves the rename to another customer and re-hashes the
    // whole chain, as plain SHA-256 (format 2), then claiming the keyed format.
    let pool = db::open(&url).await.unwrap();
    let (id, ..) = row_of(&pool, "changeReservation").await;
    sqlx::query("UPDATE audit SET customer_id = ?, body = replace(body, ?, ?) WHERE id = ?")
        .bind(CONTOSO)
        .bind(FABRIKAM)
        .bind(CONTOSO)
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    for (format, because) in [(FORMAT_PLAIN, "unkeyed"), (3, "hash")] {
        let mut previous = desk::audit_chain::GENESIS.to_owned();
        for (id, at, customer, body) in rows(&pool).await {
            previous = ChainKey::none().link(&previous, at, customer.as_deref(), &body);
            sqlx::query("UPDATE audit SET hash = ?, format = ? WHERE id = ?").bind(&previous).bind(i64::from(format)).bind(id).execute(&pool).await.unwrap();
        }
        let report = verify(&router).await;
        assert_eq!((report["intact"].as_bool(), report["firstBroken"].as_u64(), report["brokenBecause"].as_str()), (Some(false), Some(1), Some(because)), "{report}");
        // The same rewrite passes where there is no key: what the key is for.
        assert_eq!(verify(&api(db::open(&url).await.unwrap())).await["intact"], format == FORMAT_PLAIN);
    }
}

#[tokio::test]
async fn rows_written_before_the_chain_existed_are_linked_once_and_never_again_at_start() {
    let (router, dir, url) = common::fresh().await;
    three_changes(&router).await;
    let pool = db::open(&url).await.unwrap();
    // As a database from before the chain (migration 0007): no hashes, the first format, no
    // ledger entry, migration 0010's step still to run.
    sqlx::query("DELETE FROM audit WHERE body LIKE '%\"ledgerBaseline\"%'").execute(&pool).await.unwrap();
    sqlx::query("UPDATE audit SET hash = '', format = 1").execute(&pool).await.unwrap();
    sqlx::query("UPDATE audit_upgrade SET pending = 1").execute(&pool).await.unwrap();
    drop(router);
    pool.close().await;
    let reopened = api(db::open(&url).await.unwrap());
    let report = verify(&reopened).await;
    assert_eq!((report["intact"].as_bool(), report["entries"].as_u64()), (Some(true), Some(5)), "{report}");
    let newest = call(&reopened, "GET", "/api/audit", None).await.1;
    assert_eq!(newest[0]["action"], "ledgerBaseline", "the step records the ledger after the old entries: {newest}");

    // After the step, a row with no hash (inserted by hand) is reported, on every later start too.
    let pool = db::open(&url).await.unwrap();
    sqlx::query("INSERT INTO audit (at, customer_id, body) VALUES (0, NULL, '{}')").execute(&pool).await.unwrap();
    for _ in 0..2 {
        let again = api(db::open(&url).await.unwrap());
        let report = verify(&again).await;
        assert_eq!((report["intact"].as_bool(), report["firstBroken"].as_u64(), report["brokenBecause"].as_str()), (Some(false), Some(6), Some("format")), "{report}");
    }
    let (empty,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit WHERE hash = ''").fetch_one(&pool).await.unwrap();
    assert_eq!(empty, 1, "nothing linked it");
    drop(dir);
}

#[tokio::test]
async fn a_backup_of_a_live_database_restores_with_every_change_and_an_intact_chain() {
    let (router, dir, url) = common::fresh().await;
    three_changes(&router).await;
    let live = db::open(&url).await.unwrap();
    let copy = dir.path().join("backup.sqlite");
    backup::write(&live, &copy).await.unwrap();
    // A backup never overwrites a file.
    assert!(matches!(backup::write(&live, &copy).await, Err(backup::BackupError::Exists(_))));
    // Changes after the backup are not in it.
    let (status, _) = call(&router, "PATCH", "/api/reservationOrders/none/reservations/none", Some(json!({}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let before: Value = call(&router, "GET", "/api/audit", None).await.1;

    // Restore: the copy is a whole database of its own.
    let restored_path = dir.path().join("restored.sqlite");
    std::fs::copy(&copy, &restored_path).unwrap();
    assert!(!dir.path().join("restored.sqlite-wal").exists());
    let restored = db::open(&format!("sqlite://{}", restored_path.display())).await.unwrap();
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(&restored).await.unwrap();
    assert_eq!(check, "ok");
    let router = api(restored);
    assert_eq!(call(&router, "GET", "/api/audit", None).await.1, before);
    let (_, list) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    assert!(list.as_array().unwrap().iter().any(|r| r["displayName"] == "audited-rename"), "the rename is in the backup");
    let report = verify(&router).await;
    assert_eq!((report["intact"].as_bool(), report["entries"].as_u64()), (Some(true), Some(5)), "{report}");
}
