//! What to buy, as Azure answers it in the token's tenant: ARM's Subscriptions - List (`GET
//! /subscriptions?api-version=2022-12-01`, the subscriptions the user sees there) and
//! Microsoft.Consumption's reservation recommendations of one subscription (`GET
//! /subscriptions/{id}/providers/Microsoft.Consumption/reservationRecommendations`, api-version
//! 2023-05-01), each item in the shape of the specification's
//! `ReservationRecommendationsFilterBySubscriptionForScopeLookBackPeriod.json` (legacy kind) or
//! `ReservationRecommendationsByBillingProfile.json` (modern kind), for the scope, look-back and
//! resource type the `$filter` asks (Azure's defaults without one: `Single`, `Last7Days`,
//! `VirtualMachines`; an item without `properties.resourceType` is a virtual machine's): a
//! subscription's own at `Single`, the tenant's shared ones (its billing context's, the same from
//! every subscription) at `Shared`; no recommendation is a `204`. Both are paged with an absolute `nextLink` and
//! `$skiptoken`. A tenant the test sets nothing for has one subscription, `{tenant}-sub`,
//! recommending each SKU its reservations hold for one and three years, with the published
//! example's figures. Every request is recorded with its token's tenant, user and grant.
//! Switches: a subscription whose recommendations the user may not read (`403`), a tenant whose
//! user may read nothing (`Tenant::Forbidden`: `403` on the list).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// A subscription of a tenant, and what its recommendations answer.
#[derive(Clone, Debug)]
pub struct Subscription {
    /// Its ID.
    pub id: String,
    /// `Enabled`, `Disabled`, …
    pub state: String,
    /// Its recommendations are refused to the user (`403 AuthorizationFailed`).
    pub refused: bool,
    /// Its recommendations ([`recommendation`]), for itself.
    pub recommendations: Vec<Value>,
}

impl Subscription {
    /// An enabled subscription recommending `recommendations`.
    pub fn enabled(id: &str, recommendations: Vec<Value>) -> Self {
        Self { id: id.to_owned(), state: "Enabled".into(), refused: false, recommendations }
    }
}

/// One request the stand-in answered, and the token it came with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asked {
    /// The path asked.
    pub path: String,
    /// The `$filter`, when there was one.
    pub filter: Option<String>,
    /// The token's tenant (`tid`).
    pub tenant: String,
    /// The token's user (`oid`).
    pub user: String,
    /// How the token was obtained (`obo`, `refresh_token`).
    pub via: String,
}

/// What the consumption stand-in holds and has seen.
#[derive(Debug, Default)]
pub struct Consumption {
    /// Each tenant's subscriptions, as a test sets them.
    pub subscriptions: HashMap<String, Vec<Subscription>>,
    /// Each tenant's shared-scope recommendations ([`recommendation`], [`modern`]), answered
    /// alike from every one of its subscriptions.
    pub shared: HashMap<String, Vec<Value>>,
    /// Every request answered (or refused), in order.
    pub asked: Vec<Asked>,
}

impl StandIns {
    /// Reads or changes the consumption stand-in (a test's data and switches).
    pub fn consumption<T>(&self, f: impl FnOnce(&mut Consumption) -> T) -> T {
        f(&mut self.inner.consumption.lock().unwrap())
    }
}

/// A legacy recommendation in the published example's shape: `quantity` units of `sku` in
/// `location` for `term`, its costs over the look-back period (the scope, subscription and
/// look-back are the request's). Numbers go out as JSON numbers.
pub fn recommendation(sku: &str, location: &str, term: &str, quantity: u32, without: f64, with: f64, net: f64) -> Value {
    json!({
        "type": "Microsoft.Consumption/reservationRecommendations",
        "sku": sku, "location": location, "kind": "legacy",
        "properties": {
            "meterId": "00000000-0000-0000-0000-000000000000", "term": term,
            "costWithNoReservedInstances": without, "recommendedQuantity": quantity,
            "totalCostWithReservedInstances": with, "netSavings": net,
            "firstUsageDate": "2026-10-27T00:00:00Z",
            "skuProperties": [{"name": "Cores", "value": "4"}, {"name": "Ram", "value": "16"}]
        }
    })
}

