//! Buying a reservation as Microsoft.Capacity 2022-11-01 has it: the price first
//! (`POST /providers/Microsoft.Capacity/calculatePrice`, `CalculatePriceResponse`), then the
//! purchase under the order ID that answer gives (`PUT …/reservationOrders/{reservationOrderId}`
//! with the same `PurchaseRequest`), and the catalog of what may be bought
//! (`GET /subscriptions/{subscriptionId}/providers/Microsoft.Capacity/catalogs`, `CatalogsResult`).
//! Shapes follow `reservations.json` and its examples `CalculateReservationOrder.json`,
//! `PurchaseReservationOrder.json` and `GetCatalog.json`; the figures are the desk's.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use contract::{CalculatePurchaseResponse, CatalogItem};
use quote_engine::{BillingPlan, Term};
use serde::Serialize;

use crate::exchange::PurchaseRequest;
use crate::number::Price;
use crate::ArmError;

/// The subscription a purchase charges, and the member that names it: `properties.billingScopeId`,
/// or, without it, the subscription of a `Single` scope (`appliedScopeProperties.subscriptionId`
/// or the first of `appliedScopes`). `None` when the request names none.
pub fn charged_subscription(request: &PurchaseRequest) -> Option<(&str, &'static str)> {
    let p = &request.properties;
    if let Some(billing) = p.billing_scope_id.as_deref().filter(|s| !s.trim().is_empty()) {
        return Some((billing, "properties.billingScopeId"));
    }
    if let Some(s) = p.applied_scope_properties.as_ref().and_then(|a| a.subscription_id.as_deref()) {
        return Some((s, "properties.appliedScopeProperties.subscriptionId"));
    }
    p.applied_scopes.as_ref().and_then(|s| s.first()).map(|s| (s.as_str(), "properties.appliedScopes"))
}

/// A desk refusal of a purchase, naming the member of the `PurchaseRequest` as sent: the desk's
/// `purchase.skuId` is `sku.name`, its other `purchase.…` fields are `properties.…`.
pub fn as_requested(mut e: ArmError) -> ArmError {
    if let Some(target) = e.body.error.target.take() {
        e.body.error.target = Some(match target.strip_prefix("purchase.") {
            Some("skuId") => "sku.name".to_owned(),
            Some(rest) => format!("properties.{rest}"),
            None => target,
        });
    }
    e
}

/// `CalculatePriceResponse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalculatePriceResponse {
    /// The properties.
    pub properties: CalculatePriceResponseProperties,
}

/// `CalculatePriceResponseProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalculatePriceResponseProperties {
    /// The whole commitment in the customer's billing currency.
    pub billing_currency_total: Price,
    /// The whole commitment in USD, the pricing currency.
    pub pricing_currency_total: Price,
    /// The order to buy under: `PUT …/reservationOrders/{reservationOrderId}` within 10 minutes.
    pub reservation_order_id: String,
    /// E.g. `Reserved VM Instance, Standard_D2s_v5, westeurope, 3 Years`.
    pub sku_title: String,
    /// The SKU's name.
    pub sku_description: String,
    /// Partner Center bills the customer (the desk manages reservations for CSP partners).
    pub is_billing_partner_managed: bool,
    /// Every payment, the first due today: one upfront, one a month for a monthly plan.
    pub payment_schedule: Vec<ScheduledPayment>,
}

/// `PaymentDetail` as `calculatePrice` gives it: a payment to come.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ScheduledPayment {
    /// When it is due.
    pub due_date: NaiveDate,
    /// In the customer's billing currency.
    pub billing_currency_total: Price,
    /// In USD, when the customer is billed in USD (the desk prices other currencies' payments
    /// in their own currency only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pricing_currency_total: Option<Price>,
    /// `Scheduled`: nothing is paid before the purchase.
    pub status: &'static str,
}

fn term_words(term: Term) -> &'static str {
    match term {
        Term::P1Y => "1 Year",
        Term::P3Y => "3 Years",
        Term::P5Y => "5 Years",
    }
}

/// The answer to `calculatePrice` from the desk's purchase quote of `sku` in `location` for
/// `term`, bought by a customer billed in `calculated.quote`'s currency; `usd_commitment` is the
/// commitment in USD.
pub fn calculated(
    calculated: &CalculatePurchaseResponse,
    sku: &str,
    location: &str,
    term: Term,
    usd_commitment: &quote_engine::Money,
) -> CalculatePriceResponse {
    let q = &calculated.quote;
    let in_usd = q.commitment.currency == usd_commitment.currency;
    CalculatePriceResponse {
        properties: CalculatePriceResponseProperties {
            billing_currency_total: Price::from(&q.commitment),
            pricing_currency_total: Price::from(usd_commitment),
            reservation_order_id: calculated.reservation_order_id.clone(),
            sku_title: format!("Reserved instance, {sku}, {location}, {}", term_words(term)),
            sku_description: sku.to_owned(),
            is_billing_partner_managed: true,
            payment_schedule: q
                .schedule
                .iter()
                .map(|p| ScheduledPayment {
                    due_date: p.due,
                    billing_currency_total: Price::from(&p.amount),
                    pricing_currency_total: in_usd.then(|| Price::from(&p.amount)),
                    status: "Scheduled",
                })
                .collect(),
        },
    }
}

/// `SkuProperty`: a name and a value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkuProperty {
    /// E.g. `ProductTitle`.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// `SkuRestriction`: a term that cannot be bought.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SkuRestriction {
    /// `Term`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The terms restricted.
    pub values: Vec<String>,
    /// Why: `RetiredSeries` (a VM series × term retired on the day `ProductTitle` names).
    pub reason_code: String,
}

