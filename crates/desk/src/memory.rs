//! A store over one JSON document: the in-browser backend keeps it in Web Storage
//! (`localStorage`), tests in memory. Each call reads the document, and each write saves it
//! whole before it answers, so what the page shows survives a reload, and another tab sees it.
//! Calls run to completion without yielding (their futures are ready at once), so a money move
//! is never interleaved with another.

use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use contract::{AuditEntry, Customer, ExchangeResponse, Grant, Revision, RoleAssignment, SavingsPlan, Scope, SupportRequest};
use desk_service::limit::LedgerEntry;
use desk_service::seed::{self, CustomerScope};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::audit_chain::{self, AuditChain, ChainKey, ChainLink};
use crate::error::{DeskError, StoreError};
use crate::store::{
    ApprovalView, ApprovalWrite, Decide, Decision, ExchangeSession, ExchangeView, ExchangeWrite, OrderView, OrderWrite, RefundRecord, RefundSession,
    ReturnView, ReturnWrite, RoleAssignmentWrite, Store, StoreResult, Stored,
};

/// Where the document lives between calls.
pub trait Persist {
    /// The saved document, if any.
    fn load(&self) -> Option<String>;
    /// Saves the document; `Err` when the storage refused it (full, blocked).
    fn save(&self, document: &str) -> Result<(), String>;
}

/// A document kept in this process only (tests, or a page whose storage is blocked).
#[derive(Debug, Default)]
pub struct InMemory(Mutex<Option<String>>);

impl Persist for InMemory {
    fn load(&self) -> Option<String> {
        self.0.lock().ok()?.clone()
    }

    fn save(&self, document: &str) -> Result<(), String> {
        *self.0.lock().map_err(|e| e.to_string())? = Some(document.to_owned());
        Ok(())
    }
}

/// A refund as the document keeps it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Refund {
    response: contract::ReturnResponse,
    order_id: String,
    reservation_id: String,
    customer_id: String,
    reason: String,
    #[serde(with = "chrono::serde::ts_seconds")]
    at: DateTime<Utc>,
}

impl From<RefundRecord> for Refund {
    fn from(r: RefundRecord) -> Self {
        Self {
            response: r.response,
            order_id: r.order_id,
            reservation_id: r.reservation_id,
            customer_id: r.customer_id,
            reason: r.reason,
            at: r.at,
        }
    }
}

/// An audit entry's text as the chain hashes it (serializing strings cannot fail).
fn entry_text(entry: &AuditEntry) -> String {
    serde_json::to_string(entry).unwrap_or_default()
}

/// Everything the store knows: one JSON document.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    seeded_on: NaiveDate,
    customers: Vec<Customer>,
    reservations: Vec<Stored>,
    ledger: Vec<LedgerEntry>,
    refund_sessions: Vec<RefundSession>,
    refunds: Vec<Refund>,
    exchange_sessions: Vec<ExchangeSession>,
    exchanges: Vec<ExchangeResponse>,
    /// Purchase sessions (absent in older documents).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    purchase_sessions: Vec<crate::store::PurchaseSession>,
    /// Purchases made, in the order made (absent in older documents).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    purchases: Vec<contract::PurchaseResponse>,
    support_requests: Vec<SupportRequest>,
    role_assignments: Vec<RoleAssignment>,
    /// Oldest first.
    audit: Vec<AuditEntry>,
    /// The chain's hash of each entry of `audit` (`ChainKey::link` of the one before and the
    /// entry; this store has no key: a page cannot keep a secret from its user).
    audit_hashes: Vec<String>,
    /// The format of each entry's hash (`audit_chain::FORMAT_*`); entries beyond its end (a
    /// document saved before the hash covered the whole row, when every entry was of the first format) are of the first.
    #[serde(default)]
    audit_formats: Vec<u8>,
    /// Whether the chain covers the ledger (its `ledgerBaseline` entries are written); `false` only
    /// in a document saved before the hash covered the whole row, which [`Document::upgraded`] brings up to date once.
    #[serde(default)]
    ledger_covered: bool,
    /// Reservations' revisions, in the order they were written (absent in older documents).
    #[serde(default)]
    revisions: Vec<Revision>,
    /// The money moves that returned units, in the order written (absent in older documents).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    moves: Vec<crate::store::Move>,
    /// The grants, oldest first (a document older than grants gets the demo's).
    #[serde(default = "seed::demo_grants")]
    grants: Vec<Grant>,
    /// Savings plans bought by trade-ins, in the order bought (absent in older documents).
    #[serde(default)]
    savings_plans: Vec<SavingsPlan>,
    /// Alert subscriptions: (user principal name, customer ID).
    #[serde(default)]
    alert_subscriptions: Vec<(String, String)>,
    /// Alert deliveries, oldest claim first (the page sends none; tests of the desk do).
    #[serde(default)]
    alert_deliveries: Vec<Delivery>,
    /// Azure mode: each customer's source status (never written in the page, which has no
    /// Azure mode; left out of the document while empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    source: Vec<contract::source::SourceStatus>,
    /// Azure mode: Azure's count of each customer's refunds, as it last answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    refund_standing: Vec<(String, contract::AzureRefundStanding)>,
    /// Azure mode: each customer's GDAP relationships as Graph last listed them (never written
    /// in the page; left out of the document while empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    gdap: Vec<contract::gdap::GdapStatus>,
    /// Approval requests, oldest first (absent in older documents).
    #[serde(default)]
    approvals: Vec<contract::Approval>,
    /// Azure mode: money moves through Azure, oldest first (never written in the page; left out
    /// of the document while empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    upstream: Vec<crate::upstream::UpstreamOperation>,
    /// Azure mode: consent runs, oldest first (never written in the page; left out of the
    /// document while empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    consent_runs: Vec<ConsentRunRow>,
    /// The team's state on worklist rows, one per row ID (absent in older documents).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    work_marks: Vec<contract::WorkMark>,
    /// The partner's pricing histories, oldest first: a customer's (its ID) or the default's
    /// (none). Absent in older documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pricing: Vec<(Option<String>, contract::PartnerPricing)>,
}

/// A consent run as the document keeps it: the run (each tenant as it stands) and when each
/// tenant's row was last updated (seconds), for the claim's life.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConsentRunRow {
    run: contract::source::ConsentRun,
    updated_at: Vec<i64>,
}

/// An alert delivery as the document keeps it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Delivery {
    delivery: contract::AlertDelivery,
    #[serde(with = "chrono::serde::ts_seconds")]
    lease_until: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds_option", default)]
    next_attempt: Option<DateTime<Utc>>,
}

