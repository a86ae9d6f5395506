//! The contract suite (crates/desk/src/suite.rs) against the PostgreSQL store: a fresh database
//! per case on the test server (`TEST_POSTGRES_URL`), seeded on the suite's day.

use crate::common_postgres;

use chrono::NaiveDate;
use reservation_desk_server::postgres::PgStore;

async fn open(seed_day: NaiveDate) -> PgStore {
    let url = common_postgres::fresh_database().await;
    reservation_desk_server::postgres::open_seeded(&url, seed_day).await.unwrap()
}

desk::contract_suite!(open);

/// Azure mode's snapshots on PostgreSQL, as on the memory store and SQLite: a database
/// opened without the demo seed, as `--source azure` opens it.
#[tokio::test]
async fn azure_snapshots_replace_a_customers_reservations_and_failures_keep_them() {
    let url = common_postgres::fresh_database().await;
    let store = reservation_desk_server::postgres::open_seeding(&url, None, &desk::audit_chain::ChainKey::none()).await.unwrap();
    desk::source::check::snapshots_replace_and_failures_keep(&store).await;
    desk::gdap::check::gdap_reads_replace_and_failures_keep(&store).await;
    desk::source::check::directory_words_are_kept_through_reads(&store).await;
}

/// Reads of the book and the stored connection on PostgreSQL, as on SQLite.
#[tokio::test]
async fn one_read_of_the_book_at_a_time_and_the_connection_once_in_postgres() {
    let url = common_postgres::fresh_database().await;
    let store = reservation_desk_server::postgres::open_seeding(&url, None, &desk::audit_chain::ChainKey::none()).await.unwrap();
    reservation_desk_server::reads_store::check::one_read_at_a_time_and_the_connection_once(&store).await;
}

#[tokio::test]
async fn a_tenants_consent_is_claimed_by_one_run_at_a_time_in_postgres() {
    let url = common_postgres::fresh_database().await;
    let store = reservation_desk_server::postgres::open_seeding(&url, None, &desk::audit_chain::ChainKey::none()).await.unwrap();
    desk::source::check::consent_claims_hold_once_per_tenant(&store).await;
}

/// Returns through Azure on PostgreSQL, as on the memory store and SQLite.
#[tokio::test]
async fn azure_returns_are_claimed_once_and_recorded_with_their_operation() {
    let url = common_postgres::fresh_database().await;
    let store = reservation_desk_server::postgres::open_seeding(&url, None, &desk::audit_chain::ChainKey::none()).await.unwrap();
    desk::suite::upstream_store::operations_are_claimed_once(&store).await;
}

/// The worklist's marks on PostgreSQL, as on the memory store and SQLite; and between two
/// servers on one database (each its own pool): a row marked done through one is done through
/// the other, and after a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worklist_marks_are_shared_by_two_servers_and_survive_a_restart_in_postgres() {
    let url = common_postgres::fresh_database().await;
    let seed = desk::suite::seed_day();
    let one = reservation_desk_server::postgres::open_seeded(&url, seed).await.unwrap();
    desk::worklist::check::marks_are_kept_replaced_audited_and_forgotten(&one).await;
    desk::worklist::check::the_book_is_every_customers_reservations_and_ledgers(&one).await;
    desk::pricing::check::pricing_histories_are_kept_apart_in_order_and_audited(&one).await;
    let first = desk::suite::Harness::new(one);
    let second = desk::suite::Harness::new(reservation_desk_server::postgres::open_seeded(&url, seed).await.unwrap());
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let list = first.at(now, "demo-admin-agent", "GET", "/worklist", None).await.1;
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let snooze = serde_json::json!({ "state": "snoozed", "snoozedUntil": "2026-12-11", "owner": "Adam" });
    let (status, body) = first.at(now, "demo-admin-agent", "PATCH", &format!("/worklist/{id}"), Some(snooze)).await;
    assert_eq!(status, 200, "{body}");
    let state = |list: serde_json::Value| {
        let row = list["items"].as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).cloned().expect("listed");
        (row["state"].as_str().unwrap().to_owned(), row["owner"].as_str().map(str::to_owned))
    };
    assert_eq!(state(second.at(now, "demo-global-admin", "GET", "/worklist", None).await.1), ("snoozed".into(), Some("Adam".into())));
    drop((first, second));
    let restarted = desk::suite::Harness::new(reservation_desk_server::postgres::open_seeded(&url, seed).await.unwrap());
    assert_eq!(state(restarted.at(now, "demo-global-admin", "GET", "/worklist", None).await.1), ("snoozed".into(), Some("Adam".into())));
}
