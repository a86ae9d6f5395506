//! What a customer can buy and at what price. Local mode (and the static build) answers from
//! the demo catalog and its prices (`desk_service::catalog`). Azure mode answers from Azure for
//! that customer, on behalf of the signed-in user: ARM's catalog of the customer's subscription
//! (restrictions listed, never hidden) and ARM's `calculatePrice` of one unit, which every quote
//! of a purchase is then computed from ([`desk_service::catalog::Offer`]). Azure mode never
//! falls back to the demo catalog: a read Azure refuses is said with Azure's reason.

use contract::{CatalogItem, CatalogSource, CustomerCatalog, ExchangePurchaseRequest, ProblemCode, UnitPrice};
use desk_service::catalog::Offer;
use quote_engine::{BillingPlan, Currency, Term};

use super::upstream_moves::who;
use super::Desk;
use super::upstream_moves::problem;
use crate::error::DeskError;
use crate::ids::Ids;
use crate::time::timestamp;
use crate::upstream::{CatalogAsk, PriceAsk};
use crate::Call;

/// What `GET /customers/{customerId}/catalog` and `…/price` may be asked, from the query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogQuery {
    /// A region.
    pub location: Option<String>,
    /// A reserved resource type (`VirtualMachines`, …).
    pub reserved_resource_type: Option<String>,
    /// Azure mode: the subscription whose catalog it is (else one the user sees).
    pub subscription_id: Option<String>,
}

fn invalid(field: &str, message: String) -> DeskError {
    DeskError::from(desk_service::error::ServiceError::invalid(ProblemCode::MalformedRequest, field, message))
}

/// The term named `text` (`P1Y`, `P3Y`, `P5Y`).
pub fn term_named(text: &str) -> Result<Term, DeskError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| invalid("term", format!("'{text}' is not a term: P1Y, P3Y or P5Y.")))
}

