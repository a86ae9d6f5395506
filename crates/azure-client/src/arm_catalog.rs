//! ARM's catalog of what a subscription may buy (`GET /subscriptions/{id}/providers/
//! Microsoft.Capacity/catalogs`, api-version 2022-11-01, the shape of the specification's
//! `GetCatalog.json`), read on behalf of the signed-in user in the customer's tenant, every page.
//! The specification answers a `CatalogsResult` (`value`, `nextLink`); Microsoft's published
//! example answers a bare array: both are read. Every property is optional, as in the
//! specification: an item without a name is left out (logged); one without `locations` is
//! sold everywhere (the specification's words), so it is the asked location's; one without
//! `billingPlans` is taken as paid upfront only (the plan every reservation can be paid on).

use std::collections::BTreeMap;

use contract::{CatalogItem, CatalogRestriction, CatalogTerm, RestrictionKind};
use quote_engine::{BillingPlan, Term};
use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::arm_ids::checked;
use crate::lro::same_origin;
use crate::{AzureClient, AzureError, OnBehalfOf, ARM_SCOPE, CAPACITY_API_VERSION};

const MOST_PAGES: usize = 200;

#[derive(Deserialize)]
#[serde(untagged)]
enum Page {
    Result {
        #[serde(default)]
        value: Option<Vec<serde_json::Value>>,
        #[serde(default, rename = "nextLink")]
        next_link: Option<String>,
    },
    Bare(Vec<serde_json::Value>),
}

/// `Catalog`, every member optional.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    resource_type: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    terms: Option<Vec<String>>,
    #[serde(default)]
    billing_plans: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    locations: Option<Vec<String>>,
    #[serde(default)]
    sku_properties: Option<Vec<SkuProperty>>,
    #[serde(default)]
    restrictions: Option<Vec<Restriction>>,
}

