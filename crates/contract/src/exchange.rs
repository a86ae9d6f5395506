//! Exchanges: return reservations and buy others with their pro-rated value.

use chrono::NaiveDate;
use quote_engine::api::ExchangeQuoteResponse;
use quote_engine::{BillingPlan, Money, Term};
use serde::{Deserialize, Serialize};

use crate::reservation::{AppliedScopeProperties, AppliedScopeType, Reservation};
use crate::savings_plan::{SavingsPlan, SavingsPlanPurchaseRequest};

/// One price of a catalog SKU.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CatalogPrice {
    /// `P1Y`, `P3Y` or `P5Y`.
    pub term: Term,
    /// Whole-term price of one unit (USD; a customer billed in another currency pays the
    /// equivalent at the demo's fixed rate).
    pub unit_price: Money,
}

/// A term of a catalog SKU that can no longer be bought or renewed, from a day on (a retired VM
/// series × term, e.g. 1-year reservations of the Fsv2 series from 2026-07-01).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RetiredTerm {
    /// The term retired.
    pub term: Term,
    /// The first day on which it can be neither bought nor renewed.
    pub from: NaiveDate,
    /// The VM series retired, e.g. `Fsv2`.
    pub series: String,
}

/// A purchasable SKU (`GET /api/catalog`): the targets of an exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CatalogItem {
    /// `{skuName}/{location}`.
    pub sku_id: String,
    /// e.g. `Standard_D4s_v5`.
    pub sku_name: String,
    /// Product family.
    pub reserved_resource_type: String,
    /// Region.
    pub location: String,
    /// One price per term; both billing plans cost the same in total.
    pub prices: Vec<CatalogPrice>,
    /// The terms that cannot be bought (nor renewed) from a day on, whatever today is: a
    /// purchase of such a term on or after `from` is refused (`RetiredVmSeries`). Empty for a
    /// SKU none of whose terms retire.
    #[serde(default)]
    pub retired_terms: Vec<RetiredTerm>,
    /// The terms sold, each with its billing plans (Azure's `terms` and `billingPlans`). In local
    /// mode every priced term, on both plans.
    #[serde(default)]
    pub terms: Vec<CatalogTerm>,
    /// The product's title as Azure names it (`skuProperties`' `ProductTitle`), e.g.
    /// "DSv2 Series, DS5".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What this customer may not buy of it, with Azure's reason: a term or this location
    /// `NotAvailableForSubscription`. Listed, never hidden.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restrictions: Vec<CatalogRestriction>,
}

impl CatalogItem {
    /// Azure's reason a purchase of `term` here is restricted (a restriction of the term, or of
    /// the item's location), if one is.
    pub fn restriction_of(&self, term: Term) -> Option<&CatalogRestriction> {
        self.restrictions.iter().find(|r| match r.kind {
            RestrictionKind::Term => r.values.iter().any(|v| v.eq_ignore_ascii_case(&format!("{term:?}"))),
            RestrictionKind::Location => r.values.iter().any(|v| v.eq_ignore_ascii_case(&self.location)),
            RestrictionKind::Other => true,
        })
    }

    /// The billing plans `term` is sold on (none when the term is not sold).
    pub fn plans_of(&self, term: Term) -> &[BillingPlan] {
        self.terms.iter().find(|t| t.term == term).map_or(&[], |t| t.billing_plans.as_slice())
    }
}

/// A term a catalog SKU is sold for, and the billing plans it may be paid on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CatalogTerm {
    /// `P1Y`, `P3Y` or `P5Y`.
    pub term: Term,
    /// `Upfront`, `Monthly`.
    pub billing_plans: Vec<BillingPlan>,
}

/// What a restriction of a catalog SKU applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RestrictionKind {
    /// Some terms (`values`: `P1Y`, …).
    Term,
    /// Some locations (`values`: regions).
    Location,
    /// A kind Azure names that the desk does not know: the whole SKU is taken as restricted.
    Other,
}

/// Azure's restriction of a catalog SKU for this customer (`restrictions` of ARM's catalog).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CatalogRestriction {
    /// What it restricts.
    #[serde(rename = "type")]
    pub kind: RestrictionKind,
    /// The terms or locations restricted.
    pub values: Vec<String>,
    /// Azure's reason, e.g. `NotAvailableForSubscription`.
    pub reason_code: String,
}

/// Where a customer's catalog came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum CatalogSource {
    /// The demo's own catalog, with its prices (local mode, the static build).
    Demo,
    /// ARM's catalog for the customer's subscription, without prices: each price is Azure's
    /// `calculatePrice` for one unit (`GET /customers/{customerId}/price`).
    Azure,
}

/// `GET /customers/{customerId}/catalog`: what this customer can buy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerCatalog {
    /// Where it came from.
    pub source: CatalogSource,
    /// Azure mode: the subscription whose catalog it is (what Azure sells depends on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// Azure mode: when Azure answered it (the desk keeps it for a while, then asks again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<String>,
    /// One per SKU and location.
    pub items: Vec<CatalogItem>,
}

