//! Opening a PostgreSQL database: migrations (`migrations-postgres/`) and the demo seed, once,
//! even when several servers start together.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection};

use super::{PgStore, LOCK_CLASS, OPEN_LOCK};
use crate::db::OpenError;

/// Connections each server keeps to the database at most, besides [`GROUP_CONNECTIONS`].
const MAX_CONNECTIONS: u32 = 16;

/// Connections of [`PgStore::groups`](super::PgStore): opened here, before the server answers.
const GROUP_CONNECTIONS: u32 = 2;

/// Opens the PostgreSQL database at `url` (`postgres://…`; the database must exist), applies
/// migrations and seeds demo data placed relative to today on first start.
pub async fn open(url: &str) -> Result<PgStore, OpenError> {
    open_seeded(url, chrono::Utc::now().date_naive()).await
}

/// [`open`], seeding a new database as of `seed_day` (tests fix the day).
///
/// Migrating and seeding happen on one connection of their own holding a session advisory lock:
/// a second server starting at the same moment waits, then finds the migrations applied and the
/// data seeded and does nothing. The lock goes with that connection (closed here, or dropped by
/// PostgreSQL if this process dies), so a crash in the middle never leaves it held.
pub async fn open_seeded(url: &str, seed_day: chrono::NaiveDate) -> Result<PgStore, OpenError> {
    let options = PgConnectOptions::from_str(url)?;
    let mut conn = PgConnection::connect_with(&options).await?;
    sqlx::query("SELECT pg_advisory_lock($1, $2)").bind(LOCK_CLASS).bind(OPEN_LOCK).execute(&mut conn).await?;
    let prepared = prepare(&mut conn, seed_day).await;
    let closed = conn.close().await;
    prepared?;
    closed?;
    let groups = PgPoolOptions::new()
        .max_connections(GROUP_CONNECTIONS)
        .min_connections(GROUP_CONNECTIONS)
        .test_before_acquire(false)
        .connect_with(options.clone())
        .await?;
    let pool = PgPoolOptions::new().max_connections(MAX_CONNECTIONS).connect_with(options).await?;
    Ok(PgStore::new(pool, groups))
}

async fn prepare(conn: &mut PgConnection, seed_day: chrono::NaiveDate) -> Result<(), OpenError> {
    sqlx::migrate!("./migrations-postgres").run(&mut *conn).await?;
    seed(conn, seed_day).await?;
    Ok(())
}

/// Inserts the demo data (`desk_service::seed::demo_data`) on first start, with dates placed
/// relative to that day; rows that already exist are left as they are (a restart keeps every
/// change).
async fn seed(conn: &mut PgConnection, seed_day: chrono::NaiveDate) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin().await?;
    super::insert_seed(&mut tx, &desk_service::seed::demo_data(seed_day)).await?;
    tx.commit().await
}
