//! ARM's non-money changes of a reservation (`Microsoft.Capacity` 2022-11-01), as the REST
//! specification's examples show them: `PATCH …/reservations/{id}` (`Reservation_Update`) and
//! `POST …/split` / `…/merge` are long-running (`202 Accepted`, `Location` and `Retry-After`;
//! the `Location` answers `202` while running, then `200` with the result: the reservation, or
//! the list of reservations), `POST …/reservations/{id}/archive` and `/unarchive` answer `200`
//! at once. The change lands in the tenant's state when the operation finishes, so the next
//! list shows it. Each request's token is checked for ARM and its tenant is the one changed.
//! Switches: a tenant whose user may read but not write (`403 AuthorizationFailed`), ARM down
//! (`503` with `Retry-After` every time), and operations that end failed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// `Retry-After` of a change's `202`.
pub const ACCEPTED_RETRY_AFTER: u64 = 5;
/// `Retry-After` of a poll that is still running.
pub const RUNNING_RETRY_AFTER: u64 = 3;
/// How many polls answer "still running" before the result.
pub const RUNNING_POLLS: usize = 1;

/// One request made to this part of ARM.
#[derive(Clone, Debug)]
pub struct ChangeRequest {
    pub method: String,
    pub path: String,
    /// The token's tenant.
    pub tenant: String,
    pub body: Value,
}

enum Pending {
    Patch { order: String, id: String, body: Value },
    Split { order: String, id: String, quantities: Vec<u32> },
    Merge { order: String, sources: Vec<String> },
}

struct Operation {
    tenant: String,
    polls: usize,
    pending: Option<Pending>,
    /// The result once done (kept: a poll after the end answers it again).
    result: Option<Value>,
}

/// The changes' state and switches.
#[derive(Default)]
pub struct Changes {
    /// Every change request and poll, in order.
    pub requests: Vec<ChangeRequest>,
    /// Tenants where the user may read but not change reservations (403).
    pub read_only: HashSet<String>,
    /// ARM is down: every change and poll answers 503.
    pub down: bool,
    /// Operations end failed (`409` at the poll with ARM's error).
    pub fail_operations: bool,
    operations: HashMap<String, Operation>,
    next: usize,
}

impl StandIns {
    /// Reads or changes the changes' state and switches.
    pub fn arm_changes<T>(&self, f: impl FnOnce(&mut Changes) -> T) -> T {
        f(&mut self.inner.changes.lock().unwrap())
    }

    /// The reservations the tenant lists now.
    pub fn listed(&self, tenant: &str) -> Vec<Value> {
        self.tenant(tenant, |t| match t {
            Some(Tenant::Reservations(all)) | Some(Tenant::Throttled { then: all, .. }) => all.clone(),
            _ => Vec::new(),
        })
    }
}

fn full_id(order: &str, id: &str) -> String {
    format!("/providers/microsoft.capacity/reservationOrders/{order}/reservations/{id}")
}

fn same_id(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The checks every change passes first: ARM's token, the api-version, the switches. The
/// request is recorded; the tenant is the token's.
fn admitted(s: &Inner, headers: &HeaderMap, query: &HashMap<String, String>, method: &str, path: &str, body: &Value, action: &str) -> Result<String, Box<Response>> {
    let claims = verified(s, headers, ARM_AUDIENCE)?;
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    let mut changes = s.changes.lock().unwrap();
    changes.requests.push(ChangeRequest { method: method.into(), path: path.into(), tenant: tenant.clone(), body: body.clone() });
    if changes.down {
        let body = json!({"error": {"code": "ServiceUnavailable", "message": "The service is temporarily unavailable."}});
        return Err(Box::new((StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "2")], Json(body)).into_response()));
    }
    if query.get("api-version").map(String::as_str) != Some("2022-11-01") {
        return Err(Box::new(arm_error(StatusCode::BAD_REQUEST, "InvalidApiVersionParameter", "The api-version is invalid.")));
    }
    if changes.read_only.contains(&tenant) || matches!(s.tenants.lock().unwrap().get(&tenant), Some(Tenant::Forbidden)) {
        let message = format!(
            "The client with object id '{}' does not have authorization to perform action '{action}' over scope '{path}' or the scope is invalid.",
            claims["oid"].as_str().unwrap_or_default()
        );
        return Err(Box::new(arm_error(StatusCode::FORBIDDEN, "AuthorizationFailed", &message)));
    }
    Ok(tenant)
}

