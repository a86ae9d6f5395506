//! The desk's store over SQLite (sqlx): the only place that knows the tables. Every write is
//! one transaction with its audit entry; a money move takes SQLite's write lock up front
//! (`BEGIN IMMEDIATE`, so another process on the same file waits too) and this process's money
//! lock, so no two can pass the limit check at once.

pub mod rows;
mod writes;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use contract::{AuditEntry, Customer, RoleAssignment, Scope, SupportRequest};
use desk::store::{RefundSession, StoreResult, Stored};
use desk::StoreError;
use desk_service::limit::LedgerEntry;
use serde::de::DeserializeOwned;
use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::Mutex;

use rows::{enum_text, ReservationRow, RESERVATION_COLUMNS};

/// A database failure as the desk sees it (the adapter logs it; the client gets a 500).
pub(crate) fn db(e: sqlx::Error) -> StoreError {
    StoreError(e.to_string())
}

/// A JSON column read back.
pub(crate) fn decode<T: DeserializeOwned>(what: &str, json: &str) -> StoreResult<T> {
    serde_json::from_str(json).map_err(|e| StoreError::corrupt(what, e))
}

/// A value written as a JSON column.
pub(crate) fn encode<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError(e.to_string()))
}

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
}

const CUSTOMERS: &str = "SELECT id, name, domain, \
    (SELECT COUNT(*) FROM reservations r WHERE r.customer_id = customers.id) AS reservation_count FROM customers";

#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: String,
    name: String,
    domain: String,
    reservation_count: i64,
}

impl From<CustomerRow> for Customer {
    fn from(row: CustomerRow) -> Self {
        Customer {
            id: row.id,
            name: row.name,
            domain: row.domain,
            reservation_count: u32::try_from(row.reservation_count).unwrap_or(u32::MAX),
        }
    }
}

/// The reservations a `WHERE` clause (one bound text) selects.
async fn reservations_where(conn: &mut SqliteConnection, clause: &str, value: &str) -> StoreResult<Vec<Stored>> {
    let rows: Vec<ReservationRow> = sqlx::query_as(&format!("SELECT {RESERVATION_COLUMNS} FROM reservations WHERE {clause}"))
        .bind(value)
        .fetch_all(conn)
        .await
        .map_err(db)?;
    rows.into_iter().map(|row| row.into_reservation().map_err(db)).collect()
}

pub(crate) async fn reservation_by_id(conn: &mut SqliteConnection, id: &str) -> StoreResult<Option<Stored>> {
    Ok(reservations_where(conn, "id = ?", id).await?.into_iter().next())
}

pub(crate) async fn scopes_of(conn: &mut SqliteConnection, customer_id: &str) -> StoreResult<Vec<Scope>> {
    let found: Vec<(String, String)> =
        sqlx::query_as("SELECT scope_type, properties FROM customer_scopes WHERE customer_id = ? ORDER BY rowid")
            .bind(customer_id)
            .fetch_all(conn)
            .await
            .map_err(db)?;
    found
        .into_iter()
        .map(|(kind, props)| {
            Ok(Scope {
                applied_scope_type: decode("scope type", &serde_json::Value::String(kind).to_string())?,
                applied_scope_properties: decode("scope", &props)?,
            })
        })
        .collect()
}

pub(crate) async fn assignments_of(conn: &mut SqliteConnection, order_id: &str) -> StoreResult<Vec<RoleAssignment>> {
    let found: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM role_assignments WHERE reservation_order_id = ? ORDER BY created_at, id")
            .bind(order_id)
            .fetch_all(conn)
            .await
            .map_err(db)?;
    found.iter().map(|(body,)| decode("role assignment", body)).collect()
}

pub(crate) async fn order_exists(conn: &mut SqliteConnection, order_id: &str) -> StoreResult<bool> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM reservations WHERE reservation_order_id = ? LIMIT 1")
        .bind(order_id)
        .fetch_optional(conn)
        .await
        .map_err(db)?;
    Ok(found.is_some())
}

