//! The store the server runs over: SQLite (the default) or PostgreSQL (`--database postgres://…`),
//! chosen at start. Static dispatch: [`desk::Store`] has generic methods taking closures, so
//! there is no `dyn Store`; each call is a `match` on the two (`each!`), the methods that only
//! pass their arguments on listed once (`pass_on!`). The two stores' own code is mostly one:
//! `sql_store!` (crate::sql_store) over the rows of crate::rows.

use chrono::{DateTime, Utc};
use contract::{AuditEntry, Customer, Grant, Revision, RoleAssignment, SavingsPlan, Scope, SupportRequest};
use desk::audit_chain::{AuditChain, ChainKey};
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
    /// Its audit chain is linked under `key` (`AUDIT_HMAC_KEY`, or none).
    pub async fn open(url: &str, key: &ChainKey) -> Result<Self, crate::db::OpenError> {
        Self::open_seeding(url, key, true).await
    }

    /// [`ServerStore::open`], with the demo data seeded on first start only when `seed` (Azure
    /// mode's store holds what Azure holds, and no demo customer).
    pub async fn open_seeding(url: &str, key: &ChainKey, seed: bool) -> Result<Self, crate::db::OpenError> {
        Self::open_with_seed(url, key, seed.then(|| crate::db::Seed::demo(chrono::Utc::now().date_naive()))).await
    }

    /// [`ServerStore::open`], a new database seeded as `seed` says (nothing when `None`).
    pub async fn open_with_seed(url: &str, key: &ChainKey, seed: Option<crate::db::Seed>) -> Result<Self, crate::db::OpenError> {
        if crate::postgres::is_postgres_url(url) {
            Ok(Self::Postgres(crate::postgres::open_seeding(url, seed, key).await?))
        } else {
            Ok(Self::Sqlite(SqliteStore::new(crate::sqlite::open::open_seeding(url, seed, key).await?).with_audit_key(key.clone())))
        }
    }

    /// Opens the database `url` names as `opening` says: the way the server and every command
    /// open it in their mode ([`crate::opening`]).
    pub async fn open_as(url: &str, key: &ChainKey, opening: crate::opening::Opening) -> Result<Self, crate::db::OpenError> {
        if crate::postgres::is_postgres_url(url) {
            Ok(Self::Postgres(crate::postgres::open_as(url, opening, key).await?))
        } else {
            Ok(Self::Sqlite(SqliteStore::new(crate::sqlite::open::open_as(url, opening, key).await?).with_audit_key(key.clone())))
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

/// The `Store` methods that only pass their arguments on, one line each: `name(argument: type, …) -> T;`
/// becomes `async fn name(&self, argument: type, …) -> StoreResult<T>` asking whichever store this is.
macro_rules! pass_on {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $out:ty;)*) => {
        $(
            async fn $name(&self, $($arg: $ty),*) -> StoreResult<$out> {
                each!(self, s => s.$name($($arg),*).await)
            }
        )*
    };
}

