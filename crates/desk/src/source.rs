//! Azure mode: the store as a cache of what Azure holds. A read of one customer is
//! written whole ([`TenantRead::Read`]): the customer (name and domain as Partner Center has
//! them) and its reservations as ARM listed them (rows no longer listed go; the desk's own rows —
//! audit, sessions, refunds, revisions, grants — stay), and its source status (when it was
//! read). A read that failed is recorded on the customer ([`TenantRead::Failed`]) and changes
//! nothing else. [`SourceStore::write_reads`] writes the reads of many tenants in one
//! transaction: a whole book read at once commits in a few groups, not one commit per customer.
//! No rule lives here: the adapter reads, the store keeps.

use chrono::{DateTime, SecondsFormat, Utc};
use contract::source::{SourceError, SourceStatus};
use contract::Customer;

use crate::store::{StoreResult, Stored};

/// What a path of Azure mode answers (404) on a desk that keeps its own data.
pub const NOT_READING_AZURE: &str = "This desk is not reading Azure (it was not started with --source azure).";

/// One customer as read from Azure.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerSnapshot {
    /// The customer (its `reservation_count` is not read: the store counts).
    pub customer: Customer,
    /// Its tenant.
    pub tenant_id: String,
    /// Every reservation ARM listed in its tenant, with the usage level its 30-day utilization
    /// gives.
    pub reservations: Vec<Stored>,
    /// When the read finished.
    pub read_at: DateTime<Utc>,
    /// The reservations Azure listed that could not be read, each with why (listed on the
    /// customer's status; the others are read).
    pub unread: Vec<contract::source::UnreadReservation>,
}

/// What one tenant's read leaves to write: its snapshot, or why it failed.
#[derive(Clone, Debug, PartialEq)]
pub enum TenantRead {
    /// The customer read whole.
    Read(CustomerSnapshot),
    /// Reading the customer (in `tenant_id`) failed with `error`.
    Failed {
        /// The customer, as Partner Center lists it.
        customer: Customer,
        /// Its tenant.
        tenant_id: String,
        /// Why.
        error: SourceError,
    },
}

impl TenantRead {
    /// The customer it is of.
    pub fn customer_id(&self) -> &str {
        match self {
            TenantRead::Read(s) => &s.customer.id,
            TenantRead::Failed { customer, .. } => &customer.id,
        }
    }
}

/// An instant as the status writes it (RFC 3339, UTC, seconds).
pub fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A consent run as it starts: who asked, when, and its tenants in order, each with the
/// `MS-RequestId` its call to Partner Center carries (the same on every try).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewConsentRun {
    /// The run's ID.
    pub id: String,
    /// Who asked (user principal name).
    pub requested_by: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// Each tenant: customer ID, company name, tenant ID, the request ID to send.
    pub tenants: Vec<NewTenantConsent>,
}

/// One tenant of a [`NewConsentRun`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTenantConsent {
    /// The customer (Partner Center's ID).
    pub customer_id: String,
    /// Its company name.
    pub name: String,
    /// Its tenant.
    pub tenant_id: String,
    /// The `MS-RequestId` its consent is asked with.
    pub client_request_id: String,
}

/// How one tenant's consent ended, as the adapter that asked Partner Center tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentOutcome {
    /// `Consented`, `AlreadyConsented`, `Renewed` or `Failed`.
    pub state: contract::source::ConsentState,
    /// Partner Center's HTTP status, if it answered.
    pub status: Option<u16>,
    /// Its error code, when it refused.
    pub code: Option<String>,
    /// Its message (or why it could not be asked).
    pub message: Option<String>,
    /// The IDs of the call.
    pub request: contract::source::AzureRequestIds,
}

/// `run` with its counts as its tenants' states say: how many are finished, and whether all are.
pub fn counted(mut run: contract::source::ConsentRun) -> contract::source::ConsentRun {
    let finished = run.tenants.iter().filter(|t| t.state.finished()).count();
    run.total = u32::try_from(run.tenants.len()).unwrap_or(u32::MAX);
    run.finished = u32::try_from(finished).unwrap_or(u32::MAX);
    run.done = finished == run.tenants.len();
    run
}

