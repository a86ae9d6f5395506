//! Azure mode: how fresh a customer's data read from Azure is
//! (`GET /api/source/customers/{customerId}`), how a read of the whole book goes
//! (`POST /api/source/refresh`, `GET /api/source/reads/{readId}`), and the desk's connection for
//! unattended reads (`/api/source/connection`).

use serde::{Deserialize, Serialize};

/// When a customer was last read from Azure, and why the last read failed if it did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SourceStatus {
    /// The customer.
    pub customer_id: String,
    /// The customer's tenant, where its reservations are read.
    pub tenant_id: String,
    /// When its reservations were last read whole (RFC 3339, UTC); absent before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<String>,
    /// Why the last read failed; absent when it succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<SourceError>,
    /// Whether what the desk shows of this customer is stale: the last read failed, there was
    /// none, or it is older than twice the refresh interval (the server decides, by its clock).
    /// The views stay readable; the console holds refunds and exchanges while the last read
    /// failed.
    #[serde(default)]
    pub stale: bool,
    /// The reservations of the last read that could not be read, each with why (the others
    /// were read).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<UnreadReservation>,
    /// Why Azure last refused to quote a refund or an exchange in the customer's tenant though
    /// its reservations read (ARM's 403: the user may read there but not change); absent once a
    /// quote through Azure succeeds again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_refused: Option<SourceError>,
    /// What the customer's directory (Microsoft Graph) last told of the desk's reads there: the
    /// people picker and the names in Access control need Graph's directory reads, which only
    /// an application consent made with Graph's grant gives. Absent before Graph was asked, and
    /// before the desk made a consent there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<DirectoryAccess>,
}

