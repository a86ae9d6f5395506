//! On-behalf-of tokens (OAuth 2.0 on-behalf-of, RFC 7523's JWT bearer grant as Entra ID takes
//! it): the user's access token for the desk is the assertion, exchanged at the tenant's token
//! endpoint for a token of `scope`. Held per (user, tenant, scope) until shortly before expiry,
//! in memory only.

use std::collections::HashMap;
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
}

fn an_hour() -> i64 {
    3600
}

pub(crate) async fn on_behalf_of(client: &AzureClient, user: &OnBehalfOf, tenant: &str, scope: &str) -> Result<Arc<SecretString>, AzureError> {
    let key = (user.user.clone(), tenant.to_owned(), scope.to_owned());
    if let Some(token) = client.tokens.get(&key, (client.clock)()) {
        return Ok(token);
    }
    let settings = &client.settings;
    if tenant.is_empty() || !tenant.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return Err(AzureError { request: Default::default(), status: None, code: "InvalidTenant".into(), message: format!("{tenant:?} is not a tenant ID") });
    }
    let url = settings.token_url.replace("{tenantId}", tenant);
    let what = format!("the token endpoint of tenant {tenant}");
    let answer = client
        .send(&what, || {
            client.http.post(&url).form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("requested_token_use", "on_behalf_of"),
                ("client_id", settings.client_id.as_str()),
                ("client_secret", settings.client_secret.expose_secret()),
                ("assertion", user.assertion.expose_secret()),
                ("scope", scope),
            ])
        })
        .await?;
    let read: TokenAnswer = serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable(&what, e))?;
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
}