/// What a claim abandoned by its server says (`code` `Abandoned`): its outcome is unknown, as
/// Partner Center may have consented.
pub const CONSENT_ABANDONED: &str = "The server carrying this consent stopped before Partner Center's answer was recorded; another run asks again.";

/// A claim on a tenant's consent older than this is abandoned (its server stopped while
/// carrying it): another run may ask again.
pub const CONSENT_CLAIM_LASTS: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// What a store keeps of Azure's answers.
#[allow(async_fn_in_trait)]
pub trait SourceStore {
    /// Writes each tenant's read, in order, in one transaction: a snapshot replaces the
    /// customer's reservations and marks it read at `read_at` (its last error cleared); a
    /// failure adds the customer if it is new (so that it shows, with its reason) and leaves its
    /// reservations as the last read found them.
    async fn write_reads(&self, reads: &[TenantRead]) -> StoreResult<()>;
    /// Writes one customer's snapshot ([`SourceStore::write_reads`] of one).
    async fn write_snapshot(&self, snapshot: &CustomerSnapshot) -> StoreResult<()> {
        self.write_reads(&[TenantRead::Read(snapshot.clone())]).await
    }
    /// Records that reading `customer` (in `tenant_id`) failed with `error`
    /// ([`SourceStore::write_reads`] of one).
    async fn record_read_failure(&self, customer: &Customer, tenant_id: &str, error: &SourceError) -> StoreResult<()> {
        self.write_reads(&[TenantRead::Failed { customer: customer.clone(), tenant_id: tenant_id.to_owned(), error: error.clone() }]).await
    }
    /// The customer's status, `None` when it was never read from Azure.
    async fn source_status(&self, customer_id: &str) -> StoreResult<Option<SourceStatus>>;
    /// Every customer's status read from Azure, in one read (the readiness table).
    async fn source_statuses(&self) -> StoreResult<Vec<SourceStatus>>;
    /// Per customer, how many of its reservations have no price the desk can quote on
    /// (`price_unknown`); a customer with none is left out.
    async fn unpriced_counts(&self) -> StoreResult<Vec<(String, usize)>>;
    /// Keeps Azure's count of the customer's refunds as it last answered (replacing the one
    /// kept).
    async fn record_refund_standing(&self, customer_id: &str, standing: &contract::AzureRefundStanding) -> StoreResult<()>;
    /// Keeps why Azure refused to quote a change in the customer's tenant though it reads
    /// (`Some`), or clears it once a quote through Azure succeeds (`None`); a customer never read
    /// is left as it is.
    async fn record_change_refused(&self, customer_id: &str, refused: Option<&SourceError>) -> StoreResult<()>;
    /// Keeps what Microsoft Graph (or a consent the desk made) last told of the desk's directory
    /// reads in the customer's tenant, replacing what was kept unless that is newer (by `at`: a
    /// read's word written after a consent run's is not the last); a customer never read is left
    /// as it is.
    async fn record_directory(&self, customer_id: &str, access: &contract::source::DirectoryAccess) -> StoreResult<()>;
    /// Azure's count of the customer's refunds as it last answered, if it ever did.
    async fn refund_standing(&self, customer_id: &str) -> StoreResult<Option<contract::AzureRefundStanding>>;
    /// Starts consent run `run`, in one transaction: each tenant is claimed for it (`pending`),
    /// unless another run holds that tenant's claim (`pending` or `sending`) or consented it
    /// (`consented`, `alreadyConsented`, `renewed`) after `stale_before`; then it is `elsewhere`, naming
    /// that run. A claim updated before `stale_before` is abandoned first (`failed`, its
    /// outcome unknown).
    async fn start_consent_run(&self, run: &NewConsentRun, stale_before: DateTime<Utc>) -> StoreResult<()>;
    /// The run with each tenant as it stands, in the run's order; `None` when there is none.
    async fn consent_run(&self, id: &str) -> StoreResult<Option<contract::source::ConsentRun>>;
    /// Marks the tenant's consent `sending` at `at` (its request about to go); `false` when the
    /// run no longer holds its claim (nothing is to be sent).
    async fn consent_sending(&self, run_id: &str, customer_id: &str, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Writes the tenant's `outcome` and its `audit` entry, in one transaction, while the run
    /// holds its claim; `false` when it no longer does (nothing is written).
    async fn finish_consent(
        &self,
        run_id: &str,
        customer_id: &str,
        outcome: &ConsentOutcome,
        at: DateTime<Utc>,
        audit: &contract::AuditEntry,
    ) -> StoreResult<bool>;
}

/// Azure's count of a customer's refunds: `consumed` of `max`, answered at `at`; the headroom
/// never negative.
pub fn standing(consumed: quote_engine::Money, max: quote_engine::Money, at: DateTime<Utc>) -> contract::AzureRefundStanding {
    let headroom = quote_engine::Money::new((max.amount - consumed.amount).max(rust_decimal::Decimal::ZERO), max.currency);
    contract::AzureRefundStanding { consumed_refunds_total: consumed, max_refund_limit: max, headroom, read_at: instant_text(at) }
}

/// The status a failed read leaves: the last read's time kept, the error set.
pub fn failed(previous: Option<SourceStatus>, customer_id: &str, tenant_id: &str, error: &SourceError) -> SourceStatus {
    let (read_at, unread, change_refused, directory) = previous.map(|p| (p.read_at, p.unread, p.change_refused, p.directory)).unwrap_or_default();
    SourceStatus {
        directory,
        customer_id: customer_id.to_owned(),
        tenant_id: tenant_id.to_owned(),
        read_at,
        error: Some(error.clone()),
        stale: true,
        unread,
        change_refused,
    }
}

/// The status a successful read leaves (`change_refused` and `directory` as they were: a read of
/// reservations does not tell).
pub fn read(snapshot: &CustomerSnapshot, change_refused: Option<SourceError>, directory: Option<contract::source::DirectoryAccess>) -> SourceStatus {
    SourceStatus {
        change_refused,
        directory,
        customer_id: snapshot.customer.id.clone(),
        tenant_id: snapshot.tenant_id.clone(),
        read_at: Some(instant_text(snapshot.read_at)),
        error: None,
        stale: false,
        unread: snapshot.unread.clone(),
    }
}

/// `status` with `stale` set as of `now` for a refresh every `interval`: stale when the last
/// read failed, there was none, or it is older than twice the interval (one missed refresh is
/// not yet stale; two are).
pub fn as_of(mut status: SourceStatus, now: DateTime<Utc>, interval: std::time::Duration) -> SourceStatus {
    let read_at = status.read_at.as_deref().and_then(|at| DateTime::parse_from_rfc3339(at).ok()).map(|at| at.with_timezone(&Utc));
    let limit = chrono::TimeDelta::from_std(interval.saturating_mul(2)).unwrap_or(chrono::TimeDelta::MAX);
    status.stale = status.error.is_some() || read_at.is_none_or(|at| now - at > limit);
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn stale_when_the_last_read_failed_never_was_or_is_older_than_two_intervals() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let status = |read_at: Option<&str>, error: bool| SourceStatus {
            customer_id: "c".into(),
            tenant_id: "t".into(),
            read_at: read_at.map(str::to_owned),
            error: error.then(|| SourceError { code: "Timeout".into(), message: "m".into(), status: None, at: "2026-11-25T10:00:00Z".into(), request: Default::default() }),
            stale: false,
            unread: Vec::new(),
            change_refused: None,
            directory: None,
        };
        let every = Duration::from_secs(15 * 60);
        let read = Some("2026-11-25T10:00:00Z");
        assert!(!as_of(status(read, false), at("2026-11-25T10:30:00Z"), every).stale, "two intervals: not yet");
        assert!(as_of(status(read, false), at("2026-11-25T10:30:01Z"), every).stale, "past two intervals");
        assert!(as_of(status(read, true), at("2026-11-25T10:00:01Z"), every).stale, "the last read failed");
        assert!(as_of(status(None, false), at("2026-11-25T10:00:01Z"), every).stale, "never read");
        assert!(!as_of(status(read, false), at("2026-11-25T09:59:00Z"), every).stale, "a clock behind the read's");
    }
}

