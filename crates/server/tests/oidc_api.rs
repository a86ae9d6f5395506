//! Issue 15, sign-in through OpenID Connect: the server against a real JWKS served by a small
//! OpenID provider on loopback (discovery document + key set, keys from the fixtures in
//! `tests/fixtures/oidc`), with tokens forged every way the issue lists.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use common::{call_as, FABRIKAM};
use http_body_util::BodyExt;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reservation_desk_server::config::DemoUsers;
use reservation_desk_server::oidc::{Discovery, Oidc, OidcError, OidcSettings};
use reservation_desk_server::state::AppState;
use serde_json::{json, Value};
use tower::ServiceExt;

const AUDIENCE: &str = "api://reservation-desk";
const CLIENT_ID: &str = "spa-client";
const OID: &str = "6f1c0a9e-2b4d-4c3e-8f5a-0d1e2f3a4b5c";

const RSA_A: &[u8] = include_bytes!("fixtures/oidc/rsa-a.pem");
const RSA_A_PUBLIC: &[u8] = include_bytes!("fixtures/oidc/rsa-a.pub.pem");
const RSA_B: &[u8] = include_bytes!("fixtures/oidc/rsa-b.pem");
const EC_P256: &[u8] = include_bytes!("fixtures/oidc/ec-p256.pem");

fn rsa_a() -> EncodingKey {
    EncodingKey::from_rsa_pem(RSA_A).unwrap()
}

fn rsa_b() -> EncodingKey {
    EncodingKey::from_rsa_pem(RSA_B).unwrap()
}

fn ec() -> EncodingKey {
    EncodingKey::from_ec_pem(EC_P256).unwrap()
}

/// The public half of `key` as a JWK named `kid`.
fn jwk(key: &EncodingKey, alg: Algorithm, kid: &str) -> Value {
    let mut jwk = Jwk::from_encoding_key(key, alg).unwrap();
    jwk.common.key_id = Some(kid.to_owned());
    serde_json::to_value(jwk).unwrap()
}

/// The key set the provider starts with: `rsa-a` (RS256) and `ec-1` (ES256).
fn first_keys() -> Vec<Value> {
    vec![jwk(&rsa_a(), Algorithm::RS256, "rsa-a"), jwk(&ec(), Algorithm::ES256, "ec-1")]
}

/// A minimal OpenID provider on 127.0.0.1:0: the discovery document and a key set that a test
/// may change, counting how often each is fetched.
struct Provider {
    issuer: String,
    keys: Arc<Mutex<Vec<Value>>>,
    key_fetches: Arc<AtomicUsize>,
    discovery_fetches: Arc<AtomicUsize>,
}

impl Provider {
    /// A provider whose first `failing` discovery requests answer 503.
    async fn start_failing(failing: usize) -> Provider {
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

    async fn start() -> Provider {
        Self::start_failing(0).await
    }

    fn settings(&self) -> OidcSettings {
        OidcSettings {
            issuer: self.issuer.clone(),
            audience: AUDIENCE.to_owned(),
            client_id: Some(CLIENT_ID.to_owned()),
            scopes: "openid profile".to_owned(),
        }
    }

    fn key_fetches(&self) -> usize {
        self.key_fetches.load(Ordering::SeqCst)
    }

    /// Claims of a valid token of this provider: an Admin agent, valid for five minutes.
    fn claims(&self) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({
            "iss": self.issuer, "aud": AUDIENCE, "iat": now, "nbf": now - 5, "exp": now + 300,
            "oid": OID, "sub": "pairwise-subject-1", "tid": "tenant-1",
            "name": "Ada Admin", "preferred_username": "ada@partner.example",
            "roles": ["AdminAgent"],
        })
    }

    /// `claims` changed by `change`, signed RS256 with `rsa-a`.
    fn token_with(&self, change: impl FnOnce(&mut Value)) -> String {
        let mut claims = self.claims();
        change(&mut claims);
        sign(Algorithm::RS256, &rsa_a(), "rsa-a", &claims)
    }
}

