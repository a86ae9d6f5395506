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

mod batch;
mod open;
mod writes;

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use contract::{AuditEntry, Customer, Reservation, RoleAssignment, Scope, SupportRequest};
use desk::store::{RefundSession, StoreResult, Stored};
use desk::StoreError;
use desk_service::limit::LedgerEntry;
use desk_service::utilization::UsageProfile;
use quote_engine::{Currency, Money};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};

use crate::sqlite::rows::{enum_text, json_text, ReservationRow};
use crate::sqlite::{db, decode, encode};

pub use open::{open, open_seeded};

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
}

impl PgStore {
    /// The store over `pool` (already migrated: see [`open`]) and `groups`, the connections its
    /// groups of returns are decided on.
    fn new(pool: PgPool, groups: PgPool) -> Self {
        Self { pool, batches: std::sync::Arc::default(), groups }
    }

    /// The pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// The `SELECT` list of [`ReservationRow`] in PostgreSQL: dates and amounts back as text.
const RESERVATION_SELECT: &str = "id, reservation_order_id, customer_id, display_name, sku_name, location, \
    reserved_resource_type, quantity, term, billing_plan, to_char(purchase_date, 'YYYY-MM-DD') AS purchase_date, \
    to_char(expiry_date, 'YYYY-MM-DD') AS expiry_date, unit_price::text AS unit_price, currency, \
    pricing_unit_price_usd::text AS pricing_unit_price_usd, applied_scope_type, applied_scope_properties, \
    provisioning_state, renew, usage_level, archived, split_properties, merge_properties";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError(format!("stored {what} '{value}' is not valid"))
}

fn parse_money(amount: &str, currency: &str) -> StoreResult<Money> {
    let amount = Decimal::from_str(amount).map_err(|_| corrupt("amount", amount))?;
    let currency = Currency::new(currency).map_err(|_| corrupt("currency", currency))?;
    Ok(Money::new(amount, currency))
}

/// The reservations a `WHERE` clause (bound texts `$1`, `$2`, …) selects.
pub(crate) async fn reservations_where(conn: &mut PgConnection, clause: &str, values: &[&str]) -> StoreResult<Vec<Stored>> {
    let sql = format!("SELECT {RESERVATION_SELECT} FROM reservations WHERE {clause}");
    let mut query = sqlx::query_as::<_, ReservationRow>(&sql);
    for value in values {
        query = query.bind(*value);
    }
    let rows = query.fetch_all(conn).await.map_err(db)?;
    rows.into_iter().map(|row| row.into_reservation().map_err(db)).collect()
}

pub(crate) async fn reservation(conn: &mut PgConnection, order_id: &str, reservation_id: &str) -> StoreResult<Option<Stored>> {
    Ok(reservations_where(conn, "reservation_order_id = $1 AND id = $2", &[order_id, reservation_id]).await?.into_iter().next())
}

pub(crate) async fn reservation_by_id(conn: &mut PgConnection, id: &str) -> StoreResult<Option<Stored>> {
    Ok(reservations_where(conn, "id = $1", &[id]).await?.into_iter().next())
}

pub(crate) async fn scopes_of(conn: &mut PgConnection, customer_id: &str) -> StoreResult<Vec<Scope>> {
    let found: Vec<(String, String)> =
        sqlx::query_as("SELECT scope_type, properties FROM customer_scopes WHERE customer_id = $1 ORDER BY seq")
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

pub(crate) async fn assignments_of(conn: &mut PgConnection, order_id: &str) -> StoreResult<Vec<RoleAssignment>> {
    let found: Vec<(String,)> = sqlx::query_as(
        "SELECT body FROM role_assignments WHERE reservation_order_id = $1 ORDER BY created_at, id COLLATE \"C\"",
    )
    .bind(order_id)
    .fetch_all(conn)
    .await
    .map_err(db)?;
    found.iter().map(|(body,)| decode("role assignment", body)).collect()
}

pub(crate) async fn order_exists(conn: &mut PgConnection, order_id: &str) -> StoreResult<bool> {
    let found: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM reservations WHERE reservation_order_id = $1 LIMIT 1")
        .bind(order_id)
        .fetch_optional(conn)
        .await
        .map_err(db)?;
    Ok(found.is_some())
}

/// A customer's refund ledger, oldest first.
pub(crate) async fn ledger(conn: &mut PgConnection, customer_id: &str) -> StoreResult<Vec<LedgerEntry>> {
    let rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT customer_id, to_char(date, 'YYYY-MM-DD'), amount::text, currency, reservation_id, reservation_order_id \
         FROM refund_ledger WHERE customer_id = $1 ORDER BY date, id",
    )
    .bind(customer_id)
    .fetch_all(conn)
    .await
    .map_err(db)?;
    rows.into_iter()
        .map(|(customer_id, date, amount, currency, reservation_id, reservation_order_id)| {
            Ok(LedgerEntry {
                date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| corrupt("date", &date))?,
                amount: parse_money(&amount, &currency)?,
                customer_id,
                reservation_id,
                reservation_order_id,
            })
        })
        .collect()
}

