//! ARM's reservations in the token's tenant (`Microsoft.Capacity` 2022-11-01), paged with an
//! absolute `nextLink` and `$skiptoken`.


use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// ARM's `GET /providers/Microsoft.Capacity/reservations` in the token's tenant.
pub(super) async fn reservations_page(State(s): State<Arc<Inner>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let claims = match arm_claims(&s, &headers, &query) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    let seen = {
        let mut record = s.record.lock().unwrap();
        let n = record.arm.entry(tenant.clone()).or_default();
        *n += 1;
        *n
    };
    let state = s.tenants.lock().unwrap().get(&tenant).cloned();
    let listed = match state.as_ref() {
        None => Vec::new(),
        Some(Tenant::Forbidden) => {
            let message = format!("The client with object id '{}' does not have authorization to perform action 'Microsoft.Capacity/reservations/read' over scope '/providers/Microsoft.Capacity' or the scope is invalid.", claims["oid"].as_str().unwrap_or_default());
            return (StatusCode::FORBIDDEN, Json(json!({"error": {"code": "AuthorizationFailed", "message": message}}))).into_response();
        }
        Some(Tenant::Throttled { seconds, times, then }) => {
            if seen <= *times {
                let body = json!({"error": {"code": "TooManyRequests", "message": "The request is being throttled."}});
                return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", seconds.to_string())], Json(body)).into_response();
            }
            then.clone()
        }
        Some(Tenant::Reservations(all)) => all.clone(),
        // The token endpoint refused this tenant's token: no request gets here with one.
        Some(Tenant::NotConsented { .. }) => Vec::new(),
        Some(Tenant::Fails { status, code, message }) => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, Json(json!({"error": {"code": code, "message": message}}))).into_response();
        }
    };
    let start: usize = query.get("$skiptoken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let per_page = s.options.page;
    let value: Vec<Value> = listed.iter().skip(start).take(per_page).cloned().collect();
    let mut page = json!({"value": value, "summary": {"succeededCount": listed.len()}});
    if start + per_page < listed.len() {
        page["nextLink"] = json!(format!("{}/providers/Microsoft.Capacity/reservations?api-version=2022-11-01&$skiptoken={}", s.base, start + per_page));
    }
    Json(page).into_response()
}