fn sign(alg: Algorithm, key: &EncodingKey, kid: &str, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

/// Removes `claim` from `claims`.
fn without(claims: &mut Value, claim: &str) {
    claims.as_object_mut().unwrap().remove(claim);
}

/// A token of `claims` under `kid` whose signature is junk: enough for an unknown kid, which is
/// refused before any signature is checked (and cheap to make by the hundred).
fn unsigned(kid: &str, claims: &Value) -> String {
    format!("{}.{}.c2lnbmF0dXJl", b64(&json!({ "alg": "RS256", "typ": "JWT", "kid": kid })), b64(claims))
}

fn b64(value: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

/// How the tests discover: one try, the real refetch interval unless a test shortens it.
fn quick() -> Discovery {
    Discovery { attempts: 1, first_delay: Duration::from_millis(10), timeout: Duration::from_secs(5), ..Discovery::default() }
}

/// The API over a fresh database, signing in `provider`'s tokens, with demo users as `demo`.
async fn desk_with(provider: &Provider, demo: DemoUsers, how: Discovery) -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/test.sqlite", dir.path().display());
    let mut state = AppState::new(reservation_desk_server::db::open(&url).await.unwrap());
    state.demo_users = demo;
    state.oidc = Some(Arc::new(Oidc::discover(provider.settings(), how).await.unwrap()));
    (reservation_desk_server::api_with_state(state), dir)
}

async fn desk(provider: &Provider) -> (Router, tempfile::TempDir) {
    desk_with(provider, DemoUsers::Off, quick()).await
}

/// `GET path` with `token`: the status, the content type and the JSON answer.
async fn get_as(router: &Router, token: &str, path: &str) -> (StatusCode, String, Value) {
    let request = Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, content_type, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Asserts that `token` is refused with a 401 `tokenInvalid` problem.
async fn refused(router: &Router, token: &str, what: &str) {
    let (status, content_type, problem) = get_as(router, token, "/api/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {problem}");
    assert_eq!(content_type, "application/problem+json", "{what}");
    assert_eq!(problem["code"], "tokenInvalid", "{what}: {problem}");
    assert_eq!(problem["status"], 401, "{what}");
}

#[tokio::test]
async fn valid_rs256_and_es256_tokens_sign_in_as_the_token_says() {
    let provider = Provider::start().await;
    let (router, _dir) = desk(&provider).await;
    let (status, _, me) = get_as(&router, &provider.token_with(|_| {}), "/api/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        me,
        json!({ "userPrincipalName": "ada@partner.example", "displayName": "Ada Admin", "role": "AdminAgent", "id": OID })
    );
    let es256 = sign(Algorithm::ES256, &ec(), "ec-1", &provider.claims());
    let (status, _, me) = get_as(&router, &es256, "/api/me").await;
    assert_eq!((status, me["id"].as_str()), (StatusCode::OK, Some(OID)), "{me}");
    // `aud` may be a list that contains the audience.
    let listed = provider.token_with(|c| c["aud"] = json!(["https://graph.example", AUDIENCE]));
    assert_eq!(get_as(&router, &listed, "/api/customers").await.0, StatusCode::OK);
    // Without `oid`, `sub` is the ID; without `name`, `preferred_username` is the name.
    let plain = provider.token_with(|c| {
        without(c, "oid");
        without(c, "name");
    });
    let (_, _, me) = get_as(&router, &plain, "/api/me").await;
    assert_eq!((me["id"].as_str(), me["displayName"].as_str()), (Some("pairwise-subject-1"), Some("ada@partner.example")));
    // No token at all is still "sign in", not "token invalid".
    let (status, problem) = call_as(&router, "", "GET", "/api/me", None).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("signInRequired")));
}

