//! Opening a SQLite database: the file (and its folder) created if needed, migrations
//! (`migrations/`), the demo seed, and the audit rows written before the chain linked.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::db::OpenError;

/// Opens (creating if needed) the database at `url`, applies migrations and seeds demo data
/// placed relative to today (the system clock: this is the adapter). WAL with `synchronous=FULL`:
/// a transaction that committed (and so was answered) is on disk, even if the machine loses
/// power right after; `NORMAL` would keep it through a crash of the process only.
pub async fn open(url: &str) -> Result<SqlitePool, OpenError> {
    open_seeded(url, chrono::Utc::now().date_naive()).await
}

/// [`open`], seeding a new database as of `seed_day` (tests fix the day).
pub async fn open_seeded(url: &str, seed_day: chrono::NaiveDate) -> Result<SqlitePool, OpenError> {
    let url = if url.starts_with("sqlite:") { url.to_owned() } else { format!("sqlite://{url}") };
    let options = SqliteConnectOptions::from_str(&url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true);
    if let Some(parent) = std::path::Path::new(options.get_filename()).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)?;
        }
    }
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    seed(&pool, seed_day).await?;
    chain_unhashed_audit(&pool).await?;
    Ok(pool)
}

/// Links the audit rows written before the chain existed (migration 0007), oldest first, in one
/// transaction that holds the write lock from its first statement (so two servers starting
/// together do it once).
async fn chain_unhashed_audit(pool: &SqlitePool) -> Result<(), OpenError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    let work = async {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, body FROM audit WHERE hash = '' ORDER BY id").fetch_all(&mut *conn).await?;
        for (id, body) in &rows {
            super::link_audit_row(&mut conn, *id, body).await.map_err(|e| sqlx::Error::Protocol(e.0))?;
        }
        Ok::<_, sqlx::Error>(())
    }
    .await;
    let end = if work.is_ok() { "COMMIT" } else { "ROLLBACK" };
    sqlx::query(end).execute(&mut *conn).await?;
    Ok(work?)
}

/// Inserts the demo data (`desk_service::seed::demo_data`) on first start, with dates placed
/// relative to that day; rows that already exist are left as they are (a restart keeps every
/// change).
async fn seed(pool: &SqlitePool, seed_day: chrono::NaiveDate) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    super::insert_seed(&mut tx, &desk_service::seed::demo_data(seed_day)).await?;
    tx.commit().await
}