/// What the customer's directory (Microsoft Graph) last told of the desk's directory reads in
/// its tenant, and when. Partner Center cannot be asked what a consent grants (it documents no
/// read of `applicationconsents`): the desk knows it from the consents it made and from Graph's
/// answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DirectoryAccess {
    /// What Graph (or the desk's consent) said.
    pub state: DirectoryState,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Graph's (or Entra ID's) refusal, for `notConsented` and `notAllowed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<SourceError>,
}

/// Whether the desk can read the customer's directory through Microsoft Graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum DirectoryState {
    /// Graph answered a directory read on behalf of a partner user.
    Answered,
    /// The desk made the application consent with Graph's grant; Graph was not asked since.
    Granted,
    /// Entra ID refused Graph's token there (`AADSTS65001`, `consent_required`): the desk's
    /// application consent in the tenant predates Graph's grant. Renewing it fixes that.
    NotConsented,
    /// Graph refused the read (403): the consent lacks a directory permission, or the partner's
    /// user may not read the directory (GDAP's Directory Readers role).
    NotAllowed,
}

/// A read that failed, as Azure answered it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SourceError {
    /// Azure's code (`AuthorizationFailed`, `invalid_grant`, …), or the desk's (`Timeout`,
    /// `Unreachable`, `Throttled`, …).
    pub code: String,
    /// Azure's message, in English.
    pub message: String,
    /// The HTTP status Azure answered, if it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The IDs Microsoft's support asks for, as the failed call carried them.
    #[serde(flatten)]
    pub request: AzureRequestIds,
}

/// The IDs of one call to Azure that Microsoft's support can trace: the one the desk sent
/// (ARM's `x-ms-client-request-id`, Partner Center's `MS-RequestId`; one per logical call,
/// the same on each retry) and the ones Azure answered with (ARM's `x-ms-request-id` and
/// `x-ms-correlation-request-id`, Partner Center's `MS-RequestId` and `MS-CorrelationId`).
/// Each is absent when the call did not carry it (no answer came, or Azure sent none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AzureRequestIds {
    /// The ID the desk sent with the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    /// Azure's ID of the request (`x-ms-request-id`, Partner Center's `MS-RequestId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Azure's correlation ID (`x-ms-correlation-request-id`, Partner Center's `MS-CorrelationId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

impl AzureRequestIds {
    /// Whether no ID is known.
    pub fn is_empty(&self) -> bool {
        self.client_request_id.is_none() && self.request_id.is_none() && self.correlation_id.is_none()
    }
}

impl std::fmt::Display for AzureRequestIds {
    /// `client request ID …, request ID …, correlation ID …`, the known ones, for a log line or
    /// an audit entry.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts = [("client request ID", &self.client_request_id), ("request ID", &self.request_id), ("correlation ID", &self.correlation_id)];
        let mut first = true;
        for (name, value) in parts {
            if let Some(v) = value {
                write!(f, "{}{name} {v}", if first { "" } else { ", " })?;
                first = false;
            }
        }
        Ok(())
    }
}

/// A reservation Azure listed that the desk could not read: its ID as Azure gave it (empty when
/// it gave none), its name if it had one, and why. The rest of the customer is read; nothing
/// is quoted or changed on this one until Azure answers it readably.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UnreadReservation {
    /// ARM's ID of the reservation, as listed.
    pub id: String,
    /// Its display name, when Azure gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The desk's code: `UnreadableReservation` (not the shape the specification gives),
    /// `QuantityUnknown`, `ProvisioningStateUnknown`, `TermUnknown`, `BillingPlanUnknown`,
    /// `PurchaseDateUnknown`, `ExpiryUnknown`.
    pub code: String,
    /// What is missing or wrong, in English.
    pub message: String,
}

/// Why a reservation read from Azure has no price: its order (`GET …/reservationOrders/{id}`)
/// could not be read, or carries no plan information the desk can derive a unit price from.
/// Its `unitPrice` is then zero and stands for nothing: the desk quotes no refund or exchange
/// on it (`priceUnknown`), rather than a refund of zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PriceUnknown {
    /// Azure's code (`AuthorizationFailed`, …), or the desk's: `NoPlanInformation`,
    /// `NoOriginalQuantity`, `BillingTotalUnknown`, `UnreadableAnswer`, `Timeout`, ….
    pub code: String,
    /// Azure's message, or the desk's, in English.
    pub message: String,
}

/// Azure mode: today's price of a reservation's SKU, region, term and billing plan as Azure
/// answers it for the customer (ARM's `calculatePrice` of one unit), which the lower-price refund
/// rule compares with the purchase price; or why Azure gave none, in which case the reservation
/// is refunded at its purchase price and the desk says so. Absent in local mode (the demo
/// catalog's price is today's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "kind")]
pub enum TodayPrice {
    /// Azure's price of one unit for the whole term, in the reservation's billing currency.
    Azure {
        /// The price.
        unit_price: quote_engine::Money,
        /// When Azure answered it (RFC 3339).
        priced_at: String,
        /// The customer's subscription `calculatePrice` was billed to (a GUID). Absent from a
        /// price kept from before the desk said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subscription_id: Option<String>,
        /// Why that subscription. Absent from a price kept from before the desk said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        priced_under: Option<PricedUnder>,
    },
    /// Azure gave no price today.
    Unknown {
        /// Azure's code (`AuthorizationFailed`, …) or the desk's (`OtherCurrency`, `NoSubscription`).
        code: String,
        /// Azure's message, or the desk's, in English.
        message: String,
    },
}

/// Which of the customer's subscriptions today's price was asked under, and why that one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum PricedUnder {
    /// The subscription ARM names the reservation billed to (its `billingScopeId`).
    BillingSubscription,
    /// The subscription of its single scope (ARM named no billing subscription).
    SingleScope,
    /// ARM names neither (a shared reservation; `billingScopeId` is optional and Microsoft's own
    /// list example has none): one of the customer's active subscriptions, the first by ID. A
    /// CSP customer's subscriptions all bill to its Azure plan, so the price does not depend on
    /// which.
    CustomersSubscription,
}

/// A customer's readiness for Azure mode (`GET /api/source/readiness`): whether its tenant was
/// read, and when not, why and what fixes it. Decided once, in the service layer
/// (`desk_service::readiness`), from the customer's last read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerReadiness {
    /// The customer (Partner Center's ID).
    pub customer_id: String,
    /// Its company name.
    pub name: String,
    /// Its domain.
    pub domain: String,
    /// Its tenant, where its reservations are read; absent when it was never read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Ready, read but not quotable, not read, or never tried.
    pub state: ReadinessState,
    /// Why the last read failed, by what fixes it (`notRead`); `readOnlyAccess` for a tenant
    /// read whose changes Azure refuses the user (`readNotQuotable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureClass>,
    /// What to do about it; absent when the tenant is ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remedy: Option<Remedy>,
    /// Microsoft's documentation of the remedy, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remedy_link: Option<String>,
    /// Azure's code (or the desk's) of the failed read; for a tenant read but not quotable,
    /// the first unread reservation's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Azure's message with that code, in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The HTTP status Azure answered the failed read with, if it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The reservations the desk holds of the customer (as its last whole read listed them).
    pub reservations: u32,
    /// Reservations Azure listed that could not be read.
    pub unread: u32,
    /// Reservations read without a price the desk can quote on.
    pub unpriced: u32,
    /// When its reservations were last read whole (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<String>,
    /// When the last read failed (RFC 3339, UTC), if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_at: Option<String>,
    /// The customer's GDAP relationship that matters most (the active one reaching Azure that
    /// ends last); absent when Graph listed none for its tenant, or was never read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdap: Option<GdapSummary>,
    /// Why the last read of the partner's GDAP relationships failed (the relationship shown
    /// is then the one read before, if any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdap_error: Option<SourceError>,
    /// What needs doing soon on a tenant that can be read (its GDAP relationship ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<ReadinessWarning>,
    /// What Microsoft Graph last told of the desk's directory reads in the tenant (Access
    /// control's people picker and names); absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<DirectoryAccess>,
    /// Whether a consent run for every tenant that needs one asks this one: its read failed for
    /// want of consent, or Graph is not consented there (the consent is then renewed).
    #[serde(default)]
    pub needs_consent: bool,
}

