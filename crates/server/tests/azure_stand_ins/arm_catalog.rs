//! ARM's catalog (`GET /subscriptions/{id}/providers/Microsoft.Capacity/catalogs`, 2022-11-01),
//! in the shape the specification gives (`CatalogsResult`: `value`, `nextLink`) with the members
//! of Microsoft's `GetCatalog.json`: what Partner Center sells in this stand-in
//! ([`super::Purchases::catalog`]), one item per SKU and region, its terms (those with a
//! price), both billing plans, its `skuProperties` and the restrictions a test sets. Like ARM it
//! answers virtual machines when no `reservedResourceType` is asked, only a subscription of the
//! token's tenant, and pages with `$skiptoken`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// The catalog stand-in's switches and record.
#[derive(Debug, Default)]
pub struct Catalogs {
    /// (ARM SKU name, term) → reason code: a term Azure does not sell this subscription.
    pub term_restrictions: HashMap<(String, String), String>,
    /// Every catalog read answers `403 AuthorizationFailed`.
    pub forbidden: bool,
    /// Each read: (subscription, `reservedResourceType`, `location`).
    pub reads: Vec<(String, Option<String>, Option<String>)>,
}

impl StandIns {
    /// Reads or changes the catalog stand-in.
    pub fn catalogs<T>(&self, f: impl FnOnce(&mut Catalogs) -> T) -> T {
        f(&mut self.inner.catalogs.lock().unwrap())
    }
}

pub(super) async fn catalogs_page(
    State(s): State<Arc<Inner>>, Path(subscription): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>,
) -> Response {
    let claims = match arm_claims(&s, &headers, &query) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    let kind = query.get("reservedResourceType").cloned();
    let location = query.get("location").cloned();
    let mut c = s.catalogs.lock().unwrap();
    c.reads.push((subscription.clone(), kind.clone(), location.clone()));
    let scope = format!("/subscriptions/{subscription}");
    if c.forbidden || matches!(s.tenants.lock().unwrap().get(&tenant), Some(Tenant::Forbidden)) {
        let message = format!(
            "The client with object id '{}' does not have authorization to perform action 'Microsoft.Capacity/catalogs/read' over scope '{scope}' or the scope is invalid.",
            claims["oid"].as_str().unwrap_or_default()
        );
        return arm_error(StatusCode::FORBIDDEN, "AuthorizationFailed", &message);
    }
    if !super::consumption::subscriptions_of(&s, &tenant).iter().any(|sub| sub.id == subscription) {
        return arm_error(StatusCode::NOT_FOUND, "SubscriptionNotFound", &format!("The subscription '{subscription}' could not be found."));
    }
    let kind = kind.unwrap_or_else(|| "VirtualMachines".into());
    let purchases = s.purchases.lock().unwrap();
    // One item per ARM SKU and region of the type asked, its terms those with a price.
    let mut items: Vec<Value> = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for sku in purchases.catalog.iter().filter(|c| c.product_sub_type.eq_ignore_ascii_case(&kind)) {
        if location.as_deref().is_some_and(|l| !l.eq_ignore_ascii_case(&sku.arm_region_name)) {
            continue;
        }
        let key = (sku.arm_sku_name.clone(), sku.arm_region_name.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let terms: Vec<&str> = ["P1Y", "P3Y", "P5Y"].into_iter().filter(|t| purchases.unit_price(&sku.arm_sku_name, t).is_some()).collect();
        let restrictions: Vec<Value> = terms
            .iter()
            .filter_map(|t| c.term_restrictions.get(&(sku.arm_sku_name.clone(), (*t).to_owned())).map(|why| json!({"type": "Term", "values": [t], "reasonCode": why})))
            .collect();
        let plans: serde_json::Map<String, Value> = terms.iter().map(|t| ((*t).to_owned(), json!(["Upfront", "Monthly"]))).collect();
        items.push(json!({
            "resourceType": sku.product_sub_type, "name": sku.arm_sku_name, "terms": terms, "billingPlans": plans,
            "locations": [sku.arm_region_name],
            "skuProperties": [{"name": "ProductTitle", "value": sku.product_title}, {"name": "SKUName", "value": sku.arm_sku_name}],
            "restrictions": restrictions
        }));
    }
    let start: usize = query.get("$skiptoken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let value: Vec<Value> = items.iter().skip(start).take(s.options.page).cloned().collect();
    let mut page = json!({"value": value, "totalItems": items.len()});
    if start + s.options.page < items.len() {
        let mut next = format!("{}/subscriptions/{subscription}/providers/Microsoft.Capacity/catalogs?api-version=2022-11-01&reservedResourceType={kind}", s.base);
        if let Some(l) = &location {
            next.push_str(&format!("&location={l}"));
        }
        page["nextLink"] = json!(format!("{next}&$skiptoken={}", start + s.options.page));
    }
    Json(page).into_response()
}
