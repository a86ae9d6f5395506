//! Issue 17: the audit log is tamper-evident. A row edited directly in the database breaks the
//! chain there (`GET /api/audit/verify`); rows written before the chain existed are linked when
//! the server opens the database; a backup of a live database restores with everything in it.

mod common;

use axum::http::StatusCode;
use common::{call, call_as, FABRIKAM};
use reservation_desk_server::{api, backup, db};
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
    assert_eq!((intact["intact"].as_bool(), intact["entries"].as_u64()), (Some(true), Some(3)), "{intact}");

    // Someone with the database file changes who made the second change.
    let pool = db::open(&url).await.unwrap();
    let (id, body): (i64, String) = sqlx::query_as("SELECT id, body FROM audit ORDER BY id LIMIT 1 OFFSET 1").fetch_one(&pool).await.unwrap();
    let forged = body.replace("Global admin", "Someone else").replace("admin@", "someone@");
    assert_ne!(forged, body, "the entry names its actor: {body}");
    sqlx::query("UPDATE audit SET body = ? WHERE id = ?").bind(&forged).bind(id).execute(&pool).await.unwrap();

    let broken = verify(&router).await;
    assert_eq!(broken["intact"], false, "{broken}");
    assert_eq!(broken["firstBroken"], 2, "{broken}");
    assert_eq!(broken["entries"], 3);

    // Putting the old text back mends it: the chain checks the text, not when it was written.
    sqlx::query("UPDATE audit SET body = ? WHERE id = ?").bind(&body).bind(id).execute(&pool).await.unwrap();
    assert_eq!(verify(&router).await, intact);

    // Deleting a row in the middle breaks the chain at the row after it.
    sqlx::query("DELETE FROM audit WHERE id = ?").bind(id).execute(&pool).await.unwrap();
    let cut = verify(&router).await;
    assert_eq!((cut["intact"].as_bool(), cut["firstBroken"].as_u64(), cut["entries"].as_u64()), (Some(false), Some(2), Some(2)), "{cut}");

    let (status, problem) = call_as(&router, "demo-admin-agent", "GET", "/api/audit/verify", None).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("roleForbids")), "{problem}");
}

#[tokio::test]
async fn rows_written_before_the_chain_existed_are_linked_when_the_server_opens_the_database() {
    let (router, dir, url) = common::fresh().await;
    three_changes(&router).await;
    let pool = db::open(&url).await.unwrap();
    // As a database of the previous version: no hashes yet.
    sqlx::query("UPDATE audit SET hash = ''").execute(&pool).await.unwrap();
    assert_eq!(verify(&api(pool.clone())).await["intact"], false);
    drop(router);
    pool.close().await;
    let reopened = api(db::open(&url).await.unwrap());
    let report = verify(&reopened).await;
    assert_eq!((report["intact"].as_bool(), report["entries"].as_u64()), (Some(true), Some(3)), "{report}");
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
    assert_eq!((report["intact"].as_bool(), report["entries"].as_u64()), (Some(true), Some(3)), "{report}");
}