/// Records an audit entry inside the caller's transaction, linked to the entry before it
/// (`desk::audit_chain`). The row is inserted first, so the transaction holds SQLite's write lock
/// before it reads the previous hash: no other writer can add an entry in between.
pub(crate) async fn record(conn: &mut SqliteConnection, at: DateTime<Utc>, entry: &AuditEntry) -> StoreResult<()> {
    let body = encode(entry)?;
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

/// Stores a role assignment (also used by the seed).
pub async fn insert_role_assignment(conn: &mut SqliteConnection, a: &RoleAssignment, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT OR IGNORE INTO role_assignments (id, reservation_order_id, created_at, body) VALUES (?, ?, ?, ?)")
        .bind(&a.id)
        .bind(&a.reservation_order_id)
        .bind(at)
        .bind(serde_json::to_string(a).unwrap_or_default())
        .execute(conn)
        .await?;
    Ok(())
}

impl SqliteStore {
    async fn conn(&self) -> StoreResult<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
        self.pool.acquire().await.map_err(db)
    }

    pub(crate) async fn customers_where(&self, clause: &str, value: Option<&str>) -> StoreResult<Vec<Customer>> {
        let rows: Vec<CustomerRow> = sqlx::query_as(&format!("{CUSTOMERS} {clause} ORDER BY name"))
            .bind(value)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(Customer::from).collect())
    }

    pub(crate) async fn read_reservation(&self, order_id: &str, reservation_id: &str) -> StoreResult<Option<Stored>> {
        rows::reservation(&mut *self.conn().await?, order_id, reservation_id).await.map_err(db)
    }

    /// The customer's reservations' change counter (`customers.reservations_version`, kept by
    /// triggers; `list_cache.rs`), `None` when there is no such customer.
    pub async fn reservations_version(&self, customer_id: &str) -> StoreResult<Option<i64>> {
        let found: Option<(i64,)> = sqlx::query_as("SELECT reservations_version FROM customers WHERE id = ?")
            .bind(customer_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(found.map(|(v,)| v))
    }

    pub(crate) async fn read_reservations_of(&self, customer_id: &str) -> StoreResult<Vec<Stored>> {
        reservations_where(&mut *self.conn().await?, "customer_id = ?", customer_id).await
    }

    pub(crate) async fn read_ledger(&self, customer_id: &str) -> StoreResult<Vec<LedgerEntry>> {
        rows::ledger(&mut *self.conn().await?, customer_id).await.map_err(db)
    }

    pub(crate) async fn read_audit(&self, customer_id: Option<&str>, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        let found: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM audit WHERE ?1 IS NULL OR customer_id = ?1 ORDER BY id DESC LIMIT ?2")
                .bind(customer_id)
                .bind(i64::try_from(limit).unwrap_or(i64::MAX))
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        found.iter().map(|(body,)| decode("audit entry", body)).collect()
    }

    pub(crate) async fn read_support_requests(&self, customer_id: Option<&str>) -> StoreResult<Vec<SupportRequest>> {
        let found: Vec<(String,)> = sqlx::query_as(
            "SELECT body FROM support_requests WHERE ?1 IS NULL OR customer_id = ?1 ORDER BY created_at DESC, rowid DESC",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        found.iter().map(|(body,)| decode("support request", body)).collect()
    }

    pub(crate) async fn read_support_request(&self, id: &str) -> StoreResult<Option<SupportRequest>> {
        let found: Option<(String,)> =
            sqlx::query_as("SELECT body FROM support_requests WHERE id = ?").bind(id).fetch_optional(&self.pool).await.map_err(db)?;
        found.map(|(body,)| decode("support request", &body)).transpose()
    }

    pub(crate) async fn write_refund_session(&self, s: &RefundSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO refund_sessions (id, reservation_order_id, reservation_id, policy, quote, created_at, expires_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&s.id)
        .bind(&s.order_id)
        .bind(&s.reservation_id)
        .bind(enum_text(&s.policy))
        .bind(encode(&s.quote)?)
        .bind(s.created_at.timestamp())
        .bind(s.expires_at.timestamp())
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    pub(crate) async fn read_scopes(&self, customer_id: &str) -> StoreResult<Vec<Scope>> {
        scopes_of(&mut *self.conn().await?, customer_id).await
    }

    pub(crate) async fn read_by_id(&self, id: &str) -> StoreResult<Option<Stored>> {
        reservation_by_id(&mut *self.conn().await?, id).await
    }

    pub(crate) async fn read_order_exists(&self, order_id: &str) -> StoreResult<bool> {
        order_exists(&mut *self.conn().await?, order_id).await
    }

    pub(crate) async fn read_assignments(&self, order_id: &str) -> StoreResult<Vec<RoleAssignment>> {
        assignments_of(&mut *self.conn().await?, order_id).await
    }

    /// Serializes money moves in this process (the file lock serializes across processes).
    pub(crate) async fn money_lock(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.money.lock().await
    }
}
