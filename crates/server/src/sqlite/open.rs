//! Opening a SQLite database: the file (and its folder) created if needed, migrations
//! (`migrations/`), the demo seed, and migration 0010's one-time step for the audit chain.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use desk::audit_chain::ChainKey;
use sqlx::SqlitePool;

use crate::db::OpenError;
use crate::opening::Opening;

/// Opens (creating if needed) the database at `url`, applies migrations and seeds demo data
/// placed relative to today (the system clock: this is the adapter). WAL with `synchronous=FULL`:
/// a transaction that committed (and so was answered) is on disk, even if the machine loses
/// power right after; `NORMAL` would keep it through a crash of the process only.
pub async fn open(url: &str) -> Result<SqlitePool, OpenError> {
    open_seeded(url, chrono::Utc::now().date_naive()).await
}

/// [`open`], seeding a new database as of `seed_day` (tests fix the day).
pub async fn open_seeded(url: &str, seed_day: chrono::NaiveDate) -> Result<SqlitePool, OpenError> {
    open_with(url, seed_day, &ChainKey::none()).await
}

/// [`open_seeded`] for a store whose audit chain has `key` (`AUDIT_HMAC_KEY`): the one-time
/// step, when it runs, links its entry under that key.
pub async fn open_with(url: &str, seed_day: chrono::NaiveDate, key: &ChainKey) -> Result<SqlitePool, OpenError> {
    open_seeding(url, Some(crate::db::Seed::demo(seed_day)), key).await
}

/// [`open_with`] seeding the demo data only when `seed_day` is given (Azure mode's store is a
/// cache of Azure: no demo customers). Checks neither mode: the server and its commands open
/// with [`open_as`].
pub async fn open_seeding(url: &str, seed: Option<crate::db::Seed>, key: &ChainKey) -> Result<SqlitePool, OpenError> {
    open_checked(url, seed, None, key).await
}

/// Opens the database at `url` as `opening` says ([`crate::opening`]): seeded in local mode,
/// prepared for Azure mode in Azure mode, and refused when it holds the other mode's data.
pub async fn open_as(url: &str, opening: Opening, key: &ChainKey) -> Result<SqlitePool, OpenError> {
    open_checked(url, opening.seed(), Some(opening), key).await
}

async fn open_checked(url: &str, seed: Option<crate::db::Seed>, opening: Option<Opening>, key: &ChainKey) -> Result<SqlitePool, OpenError> {
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
    if let Some(opening) = opening {
        if let Err(refused) = check(&pool, opening).await {
            pool.close().await;
            return Err(refused);
        }
    }
    if let Some(plan) = seed {
        self::seed(&pool, plan).await?;
    }
    upgrade_audit(&pool, key).await?;
    Ok(pool)
}

/// Refuses the other mode's database, and prepares Azure mode's rows ([`crate::opening`]).
async fn check(pool: &SqlitePool, opening: Opening) -> Result<(), OpenError> {
    // Each mode asks only what could refuse it (the audit log is scanned in local mode only).
    let (demo,): (i64,) =
        if opening == Opening::Azure { sqlx::query_as(&crate::opening::demo_customers_sql()).fetch_one(pool).await? } else { (0,) };
    let (azure,): (i64,) = if opening == Opening::Azure { (0,) } else { sqlx::query_as(crate::opening::AZURE_USED_SQL).fetch_one(pool).await? };
    if let Some(refused) = crate::opening::refusal(opening, demo, azure) {
        return Err(OpenError::Refused(refused));
    }
    if opening == Opening::Azure {
        let unknown = serde_json::to_string(&crate::opening::not_read_yet()).unwrap_or_default();
        sqlx::query(crate::opening::UNPRICED_SQL).bind(unknown).execute(pool).await?;
        sqlx::query(crate::opening::UNREPORTED_SQL).execute(pool).await?;
    }
    Ok(())
}

/// Migration 0010's step, once per database (while `audit_upgrade.pending` is 1): the audit rows
/// written before the chain existed (migration 0007) linked in the chain's first format, oldest
/// first, then the entries recording every refund-ledger row (on a new database, the seed's). One
/// transaction holding the write lock from its first statement, so two servers starting together
/// do it once. Every later start finds nothing pending and links nothing: a row with an empty
/// hash inserted later stays reported by `verify`.
async fn upgrade_audit(pool: &SqlitePool, key: &ChainKey) -> Result<(), OpenError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    let work = async {
        let (pending,): (i64,) = sqlx::query_as("SELECT pending FROM audit_upgrade").fetch_one(&mut *conn).await?;
        if pending == 0 {
            return Ok(());
        }
        let store_error = |e: desk::StoreError| sqlx::Error::Protocol(e.0);
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, body FROM audit WHERE hash = '' ORDER BY id").fetch_all(&mut *conn).await?;
        for (id, body) in &rows {
            super::link_text_row(&mut conn, *id, body).await.map_err(store_error)?;
        }
        super::record_ledger_baseline(&mut conn, key, chrono::Utc::now()).await.map_err(store_error)?;
        sqlx::query("UPDATE audit_upgrade SET pending = 0").execute(&mut *conn).await?;
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
async fn seed(pool: &SqlitePool, plan: crate::db::Seed) -> Result<(), sqlx::Error> {
    // The write lock up front: a deferred transaction reads (the count) before it writes, and
    // when another process starting at the same time wrote in between, SQLite refuses the
    // upgrade at once ("database is locked") instead of waiting.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    super::insert_seed(&mut tx, &plan.data()).await?;
    tx.commit().await
}
