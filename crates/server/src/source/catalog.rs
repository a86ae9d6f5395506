//! What a customer can buy and at what price, from Azure, kept for a while: ARM's catalog per
//! tenant, subscription, reserved resource type and location, and ARM's `calculatePrice` of one
//! unit per tenant, subscription, SKU, location, term and billing plan, each for
//! [`KEPT_FOR`]. Azure changes a catalog or a price rarely within an hour, and a Buy panel asks
//! for a price each time a SKU or term is chosen; Review asks Azure again for the whole purchase
//! in any case, so a price changed since is found and said before anything is bought. A refused
//! or failed read is never kept.

use std::collections::HashMap;
use std::sync::Mutex;

use azure_api::exchange::{PurchaseProperties, PurchaseRequest};
use azure_api::reservation::SkuName;
use azure_client::{AzureClient, OnBehalfOf, Reader};
use chrono::{DateTime, TimeDelta, Utc};
use contract::AppliedScopeType;
use desk::upstream::{AzureCatalog, AzureUnitPrice, CatalogAsk, PriceAsk, UpstreamError};
use quote_engine::ReservedResourceType;

use super::azure_answer::{error, money};

/// How long a catalog or a price Azure gave is kept before Azure is asked again.
pub const KEPT_FOR: TimeDelta = TimeDelta::hours(1);

/// The reserved resource types asked when a catalog of every type is wanted: those the desk
/// quotes (ARM answers one type per call, virtual machines when none is named).
pub fn types_asked() -> &'static [&'static str] {
    ReservedResourceType::KNOWN
}

/// A catalog kept: tenant, subscription, reserved resource type and location asked.
type CatalogKey = (String, String, Option<String>, Option<String>);

/// Catalogs and prices Azure gave, with when.
#[derive(Default)]
pub struct Kept {
    /// The subscription a tenant's catalog and prices are asked for when none is named (the
    /// first active one the user sees), with when it was chosen.
    subscriptions: Mutex<HashMap<String, (String, DateTime<Utc>)>>,
    catalogs: Mutex<HashMap<CatalogKey, AzureCatalog>>,
    prices: Mutex<HashMap<(String, PriceAsk), AzureUnitPrice>>,
}

fn fresh(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - at < KEPT_FOR && at <= now
}

impl Kept {
    /// The subscription kept for `tenant`, if chosen within [`KEPT_FOR`].
    pub fn subscription(&self, tenant: &str, now: DateTime<Utc>) -> Option<String> {
        self.subscriptions.lock().expect("subscriptions kept").get(tenant).filter(|(_, at)| fresh(*at, now)).map(|(id, _)| id.clone())
    }

    /// Keeps `subscription` as `tenant`'s.
    pub fn keep_subscription(&self, tenant: &str, subscription: &str, now: DateTime<Utc>) {
        self.subscriptions.lock().expect("subscriptions kept").insert(tenant.to_owned(), (subscription.to_owned(), now));
    }

    /// ARM's catalog for `ask` in `tenant` (its subscription `subscription_id`), kept or read.
    pub async fn catalog(
        &self, client: &AzureClient, user: &OnBehalfOf, tenant: &str, subscription_id: &str, ask: &CatalogAsk, now: DateTime<Utc>,
    ) -> Result<AzureCatalog, UpstreamError> {
        let key = (tenant.to_owned(), subscription_id.to_owned(), ask.reserved_resource_type.clone(), ask.location.clone());
        if let Some(kept) = self.catalogs.lock().expect("catalogs kept").get(&key).filter(|c| fresh(c.read_at, now)) {
            return Ok(kept.clone());
        }
        let location = ask.location.as_deref();
        let items = match ask.reserved_resource_type.as_deref() {
            Some(t) => client.catalog(user, tenant, subscription_id, Some(t), location).await.map_err(error)?,
            None => {
                let asked = types_asked().iter().map(|t| client.catalog(user, tenant, subscription_id, Some(t), location));
                let mut items = Vec::new();
                for answer in futures::future::join_all(asked).await {
                    items.extend(answer.map_err(error)?);
                }
                items
            }
        };
        let read = AzureCatalog { subscription_id: subscription_id.to_owned(), items, read_at: now };
        self.catalogs.lock().expect("catalogs kept").insert(key, read.clone());
        Ok(read)
    }

    /// Azure's price of one unit of `ask` in `tenant`, billed to `subscription_id`, kept or asked
    /// for `reader` (a signed-in user, or the stored grant when a read prices what it found).
    pub async fn unit_price(
        &self, client: &AzureClient, reader: &Reader, tenant: &str, subscription_id: &str, ask: &PriceAsk, now: DateTime<Utc>,
    ) -> Result<AzureUnitPrice, UpstreamError> {
        let ask = PriceAsk { subscription_id: Some(subscription_id.to_owned()), ..ask.clone() };
        let key = (tenant.to_owned(), ask.clone());
        if let Some(kept) = self.prices.lock().expect("prices kept").get(&key).filter(|p| fresh(p.priced_at, now)) {
            return Ok(kept.clone());
        }
        let answer = client.calculate_price_as(reader, tenant, &one_unit(&ask, subscription_id)).await.map_err(error)?;
        let price = AzureUnitPrice {
            unit_price: money(&answer.billing_currency_total, "billingCurrencyTotal")?,
            unit_price_usd: answer.pricing_currency_total.as_ref().map(|p| money(p, "pricingCurrencyTotal")).transpose()?,
            priced_at: now,
        };
        self.prices.lock().expect("prices kept").insert(key, price.clone());
        Ok(price)
    }
}

impl Kept {
    /// Forgets every price kept in `tenant` of `sku_name` in `location` for `term` on `plan`:
    /// Azure was just asked for a whole purchase of it (Review), so a quote made after that asks
    /// the price anew and a price Azure changed is quoted at once.
    pub fn forget_price(&self, tenant: &str, sku_name: &str, location: &str, term: quote_engine::Term, plan: quote_engine::BillingPlan) {
        self.prices.lock().expect("prices kept").retain(|(t, ask), _| {
            !(t == tenant && ask.sku_name.eq_ignore_ascii_case(sku_name) && ask.location.eq_ignore_ascii_case(location) && ask.term == term && ask.billing_plan == plan)
        });
    }
}

/// `calculatePrice`'s request for one unit of `ask`, billed to `subscription_id` (the
/// `billingScopeId` Microsoft's example sends), at shared scope (the scope does not change the
/// price).
fn one_unit(ask: &PriceAsk, subscription_id: &str) -> PurchaseRequest {
    PurchaseRequest {
        sku: SkuName { name: ask.sku_name.clone() },
        location: ask.location.clone(),
        properties: PurchaseProperties {
            reserved_resource_type: Some(ask.reserved_resource_type.clone()),
            billing_scope_id: Some(format!("/subscriptions/{subscription_id}")),
            term: ask.term,
            billing_plan: ask.billing_plan,
            quantity: 1,
            display_name: None,
            applied_scope_type: AppliedScopeType::Shared,
            applied_scopes: None,
            renew: None,
            applied_scope_properties: None,
        },
    }
}