/// The relationship the readiness table shows for a customer: the active one that reaches
/// Azure and ends last, else the one that ended last, else any (`desk_service::gdap::shown`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GdapSummary {
    /// Graph's ID of the relationship.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Graph's status (`active`, `expired`, …).
    pub status: String,
    /// The day it ends or ended (UTC), when Graph gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<chrono::NaiveDate>,
    /// Whether it extends itself when it ends.
    pub auto_extends: bool,
    /// Whether one of its roles reaches Azure (the desk's reservations need that).
    pub reaches_azure: bool,
}

/// Something to do soon about a tenant the desk can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ReadinessWarning {
    /// The GDAP relationship that reaches Azure ends within 30 days and does not extend itself:
    /// extend it, or set up a new one, in Partner Center before then.
    GdapEndsSoon,
    /// No active GDAP relationship with a role that reaches Azure (it expired, was terminated,
    /// or has no such role): the tenant is read through another path for now; renew the
    /// relationship in Partner Center.
    NoActiveGdapRelationship,
}

/// A customer's state for Azure mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ReadinessState {
    /// Read whole; every reservation it holds can be quoted (none at all included).
    Ready,
    /// Read, but some reservations could not be read or have no price.
    ReadNotQuotable,
    /// The last read failed.
    NotRead,
    /// No read was tried yet.
    NeverTried,
}