/// What reading the grants reads of the document (the first screen's customer list may need
/// them: its module holds this small reader, not the whole document's).
#[derive(Deserialize)]
struct GrantList {
    #[serde(default = "seed::demo_grants")]
    grants: Vec<Grant>,
}

impl Document {
    /// The demo data set, placed relative to `today`.
    fn seeded(today: NaiveDate) -> Self {
        let data = seed::demo_data(today);
        Self {
            seeded_on: today,
            customers: data.customers,
            reservations: data.reservations.into_iter().map(|r| (r.reservation, r.usage)).collect(),
            ledger: data.ledger,
            refund_sessions: Vec::new(),
            refunds: Vec::new(),
            exchange_sessions: Vec::new(),
            exchanges: Vec::new(),
            purchase_sessions: Vec::new(),
            purchases: Vec::new(),
            support_requests: Vec::new(),
            role_assignments: data.role_assignments,
            audit: Vec::new(),
            audit_hashes: Vec::new(),
            audit_formats: Vec::new(),
            ledger_covered: false,
            revisions: Vec::new(),
            moves: Vec::new(),
            grants: data.grants,
            savings_plans: Vec::new(),
            alert_subscriptions: Vec::new(),
            alert_deliveries: Vec::new(),
            source: Vec::new(),
            refund_standing: Vec::new(),
            gdap: Vec::new(),
            approvals: Vec::new(),
            upstream: Vec::new(),
            consent_runs: Vec::new(),
            work_marks: Vec::new(),
            pricing: Vec::new(),
        }
        .upgraded()
    }

    /// The document with its chain covering the ledger: a document that does not yet (a new one,
    /// or one saved before the chain held the ledger to account) gets its `ledgerBaseline` entries, recording every ledger row
    /// it holds, timed as its newest entry (or the seed day): the chain's own record, not a clock.
    /// Entries already there keep their hashes and formats.
    fn upgraded(mut self) -> Self {
        if self.ledger_covered {
            return self;
        }
        self.audit_formats.resize(self.audit.len(), audit_chain::FORMAT_TEXT);
        let newest = self.audit.last().and_then(|e| audit_chain::seconds_of(&e.time));
        let at = newest
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .unwrap_or_else(|| self.seeded_on.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
        let rows = self.ledger.iter().map(audit_chain::ledger_row).collect();
        for entry in audit_chain::ledger_baselines(at, rows) {
            self.record(entry);
        }
        self.ledger_covered = true;
        self
    }

    /// Appends an audit entry, linked to the one before it; its time and customer columns are
    /// the entry's own.
    fn record(&mut self, entry: AuditEntry) {
        let previous = self.audit_hashes.last().map_or(audit_chain::GENESIS, String::as_str);
        let key = ChainKey::none();
        let at = audit_chain::seconds_of(&entry.time).unwrap_or_default();
        let hash = key.link(previous, at, entry.customer_id.as_deref(), &entry_text(&entry));
        self.audit.push(entry);
        self.audit_hashes.push(hash);
        self.audit_formats.push(key.format());
    }

    /// What a return of `session_id` is decided on.
    fn return_view(&self, session_id: &str) -> ReturnView {
        let completed = self.refunds.iter().find(|r| r.response.session_id == session_id).map(|r| r.response.clone());
        let session = self.refund_sessions.iter().find(|s| s.id == session_id).cloned();
        let reservation = session.as_ref().and_then(|s| self.reservation(&s.order_id, &s.reservation_id));
        let ledger = reservation.as_ref().map(|(r, _)| self.ledger(&r.customer_id)).unwrap_or_default();
        ReturnView { completed, session, reservation, ledger }
    }

    /// Writes a return.
    fn apply_return(&mut self, write: ReturnWrite) {
        // The returned reservation as the return leaves it (the first that is it).
        let _returned = self.reservations.iter_mut().any(|(r, _)| write.apply_to_reservation(r));
        // The document keeps one ledger for every customer, sorted by date when read.
        self.ledger.extend(write.ledger_entry);
        self.refunds.push(write.refund.into());
        self.moves.push(write.moved);
        self.record(write.audit);
    }

    /// What an exchange of `session_id` is decided on.
    fn exchange_view(&self, session_id: &str) -> ExchangeView {
        let completed = self.exchanges.iter().find(|e| e.session_id == session_id).cloned();
        let session = self.exchange_sessions.iter().find(|s| s.id == session_id).cloned();
        let ids: Vec<String> =
            session.iter().flat_map(|s| &s.request.reservations_to_exchange).map(|r| r.reservation_id.clone()).collect();
        let reservations = self.reservations_by_ids(&ids);
        let scopes = reservations.first().map(|(r, _)| self.scopes(&r.customer_id)).unwrap_or_default();
        ExchangeView { completed, session, reservations, scopes }
    }

    /// Writes an exchange.
    fn apply_exchange(&mut self, write: ExchangeWrite) {
        for (order_id, reservation_id, left, state) in &write.returns {
            if let Some(r) = self.reservation_mut(order_id, reservation_id) {
                r.quantity = *left;
                r.provisioning_state = *state;
            }
        }
        // An ID already held (read from Azure before the exchange was recorded) is left as it is,
        // as the SQL stores leave it.
        for bought in write.purchased {
            if !self.reservations.iter().any(|(r, _)| r.id == bought.0.id) {
                self.reservations.push(bought);
            }
        }
        self.savings_plans.extend(write.savings_plans);
        self.exchanges.push(write.response);
        self.moves.extend(write.moves);
        self.record(write.audit);
    }

    /// What a purchase of `session_id` is decided on.
    fn purchase_view(&self, session_id: &str) -> crate::store::PurchaseView {
        let completed = self.purchases.iter().find(|p| p.session_id == session_id).cloned();
        let session = self.purchase_sessions.iter().find(|s| s.id == session_id).cloned();
        let customer = session.as_ref().map(|s| s.request.customer_id.as_str()).unwrap_or_default();
        let scopes = session.as_ref().map(|_| self.scopes(customer)).unwrap_or_default();
        let currency = self.reservations.iter().find(|(r, _)| r.customer_id == customer).map(|(r, _)| r.unit_price.currency);
        crate::store::PurchaseView { completed, session, scopes, currency }
    }

    /// Writes a purchase.
    fn apply_purchase(&mut self, write: crate::store::PurchaseWrite) {
        // An ID already held (read from Azure before the purchase was recorded) is left as it is.
        if !self.reservations.iter().any(|(r, _)| r.id == write.purchased.0.id) {
            self.reservations.push(write.purchased);
            self.revisions.push(write.revision);
        }
        self.purchases.push(write.response);
        self.record(write.audit);
    }

    fn customer(&self, id: &str) -> Option<Customer> {
        let customer = self.customers.iter().find(|c| c.id == id)?;
        Some(counted(customer, self.reservations.iter().map(|(r, _)| r.customer_id.as_str())))
    }

    fn reservation(&self, order_id: &str, reservation_id: &str) -> Option<Stored> {
        self.reservations.iter().find(|(r, _)| r.reservation_order_id == order_id && r.id == reservation_id).cloned()
    }

    fn reservations_by_ids(&self, ids: &[String]) -> Vec<Stored> {
        self.reservations.iter().filter(|(r, _)| ids.contains(&r.id)).cloned().collect()
    }

    fn reservation_mut(&mut self, order_id: &str, reservation_id: &str) -> Option<&mut contract::Reservation> {
        self.reservations
            .iter_mut()
            .map(|(r, _)| r)
            .find(|r| r.reservation_order_id == order_id && r.id == reservation_id)
    }

    fn ledger(&self, customer_id: &str) -> Vec<LedgerEntry> {
        let mut entries: Vec<LedgerEntry> = self.ledger.iter().filter(|e| e.customer_id == customer_id).cloned().collect();
        entries.sort_by_key(|e| e.date);
        entries
    }

    fn scopes(&self, customer_id: &str) -> Vec<Scope> {
        // The seed's scopes of a customer are derived from its ID: not kept in the document.
        seed::customer_scopes(customer_id)
            .into_iter()
            .map(|CustomerScope { scope_type, properties, .. }| Scope {
                applied_scope_type: scope_type,
                applied_scope_properties: properties,
            })
            .collect()
    }
}

/// `customer` with its reservations counted among the `owners` (each reservation's customer ID),
/// like the server's SQL COUNT: never kept by hand.
fn counted<'a>(customer: &Customer, owners: impl Iterator<Item = &'a str>) -> Customer {
    let count = owners.filter(|owner| *owner == customer.id).count();
    Customer { reservation_count: u32::try_from(count).unwrap_or(u32::MAX), ..customer.clone() }
}