fn with_reservations<T>(s: &Inner, tenant: &str, f: impl FnOnce(&mut Vec<Value>) -> T) -> T {
    let mut tenants = s.tenants.lock().unwrap();
    let mut none = Vec::new();
    let all = match tenants.get_mut(tenant) {
        Some(Tenant::Reservations(all)) | Some(Tenant::Throttled { then: all, .. }) => all,
        _ => &mut none,
    };
    f(all)
}

fn exists(s: &Inner, tenant: &str, order: &str, id: &str) -> bool {
    with_reservations(s, tenant, |all| all.iter().any(|r| same_id(r["id"].as_str().unwrap_or_default(), &full_id(order, id))))
}

/// Accepts a long-running change: `202` with `Location` and `Retry-After`.
fn accept(s: &Inner, tenant: String, pending: Pending) -> Response {
    let mut changes = s.changes.lock().unwrap();
    changes.next += 1;
    let id = format!("op-{}", changes.next);
    changes.operations.insert(id.clone(), Operation { tenant, polls: 0, pending: Some(pending), result: None });
    let location = format!("{}/providers/Microsoft.Capacity/operationResults/{id}?api-version=2022-11-01", s.base);
    (StatusCode::ACCEPTED, [("location", location), ("retry-after", ACCEPTED_RETRY_AFTER.to_string())]).into_response()
}

