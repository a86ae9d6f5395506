//! Partner Center's customers, paged with `links.next` and an `MS-ContinuationToken` header, and
//! its application consents (Learn: "Get customer consent as Control Panel Vendor"): `POST
//! /v1/customers/{id}/applicationconsents` answers 201 with the consent made, 409 when it
//! exists already, 400 for a body that is not one, 403 when the test refuses it; the same
//! `MS-RequestId` again gets the same answer (its idempotency). A consent made turns the
//! customer's tenant from not consented to what it answers then, and grants Graph's directory
//! reads there; `DELETE …/applicationconsents/{applicationId}` removes one (204; 404 when none).


use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// Partner Center's `GET /v1/customers?size=…`, at most the stand-in's page size at a time.
pub(super) async fn customers_page(State(s): State<Arc<Inner>>, headers: HeaderMap, axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>) -> Response {
    let claims = match verified(&s, &headers, PARTNER_CENTER_AUDIENCE) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if claims["tid"] != PARTNER_TENANT {
        s.record.lock().unwrap().refused.push(format!("Partner Center: token of tenant {}", claims["tid"]));
        return (StatusCode::FORBIDDEN, Json(json!({"code": 900, "description": "The token is not of the partner's tenant."}))).into_response();
    }
    let start: usize = headers.get("MS-ContinuationToken").and_then(|v| v.to_str().ok()).and_then(|t| t.strip_prefix("page-")).and_then(|n| n.parse().ok()).unwrap_or(0);
    s.record.lock().unwrap().partner_center_pages += 1;
    let size = query.get("size").and_then(|n| n.parse::<usize>().ok()).unwrap_or(s.options.page).clamp(1, s.options.page);
    let items: Vec<Value> = s.customers.iter().skip(start).take(size).cloned().collect();
    let mut page = json!({"totalCount": items.len(), "items": items, "attributes": {"objectType": "Collection"}});
    if start + size < s.customers.len() {
        page["links"] = json!({"next": {"uri": format!("/customers?size={size}&seekOperation=next"), "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": format!("page-{}", start + size)}]}});
    }
    // Partner Center starts its JSON with a byte order mark.
    let body = format!("\u{feff}{page}");
    ([("content-type", "application/json; charset=utf-8")], body).into_response()
}

#[derive(Default)]
pub(super) struct Consents {
    /// What a customer's consent is refused with: (status, Partner Center's error).
    pub refusals: HashMap<String, (u16, Value)>,
    /// The answer given to each `MS-RequestId`.
    pub answers: HashMap<String, (u16, Value)>,
    /// The customers whose consent exists.
    pub made: std::collections::HashSet<String>,
}

fn pc_error(status: u16, code: u32, description: &str) -> (u16, Value) {
    (status, json!({"code": code, "description": description, "errorName": "", "data": [], "source": "PartnerFD"}))
}

/// Partner Center's `POST /v1/customers/{customer}/applicationconsents`.
pub(super) async fn application_consent(
    State(s): State<Arc<Inner>>,
    axum::extract::Path(customer): axum::extract::Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let claims = match verified(&s, &headers, PARTNER_CENTER_AUDIENCE) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if claims["tid"] != PARTNER_TENANT {
        return (StatusCode::FORBIDDEN, Json(json!({"code": 900, "description": "The token is not of the partner's tenant."}))).into_response();
    }
    let request_id = headers.get("ms-requestid").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    s.record.lock().unwrap().consents.push((customer.clone(), request_id.clone(), body.clone(), std::time::Instant::now()));
    let (status, answer) = {
        let mut consents = s.consents.lock().unwrap();
        if let Some(given) = consents.answers.get(&request_id).filter(|_| !request_id.is_empty()) {
            given.clone()
        } else {
            // ARM's user_impersonation, and Graph's directory reads (the people picker, names).
            let grants = json!([
                {"enterpriseApplicationId": "797f4846-ba00-4fd7-ba43-dac1f8f63013", "scope": "user_impersonation"},
                {"enterpriseApplicationId": "00000003-0000-0000-c000-000000000000", "scope": "User.ReadBasic.All,GroupMember.Read.All,Application.Read.All"},
            ]);
            let tenant = s.customers.iter().find(|c| c["id"] == customer.as_str()).map(|c| c["companyProfile"]["tenantId"].as_str().unwrap_or_default().to_owned());
            let answer = if body["applicationId"] != CLIENT_ID || body["applicationGrants"] != grants {
                pc_error(400, 600, "The application consent request is not valid: applicationId and applicationGrants.")
            } else if let Some(refused) = consents.refusals.get(&customer) {
                refused.clone()
            } else if tenant.is_none() {
                pc_error(400, 600008, "The customer does not exist.")
            } else if consents.made.contains(&customer) {
                pc_error(409, 600041, "The application consent already exists.")
            } else {
                consents.made.insert(customer.clone());
                // The tenant now gives the desk's API app its token, Graph's with its grant.
                let tenant = tenant.unwrap_or_default();
                if let Some(t) = s.tenants.lock().unwrap().get_mut(&tenant) {
                    if let Tenant::NotConsented { then, .. } = t {
                        *t = Tenant::Reservations(std::mem::take(then));
                    }
                }
                let mut graph = s.graph.lock().unwrap();
                graph.directory_token_refused.remove(&tenant);
                graph.directory_not_consented.remove(&tenant);
                (201, body.clone())
            };
            if !request_id.is_empty() {
                consents.answers.insert(request_id, answer.clone());
            }
            answer
        }
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [("content-type", "application/json; charset=utf-8")], format!("\u{feff}{answer}")).into_response()
}

/// Partner Center's `DELETE /v1/customers/{customer}/applicationconsents/{applicationId}`: 204
/// with the consent gone (its tenant still answers: the stand-in keeps the tenant's token, as
/// Entra ID's cached grants outlive a deletion for a while), 404 when there is none.
pub(super) async fn delete_application_consent(
    State(s): State<Arc<Inner>>,
    axum::extract::Path((customer, application)): axum::extract::Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let claims = match verified(&s, &headers, PARTNER_CENTER_AUDIENCE) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if claims["tid"] != PARTNER_TENANT {
        return (StatusCode::FORBIDDEN, Json(json!({"code": 900, "description": "The token is not of the partner's tenant."}))).into_response();
    }
    let request_id = headers.get("ms-requestid").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    s.record.lock().unwrap().consent_deletions.push((customer.clone(), application.clone(), request_id));
    if application != CLIENT_ID || !s.consents.lock().unwrap().made.remove(&customer) {
        let (status, body) = pc_error(404, 600042, "The application consent does not exist.");
        return (StatusCode::from_u16(status).unwrap(), Json(body)).into_response();
    }
    StatusCode::NO_CONTENT.into_response()
}
