//! The contract suite (crates/desk/src/suite.rs) against the SQLite store: a fresh database
//! file per case, seeded on the suite's day.

use chrono::NaiveDate;
use reservation_desk_server::sqlite::SqliteStore;

/// A store over a new SQLite file (its folder is left to the OS's temp cleanup: each case's
/// store outlives this function).
async fn open(seed_day: NaiveDate) -> SqliteStore {
    let dir = tempfile::tempdir().unwrap().keep();
    let url = format!("sqlite://{}/contract.sqlite", dir.display());
    SqliteStore::new(reservation_desk_server::db::open_seeded(&url, seed_day).await.unwrap())
}

desk::contract_suite!(open);

/// Reads of the book and the stored connection on SQLite, as on PostgreSQL.
#[tokio::test]
async fn one_read_of_the_book_at_a_time_and_the_connection_once_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/reads.sqlite", dir.path().display());
    let store = reservation_desk_server::server_store::ServerStore::open_seeding(&url, &desk::audit_chain::ChainKey::none(), false).await.unwrap();
    reservation_desk_server::reads_store::check::one_read_at_a_time_and_the_connection_once(&store).await;
}

/// The worklist's marks on SQLite: kept, replaced, audited, forgotten; the book read whole; and
/// a mark set through one store is there after a restart (a new store over the same file).
#[tokio::test]
async fn worklist_marks_persist_across_a_restart_in_sqlite() {
    let dir = tempfile::tempdir().unwrap().keep();
    let url = format!("sqlite://{}/worklist.sqlite", dir.display());
    let seed = desk::suite::seed_day();
    let store = SqliteStore::new(reservation_desk_server::db::open_seeded(&url, seed).await.unwrap());
    desk::worklist::check::marks_are_kept_replaced_audited_and_forgotten(&store).await;
    desk::worklist::check::the_book_is_every_customers_reservations_and_ledgers(&store).await;
    desk::pricing::check::pricing_histories_are_kept_apart_in_order_and_audited(&store).await;
    let first = desk::suite::Harness::new(store);
    let id = worklist_mark_one(&first).await;
    drop(first);
    let again = desk::suite::Harness::new(SqliteStore::new(reservation_desk_server::db::open_seeded(&url, seed).await.unwrap()));
    assert_eq!(worklist_state(&again, &id).await, "done");
}

/// Marks the worklist's first row done as the Admin agent on 27 November 2026: its ID.
async fn worklist_mark_one<S: desk::DeskStore>(h: &desk::suite::Harness<S>) -> String {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let list = h.at(now, "demo-admin-agent", "GET", "/worklist", None).await.1;
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, body) = h.at(now, "demo-admin-agent", "PATCH", &format!("/worklist/{id}"), Some(serde_json::json!({ "state": "done" }))).await;
    assert_eq!(status, 200, "{body}");
    id
}

/// The state row `id` shows on 27 November 2026.
async fn worklist_state<S: desk::DeskStore>(h: &desk::suite::Harness<S>, id: &str) -> String {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let list = h.at(now, "demo-global-admin", "GET", "/worklist", None).await.1;
    let row = list["items"].as_array().unwrap().iter().find(|r| r["id"] == id).expect("still listed");
    row["state"].as_str().unwrap().to_owned()
}
