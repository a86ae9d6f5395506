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