/// The billing plan named `text` (`Upfront`, `Monthly`).
pub fn plan_named(text: &str) -> Result<BillingPlan, DeskError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| invalid("billingPlan", format!("'{text}' is not a billing plan: Upfront or Monthly.")))
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// The tenant of `customer_id` as Azure mode last read it.
    async fn azure_tenant(&self, customer_id: &str, what: &str) -> Result<String, DeskError> {
        let status = self.store.source_status(customer_id).await?.ok_or_else(|| {
            problem(ProblemCode::UpstreamRefused, format!("Customer {customer_id} was not read from Azure: refresh it before {what}."))
        })?;
        Ok(status.tenant_id)
    }

    /// `GET /customers/{customerId}/catalog`: what the customer can buy (see the module's doc).
    pub async fn customer_catalog(&self, call: &Call, customer_id: &str, query: &CatalogQuery) -> Result<CustomerCatalog, DeskError> {
        self.require_customer(customer_id).await?;
        if self.settings.source == contract::DataSource::Local {
            let items = desk_service::exchange::catalog()
                .into_iter()
                .filter(|i| query.location.as_deref().is_none_or(|l| l.eq_ignore_ascii_case(&i.location)))
                .filter(|i| query.reserved_resource_type.as_deref().is_none_or(|t| t.eq_ignore_ascii_case(&i.reserved_resource_type)))
                .collect();
            return Ok(CustomerCatalog { source: CatalogSource::Demo, subscription_id: None, read_at: None, items });
        }
        self.connected()?;
        let who = who(call)?;
        let tenant = self.azure_tenant(customer_id, "reading its catalog").await?;
        let ask = CatalogAsk {
            subscription_id: query.subscription_id.clone(),
            reserved_resource_type: query.reserved_resource_type.clone(),
            location: query.location.clone(),
        };
        let answered = self.upstream.catalog(who, &tenant, &ask).await;
        if let Err(refused) = &answered {
            self.note_refusal(customer_id, Some(refused), call.now).await;
        }
        let read = answered.map_err(|e| e.problem("could not read the customer's catalog"))?;
        Ok(CustomerCatalog {
            source: CatalogSource::Azure,
            subscription_id: Some(read.subscription_id),
            read_at: Some(timestamp(read.read_at)),
            items: read.items,
        })
    }

    /// `GET /customers/{customerId}/price?skuId=&term=&billingPlan=`: one unit's whole-term price
    /// in the customer's billing currency: the demo catalog's in local mode, Azure's
    /// `calculatePrice` in Azure mode (a SKU the customer's catalog does not sell, or sells
    /// with a restriction on that term or region, is refused with Azure's reason).
    pub async fn unit_price(&self, call: &Call, customer_id: &str, sku_id: &str, term: Term, billing_plan: BillingPlan, query: &CatalogQuery) -> Result<UnitPrice, DeskError> {
        self.require_customer(customer_id).await?;
        let probe = ExchangePurchaseRequest {
            sku_id: sku_id.to_owned(),
            term,
            billing_plan,
            quantity: 1,
            applied_scope_type: contract::AppliedScopeType::Shared,
            applied_scope_properties: None,
            display_name: None,
            renew: false,
        };
        let offer = self.offer(call, customer_id, &probe, query.subscription_id.as_deref()).await?;
        Ok(UnitPrice {
            sku_id: sku_id.to_owned(),
            term,
            billing_plan,
            unit_price: offer.unit_price,
            unit_price_usd: Some(offer.unit_price_usd),
            source: match self.settings.source {
                contract::DataSource::Local => CatalogSource::Demo,
                contract::DataSource::Azure => CatalogSource::Azure,
            },
            priced_at: offer.priced_at.map(timestamp),
        })
    }

    /// The offer a purchase line `p` of `customer_id` is quoted at: the demo catalog's in local
    /// mode, Azure's for the customer in Azure mode (its catalog, restrictions checked, and
    /// `calculatePrice` of one unit, billed to `subscription_id` or one the user sees).
    pub(super) async fn offer(&self, call: &Call, customer_id: &str, p: &ExchangePurchaseRequest, subscription_id: Option<&str>) -> Result<PricedOffer, DeskError> {
        if self.settings.source == contract::DataSource::Local {
            let currency = self.billing_currency(customer_id).await?;
            let offer = desk_service::catalog::offer(&p.sku_id, p.term, currency, "purchase.skuId")?;
            return Ok(PricedOffer { offer, priced_at: None });
        }
        let (sku_name, location) = p
            .sku_id
            .split_once('/')
            .filter(|(s, l)| !s.is_empty() && !l.is_empty())
            .ok_or_else(|| invalid("purchase.skuId", format!("'{}' is not a SKU in a region (`{{skuName}}/{{location}}`).", p.sku_id)))?;
        let catalog = self
            .customer_catalog(
                call,
                customer_id,
                &CatalogQuery { location: Some(location.to_owned()), reserved_resource_type: None, subscription_id: subscription_id.map(str::to_owned) },
            )
            .await?;
        let item = sold(&catalog.items, sku_name, location, p.term, p.billing_plan, &p.sku_id)?;
        self.connected()?;
        let who = who(call)?;
        let tenant = self.azure_tenant(customer_id, "pricing a purchase").await?;
        let ask = PriceAsk {
            subscription_id: catalog.subscription_id.clone(),
            sku_name: item.sku_name.clone(),
            reserved_resource_type: item.reserved_resource_type.clone(),
            location: item.location.clone(),
            term: p.term,
            billing_plan: p.billing_plan,
        };
        let answered = self.upstream.unit_price(who, &tenant, &ask).await;
        if let Err(refused) = &answered {
            self.note_refusal(customer_id, Some(refused), call.now).await;
        }
        let price = answered.map_err(|e| e.problem("could not price the SKU"))?;
        let unit = UnitPrice {
            sku_id: p.sku_id.clone(),
            term: p.term,
            billing_plan: p.billing_plan,
            unit_price: price.unit_price,
            unit_price_usd: price.unit_price_usd,
            source: CatalogSource::Azure,
            priced_at: Some(timestamp(price.priced_at)),
        };
        Ok(PricedOffer { offer: Offer::priced(item, &unit)?, priced_at: Some(price.priced_at) })
    }

    /// The currency `customer_id` is billed in: their priced reservations' (USD for a customer
    /// with none).
    pub(super) async fn billing_currency(&self, customer_id: &str) -> Result<Currency, DeskError> {
        let reservations = self.store.reservations_of(customer_id).await?;
        Ok(reservations.iter().find(|(r, _)| r.price_unknown.is_none()).map_or(Currency::USD, |(r, _)| r.unit_price.currency))
    }
}

/// An offer and, in Azure mode, when Azure priced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PricedOffer {
    /// The offer.
    pub offer: Offer,
    /// When Azure answered its price.
    pub priced_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl std::ops::Deref for PricedOffer {
    type Target = Offer;
    fn deref(&self) -> &Offer {
        &self.offer
    }
}

/// The item of `items` that sells `sku_name` in `location` for `term` on `plan`: a SKU the
/// catalog does not list is not in the catalog (400); one Azure restricts, a term it does not
/// sell, or a billing plan it does not take is refused with why (409).
pub fn sold<'a>(items: &'a [CatalogItem], sku_name: &str, location: &str, term: Term, plan: BillingPlan, sku_id: &str) -> Result<&'a CatalogItem, DeskError> {
    let item = items
        .iter()
        .find(|i| i.sku_name.eq_ignore_ascii_case(sku_name) && i.location.eq_ignore_ascii_case(location))
        .ok_or_else(|| {
            DeskError::from(desk_service::error::ServiceError::invalid(
                ProblemCode::NotInCatalog,
                "purchase.skuId",
                format!("'{sku_id}' is not in this customer's catalog."),
            ))
        })?;
    if let Some(r) = item.restriction_of(term) {
        return Err(problem(
            ProblemCode::PolicyRefused,
            format!("Azure does not sell {sku_id} for {term:?} to this customer: {} ({:?} {}).", r.reason_code, r.kind, r.values.join(", ")),
        ));
    }
    if !item.plans_of(term).contains(&plan) {
        return Err(problem(ProblemCode::PolicyRefused, format!("Azure does not sell {sku_id} for {term:?} on the {plan:?} billing plan.")));
    }
    Ok(item)
}
