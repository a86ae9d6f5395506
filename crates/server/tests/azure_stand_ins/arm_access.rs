//! ARM's role assignments on a reservation order (Microsoft.Authorization 2022-04-01), as the
//! specification's published examples show them (`RoleAssignments_ListForScope.json`,
//! `RoleAssignments_CreateForResource.json`, `RoleAssignments_Delete.json`,
//! `GetRoleDefinitionById.json`): `GET {scope}/providers/Microsoft.Authorization/roleAssignments`
//! lists those given on the order and those it inherits (given at a subscription, a management
//! group or the root `/`), paged with an absolute `nextLink` and `$skiptoken`; `PUT
//! …/roleAssignments/{GUID}` with `properties: {roleDefinitionId, principalId, principalType}`
//! answers `201` with the assignment; `DELETE` answers `200` with what it deleted, `204` when
//! there was nothing; `GET …/roleDefinitions/{id}` answers a definition with its `roleName`.
//! Each request's token is checked for ARM and its tenant must hold the order (404 otherwise).
//! ARM's refusals as it words them: `RoleAssignmentExists` (409), `PrincipalNotFound` (400) for
//! an object ID the directory does not have, `AuthorizationFailed` (403) in a tenant where the
//! user may read but not write role assignments.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// One request made to this part of ARM.
#[derive(Clone, Debug)]
pub struct AccessRequest {
    pub method: String,
    /// The path and query.
    pub uri: String,
    /// The token's tenant.
    pub tenant: String,
    pub body: Value,
}

/// The role assignments' state and switches.
#[derive(Default)]
pub struct Access {
    /// The assignments given on each (tenant, order).
    pub on_order: HashMap<(String, String), Vec<Value>>,
    /// Assignments each tenant's orders inherit (given above them).
    pub inherited: HashMap<String, Vec<Value>>,
    /// Custom role definitions by ID (`roleName` read from them).
    pub definitions: HashMap<String, String>,
    /// Object IDs the customers' directories do not have (`PrincipalNotFound`).
    pub missing_principals: HashSet<String>,
    /// Tenants where the user may read but not write role assignments (403).
    pub read_only: HashSet<String>,
    /// Every request, in order.
    pub requests: Vec<AccessRequest>,
}

/// A role assignment as ARM answers it (the published example's shape).
pub fn role_assignment(scope: &str, name: &str, role_definition: &str, principal: &str, principal_type: &str) -> Value {
    let at = if scope == "/" { String::new() } else { scope.to_owned() };
    json!({
        "properties": {"roleDefinitionId": format!("/providers/Microsoft.Authorization/roleDefinitions/{role_definition}"), "principalId": principal,
            "principalType": principal_type, "scope": scope},
        "id": format!("{at}/providers/Microsoft.Authorization/roleAssignments/{name}"),
        "type": "Microsoft.Authorization/roleAssignments",
        "name": name
    })
}

impl StandIns {
    /// Reads or changes the role assignments' state and switches.
    pub fn arm_access<T>(&self, f: impl FnOnce(&mut Access) -> T) -> T {
        f(&mut self.inner.access.lock().unwrap())
    }
}

fn holds(s: &Inner, tenant: &str, order: &str) -> bool {
    let needle = format!("/reservationorders/{}/", order.to_ascii_lowercase());
    match s.tenants.lock().unwrap().get(tenant) {
        Some(Tenant::Reservations(all)) | Some(Tenant::Throttled { then: all, .. }) => {
            all.iter().any(|r| r["id"].as_str().is_some_and(|id| id.to_ascii_lowercase().contains(&needle)))
        }
        _ => false,
    }
}

/// The token's claims, after what ARM checks: its token, api-version 2022-04-01, and the order
/// in the token's tenant. The request is recorded.
fn checked(s: &Inner, headers: &HeaderMap, query: &HashMap<String, String>, order: &str, method: &str, uri: String, body: Value) -> Result<String, Box<Response>> {
    let claims = verified(s, headers, ARM_AUDIENCE)?;
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    s.access.lock().unwrap().requests.push(AccessRequest { method: method.into(), uri, tenant: tenant.clone(), body });
    if query.get("api-version").map(String::as_str) != Some("2022-04-01") {
        return Err(Box::new(arm_error(StatusCode::BAD_REQUEST, "InvalidApiVersionParameter", "The api-version is invalid.")));
    }
    if !order.is_empty() && !holds(s, &tenant, order) {
        return Err(Box::new(arm_error(StatusCode::NOT_FOUND, "ReservationOrderNotFound", &format!("Reservation order {order} was not found."))));
    }
    Ok(tenant)
}

fn uri_of(path: &str, query: &HashMap<String, String>) -> String {
    let mut pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.sort();
    format!("{path}?{}", pairs.join("&"))
}

