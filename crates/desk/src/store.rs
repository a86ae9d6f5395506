//! What a store does: read and write the desk's data, each write atomic with its audit entry.
//! No rules live here. Where a write depends on what is stored (a return, an exchange, a
//! configuration change, a new role assignment), the store loads a *view* inside its
//! transaction, asks the desk's `decide` what to write, writes it and commits; a money move is
//! also serialized, so two returns for one customer can never both pass the limit.

use chrono::{DateTime, Utc};
use contract::{
    Alert, AlertDelivery, Approval, ApprovalKind,
    AuditEntry, CalculateExchangeRequest, CalculatePurchaseRequest, Customer, PurchaseResponse, ExchangeResponse, Grant, ProvisioningState, Reservation, ReturnResponse, Revision,
    RoleAssignment, SavingsPlan, Scope, SupportRequest,
};
use desk_service::limit::LedgerEntry;
use desk_service::utilization::UsageProfile;
use quote_engine::api::{ExchangeQuoteResponse, RefundQuoteResponse};
use quote_engine::{PolicyName, PurchaseQuote};
use serde::{Deserialize, Serialize};

use crate::audit_chain::AuditChain;
use crate::error::{DeskError, StoreError};

/// A reservation as stored: the contract's reservation (aggregates zero) and how it is used.
pub type Stored = (Reservation, UsageProfile);

/// A calculated refund that can be submitted until `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundSession {
    /// Its ID (the client's handle).
    pub id: String,
    /// The reservation's order.
    pub order_id: String,
    /// The reservation.
    pub reservation_id: String,
    /// The policy quoted by.
    pub policy: PolicyName,
    /// The quote given to the client: the return must find the same.
    pub quote: RefundQuoteResponse,
    /// When it was calculated.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub created_at: DateTime<Utc>,
    /// After this instant the return is refused.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub expires_at: DateTime<Utc>,
}

/// A calculated exchange that can be submitted until `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeSession {
    /// Its ID.
    pub id: String,
    /// What was asked.
    pub request: CalculateExchangeRequest,
    /// The quote given to the client.
    pub quote: ExchangeQuoteResponse,
    /// The price of each reservation bought, in order: in Azure mode Azure's `calculatePrice`
    /// of one unit for the customer; empty in local mode (the demo catalog's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<desk_service::catalog::Offer>,
    /// When it was calculated.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub created_at: DateTime<Utc>,
    /// After this instant the exchange is refused.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub expires_at: DateTime<Utc>,
}

/// What a decision asks the store to do: write and answer, or only answer.
#[derive(Clone, Debug)]
pub enum Decision<W, T> {
    /// Write `W` (in the same transaction as the view was read), then answer `T`.
    Write(W, T),
    /// Write nothing; answer `T` (e.g. a repeated submission).
    Answer(T),
}

/// What a return is decided on, read in the return's transaction.
#[derive(Clone, Debug, Default)]
pub struct ReturnView {
    /// The answer already given for this session, if it was submitted before.
    pub completed: Option<ReturnResponse>,
    /// The session, if it exists.
    pub session: Option<RefundSession>,
    /// The session's reservation (`None` when it no longer exists or there is no session).
    pub reservation: Option<Stored>,
    /// The reservation's customer's ledger.
    pub ledger: Vec<LedgerEntry>,
}

/// A refund as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundRecord {
    /// The answer given (and given again to a repeated submission).
    pub response: ReturnResponse,
    /// The reservation's order.
    pub order_id: String,
    /// The reservation.
    pub reservation_id: String,
    /// Its customer.
    pub customer_id: String,
    /// Why the partner returned it.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A money move as a reservation's History shows it: a refund, or an exchange that returned
