//! Microsoft.Support (api-version 2024-04-01) in the token's tenant, as the specification's
//! published examples show it: `GET /providers/Microsoft.Support/services` answers
//! `ListServices.json`'s services and `…/services/{serviceName}/problemClassifications`
//! `ListProblemClassifications.json`'s classifications (both read from the vendored examples);
//! `POST /subscriptions/{sub}/providers/Microsoft.Support/checkNameAvailability` answers
//! `{nameAvailable, reason, message}` as `CheckNameAvailabilityWithSubscription.json` does;
//! `PUT /subscriptions/{sub}/providers/Microsoft.Support/supportTickets/{name}` checks the
//! properties the specification requires, makes the ticket and answers `202` with
//! `Azure-AsyncOperation` and `Location` (`CreateBillingSupportTicketForSubscription.json`'s
//! headers), whose status document says `Succeeded`; `GET` of the ticket answers it in the
//! shape of `GetSubscriptionSupportTicketDetails.json`, with a number of its own. Switches: a
//! tenant refusing tickets (e.g. 400 `NoSupportPlan`-like refusals or 403 `AuthorizationFailed`),
//! services or classifications without the ones for reservations, and a `PUT` whose answer is
//! lost (the ticket is made, the answer is a 500).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// One request made to Microsoft.Support.
#[derive(Clone, Debug)]
pub struct SupportRequestSeen {
    pub method: String,
    pub path: String,
    /// The token's tenant.
    pub tenant: String,
    /// The `Accept-Language` sent, if any.
    pub language: Option<String>,
    pub body: Value,
}

/// Microsoft.Support's state and switches.
pub struct Support {
    /// The services listed (the published example's by default).
    pub services: Vec<Value>,
    /// The problem classifications listed for every service (the published example's by default).
    pub classifications: Vec<Value>,
    /// The tickets made, by (subscription, name).
    pub tickets: HashMap<(String, String), Value>,
    /// Tenants whose ticket `PUT` is refused: (status, code, message).
    pub refusals: HashMap<String, (u16, String, String)>,
    /// The next `PUT` makes its ticket but its answer is lost (a 500).
    pub lose_next_answer: bool,
    /// Every request, in order.
    pub requests: Vec<SupportRequestSeen>,
}

