//! "Ask Azure first": the port through which the desk asks the system of
//! record before it records a money move. The desk keeps the order of the steps and every rule
//! (permission, session, expiry, recomputation, Azure's refund headroom); an [`Upstream`] only
//! carries a question to Azure and brings its answer back, so it cannot skip a check. [`Local`]
//! asks nothing (local mode, and the in-browser backend, which compiles no HTTP client); the
//! server's Azure mode implements it over `azure-client` (`crates/server/src/source/upstream.rs`).
//!
//! A return through Azure is a stored state machine ([`UpstreamOperation`], the store's
//! `upstream_operations`): `quoted` (Azure's `calculateRefund` answered; its `sessionId` kept) →
//! `asked` (the desk's session claimed, once, in one transaction) → `sent` (Azure accepted the
//! return: its operation URL kept) → `succeeded` (recorded from Azure's answer, in the same
//! transaction as the refund) or `failed` (Azure's error kept, nothing else written).
//! An exchange through Azure (`calculateExchange` → `exchange`) is the same state machine with
//! an [`ExchangeDetail`] (`desk/upstream_exchange.rs`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use contract::{AzureExchangeCheck, AzureRefundCheck};
use quote_engine::api::{ExchangeQuoteResponse, RefundQuoteResponse};
use quote_engine::Money;
use serde::{Deserialize, Serialize};

use crate::store::{ExchangeWrite, PurchaseWrite, ReturnWrite, StoreResult};

/// A signed-in user as Azure is asked on their behalf: their ID and the access token they signed
/// in with (the on-behalf-of assertion). Its `Debug` never shows the token.
#[derive(Clone)]
pub struct OnBehalf {
    /// The user's ID (`oid`).
    pub user_id: String,
    token: Arc<str>,
}

impl OnBehalf {
    /// `user_id` acting with `token`.
    pub fn new(user_id: String, token: &str) -> Self {
        Self { user_id, token: Arc::from(token) }
    }

    /// The token, for the adapter that sends it.
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl fmt::Debug for OnBehalf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnBehalf").field("user_id", &self.user_id).field("token", &"[REDACTED]").finish()
    }
}

/// Why Azure did not answer as hoped: its status (absent when it did not answer at all), its
/// code and message, and how long it asked to wait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpstreamError {
    /// The HTTP status Azure answered; `None` when the request got no answer (then whether Azure
    /// received it is unknown).
    pub status: Option<u16>,
    /// Azure's code, or the client's (`Timeout`, `Unreachable`, …).
    pub code: String,
    /// Azure's message, or the client's.
    pub message: String,
    /// The call's IDs (the desk's, and Azure's when it answered): what Microsoft's support
    /// traces it by.
    /// (Boxed: the error stays small in every `Result`.)
    pub request: Box<contract::source::AzureRequestIds>,
    /// Whether Partner Center answered it (a purchase's steps there), not ARM: who a refusal
    /// names.
    pub partner_center: bool,
}

impl UpstreamError {
    /// Whether Azure answered and refused (a 4xx other than throttling, or a long-running
    /// operation whose status document said `Failed`: a 2xx carrying an error): it did not do it.
    /// A `202` the client could not follow (no operation URL, or one on another host) is not a
    /// refusal: Azure accepted it, so whether it is done is unknown.
    pub fn refused(&self) -> bool {
        self.status.is_some_and(|s| ((200..300).contains(&s) && s != 202) || ((400..500).contains(&s) && s != 429 && s != 408))
    }

    /// The problem the caller sees, `what` saying what Azure did ("refused the return"): Azure's
    /// 401/403 as such (`upstreamForbidden`), another refusal as a conflict (`upstreamRefused`),
    /// no answer, a 5xx or throttling as `upstreamUnavailable` (the server adds `Retry-After`).
    /// The one mapping of Azure's errors, for money moves and other changes alike.
    pub fn problem(&self, what: &str) -> crate::DeskError {
        let detail = format!("{} {what}: {}", self.who(), self.text());
        let code = match self.status {
            Some(401 | 403) => contract::ProblemCode::UpstreamForbidden,
            _ if self.refused() => contract::ProblemCode::UpstreamRefused,
            _ => contract::ProblemCode::UpstreamUnavailable,
        };
        desk_service::ServiceError::new(code, detail).into()
    }