/// units of it, written with the move (the audit entry says the same in the chain).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Move {
    /// The reservation's order.
    pub order_id: String,
    /// The reservation.
    pub reservation_id: String,
    /// `refund` or `exchange` (the audit entry's action).
    pub action: String,
    /// When (RFC 3339, UTC).
    pub time: String,
    /// Who asked (user principal name).
    pub actor: String,
    /// What it did, in one line.
    pub change: String,
    /// The reservation's units before the move.
    pub quantity_before: u32,
    /// Its units afterwards.
    pub quantity: u32,
    /// Its state afterwards.
    pub state: ProvisioningState,
    /// The partner's change or ticket reference, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
    /// What it did, as figures (the History row's detail); absent from moves an older desk wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<contract::ChangeDetail>,
}

/// What a return writes.
#[derive(Clone, Debug)]
pub struct ReturnWrite {
    /// The reservation's quantity afterwards.
    pub remaining_quantity: u32,
    /// Its state afterwards.
    pub state: ProvisioningState,
    /// The entry counted toward the customer's limit, if any.
    pub ledger_entry: Option<LedgerEntry>,
    /// The refund.
    pub refund: RefundRecord,
    /// The refund as the reservation's History shows it.
    pub moved: Move,
    /// The audit entry.
    pub audit: AuditEntry,
}

impl ReturnWrite {
    /// Sets the units and state the return leaves its reservation with, when `r` is that
    /// reservation; `false` (and `r` untouched) otherwise.
    pub fn apply_to_reservation(&self, r: &mut Reservation) -> bool {
        let returned = r.reservation_order_id == self.refund.order_id && r.id == self.refund.reservation_id;
        if returned {
            r.quantity = self.remaining_quantity;
            r.provisioning_state = self.state;
        }
        returned
    }

    /// Places its ledger entry, when it has one of `customer_id`'s, in that customer's `ledger`
    /// (oldest first) where reading the ledger back puts it: after every entry of its date or
    /// before (`ORDER BY date, id`: the newest ID).
    pub fn apply_to_ledger(&self, customer_id: &str, ledger: &mut Vec<LedgerEntry>) {
        if let Some(entry) = self.ledger_entry.as_ref().filter(|e| e.customer_id == customer_id) {
            let at = ledger.iter().rposition(|e| e.date <= entry.date).map_or(0, |i| i + 1);
            ledger.insert(at, entry.clone());
        }
    }

    /// What it changes in a view read before it was written, exactly as it changes the stored
    /// state the view was read from: the answer of its session, its reservation's units and
    /// state, and its customer's ledger. Every store's model of a return's write: the stores
    /// write these same changes ([`returned_units`]), and a store that decides several returns
    /// before writing any (PostgreSQL's group commit) applies each to the views still to decide.
    pub fn apply_to_view(&self, view: &mut ReturnView) {
        if view.session.as_ref().is_some_and(|s| s.id == self.refund.response.session_id) {
            view.completed = Some(self.refund.response.clone());
        }
        let Some((r, _)) = view.reservation.as_mut() else { return };
        self.apply_to_reservation(r);
        let customer_id = r.customer_id.clone();
        self.apply_to_ledger(&customer_id, &mut view.ledger);
    }
}

/// The reservations `writes` (returns, in the order decided) change: `(order ID, reservation ID,
/// units, state)` as the last of them to return from each left it, in the order each was first
/// returned.
pub fn returned_units(writes: &[ReturnWrite]) -> Vec<(&str, &str, u32, ProvisioningState)> {
    let mut units: Vec<(&str, &str, u32, ProvisioningState)> = Vec::with_capacity(writes.len());
    for write in writes {
        let key = (write.refund.order_id.as_str(), write.refund.reservation_id.as_str());
        match units.iter_mut().find(|u| (u.0, u.1) == key) {
            Some(unit) => (unit.2, unit.3) = (write.remaining_quantity, write.state),
            None => units.push((key.0, key.1, write.remaining_quantity, write.state)),
        }
    }
    units
}

