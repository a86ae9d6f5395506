//! Tokens for Azure, two ways. On behalf of a signed-in user (OAuth 2.0 on-behalf-of, RFC
//! 7523's JWT bearer grant as Entra ID takes it): the user's access token for the desk is the
//! assertion, exchanged at the tenant's token endpoint for a token of `scope`. Or from the
//! stored grant of Partner Center's secure application model ([`StoredGrant`]): the refresh
//! token a Global admin's connection gave, redeemed at each tenant's token endpoint; each
//! rotated refresh token Entra returns replaces the one held. Access tokens are held per
//! (user or grant, tenant, scope) until shortly before expiry, in memory only; the two ways
//! never share one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::{AzureClient, AzureError, OnBehalfOf};

/// A token is renewed this long before it expires (or at half its life, if shorter).
pub const RENEW_BEFORE: TimeDelta = TimeDelta::minutes(5);

struct Held {
    token: Arc<SecretString>,
    renew_at: DateTime<Utc>,
}

/// The tokens obtained on behalf of users, by (user `oid`, tenant, scope). Its `Debug` shows
/// how many, never one.
#[derive(Default)]
pub struct TokenCache {
    held: Mutex<HashMap<(String, String, String), Held>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.held.lock().map(|h| h.len()).unwrap_or(0);
        write!(f, "TokenCache({n} tokens)")
    }
}

impl TokenCache {
    fn get(&self, key: &(String, String, String), now: DateTime<Utc>) -> Option<Arc<SecretString>> {
        let held = self.held.lock().ok()?;
        held.get(key).filter(|h| now < h.renew_at).map(|h| h.token.clone())
    }

    fn put(&self, key: (String, String, String), token: Arc<SecretString>, now: DateTime<Utc>, expires_in: i64) {
        let life = TimeDelta::seconds(expires_in.max(0));
        let renew_at = now + (life - RENEW_BEFORE).max(life / 2);
        if let Ok(mut held) = self.held.lock() {
            held.retain(|_, h| now < h.renew_at);
            held.insert(key, Held { token, renew_at });
        }
    }

    /// Drops every token of `user`.
    pub fn forget(&self, user: &str) {
        if let Ok(mut held) = self.held.lock() {
            held.retain(|(u, _, _), _| u != user);
        }
    }

    /// How many tokens are held (for tests).
    pub fn len(&self) -> usize {
        self.held.lock().map(|h| h.len()).unwrap_or(0)
    }

    /// Whether none is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default = "an_hour")]
    expires_in: i64,
    /// Present when `offline_access` was asked for, and on a refresh token's redemption (the
    /// rotated one).
    #[serde(default)]
    refresh_token: Option<String>,
}

/// The grant Partner Center's secure application model keeps for unattended reads: a Global
/// admin's refresh token for the desk's API app. Reads only: the client's changes and money
/// moves take an [`OnBehalfOf`], never this. Its `Debug` names the user, never the token.
///
/// A return, an exchange, a purchase's checkout and a change compile with the signed-in user:
///
/// ```
/// # async fn moves(client: &azure_client::AzureClient, user: &azure_client::OnBehalfOf) {
/// let _ = client.start_return(user, "tenant", "order", "reservation", 1, "session", "reason").await;
/// let _ = client.start_exchange(user, "tenant", "session").await;
/// let _ = client.checkout(user, "partner", "customer", "cart", "request").await;
/// let _ = client.archive_reservation(user, "tenant", "order", "reservation", true).await;
/// # }
/// ```
///
/// and not with the stored grant, each of them:
///
/// ```compile_fail
/// # async fn moves(client: &azure_client::AzureClient, grant: std::sync::Arc<azure_client::StoredGrant>) {
/// let reader = azure_client::Reader::Stored(grant);
/// let _ = client.start_return(&reader, "tenant", "order", "reservation", 1, "session", "reason").await;
/// # }
/// ```
///
/// ```compile_fail
/// # async fn moves(client: &azure_client::AzureClient, grant: std::sync::Arc<azure_client::StoredGrant>) {
/// let reader = azure_client::Reader::Stored(grant);
/// let _ = client.start_exchange(&reader, "tenant", "session").await;
/// # }
/// ```
///
/// ```compile_fail
/// # async fn moves(client: &azure_client::AzureClient, grant: std::sync::Arc<azure_client::StoredGrant>) {
/// let reader = azure_client::Reader::Stored(grant);
/// let _ = client.archive_reservation(&reader, "tenant", "order", "reservation", true).await;
/// # }
/// ```
///
/// ```compile_fail
/// # async fn moves(client: &azure_client::AzureClient, grant: std::sync::Arc<azure_client::StoredGrant>) {
/// let reader = azure_client::Reader::Stored(grant);
/// let _ = client.checkout(&reader, "partner", "customer", "cart", "request").await;
/// # }
/// ```
pub struct StoredGrant {
    user: String,
    refresh: Mutex<SecretString>,
    rotated: AtomicBool,
}

