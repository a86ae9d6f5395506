//! The desk's store over PostgreSQL (sqlx), for several server processes on one database: the
//! third [`desk::Store`], passing the same contract suite as SQLite and the memory store.
//!
//! Money moves are serialized **per customer**: a return or an exchange locks its customer's row
//! (`SELECT … FROM customers WHERE id = $1 FOR NO KEY UPDATE`; an exchange every involved customer, in
//! ID order) inside its transaction before it reads what it decides on, so returns of different
//! customers run in parallel while two returns of one customer can never together pass the limit,
//! on one process or many. A replay finds the stored answer (refunds are UNIQUE per session) and
//! moves nothing. The audit chain is one sequence for the whole database: each writer takes one
//! transaction-scoped advisory lock just before it links its row, as the last step before commit.
//! Opening migrates and seeds under a session advisory lock, so servers starting together do it
//! once ([`open`]).
//!
//! Its queries and `desk::Store` impl are the ones both SQL stores run (`sql_store!`,
//! crate::sql_store); here are its locks and its audit chain, `open.rs` opens, `returns.rs` is a
//! return alone and every return's write, `batch.rs` decides returns in groups.

mod batch;
mod open;
mod returns;

use returns::write_return;

use chrono::{DateTime, Utc};
use contract::AuditEntry;
use desk::audit_chain::ChainKey;
use desk::store::StoreResult;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};

pub use open::{open, open_as, open_seeded, open_seeding, open_with};

/// Whether `url` names a PostgreSQL database (`postgres://…` or `postgresql://…`); anything
/// else is a SQLite URL or file.
pub fn is_postgres_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// What `backup PATH` answers for a PostgreSQL database.
pub const BACKUP_WITH_PG_DUMP: &str = "backup PATH copies a SQLite database file; this server's database is PostgreSQL, \
    so back it up with PostgreSQL's own tools: pg_dump --format=custom --file=PATH 'postgres://…' (restore with pg_restore)";

/// The first key of every advisory lock this store takes (two-key form; "desk").
const LOCK_CLASS: i32 = 0x6465_736b;
/// Second key: the audit chain (transaction-scoped).
const CHAIN_LOCK: i32 = 1;
/// Second key: migrating and seeding on open (session-scoped).
const OPEN_LOCK: i32 = 2;

/// The store over a pool.
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
    /// Returns being decided together in this process (`batch.rs`).
    batches: std::sync::Arc<batch::Batches>,
    /// The connections groups of returns are decided on (`batch.rs`): two of their own, so a
    /// group never waits for one behind the reads, and each keeps its statements prepared and
    /// its caches warm; not pinged on every use (a group is one transaction a few milliseconds
    /// long: a broken connection fails that group, whose members get a store error and can submit
    /// again, and is replaced).
    groups: PgPool,
    /// The audit chain's key (`AUDIT_HMAC_KEY`); none by default.
    key: ChainKey,
    /// Each customer's reservations as last read, under their change counter.
    book_cache: std::sync::Arc<crate::book_cache::BookCache>,
}

impl PgStore {
    /// The store over `pool` (already migrated: see [`open`]) and `groups`, the connections its
    /// groups of returns are decided on, linking its audit entries under `key`.
    fn new(pool: PgPool, groups: PgPool, key: ChainKey) -> Self {
        Self { pool, batches: std::sync::Arc::new(batch::Batches::with_key(key.clone())), groups, key, book_cache: std::sync::Arc::default() }
    }

