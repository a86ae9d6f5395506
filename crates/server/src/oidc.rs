//! OpenID Connect sign-in: the access tokens of one issuer (e.g. Microsoft Entra ID), checked on
//! every `/api` request by the guard (`auth.rs`).
//!
//! At start, [`Oidc::discover`] reads `{issuer}/.well-known/openid-configuration` for its
//! `jwks_uri` and loads the issuer's keys (retrying a few times; failing is an error, not a
//! panic). A token passes when its header names RS256 or ES256 (never `none`, never an HMAC
//! algorithm, so a token "signed" with a public key as the HMAC secret is refused before any key
//! is looked at) and the `kid` of a key of the issuer whose type fits that algorithm; its signature
//! verifies with that key; `iss` is the issuer; `aud` contains the audience; `exp` is present and
//! at most [`LEEWAY_SECONDS`] past, `nbf` (when present) at most that far ahead. An unknown `kid`
//! refetches the issuer's keys, at most once per refetch interval (10 s, by the adapter's clock,
//! the `now` each check is given) however many requests ask: a rotated key signs in after one
//! refetch, and a flood of made-up kids cannot make the server hammer the issuer. A token that
//! passes all that but carries `nonce` is an ID token (the claim ties an ID token to the sign-in
//! that asked for it; access tokens have none), which says who signed in to a client, not that
//! the API may be called: a 401 `idTokenRefused`. Anything else is a 401 `tokenInvalid`.
//!
//! Who the caller is comes from the claims (`desk_service::access::user_of`, beside the
//! permission table): the ID is `oid` (else `sub`), the name `name` (else `preferred_username`),
//! the roles the Entra ID app roles in `roles`. A valid token without a partner role is a 403
//! `roleForbids`.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use contract::{ProblemCode, SignInConfig, User};
use desk_service::access::{self, TokenClaims};
use desk_service::ServiceError;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::Value;

/// How far past `exp` (or before `nbf`) a token still passes, for clocks that disagree.
pub const LEEWAY_SECONDS: i64 = 60;

/// The shortest time between two refetches of the issuer's keys for an unknown `kid`.
pub const REFETCH_INTERVAL: Duration = Duration::from_secs(10);

/// The wait after the first failed try of discovery at start (then 2, 4 and 8 s: about 15 s in
/// all before the server gives up); `--oidc-discovery-retry-ms` sets it.
pub const FIRST_RETRY: Duration = Duration::from_secs(1);

/// The largest discovery document or key set read from the issuer.
const MAX_DOCUMENT_BYTES: usize = 1 << 20;

/// The algorithms a token may name: RSA and P-256 signatures, nothing symmetric, never `none`.
const ACCEPTED: [Algorithm; 2] = [Algorithm::RS256, Algorithm::ES256];

/// What the flags say about the identity provider (`config.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcSettings {
    /// The issuer, exactly as its tokens write `iss`.
    pub issuer: String,
    /// What a token's `aud` must contain.
    pub audience: String,
    /// The SPA's public client, told to the SPA by `GET /api/config`.
    pub client_id: Option<String>,
    /// The scopes the SPA asks for, space-separated.
    pub scopes: String,
}

/// How [`Oidc::discover`] tries, and how often it may refetch keys afterwards.
#[derive(Clone, Copy, Debug)]
pub struct Discovery {
    /// Tries at start before giving up (a network error or a 5xx/429 is tried again).
    pub attempts: u32,
    /// The wait after the first failed try ([`FIRST_RETRY`]); doubled after each.
    pub first_delay: Duration,
    /// The shortest time between two refetches for an unknown `kid` ([`REFETCH_INTERVAL`]).
    pub refetch_interval: Duration,
    /// How long one request to the issuer may take.
    pub timeout: Duration,
}

impl Default for Discovery {
    fn default() -> Self {
        Self { attempts: 5, first_delay: FIRST_RETRY, refetch_interval: REFETCH_INTERVAL, timeout: Duration::from_secs(10) }
    }
}

