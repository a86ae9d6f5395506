//! The edge of the server. A body too large is a 413 problem and the server stays up;
//! a body that trickles in is a 408 problem; every response carries the security headers, whose
//! policy allows the served page's own inline loader by hash; no path escapes `--static-dir`;
//! CORS stays closed.


use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use reservation_desk_server::edge::{sha256_source, Limits};
use reservation_desk_server::state::AppState;
use reservation_desk_server::{app_with_state, db};
use serde_json::Value;
use tower::ServiceExt;

const LOADER: &str = "import init from '/reservation-desk-0123456789abcdef.js';\nawait init();";

/// The app with a dist/ whose index.html has one inline loader script (as trunk writes it), a
/// secret file beside dist/ (which no URL may reach), and the given limits.
async fn served(limits: Limits) -> (Router, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    let dist = root.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let index = format!(
        "<!doctype html><html><head><script type=\"module\">{LOADER}</script>\
         <link rel=\"modulepreload\" href=\"/reservation-desk-0123456789abcdef.js\"></head><body></body></html>"
    );
    std::fs::write(dist.join("index.html"), index).unwrap();
    std::fs::write(dist.join("robots.txt"), "inside").unwrap();
    std::fs::write(root.path().join("secret.txt"), "TOP SECRET").unwrap();
    let pool = db::open(&format!("sqlite://{}/test.sqlite", root.path().display())).await.unwrap();
    let mut state = AppState::new(pool);
    state.limits = limits;
    (app_with_state(state, Some(&dist)), root)
}

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, HeaderMap, Bytes) {
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes())
}

fn quote_request(body: Body) -> Request<Body> {
    Request::post("/api/quotes/refund")
        .header(header::AUTHORIZATION, "Bearer demo-admin-agent")
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .unwrap()
}

fn problem_of(headers: &HeaderMap, body: &[u8]) -> Value {
    assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
    serde_json::from_slice(body).unwrap()
}

#[tokio::test]
async fn a_body_of_twenty_megabytes_is_a_413_problem_and_the_server_answers_the_next_request() {
    let (router, _dir) = served(Limits::default()).await;
    let twenty_mb = vec![b' '; 20 * 1024 * 1024];
    let (status, headers, body) = send(&router, quote_request(Body::from(twenty_mb))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let problem = problem_of(&headers, &body);
    assert_eq!((problem["status"].as_u64(), problem["code"].as_str()), (Some(413), Some("bodyTooLarge")), "{problem}");

    // Without a Content-Length (chunked), the limit is found while reading.
    let chunks = (0..40).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b' '; 64 * 1024])));
    let (status, headers, body) = send(&router, quote_request(Body::from_stream(futures::stream::iter(chunks)))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(problem_of(&headers, &body)["code"], "bodyTooLarge");

    let (status, _, _) =
        send(&router, Request::get("/api/me").header(header::AUTHORIZATION, "Bearer demo-admin-agent").body(Body::empty()).unwrap())
            .await;
    assert_eq!(status, StatusCode::OK);
}

/// The Azure surface's clients read ARM's error body: the edge answers its paths in that shape.
#[tokio::test]
async fn a_body_too_large_for_the_azure_surface_is_an_arm_error() {
    let (router, _dir) = served(Limits::default()).await;
    let request = Request::post("/providers/Microsoft.Capacity/calculateExchange?api-version=2022-11-01")
        .header(header::AUTHORIZATION, "Bearer demo-admin-agent")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(vec![b' '; 2 * 1024 * 1024]))
        .unwrap();
    let (status, headers, body) = send(&router, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), "application/json");
    let error: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(error["error"]["code"], "bodyTooLarge", "{error}");
    assert!(error["error"]["message"].as_str().unwrap().contains("larger than the server takes"), "{error}");
}

#[tokio::test]
async fn a_body_that_trickles_in_is_a_408_problem() {
    let limits = Limits { read_timeout: Duration::from_millis(300), ..Limits::default() };
    let (router, _dir) = served(limits).await;
    // One byte, then nothing more: the client stalls.
    let first = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"{"))]);
    let stalled = futures::StreamExt::chain(first, futures::stream::pending());
    let started = std::time::Instant::now();
    let (status, headers, body) = send(&router, quote_request(Body::from_stream(stalled))).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(problem_of(&headers, &body)["code"], "requestTimeout");
    assert!(started.elapsed() < Duration::from_secs(5), "answered after {:?}", started.elapsed());
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_the_policy_allows_only_the_pages_own_loader() {
    let (router, _dir) = served(Limits::default()).await;
    let requests = [
        Request::get("/").body(Body::empty()).unwrap(),
        Request::get("/customers/deep/link").body(Body::empty()).unwrap(),
        Request::get("/robots.txt").body(Body::empty()).unwrap(),
        Request::get("/api/openapi.json").body(Body::empty()).unwrap(),
        Request::get("/api/me").body(Body::empty()).unwrap(), // a 401 problem
        quote_request(Body::from(vec![b' '; 2 * 1024 * 1024])), // a 413 problem
    ];
    for request in requests {
        let path = request.uri().to_string();
        let (status, headers, _) = send(&router, request).await;
        let get = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let csp = get("content-security-policy");
        assert!(csp.contains(&format!("script-src 'self' 'wasm-unsafe-eval' {}", sha256_source(LOADER))), "{path} {status}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{path}: {csp}");
        assert_eq!(get("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(get("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(get("x-frame-options"), "DENY", "{path}");
    }
}

#[tokio::test]
async fn no_path_escapes_the_static_folder() {
    let (router, _dir) = served(Limits::default()).await;
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/%2e%2e%5csecret.txt",
        "//../secret.txt",
        "/.%2e/secret.txt",
        "/robots.txt/../../secret.txt",
        "/%252e%252e/secret.txt",
        "//secret.txt",
        "/./../secret.txt",
    ] {
        let request = Request::get(path).body(Body::empty()).unwrap();
        let (status, _, body) = send(&router, request).await;
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("TOP SECRET"), "{path} reached a file outside the static folder ({status})");
    }
    // What is inside is served, also through a double slash.
    for path in ["/robots.txt", "//robots.txt"] {
        let (status, _, body) = send(&router, Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!((status, &body[..]), (StatusCode::OK, &b"inside"[..]), "{path}");
    }
}

#[tokio::test]
async fn cors_is_closed_no_other_origin_is_allowed_to_read_an_answer() {
    let (router, _dir) = served(Limits::default()).await;
    let preflight = Request::options("/api/customers")
        .header(header::ORIGIN, "https://elsewhere.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
        .body(Body::empty())
        .unwrap();
    let simple = Request::get("/api/customers")
        .header(header::ORIGIN, "https://elsewhere.example")
        .header(header::AUTHORIZATION, "Bearer demo-admin-agent")
        .body(Body::empty())
        .unwrap();
    for request in [preflight, simple] {
        let method = request.method().clone();
        let (status, headers, _) = send(&router, request).await;
        let allowed: Vec<_> = headers.keys().filter(|name| name.as_str().starts_with("access-control-")).collect();
        assert!(allowed.is_empty(), "{method} answered {status} with {allowed:?}");
        if method == "OPTIONS" {
            assert!(!status.is_success(), "a preflight must not succeed: {status}");
        }
    }
}
