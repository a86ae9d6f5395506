//! The desk's store over SQLite (sqlx). Its queries and `desk::Store` impl are the ones both SQL
//! stores run (`sql_store!`, crate::sql_store); what is SQLite's own is here: every write is one
//! transaction with its audit entry; a write that decides on what is stored (a money move, a
//! change of an order, a new role assignment) takes SQLite's write lock up front (`BEGIN
//! IMMEDIATE`, so another process on the same file waits too), and a money move also this
//! process's money lock, so no two can pass the limit check at once. `open.rs` opens, migrates
//! and seeds the file; `returns.rs` is a return.

pub mod open;
mod returns;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use contract::AuditEntry;
use desk::store::StoreResult;
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{Mutex, MutexGuard};

/// The store over a pool.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Held while a return or exchange checks and moves money in this process.
    money: Arc<Mutex<()>>,
}

impl SqliteStore {
    /// The store over `pool`.
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool, money: Arc::new(Mutex::new(())) }
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

/// Records an audit entry inside the caller's transaction, linked to the entry before it
/// (`desk::audit_chain`). The row is inserted first, so the transaction holds SQLite's write lock
/// before it reads the previous hash: no other writer can add an entry in between.
pub(crate) async fn record(conn: &mut SqliteConnection, at: DateTime<Utc>, entry: &AuditEntry) -> StoreResult<()> {
    let body = crate::rows::encode(entry)?;
    let id = sqlx::query("INSERT INTO audit (at, customer_id, body) VALUES (?, ?, ?)")
        .bind(at.timestamp())
        .bind(&entry.customer_id)
        .bind(&body)
        .execute(&mut *conn)
        .await
        .map_err(db)?
        .last_insert_rowid();
    link_audit_row(conn, id, &body).await
}

/// Sets the hash of audit row `id` (whose body is `body`) from the row before it.
pub(crate) async fn link_audit_row(conn: &mut SqliteConnection, id: i64, body: &str) -> StoreResult<()> {
    let previous: Option<(String,)> = sqlx::query_as("SELECT hash FROM audit WHERE id < ? ORDER BY id DESC LIMIT 1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    let previous = previous.map_or_else(|| desk::audit_chain::GENESIS.to_owned(), |(hash,)| hash);
    sqlx::query("UPDATE audit SET hash = ? WHERE id = ?")
        .bind(desk::audit_chain::link(&previous, body))
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

crate::sql_store::sql_store!(sqlite, SqliteStore, sqlx::Sqlite);