impl std::fmt::Debug for StoredGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredGrant").field("user", &self.user).finish_non_exhaustive()
    }
}

impl StoredGrant {
    /// The grant of `user` (their `oid`), with its refresh token.
    pub fn new(user: impl Into<String>, refresh: SecretString) -> Self {
        Self { user: user.into(), refresh: Mutex::new(refresh), rotated: AtomicBool::new(false) }
    }

    /// The user whose grant it is.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The refresh token held now, when Entra rotated it since the last call (to be stored
    /// again); `None` when it did not.
    pub fn rotated(&self) -> Option<SecretString> {
        self.rotated.swap(false, Ordering::SeqCst).then(|| self.current())
    }

    fn current(&self) -> SecretString {
        let held = self.refresh.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        SecretString::from(held.expose_secret().to_owned())
    }

    fn replace(&self, refresh: String) {
        let mut held = self.refresh.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if held.expose_secret() != refresh {
            *held = SecretString::from(refresh);
            self.rotated.store(true, Ordering::SeqCst);
        }
    }
}

/// Who a read is made for: a signed-in user (on their behalf), or the stored grant (nobody
/// signed in). Only reads take it.
#[derive(Clone, Debug)]
pub enum Reader {
    /// On behalf of a signed-in user.
    User(OnBehalfOf),
    /// With the stored grant.
    Stored(Arc<StoredGrant>),
}

/// Whether a token endpoint's error (`code`, `message`) means the stored grant itself no
/// longer works (revoked, expired, or asking the user to sign in again: `invalid_grant`,
/// `interaction_required`), rather than one tenant's consent missing (`consent_required`,
/// `AADSTS65001`).
pub fn grant_lost(code: &str, message: &str) -> bool {
    matches!(code, "invalid_grant" | "interaction_required") && !message.contains("AADSTS65001")
}

/// Whether a token endpoint's error (`code`, `message`) says the desk's API app is not consented
/// in the tenant for what was asked (for Microsoft Graph's scope: an older application consent
/// that never carried Graph's grant): `consent_required`, or Entra's `AADSTS65001` (answered as
/// `invalid_grant` or `interaction_required`, its `suberror` `consent_required`).
pub fn consent_missing(code: &str, message: &str) -> bool {
    code == "consent_required" || message.contains("AADSTS65001") || (matches!(code, "invalid_grant" | "interaction_required") && message.contains("consent_required"))
}

/// A token for `scope` in `tenant` for `reader`.
pub(crate) async fn for_reader(client: &AzureClient, reader: &Reader, tenant: &str, scope: &str) -> Result<Arc<SecretString>, AzureError> {
    match reader {
        Reader::User(user) => on_behalf_of(client, user, tenant, scope).await,
        Reader::Stored(grant) => redeemed(client, grant, tenant, scope).await,
    }
}

fn checked_tenant(tenant: &str) -> Result<(), AzureError> {
    if tenant.is_empty() || !tenant.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "InvalidTenant".into(), message: format!("{tenant:?} is not a tenant ID") });
    }
    Ok(())
}

/// The stored grant's refresh token redeemed in `tenant` for `scope` (held until shortly
/// before it expires, apart from any user's).
async fn redeemed(client: &AzureClient, grant: &StoredGrant, tenant: &str, scope: &str) -> Result<Arc<SecretString>, AzureError> {
    let key = (format!("stored-grant:{}", grant.user), tenant.to_owned(), scope.to_owned());
    if let Some(token) = client.tokens.get(&key, (client.clock)()) {
        return Ok(token);
    }
    let refresh = grant.current();
    let read = token_request(client, tenant, &[("grant_type", "refresh_token"), ("refresh_token", refresh.expose_secret()), ("scope", scope)]).await?;
    if let Some(rotated) = read.refresh_token.filter(|t| !t.is_empty()) {
        grant.replace(rotated);
    }
    let token = Arc::new(SecretString::from(read.access_token));
    client.tokens.put(key, token.clone(), (client.clock)(), read.expires_in);
    Ok(token)
}

