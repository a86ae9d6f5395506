//! Stand-ins for Microsoft's services, on loopback, written from Microsoft's documentation (not
//! from the desk's own Azure surface): Entra ID's token endpoint taking the on-behalf-of grant,
//! Partner Center's customers and ARM's reservations (Microsoft.Capacity 2022-11-01). Each
//! checks what the real one checks: the token endpoint verifies the user's assertion against the
//! desk's identity provider (signature, issuer, audience) and the confidential client's
//! credentials, and issues a token for one tenant and one resource (`tid`, `aud`) signed with a
//! key of its own; Partner Center and ARM verify that signature and that the token was issued for
//! them and for the tenant asked about. Paging is Microsoft's: Partner Center's `links.next` with
//! an `MS-ContinuationToken` header, ARM's absolute `nextLink` with `$skiptoken`. A tenant can be
//! set to answer 403 (no GDAP role), or 429 with `Retry-After` a number of times.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};
use serde_json::{json, Value};

use crate::oidc_provider::{self, AUDIENCE};

pub const CLIENT_ID: &str = "desk-api-app";
pub const CLIENT_SECRET: &str = "stand-in-secret-not-real";
pub const PARTNER_TENANT: &str = "partner-tenant";
pub const ARM_AUDIENCE: &str = "https://management.azure.com";
pub const PARTNER_CENTER_AUDIENCE: &str = "https://api.partnercenter.microsoft.com";
/// Items per page, small so that every list has several.
pub const PAGE: usize = 2;

/// How a tenant answers ARM.
#[derive(Clone, Debug)]
pub enum Tenant {
    /// Its reservations, paged.
    Reservations(Vec<Value>),
    /// 403 AuthorizationFailed: the user has no GDAP role there.
    Forbidden,
    /// 429 with `Retry-After: seconds`, `times` times, then its reservations.
    Throttled { seconds: u64, times: usize, then: Vec<Value> },
}

#[derive(Default)]
pub struct Record {
    /// Token requests answered, by (tenant, scope).
    pub tokens: HashMap<(String, String), usize>,
    /// ARM list requests, by tenant.
    pub arm: HashMap<String, usize>,
    /// Partner Center pages served.
    pub partner_center_pages: usize,
    /// Requests refused for their token, with why.
    pub refused: Vec<String>,
}

struct Inner {
    issuer: String,
    base: String,
    customers: Vec<Value>,
    tenants: HashMap<String, Tenant>,
    record: Mutex<Record>,
}

/// The running stand-ins: one loopback server for the three services.
#[derive(Clone)]
pub struct StandIns {
    inner: Arc<Inner>,
}

fn rsa_b_decoding() -> DecodingKey {
    let jwk: Jwk = Jwk::from_encoding_key(&oidc_provider::rsa_b(), Algorithm::RS256).unwrap();
    DecodingKey::from_jwk(&jwk).unwrap()
}

/// A reservation as ARM lists it (the shape of the specification's `GetReservations.json`).
pub fn reservation(order: &str, id: &str, name: &str, quantity: u32, utilization30: f64) -> Value {
    json!({
        "id": format!("/providers/microsoft.capacity/reservationOrders/{order}/reservations/{id}"),
        "name": format!("{order}/{id}"),
        "type": "microsoft.capacity/reservationOrders/reservations",
        "location": "westeurope", "etag": 3, "sku": {"name": "Standard_D2s_v3"},
        "properties": {
            "reservedResourceType": "VirtualMachines", "instanceFlexibility": "On", "displayName": name,
            "appliedScopeType": "Shared", "quantity": quantity, "provisioningState": "Succeeded",
            "effectiveDateTime": "2026-01-10T08:00:00Z", "benefitStartTime": "2026-01-10T08:00:00Z",
            "purchaseDate": "2026-01-10", "purchaseDateTime": "2026-01-10T08:00:00Z",
            "expiryDate": "2027-01-10", "expiryDateTime": "2027-01-10T08:00:00Z",
            "term": "P1Y", "billingPlan": "Upfront", "renew": false,
            "userFriendlyAppliedScopeType": "Shared", "userFriendlyRenewState": "Off", "displayProvisioningState": "Succeeded",
            "utilization": {"trend": "SAME", "aggregates": [
                {"grain": 1.0, "grainUnit": "days", "value": utilization30, "valueUnit": "percentage"},
                {"grain": 7.0, "grainUnit": "days", "value": utilization30, "valueUnit": "percentage"},
                {"grain": 30.0, "grainUnit": "days", "value": utilization30, "valueUnit": "percentage"}]}
        }
    })
}

/// A customer as Partner Center lists it.
pub fn customer(id: &str, tenant: &str, name: &str) -> Value {
    json!({
        "id": id,
        "companyProfile": {"tenantId": tenant, "domain": format!("{id}.onmicrosoft.com"), "companyName": name},
        "relationshipToPartner": "reseller",
        "attributes": {"objectType": "Customer"}
    })
}

impl StandIns {
    /// Starts the stand-ins for `customers` (Partner Center) and `tenants` (ARM), trusting the
    /// desk's identity provider `issuer` for assertions.
    pub async fn start(issuer: &str, customers: Vec<Value>, tenants: HashMap<String, Tenant>) -> StandIns {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let inner = Arc::new(Inner { issuer: issuer.to_owned(), base, customers, tenants, record: Mutex::default() });
        let router = Router::new()
            .route("/{tenant}/oauth2/v2.0/token", post(token))
            .route("/v1/customers", get(customers_page))
            .route("/providers/Microsoft.Capacity/reservations", get(reservations_page))
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        StandIns { inner }
    }