/// Why the identity provider could not be used at start.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The issuer or its `jwks_uri` is not https (plain http only on loopback, for tests).
    #[error("{0:?} is not an https URL (plain http is accepted only on loopback)")]
    NotHttps(String),
    /// The issuer could not be reached, or answered an error or something that is not JSON.
    #[error("fetching {url}: {detail}")]
    Fetch {
        /// What was fetched.
        url: String,
        /// What went wrong.
        detail: String,
        /// Whether trying again may help (a network error, a 5xx or a 429).
        retry: bool,
    },
    /// The discovery document is not the issuer's, or says nothing of its keys.
    #[error("the discovery document at {url} {detail}")]
    Discovery {
        /// The document's address.
        url: String,
        /// What is wrong with it.
        detail: String,
    },
}

/// Why a bearer token does not sign in.
#[derive(Debug, thiserror::Error)]
pub enum TokenRefused {
    /// A valid token of the issuer for this audience, but an ID token (it carries `nonce`).
    #[error("an ID token (it carries nonce), not an access token")]
    IdToken,
    /// It fails a check: which one.
    #[error("{0}")]
    Invalid(String),
}

impl From<String> for TokenRefused {
    fn from(reason: String) -> Self {
        Self::Invalid(reason)
    }
}

impl From<&str> for TokenRefused {
    fn from(reason: &str) -> Self {
        Self::Invalid(reason.to_owned())
    }
}

/// One key of the issuer: the algorithm it verifies, and the key.
struct Key {
    algorithm: Algorithm,
    key: DecodingKey,
}

/// The issuer's keys by `kid`.
type Keys = HashMap<String, Key>;

/// The identity provider as the server uses it: its settings, where its keys are, and the keys.
pub struct Oidc {
    settings: OidcSettings,
    jwks_uri: String,
    http: reqwest::Client,
    keys: RwLock<Arc<Keys>>,
    /// When the keys were last refetched for an unknown `kid`, by the adapter's clock (the
    /// start's fetch does not count); held while refetching, so that concurrent requests wait
    /// for that one refetch.
    last_refetch: tokio::sync::Mutex<Option<DateTime<Utc>>>,
    refetch_interval: Duration,
}

/// The claims the desk reads (the library checks `iss` and `aud` itself): the times checked
/// here, and who the holder is (`access::user_of` reads those).
#[derive(Debug, Default, Deserialize)]
pub struct Claims {
    /// Expiry (seconds since the epoch); required.
    pub exp: Option<f64>,
    /// Present only in an ID token, which is refused.
    #[serde(default)]
    pub nonce: Option<Value>,
    /// Not before (seconds since the epoch).
    pub nbf: Option<f64>,
    /// The holder's ID, names and roles.
    #[serde(flatten)]
    pub holder: TokenClaims,
}