/// A calculated purchase that can be bought until `expires_at`. Its ID is the order's the
/// purchase creates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseSession {
    /// Its ID (the client's handle, and the new order's ID).
    pub id: String,
    /// What was asked (the customer among it).
    pub request: CalculatePurchaseRequest,
    /// The quote given to the client: the purchase must find the same.
    pub quote: PurchaseQuote,
    /// The commitment in USD (what the approval threshold is compared with).
    pub usd_commitment: quote_engine::Money,
    /// The SKU and price it was quoted at: in Azure mode Azure's `calculatePrice` of one unit,
    /// which the purchase is checked against (absent in a session kept by an older desk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<desk_service::catalog::Offer>,
    /// When it was calculated.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub created_at: DateTime<Utc>,
    /// After this instant the purchase is refused.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub expires_at: DateTime<Utc>,
}

/// What a purchase is decided on, read in the purchase's transaction.
#[derive(Clone, Debug, Default)]
pub struct PurchaseView {
    /// The answer already given for this session.
    pub completed: Option<PurchaseResponse>,
    /// The session, if it exists.
    pub session: Option<PurchaseSession>,
    /// The scopes of the session's customer.
    pub scopes: Vec<Scope>,
    /// The currency the customer is billed in: their reservations' (USD when they have none).
    pub currency: Option<quote_engine::Currency>,
}

/// What a purchase writes.
#[derive(Clone, Debug)]
pub struct PurchaseWrite {
    /// The reservation bought.
    pub purchased: Stored,
    /// Its first revision: as bought, by whom, with the ticket reference (its History's first row).
    pub revision: Revision,
    /// The answer (and the record of the purchase).
    pub response: PurchaseResponse,
    /// When.
    pub at: DateTime<Utc>,
    /// The audit entry.
    pub audit: AuditEntry,
}

/// What an exchange is decided on, read in the exchange's transaction.
#[derive(Clone, Debug, Default)]
pub struct ExchangeView {
    /// The answer already given for this session.
    pub completed: Option<ExchangeResponse>,
    /// The session, if it exists.
    pub session: Option<ExchangeSession>,
    /// The session's returned reservations that still exist, read by ID in one read, in any
    /// order (the desk matches them to the session's lines).
    pub reservations: Vec<Stored>,
    /// The scopes of the customer of a returned reservation (all are of one customer).
    pub scopes: Vec<Scope>,
}

/// What an exchange writes.
#[derive(Clone, Debug)]
pub struct ExchangeWrite {
    /// `(order ID, reservation ID, quantity afterwards, state afterwards)` per return.
    pub returns: Vec<(String, String, u32, ProvisioningState)>,
    /// The reservations bought.
    pub purchased: Vec<Stored>,
    /// The savings plans bought (a trade-in).
    pub savings_plans: Vec<SavingsPlan>,
    /// The answer (and the record of the exchange).
    pub response: ExchangeResponse,
    /// Each return as its reservation's History shows it.
    pub moves: Vec<Move>,
    /// When.
    pub at: DateTime<Utc>,
    /// The audit entry.
    pub audit: AuditEntry,
}

/// What a step of an approval request (asking, approving, rejecting) is decided on, read in its
/// transaction under the same serialization as a money move of its session: the request of the
/// session, if any, and the session's money view (a refund's [`ReturnView`] or an exchange's
/// [`ExchangeView`]; the other kind's is empty).
#[derive(Clone, Debug, Default)]
pub struct ApprovalView {
    /// The approval request of the session, if one was made.
    pub approval: Option<Approval>,
    /// A refund session's view.
    pub refund: ReturnView,
    /// An exchange session's view.
    pub exchange: ExchangeView,
    /// A purchase session's view.
    pub purchase: PurchaseView,
}

/// What a step of an approval request writes, in one transaction: the request as it is now
/// (inserted or replaced whole), its audit entries, and the money move when it is approved
/// (written exactly as a return or exchange writes it, with its own audit entry after these).
#[derive(Clone, Debug)]
pub struct ApprovalWrite {
    /// The request as it is now.
    pub approval: Option<Approval>,
    /// The step's audit entries (asked, approved, rejected, needs approval again).
    pub audit: Vec<AuditEntry>,
    /// The return carried out on approval.
    pub refund: Option<ReturnWrite>,
    /// The exchange carried out on approval.
    pub exchange: Option<ExchangeWrite>,
    /// The purchase carried out on approval.
    pub purchase: Option<PurchaseWrite>,
    /// When.
    pub at: DateTime<Utc>,
}