    /// Who answered: `Partner Center` or `Azure` (ARM).
    pub fn who(&self) -> &'static str {
        if self.partner_center {
            "Partner Center"
        } else {
            "Azure"
        }
    }

    /// The error as the operation keeps it, with the call's IDs when it has any.
    pub fn text(&self) -> String {
        let said = match self.status {
            Some(status) => format!("{} (HTTP {status}): {}", self.code, self.message),
            None => format!("{}: {}", self.code, self.message),
        };
        if self.request.is_empty() {
            said
        } else {
            format!("{said} [{}]", self.request)
        }
    }
}

/// Azure's `calculateRefund` answer, as the desk reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureRefund {
    /// The session `return` names.
    pub session_id: String,
    /// Units Azure would return.
    pub quantity: u32,
    /// `billingRefundAmount`.
    pub billing_refund_amount: Money,
    /// `pricingRefundAmount` (USD).
    pub pricing_refund_amount: Money,
    /// `policyResult.properties.consumedRefundsTotal`.
    pub consumed_refunds_total: Money,
    /// `policyResult.properties.maxRefundLimit`.
    pub max_refund_limit: Money,
    /// `policyResult.properties.policyErrors`: (code, message).
    pub policy_errors: Vec<(String, String)>,
}

/// Where Azure's long-running operation is followed (`Location` or `Azure-AsyncOperation`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollAt {
    /// The URL.
    pub url: String,
    /// `location` or `asyncOperation`.
    pub kind: String,
    /// The `Retry-After` Azure asked for before the first poll (not stored: a resumed operation
    /// polls at once).
    #[serde(default, skip)]
    pub wait_seconds: u64,
}

/// A reservation Azure's finished operation says it bought (an exchange's purchases; a return
/// buys none), or a savings plan a trade-in bought: bare IDs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bought {
    /// Its new order (a savings plan's: its `savingsPlanOrderId`).
    pub order_id: String,
    /// The reservation (a savings plan's: its `savingsPlanId`).
    pub reservation_id: String,
    /// Whether it is a savings plan (Microsoft.BillingBenefits), not a reservation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub savings_plan: bool,
}

/// How a change Azure was sent began: done at once (with what it bought), or accepted and
/// followed at a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Started {
    /// Done (`200`).
    Done(Vec<Bought>),
    /// Accepted (`202`): follow it here.
    Sent(PollAt),
}

/// How following an operation ended (a failed operation is `Err` with Azure's error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Followed {
    /// It succeeded (with what it bought).
    Succeeded(Vec<Bought>),
    /// It was still running when the follower gave up for now.
    Running,
}

/// One reservation an exchange returns: its units, and (once claimed) how many it held then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeLine {
    /// The order.
    pub order_id: String,
    /// The reservation.
    pub reservation_id: String,
    /// Units returned.
    pub quantity: u32,
    /// Its quantity when the exchange was claimed (how an `asked` exchange is reconciled).
    #[serde(default)]
    pub quantity_before: Option<u32>,
}

/// Azure's `calculateExchange` answer, as the desk reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureExchange {
    /// The session `exchange` names.
    pub session_id: String,
    /// `netPayable`.
    pub net_payable: Money,
    /// `refundsTotal`.
    pub refunds_total: Money,
    /// `purchasesTotal`.
    pub purchases_total: Money,
    /// `policyResult`'s policy errors: (code, message).
    pub policy_errors: Vec<(String, String)>,
    /// Each savings plan's `billingCurrencyTotal` (a trade-in), in the request's order; `None`
    /// where Azure gave none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub savings_plans: Vec<Option<Money>>,
}

/// The code of the error a purchase's follower answers when Partner Center's order ended without
/// its reservation (`cancelled` or `error`): the only answer that fails a purchase once checked
/// out.
pub const PARTNER_CENTER_ORDER_ENDED: &str = "PartnerCenterOrderEnded";

/// The code of the error making a purchase ready answers when Partner Center's inventory check
/// (the SKU's `InventoryCheck` prerequisite) restricts the item: nothing was bought, no cart made.
pub const INVENTORY_RESTRICTED: &str = "InventoryRestricted";

