//! The desk's store over SQLite (sqlx). Its queries and `desk::Store` impl are the ones both SQL
//! stores run (`sql_store!`, crate::sql_store); what is SQLite's own is here: every write is one
//! transaction with its audit entry; a write that decides on what is stored (a money move, a
//! change of an order, a new role assignment) takes SQLite's write lock up front (`BEGIN
//! IMMEDIATE`, so another process on the same file waits too), and a money move also this
//! process's money lock, so no two can pass the limit check at once. `open.rs` opens, migrates
//! and seeds the file; `returns.rs` is a return.

pub mod open;
mod returns;

use returns::write_return;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use contract::AuditEntry;
use desk::audit_chain::ChainKey;
use desk::store::StoreResult;
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{Mutex, MutexGuard};

/// The store over a pool.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Held while a return or exchange checks and moves money in this process.
    money: Arc<Mutex<()>>,
    /// The audit chain's key (`AUDIT_HMAC_KEY`); none by default.
    key: ChainKey,
    /// Each customer's reservations as last read, under their change counter.
    book_cache: Arc<crate::book_cache::BookCache>,
}

impl SqliteStore {
    /// The store over `pool`.
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool, money: Arc::new(Mutex::new(())), key: ChainKey::none(), book_cache: Arc::default() }
    }

    /// The store linking its audit entries under `key` (open the database with the same key:
    /// [`open::open_keyed`]).
    pub fn with_audit_key(self, key: ChainKey) -> Self {
        Self { key, ..self }
    }

    /// The pool.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A transaction holding the database's write lock from its first statement.
    async fn begin_immediate(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)
    }

    /// A money move's transaction: this process's money lock, then the write lock (the file
    /// lock serializes across processes), before anything is read.
    async fn begin_money(&self) -> StoreResult<(MutexGuard<'_, ()>, Transaction<'static, Sqlite>)> {
        let money = self.money.lock().await;
        Ok((money, self.begin_immediate().await?))
    }

    /// A change of an order's reservations: the write lock before the view is read, so no
    /// return, exchange or other change of any process comes between the view and the write.
    async fn begin_order_change(&self, _order_id: &str) -> StoreResult<Transaction<'static, Sqlite>> {
        self.begin_immediate().await
    }

    /// A new role assignment: the write lock before the order's assignments are read.
    async fn begin_assignment(&self, _order_id: &str) -> StoreResult<Transaction<'static, Sqlite>> {
        self.begin_immediate().await
    }
}

/// Nothing to lock: a money move's transaction holds the write lock from its first statement.
async fn lock_owners(_conn: &mut SqliteConnection, _reservation_ids: &[String]) -> StoreResult<()> {
    Ok(())
}

/// Nothing to lock, as for [`lock_owners`]: a purchase's customer.
async fn lock_customer(_conn: &mut SqliteConnection, _customer_id: &str) -> StoreResult<()> {
    Ok(())
}

/// Records an audit entry inside the caller's transaction, linked to the entry before it under
/// `key` (`desk::audit_chain`: the whole row, its time and customer columns too). The row is
/// inserted first, so the transaction holds SQLite's write lock before it reads the previous
/// hash: no other writer can add an entry in between.
pub(crate) async fn record(conn: &mut SqliteConnection, key: &ChainKey, at: DateTime<Utc>, entry: &AuditEntry) -> StoreResult<()> {
    let body = crate::rows::encode(entry)?;
    let id = sqlx::query("INSERT INTO audit (at, customer_id, body, format) VALUES (?, ?, ?, ?)")
        .bind(at.timestamp())
        .bind(&entry.customer_id)
        .bind(&body)
        .bind(i64::from(key.format()))
        .execute(&mut *conn)
        .await
        .map_err(db)?
        .last_insert_rowid();
    let previous = previous_hash(conn, id).await?;
    let hash = key.link(&previous, at.timestamp(), entry.customer_id.as_deref(), &body);
    sqlx::query("UPDATE audit SET hash = ? WHERE id = ?").bind(hash).bind(id).execute(&mut *conn).await.map_err(db)?;
    Ok(())
}

/// The hash of the audit row before row `id` ([`desk::audit_chain::GENESIS`] for the first).
async fn previous_hash(conn: &mut SqliteConnection, id: i64) -> StoreResult<String> {
    let previous: Option<(String,)> = sqlx::query_as("SELECT hash FROM audit WHERE id < ? ORDER BY id DESC LIMIT 1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    Ok(previous.map_or_else(|| desk::audit_chain::GENESIS.to_owned(), |(hash,)| hash))
}

/// Links audit row `id` (whose body is `body`), written before the chain existed, in the chain's
/// first format (`FORMAT_TEXT`: its text alone), from the row before it. Only the step that
/// upgrades a database once does this (`open::upgrade_audit`).
pub(crate) async fn link_text_row(conn: &mut SqliteConnection, id: i64, body: &str) -> StoreResult<()> {
    let previous = previous_hash(conn, id).await?;
    sqlx::query("UPDATE audit SET hash = ?, format = ? WHERE id = ?")
        .bind(desk::audit_chain::link_text(&previous, body))
        .bind(i64::from(desk::audit_chain::FORMAT_TEXT))
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

crate::sql_store::sql_store!(sqlite, SqliteStore, sqlx::Sqlite);
crate::source_store::source_store!(sqlite, SqliteStore, sqlx::Sqlite);
crate::gdap_store::gdap_store!(sqlite, SqliteStore, sqlx::Sqlite);
crate::reads_store::reads_store!(sqlite, SqliteStore, sqlx::Sqlite);
crate::upstream_store::upstream_store!(sqlite, SqliteStore, sqlx::Sqlite);
crate::worklist_store::worklist_store!(sqlite, SqliteStore, sqlx::Sqlite);
crate::pricing_store::pricing_store!(SqliteStore);
