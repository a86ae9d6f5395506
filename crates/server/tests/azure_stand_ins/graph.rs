//! Microsoft Graph's GDAP relationships (`GET /v1.0/tenantRelationships/delegatedAdminRelationships`),
//! as Microsoft documents the resource ("delegatedAdminRelationship resource type", "List
//! delegatedAdminRelationships"): asked in the partner's tenant with a token for Graph, paged by an
//! absolute `@odata.nextLink` with `$skiptoken`. A test sets the relationships, or Graph's 403
//! (the signed-in user or the app without the permission to read them).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// What Graph answers.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// The partner's relationships, in Graph's shape ([`gdap_relationship`]); unset, each
    /// customer Partner Center lists has one active relationship with Global Administrator that
    /// extends itself (a partner whose GDAP is in order).
    pub relationships: Option<Vec<Value>>,
    /// Answer 403 `Authorization_RequestDenied` instead.
    pub forbidden: bool,
    /// Pages served.
    pub pages: usize,
}

/// A relationship as Graph lists it, ending `end` (RFC 3339), with `auto_extend` (`PT0S`: none)
/// and the Entra role template IDs `roles`.
pub fn gdap_relationship(id: &str, customer_tenant: &str, status: &str, end: &str, auto_extend: &str, roles: &[&str]) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
        "@odata.etag": "W/\"JyIwMzAwZTM0ZS0wMDAwLTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw==\"",
        "id": id,
        "displayName": format!("{id} relationship"),
        "duration": "P730D",
        "customer": {"tenantId": customer_tenant, "displayName": format!("{customer_tenant} Inc")},
        "accessDetails": {"unifiedRoles": roles.iter().map(|r| json!({"roleDefinitionId": r})).collect::<Vec<_>>()},
        "status": status,
        "autoExtendDuration": auto_extend,
        "createdDateTime": "2025-02-10T11:24:42.3148266Z",
        "lastModifiedDateTime": "2025-02-10T11:26:44.9941884Z",
        "activatedDateTime": "2025-02-10T11:26:44.9941884Z",
        "endDateTime": end
    })
}

fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"error": {"code": code, "message": message, "innerError": {"request-id": "graph-request", "date": "2026-11-26T08:00:00"}}}))).into_response()
}

/// Graph's `GET /v1.0/tenantRelationships/delegatedAdminRelationships`, a page at a time.
pub(super) async fn relationships_page(State(s): State<Arc<Inner>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let claims = match verified(&s, &headers, GRAPH_AUDIENCE) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if claims["tid"] != PARTNER_TENANT {
        s.record.lock().unwrap().refused.push(format!("Graph: token of tenant {}", claims["tid"]));
        return graph_error(StatusCode::FORBIDDEN, "Authorization_RequestDenied", "The token is not of the partner's tenant.");
    }
    if !claims["scp"].as_str().unwrap_or_default().split(' ').any(|p| p == "DelegatedAdminRelationship.Read.All") {
        return graph_error(StatusCode::FORBIDDEN, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    }
    let mut graph = s.graph.lock().unwrap();
    graph.pages += 1;
    if graph.forbidden {
        return graph_error(StatusCode::FORBIDDEN, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    }
    let in_order = || {
        let end = format!("{}T12:00:00Z", chrono::Utc::now().date_naive() + chrono::Days::new(365));
        let tenants = s.customers.iter().filter_map(|c| c["companyProfile"]["tenantId"].as_str());
        tenants.map(|t| gdap_relationship(&format!("rel-{t}"), t, "active", &end, "P180D", &["62e90394-69f5-4237-9190-012177145e10"])).collect()
    };
    let relationships: Vec<Value> = graph.relationships.clone().unwrap_or_else(in_order);
    // `$top` up to 300, as Graph documents it; pages stay at the stand-in's page size (small in
    // the tests, so that every list has several).
    let top = match query.get("$top").map(|t| t.parse::<usize>()) {
        None => s.options.page,
        Some(Ok(top)) if (1..=300).contains(&top) => top.min(s.options.page),
        Some(_) => return graph_error(StatusCode::BAD_REQUEST, "BadRequest", "Invalid $top value."),
    };
    let start: usize = query.get("$skiptoken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let items: Vec<Value> = relationships.iter().skip(start).take(top).cloned().collect();
    let mut page = json!({"@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships", "value": items});
    if start + top < relationships.len() {
        page["@odata.nextLink"] = json!(format!("{}/v1.0/tenantRelationships/delegatedAdminRelationships?$top={top}&$skiptoken={}", s.base, start + top));
    }
    Json(page).into_response()
}

impl StandIns {
    /// Reads or changes what Graph answers (a test's switch).
    pub fn graph<T>(&self, f: impl FnOnce(&mut Graph) -> T) -> T {
        f(&mut self.inner.graph.lock().unwrap())
    }
}