    /// The pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// The `SELECT` list of a reservation row (`rows::ReservationRow`) in PostgreSQL: dates and
/// amounts back as text.
const RESERVATION_SELECT: &str = "id, reservation_order_id, customer_id, display_name, sku_name, location, \
    reserved_resource_type, quantity, term, billing_plan, to_char(purchase_date, 'YYYY-MM-DD') AS purchase_date, \
    to_char(expiry_date, 'YYYY-MM-DD') AS expiry_date, unit_price::text AS unit_price, currency, \
    pricing_unit_price_usd::text AS pricing_unit_price_usd, applied_scope_type, applied_scope_properties, \
    provisioning_state, renew, usage_level, archived, split_properties, merge_properties, azure_utilization, price_unknown, today_price";

/// Locks the customers' rows until the transaction ends, in ID order (so two exchanges that
/// share customers cannot deadlock); money moves of these customers wait for each other here.
/// `NO KEY UPDATE`: it excludes the same lock of every other money move, but not the key-share
/// lock a foreign-key check takes, so inserting a row that references the customer (a support
/// request) does not wait behind a return.
pub(crate) async fn lock_customers(conn: &mut PgConnection, mut ids: Vec<String>) -> StoreResult<()> {
    ids.sort();
    ids.dedup();
    for id in &ids {
        sqlx::query("SELECT id FROM customers WHERE id = $1 FOR NO KEY UPDATE").bind(id).execute(&mut *conn).await.map_err(db)?;
    }
    Ok(())
}

/// Records an audit entry inside the caller's transaction, linked to the entry before it under
/// `key` (`desk::audit_chain`: the whole row). The chain's advisory lock is held from here to the commit, so the
/// previous hash read below is the last committed row's and the new row's ID follows it; call
/// this as the transaction's last step, so the lock is held briefly.
pub(crate) async fn record(conn: &mut PgConnection, key: &ChainKey, at: DateTime<Utc>, entry: &AuditEntry) -> StoreResult<()> {
    record_all(conn, key, &[(at, entry.clone())]).await
}

/// [`record`] for several entries in order, under one taking of the chain's lock: each linked to
/// the one before it, the first to the last committed row, whatever their number, in one round
/// trip (`desk_link_audit`, migrations-postgres/0004 and 0005: the lock, then the rows in a statement that
/// starts after it was granted, so it reads the last committed hash).
pub(crate) async fn record_all(conn: &mut PgConnection, key: &ChainKey, entries: &[(DateTime<Utc>, AuditEntry)]) -> StoreResult<()> {
    let mut ats = Vec::with_capacity(entries.len());
    let mut customers = Vec::with_capacity(entries.len());
    let mut bodies = Vec::with_capacity(entries.len());
    for (at, entry) in entries {
        ats.push(at.timestamp());
        customers.push(entry.customer_id.clone());
        bodies.push(crate::rows::encode(entry)?);
    }
    let (inner, outer) = key.hmac_pads().unzip();
    sqlx::query("SELECT desk_link_audit($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(LOCK_CLASS)
        .bind(CHAIN_LOCK)
        .bind(&ats)
        .bind(&customers)
        .bind(&bodies)
        .bind(desk::audit_chain::GENESIS)
        .bind(i16::from(key.format()))
        .bind(inner)
        .bind(outer)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// A purchase's customer, locked ([`lock_customers`]) as the customer's other money moves lock it.
async fn lock_customer(conn: &mut PgConnection, customer_id: &str) -> StoreResult<()> {
    lock_customers(conn, vec![customer_id.to_owned()]).await
}

/// The customers of the reservations `ids` names, locked ([`lock_customers`]): an exchange's.
async fn lock_owners(conn: &mut PgConnection, reservation_ids: &[String]) -> StoreResult<()> {
    let customers: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT customer_id FROM reservations WHERE id = ANY($1)")
        .bind(reservation_ids)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
    lock_customers(conn, customers.into_iter().map(|(id,)| id).collect()).await
}

impl PgStore {
    /// A money move's transaction; its customers are locked once known (`lock_owners`, or the
    /// return's own statements).
    async fn begin_money(&self) -> StoreResult<((), Transaction<'static, Postgres>)> {
        Ok(((), self.pool.begin().await.map_err(db)?))
    }

    /// A change of an order's reservations: the order's customer locked as a money move locks
    /// it, before the order is read, so a return, an exchange or another change of this
    /// customer's reservations (in any process) is decided before or after this one, never
    /// between its view and its write.
    async fn begin_order_change(&self, order_id: &str) -> StoreResult<Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let customer: Option<(String,)> =
            sqlx::query_as("SELECT customer_id FROM reservations WHERE reservation_order_id = $1 LIMIT 1")
                .bind(order_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        lock_customers(&mut tx, customer.into_iter().map(|(id,)| id).collect()).await?;
        Ok(tx)
    }

    /// A new role assignment: one order's assignments are decided one at a time (a
    /// transaction-scoped lock on the order).
    async fn begin_assignment(&self, order_id: &str) -> StoreResult<Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('reservation-desk order ' || $1, 0))")
            .bind(order_id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Ok(tx)
    }
}

crate::sql_store::sql_store!(postgres, PgStore, sqlx::Postgres);
crate::source_store::source_store!(postgres, PgStore, sqlx::Postgres);
crate::gdap_store::gdap_store!(postgres, PgStore, sqlx::Postgres);
crate::reads_store::reads_store!(postgres, PgStore, sqlx::Postgres);
crate::upstream_store::upstream_store!(postgres, PgStore, sqlx::Postgres);
crate::worklist_store::worklist_store!(postgres, PgStore, sqlx::Postgres);
crate::pricing_store::pricing_store!(PgStore);

#[cfg(test)]
mod tests {
    use super::is_postgres_url;

    #[test]
    fn postgres_urls_select_postgres_and_everything_else_stays_sqlite() {
        for url in ["postgres://u:p@127.0.0.1:5432/desk", "postgresql://db.internal/desk?sslmode=require", "POSTGRES://h/d", "postgres:///desk?host=/run/postgresql"] {
            assert!(is_postgres_url(url), "{url}");
        }
        for url in ["sqlite://data/reservation-desk.sqlite", "data/postgres.sqlite", "postgres.sqlite", "sqlite::memory:", "./postgres://x"] {
            assert!(!is_postgres_url(url), "{url}");
        }
    }
}