/// ARM's `calculatePrice` answer, as the desk reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AzurePrice {
    /// `billingCurrencyTotal`: the whole commitment in the customer's billing currency.
    pub total: Money,
    /// The first payment of its schedule (what is due today), when it gives one.
    #[serde(default)]
    pub first_payment: Option<Money>,
}

/// What Partner Center was made ready with before a purchase is claimed: nothing is bought
/// until its cart is checked out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreparedPurchase {
    /// The subscription it is bought under (registered for reservation purchases): an Azure
    /// plan customer's Azure plan (Partner Center's subscription ID).
    pub subscription_id: String,
    /// The catalog item (`{product}:{sku}:{availability}`).
    pub catalog_item_id: String,
    /// Partner Center's title of the SKU.
    pub title: String,
    /// The cart, with one line.
    pub cart_id: String,
}

/// Which of ARM's catalog the desk asks for: a subscription's (the adapter picks one the user
/// sees when none is named), of one reserved resource type and location when named.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CatalogAsk {
    /// The subscription whose catalog it is.
    pub subscription_id: Option<String>,
    /// `VirtualMachines`, `SqlDatabases`, … (every type the desk quotes when `None`).
    pub reserved_resource_type: Option<String>,
    /// A region.
    pub location: Option<String>,
}

/// ARM's catalog as the desk reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AzureCatalog {
    /// The subscription whose catalog it is.
    pub subscription_id: String,
    /// One per SKU and location, restrictions kept.
    pub items: Vec<contract::CatalogItem>,
    /// When Azure answered it.
    pub read_at: DateTime<Utc>,
}

/// One unit of a SKU to price.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PriceAsk {
    /// The subscription billed (the `billingScopeId`); the adapter picks one when `None`.
    pub subscription_id: Option<String>,
    /// E.g. `Standard_E4s_v5`.
    pub sku_name: String,
    /// E.g. `VirtualMachines`.
    pub reserved_resource_type: String,
    /// The region.
    pub location: String,
    /// The term.
    pub term: quote_engine::Term,
    /// The billing plan.
    pub billing_plan: quote_engine::BillingPlan,
}

/// Azure's price of one unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AzureUnitPrice {
    /// `billingCurrencyTotal` of one unit for the whole term.
    pub unit_price: Money,
    /// `pricingCurrencyTotal`, when Azure gives it.
    pub unit_price_usd: Option<Money>,
    /// When Azure answered it.
    pub priced_at: DateTime<Utc>,
}

/// What an adapter's futures are.
pub type UpstreamFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, UpstreamError>> + Send + 'a>>;

/// The reservation a money move names, in the customer's tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target<'a> {
    /// The customer's tenant.
    pub tenant_id: &'a str,
    /// The order.
    pub order_id: &'a str,
    /// The reservation.
    pub reservation_id: &'a str,
}