/// A modern recommendation in the shape of `ReservationRecommendationsByBillingProfile.json`:
/// `quantity` units of `sku` (Azure's `resource_type`, e.g. `sqldatabases`) in `location` for
/// `term`, its costs with their `currency`.
#[allow(clippy::too_many_arguments)]
pub fn modern(resource_type: &str, sku: &str, location: &str, term: &str, quantity: u32, currency: &str, without: f64, with: f64, net: f64) -> Value {
    json!({
        "type": "Microsoft.Consumption/reservationRecommendations", "kind": "modern",
        "properties": {
            "costWithNoReservedInstances": {"currency": currency, "value": without},
            "firstUsageDate": "2026-09-27T00:00:00Z", "instanceFlexibilityGroup": "NA", "instanceFlexibilityRatio": 1,
            "location": location, "meterId": "30f7049a-b092-42f4-9173-9ec31ab945ad",
            "netSavings": {"currency": currency, "value": net}, "normalizedSize": sku,
            "recommendedQuantity": quantity, "recommendedQuantityNormalized": quantity, "resourceType": resource_type,
            "skuName": sku, "skuProperties": null, "term": term,
            "totalCostWithReservedInstances": {"currency": currency, "value": with}
        }
    })
}

/// A tenant's subscriptions: the test's, else one recommending each SKU its reservations hold.
pub(super) fn subscriptions_of(s: &Inner, tenant: &str) -> Vec<Subscription> {
    if let Some(set) = s.consumption.lock().unwrap().subscriptions.get(tenant) {
        return set.clone();
    }
    let reservations = match s.tenants.lock().unwrap().get(tenant) {
        Some(Tenant::Reservations(all)) | Some(Tenant::Throttled { then: all, .. }) => all.clone(),
        _ => Vec::new(),
    };
    let mut skus: Vec<(String, String)> = reservations
        .iter()
        .map(|r| (r["sku"]["name"].as_str().unwrap_or_default().to_owned(), r["location"].as_str().unwrap_or_default().to_owned()))
        .collect();
    skus.sort();
    skus.dedup();
    let recommendations = skus
        .iter()
        .flat_map(|(sku, location)| {
            [recommendation(sku, location, "P1Y", 1, 0.0, 0.0, 4.634521202630137), recommendation(sku, location, "P3Y", 1, 0.0, 0.0, 7.289315723178081)]
        })
        .collect();
    vec![Subscription::enabled(&format!("{tenant}-sub"), recommendations)]
}

/// The token's claims for ARM, the request recorded; or the answer refusing it.
fn admitted(s: &Inner, headers: &HeaderMap, path: &str, query: &HashMap<String, String>, api_version: &str) -> Result<Value, Box<Response>> {
    let claims = verified(s, headers, ARM_AUDIENCE)?;
    let text = |k: &str| claims[k].as_str().unwrap_or_default().to_owned();
    s.consumption.lock().unwrap().asked.push(Asked {
        path: path.to_owned(),
        filter: query.get("$filter").cloned(),
        tenant: text("tid"),
        user: text("oid"),
        via: text("via"),
    });
    if query.get("api-version").map(String::as_str) != Some(api_version) {
        return Err(Box::new(arm_error(StatusCode::BAD_REQUEST, "InvalidApiVersionParameter", "The api-version is invalid.")));
    }
    Ok(claims)
}

fn refused(claims: &Value, action: &str, scope: &str) -> Response {
    let message = format!(
        "The client with object id '{}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid.",
        claims["oid"].as_str().unwrap_or_default()
    );
    arm_error(StatusCode::FORBIDDEN, "AuthorizationFailed", &message)
}

