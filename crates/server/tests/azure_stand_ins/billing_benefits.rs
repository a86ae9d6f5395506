//! Azure's savings plans (Microsoft.BillingBenefits 2022-11-01), as the specification's published
//! examples show them (`SavingsPlansList.json`, `SavingsPlanItemExpandedGet.json`):
//! `GET /providers/Microsoft.BillingBenefits/savingsPlans` lists every plan of the token's tenant,
//! paged with an absolute `nextLink` and `$skiptoken`, without `renewProperties` (the lists take
//! no `$expand`); `GET …/savingsPlanOrders/{order}/savingsPlans/{id}` answers one plan, with its
//! `renewProperties` only when asked `$expand=renewProperties`, `404 SavingsPlanNotFound` for one
//! the tenant does not hold. A tenant can be set to refuse the list (`AuthorizationFailed` 403,
//! or any other error of ARM's), and one plan's read can be made to fail.
//!
//! The state is one list, [`SavingsPlans::held`]: `(tenant, plan)` in the order listed. Anything
//! that gives a customer a savings plan in Azure (a trade-in through ARM's exchange) pushes the
//! plan ARM then holds onto it ([`savings_plan`] writes one).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// The savings plans' state and switches.
#[derive(Default)]
pub struct SavingsPlans {
    /// Every plan Azure holds: (tenant, the plan as ARM answers `SavingsPlan_Get` with
    /// `$expand=renewProperties`), in the order listed.
    pub held: Vec<(String, Value)>,
    /// Tenants whose list ARM refuses: (status, code, message).
    pub refused: HashMap<String, (u16, String, String)>,
    /// Plans (by their GUID) whose own read fails with a 500.
    pub failing_reads: HashSet<String>,
    /// Every request's path and query, in order.
    pub requests: Vec<String>,
}

/// A savings plan as ARM answers it (the shape of `SavingsPlanItemExpandedGet.json`): `hourly`
/// in `currency`, `utilization` as (grain in days, percent) pairs, and when `renews_into` names a
/// renewal's display name, `renew: true` with `renewProperties` buying the same plan again.
#[allow(clippy::too_many_arguments)]
pub fn savings_plan(
    order: &str, id: &str, name: &str, hourly: f64, currency: &str, term: &str, monthly: bool, start: &str, expiry: &str, utilization: &[(f64, f64)],
    renews_into: Option<&str>,
) -> Value {
    let aggregates: Vec<Value> =
        utilization.iter().map(|(grain, value)| json!({"grain": grain, "grainUnit": "days", "value": value, "valueUnit": "percentage"})).collect();
    let mut plan = json!({
        "id": format!("/providers/Microsoft.BillingBenefits/savingsPlanOrders/{order}/savingsPlans/{id}"),
        "name": format!("{order}/{id}"),
        "type": "Microsoft.BillingBenefits/savingsPlanOrders/savingsPlans",
        "sku": {"name": "Compute_Savings_Plan"},
        "properties": {
            "billingScopeId": "/subscriptions/sub-contoso-prod",
            "commitment": {"grain": "Hourly", "currencyCode": currency, "amount": hourly},
            "renew": renews_into.is_some(),
            "appliedScopeType": "Shared",
            "displayName": name,
            "provisioningState": "Succeeded",
            "displayProvisioningState": "Succeeded",
            "userFriendlyAppliedScopeType": "Shared",
            "term": term,
            "purchaseDateTime": start,
            "effectiveDateTime": start,
            "benefitStartTime": start,
            "expiryDateTime": expiry,
            "utilization": {"trend": "", "aggregates": aggregates}
        }
    });
    if monthly {
        plan["properties"]["billingPlan"] = json!("P1M");
    }
    if let Some(renewal) = renews_into {
        plan["properties"]["renewProperties"] = json!({"purchaseProperties": {
            "sku": {"name": "Compute_Savings_Plan"},
            "properties": {"billingScopeId": "/subscriptions/sub-contoso-prod", "term": term, "billingPlan": if monthly { "P1M" } else { "Upfront" },
                "displayName": renewal, "appliedScopeType": "Shared", "commitment": {"grain": "Hourly", "currencyCode": currency, "amount": hourly}}
        }});
    }
    plan
}

impl StandIns {
    /// Reads or changes the savings plans' state and switches.
    pub fn savings_plans<T>(&self, f: impl FnOnce(&mut SavingsPlans) -> T) -> T {
        f(&mut self.inner.savings_plans.lock().unwrap())
    }
}

fn listed(plan: &Value) -> Value {
    let mut plan = plan.clone();
    if let Some(properties) = plan.get_mut("properties").and_then(Value::as_object_mut) {
        properties.remove("renewProperties");
    }
    plan
}

/// ARM's `GET /providers/Microsoft.BillingBenefits/savingsPlans` in the token's tenant.
pub(super) async fn list(State(s): State<Arc<Inner>>, headers: HeaderMap, uri: axum::http::Uri, Query(query): Query<HashMap<String, String>>) -> Response {
    let claims = match arm_claims(&s, &headers, &query) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    let (refused, mine) = {
        let mut plans = s.savings_plans.lock().unwrap();
        plans.requests.push(uri.to_string());
        let mine: Vec<Value> = plans.held.iter().filter(|(t, _)| *t == tenant).map(|(_, p)| listed(p)).collect();
        (plans.refused.get(&tenant).cloned(), mine)
    };
    if let Some((status, code, message)) = refused {
        return arm_error(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), &code, &message);
    }
    let start: usize = query.get("$skiptoken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let per_page = s.options.page;
    let value: Vec<Value> = mine.iter().skip(start).take(per_page).cloned().collect();
    let mut page = json!({"value": value, "additionalProperties": [{"name": "summary", "value": {"succeededCount": mine.len()}}]});
    if start + per_page < mine.len() {
        page["nextLink"] = json!(format!("{}/providers/Microsoft.BillingBenefits/savingsPlans?api-version=2022-11-01&$skiptoken={}", s.base, start + per_page));
    }
    Json(page).into_response()
}

/// ARM's `GET /providers/Microsoft.BillingBenefits/savingsPlanOrders/{order}/savingsPlans/{id}`.
pub(super) async fn get_plan(
    State(s): State<Arc<Inner>>, Path((order, id)): Path<(String, String)>, headers: HeaderMap, uri: axum::http::Uri, Query(query): Query<HashMap<String, String>>,
) -> Response {
    let claims = match arm_claims(&s, &headers, &query) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    let mut plans = s.savings_plans.lock().unwrap();
    plans.requests.push(uri.to_string());
    if plans.failing_reads.contains(&id) {
        return arm_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", "The savings plan could not be read now.");
    }
    let wanted = format!("/savingsPlanOrders/{order}/savingsPlans/{id}").to_ascii_lowercase();
    let found = plans.held.iter().find(|(t, p)| *t == tenant && p["id"].as_str().is_some_and(|i| i.to_ascii_lowercase().ends_with(&wanted)));
    match found {
        Some((_, plan)) if query.get("$expand").map(String::as_str) == Some("renewProperties") => Json(plan.clone()).into_response(),
        Some((_, plan)) => Json(listed(plan)).into_response(),
        None => arm_error(StatusCode::NOT_FOUND, "SavingsPlanNotFound", &format!("Savings plan '{order}/{id}' was not found.")),
    }
}