/// `GET /providers/Microsoft.Capacity/reservationOrders/{order}/providers/Microsoft.Authorization/roleAssignments`.
pub(super) async fn list(State(s): State<Arc<Inner>>, Path(order): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let path = format!("/providers/Microsoft.Capacity/reservationOrders/{order}/providers/Microsoft.Authorization/roleAssignments");
    let tenant = match checked(&s, &headers, &query, &order, "GET", uri_of(&path, &query), Value::Null) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let all: Vec<Value> = {
        let access = s.access.lock().unwrap();
        let inherited = access.inherited.get(&tenant).cloned().unwrap_or_default();
        inherited.into_iter().chain(access.on_order.get(&(tenant.clone(), order.clone())).cloned().unwrap_or_default()).collect()
    };
    let start: usize = query.get("$skiptoken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let per_page = s.options.page;
    let value: Vec<Value> = all.iter().skip(start).take(per_page).cloned().collect();
    let mut page = json!({"value": value});
    if start + per_page < all.len() {
        page["nextLink"] = json!(format!("{}{path}?api-version=2022-04-01&$skiptoken={}", s.base, start + per_page));
    }
    Json(page).into_response()
}

/// `PUT …/roleAssignments/{name}`: `RoleAssignments_Create` on the order.
pub(super) async fn create(
    State(s): State<Arc<Inner>>, Path((order, name)): Path<(String, String)>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, body: axum::body::Bytes,
) -> Response {
    let scope = format!("/providers/Microsoft.Capacity/reservationOrders/{order}");
    let path = format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}");
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let tenant = match checked(&s, &headers, &query, &order, "PUT", uri_of(&path, &query), body.clone()) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let mut access = s.access.lock().unwrap();
    let oid = verified(&s, &headers, ARM_AUDIENCE).map(|c| c["oid"].as_str().unwrap_or_default().to_owned()).unwrap_or_default();
    if access.read_only.contains(&tenant) {
        let message = format!("The client '{oid}' with object id '{oid}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '{path}' or the scope is invalid. If access was recently granted, please refresh your credentials.");
        return arm_error(StatusCode::FORBIDDEN, "AuthorizationFailed", &message);
    }
    let p = &body["properties"];
    let (Some(definition), Some(principal)) = (p["roleDefinitionId"].as_str(), p["principalId"].as_str()) else {
        return arm_error(StatusCode::BAD_REQUEST, "InvalidRequestContent", "The request content was invalid and could not be deserialized: 'properties.roleDefinitionId' and 'properties.principalId' are required.");
    };
    if access.missing_principals.contains(principal) {
        let message = format!("Principal {} does not exist in the directory {tenant}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype", principal.replace('-', ""));
        return arm_error(StatusCode::BAD_REQUEST, "PrincipalNotFound", &message);
    }
    let held = access.on_order.entry((tenant.clone(), order.clone())).or_default();
    if held.iter().any(|a| a["properties"]["principalId"] == principal && a["properties"]["roleDefinitionId"].as_str().is_some_and(|d| d.eq_ignore_ascii_case(definition))) {
        return arm_error(StatusCode::CONFLICT, "RoleAssignmentExists", "The role assignment already exists.");
    }
    let guid = definition.rsplit('/').next().unwrap_or_default();
    let made = role_assignment(&scope, &name, guid, principal, p["principalType"].as_str().unwrap_or("User"));
    held.push(made.clone());
    (StatusCode::CREATED, Json(made)).into_response()
}

/// `DELETE …/roleAssignments/{name}`: `RoleAssignments_Delete` on the order.
pub(super) async fn delete(State(s): State<Arc<Inner>>, Path((order, name)): Path<(String, String)>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let path = format!("/providers/Microsoft.Capacity/reservationOrders/{order}/providers/Microsoft.Authorization/roleAssignments/{name}");
    let tenant = match checked(&s, &headers, &query, &order, "DELETE", uri_of(&path, &query), Value::Null) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let mut access = s.access.lock().unwrap();
    if access.read_only.contains(&tenant) {
        return arm_error(StatusCode::FORBIDDEN, "AuthorizationFailed", &format!("The client does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/delete' over scope '{path}' or the scope is invalid."));
    }
    let held = access.on_order.entry((tenant, order)).or_default();
    match held.iter().position(|a| a["name"] == name.as_str()) {
        Some(at) => (StatusCode::OK, Json(held.remove(at))).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// `GET /providers/Microsoft.Authorization/roleDefinitions/{id}` (`GetRoleDefinitionById`).
pub(super) async fn definition(State(s): State<Arc<Inner>>, Path(id): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let path = format!("/providers/Microsoft.Authorization/roleDefinitions/{id}");
    if let Err(r) = checked(&s, &headers, &query, "", "GET", uri_of(&path, &query), Value::Null) {
        return *r;
    }
    let Some(role_name) = s.access.lock().unwrap().definitions.get(&id).cloned() else {
        return arm_error(StatusCode::NOT_FOUND, "RoleDefinitionDoesNotExist", "The specified role definition with ID does not exist.");
    };
    Json(json!({
        "properties": {"roleName": role_name, "type": "CustomRole", "description": "A role of the customer's", "assignableScopes": ["/"],
            "permissions": [{"actions": ["Microsoft.Capacity/reservationOrders/read"], "notActions": [], "dataActions": [], "notDataActions": []}]},
        "id": path, "type": "Microsoft.Authorization/roleDefinitions", "name": id
    }))
    .into_response()
}
