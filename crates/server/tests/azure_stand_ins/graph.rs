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
    /// Each customer tenant's directory: (collection: `users`, `groups` or `servicePrincipals`,
    /// the object as Graph lists it).
    pub directory: HashMap<String, Vec<(String, Value)>>,
    /// Tenants whose application consent grants nothing on Graph (an older consent): a
    /// `.default` token there carries no directory permission and Graph answers 403.
    pub directory_not_consented: std::collections::HashSet<String>,
    /// Tenants where Entra ID refuses the `.default` token for Graph itself: `AADSTS65001`,
    /// `consent_required` (the desk's API app holds no consent on Graph there).
    pub directory_token_refused: std::collections::HashSet<String>,
    /// Tenants whose `/users` answers 429 `TooManyRequests` with `Retry-After` these seconds.
    pub directory_throttled: HashMap<String, u64>,
    /// Every directory request.
    pub directory_requests: Vec<DirectoryRequest>,
}

/// A directory request: (tenant, collection, its query, its `ConsistencyLevel` header).
pub type DirectoryRequest = (String, String, HashMap<String, String>, Option<String>);

/// A user as Graph lists it with `$select=id,displayName,mail,userPrincipalName`.
pub fn directory_user(id: &str, name: &str, mail: Option<&str>, upn: &str) -> (String, Value) {
    ("users".into(), json!({"id": id, "displayName": name, "mail": mail, "userPrincipalName": upn}))
}

/// A group as Graph lists it.
pub fn directory_group(id: &str, name: &str, mail: Option<&str>) -> (String, Value) {
    ("groups".into(), json!({"id": id, "displayName": name, "mail": mail}))
}

/// A service principal as Graph lists it.
pub fn directory_application(id: &str, name: &str) -> (String, Value) {
    ("servicePrincipals".into(), json!({"id": id, "displayName": name, "appId": "00000000-0000-0000-0000-0000000000aa"}))
}

/// The (property, value) pairs of `$filter=id in ('…','…')`, or of `eq` clauses on `id` or
/// (service principals) `appId` joined by `or`; `None` for any other filter.
fn filtered(collection: &str, filter: &str) -> Option<Vec<(String, String)>> {
    let quoted = |v: &str| v.trim().strip_prefix('\'').and_then(|v| v.strip_suffix('\'')).map(str::to_owned);
    if let Some(list) = filter.strip_prefix("id in (").and_then(|r| r.strip_suffix(')')) {
        return list.split(',').map(|v| quoted(v).map(|v| ("id".to_owned(), v))).collect();
    }
    filter
        .split(" or ")
        .map(|clause| {
            let (property, value) = clause.split_once(" eq ")?;
            if property != "id" && !(property == "appId" && collection == "servicePrincipals") {
                return None;
            }
            quoted(value).map(|v| (property.to_owned(), v))
        })
        .collect()
}

/// The text of a `$search` clause as Graph reads it: `\"` and `\\` unescaped.
fn unescaped(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' { chars.next().unwrap_or(c) } else { c });
    }
    out
}

/// The words of `$search` (`"field:text" OR "field:text"`), as (field, text).
fn searched(search: &str) -> Option<Vec<(String, String)>> {
    search
        .split(" OR ")
        .map(|part| part.trim().strip_prefix('"').and_then(|p| p.strip_suffix('"')).and_then(|p| p.split_once(':')).map(|(f, t)| (f.to_owned(), unescaped(t).to_lowercase())))
        .collect()
}

/// Graph's `GET /v1.0/{users|groups|servicePrincipals}` in a customer's tenant, as "List users",
/// "List groups" and "List servicePrincipals" document it: `$search` (tokenized on what it names:
/// a word of the field starting with the text, or an e-mail starting with it; `\"` and `\\`
/// escaped in a clause) only with `ConsistencyLevel: eventual` (else 400
/// `Request_UnsupportedQuery`), `$filter` on `id` (`eq`, `in`; a service principal's `appId`
/// too), `$top`; 403 `Authorization_RequestDenied` without the permission in the token, 429
/// `TooManyRequests` with `Retry-After` when a test says so; an error carries Graph's
/// `request-id` header.
pub(super) async fn directory(
    State(s): State<Arc<Inner>>, axum::extract::Path(collection): axum::extract::Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>,
) -> Response {
    let claims = match verified(&s, &headers, GRAPH_AUDIENCE) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    let consistency = headers.get("consistencylevel").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut graph = s.graph.lock().unwrap();
    graph.directory_requests.push((tenant.clone(), collection.clone(), query.clone(), consistency.clone()));
    let needed = match collection.as_str() {
        "users" => "User.ReadBasic.All",
        "groups" => "GroupMember.Read.All",
        "servicePrincipals" => "Application.Read.All",
        _ => return graph_error(StatusCode::NOT_FOUND, "Request_ResourceNotFound", "Resource not found for the segment."),
    };
    let request_id = format!("graph-directory-{}", graph.directory_requests.len());
    if !claims["scp"].as_str().unwrap_or_default().split(' ').any(|p| p == needed) {
        return with_request_id(graph_error(StatusCode::FORBIDDEN, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."), &request_id);
    }
    if let Some(seconds) = graph.directory_throttled.get(&tenant).filter(|_| collection == "users") {
        let mut answer = with_request_id(graph_error(StatusCode::TOO_MANY_REQUESTS, "TooManyRequests", "Too many requests."), &request_id);
        answer.headers_mut().insert("retry-after", seconds.to_string().parse().unwrap());
        return answer;
    }
    let objects: Vec<Value> = graph.directory.get(&tenant).into_iter().flatten().filter(|(c, _)| *c == collection).map(|(_, v)| v.clone()).collect();
    let matching: Vec<Value> = if let Some(search) = query.get("$search") {
        if consistency.as_deref() != Some("eventual") || query.get("$count").map(String::as_str) != Some("true") {
            return graph_error(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
        }
        let Some(words) = searched(search) else {
            return graph_error(StatusCode::BAD_REQUEST, "Request_BadRequest", "Syntax error: character '\"' is not valid at position 0 in '$search'.");
        };
        objects
            .into_iter()
            .filter(|o| {
                words.iter().any(|(field, text)| {
                    let value = o[field.as_str()].as_str().unwrap_or_default().to_lowercase();
                    value.starts_with(text.as_str()) || value.split([' ', '.', '@', '-', '_']).any(|w| w.starts_with(text.as_str()))
                })
            })
            .collect()
    } else if let Some(filter) = query.get("$filter") {
        let Some(pairs) = filtered(&collection, filter) else {
            return graph_error(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", "Unsupported Query.");
        };
        if pairs.len() > 15 {
            return graph_error(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", "Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15.");
        }
        objects.into_iter().filter(|o| pairs.iter().any(|(property, value)| o[property.as_str()] == value.as_str())).collect()
    } else {
        objects
    };
    let top = query.get("$top").and_then(|t| t.parse::<usize>().ok()).unwrap_or(100);
    let count = matching.len();
    let value: Vec<Value> = matching.into_iter().take(top).collect();
    Json(json!({"@odata.context": format!("https://graph.microsoft.com/v1.0/$metadata#{collection}"), "@odata.count": count, "value": value})).into_response()
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

/// `answer` with Graph's `request-id` header.
fn with_request_id(mut answer: Response, id: &str) -> Response {
    answer.headers_mut().insert("request-id", id.parse().unwrap());
    answer
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