/// The behaviour every [`SourceStore`] shows (feature `suite`): run by the memory store's tests
/// and each SQL store's.
#[cfg(feature = "suite")]
pub mod check {
    use super::*;
    use crate::store::Store;

    fn reservation(id: &str, customer: &str, quantity: u32) -> Stored {
        let r: contract::Reservation = serde_json::from_value(serde_json::json!({
            "id": id, "reservationOrderId": "o-azure", "customerId": customer, "displayName": id,
            "skuName": "Standard_D2s_v3", "location": "westeurope", "reservedResourceType": "VirtualMachines",
            "quantity": quantity, "term": "P1Y", "billingPlan": "Upfront", "purchaseDate": "2026-01-10", "expiryDate": "2027-01-10",
            "unitPrice": {"amount": "0", "currencyCode": "USD"}, "appliedScopeType": "Shared",
            "provisioningState": "Succeeded", "renew": false,
            "utilization": {"last1Day": "0", "last7Days": "0", "last30Days": "0"}
        }))
        .expect("a reservation");
        (r, desk_service::utilization::UsageProfile { level: Some(57), read: None })
    }

    /// A snapshot replaces the customer's reservations and marks it read; a failure keeps them
    /// and says why; a customer first seen failing is listed with its reason.
    pub async fn snapshots_replace_and_failures_keep<S: Store + SourceStore>(store: &S) {
        let at = DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z").unwrap().with_timezone(&Utc);
        let customer = Customer { id: "c-azure".into(), name: "Azure Customer".into(), domain: "azurecustomer.onmicrosoft.com".into(), reservation_count: 0 };
        let first = CustomerSnapshot {
            customer: customer.clone(),
            tenant_id: "t-azure".into(),
            reservations: vec![reservation("r-a1", "c-azure", 2), reservation("r-a2", "c-azure", 1)],
            read_at: at,
            unread: Vec::new(),
        };
        store.write_snapshot(&first).await.unwrap();
        let listed = store.customer("c-azure").await.unwrap().expect("listed");
        assert_eq!((listed.name.as_str(), listed.reservation_count), ("Azure Customer", 2));
        let status = store.source_status("c-azure").await.unwrap().expect("a status");
        assert_eq!((status.read_at.as_deref(), status.error.as_ref(), status.tenant_id.as_str()), (Some("2026-11-25T10:00:00Z"), None, "t-azure"));
        let usage = store.reservations_of("c-azure").await.unwrap().into_iter().find(|(r, _)| r.id == "r-a1").unwrap().1;
        assert_eq!(usage.level, Some(57));

        let renamed = Customer { name: "Azure Customer Ltd".into(), ..customer.clone() };
        let mut unpriced = reservation("r-a2", "c-azure", 3);
        let why = contract::source::PriceUnknown { code: "AuthorizationFailed".into(), message: "no role on the order".into() };
        unpriced.0.price_unknown = Some(why.clone());
        let unread = vec![contract::source::UnreadReservation {
            id: "/providers/microsoft.capacity/reservationOrders/o-azure/reservations/r-a3".into(),
            display_name: Some("vm three".into()),
            code: "QuantityUnknown".into(),
            message: "Azure gave no quantity.".into(),
        }];
        let second =
            CustomerSnapshot { customer: renamed, reservations: vec![unpriced], read_at: at + chrono::TimeDelta::minutes(5), unread: unread.clone(), ..first.clone() };
        store.write_snapshot(&second).await.unwrap();
        assert_eq!(store.source_status("c-azure").await.unwrap().unwrap().unread, unread, "what could not be read is listed with why");
        let kept = store.reservations_of("c-azure").await.unwrap();
        assert_eq!(kept.iter().map(|(r, _)| (r.id.as_str(), r.quantity)).collect::<Vec<_>>(), vec![("r-a2", 3)], "a reservation no longer listed goes");
        assert_eq!(kept[0].0.price_unknown.as_ref(), Some(&why), "why its price is unknown is kept");
        assert_eq!(store.customer("c-azure").await.unwrap().unwrap().name, "Azure Customer Ltd");
        assert_eq!(store.unpriced_counts().await.unwrap(), vec![("c-azure".to_owned(), 1)], "the reservation without a price is counted");

        let request = contract::source::AzureRequestIds {
            client_request_id: Some("5b8c0f5e-desk".into()),
            request_id: Some("a1b2-request".into()),
            correlation_id: Some("c3d4-correlation".into()),
        };
        let error = SourceError { code: "AuthorizationFailed".into(), message: "no GDAP role".into(), status: Some(403), at: "2026-11-25T10:10:00Z".into(), request };
        store.record_read_failure(&customer, "t-azure", &error).await.unwrap();
        let status = store.source_status("c-azure").await.unwrap().unwrap();
        assert_eq!((status.read_at.as_deref(), status.error.as_ref()), (Some("2026-11-25T10:05:00Z"), Some(&error)), "the last read's time and Azure's IDs stay");
        assert_eq!(status.unread, unread, "a failure keeps what the last read could not read");
        assert_eq!(store.reservations_of("c-azure").await.unwrap().len(), 1, "a failure changes no reservation");
        assert_eq!(store.customer("c-azure").await.unwrap().unwrap().name, "Azure Customer Ltd", "a failure keeps the name read");

        let stranger = Customer { id: "c-forbidden".into(), name: "Forbidden".into(), domain: "forbidden.onmicrosoft.com".into(), reservation_count: 0 };
        store.record_read_failure(&stranger, "t-forbidden", &error).await.unwrap();
        assert_eq!(store.customer("c-forbidden").await.unwrap().map(|c| c.reservation_count), Some(0));
        let status = store.source_status("c-forbidden").await.unwrap().unwrap();
        assert_eq!((status.read_at, status.error.map(|e| e.code)), (None, Some("AuthorizationFailed".to_owned())));
        assert_eq!(store.source_status("nobody").await.unwrap(), None);
        let mut all = store.source_statuses().await.unwrap();
        all.sort_by(|a, b| a.customer_id.cmp(&b.customer_id));
        assert_eq!(all, vec![store.source_status("c-azure").await.unwrap().unwrap(), store.source_status("c-forbidden").await.unwrap().unwrap()], "each status, read at once");

        let back = store.write_snapshot(&CustomerSnapshot { reservations: vec![], read_at: at + chrono::TimeDelta::minutes(20), ..first }).await;
        back.unwrap();
        let status = store.source_status("c-azure").await.unwrap().unwrap();
        assert_eq!((status.error, status.unread), (None, Vec::new()), "a read that succeeds clears the error and the unread");

        // Azure's count of the customer's refunds: kept exactly, the last one replacing the one
        // before, the headroom never negative.
        assert_eq!(store.refund_standing("c-azure").await.unwrap(), None);
        let usd = |text: &str| quote_engine::Money::new(text.parse().unwrap(), quote_engine::Currency::USD);
        let first = standing(usd("1200.10"), usd("50000"), at);
        store.record_refund_standing("c-azure", &first).await.unwrap();
        assert_eq!(store.refund_standing("c-azure").await.unwrap(), Some(first.clone()));
        assert_eq!(first.headroom, usd("48799.90"));
        let over = standing(usd("50000.01"), usd("50000"), at + chrono::TimeDelta::minutes(30));
        store.record_refund_standing("c-azure", &over).await.unwrap();
        let kept = store.refund_standing("c-azure").await.unwrap().unwrap();
        assert_eq!((kept.consumed_refunds_total, kept.headroom, kept.read_at.as_str()), (usd("50000.01"), usd("0"), "2026-11-25T10:30:00Z"));
        assert_eq!(store.refund_standing("c-forbidden").await.unwrap(), None, "per customer");
    }