/// A Global admin's connection: their token exchanged on their behalf in the partner's tenant
/// for Partner Center with `offline_access`, whose refresh token is the grant to store.
pub(crate) async fn connect(client: &AzureClient, user: &OnBehalfOf, partner_tenant: &str) -> Result<SecretString, AzureError> {
    let scope = format!("{} offline_access", crate::PARTNER_CENTER_SCOPE);
    let read = token_request(client, partner_tenant, &on_behalf_of_form(user, &scope)).await?;
    read.refresh_token.filter(|t| !t.is_empty()).map(SecretString::from).ok_or_else(|| {
        AzureError::new("NoRefreshToken", "The token endpoint gave no refresh token for offline_access: the desk's API app may not ask for it.")
    })
}

/// The on-behalf-of grant's fields for `user` and `scope`.
fn on_behalf_of_form<'a>(user: &'a OnBehalfOf, scope: &'a str) -> [(&'static str, &'a str); 4] {
    [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("requested_token_use", "on_behalf_of"),
        ("assertion", user.assertion.expose_secret()),
        ("scope", scope),
    ]
}

/// One request to `tenant`'s token endpoint with the grant's `fields` and the desk's client
/// credentials: Entra's answer.
async fn token_request(client: &AzureClient, tenant: &str, fields: &[(&str, &str)]) -> Result<TokenAnswer, AzureError> {
    checked_tenant(tenant)?;
    let settings = &client.settings;
    let url = settings.token_url.replace("{tenantId}", tenant);
    let what = format!("the token endpoint of tenant {tenant}");
    let credentials = [("client_id", settings.client_id.as_str()), ("client_secret", settings.client_secret.expose_secret())];
    let form: Vec<(&str, &str)> = fields.iter().copied().chain(credentials).collect();
    let answer = client.send(tenant, &what, || client.http.post(&url).form(&form)).await?;
    serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable(&what, e))
}

fn an_hour() -> i64 {
    3600
}

pub(crate) async fn on_behalf_of(client: &AzureClient, user: &OnBehalfOf, tenant: &str, scope: &str) -> Result<Arc<SecretString>, AzureError> {
    let key = (user.user.clone(), tenant.to_owned(), scope.to_owned());
    if let Some(token) = client.tokens.get(&key, (client.clock)()) {
        return Ok(token);
    }
    let read = token_request(client, tenant, &on_behalf_of_form(user, scope)).await?;
    let token = Arc::new(SecretString::from(read.access_token));
    client.tokens.put(key, token.clone(), (client.clock)(), read.expires_in);
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_used_until_minutes_before_it_expires_and_never_shown() {
        let cache = TokenCache::default();
        let t0 = DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z").unwrap().with_timezone(&Utc);
        let key = ("oid".to_owned(), "tenant".to_owned(), "scope".to_owned());
        cache.put(key.clone(), Arc::new(SecretString::from("eyJ.secret.token")), t0, 3600);
        assert!(cache.get(&key, t0 + TimeDelta::minutes(54)).is_some());
        assert!(cache.get(&key, t0 + TimeDelta::minutes(55)).is_none(), "renewed five minutes before expiry");
        let other = ("oid".to_owned(), "other-tenant".to_owned(), "scope".to_owned());
        assert!(cache.get(&other, t0).is_none(), "per tenant");
        cache.put(key.clone(), Arc::new(SecretString::from("eyJ.short")), t0, 120);
        assert!(cache.get(&key, t0 + TimeDelta::seconds(59)).is_some() && cache.get(&key, t0 + TimeDelta::seconds(60)).is_none(), "a short token at half its life");
        let shown = format!("{cache:?} {:?}", cache.get(&key, t0).unwrap());
        assert!(!shown.contains("eyJ"), "{shown}");
        cache.forget("oid");
        assert!(cache.is_empty());
    }

    #[test]
    fn a_missing_consent_is_told_from_a_lost_grant() {
        let aadsts65001 = "AADSTS65001: The user or administrator has not consented to use the application with ID 'desk'.";
        assert!(consent_missing("invalid_grant", aadsts65001) && !grant_lost("invalid_grant", aadsts65001));
        assert!(consent_missing("consent_required", "no"));
        assert!(consent_missing("interaction_required", "suberror: consent_required"));
        assert!(!consent_missing("invalid_grant", "AADSTS50173: The provided grant has expired due to it being revoked."));
        assert!(!consent_missing("Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    }
}