    pub fn base(&self) -> &str {
        &self.inner.base
    }

    /// The token endpoint template.
    pub fn token_url(&self) -> String {
        format!("{}/{{tenantId}}/oauth2/v2.0/token", self.inner.base)
    }

    pub fn record<T>(&self, f: impl FnOnce(&Record) -> T) -> T {
        f(&self.inner.record.lock().unwrap())
    }
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({"error": error, "error_description": description}))).into_response()
}

/// Entra ID's token endpoint, the on-behalf-of grant only.
async fn token(State(s): State<Arc<Inner>>, Path(tenant): Path<String>, Form(form): Form<HashMap<String, String>>) -> Response {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    if field("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || field("requested_token_use") != "on_behalf_of" {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "AADSTS70003: only the on-behalf-of grant here");
    }
    if field("client_id") != CLIENT_ID || field("client_secret") != CLIENT_SECRET {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
    }
    let scope = field("scope").to_owned();
    let Some(resource) = scope.strip_suffix("/user_impersonation").filter(|r| *r == ARM_AUDIENCE || *r == PARTNER_CENTER_AUDIENCE) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", "AADSTS70011: The provided scope is not valid.");
    };
    // The assertion: a token of the desk's identity provider for the desk's API.
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[&s.issuer]);
    validation.set_audience(&[AUDIENCE]);
    let key = DecodingKey::from_rsa_pem(oidc_provider::RSA_A_PUBLIC).unwrap();
    let assertion = match jsonwebtoken::decode::<Value>(field("assertion"), &key, &validation) {
        Ok(data) => data.claims,
        Err(e) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", &format!("AADSTS50013: Assertion failed signature validation ({e})")),
    };
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "iss": format!("{}/{tenant}/v2.0", s.base), "aud": resource, "tid": tenant,
        "oid": assertion["oid"], "iat": now, "nbf": now, "exp": now + 3600, "scp": "user_impersonation",
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("entra-b".into());
    let access = jsonwebtoken::encode(&header, &claims, &oidc_provider::rsa_b()).unwrap();
    *s.record.lock().unwrap().tokens.entry((tenant.clone(), scope.clone())).or_default() += 1;
    Json(json!({"token_type": "Bearer", "scope": scope, "expires_in": 3599, "ext_expires_in": 3599, "access_token": access})).into_response()
}

/// The claims of the request's bearer token when it is this stand-in's, for `audience`;
/// otherwise the 401 the service answers.
fn verified(s: &Inner, headers: &HeaderMap, audience: &str) -> Result<Value, Box<Response>> {
    let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or_default();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "aud"]);
    match jsonwebtoken::decode::<Value>(token, &rsa_b_decoding(), &validation) {
        Ok(data) => Ok(data.claims),
        Err(e) => {
            s.record.lock().unwrap().refused.push(format!("{audience}: {e}"));
            Err(Box::new((StatusCode::UNAUTHORIZED, Json(json!({"error": {"code": "InvalidAuthenticationToken", "message": format!("The access token is invalid ({e}).")}}))).into_response()))
        }
    }
}

/// Partner Center's `GET /v1/customers`, `PAGE` at a time.
async fn customers_page(State(s): State<Arc<Inner>>, headers: HeaderMap) -> Response {
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
    let items: Vec<Value> = s.customers.iter().skip(start).take(PAGE).cloned().collect();
    let mut page = json!({"totalCount": items.len(), "items": items, "attributes": {"objectType": "Collection"}});
    if start + PAGE < s.customers.len() {
        page["links"] = json!({"next": {"uri": format!("/customers?size={PAGE}&seekOperation=next"), "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": format!("page-{}", start + PAGE)}]}});
    }
    // Partner Center starts its JSON with a byte order mark.
    let body = format!("\u{feff}{page}");
    ([("content-type", "application/json; charset=utf-8")], body).into_response()
}

/// ARM's `GET /providers/Microsoft.Capacity/reservations` in the token's tenant.
async fn reservations_page(State(s): State<Arc<Inner>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let claims = match verified(&s, &headers, ARM_AUDIENCE) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if query.get("api-version").map(String::as_str) != Some("2022-11-01") {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": {"code": "InvalidApiVersionParameter", "message": "The api-version is invalid."}}))).into_response();
    }
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    let seen = {
        let mut record = s.record.lock().unwrap();
        let n = record.arm.entry(tenant.clone()).or_default();
        *n += 1;
        *n
    };
    let listed = match s.tenants.get(&tenant) {
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
    };
    let start: usize = query.get("$skiptoken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let value: Vec<Value> = listed.iter().skip(start).take(PAGE).cloned().collect();
    let mut page = json!({"value": value, "summary": {"succeededCount": listed.len()}});
    if start + PAGE < listed.len() {
        page["nextLink"] = json!(format!("{}/providers/Microsoft.Capacity/reservations?api-version=2022-11-01&$skiptoken={}", s.base, start + PAGE));
    }
    Json(page).into_response()
}
