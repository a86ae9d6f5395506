//! Opening a PostgreSQL database: migrations (`migrations-postgres/`) and the demo seed, once,
//! even when several servers start together.

use std::str::FromStr;

use desk::audit_chain::ChainKey;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection};

use super::{PgStore, LOCK_CLASS, OPEN_LOCK};
use crate::db::OpenError;
use crate::opening::Opening;

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
    open_with(url, seed_day, &ChainKey::none()).await
}

/// [`open_seeded`] for a store whose audit chain has `key` (`AUDIT_HMAC_KEY`).
pub async fn open_with(url: &str, seed_day: chrono::NaiveDate, key: &ChainKey) -> Result<PgStore, OpenError> {
    open_seeding(url, Some(crate::db::Seed::demo(seed_day)), key).await
}

/// [`open_with`] seeding the demo data only when `seed_day` is given (Azure mode's store is a
/// cache of Azure: no demo customers). Checks neither mode: the server and its commands open
/// with [`open_as`].
pub async fn open_seeding(url: &str, seed: Option<crate::db::Seed>, key: &ChainKey) -> Result<PgStore, OpenError> {
    open_checked(url, seed, None, key).await
}

/// Opens the database at `url` as `opening` says ([`crate::opening`]): seeded in local mode,
/// prepared for Azure mode in Azure mode, and refused when it holds the other mode's data.
pub async fn open_as(url: &str, opening: Opening, key: &ChainKey) -> Result<PgStore, OpenError> {
    open_checked(url, opening.seed(), Some(opening), key).await
}

async fn open_checked(url: &str, seed: Option<crate::db::Seed>, opening: Option<Opening>, key: &ChainKey) -> Result<PgStore, OpenError> {
    let options = PgConnectOptions::from_str(url)?;
    let mut conn = PgConnection::connect_with(&options).await?;
    sqlx::query("SELECT pg_advisory_lock($1, $2)").bind(LOCK_CLASS).bind(OPEN_LOCK).execute(&mut conn).await?;
    let prepared = prepare(&mut conn, seed, opening, key).await;
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
    Ok(PgStore::new(pool, groups, key.clone()))
}

async fn prepare(conn: &mut PgConnection, seed: Option<crate::db::Seed>, opening: Option<Opening>, key: &ChainKey) -> Result<(), OpenError> {
    sqlx::migrate!("./migrations-postgres").run(&mut *conn).await?;
    if let Some(opening) = opening {
        check(conn, opening).await?;
    }
    if let Some(plan) = seed {
        self::seed(conn, plan).await?;
    }
    upgrade_audit(conn, key).await?;
    Ok(())
}

/// Refuses the other mode's database, and prepares Azure mode's rows ([`crate::opening`]).
async fn check(conn: &mut PgConnection, opening: Opening) -> Result<(), OpenError> {
    // Each mode asks only what could refuse it (the audit log is scanned in local mode only).
    let (demo,): (i64,) =
        if opening == Opening::Azure { sqlx::query_as(&crate::opening::demo_customers_sql()).fetch_one(&mut *conn).await? } else { (0,) };
    let (azure,): (i64,) = if opening == Opening::Azure { (0,) } else { sqlx::query_as(crate::opening::AZURE_USED_SQL).fetch_one(&mut *conn).await? };
    if let Some(refused) = crate::opening::refusal(opening, demo, azure) {
        return Err(OpenError::Refused(refused));
    }
    if opening == Opening::Azure {
        let unknown = serde_json::to_string(&crate::opening::not_read_yet()).unwrap_or_default();
        sqlx::query(crate::opening::UNPRICED_SQL).bind(unknown).execute(&mut *conn).await?;
        sqlx::query(crate::opening::UNREPORTED_SQL).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Migration 0005's step, once per database (while `audit_upgrade.pending` is 1; under the open
/// lock, so once even when servers start together): the entries recording every refund-ledger row
/// (on a new database, the seed's). Every later start finds nothing pending and links nothing.
async fn upgrade_audit(conn: &mut PgConnection, key: &ChainKey) -> Result<(), OpenError> {
    let mut tx = conn.begin().await?;
    let (pending,): (i32,) = sqlx::query_as("SELECT pending FROM audit_upgrade FOR UPDATE").fetch_one(&mut *tx).await?;
    if pending != 0 {
        super::record_ledger_baseline(&mut tx, key, chrono::Utc::now()).await.map_err(|e| sqlx::Error::Protocol(e.0))?;
        sqlx::query("UPDATE audit_upgrade SET pending = 0").execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Inserts the demo data (`desk_service::seed::demo_data`) on first start, with dates placed
/// relative to that day; rows that already exist are left as they are (a restart keeps every
/// change).
async fn seed(conn: &mut PgConnection, plan: crate::db::Seed) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin().await?;
    super::insert_seed(&mut tx, &plan.data()).await?;
    tx.commit().await
}