/// The system of record the desk asks before it records (Azure, in Azure mode).
pub trait Upstream: fmt::Debug + Send + Sync {
    /// Whether there is one to ask (`false` for [`Local`]).
    fn asks(&self) -> bool;
    /// `calculateRefund` of `quantity` units of `target`.
    fn calculate_refund<'a>(&'a self, who: &'a OnBehalf, target: Target<'a>, quantity: u32) -> UpstreamFuture<'a, AzureRefund>;
    /// `return` of the units Azure's session `azure_session_id` names.
    fn start_return<'a>(
        &'a self, who: &'a OnBehalf, target: Target<'a>, quantity: u32, azure_session_id: &'a str, reason: &'a str,
    ) -> UpstreamFuture<'a, Started>;
    /// `calculateExchange` of `returns` for `purchases` (the reservations the desk would buy:
    /// SKU, region, term, billing plan, units, scope, name) and `plans` (the savings plans a
    /// trade-in buys: SKU, term, billing plan, the hourly commitment asked, scope, name) in the
    /// customer's tenant.
    fn calculate_exchange<'a>(
        &'a self, who: &'a OnBehalf, tenant_id: &'a str, returns: &'a [ExchangeLine], purchases: &'a [contract::Reservation], plans: &'a [contract::SavingsPlan],
    ) -> UpstreamFuture<'a, AzureExchange>;
    /// `exchange` of what Azure's session `azure_session_id` names.
    fn start_exchange<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, azure_session_id: &'a str) -> UpstreamFuture<'a, Started>;
    /// Follows an accepted operation (honouring `Retry-After`) until it ends or the follower
    /// gives up for now.
    fn follow<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, poll: &'a PollAt) -> UpstreamFuture<'a, Followed>;
    /// ARM's `calculatePrice` of the reservation the desk would buy (`planned`: SKU, region,
    /// term, billing plan, units, scope, name) in the customer's tenant.
    fn calculate_price<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, planned: &'a contract::Reservation) -> UpstreamFuture<'a, AzurePrice>;
    /// Makes Partner Center ready to sell `planned` to the customer (`customer_id`, tenant
    /// `tenant_id`), buying nothing: the subscription registered for reservation purchases, the
    /// catalog item found (its inventory checked when its SKU asks for it), a cart made with one
    /// line. An Azure plan customer's purchase is registered under its Azure plan; otherwise
    /// `subscription_id`: the one a single-scope purchase applies to; `None` for a shared one
    /// (then any of the customer's subscriptions).
    fn prepare_purchase<'a>(
        &'a self, who: &'a OnBehalf, customer_id: &'a str, tenant_id: &'a str, planned: &'a contract::Reservation, subscription_id: Option<&'a str>,
    ) -> UpstreamFuture<'a, PreparedPurchase>;
    /// Checks out the customer's cart with `request_id` as the call's `MS-RequestId` (the same
    /// again on a retry: Partner Center makes it once): the Partner Center order made.
    fn checkout<'a>(&'a self, who: &'a OnBehalf, customer_id: &'a str, cart_id: &'a str, request_id: &'a str) -> UpstreamFuture<'a, String>;
    /// Whether Partner Center's order `partner_order_id` has made its reservation in ARM yet:
    /// what it bought (the ARM order its entitlement names, and that order's reservations), or
    /// still running.
    fn purchase_fulfilment<'a>(&'a self, who: &'a OnBehalf, customer_id: &'a str, tenant_id: &'a str, partner_order_id: &'a str) -> UpstreamFuture<'a, Followed>;
    /// The customer's Partner Center orders of `quantity` × `catalog_item_id` created at or
    /// after `since`, oldest first: how a checkout whose answer was lost is found.
    fn orders_since<'a>(
        &'a self, who: &'a OnBehalf, customer_id: &'a str, catalog_item_id: &'a str, quantity: u32, since: DateTime<Utc>,
    ) -> UpstreamFuture<'a, Vec<String>>;
    /// Gives a reservation just bought its name, and its renewal when asked, in ARM (`PATCH` of
    /// `displayName` and `renew`, followed to its end): Partner Center takes neither.
    fn name_reservation<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, bought: &'a Bought, name: &'a str, renew: bool) -> UpstreamFuture<'a, ()>;
    /// The reservation's quantity as Azure has it now (`None`: Azure has no such reservation).
    fn quantity<'a>(&'a self, who: &'a OnBehalf, target: Target<'a>) -> UpstreamFuture<'a, Option<u32>>;
    /// Microsoft.Consumption's reservation recommendations in the customer's tenant over
    /// `look_back`, both kinds, for each reserved resource type the desk asks: those of every
    /// subscription the user sees there for itself, and the shared ones once; with each listed
    /// item that could not be read, and why.
    fn recommendations<'a>(
        &'a self, who: &'a OnBehalf, tenant_id: &'a str, look_back: contract::LookBackPeriod,
    ) -> UpstreamFuture<'a, desk_service::recommendations::ReadFromAzure>;
    /// ARM's catalog for a subscription of the customer's tenant: what it may buy, with Azure's
    /// restrictions (the adapter may answer from what it read a while ago: `read_at` says when).
    fn catalog<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, ask: &'a CatalogAsk) -> UpstreamFuture<'a, AzureCatalog>;
    /// Azure's whole-term price of one unit (ARM's `calculatePrice` for a quantity of one), in
    /// the customer's billing currency and in USD.
    fn unit_price<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, ask: &'a PriceAsk) -> UpstreamFuture<'a, AzureUnitPrice>;
    /// The instant now, as the adapter's clock reads it (`None`: the call's own instant stands):
    /// a claim is stamped when it is made, not when its request started, since asking Azure
    /// first may take seconds.
    fn now(&self) -> Option<DateTime<Utc>> {
        None
    }
}

