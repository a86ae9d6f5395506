//! What the PostgreSQL tests share: a fresh database per test on the server that
//! `TEST_POSTGRES_URL` names (scripts/postgres-for-tests.sh starts one). Without the variable
//! every test fails loudly: these tests are built only with `--features postgres-tests`, which
//! means "a PostgreSQL is there".

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection, PgConnection};

/// The server's URL (a database on it that exists, e.g. `postgres://…/postgres`).
pub fn server_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "TEST_POSTGRES_URL is not set: these tests need a PostgreSQL server. Run them with \
             `source scripts/postgres-for-tests.sh` first (scripts/test.sh does), or point the variable at one."
        )
    })
}

/// The URL of `database` on the test server.
pub fn database_url(database: &str) -> String {
    let server = server_url();
    let (base, query) = match server.split_once('?') {
        Some((base, query)) => (base.to_owned(), format!("?{query}")),
        None => (server.clone(), String::new()),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_end..].find('/') {
        Some(slash) => base[..authority_end + slash].to_owned(),
        None => base,
    };
    format!("{base}/{database}{query}")
}

/// A new, empty database with a name no other test uses; its URL.
pub async fn fresh_database() -> String {
    static COUNT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "desk_test_{}_{}_{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    );
    let mut admin = PgConnection::connect(&server_url()).await.expect("connecting to TEST_POSTGRES_URL");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("CREATE DATABASE");
    admin.close().await.ok();
    database_url(&name)
}