impl Store for ServerStore {
    pass_on! {
        customers() -> Vec<Customer>;
        customer(id: &str) -> Option<Customer>;
        reservations_of(customer_id: &str) -> Vec<Stored>;
        reservation(order_id: &str, reservation_id: &str) -> Option<Stored>;
        reservations_by_ids(reservation_ids: &[String]) -> Vec<Stored>;
        order_exists(order_id: &str) -> bool;
        ledger(customer_id: &str) -> Vec<LedgerEntry>;
        scopes(customer_id: &str) -> Vec<Scope>;
        role_assignments(order_id: &str) -> Vec<RoleAssignment>;
        audit(customer_id: Option<&str>, limit: usize) -> Vec<AuditEntry>;
        audit_chain() -> AuditChain;
        order_customer(order_id: &str) -> Option<String>;
        support_requests(customer_id: Option<&str>) -> Vec<SupportRequest>;
        support_request(id: &str) -> Option<SupportRequest>;
        revisions(order_id: &str, reservation_id: &str) -> Vec<Revision>;
        moves_of(order_id: &str, reservation_id: &str) -> Vec<desk::store::Move>;
        savings_plans_of(customer_id: &str) -> Vec<SavingsPlan>;
        exchange_session(session_id: &str) -> Option<ExchangeSession>;
        purchase_session(session_id: &str) -> Option<desk::store::PurchaseSession>;
        grants() -> Vec<Grant>;
        approval(id: &str) -> Option<contract::Approval>;
        open_approvals() -> Vec<contract::Approval>;
        add_grant(grant: &Grant, at: DateTime<Utc>, audit: &AuditEntry) -> bool;
        remove_grant(id: &str, at: DateTime<Utc>, audit: &AuditEntry) -> bool;
        save_refund_session(session: &RefundSession, purge_expired_before: DateTime<Utc>) -> ();
        save_exchange_session(session: &ExchangeSession, purge_expired_before: DateTime<Utc>) -> ();
        save_purchase_session(session: &desk::store::PurchaseSession, purge_expired_before: DateTime<Utc>) -> ();
        record_audit(at: DateTime<Utc>, audit: &AuditEntry) -> ();
        add_support_request(request: &SupportRequest, at: DateTime<Utc>, audit: &AuditEntry) -> ();
        remove_role_assignment(order_id: &str, id: &str, at: DateTime<Utc>, audit: &AuditEntry) -> bool;
        alert_subscriptions() -> Vec<(String, String)>;
        alert_deliveries(limit: usize) -> Vec<contract::AlertDelivery>;
        set_alert_subscription(user: &str, customer_id: &str, subscribed: bool, at: DateTime<Utc>) -> ();
        claim_alerts(alerts: &[contract::Alert], recipient: &str, now: DateTime<Utc>, lease_until: DateTime<Utc>) -> Vec<String>;
        claim_alert_retries(now: DateTime<Utc>, lease_until: DateTime<Utc>) -> Vec<contract::AlertDelivery>;
        finish_alert(alert_key: &str, recipient: &str, lease_until: DateTime<Utc>, outcome: &desk::store::DeliveryOutcome) -> bool;
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

    async fn purchase<T>(
        &self, session_id: &str, decide: impl Decide<desk::store::PurchaseView, desk::store::PurchaseWrite, T>,
    ) -> Result<T, DeskError> {
        each!(self, s => s.purchase(session_id, decide).await)
    }

    async fn approval_step<T>(
        &self, kind: contract::ApprovalKind, session_id: &str, decide: impl Decide<desk::store::ApprovalView, desk::store::ApprovalWrite, T>,
    ) -> Result<T, DeskError> {
        each!(self, s => s.approval_step(kind, session_id, decide).await)
    }
}

impl desk::source::SourceStore for ServerStore {
    pass_on! {
        write_reads(reads: &[desk::source::TenantRead]) -> ();
        source_status(customer_id: &str) -> Option<contract::source::SourceStatus>;
        source_statuses() -> Vec<contract::source::SourceStatus>;
        unpriced_counts() -> Vec<(String, usize)>;
        record_refund_standing(customer_id: &str, standing: &contract::AzureRefundStanding) -> ();
        refund_standing(customer_id: &str) -> Option<contract::AzureRefundStanding>;
        record_change_refused(customer_id: &str, refused: Option<&contract::source::SourceError>) -> ();
        record_directory(customer_id: &str, access: &contract::source::DirectoryAccess) -> ();
        start_consent_run(run: &desk::source::NewConsentRun, stale_before: chrono::DateTime<chrono::Utc>) -> ();
        consent_run(id: &str) -> Option<contract::source::ConsentRun>;
        consent_sending(run_id: &str, customer_id: &str, at: chrono::DateTime<chrono::Utc>) -> bool;
        finish_consent(
            run_id: &str,
            customer_id: &str,
            outcome: &desk::source::ConsentOutcome,
            at: chrono::DateTime<chrono::Utc>,
            audit: &contract::AuditEntry
        ) -> bool;
    }
}

impl desk::gdap::GdapStore for ServerStore {
    pass_on! {
        write_gdap(statuses: &[contract::gdap::GdapStatus]) -> ();
        gdap_statuses() -> Vec<contract::gdap::GdapStatus>;
        gdap_status(customer_id: &str) -> Option<contract::gdap::GdapStatus>;
    }
}

impl desk::pricing::PricingStore for ServerStore {
    pass_on! {
        partner_pricing(customer_id: Option<&str>) -> Vec<contract::PartnerPricing>;
        add_partner_pricing(customer_id: Option<&str>, pricing: &contract::PartnerPricing, at: chrono::DateTime<chrono::Utc>, audit: &contract::AuditEntry) -> ();
    }
}

impl desk::worklist::WorklistStore for ServerStore {
    pass_on! {
        work_marks() -> Vec<contract::WorkMark>;
        set_work_mark(mark: &contract::WorkMark, at: chrono::DateTime<chrono::Utc>, audit: &contract::AuditEntry) -> ();
        forget_work_marks(ids: &[String]) -> ();
        book() -> Vec<desk::store::Stored>;
        ledgers() -> Vec<desk_service::limit::LedgerEntry>;
    }
}

impl desk::upstream::UpstreamStore for ServerStore {
    pass_on! {
        save_upstream(operation: &desk::upstream::UpstreamOperation, purge_before: chrono::DateTime<chrono::Utc>) -> bool;
        upstream_of_session(desk_session_id: &str) -> Option<desk::upstream::UpstreamOperation>;
        claim_upstream(operation_id: &str, requested_by: &str, detail: &desk::upstream::Detail, at: chrono::DateTime<chrono::Utc>) -> bool;
        set_upstream(id: &str, state: desk::upstream::UpstreamState, poll: Option<&desk::upstream::PollAt>, last_error: Option<&str>, at: chrono::DateTime<chrono::Utc>) -> ();
        finish_upstream(id: &str, write: desk::upstream::Confirmed<'_>) -> bool;
        unfinished_upstream() -> Vec<desk::upstream::UpstreamOperation>;
    }
}

impl crate::reads_store::ReadStore for ServerStore {
    pass_on! {
        begin_read(read: &crate::reads_store::NewRead) -> Option<contract::source::SourceRead>;
        read_progress(id: &str, total: Option<u32>, read: u32, failed: u32, lease_until: chrono::DateTime<chrono::Utc>) -> bool;
        finish_read(id: &str, state: contract::source::SourceReadState, error: Option<&contract::source::SourceError>, at: chrono::DateTime<chrono::Utc>) -> ();
        source_read(id: &str) -> Option<contract::source::SourceRead>;
        latest_read(unattended_only: bool) -> Option<contract::source::SourceRead>;
        connection() -> Option<crate::reads_store::StoredConnection>;
        save_connection(connection: &crate::reads_store::StoredConnection) -> ();
        reseal_connection(connected_at: chrono::DateTime<chrono::Utc>, key_id: &str, sealed: &str) -> ();
        connection_lost(connected_at: chrono::DateTime<chrono::Utc>, error: &contract::source::SourceError, at: chrono::DateTime<chrono::Utc>) -> bool;
        claim_connection_alert() -> Option<crate::reads_store::StoredConnection>;
        claim_read_alert(id: &str) -> bool;
        delete_connection() -> ();
    }
}