/// What the customer list reads of the document: the customers, and whose each reservation is;
/// the rest is skipped unread. The list is the first screen: the page's first module holds this
/// small reader, and the whole document's (de)serializers load with the other operations
/// (src/in_browser).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomerList {
    customers: Vec<Customer>,
    reservations: Vec<(Owner, IgnoredAny)>,
}

/// A stored reservation's customer.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Owner {
    customer_id: String,
}

/// The store over a [`Persist`]; the document is seeded on `seed_day` when there is none.
#[derive(Debug)]
pub struct MemoryStore<P> {
    persist: P,
    seed_day: NaiveDate,
    /// Held for each call: a call reads, decides and writes without another in between.
    lock: Mutex<()>,
}

impl<P: Persist> MemoryStore<P> {
    /// A store over `persist`, seeding the demo data as of `seed_day` if it holds nothing.
    pub fn new(persist: P, seed_day: NaiveDate) -> Self {
        Self { persist, seed_day, lock: Mutex::new(()) }
    }

    /// The persistence (tests open a second store over the same one, as a reload would).
    pub fn persist(&self) -> &P {
        &self.persist
    }

    fn load(&self) -> Document {
        self.persist
            .load()
            .and_then(|json| serde_json::from_str::<Document>(&json).ok())
            .map_or_else(|| Document::seeded(self.seed_day), Document::upgraded)
    }

    fn save(&self, document: &Document) -> StoreResult<()> {
        let json = serde_json::to_string(document).map_err(|e| StoreError(e.to_string()))?;
        self.persist.save(&json).map_err(|e| StoreError(format!("the browser's storage refused the change: {e}")))
    }

    /// Runs `f` on the document alone; saves it when `f` says it changed.
    fn with<T>(&self, f: impl FnOnce(&mut Document) -> Result<(T, bool), DeskError>) -> Result<T, DeskError> {
        let _alone = self.lock.lock().map_err(|e| StoreError(e.to_string()))?;
        let mut document = self.load();
        let (answer, changed) = f(&mut document)?;
        if changed {
            self.save(&document)?;
        }
        Ok(answer)
    }

    fn read<T>(&self, f: impl FnOnce(&Document) -> T) -> StoreResult<T> {
        let _alone = self.lock.lock().map_err(|e| StoreError(e.to_string()))?;
        Ok(f(&self.load()))
    }

    fn write(&self, f: impl FnOnce(&mut Document)) -> StoreResult<()> {
        self.with(|d| {
            f(d);
            Ok(((), true))
        })
        .map_err(|e| match e {
            DeskError::Store(e) => e,
            DeskError::Refused(p) => StoreError(p.detail),
        })
    }
}

/// Applies a decision: writes with `apply` and answers, or only answers.
fn decided<W, T>(document: &mut Document, decision: Decision<W, T>, apply: impl FnOnce(&mut Document, W)) -> (T, bool) {
    match decision {
        Decision::Write(write, answer) => {
            apply(document, write);
            (answer, true)
        }
        Decision::Answer(answer) => (answer, false),
    }
}

impl<P: Persist> Store for MemoryStore<P> {
    async fn customers(&self) -> StoreResult<Vec<Customer>> {
        let _alone = self.lock.lock().map_err(|e| StoreError(e.to_string()))?;
        let saved = self.persist.load().and_then(|json| serde_json::from_str::<CustomerList>(&json).ok());
        let (customers, owners): (Vec<Customer>, Vec<String>) = match saved {
            Some(list) => (list.customers, list.reservations.into_iter().map(|(owner, _)| owner.customer_id).collect()),
            // Nothing saved yet: the demo customers as the first call that needs the document
            // seeds them (without generating their reservations).
            None => {
                let seeded = contract::seed::customers().into_iter();
                return Ok(seeded.map(|c| Customer { reservation_count: seed::reservation_count(&c.id), ..c }).collect());
            }
        };
        Ok(customers.iter().map(|c| counted(c, owners.iter().map(String::as_str))).collect())
    }

    async fn customer(&self, id: &str) -> StoreResult<Option<Customer>> {
        self.read(|d| d.customer(id))
    }

    async fn reservations_of(&self, customer_id: &str) -> StoreResult<Vec<Stored>> {
        self.read(|d| d.reservations.iter().filter(|(r, _)| r.customer_id == customer_id).cloned().collect())
    }

    async fn reservation(&self, order_id: &str, reservation_id: &str) -> StoreResult<Option<Stored>> {
        self.read(|d| d.reservation(order_id, reservation_id))
    }

    async fn reservations_by_ids(&self, reservation_ids: &[String]) -> StoreResult<Vec<Stored>> {
        self.read(|d| d.reservations_by_ids(reservation_ids))
    }

    async fn order_exists(&self, order_id: &str) -> StoreResult<bool> {
        self.read(|d| d.reservations.iter().any(|(r, _)| r.reservation_order_id == order_id))
    }