/// What a change to an order's reservations is decided on (a configuration change, a split,
/// a merge, an archive), read in the change's transaction.
#[derive(Clone, Debug, Default)]
pub struct OrderView {
    /// Every reservation of the order (empty: there is no such order).
    pub reservations: Vec<Stored>,
    /// The newest revision number of each of them that has any: `(reservation ID, revision)`.
    pub revisions: Vec<(String, u32)>,
    /// The scopes of the order's customer.
    pub scopes: Vec<Scope>,
}

impl OrderView {
    /// The newest recorded revision of a reservation; 0 when it has none.
    pub fn revision_of(&self, reservation_id: &str) -> u32 {
        self.revisions.iter().find(|(id, _)| id == reservation_id).map_or(0, |(_, n)| *n)
    }
}

/// What a change to an order's reservations writes.
#[derive(Clone, Debug)]
pub struct OrderWrite {
    /// Reservations written whole: a new ID is inserted, a known one replaced (its usage kept as
    /// given).
    pub reservations: Vec<Stored>,
    /// New revisions, each of the reservation it carries.
    pub revisions: Vec<Revision>,
    /// `None` when the change changed nothing.
    pub audit: Option<AuditEntry>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A new role assignment and its audit entry.
#[derive(Clone, Debug)]
pub struct RoleAssignmentWrite {
    /// The assignment.
    pub assignment: RoleAssignment,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The audit entry.
    pub audit: AuditEntry,
}

/// A store's `decide`: given the view read in the write's transaction, what to write and answer
/// (a name for the closure bound, so each store's signature stays short).
pub trait Decide<V, W, T>: FnOnce(V) -> Result<Decision<W, T>, DeskError> {}

impl<V, W, T, F: FnOnce(V) -> Result<Decision<W, T>, DeskError>> Decide<V, W, T> for F {}

/// How one try of a delivery went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Delivered at this instant.
    Sent(DateTime<Utc>),
    /// Failed with this error; to be tried again at the instant.
    Failed(String, DateTime<Utc>),
}