impl Oidc {
    /// Reads the issuer's discovery document and keys, trying again as `how` says.
    pub async fn discover(settings: OidcSettings, how: Discovery) -> Result<Self, OidcError> {
        require_https(&settings.issuer)?;
        let http = reqwest::Client::builder()
            .timeout(how.timeout)
            .connect_timeout(how.timeout)
            .user_agent(concat!("reservation-desk-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| OidcError::Fetch { url: settings.issuer.clone(), detail: chain(&err), retry: false })?;
        let mut delay = how.first_delay;
        let mut attempt = 1;
        loop {
            match Self::try_discover(&settings, &http).await {
                Ok((jwks_uri, keys)) => {
                    if keys.is_empty() {
                        tracing::warn!("the issuer's key set at {jwks_uri} has no RS256 or ES256 signing key with a kid: no token signs in yet");
                    }
                    tracing::info!("OpenID Connect: tokens of {} for audience {} sign in ({} keys from {jwks_uri})", settings.issuer, settings.audience, keys.len());
                    return Ok(Self {
                        settings,
                        jwks_uri,
                        http,
                        keys: RwLock::new(Arc::new(keys)),
                        last_refetch: tokio::sync::Mutex::new(None),
                        refetch_interval: how.refetch_interval,
                    });
                }
                Err(err @ OidcError::Fetch { retry: true, .. }) if attempt < how.attempts => {
                    tracing::warn!("OpenID Connect discovery, try {attempt} of {}: {err}; trying again in {delay:?}", how.attempts);
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                    attempt += 1;
                }
                Err(err) => return Err(err),
            }
        }
    }

    async fn try_discover(settings: &OidcSettings, http: &reqwest::Client) -> Result<(String, Keys), OidcError> {
        let url = format!("{}/.well-known/openid-configuration", settings.issuer.trim_end_matches('/'));
        let document = fetch_json(http, &url).await?;
        let named = document.get("issuer").and_then(Value::as_str);
        if named != Some(settings.issuer.as_str()) {
            let detail = format!(
                "names the issuer {named:?}, not {:?}: --oidc-issuer must be the issuer exactly as its tokens write it",
                settings.issuer
            );
            return Err(OidcError::Discovery { url, detail });
        }
        let Some(jwks_uri) = document.get("jwks_uri").and_then(Value::as_str) else {
            return Err(OidcError::Discovery { url, detail: "has no jwks_uri".to_owned() });
        };
        require_https(jwks_uri)?;
        let keys = usable_keys(&fetch_json(http, jwks_uri).await?);
        Ok((jwks_uri.to_owned(), keys))
    }

    /// What `GET /api/config` tells the SPA.
    pub fn sign_in_config(&self) -> SignInConfig {
        SignInConfig::Oidc {
            issuer: self.settings.issuer.clone(),
            client_id: self.settings.client_id.clone(),
            scopes: self.settings.scopes.clone(),
        }
    }

    /// The settings this provider was discovered with.
    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The user a bearer token signs in, at `now`: a 401 when the token does not pass, a 403
    /// when it holds no partner role.
    pub async fn sign_in(&self, token: &str, now: DateTime<Utc>) -> Result<User, ServiceError> {
        match self.verify(token, now).await {
            Ok(claims) => access::user_of(&claims.holder),
            Err(TokenRefused::IdToken) => {
                tracing::debug!("bearer token refused: an ID token");
                Err(ServiceError::new(
                    ProblemCode::IdTokenRefused,
                    "The token is an ID token (it carries nonce); send an access token issued for this API.",
                ))
            }
            Err(TokenRefused::Invalid(reason)) => {
                tracing::debug!("bearer token refused: {reason}");
                Err(ServiceError::new(ProblemCode::TokenInvalid, format!("The token is not valid ({reason}); sign in again.")))
            }
        }
    }

    /// The claims of `token` when it passes every check at `now`, else why not.
    pub async fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenRefused> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| "not a JWT signed with RS256 or ES256".to_owned())?;
        if !ACCEPTED.contains(&header.alg) {
            return Err(format!("{:?} is not accepted, only RS256 and ES256", header.alg).into());
        }
        let kid = header.kid.ok_or("no kid in its header")?;
        let keys = self.keys_with(&kid, now).await.ok_or("signed with a key the issuer does not list")?;
        let key = keys.get(&kid).ok_or("signed with a key the issuer does not list")?;
        if key.algorithm != header.alg {
            return Err(format!("its key is for {:?}, not {:?}", key.algorithm, header.alg).into());
        }
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["iss", "aud"]);
        // Time is checked below against the adapter's clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let claims = jsonwebtoken::decode::<Claims>(token, &key.key, &validation).map(|data| data.claims).map_err(|err| {
            use jsonwebtoken::errors::ErrorKind;
            match err.kind() {
                ErrorKind::InvalidSignature => "the signature does not verify".to_owned(),
                ErrorKind::InvalidIssuer => "issued by another issuer".to_owned(),
                ErrorKind::InvalidAudience => "meant for another audience".to_owned(),
                ErrorKind::MissingRequiredClaim(claim) => format!("no {claim} claim"),
                _ => "malformed".to_owned(),
            }
        })?;
        if claims.nonce.is_some() {
            return Err(TokenRefused::IdToken);
        }
        let now = now.timestamp() as f64 + f64::from(now.timestamp_subsec_millis()) / 1000.0;
        let leeway = LEEWAY_SECONDS as f64;
        match claims.exp {
            None => return Err("no exp claim".into()),
            Some(exp) if now > exp + leeway => return Err("expired".into()),
            _ => {}
        }
        if claims.nbf.is_some_and(|nbf| now + leeway < nbf) {
            return Err("not valid yet (nbf)".into());
        }
        Ok(claims)
    }

    fn current_keys(&self) -> Arc<Keys> {
        self.keys.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The keys, refetched first when `kid` is not among them and the last refetch is at least
    /// the refetch interval before `now`; `None` when `kid` is still unknown.
    async fn keys_with(&self, kid: &str, now: DateTime<Utc>) -> Option<Arc<Keys>> {
        let keys = self.current_keys();
        if keys.contains_key(kid) {
            return Some(keys);
        }
        let mut last = self.last_refetch.lock().await;
        // Another request may have refetched while this one waited.
        let keys = self.current_keys();
        if keys.contains_key(kid) {
            return Some(keys);
        }
        // Too soon after the last refetch (or the clock went back since): no request to the issuer.
        let too_soon = |at: DateTime<Utc>| match now.signed_duration_since(at).to_std() {
            Ok(since) => since < self.refetch_interval,
            Err(_) => true,
        };
        if last.is_some_and(too_soon) {
            return None;
        }
        *last = Some(now);
        match fetch_json(&self.http, &self.jwks_uri).await {
            Ok(set) => {
                let fresh = Arc::new(usable_keys(&set));
                tracing::info!("refetched the issuer's keys for an unknown kid: {} keys", fresh.len());
                *self.keys.write().unwrap_or_else(PoisonError::into_inner) = fresh.clone();
                fresh.contains_key(kid).then_some(fresh)
            }
            Err(err) => {
                tracing::warn!("refetching the issuer's keys: {err}");
                None
            }
        }
    }
}