/// Asks nothing: local mode and the in-browser backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct Local;

fn nothing_to_ask<'a, T: Send + 'a>() -> UpstreamFuture<'a, T> {
    Box::pin(async {
        Err(UpstreamError { status: None, code: "NoUpstream".into(), message: "This desk is not connected to Azure.".into(), request: Default::default(), partner_center: false })
    })
}

impl Upstream for Local {
    fn asks(&self) -> bool {
        false
    }
    fn calculate_refund<'a>(&'a self, _: &'a OnBehalf, _: Target<'a>, _: u32) -> UpstreamFuture<'a, AzureRefund> {
        nothing_to_ask()
    }
    fn start_return<'a>(&'a self, _: &'a OnBehalf, _: Target<'a>, _: u32, _: &'a str, _: &'a str) -> UpstreamFuture<'a, Started> {
        nothing_to_ask()
    }
    fn calculate_exchange<'a>(
        &'a self, _: &'a OnBehalf, _: &'a str, _: &'a [ExchangeLine], _: &'a [contract::Reservation], _: &'a [contract::SavingsPlan],
    ) -> UpstreamFuture<'a, AzureExchange> {
        nothing_to_ask()
    }
    fn start_exchange<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: &'a str) -> UpstreamFuture<'a, Started> {
        nothing_to_ask()
    }
    fn follow<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: &'a PollAt) -> UpstreamFuture<'a, Followed> {
        nothing_to_ask()
    }
    fn calculate_price<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: &'a contract::Reservation) -> UpstreamFuture<'a, AzurePrice> {
        nothing_to_ask()
    }
    fn prepare_purchase<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: &'a str, _: &'a contract::Reservation, _: Option<&'a str>) -> UpstreamFuture<'a, PreparedPurchase> {
        nothing_to_ask()
    }
    fn checkout<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: &'a str, _: &'a str) -> UpstreamFuture<'a, String> {
        nothing_to_ask()
    }
    fn purchase_fulfilment<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: &'a str, _: &'a str) -> UpstreamFuture<'a, Followed> {
        nothing_to_ask()
    }
    fn orders_since<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: &'a str, _: u32, _: DateTime<Utc>) -> UpstreamFuture<'a, Vec<String>> {
        nothing_to_ask()
    }
    fn name_reservation<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: &'a Bought, _: &'a str, _: bool) -> UpstreamFuture<'a, ()> {
        nothing_to_ask()
    }
    fn quantity<'a>(&'a self, _: &'a OnBehalf, _: Target<'a>) -> UpstreamFuture<'a, Option<u32>> {
        nothing_to_ask()
    }
    fn recommendations<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: contract::LookBackPeriod) -> UpstreamFuture<'a, desk_service::recommendations::ReadFromAzure> {
        nothing_to_ask()
    }
    fn catalog<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: &'a CatalogAsk) -> UpstreamFuture<'a, AzureCatalog> {
        nothing_to_ask()
    }
    fn unit_price<'a>(&'a self, _: &'a OnBehalf, _: &'a str, _: &'a PriceAsk) -> UpstreamFuture<'a, AzureUnitPrice> {
        nothing_to_ask()
    }
}

/// Where an operation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UpstreamState {
    /// Azure quoted it; nothing asked yet.
    Quoted,
    /// The desk's session claimed; Azure's answer to the return not yet kept.
    Asked,
    /// Azure accepted it; being followed.
    Sent,
    /// Azure confirmed it; recorded.
    Succeeded,
    /// Azure refused it or its operation failed; nothing recorded but the error.
    Failed,
}

impl UpstreamState {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Quoted => "quoted",
            Self::Asked => "asked",
            Self::Sent => "sent",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    /// From what is stored.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Quoted, Self::Asked, Self::Sent, Self::Succeeded, Self::Failed].into_iter().find(|s| s.as_str() == text)
    }
}