/// The result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Persistence for the desk. Implementations: SQLite (the server), [`crate::memory`] (Web Storage
/// in the page, memory in tests); PostgreSQL fits the same trait. A method that takes a `decide`
/// calls it exactly once, inside its transaction, and writes nothing when it returns an error.
#[allow(async_fn_in_trait)] // Each adapter uses one concrete store; no `dyn Store`.
pub trait Store {
    /// Every customer, with the number of reservations each has.
    async fn customers(&self) -> StoreResult<Vec<Customer>>;
    /// One customer.
    async fn customer(&self, id: &str) -> StoreResult<Option<Customer>>;
    /// A customer's reservations, in any order.
    async fn reservations_of(&self, customer_id: &str) -> StoreResult<Vec<Stored>>;
    /// A reservation of an order.
    async fn reservation(&self, order_id: &str, reservation_id: &str) -> StoreResult<Option<Stored>>;
    /// The reservations with these IDs, in any order, in one read (an ID that names none is
    /// left out). Callers bound the list (an exchange: at most 100 lines).
    async fn reservations_by_ids(&self, reservation_ids: &[String]) -> StoreResult<Vec<Stored>>;
    /// Whether any reservation belongs to the order.
    async fn order_exists(&self, order_id: &str) -> StoreResult<bool>;
    /// A customer's refund ledger, oldest first.
    async fn ledger(&self, customer_id: &str) -> StoreResult<Vec<LedgerEntry>>;
    /// The scopes a customer owns, in seed order.
    async fn scopes(&self, customer_id: &str) -> StoreResult<Vec<Scope>>;
    /// An order's role assignments, oldest first.
    async fn role_assignments(&self, order_id: &str) -> StoreResult<Vec<RoleAssignment>>;
    /// The newest `limit` audit entries (of one customer, when given), newest first.
    async fn audit(&self, customer_id: Option<&str>, limit: usize) -> StoreResult<Vec<AuditEntry>>;
    /// The whole audit log as chained, oldest first (each entry's columns, stored text, format
    /// and hash), the whole refund ledger, and the store's key. Every write of an entry links it
    /// with the key's [`crate::audit_chain::ChainKey::link`] to the one before it.
    async fn audit_chain(&self) -> StoreResult<AuditChain>;
    /// The customer whose reservations make up an order; `None` when there is no such order.
    async fn order_customer(&self, order_id: &str) -> StoreResult<Option<String>>;
    /// Support requests (of one customer, when given), newest first.
    async fn support_requests(&self, customer_id: Option<&str>) -> StoreResult<Vec<SupportRequest>>;
    /// One support request.
    async fn support_request(&self, id: &str) -> StoreResult<Option<SupportRequest>>;
    /// A reservation's recorded revisions, oldest first.
    async fn revisions(&self, order_id: &str, reservation_id: &str) -> StoreResult<Vec<Revision>>;
    /// The money moves that returned units of a reservation, oldest first.
    async fn moves_of(&self, order_id: &str, reservation_id: &str) -> StoreResult<Vec<Move>>;
    /// A customer's savings plans, newest first (by start date, then ID).
    async fn savings_plans_of(&self, customer_id: &str) -> StoreResult<Vec<SavingsPlan>>;
    /// An exchange session by ID.
    async fn exchange_session(&self, session_id: &str) -> StoreResult<Option<ExchangeSession>>;
    /// A purchase session by ID.
    async fn purchase_session(&self, session_id: &str) -> StoreResult<Option<PurchaseSession>>;
    /// Every grant, oldest first.
    async fn grants(&self) -> StoreResult<Vec<Grant>>;
    /// Every alert subscription: (user principal name, customer ID), by user then customer.
    async fn alert_subscriptions(&self) -> StoreResult<Vec<(String, String)>>;
    /// The newest `limit` alert deliveries, newest claim first.
    async fn alert_deliveries(&self, limit: usize) -> StoreResult<Vec<AlertDelivery>>;
    /// An approval request by ID.
    async fn approval(&self, id: &str) -> StoreResult<Option<Approval>>;
    /// The approval requests still waiting for a decision (pending or needing approval again,
    /// expired ones too: the desk decides expiry with its call's instant), oldest first.
    async fn open_approvals(&self) -> StoreResult<Vec<Approval>>;

