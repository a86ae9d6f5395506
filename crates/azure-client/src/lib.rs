//! The desk's client of the partner's real Azure: the signed-in partner user's token
//! exchanged on their behalf (OAuth 2.0 on-behalf-of) for Partner Center's, Microsoft Graph's and
//! Azure Resource Manager's, the partner's customers from Partner Center, its GDAP relationships
//! from Graph (`graph.rs`), and in each customer's tenant ARM's
//! reservations and orders (`Microsoft.Capacity`, api-version 2022-11-01), its refunds
//! (`arm_refund.rs`), exchanges (`arm_exchange.rs`) and changes (`arm_changes.rs`), the role
//! assignments on a reservation order (`arm_access.rs`, Microsoft.Authorization 2022-04-01), long-running
//! ones followed (`lro.rs`), Microsoft.Consumption's reservation recommendations of each
//! subscription the user sees (`arm_recommendations.rs`), the savings plans a customer holds
//! (`arm_savings_plans.rs`, Microsoft.BillingBenefits 2022-11-01), IDs checked before they go into a
//! request (`arm_ids.rs`). It
//! only speaks HTTP: paging (`links.next` with `MS-ContinuationToken`, ARM's `nextLink`),
//! `429`/`503` waited out by their `Retry-After`, a timeout per request. Every rule
//! stays in the desk; ARM's JSON is `azure-api`'s types, the same the desk's own Azure surface
//! writes.
//!
//! Time is injected (`Clock`, `Sleep`): the token cache reads the caller's clock, and a
//! `Retry-After: 30` costs a test nothing.
//!
//! Tokens are `secrecy::SecretString` (their `Debug` says `[REDACTED]`), held in memory only,
//! never written anywhere and never put in an error or a log line.

mod arm;
mod arm_access;
mod arm_catalog;
mod arm_changes;
mod arm_exchange;
mod arm_ids;
mod arm_refund;
mod arm_support;
mod arm_orders;
mod arm_recommendations;
mod arm_savings_plans;
mod arm_price;
mod error;
mod graph;
mod graph_directory;
mod graph_billing;
mod http;
mod limits;
mod lro;
mod partner_center;
mod partner_center_purchase;
mod token;
#[cfg(test)]
mod stand_in;
#[cfg(test)]
mod test_json;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
pub use reqwest::Method;
pub use secrecy::{ExposeSecret, SecretString};

pub use arm_access::Assignments;
pub use arm_changes::Changed;
pub use arm_support::Listed;
pub use arm_price::CalculatedPrice;
pub use partner_center_purchase::{azure_plan_of, inventory_check_body, inventory_restrictions, needs_inventory_check, target_view, CatalogItem, Checkout, InventoryQuestion, PartnerOrder, ReservationLine, AZURE_PLAN_PRODUCT};
pub use arm_exchange::{exchanged, CalculatedExchange, ExchangeReturn, Exchanged};
pub use arm_recommendations::{RecommendationsAsked, Subscription};
pub use arm_savings_plans::HeldPlan;
pub use graph_billing::{Exported, GRAPH_BILLING_SCOPE};
pub use graph_directory::{searchable, Answered, Collection, Found, Named, GRAPH_DEFAULT_SCOPE, GRAPH_DIRECTORY_GRANTS, MICROSOFT_GRAPH_APP_ID, MOST_FOUND};
pub use error::{AzureError, AzureRequestIds};
pub use http::Answer;
pub use lro::{Poll, PollKind, Started, Step, MOST_POLLS};
pub use partner_center::{Consented, PartnerCustomer, AZURE_SERVICE_MANAGEMENT_APP_ID};
pub use limits::Limits;
pub use token::{consent_missing, grant_lost, Reader, StoredGrant, TokenCache};

/// ARM's scope for a token on behalf of a user.
pub const ARM_SCOPE: &str = "https://management.azure.com/user_impersonation";
/// Partner Center's scope for a token on behalf of a user.
pub const PARTNER_CENTER_SCOPE: &str = "https://api.partnercenter.microsoft.com/user_impersonation";
/// Microsoft Graph's scope for reading the partner's GDAP relationships on behalf of a user
/// (a delegated permission the desk's API app needs, consented in the partner's tenant).
pub const GRAPH_GDAP_SCOPE: &str = "https://graph.microsoft.com/DelegatedAdminRelationship.Read.All";
/// The api-version of `Microsoft.Capacity` (the only one).
pub const CAPACITY_API_VERSION: &str = "2022-11-01";