/// `PATCH /providers/Microsoft.Capacity/reservationOrders/{orderId}/reservations/{reservationId}`.
pub(super) async fn patch(
    State(s): State<Arc<Inner>>,
    Path((order, id)): Path<(String, String)>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Response {
    let path = full_id(&order, &id);
    let tenant = match admitted(&s, &headers, &query, "PATCH", &path, &body, "Microsoft.Capacity/reservationOrders/reservations/write") {
        Ok(t) => t,
        Err(r) => return *r,
    };
    if !exists(&s, &tenant, &order, &id) {
        return arm_error(StatusCode::NOT_FOUND, "ReservationNotFound", &format!("Reservation {id} was not found in order {order}."));
    }
    accept(&s, tenant, Pending::Patch { order, id, body })
}

/// `POST /providers/Microsoft.Capacity/reservationOrders/{orderId}/split`.
pub(super) async fn split(
    State(s): State<Arc<Inner>>,
    Path(order): Path<String>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Response {
    let path = format!("/providers/Microsoft.Capacity/reservationOrders/{order}/split");
    let tenant = match admitted(&s, &headers, &query, "POST", &path, &body, "Microsoft.Capacity/reservationOrders/split/action") {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let full = body["properties"]["reservationId"].as_str().unwrap_or_default();
    let id = full.rsplit('/').next().unwrap_or_default().to_owned();
    let quantities: Vec<u32> = body["properties"]["quantities"].as_array().into_iter().flatten().filter_map(|q| q.as_u64()).map(|q| q as u32).collect();
    let quantity = with_reservations(&s, &tenant, |all| {
        all.iter().find(|r| same_id(r["id"].as_str().unwrap_or_default(), full)).and_then(|r| r["properties"]["quantity"].as_u64())
    });
    match quantity {
        None => arm_error(StatusCode::NOT_FOUND, "ReservationNotFound", &format!("Reservation {full} was not found in order {order}.")),
        Some(q) if quantities.len() != 2 || quantities.iter().map(|&x| u64::from(x)).sum::<u64>() != q || quantities.contains(&0) => {
            arm_error(StatusCode::BAD_REQUEST, "InvalidSplitQuantities", "The quantities must be two, each at least 1, adding up to the reservation's.")
        }
        Some(_) => accept(&s, tenant, Pending::Split { order, id, quantities }),
    }
}

/// `POST /providers/Microsoft.Capacity/reservationOrders/{orderId}/merge`.
pub(super) async fn merge(
    State(s): State<Arc<Inner>>,
    Path(order): Path<String>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Response {
    let path = format!("/providers/Microsoft.Capacity/reservationOrders/{order}/merge");
    let tenant = match admitted(&s, &headers, &query, "POST", &path, &body, "Microsoft.Capacity/reservationOrders/merge/action") {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let sources: Vec<String> =
        body["properties"]["sources"].as_array().into_iter().flatten().filter_map(|x| x.as_str()).map(|x| x.rsplit('/').next().unwrap_or_default().to_owned()).collect();
    if sources.len() < 2 || !sources.iter().all(|id| exists(&s, &tenant, &order, id)) {
        return arm_error(StatusCode::BAD_REQUEST, "InvalidMergeSources", "Give two or more reservations of the order.");
    }
    accept(&s, tenant, Pending::Merge { order, sources })
}

/// `POST …/reservations/{reservationId}/archive` and `/unarchive`: `200`, no body.
pub(super) async fn archive(
    State(s): State<Arc<Inner>>,
    Path((order, id, verb)): Path<(String, String, String)>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let archive = match verb.as_str() {
        "archive" => true,
        "unarchive" => false,
        _ => return arm_error(StatusCode::NOT_FOUND, "InvalidResourceType", "No such action."),
    };
    let path = format!("{}/{verb}", full_id(&order, &id));
    let tenant = match admitted(&s, &headers, &query, "POST", &path, &Value::Null, &format!("Microsoft.Capacity/reservationOrders/reservations/{verb}/action")) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let done = with_reservations(&s, &tenant, |all| {
        let r = all.iter_mut().find(|r| same_id(r["id"].as_str().unwrap_or_default(), &full_id(&order, &id)))?;
        r["properties"]["archived"] = json!(archive);
        Some(())
    });
    match done {
        Some(()) => StatusCode::OK.into_response(),
        None => arm_error(StatusCode::NOT_FOUND, "ReservationNotFound", &format!("Reservation {id} was not found in order {order}.")),
    }
}

/// `GET /providers/Microsoft.Capacity/operationResults/{id}`: `202` while running, then the
/// result (the change applied to the tenant then).
pub(super) async fn operation(State(s): State<Arc<Inner>>, Path(op): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let path = format!("/providers/Microsoft.Capacity/operationResults/{op}");
    let tenant = match admitted(&s, &headers, &query, "GET", &path, &Value::Null, "Microsoft.Capacity/operationResults/read") {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let (pending, fail) = {
        let mut changes = s.changes.lock().unwrap();
        let fail = changes.fail_operations;
        let Some(operation) = changes.operations.get_mut(&op).filter(|o| o.tenant == tenant) else {
            return arm_error(StatusCode::NOT_FOUND, "OperationNotFound", "No such operation in this tenant.");
        };
        if let Some(result) = &operation.result {
            return Json(result.clone()).into_response();
        }
        operation.polls += 1;
        if operation.polls <= RUNNING_POLLS {
            return (StatusCode::ACCEPTED, [("location", format!("{}{path}?api-version=2022-11-01", s.base)), ("retry-after", RUNNING_RETRY_AFTER.to_string())])
                .into_response();
        }
        (operation.pending.take(), fail)
    };
    if fail {
        return arm_error(StatusCode::CONFLICT, "ReservationOperationFailed", "The operation failed: the reservation was changed by another request.");
    }
    let result = match pending {
        Some(p) => with_reservations(&s, &tenant, |all| apply(all, p)),
        None => Value::Null,
    };
    if let Some(operation) = s.changes.lock().unwrap().operations.get_mut(&op) {
        operation.result = Some(result.clone());
    }
    Json(result).into_response()
}

/// The change made to the tenant's reservations, and the operation's result.
fn apply(all: &mut Vec<Value>, pending: Pending) -> Value {
    let position = |all: &Vec<Value>, order: &str, id: &str| all.iter().position(|r| same_id(r["id"].as_str().unwrap_or_default(), &full_id(order, id)));
    match pending {
        Pending::Patch { order, id, body } => {
            let Some(i) = position(all, &order, &id) else { return Value::Null };
            let p = &body["properties"];
            let r = &mut all[i]["properties"];
            if let Some(name) = p["name"].as_str() {
                r["displayName"] = json!(name);
            }
            if let Some(renew) = p["renew"].as_bool() {
                r["renew"] = json!(renew);
                r["userFriendlyRenewState"] = json!(if renew { "On" } else { "Off" });
            }
            if let Some(kind) = p["appliedScopeType"].as_str() {
                r["appliedScopeType"] = json!(kind);
                r["userFriendlyAppliedScopeType"] = json!(kind);
                match p.get("appliedScopes").filter(|v| v.is_array()) {
                    Some(scopes) => r["appliedScopes"] = scopes.clone(),
                    None => {
                        if let Some(o) = r.as_object_mut() {
                            o.remove("appliedScopes");
                        }
                    }
                }
                match p.get("appliedScopeProperties").filter(|v| v.is_object()) {
                    Some(props) => r["appliedScopeProperties"] = props.clone(),
                    None => {
                        if let Some(o) = r.as_object_mut() {
                            o.remove("appliedScopeProperties");
                        }
                    }
                }
            }
            all[i]["etag"] = json!(all[i]["etag"].as_u64().unwrap_or(1) + 1);
            all[i].clone()
        }
        Pending::Split { order, id, quantities } => {
            let Some(i) = position(all, &order, &id) else { return Value::Null };
            let parts: Vec<Value> = quantities
                .iter()
                .enumerate()
                .map(|(n, &q)| {
                    let mut part = all[i].clone();
                    let part_id = format!("{id}-split-{}", n + 1);
                    part["id"] = json!(full_id(&order, &part_id));
                    part["name"] = json!(format!("{order}/{part_id}"));
                    part["properties"]["quantity"] = json!(q);
                    part["properties"]["splitProperties"] = json!({"splitSource": full_id(&order, &id)});
                    part
                })
                .collect();
            let source = &mut all[i];
            source["properties"]["provisioningState"] = json!("Split");
            source["properties"]["displayProvisioningState"] = json!("Split");
            source["properties"]["splitProperties"] = json!({"splitDestinations": parts.iter().map(|p| p["id"].clone()).collect::<Vec<_>>()});
            source["properties"]["extendedStatusInfo"] = json!({"statusCode": "Split", "message": "This reservation was split and is no longer active."});
            let source = source.clone();
            all.extend(parts.iter().cloned());
            Value::Array(parts.into_iter().chain([source]).collect())
        }
        Pending::Merge { order, sources } => {
            let indexes: Vec<usize> = sources.iter().filter_map(|id| position(all, &order, id)).collect();
            let Some(&first) = indexes.first() else { return Value::Null };
            let quantity: u64 = indexes.iter().map(|&i| all[i]["properties"]["quantity"].as_u64().unwrap_or(0)).sum();
            let merged_id = format!("{}-merged", sources.join("-"));
            let mut merged = all[first].clone();
            merged["id"] = json!(full_id(&order, &merged_id));
            merged["name"] = json!(format!("{order}/{merged_id}"));
            merged["properties"]["quantity"] = json!(quantity);
            merged["properties"]["mergeProperties"] = json!({"mergeSources": sources.iter().map(|id| full_id(&order, id)).collect::<Vec<_>>()});
            if let Some(o) = merged["properties"].as_object_mut() {
                o.remove("splitProperties");
            }
            let mut answer = Vec::new();
            for &i in &indexes {
                let r = &mut all[i]["properties"];
                r["provisioningState"] = json!("Merged");
                r["displayProvisioningState"] = json!("Merged");
                r["mergeProperties"] = json!({"mergeDestination": full_id(&order, &merged_id)});
                r["extendedStatusInfo"] = json!({"statusCode": "Merged", "message": "This reservation was merged and is no longer active."});
                answer.push(all[i].clone());
            }
            all.push(merged.clone());
            answer.push(merged);
            Value::Array(answer)
        }
    }
}