    async fn ledger(&self, customer_id: &str) -> StoreResult<Vec<LedgerEntry>> {
        self.read(|d| d.ledger(customer_id))
    }

    async fn scopes(&self, customer_id: &str) -> StoreResult<Vec<Scope>> {
        self.read(|d| d.scopes(customer_id))
    }

    async fn role_assignments(&self, order_id: &str) -> StoreResult<Vec<RoleAssignment>> {
        self.read(|d| d.role_assignments.iter().filter(|a| a.reservation_order_id == order_id).cloned().collect())
    }

    async fn audit(&self, customer_id: Option<&str>, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        self.read(|d| {
            d.audit
                .iter()
                .rev()
                .filter(|e| customer_id.is_none_or(|c| e.customer_id.as_deref() == Some(c)))
                .take(limit)
                .cloned()
                .collect()
        })
    }

    async fn audit_chain(&self) -> StoreResult<AuditChain> {
        self.read(|d| {
            let hashes = d.audit_hashes.iter().map(String::as_str).chain(std::iter::repeat(""));
            let formats = d.audit_formats.iter().copied().chain(std::iter::repeat(audit_chain::FORMAT_TEXT));
            let links = d
                .audit
                .iter()
                .zip(hashes.zip(formats))
                .map(|(e, (hash, format))| ChainLink {
                    format,
                    at: audit_chain::seconds_of(&e.time).unwrap_or_default(),
                    customer_id: e.customer_id.clone(),
                    body: entry_text(e),
                    hash: hash.to_owned(),
                })
                .collect();
            AuditChain { links, ledger: d.ledger.iter().map(audit_chain::ledger_row).collect(), key: ChainKey::none() }
        })
    }

    async fn order_customer(&self, order_id: &str) -> StoreResult<Option<String>> {
        self.read(|d| d.reservations.iter().find(|(r, _)| r.reservation_order_id == order_id).map(|(r, _)| r.customer_id.clone()))
    }

    async fn support_requests(&self, customer_id: Option<&str>) -> StoreResult<Vec<SupportRequest>> {
        self.read(|d| {
            d.support_requests.iter().rev().filter(|s| customer_id.is_none_or(|c| s.customer_id == c)).cloned().collect()
        })
    }

    async fn support_request(&self, id: &str) -> StoreResult<Option<SupportRequest>> {
        self.read(|d| d.support_requests.iter().find(|s| s.id == id).cloned())
    }

    async fn revisions(&self, order_id: &str, reservation_id: &str) -> StoreResult<Vec<Revision>> {
        self.read(|d| {
            let of = |v: &&Revision| v.reservation.reservation_order_id == order_id && v.reservation.id == reservation_id;
            d.revisions.iter().filter(of).cloned().collect()
        })
    }

    async fn moves_of(&self, order_id: &str, reservation_id: &str) -> StoreResult<Vec<crate::store::Move>> {
        self.read(|d| d.moves.iter().filter(|m| m.order_id == order_id && m.reservation_id == reservation_id).cloned().collect())
    }

    async fn savings_plans_of(&self, customer_id: &str) -> StoreResult<Vec<SavingsPlan>> {
        self.read(|d| {
            let mut plans: Vec<SavingsPlan> = d.savings_plans.iter().filter(|p| p.customer_id == customer_id).cloned().collect();
            plans.sort_by(|a, b| b.start_date.cmp(&a.start_date).then_with(|| a.id.cmp(&b.id)));
            plans
        })
    }

    async fn exchange_session(&self, session_id: &str) -> StoreResult<Option<ExchangeSession>> {
        self.read(|d| d.exchange_sessions.iter().find(|s| s.id == session_id).cloned())
    }

    async fn grants(&self) -> StoreResult<Vec<Grant>> {
        let _alone = self.lock.lock().map_err(|e| StoreError(e.to_string()))?;
        let saved = self.persist.load().and_then(|json| serde_json::from_str::<GrantList>(&json).ok());
        Ok(saved.map_or_else(seed::demo_grants, |list| list.grants))
    }