/// The instant now, as the adapter reads it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;
/// Waits `Duration` (tokio's sleep in the server; tests record the wait and return at once).
pub type Sleep = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Where Azure is, and who the desk is there.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The token endpoint with `{tenantId}` in it, e.g.
    /// `https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token`.
    pub token_url: String,
    /// ARM's base, e.g. `https://management.azure.com`.
    pub arm_url: String,
    /// Partner Center's base, e.g. `https://api.partnercenter.microsoft.com`.
    pub partner_center_url: String,
    /// Microsoft Graph's base, e.g. `https://graph.microsoft.com`.
    pub graph_url: String,
    /// The confidential client (the desk's API app) that asks for tokens on behalf of users.
    pub client_id: String,
    /// Its secret (`Debug` redacted).
    pub client_secret: SecretString,
    /// How long one request may take.
    pub timeout: Duration,
    /// How many times a `429` or `503` is waited out before it counts as the answer.
    pub retries: u32,
    /// The longest `Retry-After` waited; a longer one is the answer at once.
    pub longest_wait: Duration,
}

impl Settings {
    /// Microsoft's public endpoints.
    pub fn microsoft(client_id: String, client_secret: SecretString) -> Self {
        Self {
            token_url: "https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token".into(),
            arm_url: "https://management.azure.com".into(),
            partner_center_url: "https://api.partnercenter.microsoft.com".into(),
            graph_url: "https://graph.microsoft.com".into(),
            client_id,
            client_secret,
            timeout: Duration::from_secs(30),
            retries: 3,
            longest_wait: Duration::from_secs(120),
        }
    }

    /// The longest one change can take to be sent, at worst: its token asked for and the
    /// request itself, each with every try timing out and every allowed wait waited.
    pub fn longest_request(&self) -> Duration {
        let one = self.timeout * (self.retries + 1) + self.longest_wait * self.retries;
        one * 2
    }
}

/// The signed-in user on whose behalf Azure is asked: their ID (`oid`, the token cache's key)
/// and the access token they signed in to the desk with (the on-behalf-of assertion).
#[derive(Clone, Debug)]
pub struct OnBehalfOf {
    /// Entra ID's `oid` of the user.
    pub user: String,
    /// The user's access token for the desk's API.
    pub assertion: Arc<SecretString>,
}

/// The client: one per server, shared by every read.
#[derive(Clone)]
pub struct AzureClient {
    settings: Arc<Settings>,
    http: reqwest::Client,
    clock: Clock,
    sleep: Sleep,
    tokens: Arc<TokenCache>,
    gates: Arc<limits::Gates>,
}

impl AzureClient {
    /// A client with its own HTTP connection pool, within the default [`Limits`].
    pub fn new(settings: Settings, clock: Clock, sleep: Sleep) -> Result<Self, AzureError> {
        Self::with_limits(settings, clock, sleep, Limits::default())
    }