#[tokio::test]
async fn every_forged_token_is_a_401_problem() {
    let provider = Provider::start().await;
    let (router, _dir) = desk(&provider).await;
    let claims = provider.claims();
    let now = chrono::Utc::now().timestamp();

    refused(&router, &sign(Algorithm::RS256, &rsa_b(), "rsa-a", &claims), "signed by another key under a known kid").await;
    let valid = provider.token_with(|_| {});
    let (head, rest) = valid.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    let mut raised = claims.clone();
    raised["roles"] = json!(["GlobalAdmin"]);
    let tampered = format!("{head}.{}.{signature}", b64(&raised));
    refused(&router, &tampered, "claims changed after signing").await;
    refused(&router, &sign(Algorithm::RS256, &rsa_b(), "no-such-key", &claims), "an unknown kid").await;
    refused(&router, &sign(Algorithm::RS256, &rsa_a(), "ec-1", &claims), "RS256 under the kid of the ES256 key").await;
    refused(&router, &sign(Algorithm::ES256, &ec(), "rsa-a", &claims), "ES256 under the kid of the RSA key").await;
    let mut no_kid = Header::new(Algorithm::RS256);
    no_kid.kid = None;
    refused(&router, &jsonwebtoken::encode(&no_kid, &claims, &rsa_a()).unwrap(), "no kid").await;

    // `alg: none`, with and without a signature part.
    let none = json!({ "alg": "none", "typ": "JWT", "kid": "rsa-a" });
    refused(&router, &format!("{}.{}.", b64(&none), b64(&claims)), "alg none").await;
    refused(&router, &format!("{}.{}", b64(&none), b64(&claims)), "alg none without a signature part").await;
    refused(&router, &format!("{}.{}.{signature}", b64(&none), b64(&claims)), "alg none with a signature").await;
    // HMAC with the RSA public key (as PEM text, and as the JWK's modulus) for secret.
    for secret in [RSA_A_PUBLIC.to_vec(), jwk(&rsa_a(), Algorithm::RS256, "rsa-a")["n"].as_str().unwrap().as_bytes().to_vec()] {
        for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            refused(&router, &sign(alg, &EncodingKey::from_secret(&secret), "rsa-a", &claims), "HMAC with the public key").await;
        }
    }
    // A right signature over wrong claims.
    refused(&router, &provider.token_with(|c| c["iss"] = json!("https://login.example/other-tenant/v2.0")), "another issuer").await;
    refused(&router, &provider.token_with(|c| c["iss"] = json!(format!("{}/", provider.issuer))), "the issuer with a slash").await;
    refused(&router, &provider.token_with(|c| without(c, "iss")), "no iss").await;
    refused(&router, &provider.token_with(|c| c["aud"] = json!("api://another-api")), "another audience").await;
    refused(&router, &provider.token_with(|c| c["aud"] = json!(["api://another-api", CLIENT_ID])), "aud without the audience").await;
    refused(&router, &provider.token_with(|c| without(c, "aud")), "no aud").await;
    refused(&router, &provider.token_with(|c| c["exp"] = json!(now - 61)), "expired 61 s ago").await;
    refused(&router, &provider.token_with(|c| c["exp"] = json!(now - 3600)), "expired an hour ago").await;
    refused(&router, &provider.token_with(|c| without(c, "exp")), "no exp").await;
    let soon = provider.token_with(|c| c["nbf"] = json!(chrono::Utc::now().timestamp() + 62));
    refused(&router, &soon, "valid only from 62 s on").await;
    refused(&router, &provider.token_with(|c| c["exp"] = json!("tomorrow")), "exp not a number").await;
    for junk in ["x", "a.b.c", "eyJhbGciOiJSUzI1NiJ9", "Bearer", "demo-global-admin"] {
        refused(&router, junk, junk).await;
    }
}

#[tokio::test]
async fn exp_and_nbf_are_checked_with_at_most_60_seconds_leeway() {
    let provider = Provider::start().await;
    let (router, _dir) = desk(&provider).await;
    let now = chrono::Utc::now().timestamp();
    for (what, token) in [
        ("expired 50 s ago", provider.token_with(|c| c["exp"] = json!(now - 50))),
        ("valid from 50 s on", provider.token_with(|c| c["nbf"] = json!(now + 50))),
        ("no nbf", provider.token_with(|c| without(c, "nbf"))),
    ] {
        let (status, _, answer) = get_as(&router, &token, "/api/me").await;
        assert_eq!(status, StatusCode::OK, "{what}: {answer}");
    }
    refused(&router, &provider.token_with(|c| c["exp"] = json!(now - 70)), "expired 70 s ago").await;
    refused(&router, &provider.token_with(|c| c["nbf"] = json!(now + 70)), "valid from 70 s on").await;
}