    /// Keeps a refund session, and deletes the refund sessions that expired before
    /// `purge_expired_before` and were never submitted (a submitted one stays: the refund
    /// answers a repeated submission from it; so does one with an approval request).
    async fn save_refund_session(&self, session: &RefundSession, purge_expired_before: DateTime<Utc>) -> StoreResult<()>;
    /// Keeps an exchange session, and deletes the exchange sessions that expired before
    /// `purge_expired_before` and were never submitted (nor have an approval request).
    async fn save_exchange_session(&self, session: &ExchangeSession, purge_expired_before: DateTime<Utc>) -> StoreResult<()>;
    /// Keeps a purchase session, and deletes the purchase sessions that expired before
    /// `purge_expired_before` and were never bought (nor have an approval request).
    async fn save_purchase_session(&self, session: &PurchaseSession, purge_expired_before: DateTime<Utc>) -> StoreResult<()>;
    /// Appends an audit entry of its own, with nothing else written (the deployment's mode at a
    /// start).
    async fn record_audit(&self, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<()>;
    /// Adds a support request with its audit entry.
    async fn add_support_request(&self, request: &SupportRequest, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<()>;
    /// Adds a grant with its audit entry; `false` (and nothing written) when a grant of the same
    /// group, customer (or all customers) and role exists.
    async fn add_grant(&self, grant: &Grant, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<bool>;
    /// Removes a grant with its audit entry; `false` (and nothing written) when there is none
    /// with that ID.
    async fn remove_grant(&self, id: &str, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<bool>;
    /// Subscribes `user` to a customer's alerts, or unsubscribes them; the same again changes
    /// nothing.
    async fn set_alert_subscription(&self, user: &str, customer_id: &str, subscribed: bool, at: DateTime<Utc>) -> StoreResult<()>;
    /// Claims the deliveries of `alerts` (sorted by key) to `recipient` in one transaction:
    /// each written as `Sending`, leased until `lease_until`, unless a delivery of the same key
    /// and recipient exists (whatever its state). Answers the keys claimed: the one sender of each
    /// alert, across processes; two senders of one digest claim it whole, one of them.
    async fn claim_alerts(&self, alerts: &[Alert], recipient: &str, now: DateTime<Utc>, lease_until: DateTime<Utc>) -> StoreResult<Vec<String>>;
    /// Claims the deliveries to try again: failed ones whose next attempt is due by `now`, and
    /// sending ones whose lease ran out (their sender stopped), each leased until `lease_until`
    /// in the same statement, so two senders never take the same one.
    async fn claim_alert_retries(&self, now: DateTime<Utc>, lease_until: DateTime<Utc>) -> StoreResult<Vec<AlertDelivery>>;
    /// Records how a claimed delivery went (one more attempt), only while its sender still holds
    /// the claim: the delivery is `Sending` under the lease that sender took (`lease_until`, as
    /// it gave it to `claim_alerts` or `claim_alert_retries`). `false`, and nothing written, when
    /// it no longer does: its lease ran out and another sender took the delivery over (whose
    /// outcome stands), or the outcome was recorded already.
    async fn finish_alert(&self, alert_key: &str, recipient: &str, lease_until: DateTime<Utc>, outcome: &DeliveryOutcome) -> StoreResult<bool>;
    /// Removes an order's role assignment with its audit entry; `false` (and nothing written)
    /// when the order has no such assignment.
    async fn remove_role_assignment(&self, order_id: &str, id: &str, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<bool>;

    /// Changes reservations of an order (configuration, split, merge, archive): serialized with
    /// every money move of the order's customer, `decide` gets the [`OrderView`].
    async fn change_order<T>(
        &self, order_id: &str, decide: impl Decide<OrderView, OrderWrite, T>,
    ) -> Result<T, DeskError>;
    /// Adds a role assignment: `decide` gets whether the order exists and its assignments.
    async fn add_role_assignment<T>(
        &self, order_id: &str, decide: impl Decide<(bool, Vec<RoleAssignment>), RoleAssignmentWrite, T>,
    ) -> Result<T, DeskError>;
    /// A return: serialized with every other money move, `decide` gets the [`ReturnView`].
    async fn return_reservation<T>(
        &self, session_id: &str, decide: impl Decide<ReturnView, ReturnWrite, T>,
    ) -> Result<T, DeskError>;
    /// A step of the approval request of a `kind` session (asking, approving, rejecting):
    /// serialized with every money move as that session's return or exchange is, `decide` gets
    /// the [`ApprovalView`]. A session's sessions are kept while it has an approval request.
    async fn approval_step<T>(
        &self, kind: ApprovalKind, session_id: &str, decide: impl Decide<ApprovalView, ApprovalWrite, T>,
    ) -> Result<T, DeskError>;
    /// An exchange: serialized with every other money move, `decide` gets the [`ExchangeView`].
    async fn exchange<T>(
        &self, session_id: &str, decide: impl Decide<ExchangeView, ExchangeWrite, T>,
    ) -> Result<T, DeskError>;
    /// A purchase: serialized with every other money move of its customer, `decide` gets the
    /// [`PurchaseView`].
    async fn purchase<T>(
        &self, session_id: &str, decide: impl Decide<PurchaseView, PurchaseWrite, T>,
    ) -> Result<T, DeskError>;
}