/// What a return through Azure keeps besides its state: enough to record it after a restart,
/// when its desk session may be gone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReturnDetail {
    /// The order.
    pub order_id: String,
    /// The reservation.
    pub reservation_id: String,
    /// Its customer.
    pub customer_id: String,
    /// Units returned.
    pub quantity: u32,
    /// The reservation's quantity when the return was claimed (how an `asked` return is
    /// reconciled: did Azure's drop?).
    #[serde(default)]
    pub quantity_before: Option<u32>,
    /// The desk's quote.
    pub quote: RefundQuoteResponse,
    /// Azure's `calculateRefund`.
    pub azure: AzureRefund,
    /// The check shown beside the desk's quote.
    pub check: AzureRefundCheck,
    /// Why (set when claimed).
    #[serde(default)]
    pub reason: String,
    /// What the audit entry adds (an approval's requester and approver), set when claimed.
    #[serde(default)]
    pub note: String,
    /// The approval's requester and approver, for the move's detail; set when claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvers: Option<contract::Approvers>,
    /// The partner's change or ticket reference, for the audit entry; set when claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
}

/// What an exchange through Azure keeps besides its state: enough to record it after a restart,
/// when its desk session may be gone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeDetail {
    /// The customer.
    pub customer_id: String,
    /// What it returns.
    pub lines: Vec<ExchangeLine>,
    /// What the desk planned to buy (Azure's IDs replace the desk's when it confirms).
    pub planned: Vec<contract::Reservation>,
    /// The savings plans a trade-in buys, as the desk planned them (Azure's IDs replace the
    /// desk's when it confirms).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub planned_plans: Vec<contract::SavingsPlan>,
    /// The desk's quote.
    pub quote: ExchangeQuoteResponse,
    /// Azure's `calculateExchange`.
    pub azure: AzureExchange,
    /// The check shown beside the desk's quote.
    pub check: AzureExchangeCheck,
    /// What the audit entry adds (an approval's requester and approver), set when claimed.
    #[serde(default)]
    pub note: String,
    /// The approval's requester and approver, for the move's detail; set when claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvers: Option<contract::Approvers>,
    /// The partner's change or ticket reference, for the audit entry; set when claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
}

/// What a purchase through Partner Center keeps besides its state: enough to record it after a
/// restart, when its desk session may be gone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseDetail {
    /// The customer (Partner Center's ID).
    pub customer_id: String,
    /// The reservation the desk plans to buy (Azure's IDs replace the desk's when it is made).
    pub planned: contract::Reservation,
    /// The desk's quote.
    pub quote: quote_engine::PurchaseQuote,
    /// ARM's `calculatePrice`.
    pub azure: AzurePrice,
    /// The check shown beside the desk's quote.
    pub check: contract::AzurePurchaseCheck,
    /// Partner Center made ready (set when claimed): the subscription, catalog item and cart.
    #[serde(default)]
    pub prepared: Option<PreparedPurchase>,
    /// When it was claimed (the adapter's clock): a lost checkout's order is looked for from
    /// then on.
    #[serde(default)]
    pub asked_at: Option<DateTime<Utc>>,
    /// What the audit entry adds (an approval's requester and approver), set when claimed.
    #[serde(default)]
    pub note: String,
    /// The approval's requester and approver, for the move's detail; set when claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvers: Option<contract::Approvers>,
    /// The partner's change or ticket reference, for the audit entry; set when claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
}

/// What a money move through Azure keeps, by kind (stored as its JSON; the kind is the
/// operation's `kind`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Detail {
    /// A return (`kind` `return`).
    Return(Box<ReturnDetail>),
    /// An exchange (`kind` `exchange`).
    Exchange(Box<ExchangeDetail>),
    /// A purchase through Partner Center (`kind` `purchase`).
    Purchase(Box<PurchaseDetail>),
}

impl Detail {
    /// A return's detail.
    pub fn returned(&self) -> Option<&ReturnDetail> {
        match self {
            Self::Return(d) => Some(d),
            _ => None,
        }
    }

    /// An exchange's detail.
    pub fn exchanged(&self) -> Option<&ExchangeDetail> {
        match self {
            Self::Exchange(d) => Some(d),
            _ => None,
        }
    }

    /// A purchase's detail.
    pub fn purchased(&self) -> Option<&PurchaseDetail> {
        match self {
            Self::Purchase(d) => Some(d),
            _ => None,
        }
    }
}