    fn new_run(id: &str, at: DateTime<Utc>, customers: &[&str]) -> NewConsentRun {
        NewConsentRun {
            id: id.into(),
            requested_by: "gina.admin@partner.example".into(),
            requested_at: at,
            tenants: customers
                .iter()
                .map(|c| NewTenantConsent { customer_id: (*c).into(), name: format!("Company {c}"), tenant_id: format!("t-{c}"), client_request_id: format!("{id}-{c}") })
                .collect(),
        }
    }

    fn entry(customer: &str, change: &str) -> contract::AuditEntry {
        contract::AuditEntry {
            time: "2026-11-25T10:00:01Z".into(),
            actor: "gina.admin@partner.example".into(),
            actor_id: Some("oid-gina".into()),
            actor_name: Some("Gina".into()),
            action: contract::AuditAction::ConsentApplication.code().into(),
            target: format!("customers/{customer}/applicationConsents"),
            customer_id: Some(customer.into()),
            change: change.into(),
            ledger: Vec::new(),
            ticket_reference: None,
            detail: None,
        }
    }

    /// A tenant's consent is claimed by one run at a time: a second run started while the first
    /// holds it records it `elsewhere` (and never sends); the outcome and its audit entry are
    /// written together, only by the run holding the claim; a claim its server abandoned is
    /// taken over once it is older than the claim's life.
    pub async fn consent_claims_hold_once_per_tenant<S: Store + SourceStore>(store: &S) {
        use contract::source::ConsentState::*;
        let at = DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z").unwrap().with_timezone(&Utc);
        let stale = at - CONSENT_CLAIM_LASTS;
        store.start_consent_run(&new_run("run-1", at, &["c1", "c2"]), stale).await.unwrap();
        store.start_consent_run(&new_run("run-2", at, &["c2", "c3"]), stale).await.unwrap();
        let one = store.consent_run("run-1").await.unwrap().expect("run 1");
        let two = store.consent_run("run-2").await.unwrap().expect("run 2");
        let states = |run: &contract::source::ConsentRun| run.tenants.iter().map(|t| (t.customer_id.clone(), t.state)).collect::<Vec<_>>();
        assert_eq!(states(&one), vec![("c1".to_owned(), Pending), ("c2".to_owned(), Pending)]);
        assert_eq!(states(&two), vec![("c2".to_owned(), Elsewhere), ("c3".to_owned(), Pending)], "c2 is run 1's");
        assert_eq!((two.tenants[0].other_run.as_deref(), two.finished, two.done, two.total), (Some("run-1"), 1, false, 2));
        assert_eq!((one.requested_by.as_str(), one.requested_at.as_str()), ("gina.admin@partner.example", "2026-11-25T10:00:00Z"));
        assert_eq!(one.tenants[0].request.client_request_id.as_deref(), Some("run-1-c1"), "the request ID kept for every try");
        assert!(!store.consent_sending("run-2", "c2", at).await.unwrap(), "run 2 holds no claim on c2");
        assert!(store.consent_sending("run-1", "c2", at).await.unwrap());

        let audit_before = store.audit(None, 500).await.unwrap().len();
        let consented = ConsentOutcome {
            state: Consented,
            status: Some(201),
            code: None,
            message: None,
            request: contract::source::AzureRequestIds { client_request_id: Some("run-1-c2".into()), request_id: Some("pc-1".into()), correlation_id: Some("corr-1".into()) },
        };
        let later = at + chrono::TimeDelta::seconds(1);
        assert!(!store.finish_consent("run-2", "c2", &consented, later, &entry("c2", "not this run's")).await.unwrap(), "nothing written without the claim");
        assert!(store.finish_consent("run-1", "c2", &consented, later, &entry("c2", "consented")).await.unwrap());
        assert!(!store.finish_consent("run-1", "c2", &consented, later, &entry("c2", "twice")).await.unwrap(), "an outcome is written once");
        let audit = store.audit(None, 500).await.unwrap();
        assert_eq!(audit.len(), audit_before + 1, "one entry, with the outcome");
        assert!(audit.iter().any(|e| e.change == "consented" && e.action == "consentApplication"));
        let one = store.consent_run("run-1").await.unwrap().unwrap();
        let c2 = &one.tenants[1];
        assert_eq!((c2.state, c2.status, c2.finished_at.as_deref(), c2.request.request_id.as_deref()), (Consented, Some(201), Some("2026-11-25T10:00:01Z"), Some("pc-1")));
        assert_eq!((one.finished, one.done), (1, false));

        // A third run at once: c1 is still pending in run 1, c2 was consented there a moment
        // ago; both are run 1's. Past the claim's life, c1's claim is abandoned and taken over,
        // and c2 may be asked again (e.g. after the customer removed the app).
        store.start_consent_run(&new_run("run-3", later, &["c1", "c2"]), later - CONSENT_CLAIM_LASTS).await.unwrap();
        let three = store.consent_run("run-3").await.unwrap().unwrap();
        assert_eq!(states(&three), vec![("c1".to_owned(), Elsewhere), ("c2".to_owned(), Elsewhere)]);
        assert_eq!(three.tenants[1].other_run.as_deref(), Some("run-1"), "consented there just now");
        let much_later = at + CONSENT_CLAIM_LASTS + chrono::TimeDelta::seconds(5);
        store.start_consent_run(&new_run("run-4", much_later, &["c1", "c2"]), much_later - CONSENT_CLAIM_LASTS).await.unwrap();
        assert_eq!(states(&store.consent_run("run-4").await.unwrap().unwrap()), vec![("c1".to_owned(), Pending), ("c2".to_owned(), Pending)], "an abandoned claim is taken over");
        let one = store.consent_run("run-1").await.unwrap().unwrap();
        assert_eq!((one.tenants[0].state, one.tenants[0].code.as_deref(), one.done), (Failed, Some("Abandoned"), true));
        assert_eq!(store.consent_run("nope").await.unwrap(), None);
    }

