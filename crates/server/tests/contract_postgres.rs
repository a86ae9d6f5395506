//! The contract suite (crates/desk/src/suite.rs) against the PostgreSQL store: a fresh database
//! per case on the test server (`TEST_POSTGRES_URL`), seeded on the suite's day.

mod common_postgres;

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