/// `GET /customers/{customerId}/price`: the whole-term price of one unit of a SKU in a location,
/// for a term and billing plan, in the customer's billing currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UnitPrice {
    /// `{skuName}/{location}`.
    pub sku_id: String,
    /// The term priced.
    pub term: Term,
    /// The billing plan priced.
    pub billing_plan: BillingPlan,
    /// One unit for the whole term, in the customer's billing currency.
    pub unit_price: Money,
    /// The same in USD (what the approval threshold and the refund limit count), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price_usd: Option<Money>,
    /// Where it came from.
    pub source: CatalogSource,
    /// Azure mode: when Azure answered it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priced_at: Option<String>,
}

/// A reservation to return in an exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExchangeReturnRequest {
    /// The reservation.
    pub reservation_id: String,
    /// Units returned.
    pub quantity: u32,
    /// The reservation's order, when the caller names one (the Azure surface's full reservation
    /// IDs do): a reservation of another order is refused as unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_order_id: Option<String>,
}

/// A reservation to buy in an exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExchangePurchaseRequest {
    /// From the catalog.
    pub sku_id: String,
    /// Term of the new reservation (starts today).
    pub term: Term,
    /// Upfront or monthly.
    pub billing_plan: BillingPlan,
    /// Units bought.
    pub quantity: u32,
    /// Where the new reservation applies.
    pub applied_scope_type: AppliedScopeType,
    /// The target for a Single or ManagementGroup scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// A name for it (the SKU's short name when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Renew it automatically when its term ends (absent: no).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub renew: bool,
}

/// `POST /api/calculateExchange`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CalculateExchangeRequest {
    /// What is returned (all of one customer).
    pub reservations_to_exchange: Vec<ExchangeReturnRequest>,
    /// Reservations bought (may be `[]` when savings plans are bought).
    pub reservations_to_purchase: Vec<ExchangePurchaseRequest>,
    /// Savings plans bought by trading the returns in (a trade-in); absent: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub savings_plans_to_purchase: Vec<SavingsPlanPurchaseRequest>,
}

/// The server's exchange quote and the session that holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalculateExchangeResponse {
    /// Pass to `exchange` within 10 minutes.
    pub session_id: String,
    /// When the session ends (RFC 3339, UTC).
    pub expires_at: String,
    /// The quote.
    pub quote: ExchangeQuoteResponse,
    /// In Azure mode (`--source azure`): Azure's own `calculateExchange` of the same exchange,
    /// beside the desk's quote, with any difference named. Absent in local mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure: Option<AzureExchangeCheck>,
    /// Present when this exchange would wait for another user's approval (above the deployment's
    /// approval threshold); absent when it would be carried out at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_needed: Option<crate::ApprovalNeeded>,
}

/// Azure's `calculateExchange` of an exchange the desk quoted (Azure mode): Azure's figures and
/// where they differ from the desk's (a finding, not an error: the exchange is made with Azure's
/// figures). Azure's `sessionId` stays on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AzureExchangeCheck {
    /// What the customer pays (`netPayable`: purchases minus refunds).
    pub net_payable: Money,
    /// What the returns are worth (`refundsTotal`).
    pub refunds_total: Money,
    /// What the purchases cost (`purchasesTotal`).
    pub purchases_total: Money,
    /// Azure's policy errors; an exchange is refused while any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_errors: Vec<crate::AzurePolicyError>,
    /// A trade-in: what each savings plan costs now as Azure says it (its `billingCurrencyTotal`),
    /// in the request's order (`null` where Azure gave none), beside the desk's `dueNow`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub savings_plans: Vec<Option<Money>>,
    /// Each figure where the desk and Azure differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<ExchangeDifference>,
}

/// A figure the desk and Azure give differently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExchangeDifference {
    /// Which figure.
    pub figure: ExchangeFigure,
    /// The desk's.
    pub desk: Money,
    /// Azure's.
    pub azure: Money,
}

/// The figures compared between the desk's exchange quote and Azure's `calculateExchange`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ExchangeFigure {
    /// What the customer pays.
    NetPayable,
    /// What the returns are worth.
    RefundsTotal,
    /// What the purchases cost.
    PurchasesTotal,
}

/// `POST /api/exchange`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExchangeRequest {
    /// From `calculateExchange`.
    pub session_id: String,
    /// Why the customer exchanges (free text, optional): the approver reads it when the exchange
    /// waits for approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The partner's own change or ticket reference for this move (free text, 1–64 characters,
    /// one line: the display name's rules). Required where the deployment says so
    /// (`requireTicketReference`): a move without it is a 400 `ticketReferenceRequired`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
}

/// What an exchange did. The same session again answers this again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExchangeResponse {
    /// The session it completed.
    pub session_id: String,
    /// The new reservation order.
    pub reservation_order_id: String,
    /// The reservations bought, term starting today.
    pub purchased: Vec<Reservation>,
    /// The quote carried out.
    pub quote: ExchangeQuoteResponse,
    /// The savings plans bought (a trade-in), term starting today; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub savings_plans: Vec<SavingsPlan>,
}