#[derive(Deserialize)]
struct SkuProperty {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Restriction {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    values: Option<Vec<String>>,
    #[serde(default)]
    reason_code: Option<String>,
}

/// One page of ARM's catalog as the desk reads it.
#[derive(Debug, Default)]
pub(crate) struct CatalogRead {
    /// One item per SKU and location.
    pub items: Vec<CatalogItem>,
    /// Why each other listed item was left out.
    pub skipped: Vec<String>,
    /// The next page.
    pub next_link: Option<String>,
}

fn term_of(text: &str) -> Option<Term> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

fn plan_of(text: &str) -> Option<BillingPlan> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

/// Reads one page of ARM's catalog, each item for each of its locations (`asked_location` for
/// an item that names none). `Err` only when the answer is not such a page.
pub(crate) fn read_catalog(body: &[u8], asked_location: Option<&str>) -> Result<CatalogRead, serde_json::Error> {
    let (values, next_link) = match serde_json::from_slice::<Page>(body)? {
        Page::Result { value, next_link } => (value.unwrap_or_default(), next_link.filter(|l| !l.is_empty())),
        Page::Bare(values) => (values, None),
    };
    let mut read = CatalogRead { next_link, ..CatalogRead::default() };
    for (i, value) in values.into_iter().enumerate() {
        let item: Item = match serde_json::from_value(value) {
            Ok(item) => item,
            Err(e) => {
                read.skipped.push(format!("item {i} is not a catalog item: {e}"));
                continue;
            }
        };
        let Some(name) = item.name.filter(|n| !n.trim().is_empty()) else {
            read.skipped.push(format!("item {i} has no SKU name"));
            continue;
        };
        let resource_type = item.resource_type.unwrap_or_default();
        let plans = item.billing_plans.unwrap_or_default();
        let terms: Vec<CatalogTerm> = item
            .terms
            .unwrap_or_default()
            .iter()
            .filter_map(|t| term_of(t).map(|term| (t, term)))
            .map(|(text, term)| CatalogTerm {
                term,
                billing_plans: match plans.get(text.as_str()) {
                    Some(named) => named.iter().filter_map(|p| plan_of(p)).collect(),
                    None if plans.is_empty() => vec![BillingPlan::Upfront],
                    None => Vec::new(),
                },
            })
            .collect();
        let property = |wanted: &str| {
            item.sku_properties.iter().flatten().find(|p| p.name.as_deref() == Some(wanted)).and_then(|p| p.value.clone()).filter(|v| !v.trim().is_empty())
        };
        let title = property("ProductTitle");
        let restrictions: Vec<CatalogRestriction> = item
            .restrictions
            .unwrap_or_default()
            .into_iter()
            .map(|r| CatalogRestriction {
                kind: match r.kind.as_deref() {
                    Some(k) if k.eq_ignore_ascii_case("Term") => RestrictionKind::Term,
                    Some(k) if k.eq_ignore_ascii_case("Location") => RestrictionKind::Location,
                    _ => RestrictionKind::Other,
                },
                values: r.values.unwrap_or_default(),
                reason_code: r.reason_code.unwrap_or_else(|| "NotGiven".into()),
            })
            .collect();
        let locations: Vec<String> = match item.locations.filter(|l| !l.is_empty()) {
            Some(listed) => listed.into_iter().filter(|l| asked_location.is_none_or(|a| a.eq_ignore_ascii_case(l))).collect(),
            None => asked_location.map(str::to_owned).into_iter().collect(),
        };
        if locations.is_empty() {
            read.skipped.push(format!("{name} names no location the desk can sell it in"));
        }
        for location in locations {
            read.items.push(CatalogItem {
                sku_id: format!("{name}/{location}"),
                sku_name: name.clone(),
                reserved_resource_type: resource_type.clone(),
                location,
                prices: Vec::new(),
                retired_terms: Vec::new(),
                terms: terms.clone(),
                title: title.clone(),
                restrictions: restrictions.clone(),
            });
        }
    }
    Ok(read)
}

/// ARM's catalog of `subscription_id` in `tenant` for `reserved_resource_type` in `location`
/// (each optional), every page, on behalf of `user`.
pub(crate) async fn catalog(
    client: &AzureClient,
    user: &OnBehalfOf,
    tenant: &str,
    subscription_id: &str,
    reserved_resource_type: Option<&str>,
    location: Option<&str>,
) -> Result<Vec<CatalogItem>, AzureError> {
    let subscription_id = checked(subscription_id)?;
    let reserved_resource_type = reserved_resource_type.map(checked).transpose()?;
    let location = location.map(checked).transpose()?;
    let token = client.token(user, tenant, ARM_SCOPE).await?;
    let base = client.settings.arm_url.trim_end_matches('/');
    let mut url = format!("{base}/subscriptions/{subscription_id}/providers/Microsoft.Capacity/catalogs?api-version={CAPACITY_API_VERSION}");
    if let Some(t) = reserved_resource_type {
        url.push_str(&format!("&reservedResourceType={t}"));
    }
    if let Some(l) = location {
        url.push_str(&format!("&location={l}"));
    }
    let what = format!("catalog of subscription {subscription_id}");
    let (mut next, mut out, mut pages) = (Some(url), Vec::new(), 0);
    while let Some(url) = next.take() {
        pages += 1;
        if pages > MOST_PAGES {
            return Err(AzureError::new("TooManyPages", format!("ARM gave more than {MOST_PAGES} pages of the {what}")));
        }
        let asking = format!("Azure Resource Manager's {what} in tenant {tenant}");
        let answer = client.send(tenant, &asking, || client.http.get(&url).bearer_auth(token.expose_secret())).await?;
        let page = read_catalog(&answer.body, location).map_err(|e| answer.unreadable("ARM's catalog", e))?;
        for why in &page.skipped {
            tracing::warn!("an item of the {what} in tenant {tenant} was left out: {why}");
        }
        out.extend(page.items);
        next = match page.next_link {
            Some(link) if same_origin(&link, base) => Some(link),
            Some(_) => return Err(AzureError::new("UnexpectedLink", format!("ARM's nextLink for the {what} points at another host")).with_request(answer.request.clone())),
            None => None,
        };
    }
    Ok(out)
}

/// ARM's `calculatePrice` of `purchase` in `tenant` for `reader` (a signed-in user or the stored
/// grant): what Azure charges today for the same SKU, region, term and plan, read as the desk's
/// purchases read it (`arm_price.rs`).
pub(crate) async fn price_for(client: &AzureClient, reader: &crate::Reader, tenant: &str, purchase: &azure_api::exchange::PurchaseRequest) -> Result<crate::CalculatedPrice, AzureError> {
    let token = client.token_for(reader, tenant, ARM_SCOPE).await?;
    let url = client.capacity_url("calculatePrice");
    let what = format!("Azure Resource Manager's price of {} in tenant {tenant}", purchase.sku.name);
    let answer = client.send(tenant, &what, || client.http.post(&url).bearer_auth(token.expose_secret()).json(purchase)).await?;
    crate::arm_price::price_of(&answer.body).map_err(|why| answer.unreadable("ARM's calculatePrice", why))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_json::{paths, without};

    const PUBLISHED: &str = include_str!("../../azure-api/tests/published/microsoft.capacity-2022-11-01/examples/GetCatalog.json");

    fn published_body() -> serde_json::Value {
        let example: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
        example["responses"]["200"]["body"].clone()
    }

    #[test]
    fn microsofts_published_catalog_reads_with_its_restrictions() {
        let body = published_body();
        let read = read_catalog(body.to_string().as_bytes(), Some("eastus")).unwrap();
        assert!(read.skipped.is_empty(), "{:?}", read.skipped);
        let names: Vec<&str> = read.items.iter().map(|i| i.sku_id.as_str()).collect();
        assert_eq!(names, ["Standard_DS5_v2/eastus", "Standard_D1/eastus", "Standard_F2/eastus"]);
        let ds5 = &read.items[0];
        assert_eq!(ds5.title.as_deref(), Some("DSv2 Series, DS5"));
        assert_eq!(ds5.reserved_resource_type, "VirtualMachines");
        assert_eq!(ds5.plans_of(Term::P3Y), [BillingPlan::Upfront, BillingPlan::Monthly]);
        assert!(ds5.plans_of(Term::P5Y).is_empty(), "not sold for 5 years");
        assert_eq!(ds5.restriction_of(Term::P1Y), None);
        // Standard_D1: both terms restricted; Standard_F2: its location.
        let d1 = &read.items[1];
        assert_eq!(d1.restriction_of(Term::P1Y).map(|r| (r.kind, r.reason_code.as_str())), Some((RestrictionKind::Term, "NotAvailableForSubscription")));
        assert!(d1.restriction_of(Term::P3Y).is_some());
        let f2 = &read.items[2];
        assert_eq!(f2.restriction_of(Term::P1Y).map(|r| (r.kind, r.values.clone())), Some((RestrictionKind::Location, vec!["eastus".to_owned()])));
        // The specification's own shape reads the same, and its next page is followed.
        let result = serde_json::json!({"value": body, "nextLink": "https://management.azure.com/next", "totalItems": 3});
        let paged = read_catalog(result.to_string().as_bytes(), Some("eastus")).unwrap();
        assert_eq!(paged.items, read.items);
        assert_eq!(paged.next_link.as_deref(), Some("https://management.azure.com/next"));
        assert!(read_catalog(b"{\"error\": 1", None).is_err());
    }

    #[test]
    fn removing_any_property_of_the_published_catalog_leaves_the_rest_read() {
        let published = published_body();
        let all = paths(&published);
        assert!(all.len() > 20, "{all:?}");
        for path in all {
            let changed = without(&published, &path);
            let read = read_catalog(changed.to_string().as_bytes(), Some("eastus")).unwrap_or_else(|e| panic!("without {path}: {e}"));
            let touched: Option<usize> = path.trim_start_matches('/').split('/').next().and_then(|i| i.parse().ok());
            let key = path.rsplit('/').next().unwrap();
            for i in 0..3 {
                if Some(i) == touched && key == "name" && path.matches('/').count() == 2 {
                    // Without its name an item cannot be bought: left out, and said.
                    assert_eq!(read.items.len(), 2, "without {path}");
                    assert_eq!(read.skipped.len(), 1, "without {path}");
                    continue;
                }
                if Some(i) != touched {
                    let original = &read_catalog(published.to_string().as_bytes(), Some("eastus")).unwrap().items[i];
                    assert!(read.items.contains(original), "without {path}: item {i} changed");
                }
            }
            match (touched, key) {
                (Some(i), "billingPlans") => assert_eq!(read.items[i].plans_of(Term::P1Y), [BillingPlan::Upfront], "without billingPlans: upfront only"),
                (Some(i), "locations") => assert_eq!(read.items[i].location, "eastus", "without locations: sold where asked"),
                _ => {}
            }
        }
    }
}