    async fn add_grant(&self, grant: &Grant, _at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<bool> {
        let added = self.with(|d| {
            let same = |g: &Grant| g.group_id == grant.group_id && g.customer_id == grant.customer_id && g.role == grant.role;
            if d.grants.iter().any(same) {
                return Ok((false, false));
            }
            d.grants.push(grant.clone());
            d.record(audit.clone());
            Ok((true, true))
        });
        added.map_err(|e| StoreError(e.to_string()))
    }

    async fn remove_grant(&self, id: &str, _at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<bool> {
        let removed = self.with(|d| {
            let before = d.grants.len();
            d.grants.retain(|g| g.id != id);
            let removed = d.grants.len() < before;
            if removed {
                d.record(audit.clone());
            }
            Ok((removed, removed))
        });
        removed.map_err(|e| StoreError(e.to_string()))
    }

    async fn alert_subscriptions(&self) -> StoreResult<Vec<(String, String)>> {
        self.read(|d| {
            let mut all = d.alert_subscriptions.clone();
            all.sort();
            all
        })
    }

    async fn alert_deliveries(&self, limit: usize) -> StoreResult<Vec<contract::AlertDelivery>> {
        self.read(|d| d.alert_deliveries.iter().rev().take(limit).map(|x| x.delivery.clone()).collect())
    }

    async fn set_alert_subscription(&self, user: &str, customer_id: &str, subscribed: bool, _at: DateTime<Utc>) -> StoreResult<()> {
        self.write(|d| {
            let pair = (user.to_owned(), customer_id.to_owned());
            d.alert_subscriptions.retain(|p| *p != pair);
            if subscribed {
                d.alert_subscriptions.push(pair);
            }
        })
    }

    async fn claim_alerts(&self, alerts: &[contract::Alert], recipient: &str, _now: DateTime<Utc>, lease_until: DateTime<Utc>) -> StoreResult<Vec<String>> {
        let claimed = self.with(|d| {
            let mut keys = Vec::new();
            for alert in alerts {
                if d.alert_deliveries.iter().any(|x| x.delivery.alert_key == alert.key && x.delivery.recipient == recipient) {
                    continue;
                }
                d.alert_deliveries.push(Delivery {
                    delivery: contract::AlertDelivery {
                        alert_key: alert.key.clone(),
                        customer_id: alert.customer_id.clone(),
                        recipient: recipient.to_owned(),
                        status: contract::DeliveryStatus::Sending,
                        attempts: 0,
                        sent_at: None,
                        last_error: None,
                        next_attempt_at: None,
                        alert: alert.clone(),
                    },
                    lease_until,
                    next_attempt: None,
                });
                keys.push(alert.key.clone());
            }
            let changed = !keys.is_empty();
            Ok((keys, changed))
        });
        claimed.map_err(|e| StoreError(e.to_string()))
    }

    async fn claim_alert_retries(&self, now: DateTime<Utc>, lease_until: DateTime<Utc>) -> StoreResult<Vec<contract::AlertDelivery>> {
        let claimed = self.with(|d| {
            let mut taken = Vec::new();
            for x in &mut d.alert_deliveries {
                let due = match x.delivery.status {
                    contract::DeliveryStatus::Failed => x.next_attempt.is_some_and(|at| at <= now),
                    contract::DeliveryStatus::Sending => x.lease_until <= now,
                    contract::DeliveryStatus::Sent => false,
                };
                if due {
                    x.delivery.status = contract::DeliveryStatus::Sending;
                    x.lease_until = lease_until;
                    taken.push(x.delivery.clone());
                }
            }
            let changed = !taken.is_empty();
            Ok((taken, changed))
        });
        claimed.map_err(|e| StoreError(e.to_string()))
    }

    async fn finish_alert(
        &self, alert_key: &str, recipient: &str, lease_until: DateTime<Utc>, outcome: &crate::store::DeliveryOutcome,
    ) -> StoreResult<bool> {
        let finished = self.with(|d| {
            // Only while the sender holds the claim: still `Sending` under its lease (compared in
            // whole seconds, as the document keeps it). Another sender that took the delivery
            // over after that lease ran out holds a later one, and its outcome stands.
            let held = d.alert_deliveries.iter_mut().find(|x| {
                x.delivery.alert_key == alert_key
                    && x.delivery.recipient == recipient
                    && x.delivery.status == contract::DeliveryStatus::Sending
                    && x.lease_until.timestamp() == lease_until.timestamp()
            });
            if let Some(x) = held {
                x.delivery.attempts += 1;
                match outcome {
                    crate::store::DeliveryOutcome::Sent(at) => {
                        x.delivery.status = contract::DeliveryStatus::Sent;
                        x.delivery.sent_at = Some(crate::time::timestamp(*at));
                        x.delivery.next_attempt_at = None;
                        x.next_attempt = None;
                    }
                    crate::store::DeliveryOutcome::Failed(error, next) => {
                        x.delivery.status = contract::DeliveryStatus::Failed;
                        x.delivery.last_error = Some(error.clone());
                        x.delivery.next_attempt_at = Some(crate::time::timestamp(*next));
                        x.next_attempt = Some(*next);
                    }
                }
                Ok((true, true))
            } else {
                Ok((false, false))
            }
        });
        finished.map_err(|e| StoreError(e.to_string()))
    }

    async fn save_refund_session(&self, session: &RefundSession, purge_expired_before: DateTime<Utc>) -> StoreResult<()> {
        self.write(|d| {
            let mut submitted: Vec<&str> = d.refunds.iter().map(|r| r.response.session_id.as_str()).collect();
            submitted.extend(d.approvals.iter().map(|a| a.session_id.as_str()));
            // A return through Azure still asked or sent is recorded against its session later.
            let in_flight = |o: &&crate::upstream::UpstreamOperation| matches!(o.state, crate::upstream::UpstreamState::Asked | crate::upstream::UpstreamState::Sent);
            submitted.extend(d.upstream.iter().filter(in_flight).map(|o| o.desk_session_id.as_str()));
            let keep = |s: &RefundSession| s.expires_at >= purge_expired_before || submitted.contains(&s.id.as_str());
            let kept = d.refund_sessions.iter().filter(|s| keep(s)).cloned().collect();
            d.refund_sessions = kept;
            d.refund_sessions.push(session.clone());
        })
    }

    async fn save_exchange_session(&self, session: &ExchangeSession, purge_expired_before: DateTime<Utc>) -> StoreResult<()> {
        self.write(|d| {
            let mut submitted: Vec<&str> = d.exchanges.iter().map(|e| e.session_id.as_str()).collect();
            submitted.extend(d.approvals.iter().map(|a| a.session_id.as_str()));
            let keep = |s: &ExchangeSession| s.expires_at >= purge_expired_before || submitted.contains(&s.id.as_str());
            let kept = d.exchange_sessions.iter().filter(|s| keep(s)).cloned().collect();
            d.exchange_sessions = kept;
            d.exchange_sessions.push(session.clone());
        })
    }

    async fn purchase_session(&self, session_id: &str) -> StoreResult<Option<crate::store::PurchaseSession>> {
        self.read(|d| d.purchase_sessions.iter().find(|s| s.id == session_id).cloned())
    }

    async fn save_purchase_session(&self, session: &crate::store::PurchaseSession, purge_expired_before: DateTime<Utc>) -> StoreResult<()> {
        self.write(|d| {
            let mut submitted: Vec<&str> = d.purchases.iter().map(|p| p.session_id.as_str()).collect();
            submitted.extend(d.approvals.iter().map(|a| a.session_id.as_str()));
            let keep = |s: &crate::store::PurchaseSession| s.expires_at >= purge_expired_before || submitted.contains(&s.id.as_str());
            let kept = d.purchase_sessions.iter().filter(|s| keep(s)).cloned().collect();
            d.purchase_sessions = kept;
            d.purchase_sessions.push(session.clone());
        })
    }

    async fn record_audit(&self, _at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<()> {
        self.write(|d| d.record(audit.clone()))
    }

    async fn add_support_request(&self, request: &SupportRequest, _at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<()> {
        self.write(|d| {
            d.support_requests.push(request.clone());
            d.record(audit.clone());
        })
    }

    async fn remove_role_assignment(&self, order_id: &str, id: &str, _at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<bool> {
        let removed = self.with(|d| {
            let before = d.role_assignments.len();
            d.role_assignments.retain(|a| !(a.reservation_order_id == order_id && a.id == id));
            let removed = d.role_assignments.len() < before;
            if removed {
                d.record(audit.clone());
            }
            Ok((removed, removed))
        });
        removed.map_err(|e| StoreError(e.to_string()))
    }

    async fn change_order<T>(
        &self, order_id: &str, decide: impl Decide<OrderView, OrderWrite, T>,
    ) -> Result<T, DeskError> {
        self.with(|d| {
            let reservations: Vec<Stored> =
                d.reservations.iter().filter(|(r, _)| r.reservation_order_id == order_id).cloned().collect();
            let scopes = reservations.first().map(|(r, _)| d.scopes(&r.customer_id)).unwrap_or_default();
            let mut revisions: Vec<(String, u32)> = Vec::new();
            for rev in d.revisions.iter().filter(|v| v.reservation.reservation_order_id == order_id) {
                match revisions.iter_mut().find(|(id, _)| *id == rev.reservation.id) {
                    Some((_, n)) => *n = (*n).max(rev.revision),
                    None => revisions.push((rev.reservation.id.clone(), rev.revision)),
                }
            }
            let decision = decide(OrderView { reservations, revisions, scopes })?;
            Ok(decided(d, decision, |d, write: OrderWrite| {
                for stored in write.reservations {
                    let (r, _) = &stored;
                    match d.reservations.iter_mut().find(|(s, _)| s.reservation_order_id == r.reservation_order_id && s.id == r.id) {
                        Some(slot) => *slot = stored,
                        None => d.reservations.push(stored),
                    }
                }
                d.revisions.extend(write.revisions);
                if let Some(audit) = write.audit {
                    d.record(audit);
                }
            }))
        })
    }

    async fn add_role_assignment<T>(
        &self, order_id: &str, decide: impl Decide<(bool, Vec<RoleAssignment>), RoleAssignmentWrite, T>,
    ) -> Result<T, DeskError> {
        self.with(|d| {
            let exists = d.reservations.iter().any(|(r, _)| r.reservation_order_id == order_id);
            let existing = d.role_assignments.iter().filter(|a| a.reservation_order_id == order_id).cloned().collect();
            let decision = decide((exists, existing))?;
            Ok(decided(d, decision, |d, write: RoleAssignmentWrite| {
                d.role_assignments.push(write.assignment);
                d.record(write.audit);
            }))
        })
    }

    async fn return_reservation<T>(
        &self, session_id: &str, decide: impl Decide<ReturnView, ReturnWrite, T>,
    ) -> Result<T, DeskError> {
        self.with(|d| {
            let decision = decide(d.return_view(session_id))?;
            Ok(decided(d, decision, Document::apply_return))
        })
    }

    async fn exchange<T>(
        &self, session_id: &str, decide: impl Decide<ExchangeView, ExchangeWrite, T>,
    ) -> Result<T, DeskError> {
        self.with(|d| {
            let decision = decide(d.exchange_view(session_id))?;
            Ok(decided(d, decision, Document::apply_exchange))
        })
    }

    async fn purchase<T>(
        &self, session_id: &str, decide: impl Decide<crate::store::PurchaseView, crate::store::PurchaseWrite, T>,
    ) -> Result<T, DeskError> {
        self.with(|d| {
            let decision = decide(d.purchase_view(session_id))?;
            Ok(decided(d, decision, Document::apply_purchase))
        })
    }

    async fn approval(&self, id: &str) -> StoreResult<Option<contract::Approval>> {
        self.read(|d| d.approvals.iter().find(|a| a.id == id).cloned())
    }

    async fn open_approvals(&self) -> StoreResult<Vec<contract::Approval>> {
        self.read(|d| d.approvals.iter().filter(|a| a.status.is_open()).cloned().collect())
    }

    async fn approval_step<T>(
        &self, kind: contract::ApprovalKind, session_id: &str, decide: impl Decide<ApprovalView, ApprovalWrite, T>,
    ) -> Result<T, DeskError> {
        self.with(|d| {
            let approval = d.approvals.iter().find(|a| a.session_id == session_id && a.kind == kind).cloned();
            let view = match kind {
                contract::ApprovalKind::Refund => ApprovalView { approval, refund: d.return_view(session_id), ..ApprovalView::default() },
                contract::ApprovalKind::Exchange => ApprovalView { approval, exchange: d.exchange_view(session_id), ..ApprovalView::default() },
                contract::ApprovalKind::Purchase => ApprovalView { approval, purchase: d.purchase_view(session_id), ..ApprovalView::default() },
            };
            let decision = decide(view)?;
            Ok(decided(d, decision, |d, write: ApprovalWrite| {
                if let Some(approval) = write.approval {
                    match d.approvals.iter_mut().find(|a| a.id == approval.id) {
                        Some(slot) => *slot = approval,
                        None => d.approvals.push(approval),
                    }
                }
                for entry in write.audit {
                    d.record(entry);
                }
                if let Some(refund) = write.refund {
                    d.apply_return(refund);
                }
                if let Some(exchange) = write.exchange {
                    d.apply_exchange(exchange);
                }
                if let Some(purchase) = write.purchase {
                    d.apply_purchase(purchase);
                }
            }))
        })
    }
}

impl<P: Persist> crate::upstream::UpstreamStore for MemoryStore<P> {
    async fn save_upstream(&self, operation: &crate::upstream::UpstreamOperation, purge_before: DateTime<Utc>) -> StoreResult<bool> {
        self.with(|d| {
            use crate::upstream::UpstreamState;
            d.upstream.retain(|o| match o.state {
                UpstreamState::Quoted => o.desk_session_id != operation.desk_session_id && o.updated_at >= purge_before,
                UpstreamState::Failed => o.desk_session_id != operation.desk_session_id,
                _ => true,
            });
            // One operation a session: one claimed (asked, sent or done) stays the session's.
            if d.upstream.iter().any(|o| o.desk_session_id == operation.desk_session_id) {
                return Ok((false, true));
            }
            d.upstream.push(operation.clone());
            Ok((true, true))
        })
        .map_err(|e| StoreError(e.to_string()))
    }

    async fn upstream_of_session(&self, desk_session_id: &str) -> StoreResult<Option<crate::upstream::UpstreamOperation>> {
        self.read(|d| d.upstream.iter().find(|o| o.desk_session_id == desk_session_id).cloned())
    }

    async fn claim_upstream(
        &self, operation_id: &str, requested_by: &str, detail: &crate::upstream::Detail, at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        use crate::upstream::UpstreamState;
        self.with(|d| {
            let Some(op) = d.upstream.iter_mut().find(|o| o.id == operation_id && o.state == UpstreamState::Quoted) else {
                return Ok((false, false));
            };
            op.state = UpstreamState::Asked;
            op.requested_by = Some(requested_by.to_owned());
            op.detail = detail.clone();
            op.updated_at = at;
            Ok((true, true))
        })
        .map_err(|e| StoreError(e.to_string()))
    }

    async fn set_upstream(
        &self, id: &str, state: crate::upstream::UpstreamState, poll: Option<&crate::upstream::PollAt>, last_error: Option<&str>, at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|d| {
            if let Some(op) = d.upstream.iter_mut().find(|o| o.id == id && matches!(o.state, crate::upstream::UpstreamState::Asked | crate::upstream::UpstreamState::Sent)) {
                op.state = state;
                op.poll = poll.cloned();
                op.last_error = last_error.map(str::to_owned);
                op.updated_at = at;
            }
        })
    }

    async fn finish_upstream(&self, id: &str, write: crate::upstream::Confirmed<'_>) -> StoreResult<bool> {
        use crate::upstream::{Confirmed, UpstreamState};
        self.with(|d| {
            let Some(i) = d.upstream.iter().position(|o| o.id == id && matches!(o.state, UpstreamState::Asked | UpstreamState::Sent | UpstreamState::Failed)) else {
                return Ok((false, false));
            };
            let session = write.session_id();
            match write {
                Confirmed::Return(w) if !d.refunds.iter().any(|r| r.response.session_id == session) => d.apply_return(w.clone()),
                Confirmed::Exchange(w) if !d.exchanges.iter().any(|x| x.session_id == session) => d.apply_exchange(w.clone()),
                Confirmed::Purchase(w) if !d.purchases.iter().any(|p| p.session_id == session) => d.apply_purchase(w.clone()),
                _ => {}
            }
            d.upstream[i].state = UpstreamState::Succeeded;
            d.upstream[i].last_error = None;
            d.upstream[i].updated_at = write.at();
            Ok((true, true))
        })
        .map_err(|e| StoreError(e.to_string()))
    }

    async fn unfinished_upstream(&self) -> StoreResult<Vec<crate::upstream::UpstreamOperation>> {
        use crate::upstream::UpstreamState;
        self.read(|d| d.upstream.iter().filter(|o| matches!(o.state, UpstreamState::Asked | UpstreamState::Sent)).cloned().collect())
    }
}

impl<P: Persist> MemoryStore<P> {
    /// Applies `step` to the tenant's row of the run (if any) at `at`; `true` when it changed it.
    /// With `audit`, the entry is recorded in the same write as the change.
    fn consent_step(
        &self,
        run_id: &str,
        customer_id: &str,
        at: DateTime<Utc>,
        audit: Option<&AuditEntry>,
        step: impl FnOnce(&mut contract::source::TenantConsent) -> bool,
    ) -> StoreResult<bool> {
        let changed = self.with(|d| {
            let found = d.consent_runs.iter_mut().find(|r| r.run.id == run_id).and_then(|r| {
                let i = r.run.tenants.iter().position(|t| t.customer_id == customer_id)?;
                Some((r, i))
            });
            let Some((row, i)) = found else { return Ok((false, false)) };
            let changed = step(&mut row.run.tenants[i]);
            if changed {
                row.updated_at[i] = at.timestamp();
                if let Some(entry) = audit {
                    d.record(entry.clone());
                }
            }
            Ok((changed, changed))
        });
        changed.map_err(|e| StoreError(e.to_string()))
    }
}

impl<P: Persist> crate::source::SourceStore for MemoryStore<P> {
    async fn write_reads(&self, reads: &[crate::source::TenantRead]) -> StoreResult<()> {
        use crate::source::TenantRead;
        self.write(|d| {
            for read in reads {
                match read {
                    TenantRead::Read(snapshot) => {
                        let id = snapshot.customer.id.clone();
                        match d.customers.iter_mut().find(|c| c.id == id) {
                            Some(c) => {
                                c.name = snapshot.customer.name.clone();
                                c.domain = snapshot.customer.domain.clone();
                            }
                            None => d.customers.push(Customer { reservation_count: 0, ..snapshot.customer.clone() }),
                        }
                        d.reservations.retain(|(r, _)| r.customer_id != id);
                        d.reservations.extend(snapshot.reservations.iter().cloned());
                        let kept = d.source.iter().find(|s| s.customer_id == id);
                        let (refused, directory) = (kept.and_then(|s| s.change_refused.clone()), kept.and_then(|s| s.directory.clone()));
                        d.source.retain(|s| s.customer_id != id);
                        d.source.push(crate::source::read(snapshot, refused, directory));
                    }
                    TenantRead::Failed { customer, tenant_id, error } => {
                        if !d.customers.iter().any(|c| c.id == customer.id) {
                            d.customers.push(Customer { reservation_count: 0, ..customer.clone() });
                        }
                        let previous = d.source.iter().position(|s| s.customer_id == customer.id).map(|i| d.source.remove(i));
                        d.source.push(crate::source::failed(previous, &customer.id, tenant_id, error));
                    }
                }
            }
        })
    }

    async fn source_status(&self, customer_id: &str) -> StoreResult<Option<contract::source::SourceStatus>> {
        self.read(|d| d.source.iter().find(|s| s.customer_id == customer_id).cloned())
    }

    async fn source_statuses(&self) -> StoreResult<Vec<contract::source::SourceStatus>> {
        self.read(|d| d.source.clone())
    }

    async fn unpriced_counts(&self) -> StoreResult<Vec<(String, usize)>> {
        self.read(|d| {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for (r, _) in d.reservations.iter().filter(|(r, _)| r.price_unknown.is_some()) {
                match counts.iter_mut().find(|(c, _)| *c == r.customer_id) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((r.customer_id.clone(), 1)),
                }
            }
            counts
        })
    }

    async fn record_refund_standing(&self, customer_id: &str, standing: &contract::AzureRefundStanding) -> StoreResult<()> {
        self.write(|d| {
            d.refund_standing.retain(|(c, _)| c != customer_id);
            d.refund_standing.push((customer_id.to_owned(), standing.clone()));
        })
    }

    async fn record_change_refused(&self, customer_id: &str, refused: Option<&contract::source::SourceError>) -> StoreResult<()> {
        self.write(|d| {
            if let Some(s) = d.source.iter_mut().find(|s| s.customer_id == customer_id) {
                s.change_refused = refused.cloned();
            }
        })
    }

    async fn record_directory(&self, customer_id: &str, access: &contract::source::DirectoryAccess) -> StoreResult<()> {
        self.write(|d| {
            if let Some(s) = d.source.iter_mut().find(|s| s.customer_id == customer_id) {
                if s.directory.as_ref().is_none_or(|kept| kept.at <= access.at) {
                    s.directory = Some(access.clone());
                }
            }
        })
    }

    async fn refund_standing(&self, customer_id: &str) -> StoreResult<Option<contract::AzureRefundStanding>> {
        self.read(|d| d.refund_standing.iter().find(|(c, _)| c == customer_id).map(|(_, s)| s.clone()))
    }

    async fn start_consent_run(&self, run: &crate::source::NewConsentRun, stale_before: DateTime<Utc>) -> StoreResult<()> {
        use contract::source::{ConsentRun, ConsentState, TenantConsent};
        let at = crate::source::instant_text(run.requested_at);
        self.write(|d| {
            let mut tenants = Vec::new();
            for t in &run.tenants {
                let mut other_run = None;
                for row in &mut d.consent_runs {
                    for (i, held) in row.run.tenants.iter_mut().enumerate() {
                        if held.customer_id != t.customer_id {
                            continue;
                        }
                        let recent = row.updated_at[i] >= stale_before.timestamp();
                        if matches!(held.state, ConsentState::Consented | ConsentState::AlreadyConsented | ConsentState::Renewed) && recent {
                            other_run = Some(row.run.id.clone());
                            continue;
                        }
                        if held.state.finished() {
                            continue;
                        }
                        if !recent {
                            held.state = ConsentState::Failed;
                            held.code = Some("Abandoned".into());
                            held.message = Some(crate::source::CONSENT_ABANDONED.into());
                            held.finished_at = Some(at.clone());
                        } else {
                            other_run = Some(row.run.id.clone());
                        }
                    }
                }
                tenants.push(TenantConsent {
                    customer_id: t.customer_id.clone(),
                    name: t.name.clone(),
                    tenant_id: t.tenant_id.clone(),
                    state: if other_run.is_some() { ConsentState::Elsewhere } else { ConsentState::Pending },
                    status: None,
                    code: None,
                    message: None,
                    finished_at: other_run.as_ref().map(|_| at.clone()),
                    other_run,
                    request: contract::source::AzureRequestIds { client_request_id: Some(t.client_request_id.clone()), ..Default::default() },
                });
            }
            let updated_at = vec![run.requested_at.timestamp(); tenants.len()];
            let run = ConsentRun { id: run.id.clone(), requested_by: run.requested_by.clone(), requested_at: at.clone(), total: 0, finished: 0, done: false, tenants };
            d.consent_runs.push(ConsentRunRow { run, updated_at });
        })
    }

    async fn consent_run(&self, id: &str) -> StoreResult<Option<contract::source::ConsentRun>> {
        self.read(|d| d.consent_runs.iter().find(|r| r.run.id == id).map(|r| crate::source::counted(r.run.clone())))
    }

    async fn consent_sending(&self, run_id: &str, customer_id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        self.consent_step(run_id, customer_id, at, None, |t| {
            (t.state == contract::source::ConsentState::Pending).then(|| t.state = contract::source::ConsentState::Sending).is_some()
        })
    }

    async fn finish_consent(
        &self,
        run_id: &str,
        customer_id: &str,
        outcome: &crate::source::ConsentOutcome,
        at: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<bool> {
        self.consent_step(run_id, customer_id, at, Some(audit), |t| {
            if t.state.finished() {
                return false;
            }
            t.state = outcome.state;
            t.status = outcome.status;
            t.code = outcome.code.clone();
            t.message = outcome.message.clone();
            t.request = outcome.request.clone();
            t.finished_at = Some(crate::source::instant_text(at));
            true
        })
    }
}

impl<P: Persist> crate::gdap::GdapStore for MemoryStore<P> {
    async fn write_gdap(&self, statuses: &[contract::gdap::GdapStatus]) -> StoreResult<()> {
        self.write(|d| {
            d.gdap.retain(|g| !statuses.iter().any(|s| s.customer_id == g.customer_id));
            d.gdap.extend(statuses.iter().cloned());
        })
    }

    async fn gdap_statuses(&self) -> StoreResult<Vec<contract::gdap::GdapStatus>> {
        self.read(|d| d.gdap.clone())
    }

    async fn gdap_status(&self, customer_id: &str) -> StoreResult<Option<contract::gdap::GdapStatus>> {
        self.read(|d| d.gdap.iter().find(|g| g.customer_id == customer_id).cloned())
    }
}

impl<P: Persist> crate::pricing::PricingStore for MemoryStore<P> {
    async fn partner_pricing(&self, customer_id: Option<&str>) -> StoreResult<Vec<contract::PartnerPricing>> {
        self.read(|d| d.pricing.iter().filter(|(c, _)| c.as_deref() == customer_id).map(|(_, p)| p.clone()).collect())
    }

    async fn add_partner_pricing(&self, customer_id: Option<&str>, pricing: &contract::PartnerPricing, _at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<()> {
        self.write(|d| {
            d.pricing.push((customer_id.map(str::to_owned), pricing.clone()));
            d.record(audit.clone());
        })
    }
}

impl<P: Persist> crate::worklist::WorklistStore for MemoryStore<P> {
    async fn work_marks(&self) -> StoreResult<Vec<contract::WorkMark>> {
        self.read(|d| d.work_marks.clone())
    }

    async fn set_work_mark(&self, mark: &contract::WorkMark, _at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<()> {
        self.write(|d| {
            d.work_marks.retain(|m| m.id != mark.id);
            d.work_marks.push(mark.clone());
            d.record(audit.clone());
        })
    }

    async fn forget_work_marks(&self, ids: &[String]) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        self.write(|d| d.work_marks.retain(|m| !ids.contains(&m.id)))
    }

    async fn book(&self) -> StoreResult<Vec<Stored>> {
        self.read(|d| d.reservations.clone())
    }

    async fn ledgers(&self) -> StoreResult<Vec<LedgerEntry>> {
        self.read(|d| d.ledger.clone())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate, TimeZone};

    use super::*;
    use crate::desk::{Desk, Recipients};

    /// A sender whose lease ran out, and whose deliveries another sender took over, records
    /// nothing, whether it finishes before or after the other one: the other's outcome stands.
    #[tokio::test]
    async fn a_sender_past_its_lease_cannot_overwrite_the_outcome_of_the_one_that_took_over() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let noon = Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap());
        let store = MemoryStore::new(InMemory::default(), day);
        let desk = Desk::new(store, crate::ids::Sequential::default(), contract::Settings::default());
        let webhook = Recipients { emails: vec![], webhook: true, email: false };
        let first = desk.claim_due_alerts(noon, &webhook).await.unwrap();
        assert!(first.len() >= 2, "{first:?}");
        let later = noon + Duration::seconds(crate::desk::ALERT_LEASE_SECONDS + 1);
        let second = desk.claim_alert_retries(later).await.unwrap();
        assert_eq!(second.len(), first.len(), "the second sender takes over every delivery whose lease ran out");

        let (before, after) = first.split_at(1);
        // The first sender finishes before the second one does: nothing recorded.
        assert!(!desk.alert_failed(&before[0], "451 too late", 60, later).await.unwrap());
        for c in &second {
            assert!(desk.alert_sent(c, later).await.unwrap(), "the second sender holds its claim");
        }
        // ... and after it: nothing recorded either.
        for c in after {
            assert!(!desk.alert_failed(c, "451 too late", 60, later).await.unwrap());
        }
        let deliveries = desk.store().alert_deliveries(100).await.unwrap();
        assert_eq!(deliveries.len(), first.len());
        for d in deliveries {
            assert_eq!((d.status, d.attempts, d.last_error.as_deref()), (contract::DeliveryStatus::Sent, 1, None), "{d:?}");
        }
    }
}