/// `Catalog`: one SKU in one region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    /// E.g. `VirtualMachines`.
    pub resource_type: String,
    /// The SKU's name, e.g. `Standard_D2s_v5`.
    pub name: String,
    /// The billing plans of each term.
    pub billing_plans: BTreeMap<String, Vec<BillingPlan>>,
    /// The terms sold.
    pub terms: Vec<Term>,
    /// The regions (one per item: the desk prices each SKU per region).
    pub locations: Vec<String>,
    /// `ProductTitle` and `SKUName`.
    pub sku_properties: Vec<SkuProperty>,
    /// The whole-term price of one unit in USD per term (`p1Y`, `p3Y`, `p5Y`).
    pub msrp: BTreeMap<String, Price>,
    /// Terms that cannot be bought today.
    pub restrictions: Vec<SkuRestriction>,
}

/// `CatalogsResult`: one page (the desk's catalog is small: no `nextLink`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CatalogsResult {
    /// The SKUs.
    pub value: Vec<Catalog>,
    /// How many there are.
    pub total_items: u64,
}

/// The catalog as ARM lists it, of the desk's `items` in `location` (any, when `None`) and of
/// `reserved_resource_type` (any, when `None`; both compared in any case), as of `today` (a term
/// retired by then is a restriction).
pub fn catalogs(items: &[CatalogItem], reserved_resource_type: Option<&str>, location: Option<&str>, today: NaiveDate) -> CatalogsResult {
    let value: Vec<Catalog> = items
        .iter()
        .filter(|i| reserved_resource_type.is_none_or(|t| t.eq_ignore_ascii_case(&i.reserved_resource_type)))
        .filter(|i| location.is_none_or(|l| l.eq_ignore_ascii_case(&i.location)))
        .map(|i| {
            let terms: Vec<Term> = i.prices.iter().map(|p| p.term).collect();
            let restricted: Vec<String> =
                i.retired_terms.iter().filter(|r| r.from <= today).map(|r| format!("{:?}", r.term)).collect();
            Catalog {
                resource_type: i.reserved_resource_type.clone(),
                name: i.sku_name.clone(),
                billing_plans: terms.iter().map(|t| (format!("{t:?}"), vec![BillingPlan::Upfront, BillingPlan::Monthly])).collect(),
                terms,
                locations: vec![i.location.clone()],
                sku_properties: vec![
                    SkuProperty { name: "ProductTitle".into(), value: format!("{}, {}", i.reserved_resource_type, i.sku_name) },
                    SkuProperty { name: "SKUName".into(), value: i.sku_name.clone() },
                ],
                msrp: i.prices.iter().map(|p| (format!("p{}Y", p.term.years()), Price::from(&p.unit_price))).collect(),
                restrictions: match restricted.is_empty() {
                    true => Vec::new(),
                    false => vec![SkuRestriction { kind: "Term".into(), values: restricted, reason_code: "RetiredSeries".into() }],
                },
            }
        })
        .collect();
    CatalogsResult { total_items: value.len() as u64, value }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::{CatalogPrice, RetiredTerm};
    use quote_engine::{Currency, Money};
    use rust_decimal::Decimal;

    fn item(sku: &str, location: &str, family: &str) -> CatalogItem {
        CatalogItem {
            sku_id: format!("{sku}/{location}"),
            sku_name: sku.into(),
            reserved_resource_type: family.into(),
            location: location.into(),
            prices: vec![
                CatalogPrice { term: Term::P1Y, unit_price: Money::new(Decimal::new(584_000, 2), Currency::USD) },
                CatalogPrice { term: Term::P3Y, unit_price: Money::new(Decimal::new(1_401_600, 2), Currency::USD) },
            ],
            retired_terms: vec![RetiredTerm { term: Term::P1Y, from: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(), series: "Fsv2".into() }],
            terms: Vec::new(),
            title: None,
            restrictions: Vec::new(),
        }
    }

    #[test]
    fn the_catalog_is_listed_as_get_catalogs_example_shapes_it_filtered_by_type_and_region() {
        let items = [item("Standard_F16s_v2", "westeurope", "VirtualMachines"), item("Redis_P1", "eastus", "RedisCache")];
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let listed = serde_json::to_value(catalogs(&items, Some("virtualmachines"), None, today)).unwrap();
        assert_eq!(listed["totalItems"], 1);
        let c = &listed["value"][0];
        assert_eq!((c["resourceType"].as_str(), c["name"].as_str()), (Some("VirtualMachines"), Some("Standard_F16s_v2")));
        assert_eq!(c["terms"], serde_json::json!(["P1Y", "P3Y"]));
        assert_eq!(c["billingPlans"]["P3Y"], serde_json::json!(["Upfront", "Monthly"]));
        assert_eq!(c["locations"], serde_json::json!(["westeurope"]));
        assert_eq!(c["msrp"]["p1Y"], serde_json::json!({"currencyCode": "USD", "amount": 5840.00}));
        assert_eq!(c["restrictions"][0], serde_json::json!({"type": "Term", "values": ["P1Y"], "reasonCode": "RetiredSeries"}));
        let before = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        assert_eq!(catalogs(&items, None, Some("WestEurope"), before).value[0].restrictions, vec![], "not retired yet");
        assert_eq!(catalogs(&items, None, Some("eastus"), today).value[0].name, "Redis_P1");
    }
}