/// Why a customer's tenant could not be read, by what fixes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum FailureClass {
    /// The desk's API app is not consented in the customer's tenant (`consent_required`,
    /// `AADSTS65001`, `invalid_grant` from the on-behalf-of exchange).
    ConsentMissing,
    /// The signed-in user has no GDAP role in the customer's tenant that reaches Azure (ARM's
    /// 403 `AuthorizationFailed`: only Admin agents get Azure rights).
    NoAzureRole,
    /// Azure throttled the reads longer than the desk waits.
    Throttled,
    /// Azure could not be reached, did not answer in time, or failed on its side.
    AzureUnreachable,
    /// Anything else: Azure's code and message say what.
    Other,
    /// The tenant reads, but Azure refuses the user a refund or an exchange there (ARM's 403 on
    /// its quote): a B2B guest account in the customer's tenant, or a read-only role
    /// (Reservation Reader), rather than the Admin agent role of the GDAP relationship.
    ReadOnlyAccess,
    /// ARM refused for want of a role, and the partner's GDAP relationship that reached Azure
    /// in this tenant has expired or was terminated (none active reaches Azure).
    GdapRelationshipEnded,
    /// ARM refused for want of a role, and no GDAP relationship with this tenant was ever one
    /// with a role that reaches Azure (or there is none at all).
    NoGdapRelationshipReachingAzure,
}

/// What fixes a customer that is not ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Remedy {
    /// Consent the desk's API app in the customer's tenant.
    ConsentApp,
    /// Give the user's security group the Admin agent role in the customer's GDAP relationship.
    GrantAdminAgentRole,
    /// Read the customer again later.
    ReadAgainLater,
    /// Azure's own message says what: read it.
    SeeAzureMessage,
    /// Open the customer: each reservation that cannot be quoted says why.
    ReviewReservations,
    /// Read Azure now (signed in through the identity provider).
    ReadNow,
    /// Act through the GDAP relationship's Admin agent role, not as a guest user of the
    /// customer's tenant, or have Reservation Administrator assigned there.
    ActAsAdminAgent,
    /// Renew the GDAP relationship (a new one with a role that reaches Azure) in Partner Center.
    RenewGdapRelationship,
}

/// What `POST /api/source/consents` asks: consent the desk's API app in these customers'
/// tenants (`customerIds`), or in every tenant whose last read failed for want of consent
/// (`all: true`). One of the two, never both.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsentRequest {
    /// The customers (Partner Center's IDs), each read from Azure before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customer_ids: Vec<String>,
    /// Every customer whose readiness says it needs consent (`needsConsent`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all: bool,
}

/// One run of consents through Partner Center (`GET /api/source/consents/{consentRunId}`): who
/// asked, and each tenant's outcome as Partner Center answered it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConsentRun {
    /// The run's ID.
    pub id: String,
    /// Who asked (user principal name).
    pub requested_by: String,
    /// When (RFC 3339, UTC).
    pub requested_at: String,
    /// The tenants in the run.
    pub total: u32,
    /// The tenants whose outcome is known (consented, already consented, failed, or in
    /// another run).
    pub finished: u32,
    /// Whether every tenant's outcome is known.
    pub done: bool,
    /// Each tenant, by customer name.
    pub tenants: Vec<TenantConsent>,
}

/// One tenant of a consent run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TenantConsent {
    /// The customer (Partner Center's ID).
    pub customer_id: String,
    /// Its company name.
    pub name: String,
    /// Its tenant.
    pub tenant_id: String,
    /// Where the consent stands.
    pub state: ConsentState,
    /// The HTTP status Partner Center answered, once it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Partner Center's error code, when it refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Partner Center's message, in English, when it refused (or why the desk could not ask).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When the outcome became known (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// The run that carries this tenant's consent, when it is another (`elsewhere`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_run: Option<String>,
    /// The IDs of the call to Partner Center: the `MS-RequestId` the desk sent (the same on
    /// every try: Partner Center's idempotency) and the ones it answered with.
    #[serde(flatten)]
    pub request: AzureRequestIds,
}