/// The RS256 and ES256 (P-256) signing keys of a JWKS that have a `kid`; others are skipped.
fn usable_keys(set: &Value) -> Keys {
    let mut keys = Keys::new();
    for value in set.get("keys").and_then(Value::as_array).into_iter().flatten() {
        let Ok(jwk) = serde_json::from_value::<Jwk>(value.clone()) else { continue };
        let Some(kid) = jwk.common.key_id.clone() else { continue };
        if jwk.common.public_key_use.as_ref().is_some_and(|u| *u != PublicKeyUse::Signature) {
            continue;
        }
        let algorithm = match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => Algorithm::RS256,
            AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => Algorithm::ES256,
            _ => continue,
        };
        if jwk.common.key_algorithm.is_some_and(|named| named != KeyAlgorithm::from(algorithm)) {
            continue;
        }
        if let Ok(key) = DecodingKey::from_jwk(&jwk) {
            keys.insert(kid, Key { algorithm, key });
        }
    }
    keys
}

/// `Ok` for an https URL, or plain http on a loopback host.
fn require_https(url: &str) -> Result<(), OidcError> {
    use reqwest::Url;
    let parsed = Url::parse(url).map_err(|_| OidcError::NotHttps(url.to_owned()))?;
    let host = parsed.host_str().unwrap_or_default();
    let loopback = host == "localhost"
        || host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(OidcError::NotHttps(url.to_owned())),
    }
}

/// GETs `url` as JSON (at most [`MAX_DOCUMENT_BYTES`]).
async fn fetch_json(http: &reqwest::Client, url: &str) -> Result<Value, OidcError> {
    let failed = |detail: String, retry: bool| OidcError::Fetch { url: url.to_owned(), detail, retry };
    let mut response = http
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|err| failed(chain(&err), true))?;
    let status = response.status();
    if !status.is_success() {
        return Err(failed(format!("answered {status}"), status.is_server_error() || status.as_u16() == 429));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|err| failed(chain(&err), true))? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_DOCUMENT_BYTES {
            return Err(failed(format!("more than {MAX_DOCUMENT_BYTES} bytes"), false));
        }
    }
    serde_json::from_slice(&body).map_err(|err| failed(format!("not JSON: {err}"), false))
}

/// An error and its sources on one line (reqwest's own message names only the outermost).
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http() {
        for ok in ["https://login.microsoftonline.com/t/v2.0", "http://127.0.0.1:8080", "http://localhost:1/x", "http://[::1]:9/"] {
            assert!(require_https(ok).is_ok(), "{ok}");
        }
        for bad in ["http://login.example", "ftp://127.0.0.1", "not a url", "http://10.0.0.1"] {
            assert!(require_https(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_holder_is_read_beside_the_times() {
        let c: Claims = serde_json::from_value(serde_json::json!({ "exp": 2.5, "sub": "s", "roles": "SalesAgent" })).unwrap();
        assert_eq!((c.exp, c.holder.sub.as_deref(), c.holder.roles.as_slice()), (Some(2.5), Some("s"), ["SalesAgent".to_owned()].as_slice()));
    }
}