fn published(name: &str) -> Value {
    let path = format!("{}/../azure-api/tests/published/microsoft.support-2024-04-01/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

impl Default for Support {
    fn default() -> Self {
        let services = published("ListServices.json")["responses"]["200"]["body"]["value"].as_array().cloned().unwrap_or_default();
        let classifications = published("ListProblemClassifications.json")["responses"]["200"]["body"]["value"].as_array().cloned().unwrap_or_default();
        Self { services, classifications, tickets: HashMap::new(), refusals: HashMap::new(), lose_next_answer: false, requests: Vec::new() }
    }
}

impl StandIns {
    /// Reads or changes Microsoft.Support's state and switches.
    pub fn support<T>(&self, f: impl FnOnce(&mut Support) -> T) -> T {
        f(&mut self.inner.support.lock().unwrap())
    }
}

/// The token's tenant, after what ARM checks (its token, api-version 2024-04-01); the request
/// is recorded.
fn checked(s: &Inner, headers: &HeaderMap, query: &HashMap<String, String>, method: &str, path: String, body: Value) -> Result<String, Box<Response>> {
    let claims = verified(s, headers, ARM_AUDIENCE)?;
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    let language = headers.get("accept-language").and_then(|v| v.to_str().ok()).map(str::to_owned);
    s.support.lock().unwrap().requests.push(SupportRequestSeen { method: method.into(), path, tenant: tenant.clone(), language, body });
    if query.get("api-version").map(String::as_str) != Some("2024-04-01") {
        return Err(Box::new(arm_error(StatusCode::BAD_REQUEST, "InvalidApiVersionParameter", "The api-version is invalid.")));
    }
    Ok(tenant)
}

/// `GET /providers/Microsoft.Support/services`.
pub(super) async fn services(State(s): State<Arc<Inner>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = checked(&s, &headers, &query, "GET", "/providers/Microsoft.Support/services".into(), Value::Null) {
        return *r;
    }
    let value = s.support.lock().unwrap().services.clone();
    Json(json!({"value": value})).into_response()
}

/// `GET /providers/Microsoft.Support/services/{serviceName}/problemClassifications`.
pub(super) async fn classifications(State(s): State<Arc<Inner>>, Path(service): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let path = format!("/providers/Microsoft.Support/services/{service}/problemClassifications");
    if let Err(r) = checked(&s, &headers, &query, "GET", path, Value::Null) {
        return *r;
    }
    let support = s.support.lock().unwrap();
    if !support.services.iter().any(|v| v["name"] == service.as_str()) {
        return arm_error(StatusCode::NOT_FOUND, "ServiceNotFound", &format!("Service {service} was not found."));
    }
    Json(json!({"value": support.classifications.clone()})).into_response()
}

/// `POST /subscriptions/{sub}/providers/Microsoft.Support/checkNameAvailability`.
pub(super) async fn check_name(
    State(s): State<Arc<Inner>>, Path(subscription): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, Json(body): Json<Value>,
) -> Response {
    let path = format!("/subscriptions/{subscription}/providers/Microsoft.Support/checkNameAvailability");
    if let Err(r) = checked(&s, &headers, &query, "POST", path, body.clone()) {
        return *r;
    }
    let (Some(name), Some("Microsoft.Support/supportTickets")) = (body["name"].as_str(), body["type"].as_str()) else {
        return arm_error(StatusCode::BAD_REQUEST, "InvalidInput", "name and type are required.");
    };
    let taken = s.support.lock().unwrap().tickets.contains_key(&(subscription, name.to_owned()));
    if taken {
        Json(json!({"nameAvailable": false, "reason": "Name is already in use", "message": "Name not available"})).into_response()
    } else {
        Json(json!({"nameAvailable": true})).into_response()
    }
}

/// What `SupportTicketDetailsProperties` and `ContactProfile` require, missing from `body`.
fn missing(body: &Value) -> Option<String> {
    let props = &body["properties"];
    for key in ["serviceId", "title", "description", "problemClassificationId", "severity", "contactDetails", "advancedDiagnosticConsent"] {
        if props[key].is_null() {
            return Some(format!("properties.{key}"));
        }
    }
    for key in ["firstName", "lastName", "preferredContactMethod", "primaryEmailAddress", "preferredTimeZone", "country", "preferredSupportLanguage"] {
        if props["contactDetails"][key].as_str().is_none_or(str::is_empty) {
            return Some(format!("properties.contactDetails.{key}"));
        }
    }
    None
}

/// `PUT /subscriptions/{sub}/providers/Microsoft.Support/supportTickets/{name}`.
pub(super) async fn create_ticket(
    State(s): State<Arc<Inner>>, Path((subscription, name)): Path<(String, String)>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, Json(body): Json<Value>,
) -> Response {
    let path = format!("/subscriptions/{subscription}/providers/Microsoft.Support/supportTickets/{name}");
    let tenant = match checked(&s, &headers, &query, "PUT", path, body.clone()) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    if let Some(field) = missing(&body) {
        return arm_error(StatusCode::BAD_REQUEST, "MissingRequiredProperty", &format!("The property {field} is required."));
    }
    let mut support = s.support.lock().unwrap();
    if let Some((status, code, message)) = support.refusals.get(&tenant).cloned() {
        return arm_error(StatusCode::from_u16(status).unwrap(), &code, &message);
    }
    let key = (subscription.clone(), name.clone());
    if support.tickets.contains_key(&key) {
        return arm_error(StatusCode::CONFLICT, "SupportTicketExists", "A support ticket with this name exists already.");
    }
    let number = format!("2611270010{:05}", support.tickets.len() + 1);
    let props = &body["properties"];
    let ticket = json!({
        "id": format!("/subscriptions/{subscription}/providers/Microsoft.Support/supportTickets/{name}"),
        "name": name,
        "type": "Microsoft.Support/supportTickets",
        "properties": {
            "supportTicketId": number,
            "description": props["description"], "problemClassificationId": props["problemClassificationId"],
            "problemClassificationDisplayName": "Reservation Management / Exchanges and Refunds",
            "severity": props["severity"], "require24X7Response": false, "advancedDiagnosticConsent": props["advancedDiagnosticConsent"],
            "contactDetails": props["contactDetails"], "title": props["title"], "serviceId": props["serviceId"], "serviceDisplayName": "Billing",
            "status": "Open", "createdDate": "2026-11-27T10:00:00Z", "modifiedDate": "2026-11-27T10:00:00Z"
        }
    });
    support.tickets.insert(key, ticket);
    if std::mem::take(&mut support.lose_next_answer) {
        return arm_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", "The server had an error while processing the request.");
    }
    let operation = format!("{}/subscriptions/{subscription}/providers/Microsoft.Support/operationsStatus/{name}?api-version=2024-04-01", s.base);
    let location = format!("{}/subscriptions/{subscription}/providers/Microsoft.Support/operationResults/{name}?api-version=2024-04-01", s.base);
    (StatusCode::ACCEPTED, [("azure-asyncoperation", operation), ("location", location), ("retry-after", "0".to_owned())]).into_response()
}

/// `GET …/operationsStatus/{op}`: the ticket's creation, done.
pub(super) async fn operation_status(State(s): State<Arc<Inner>>, Path((subscription, op)): Path<(String, String)>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let path = format!("/subscriptions/{subscription}/providers/Microsoft.Support/operationsStatus/{op}");
    if let Err(r) = checked(&s, &headers, &query, "GET", path, Value::Null) {
        return *r;
    }
    Json(json!({"status": "Succeeded"})).into_response()
}

/// `GET /subscriptions/{sub}/providers/Microsoft.Support/supportTickets/{name}`.
pub(super) async fn ticket(State(s): State<Arc<Inner>>, Path((subscription, name)): Path<(String, String)>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let path = format!("/subscriptions/{subscription}/providers/Microsoft.Support/supportTickets/{name}");
    if let Err(r) = checked(&s, &headers, &query, "GET", path, Value::Null) {
        return *r;
    }
    match s.support.lock().unwrap().tickets.get(&(subscription, name.clone())) {
        Some(ticket) => Json(ticket.clone()).into_response(),
        None => arm_error(StatusCode::NOT_FOUND, "SupportTicketNotFound", &format!("Support ticket {name} was not found.")),
    }
}