/// Where one tenant's consent stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ConsentState {
    /// Waiting for its turn (Partner Center takes at most 50 requests a second per app).
    Pending,
    /// Asked of Partner Center; no answer yet.
    Sending,
    /// Partner Center created the consent (201).
    Consented,
    /// The consent existed already (Partner Center's 409).
    AlreadyConsented,
    /// The consent existed without Microsoft Graph's grant (Graph refused the desk there): it was
    /// deleted and made again with every grant (Partner Center's 409, then DELETE and POST).
    Renewed,
    /// Partner Center refused, or could not be reached: `code` and `message` say why.
    Failed,
    /// Another run was consenting this tenant at the same time: asked once, there.
    Elsewhere,
}

impl ConsentState {
    /// Whether the outcome is known.
    pub fn finished(self) -> bool {
        !matches!(self, ConsentState::Pending | ConsentState::Sending)
    }

    /// The state's code in the store and on the wire.
    pub const fn code(self) -> &'static str {
        match self {
            ConsentState::Pending => "pending",
            ConsentState::Sending => "sending",
            ConsentState::Consented => "consented",
            ConsentState::AlreadyConsented => "alreadyConsented",
            ConsentState::Renewed => "renewed",
            ConsentState::Failed => "failed",
            ConsentState::Elsewhere => "elsewhere",
        }
    }

    /// The state a [`code`](Self::code) names.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Pending, Self::Sending, Self::Consented, Self::AlreadyConsented, Self::Renewed, Self::Failed, Self::Elsewhere].into_iter().find(|s| s.code() == code)
    }
}

/// A read of the partner's whole book from Azure: Partner Center's customers, then each one's
/// reservations (`POST /api/source/refresh` starts one and answers `202` with it; `GET
/// /api/source/reads/{readId}` follows it; `GET /api/source/reads/latest` is the newest). One
/// reads at a time, whichever server of a deployment runs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SourceRead {
    /// The read's ID.
    pub id: String,
    /// Reading, done, failed or abandoned.
    pub state: SourceReadState,
    /// Whether it reads with the stored connection (nobody signed in), rather than on behalf of
    /// a signed-in user.
    pub unattended: bool,
    /// Who it reads for: the signed-in user's name, or the name of the Global admin who
    /// connected the desk.
    pub started_by: String,
    /// When it started (RFC 3339, UTC).
    pub started_at: String,
    /// The customers Partner Center listed; absent until it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// Customers whose reservations were read so far.
    pub read: u32,
    /// Customers whose read failed so far (each says why on its status).
    pub failed: u32,
    /// When it ended (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// Why the book could not be read (`failed`: Partner Center's customers could not be, or
    /// the stored connection no longer works; `abandoned`: its server stopped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<SourceError>,
}

/// Where a read of the book stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum SourceReadState {
    /// Running.
    Reading,
    /// Every customer was tried (some may have failed, each with why).
    Done,
    /// The book could not be read (`error` says why); nothing was written.
    Failed,
    /// Its server stopped before it ended; a later read reads again.
    Abandoned,
}

/// The desk's connection for unattended reads (`GET /api/source/connection`): the refresh token
/// of Partner Center's secure application model, which a Global admin gave by connecting, kept
/// encrypted. Never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AzureConnection {
    /// Not connected, connected, or lost (Entra refused the stored grant: connect again).
    pub state: ConnectionState,
    /// The Global admin who connected the desk, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_by: Option<String>,
    /// When (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_at: Option<String>,
    /// Why Entra refused the stored grant (`lost`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<SourceError>,
    /// Whether the server has a key to keep a refresh token with (`DESK_SECRET_KEY_FILE`):
    /// without one, the desk cannot be connected.
    pub can_connect: bool,
}

/// Where the desk's connection for unattended reads stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ConnectionState {
    /// No Global admin connected the desk: Azure is read only while a signed-in user's token
    /// lasts.
    NotConnected,
    /// Connected: the desk reads Azure by itself, with nobody signed in.
    Connected,
    /// Entra refused the stored grant (revoked, expired, or a new sign-in asked for): unattended
    /// reads stopped until a Global admin connects again.
    Lost,
}