    /// A client with its own HTTP connection pool, its requests in flight within `limits`.
    pub fn with_limits(settings: Settings, clock: Clock, sleep: Sleep, limits: Limits) -> Result<Self, AzureError> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            // Idle connections kept per host: one for each request that may be in flight.
            .pool_max_idle_per_host(limits.in_flight)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| AzureError::local(format!("the HTTP client cannot be built: {e}")))?;
        Ok(Self { settings: Arc::new(settings), http, clock, sleep, tokens: Arc::default(), gates: Arc::new(limits::Gates::new(limits)) })
    }

    /// The bounds on requests in flight.
    pub fn limits(&self) -> Limits {
        self.gates.limits()
    }

    /// The most requests that were in flight at once since the client was built.
    pub fn peak_in_flight(&self) -> usize {
        self.gates.peak()
    }

    /// tokio's sleep, for the server.
    pub fn tokio_sleep() -> Sleep {
        Arc::new(|d| Box::pin(tokio::time::sleep(d)))
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// A token for `scope` in `tenant` on behalf of `user`, from the cache while it lasts.
    pub async fn token(&self, user: &OnBehalfOf, tenant: &str, scope: &str) -> Result<Arc<SecretString>, AzureError> {
        token::on_behalf_of(self, user, tenant, scope).await
    }

    /// A token for `scope` in `tenant` for `reader` (a signed-in user, or the stored grant).
    pub async fn token_for(&self, reader: &Reader, tenant: &str, scope: &str) -> Result<Arc<SecretString>, AzureError> {
        token::for_reader(self, reader, tenant, scope).await
    }

    /// Connects the desk for unattended reads: `user` (a Global admin, signed in) exchanged on
    /// their behalf in `partner_tenant` with `offline_access`; the refresh token to store.
    pub async fn connect(&self, user: &OnBehalfOf, partner_tenant: &str) -> Result<SecretString, AzureError> {
        token::connect(self, user, partner_tenant).await
    }

    /// Every customer of the partner, from Partner Center at `partner_tenant`, page after page.
    pub async fn customers(&self, user: &Reader, partner_tenant: &str) -> Result<Vec<PartnerCustomer>, AzureError> {
        partner_center::customers(self, user, partner_tenant).await
    }

    /// Consents the desk's API app (`Settings::client_id`) in `customer_id`'s tenant through
    /// Partner Center, on behalf of `user` in the partner's tenant, with `request_id` as the
    /// call's `MS-RequestId`: created, or existing already (409); with Partner Center's IDs.
    pub async fn consent_application(
        &self,
        user: &OnBehalfOf,
        partner_tenant: &str,
        customer_id: &str,
        request_id: &str,
    ) -> Result<(Consented, AzureRequestIds), AzureError> {
        partner_center::consent(self, user, partner_tenant, customer_id, request_id).await
    }

    /// Deletes the desk's API app's consent in `customer_id`'s tenant through Partner Center, so
    /// that it can be made again with every grant (Learn's secure application model does this
    /// to update a consent's grants: Partner Center offers no change of one); the call's
    /// `MS-RequestId` is `request_id`. A consent already gone (404) is deleted too.
    pub async fn delete_application_consent(
        &self,
        user: &OnBehalfOf,
        partner_tenant: &str,
        customer_id: &str,
        request_id: &str,
    ) -> Result<AzureRequestIds, AzureError> {
        partner_center::delete_consent(self, user, partner_tenant, customer_id, request_id).await
    }

    /// Every GDAP relationship of the partner (Microsoft Graph, in `partner_tenant`), page after
    /// page; each listed item that could not be read is logged and left out.
    pub async fn gdap_relationships(&self, user: &Reader, partner_tenant: &str) -> Result<Vec<contract::gdap::GdapRelationship>, AzureError> {
        graph::relationships(self, user, partner_tenant).await
    }

    /// A billed invoice's reconciliation lines, exported by Microsoft Graph on behalf of `user`
    /// in `partner_tenant` (`graph_billing.rs`): every file of the export's manifest.
    pub async fn billed_reconciliation(&self, user: &Reader, partner_tenant: &str, invoice_id: &str) -> Result<Exported, AzureError> {
        graph_billing::billed_reconciliation(self, user, partner_tenant, invoice_id).await
    }

    /// Every reservation the user sees in `tenant`, from ARM, page after page: each read as the
    /// specification types it, or why it could not be.
    pub async fn reservations(
        &self, user: &Reader, tenant: &str,
    ) -> Result<Vec<Result<azure_api::read::ReservationRead, azure_api::read::Unread>>, AzureError> {
        arm::reservations(self, user, tenant).await
    }

    /// The reservation order `order_id` in `tenant`, with its plan information (the price of its
    /// reservations: `azure_api::order_price`).
    pub async fn reservation_order(&self, user: &Reader, tenant: &str, order_id: &str) -> Result<azure_api::order_price::OrderRead, AzureError> {
        arm_orders::order(self, user, tenant, order_id).await
    }

    /// Every subscription `user` sees in `tenant` (ARM's Subscriptions - List), page after page.
    pub async fn subscriptions(&self, user: &OnBehalfOf, tenant: &str) -> Result<Vec<Subscription>, AzureError> {
        arm_recommendations::subscriptions(self, &Reader::User(user.clone()), tenant).await
    }

    /// Every subscription `reader` (a signed-in user, or the stored grant) sees in `tenant`.
    pub async fn subscriptions_for(&self, reader: &Reader, tenant: &str) -> Result<Vec<Subscription>, AzureError> {
        arm_recommendations::subscriptions(self, reader, tenant).await
    }

    /// Microsoft.Consumption's reservation recommendations seen from subscription
    /// `subscription_id` in `tenant` as `asked` (one scope, look-back and resource type), on
    /// behalf of `user`, page after page: each a recommendation of either kind, or why it is set
    /// aside.
    pub async fn reservation_recommendations(
        &self, user: &OnBehalfOf, tenant: &str, subscription_id: &str, asked: RecommendationsAsked<'_>,
    ) -> Result<Vec<Result<azure_api::consumption::RecommendationRead, azure_api::consumption::Skipped>>, AzureError> {
        arm_recommendations::recommendations(self, user, tenant, subscription_id, asked).await
    }

    /// ARM's catalog of subscription `subscription_id` in `tenant` (of one reserved resource
    /// type and location when named), on behalf of `user`, page after page: one item per SKU
    /// and location, Azure's restrictions kept.
    pub async fn catalog(
        &self, user: &OnBehalfOf, tenant: &str, subscription_id: &str, reserved_resource_type: Option<&str>, location: Option<&str>,
    ) -> Result<Vec<contract::CatalogItem>, AzureError> {
        arm_catalog::catalog(self, user, tenant, subscription_id, reserved_resource_type, location).await
    }

    /// ARM's `calculatePrice` of `purchase` in `tenant` for `reader`: today's price of a SKU a
    /// read found (the lower-price refund rule's), with the stored grant as with a user.
    pub async fn calculate_price_as(&self, reader: &Reader, tenant: &str, purchase: &azure_api::exchange::PurchaseRequest) -> Result<CalculatedPrice, AzureError> {
        arm_catalog::price_for(self, reader, tenant, purchase).await
    }

    /// Forgets the tokens held for `user` (signed out, or their assertion expired).
    pub fn forget(&self, user: &str) {
        self.tokens.forget(user);
    }
}