    /// What Graph said of a customer's directory is kept whole, replaced by the next word, and
    /// kept through reads of the tenant, failed or not; a customer never read keeps nothing.
    pub async fn directory_words_are_kept_through_reads<S: SourceStore>(store: &S) {
        use contract::source::{DirectoryAccess, DirectoryState};
        let at = DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z").unwrap().with_timezone(&Utc);
        let customer = Customer { id: "c-dir".into(), name: "Directory".into(), domain: "dir.onmicrosoft.com".into(), reservation_count: 0 };
        let snapshot = CustomerSnapshot { customer: customer.clone(), tenant_id: "t-dir".into(), reservations: vec![], read_at: at, unread: vec![] };
        store.write_snapshot(&snapshot).await.unwrap();
        assert_eq!(store.source_status("c-dir").await.unwrap().unwrap().directory, None, "unknown until told");
        let refusal = SourceError {
            code: "invalid_grant".into(),
            message: "AADSTS65001: The user or administrator has not consented to use the application with ID 'desk'.".into(),
            status: Some(400),
            at: "2026-11-25T10:01:00Z".into(),
            request: contract::source::AzureRequestIds { client_request_id: Some("desk-9".into()), request_id: None, correlation_id: Some("corr-9".into()) },
        };
        let refused = DirectoryAccess { state: DirectoryState::NotConsented, at: "2026-11-25T10:01:00Z".into(), error: Some(refusal.clone()) };
        store.record_directory("c-dir", &refused).await.unwrap();
        assert_eq!(store.source_status("c-dir").await.unwrap().unwrap().directory.as_ref(), Some(&refused), "kept whole");
        store.write_snapshot(&CustomerSnapshot { read_at: at + chrono::TimeDelta::minutes(15), ..snapshot.clone() }).await.unwrap();
        assert_eq!(store.source_status("c-dir").await.unwrap().unwrap().directory.as_ref(), Some(&refused), "a read of reservations does not tell");
        store.record_read_failure(&customer, "t-dir", &SourceError { code: "Timeout".into(), ..refusal }).await.unwrap();
        assert_eq!(store.source_status("c-dir").await.unwrap().unwrap().directory.as_ref(), Some(&refused), "nor does a failed read");
        let answered = DirectoryAccess { state: DirectoryState::Answered, at: "2026-11-25T10:31:00Z".into(), error: None };
        store.record_directory("c-dir", &answered).await.unwrap();
        let all = store.source_statuses().await.unwrap();
        assert_eq!(all.iter().find(|s| s.customer_id == "c-dir").and_then(|s| s.directory.as_ref()), Some(&answered), "replaced, in the list too");
        let older = DirectoryAccess { state: DirectoryState::NotConsented, at: "2026-11-25T10:30:59Z".into(), error: None };
        store.record_directory("c-dir", &older).await.unwrap();
        assert_eq!(store.source_status("c-dir").await.unwrap().unwrap().directory.as_ref(), Some(&answered), "an older word, written late, is not the last");
        store.record_directory("c-never", &answered).await.unwrap();
        assert_eq!(store.source_status("c-never").await.unwrap(), None, "a customer never read is left as it is");
    }
}
