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
