//! Entra ID's token endpoint: the on-behalf-of grant (the assertion verified against the desk's
//! identity provider; with `offline_access` in the scope, a refresh token too) and the refresh
//! token grant (a refresh token this endpoint issued and nobody revoked, redeemed in any
//! tenant, answered with a new one: rotation). Each token is issued for one tenant and one
//! resource, and says how it was obtained (`via`).


use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde_json::{json, Value};

use super::*;

use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({"error": error, "error_description": description}))).into_response()
}

/// Entra ID's token endpoint: the on-behalf-of and refresh token grants.
pub(super) async fn token(State(s): State<Arc<Inner>>, Path(tenant): Path<String>, Form(form): Form<HashMap<String, String>>) -> Response {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let refreshing = field("grant_type") == "refresh_token";
    if !refreshing && (field("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || field("requested_token_use") != "on_behalf_of") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "AADSTS70003: only the on-behalf-of and refresh token grants here");
    }
    if field("client_id") != CLIENT_ID || field("client_secret") != CLIENT_SECRET {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
    }
    let full_scope = field("scope").to_owned();
    let offline = full_scope.split(' ').any(|p| p == "offline_access");
    let scope = full_scope.split(' ').find(|p| *p != "offline_access").unwrap_or_default().to_owned();
    // Graph's delegated permission is its own scope; ARM and Partner Center take user_impersonation.
    let graph_permission = scope.strip_prefix(GRAPH_AUDIENCE).and_then(|p| p.strip_prefix('/')).filter(|p| matches!(*p, "DelegatedAdminRelationship.Read.All" | "PartnerBilling.Read.All"));
    // `https://graph.microsoft.com/.default`: every delegated permission on Graph the desk's API
    // app is consented for in the tenant (a customer's: the directory reads the application
    // consent grants, unless a test took them away).
    let graph_default = scope == format!("{GRAPH_AUDIENCE}/.default");
    let Some(resource) = scope
        .strip_suffix("/user_impersonation")
        .filter(|r| *r == ARM_AUDIENCE || *r == PARTNER_CENTER_AUDIENCE)
        .or(graph_permission.map(|_| GRAPH_AUDIENCE))
        .or(graph_default.then_some(GRAPH_AUDIENCE))
    else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", "AADSTS70011: The provided scope is not valid.");
    };
    let directory_scopes = if s.graph.lock().unwrap().directory_not_consented.contains(&tenant) { "" } else { "User.ReadBasic.All GroupMember.Read.All Application.Read.All" };
    let scp = if graph_default { directory_scopes } else { graph_permission.unwrap_or("user_impersonation") };
    let oid = if refreshing {
        // A refresh token this endpoint issued (`rt.{oid}.{n}`), not revoked.
        let presented = field("refresh_token");
        if !s.refresh_tokens.lock().unwrap().contains(presented) {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
            );
        }
        *s.record.lock().unwrap().refreshed.entry(tenant.clone()).or_default() += 1;
        json!(presented.split('.').nth(1).unwrap_or_default())
    } else {
        // The assertion: a token of the desk's identity provider for the desk's API.
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&s.issuer]);
        validation.set_audience(&[AUDIENCE]);
        let key = DecodingKey::from_rsa_pem(oidc_provider::RSA_A_PUBLIC).unwrap();
        match jsonwebtoken::decode::<Value>(field("assertion"), &key, &validation) {
            Ok(data) => data.claims["oid"].clone(),
            Err(e) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", &format!("AADSTS50013: Assertion failed signature validation ({e})")),
        }
    };
    // A tenant where the desk's API app is not consented refuses its token, as Entra ID does.
    if let Some(Tenant::NotConsented { error, .. }) = s.tenants.lock().unwrap().get(&tenant) {
        let description = format!(
            "AADSTS65001: The user or administrator has not consented to use the application with ID '{CLIENT_ID}' named 'Reservation Desk API'. \
             Send an interactive authorization request for this user and resource."
        );
        let body = json!({"error": error, "error_description": description, "error_codes": [65001], "suberror": "consent_required"});
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    // A tenant whose consent holds nothing on Graph: Graph's `.default` token refused, ARM's not.
    if graph_default && s.graph.lock().unwrap().directory_token_refused.contains(&tenant) {
        let description = format!(
            "AADSTS65001: The user or administrator has not consented to use the application with ID '{CLIENT_ID}' named 'Reservation Desk API'. \
             Send an interactive authorization request for this user and resource."
        );
        let body = json!({"error": "invalid_grant", "error_description": description, "error_codes": [65001], "suberror": "consent_required"});
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "iss": format!("{}/{tenant}/v2.0", s.base), "aud": resource, "tid": tenant,
        "oid": oid, "iat": now, "nbf": now, "exp": now + 3600, "scp": scp,
        "via": if refreshing { "refresh_token" } else { "obo" },
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("entra-b".into());
    let access = jsonwebtoken::encode(&header, &claims, &oidc_provider::rsa_b()).unwrap();
    *s.record.lock().unwrap().tokens.entry((tenant.clone(), scope.clone())).or_default() += 1;
    let mut answer = json!({"token_type": "Bearer", "scope": full_scope, "expires_in": 3599, "ext_expires_in": 3599, "access_token": access});
    // A refresh token with offline_access, and a new one on each redemption (the old one stays
    // valid until revoked, as Entra's do).
    if offline || refreshing {
        let mut issued = s.refresh_tokens.lock().unwrap();
        let refresh = format!("rt.{}.{}", oid.as_str().unwrap_or_default(), issued.len() + 1);
        issued.insert(refresh.clone());
        answer["refresh_token"] = json!(refresh);
    }
    Json(answer).into_response()
}
