//! Sign-in through OpenID Connect: the server against a real JWKS served by a small
//! OpenID provider on loopback (`oidc_provider`: discovery document + key set, keys from the
//! fixtures in `tests/fixtures/oidc`), with tokens forged every way the issue lists.

use crate::common;
use crate::oidc_provider;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, Utc};
use common::{call_as, FABRIKAM};
use http_body_util::BodyExt;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use oidc_provider::*;
use reservation_desk_server::config::DemoUsers;
use reservation_desk_server::oidc::{Discovery, Oidc, OidcError, OidcSettings, REFETCH_INTERVAL};
use reservation_desk_server::state::{AppState, Clock};
use serde_json::{json, Value};
use tower::ServiceExt;

/// The API over a fresh database, signing in `provider`'s tokens, with demo users as `demo`.
async fn desk_with(provider: &Provider, demo: DemoUsers, how: Discovery) -> (Router, tempfile::TempDir) {
    desk_on(provider, demo, how, Arc::new(Utc::now)).await
}

/// [`desk_with`] on `clock`.
async fn desk_on(provider: &Provider, demo: DemoUsers, how: Discovery, clock: Clock) -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/test.sqlite", dir.path().display());
    let mut state = AppState::with_clock(reservation_desk_server::db::open(&url).await.unwrap(), clock);
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

/// A clock the test moves by hand: the server's "now", from which the refetch interval counts.
#[derive(Clone)]
struct HandClock(Arc<Mutex<DateTime<Utc>>>);

impl HandClock {
    fn starting_now() -> Self {
        Self(Arc::new(Mutex::new(Utc::now())))
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }

    fn clock(&self) -> Clock {
        let at = self.0.clone();
        Arc::new(move || *at.lock().unwrap())
    }
}

#[tokio::test]
async fn a_flood_of_unknown_kids_refetches_the_keys_once_per_interval() {
    let provider = Provider::start().await;
    let hand = HandClock::starting_now();
    let (router, _dir) = desk_on(&provider, DemoUsers::Off, quick(), hand.clock()).await;
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

    // The interval counts on the server's clock: a moment short of it, still none; once it has
    // passed, an unknown kid may refetch again, once per interval.
    hand.advance(REFETCH_INTERVAL - Duration::from_millis(1));
    refused(&router, &unsigned("not-yet", &claims), "unknown kid").await;
    assert_eq!(provider.key_fetches(), 2, "1 ms short of the interval");
    hand.advance(Duration::from_millis(1));
    for round in 1..=3 {
        for i in 0..20 {
            refused(&router, &unsigned(&format!("bad-{round}-{i}"), &claims), "unknown kid").await;
        }
        assert_eq!(provider.key_fetches(), 2 + round, "round {round}");
        hand.advance(REFETCH_INTERVAL);
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
    assert_eq!(provider.discovery_fetches(), 3);

    let provider = Provider::start_failing(usize::MAX).await;
    let err = Oidc::discover(provider.settings(), how).await.err().unwrap();
    assert!(matches!(err, OidcError::Fetch { .. }), "{err}");
    assert!(err.to_string().contains("503") && err.to_string().contains("/.well-known/openid-configuration"), "{err}");
    assert_eq!(provider.discovery_fetches(), 3, "three tries");

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
    // Five tries with waits of 10, 20, 40 and 80 ms between them (1, 2, 4 and 8 s by default),
    // then a clear exit.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"))
        .args(["--listen", "127.0.0.1:0", "--database"])
        .arg(dir.path().join("desk.sqlite"))
        .args(["--oidc-issuer", &issuer, "--oidc-audience", AUDIENCE, "--oidc-discovery-retry-ms", "10"])
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

/// An ID token of the issuer for this audience (one app registration for
/// the SPA and the API would make its `aud` the API's) carries `nonce`, and is refused.
#[tokio::test]
async fn a_token_carrying_nonce_is_an_id_token_and_is_refused() {
    let provider = Provider::start().await;
    let (router, _dir) = desk(&provider).await;
    for nonce in [json!("n-0S6_WzA2Mj"), json!(""), json!(7)] {
        let id_token = provider.token_with(|c| c["nonce"] = nonce.clone());
        let (status, content_type, problem) = get_as(&router, &id_token, "/api/me").await;
        assert_eq!((status, content_type.as_str()), (StatusCode::UNAUTHORIZED, "application/problem+json"), "{nonce}: {problem}");
        assert_eq!(problem["code"], "idTokenRefused", "{nonce}: {problem}");
    }
    // The same claims without nonce sign in.
    assert_eq!(get_as(&router, &provider.token_with(|_| {}), "/api/me").await.0, StatusCode::OK);
    // A forged token with nonce is still just invalid: nothing is said about it before its signature verifies.
    let forged = sign(Algorithm::RS256, &rsa_b(), "rsa-a", &{
        let mut claims = provider.claims();
        claims["nonce"] = json!("n");
        claims
    });
    refused(&router, &forged, "a forged token with nonce").await;
}

#[test]
fn the_server_refuses_to_start_when_the_audience_is_the_spas_client_id() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"))
        .args(["--listen", "127.0.0.1:0", "--database"])
        .arg(dir.path().join("desk.sqlite"))
        // No request reaches this issuer: the configuration is refused first.
        .args(["--oidc-issuer", "https://login.example/tenant/v2.0", "--oidc-audience", CLIENT_ID, "--oidc-client-id", CLIENT_ID])
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--oidc-audience (OIDC_AUDIENCE) and --oidc-client-id (OIDC_CLIENT_ID) are both"), "{stderr}");
    assert!(stderr.contains("set --oidc-audience to the API's ID"), "{stderr}");
    assert!(!dir.path().join("desk.sqlite").exists(), "refused before the database is opened");
}
