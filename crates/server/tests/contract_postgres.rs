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