#[tokio::test]
async fn roles_come_from_the_roles_claim_and_several_give_the_most_permitted() {
    let provider = Provider::start().await;
    let (router, _dir) = desk(&provider).await;
    let with_roles = |roles: Value| provider.token_with(|c| c["roles"] = roles);
    let no_roles = provider.token_with(|c| without(c, "roles"));
    for (what, token) in [("no roles claim", no_roles), ("no roles", with_roles(json!([]))), ("unknown roles", with_roles(json!(["Reader", "globaladmin"])))] {
        let (status, content_type, problem) = get_as(&router, &token, "/api/customers").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{what}: {problem}");
        assert_eq!((content_type.as_str(), problem["code"].as_str()), ("application/problem+json", Some("roleForbids")), "{what}");
    }
    // Global admin beats everything: the audit chain's check is the Global admin's alone.
    let global = with_roles(json!(["SalesAgent", "GlobalAdmin", "Reader"]));
    let (_, _, me) = get_as(&router, &global, "/api/me").await;
    assert_eq!(me["role"], "GlobalAdmin");
    assert!(me.get("otherRoles").is_none(), "{me}");
    assert_eq!(get_as(&router, &global, "/api/audit/verify").await.0, StatusCode::OK);
    assert_eq!(get_as(&router, &with_roles(json!(["HelpdeskAgent", "AdminAgent"])), "/api/audit/verify").await.0, StatusCode::FORBIDDEN);
    // The narrower roles add up: Helpdesk agent and Sales agent may quote (Sales) and file
    // support requests (Helpdesk), but not move money.
    let quote = json!({
        "policy": "azure-current", "asOf": "2025-03-01",
        "reservation": { "reservedResourceType": "VirtualMachines", "term": "P3Y", "billingPlan": "Monthly",
                         "purchaseDate": "2024-03-01", "quantity": 1,
                         "unitPrice": { "amount": "3600.00", "currencyCode": "USD" }, "hasUsage": true },
        "quantity": 1, "priorRefunds": []
    });
    let helpdesk = with_roles(json!(["HelpdeskAgent"]));
    assert_eq!(call_as(&router, &helpdesk, "POST", "/api/quotes/refund", Some(quote.clone())).await.0, StatusCode::FORBIDDEN);
    let both = with_roles(json!(["SalesAgent", "HelpdeskAgent"]));
    let (_, _, me) = get_as(&router, &both, "/api/me").await;
    assert_eq!((me["role"].clone(), me["otherRoles"].clone()), (json!("HelpdeskAgent"), json!(["SalesAgent"])));
    let (status, answer) = call_as(&router, &both, "POST", "/api/quotes/refund", Some(quote)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (_, list) = call_as(&router, &both, "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    let order = list[0]["reservationOrderId"].as_str().unwrap();
    let (status, problem) =
        call_as(&router, &both, "POST", &format!("/api/reservationOrders/{order}/return"), Some(json!({ "sessionId": "x", "returnReason": "r" }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("HelpdeskAgent and SalesAgent"), "{problem}");
    // A single string is one role.
    assert_eq!(get_as(&router, &with_roles(json!("SalesAgent")), "/api/me").await.2["role"], "SalesAgent");
}

#[tokio::test]
async fn the_audit_log_records_the_users_id_and_name() {
    let provider = Provider::start().await;
    let (router, _dir) = desk_with(&provider, DemoUsers::OnLoopback, quick()).await;
    let token = provider.token_with(|_| {});
    let (_, list) = call_as(&router, &token, "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    let order = list[0]["reservationOrderId"].as_str().unwrap();
    let assignments = format!("/api/reservationOrders/{order}/roleAssignments");
    let body = |name: &str| json!({ "principalName": name, "principalType": "User", "role": "Reservations Reader" });
    let (status, answer) = call_as(&router, &token, "POST", &assignments, Some(body("ada@fabrikam.com"))).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (status, answer) = call_as(&router, "demo-admin-agent", "POST", &assignments, Some(body("bob@fabrikam.com"))).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (_, audit) = call_as(&router, &token, "GET", "/api/audit", None).await;
    let entries = audit.as_array().unwrap();
    let ours = entries.iter().find(|e| e["change"].as_str().unwrap().contains("ada@fabrikam.com")).unwrap();
    assert_eq!(ours["actor"], "ada@partner.example");
    assert_eq!(ours["actorId"], OID);
    assert_eq!(ours["actorName"], "Ada Admin");
    // A demo user's entry is as before: the principal name only.
    let demo = entries.iter().find(|e| e["change"].as_str().unwrap().contains("bob@fabrikam.com")).unwrap();
    assert_eq!(demo["actor"], "adam.agent@partner.example");
    assert!(demo.get("actorId").is_none() && demo.get("actorName").is_none(), "{demo}");
    let (_, verified) = call_as(&router, "demo-global-admin", "GET", "/api/audit/verify", None).await;
    assert_eq!(verified["intact"], true, "{verified}");
}

#[tokio::test]
async fn a_flood_of_unknown_kids_refetches_the_keys_once_per_interval() {
    let provider = Provider::start().await;
    let (router, _dir) = desk(&provider).await;
    assert_eq!(provider.key_fetches(), 1, "the keys are fetched once at start");
    let claims = provider.claims();
    let flood = (0..200).map(|i| {
        let (router, token) = (router.clone(), unsigned(&format!("made-up-{i}"), &claims));
        tokio::spawn(async move { get_as(&router, &token, "/api/me").await.0 })
    });
    for status in futures::future::join_all(flood).await {
        assert_eq!(status.unwrap(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(provider.key_fetches(), 2, "200 unknown kids at once: one refetch");
    for i in 0..50 {
        refused(&router, &unsigned(&format!("later-{i}"), &claims), "unknown kid").await;
    }
    assert_eq!(provider.key_fetches(), 2, "within 10 s of the refetch: none more");
    // Known kids never refetch.
    let valid = provider.token_with(|_| {});
    for _ in 0..20 {
        assert_eq!(get_as(&router, &valid, "/api/me").await.0, StatusCode::OK);
    }
    assert_eq!(provider.key_fetches(), 2);

    // Once the interval has passed, an unknown kid may refetch again (a short interval here).
    let provider = Provider::start().await;
    let (router, _dir) = desk_with(&provider, DemoUsers::Off, Discovery { refetch_interval: Duration::from_millis(300), ..quick() }).await;
    for round in 1..=3 {
        for i in 0..20 {
            refused(&router, &unsigned(&format!("bad-{round}-{i}"), &claims), "unknown kid").await;
        }
        assert_eq!(provider.key_fetches(), 1 + round, "round {round}");
        tokio::time::sleep(Duration::from_millis(350)).await;
    }
}

#[tokio::test]
async fn a_rotated_key_signs_in_after_one_refetch() {
    let provider = Provider::start().await;
    let (router, _dir) = desk(&provider).await;
    assert_eq!(get_as(&router, &provider.token_with(|_| {}), "/api/me").await.0, StatusCode::OK);
    // The issuer rotates: rsa-b is added, then rsa-a retired.
    *provider.keys.lock().unwrap() = vec![jwk(&rsa_a(), Algorithm::RS256, "rsa-a"), jwk(&rsa_b(), Algorithm::RS256, "rsa-b")];
    let rotated = sign(Algorithm::RS256, &rsa_b(), "rsa-b", &provider.claims());
    let (status, _, me) = get_as(&router, &rotated, "/api/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(provider.key_fetches(), 2, "one refetch for the new kid");
    let old = provider.token_with(|_| {});
    for _ in 0..10 {
        assert_eq!(get_as(&router, &rotated, "/api/me").await.0, StatusCode::OK);
        assert_eq!(get_as(&router, &old, "/api/me").await.0, StatusCode::OK);
    }
    assert_eq!(provider.key_fetches(), 2, "known kids need no more");
}

#[tokio::test]
async fn config_tells_the_spa_how_to_sign_in_without_a_token() {
    let (router, _dir, _) = common::fresh().await;
    let (status, content_type, config) = get_as(&router, "", "/api/config").await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/json"));
    assert_eq!(config, json!({ "auth": "demo" }));
    let request = Request::get("/api/config").body(Body::empty()).unwrap();
    assert_eq!(router.clone().oneshot(request).await.unwrap().status(), StatusCode::OK, "no Authorization header needed");
    let (status, problem) = call_as(&router, "", "POST", "/api/config", Some(json!({}))).await;
    assert_eq!((status, problem["status"].as_u64()), (StatusCode::METHOD_NOT_ALLOWED, Some(405)));

    let provider = Provider::start().await;
    let (router, _dir) = desk(&provider).await;
    let request = Request::get("/api/config").body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let config: Value = serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(config, json!({ "auth": "oidc", "issuer": provider.issuer, "clientId": CLIENT_ID, "scopes": "openid profile" }));
}

#[tokio::test]
async fn demo_tokens_sign_in_beside_oidc_only_where_demo_users_are_on() {
    let provider = Provider::start().await;
    let (off, _dir) = desk_with(&provider, DemoUsers::Off, quick()).await;
    refused(&off, "demo-global-admin", "a demo token with demo users off").await;
    assert_eq!(get_as(&off, &provider.token_with(|_| {}), "/api/me").await.0, StatusCode::OK);
    let (on, _dir2) = desk_with(&provider, DemoUsers::OnLoopback, quick()).await;
    let (status, _, me) = get_as(&on, "demo-global-admin", "/api/me").await;
    assert_eq!((status, me["role"].as_str()), (StatusCode::OK, Some("GlobalAdmin")));
    assert!(me.get("id").is_none(), "{me}");
    assert_eq!(get_as(&on, &provider.token_with(|_| {}), "/api/me").await.2["role"], "AdminAgent");
    refused(&on, "demo-nobody", "an unknown demo-like token").await;
    let fetches = provider.key_fetches();
    for _ in 0..5 {
        get_as(&on, "demo-global-admin", "/api/me").await;
    }
    assert_eq!(provider.key_fetches(), fetches, "demo tokens never reach the issuer");
}

#[tokio::test]
async fn discovery_tries_again_and_fails_clearly() {
    // Two 503s, then the document: the third try succeeds.
    let provider = Provider::start_failing(2).await;
    let how = Discovery { attempts: 3, first_delay: Duration::from_millis(20), ..quick() };
    Oidc::discover(provider.settings(), how).await.unwrap();
    assert_eq!(provider.discovery_fetches.load(Ordering::SeqCst), 3);

    let provider = Provider::start_failing(usize::MAX).await;
    let err = Oidc::discover(provider.settings(), how).await.err().unwrap();
    assert!(matches!(err, OidcError::Fetch { .. }), "{err}");
    assert!(err.to_string().contains("503") && err.to_string().contains("/.well-known/openid-configuration"), "{err}");
    assert_eq!(provider.discovery_fetches.load(Ordering::SeqCst), 3, "three tries");

    // Nobody listening.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let settings = OidcSettings { issuer, ..provider.settings() };
    let err = Oidc::discover(settings, quick()).await.err().unwrap();
    assert!(matches!(err, OidcError::Fetch { .. }), "{err}");

    // A document of another issuer (here: the issuer written with a trailing slash).
    let provider = Provider::start().await;
    let settings = OidcSettings { issuer: format!("{}/", provider.issuer), ..provider.settings() };
    let err = Oidc::discover(settings, quick()).await.err().unwrap();
    assert!(matches!(err, OidcError::Discovery { .. }) && err.to_string().contains("names the issuer"), "{err}");

    // Plain http beyond loopback is refused before any request.
    let settings = OidcSettings { issuer: "http://login.example/tenant/v2.0".into(), ..provider.settings() };
    assert!(matches!(Oidc::discover(settings, quick()).await.err().unwrap(), OidcError::NotHttps(_)));
}

#[test]
fn the_server_refuses_to_start_when_the_issuer_cannot_be_reached() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let dir = tempfile::tempdir().unwrap();
    // Five tries with waits of 1, 2, 4 and 8 s between them: about 15 s, then a clear exit.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"))
        .args(["--listen", "127.0.0.1:0", "--database"])
        .arg(dir.path().join("desk.sqlite"))
        .args(["--oidc-issuer", &issuer, "--oidc-audience", AUDIENCE])
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("OpenID Connect issuer {issuer} cannot be used")), "{stderr}");
    assert!(stdout.contains("try 4 of 5"), "the tries are logged: {stdout}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Not a timed test: prints what one check costs, for the README's figures.
#[tokio::test]
async fn how_long_one_check_takes() {
    let provider = Provider::start().await;
    let oidc = Oidc::discover(provider.settings(), quick()).await.unwrap();
    for (alg, token) in [
        ("RS256", provider.token_with(|_| {})),
        ("ES256", sign(Algorithm::ES256, &ec(), "ec-1", &provider.claims())),
    ] {
        let rounds = 200;
        let started = std::time::Instant::now();
        for _ in 0..rounds {
            oidc.verify(&token, chrono::Utc::now()).await.unwrap();
        }
        eprintln!("{alg}: {:?} per token (of {rounds})", started.elapsed() / rounds);
    }
}
