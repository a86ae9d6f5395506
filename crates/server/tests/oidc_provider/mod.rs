//! A minimal OpenID provider on loopback for the OIDC tests and the token-check benchmark: the
//! discovery document and a key set (keys from the fixtures in `tests/fixtures/oidc`) that a
//! test may change, counting how often each is fetched; and tokens signed or forged with those
//! keys.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use base64::Engine;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reservation_desk_server::oidc::{Discovery, OidcSettings};
use serde_json::{json, Value};

pub const AUDIENCE: &str = "api://reservation-desk";
pub const CLIENT_ID: &str = "spa-client";
pub const OID: &str = "6f1c0a9e-2b4d-4c3e-8f5a-0d1e2f3a4b5c";

pub const RSA_A: &[u8] = include_bytes!("../fixtures/oidc/rsa-a.pem");
pub const RSA_A_PUBLIC: &[u8] = include_bytes!("../fixtures/oidc/rsa-a.pub.pem");
pub const RSA_B: &[u8] = include_bytes!("../fixtures/oidc/rsa-b.pem");
pub const EC_P256: &[u8] = include_bytes!("../fixtures/oidc/ec-p256.pem");

pub fn rsa_a() -> EncodingKey {
    EncodingKey::from_rsa_pem(RSA_A).unwrap()
}

pub fn rsa_b() -> EncodingKey {
    EncodingKey::from_rsa_pem(RSA_B).unwrap()
}

pub fn ec() -> EncodingKey {
    EncodingKey::from_ec_pem(EC_P256).unwrap()
}

/// The public half of `key` as a JWK named `kid`.
pub fn jwk(key: &EncodingKey, alg: Algorithm, kid: &str) -> Value {
    let mut jwk = Jwk::from_encoding_key(key, alg).unwrap();
    jwk.common.key_id = Some(kid.to_owned());
    serde_json::to_value(jwk).unwrap()
}

/// The key set the provider starts with: `rsa-a` (RS256) and `ec-1` (ES256).
pub fn first_keys() -> Vec<Value> {
    vec![jwk(&rsa_a(), Algorithm::RS256, "rsa-a"), jwk(&ec(), Algorithm::ES256, "ec-1")]
}

/// A minimal OpenID provider on 127.0.0.1:0: the discovery document and a key set that a test
/// may change, counting how often each is fetched.
pub struct Provider {
    pub issuer: String,
    /// The key set it serves now.
    pub keys: Arc<Mutex<Vec<Value>>>,
    key_fetches: Arc<AtomicUsize>,
    discovery_fetches: Arc<AtomicUsize>,
}

impl Provider {
    /// A provider whose first `failing` discovery requests answer 503.
    pub async fn start_failing(failing: usize) -> Provider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let keys = Arc::new(Mutex::new(first_keys()));
        let (key_fetches, discovery_fetches) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let document = json!({
            "issuer": issuer,
            "jwks_uri": format!("{issuer}/discovery/keys"),
            "authorization_endpoint": format!("{issuer}/authorize"),
            "token_endpoint": format!("{issuer}/token"),
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        });
        let (served, counted) = (keys.clone(), key_fetches.clone());
        let discovered = discovery_fetches.clone();
        let router = Router::new()
            .route(
                "/.well-known/openid-configuration",
                get(move || {
                    let document = document.clone();
                    let n = discovered.fetch_add(1, Ordering::SeqCst);
                    async move {
                        if n < failing {
                            return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({})));
                        }
                        (StatusCode::OK, axum::Json(document))
                    }
                }),
            )
            .route(
                "/discovery/keys",
                get(move || {
                    counted.fetch_add(1, Ordering::SeqCst);
                    let keys = served.lock().unwrap().clone();
                    async move { axum::Json(json!({ "keys": keys })) }
                }),
            );
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Provider { issuer, keys, key_fetches, discovery_fetches }
    }

    pub async fn start() -> Provider {
        Self::start_failing(0).await
    }

    pub fn settings(&self) -> OidcSettings {
        OidcSettings {
            issuer: self.issuer.clone(),
            audience: AUDIENCE.to_owned(),
            client_id: Some(CLIENT_ID.to_owned()),
            scopes: "openid profile".to_owned(),
        }
    }

    /// How often its key set was fetched.
    pub fn key_fetches(&self) -> usize {
        self.key_fetches.load(Ordering::SeqCst)
    }

    /// How often its discovery document was asked for.
    pub fn discovery_fetches(&self) -> usize {
        self.discovery_fetches.load(Ordering::SeqCst)
    }

    /// Claims of a valid token of this provider: an Admin agent, valid for five minutes.
    pub fn claims(&self) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({
            "iss": self.issuer, "aud": AUDIENCE, "iat": now, "nbf": now - 5, "exp": now + 300,
            "oid": OID, "sub": "pairwise-subject-1", "tid": "tenant-1",
            "name": "Ada Admin", "preferred_username": "ada@partner.example",
            "roles": ["AdminAgent"],
        })
    }

    /// `claims` changed by `change`, signed RS256 with `rsa-a`.
    pub fn token_with(&self, change: impl FnOnce(&mut Value)) -> String {
        let mut claims = self.claims();
        change(&mut claims);
        sign(Algorithm::RS256, &rsa_a(), "rsa-a", &claims)
    }
}

pub fn sign(alg: Algorithm, key: &EncodingKey, kid: &str, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

/// Removes `claim` from `claims`.
pub fn without(claims: &mut Value, claim: &str) {
    claims.as_object_mut().unwrap().remove(claim);
}

/// A token of `claims` under `kid` whose signature is junk: enough for an unknown kid, which is
/// refused before any signature is checked (and cheap to make by the hundred).
pub fn unsigned(kid: &str, claims: &Value) -> String {
    format!("{}.{}.c2lnbmF0dXJl", b64(&json!({ "alg": "RS256", "typ": "JWT", "kid": kid })), b64(claims))
}

pub fn b64(value: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

/// How the tests discover: one try, the real refetch interval unless a test shortens it.
pub fn quick() -> Discovery {
    Discovery { attempts: 1, first_delay: Duration::from_millis(10), timeout: Duration::from_secs(5), ..Discovery::default() }
}