/// A customer's ledger as `json_agg` wrote it: `[[date, amount, currency, reservation ID,
/// order ID], …]`, oldest first.
pub(crate) fn ledger_from_json(customer_id: &str, json: &str) -> StoreResult<Vec<LedgerEntry>> {
    let rows: Vec<(String, String, String, String, String)> = decode("ledger", json)?;
    rows.into_iter()
        .map(|(date, amount, currency, reservation_id, reservation_order_id)| {
            Ok(LedgerEntry {
                date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| corrupt("date", &date))?,
                amount: parse_money(&amount, &currency)?,
                customer_id: customer_id.to_owned(),
                reservation_id,
                reservation_order_id,
            })
        })
        .collect()
}

/// Adds an entry to a customer's ledger.
pub(crate) async fn insert_ledger_entry(conn: &mut PgConnection, e: &LedgerEntry) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO refund_ledger (customer_id, date, amount, currency, reservation_id, reservation_order_id) \
         VALUES ($1, $2::date, $3::numeric, $4, $5, $6)",
    )
    .bind(&e.customer_id)
    .bind(e.date.to_string())
    .bind(e.amount.amount.to_string())
    .bind(e.amount.currency.code())
    .bind(&e.reservation_id)
    .bind(&e.reservation_order_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts a reservation (the seed, exchanges); an existing ID is left as it is.
pub(crate) async fn insert_reservation(conn: &mut PgConnection, r: &Reservation, usage: UsageProfile) -> Result<(), sqlx::Error> {
    write_reservation(conn, r, usage, "ON CONFLICT DO NOTHING").await
}

/// Writes a reservation whole: inserted, or replacing the row of the same ID.
pub(crate) async fn save_reservation(conn: &mut PgConnection, r: &Reservation, usage: UsageProfile) -> Result<(), sqlx::Error> {
    let every = "display_name, sku_name, location, reserved_resource_type, quantity, term, billing_plan, purchase_date, \
         expiry_date, unit_price, currency, pricing_unit_price_usd, applied_scope_type, applied_scope_properties, \
         provisioning_state, renew, usage_level, archived, split_properties, merge_properties";
    let conflict = format!("ON CONFLICT (id) DO UPDATE SET ({every}) = ROW({})", every.split(", ").map(|c| format!("EXCLUDED.{}", c.trim())).collect::<Vec<_>>().join(", "));
    write_reservation(conn, r, usage, &conflict).await
}

async fn write_reservation(conn: &mut PgConnection, r: &Reservation, usage: UsageProfile, conflict: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO reservations (id, reservation_order_id, customer_id, display_name, sku_name, location, \
         reserved_resource_type, quantity, term, billing_plan, purchase_date, expiry_date, unit_price, currency, \
         pricing_unit_price_usd, applied_scope_type, applied_scope_properties, provisioning_state, renew, usage_level, \
         archived, split_properties, merge_properties) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12::date, $13::numeric, $14, $15::numeric, \
         $16, $17, $18, $19, $20, $21, $22, $23) {conflict}"
    ))
    .bind(&r.id)
    .bind(&r.reservation_order_id)
    .bind(&r.customer_id)
    .bind(&r.display_name)
    .bind(&r.sku_name)
    .bind(&r.location)
    .bind(&r.reserved_resource_type)
    .bind(i64::from(r.quantity))
    .bind(enum_text(&r.term))
    .bind(enum_text(&r.billing_plan))
    .bind(r.purchase_date.to_string())
    .bind(r.expiry_date.to_string())
    .bind(r.unit_price.amount.to_string())
    .bind(r.unit_price.currency.code())
    .bind(r.pricing_unit_price.map(|p| p.amount.to_string()))
    .bind(enum_text(&r.applied_scope_type))
    .bind(r.applied_scope_properties.as_ref().map(|p| serde_json::to_string(p).unwrap_or_default()))
    .bind(enum_text(&r.provisioning_state))
    .bind(r.renew)
    .bind(usage.level.map(i64::from))
    .bind(r.archived)
    .bind(json_text(r.split_properties.as_ref()))
    .bind(json_text(r.merge_properties.as_ref()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores a role assignment (also used by the seed); an existing ID is left as it is.
pub(crate) async fn insert_role_assignment(conn: &mut PgConnection, a: &RoleAssignment, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO role_assignments (id, reservation_order_id, created_at, body) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(&a.id)
    .bind(&a.reservation_order_id)
    .bind(at)
    .bind(serde_json::to_string(a).unwrap_or_default())
    .execute(conn)
    .await?;
    Ok(())
}

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

/// Records an audit entry inside the caller's transaction, linked to the entry before it
/// (`desk::audit_chain`). The chain's advisory lock is held from here to the commit, so the
/// previous hash read below is the last committed row's and the new row's ID follows it; call
/// this as the transaction's last step, so the lock is held briefly.
pub(crate) async fn record(conn: &mut PgConnection, at: DateTime<Utc>, entry: &AuditEntry) -> StoreResult<()> {
    record_all(conn, &[(at, entry.clone())]).await
}

/// [`record`] for several entries in order, under one taking of the chain's lock: each linked to
/// the one before it, the first to the last committed row, whatever their number, in one round
/// trip (`desk_link_audit`, migrations-postgres/0004: the lock, then the rows in a statement that
/// starts after it was granted, so it reads the last committed hash).
pub(crate) async fn record_all(conn: &mut PgConnection, entries: &[(DateTime<Utc>, AuditEntry)]) -> StoreResult<()> {
    let mut ats = Vec::with_capacity(entries.len());
    let mut customers = Vec::with_capacity(entries.len());
    let mut bodies = Vec::with_capacity(entries.len());
    for (at, entry) in entries {
        ats.push(at.timestamp());
        customers.push(entry.customer_id.clone());
        bodies.push(encode(entry)?);
    }
    sqlx::query("SELECT desk_link_audit($1, $2, $3, $4, $5, $6)")
        .bind(LOCK_CLASS)
        .bind(CHAIN_LOCK)
        .bind(&ats)
        .bind(&customers)
        .bind(&bodies)
        .bind(desk::audit_chain::GENESIS)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

const CUSTOMERS: &str = "SELECT id, name, domain, \
    (SELECT COUNT(*) FROM reservations r WHERE r.customer_id = customers.id) AS reservation_count FROM customers";

impl PgStore {
    async fn conn(&self) -> StoreResult<sqlx::pool::PoolConnection<sqlx::Postgres>> {
        self.pool.acquire().await.map_err(db)
    }

    pub(crate) async fn customers_where(&self, clause: &str, value: Option<&str>) -> StoreResult<Vec<Customer>> {
        let sql = format!("{CUSTOMERS} {clause} ORDER BY name COLLATE \"C\", id COLLATE \"C\"");
        let mut query = sqlx::query_as::<_, (String, String, String, i64)>(&sql);
        if let Some(value) = value {
            query = query.bind(value);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, domain, count)| Customer {
                id,
                name,
                domain,
                reservation_count: u32::try_from(count).unwrap_or(u32::MAX),
            })
            .collect())
    }

    pub(crate) async fn read_reservation(&self, order_id: &str, reservation_id: &str) -> StoreResult<Option<Stored>> {
        reservation(&mut *self.conn().await?, order_id, reservation_id).await
    }

    /// The customer's reservations' change counter (`customers.reservations_version`, kept by a
    /// trigger; `list_cache.rs`), `None` when there is no such customer.
    pub async fn reservations_version(&self, customer_id: &str) -> StoreResult<Option<i64>> {
        let found: Option<(i64,)> = sqlx::query_as("SELECT reservations_version FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(found.map(|(v,)| v))
    }

    pub(crate) async fn read_reservations_of(&self, customer_id: &str) -> StoreResult<Vec<Stored>> {
        reservations_where(&mut *self.conn().await?, "customer_id = $1", &[customer_id]).await
    }

    pub(crate) async fn read_by_id(&self, id: &str) -> StoreResult<Option<Stored>> {
        reservation_by_id(&mut *self.conn().await?, id).await
    }

    pub(crate) async fn read_order_exists(&self, order_id: &str) -> StoreResult<bool> {
        order_exists(&mut *self.conn().await?, order_id).await
    }

    pub(crate) async fn read_ledger(&self, customer_id: &str) -> StoreResult<Vec<LedgerEntry>> {
        ledger(&mut *self.conn().await?, customer_id).await
    }

    pub(crate) async fn read_scopes(&self, customer_id: &str) -> StoreResult<Vec<Scope>> {
        scopes_of(&mut *self.conn().await?, customer_id).await
    }

    pub(crate) async fn read_assignments(&self, order_id: &str) -> StoreResult<Vec<RoleAssignment>> {
        assignments_of(&mut *self.conn().await?, order_id).await
    }

    pub(crate) async fn read_audit(&self, customer_id: Option<&str>, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        let found: Vec<(String,)> = sqlx::query_as(
            "SELECT body FROM audit WHERE $1::text IS NULL OR customer_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(customer_id)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        found.iter().map(|(body,)| decode("audit entry", body)).collect()
    }

    pub(crate) async fn read_support_requests(&self, customer_id: Option<&str>) -> StoreResult<Vec<SupportRequest>> {
        let found: Vec<(String,)> = sqlx::query_as(
            "SELECT body FROM support_requests WHERE $1::text IS NULL OR customer_id = $1 ORDER BY created_at DESC, seq DESC",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        found.iter().map(|(body,)| decode("support request", body)).collect()
    }

    pub(crate) async fn read_support_request(&self, id: &str) -> StoreResult<Option<SupportRequest>> {
        let found: Option<(String,)> = sqlx::query_as("SELECT body FROM support_requests WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        found.map(|(body,)| decode("support request", &body)).transpose()
    }

    pub(crate) async fn write_refund_session(&self, s: &RefundSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO refund_sessions (id, reservation_order_id, reservation_id, policy, quote, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
}

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