/// `items` from `$skiptoken` on, a page at a time, with the next page's `link` (given the next
/// start) when more remain.
fn paged(s: &Inner, query: &HashMap<String, String>, items: &[Value], link: impl Fn(usize) -> String) -> Value {
    let start: usize = query.get("$skiptoken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let value: Vec<Value> = items.iter().skip(start).take(s.options.page).cloned().collect();
    let mut page = json!({"value": value});
    if start + s.options.page < items.len() {
        page["nextLink"] = json!(link(start + s.options.page));
    }
    page
}

/// ARM's `GET /subscriptions?api-version=2022-12-01` in the token's tenant.
pub(super) async fn subscriptions_page(State(s): State<Arc<Inner>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let claims = match admitted(&s, &headers, "/subscriptions", &query, "2022-12-01") {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    if matches!(s.tenants.lock().unwrap().get(&tenant), Some(Tenant::Forbidden)) {
        return refused(&claims, "Microsoft.Resources/subscriptions/read", "/subscriptions");
    }
    let listed: Vec<Value> = subscriptions_of(&s, &tenant)
        .iter()
        .map(|sub| {
            json!({
                "id": format!("/subscriptions/{}", sub.id), "authorizationSource": "RoleBased", "managedByTenants": [],
                "subscriptionId": sub.id, "tenantId": tenant, "displayName": format!("{} subscription", sub.id), "state": sub.state,
                "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "CSP_2015-05-01", "spendingLimit": "Off"}
            })
        })
        .collect();
    Json(paged(&s, &query, &listed, |next| format!("{}/subscriptions?api-version=2022-12-01&$skiptoken={next}", s.base))).into_response()
}

/// The scope, look-back and resource type a `$filter` asks (`properties/X eq 'V'` joined by
/// `and`), Azure's defaults for what it leaves out; `None` when it is not such a filter.
fn asked_for(filter: Option<&String>) -> Option<(String, String, String)> {
    let (mut scope, mut look_back, mut resource_type) = ("Single".to_owned(), "Last7Days".to_owned(), "VirtualMachines".to_owned());
    let Some(filter) = filter else { return Some((scope, look_back, resource_type)) };
    for clause in filter.split(" AND ").flat_map(|c| c.split(" and ")) {
        let (name, value) = clause.trim().split_once(" eq ")?;
        let value = value.trim().strip_prefix('\'')?.strip_suffix('\'')?.to_owned();
        match name.trim() {
            "properties/scope" if ["Single", "Shared"].contains(&value.as_str()) => scope = value,
            "properties/lookBackPeriod" if ["Last7Days", "Last30Days", "Last60Days"].contains(&value.as_str()) => look_back = value,
            "properties/resourceType" if !value.is_empty() => resource_type = value,
            _ => return None,
        }
    }
    Some((scope, look_back, resource_type))
}

/// Whether `item` recommends a reservation of `resource_type` (as the filter names it).
fn of_type(item: &Value, resource_type: &str) -> bool {
    item["properties"]["resourceType"].as_str().unwrap_or("virtualMachines").eq_ignore_ascii_case(resource_type)
}

/// Microsoft.Consumption's `GET /subscriptions/{id}/providers/Microsoft.Consumption/reservationRecommendations`.
pub(super) async fn recommendations_page(
    State(s): State<Arc<Inner>>,
    Path(subscription): Path<String>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let path = format!("/subscriptions/{subscription}/providers/Microsoft.Consumption/reservationRecommendations");
    let claims = match admitted(&s, &headers, &path, &query, "2023-05-01") {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    let Some(found) = subscriptions_of(&s, &tenant).into_iter().find(|sub| sub.id == subscription) else {
        return arm_error(StatusCode::NOT_FOUND, "SubscriptionNotFound", &format!("The subscription '{subscription}' could not be found."));
    };
    if found.refused || matches!(s.tenants.lock().unwrap().get(&tenant), Some(Tenant::Forbidden)) {
        return refused(&claims, "Microsoft.Consumption/reservationRecommendations/read", &format!("/subscriptions/{subscription}"));
    }
    let Some((scope, look_back, resource_type)) = asked_for(query.get("$filter")) else {
        return arm_error(StatusCode::BAD_REQUEST, "BadRequest", "Invalid $filter.");
    };
    let items: Vec<Value> = if scope == "Single" {
        found.recommendations.clone()
    } else {
        s.consumption.lock().unwrap().shared.get(&tenant).cloned().unwrap_or_default()
    };
    let items: Vec<Value> = items.into_iter().filter(|item| of_type(item, &resource_type)).collect();
    if items.is_empty() {
        return StatusCode::NO_CONTENT.into_response();
    }
    let items: Vec<Value> = items
        .into_iter()
        .enumerate()
        .map(|(i, mut item)| {
            item["id"] = json!(format!("subscriptions/{subscription}/providers/Microsoft.Consumption/reservationRecommendations/reservationRecommendations{}", i + 1));
            item["name"] = json!(format!("reservationRecommendations{}", i + 1));
            // A modern recommendation says its look-back in days.
            let days: u32 = look_back.trim_start_matches("Last").trim_end_matches("Days").parse().unwrap_or(7);
            let modern = item["kind"] == "modern";
            item["properties"]["lookBackPeriod"] = if modern { json!(days) } else { json!(look_back) };
            item["properties"]["scope"] = json!(scope);
            if scope == "Single" {
                item["properties"]["subscriptionId"] = json!(subscription);
            }
            item
        })
        .collect();
    let filter = format!("properties/scope+eq+'{scope}'+AND+properties/lookBackPeriod+eq+'{look_back}'+AND+properties/resourceType+eq+'{resource_type}'");
    Json(paged(&s, &query, &items, |next| format!("{}{path}?api-version=2023-05-01&$filter={filter}&$skiptoken={next}", s.base))).into_response()
}
