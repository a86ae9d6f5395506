//! The store the server runs over: SQLite (the default) or PostgreSQL (`--database postgres://…`),
//! chosen at start. Static dispatch: [`desk::Store`] has generic methods taking closures, so
//! there is no `dyn Store`; each call is a `match` on the two.

use chrono::{DateTime, Utc};
use contract::{AuditEntry, Customer, Revision, RoleAssignment, Scope, SupportRequest};
use desk::audit_chain::ChainLink;
use desk::store::{
    Decide, ExchangeSession, ExchangeView, ExchangeWrite, RefundSession, OrderView, OrderWrite, ReturnView, ReturnWrite,
    RoleAssignmentWrite, Store, StoreResult, Stored,
};
use desk::DeskError;
use desk_service::limit::LedgerEntry;
use sqlx::SqlitePool;

use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;

/// One of the server's stores.
#[derive(Clone, Debug)]
pub enum ServerStore {
    /// An embedded SQLite file (one server process, or several on one machine's file).
    Sqlite(SqliteStore),
    /// A PostgreSQL database (any number of server processes).
    Postgres(PgStore),
}

impl ServerStore {
    /// Opens the database `url` names: PostgreSQL for `postgres://…` or `postgresql://…`
    /// ([`crate::postgres::open`]), otherwise a SQLite URL or file ([`crate::db::open`]).
    pub async fn open(url: &str) -> Result<Self, crate::db::OpenError> {
        if crate::postgres::is_postgres_url(url) {
            Ok(Self::Postgres(crate::postgres::open(url).await?))
        } else {
            Ok(Self::Sqlite(SqliteStore::new(crate::db::open(url).await?)))
        }
    }

    /// The customer's reservations' change counter, `None` when there is no such customer: a
    /// number that grows with every committed change of the customer's reservations, in any
    /// process (a trigger keeps it; `list_cache.rs`).
    pub async fn reservations_version(&self, customer_id: &str) -> StoreResult<Option<i64>> {
        match self {
            Self::Sqlite(s) => s.reservations_version(customer_id).await,
            Self::Postgres(s) => s.reservations_version(customer_id).await,
        }
    }

    /// Closes the pool (waits for the connections in use to come back).
    pub async fn close(&self) {
        match self {
            Self::Sqlite(s) => s.pool().close().await,
            Self::Postgres(s) => s.pool().close().await,
        }
    }
}

impl From<SqlitePool> for ServerStore {
    fn from(pool: SqlitePool) -> Self {
        Self::Sqlite(SqliteStore::new(pool))
    }
}

impl From<SqliteStore> for ServerStore {
    fn from(store: SqliteStore) -> Self {
        Self::Sqlite(store)
    }
}

impl From<PgStore> for ServerStore {
    fn from(store: PgStore) -> Self {
        Self::Postgres(store)
    }
}

/// `$body` with `$s` bound to whichever store this is.
macro_rules! each {
    ($self:ident, $s:ident => $body:expr) => {
        match $self {
            ServerStore::Sqlite($s) => $body,
            ServerStore::Postgres($s) => $body,
        }
    };
}

impl Store for ServerStore {
    async fn customers(&self) -> StoreResult<Vec<Customer>> {
        each!(self, s => s.customers().await)
    }

    async fn customer(&self, id: &str) -> StoreResult<Option<Customer>> {
        each!(self, s => s.customer(id).await)
    }

    async fn reservations_of(&self, customer_id: &str) -> StoreResult<Vec<Stored>> {
        each!(self, s => s.reservations_of(customer_id).await)
    }

    async fn reservation(&self, order_id: &str, reservation_id: &str) -> StoreResult<Option<Stored>> {
        each!(self, s => s.reservation(order_id, reservation_id).await)
    }

    async fn reservation_by_id(&self, reservation_id: &str) -> StoreResult<Option<Stored>> {
        each!(self, s => s.reservation_by_id(reservation_id).await)
    }

    async fn order_exists(&self, order_id: &str) -> StoreResult<bool> {
        each!(self, s => s.order_exists(order_id).await)
    }

    async fn ledger(&self, customer_id: &str) -> StoreResult<Vec<LedgerEntry>> {
        each!(self, s => s.ledger(customer_id).await)
    }

    async fn scopes(&self, customer_id: &str) -> StoreResult<Vec<Scope>> {
        each!(self, s => s.scopes(customer_id).await)
    }

    async fn role_assignments(&self, order_id: &str) -> StoreResult<Vec<RoleAssignment>> {
        each!(self, s => s.role_assignments(order_id).await)
    }

    async fn audit(&self, customer_id: Option<&str>, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        each!(self, s => s.audit(customer_id, limit).await)
    }

    async fn audit_chain(&self) -> StoreResult<Vec<ChainLink>> {
        each!(self, s => s.audit_chain().await)
    }

    async fn support_requests(&self, customer_id: Option<&str>) -> StoreResult<Vec<SupportRequest>> {
        each!(self, s => s.support_requests(customer_id).await)
    }

    async fn support_request(&self, id: &str) -> StoreResult<Option<SupportRequest>> {
        each!(self, s => s.support_request(id).await)
    }

    async fn revisions(&self, order_id: &str, reservation_id: &str) -> StoreResult<Vec<Revision>> {
        each!(self, s => s.revisions(order_id, reservation_id).await)
    }

    async fn save_refund_session(&self, session: &RefundSession) -> StoreResult<()> {
        each!(self, s => s.save_refund_session(session).await)
    }

    async fn save_exchange_session(&self, session: &ExchangeSession) -> StoreResult<()> {
        each!(self, s => s.save_exchange_session(session).await)
    }

    async fn add_support_request(&self, request: &SupportRequest, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<()> {
        each!(self, s => s.add_support_request(request, at, audit).await)
    }

    async fn remove_role_assignment(&self, order_id: &str, id: &str, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<bool> {
        each!(self, s => s.remove_role_assignment(order_id, id, at, audit).await)
    }

    async fn change_order<T>(
        &self, order_id: &str, decide: impl Decide<OrderView, OrderWrite, T>,
    ) -> Result<T, DeskError> {
        each!(self, s => s.change_order(order_id, decide).await)
    }

    async fn add_role_assignment<T>(
        &self, order_id: &str, decide: impl Decide<(bool, Vec<RoleAssignment>), RoleAssignmentWrite, T>,
    ) -> Result<T, DeskError> {
        each!(self, s => s.add_role_assignment(order_id, decide).await)
    }

    async fn return_reservation<T>(
        &self, session_id: &str, decide: impl Decide<ReturnView, ReturnWrite, T>,
    ) -> Result<T, DeskError> {
        each!(self, s => s.return_reservation(session_id, decide).await)
    }

    async fn exchange<T>(
        &self, session_id: &str, decide: impl Decide<ExchangeView, ExchangeWrite, T>,
    ) -> Result<T, DeskError> {
        each!(self, s => s.exchange(session_id, decide).await)
    }
}