/// What a store writes when Azure confirmed a money move, with the operation marked
/// `succeeded` in the same transaction.
#[derive(Clone, Copy, Debug)]
pub enum Confirmed<'a> {
    /// A return: its units, ledger entry, refund and audit entry.
    Return(&'a ReturnWrite),
    /// An exchange: its returns, purchases and audit entry.
    Exchange(&'a ExchangeWrite),
    /// A purchase: the reservation bought, its first revision, the purchase's record and audit
    /// entry.
    Purchase(&'a PurchaseWrite),
}

impl Confirmed<'_> {
    /// The desk session it completes.
    pub fn session_id(&self) -> &str {
        match self {
            Self::Return(w) => &w.refund.response.session_id,
            Self::Exchange(w) => &w.response.session_id,
            Self::Purchase(w) => &w.response.session_id,
        }
    }

    /// The customer whose money it moves.
    pub fn customer_id(&self) -> &str {
        match self {
            Self::Return(w) => &w.refund.customer_id,
            Self::Exchange(w) => w.audit.customer_id.as_deref().unwrap_or_default(),
            Self::Purchase(w) => w.audit.customer_id.as_deref().unwrap_or_default(),
        }
    }

    /// When.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Self::Return(w) => w.refund.at,
            Self::Exchange(w) => w.at,
            Self::Purchase(w) => w.at,
        }
    }
}

/// One money move through Azure (the store's `upstream_operations`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpstreamOperation {
    /// Its ID.
    pub id: String,
    /// `return` or `exchange`.
    pub kind: String,
    /// The desk's session (unique: one operation per session).
    pub desk_session_id: String,
    /// Azure's session.
    pub azure_session_id: String,
    /// The customer's tenant.
    pub tenant_id: String,
    /// Where it is.
    pub state: UpstreamState,
    /// Azure's operation, once accepted.
    pub poll: Option<PollAt>,
    /// Who asked (user principal name), once claimed.
    pub requested_by: Option<String>,
    /// Azure's error, or why it failed.
    pub last_error: Option<String>,
    /// What it moves.
    pub detail: Detail,
    /// When it was quoted.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub updated_at: DateTime<Utc>,
}

/// What a store keeps of money moves through Azure. No rule lives here.
#[allow(async_fn_in_trait)]
pub trait UpstreamStore {
    /// Keeps a quoted operation (replacing none: a new desk session each time).
    /// Deletes the `quoted` operations last changed before `purge_before` (their sessions are
    /// gone) and the session's own quoted or failed one (a quote asked again replaces it: an
    /// approval's). `false`, and nothing kept, when the session's move is already claimed (asked,
    /// sent or done: another request carries it).
    async fn save_upstream(&self, operation: &UpstreamOperation, purge_before: DateTime<Utc>) -> StoreResult<bool>;
    /// The operation of a desk session.
    async fn upstream_of_session(&self, desk_session_id: &str) -> StoreResult<Option<UpstreamOperation>>;
    /// Claims the operation `operation_id` in one statement: `quoted` → `asked`, by
    /// `requested_by`, with `detail`, at `at`. `false` when it is not `quoted` (claimed before)
    /// or no longer there (another request's quote replaced it): nothing changes.
    async fn claim_upstream(&self, operation_id: &str, requested_by: &str, detail: &Detail, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Moves the operation `id`, if it is `asked` or `sent`, to `state` with its poll URL and
    /// error as given (one recorded meanwhile stays as it is).
    async fn set_upstream(&self, id: &str, state: UpstreamState, poll: Option<&PollAt>, last_error: Option<&str>, at: DateTime<Utc>) -> StoreResult<()>;
    /// Records a money move Azure confirmed and marks its operation `succeeded`, in one
    /// transaction; when the session already has its record (written before a crash), only marks
    /// it. A `failed` one too (Azure confirmed it after a reconciliation called it failed).
    /// `false` when the operation is `quoted` or `succeeded` (nothing written).
    async fn finish_upstream(&self, id: &str, write: Confirmed<'_>) -> StoreResult<bool>;
    /// The operations `asked` or `sent`, oldest first (what the resumer follows after a restart).
    async fn unfinished_upstream(&self) -> StoreResult<Vec<UpstreamOperation>>;
}
