//! The public demo tokens sign in by default only while the server listens on
//! loopback; on any other address only when the operator says so, and then every response
//! says it is a demo. While they are on at loopback, a request that came
//! through a proxy or names a host other than loopback's is refused before anything reads it,
//! and with an identity provider configured they are off unless said true.

use crate::common;
use crate::oidc_provider;
use crate::server_process;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use reservation_desk_server::config::{DemoUsers, DEMO_HEADER};
use reservation_desk_server::{app_with_state, db, state::AppState};
use tower::ServiceExt;

/// The whole app (API and a static folder) as `main` builds it for `--listen ip:…` and `flag`.
async fn app_at(ip: &str, flag: Option<bool>) -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html><title>app</title>").unwrap();
    let pool = db::open(&format!("sqlite://{}/test.sqlite", dir.path().display())).await.unwrap();
    let mut state = AppState::new(pool);
    state.demo_users = DemoUsers::decide(ip.parse::<IpAddr>().unwrap(), flag, false);
    (app_with_state(state, Some(dir.path())), dir)
}

/// `GET path` with the Global admin demo token: status and the demo header, if any.
async fn get_as_global_admin(router: &Router, path: &str) -> (StatusCode, Option<String>) {
    let request = Request::get(path).header(header::AUTHORIZATION, "Bearer demo-global-admin").body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let demo = response.headers().get(DEMO_HEADER).map(|v| v.to_str().unwrap().to_owned());
    (response.status(), demo)
}

#[tokio::test]
async fn by_default_on_loopback_a_demo_token_signs_in_without_the_demo_header() {
    for ip in ["127.0.0.1", "::1"] {
        let (router, _dir) = app_at(ip, None).await;
        assert_eq!(get_as_global_admin(&router, "/api/me").await, (StatusCode::OK, None), "{ip}");
    }
}

#[tokio::test]
async fn by_default_on_every_other_address_a_demo_token_is_refused() {
    for ip in ["0.0.0.0", "::", "192.0.2.10"] {
        let (router, _dir) = app_at(ip, None).await;
        let (status, problem) = common::call(&router, "GET", "/api/customers", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{ip}: {problem}");
        assert_eq!(problem["code"], "tokenInvalid", "{ip}");
        assert_eq!(get_as_global_admin(&router, "/api/me").await, (StatusCode::UNAUTHORIZED, None), "{ip}");
    }
}

#[tokio::test]
async fn said_explicitly_on_0_0_0_0_a_demo_token_signs_in_and_every_response_says_demo() {
    let (router, _dir) = app_at("0.0.0.0", Some(true)).await;
    let demo = Some("true".to_owned());
    assert_eq!(get_as_global_admin(&router, "/api/me").await, (StatusCode::OK, demo.clone()));
    // Every response: a refusal, the public contract, an unknown API path, a static file, a deep link.
    let anonymous = router.clone().oneshot(Request::get("/api/customers").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.headers()[DEMO_HEADER], "true");
    for path in ["/api/openapi.json", "/api/nothing-here", "/index.html", "/customers/some-id"] {
        let (_, header) = get_as_global_admin(&router, path).await;
        assert_eq!(header, demo, "{path}");
    }
}

#[tokio::test]
async fn said_false_on_loopback_a_demo_token_is_refused() {
    let (router, _dir) = app_at("127.0.0.1", Some(false)).await;
    assert_eq!(get_as_global_admin(&router, "/api/me").await, (StatusCode::UNAUTHORIZED, None));
}

/// The real binary, started with `args` (DEMO_USERS and LISTEN removed from its environment).
struct Server {
    child: Child,
    port: u16,
    log: mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let database = format!("sqlite://{}/demo.sqlite", dir.path().display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"))
            .args(["--listen", "0.0.0.0:0", "--database", &database])
            .args(args)
            .env_remove("DEMO_USERS")
            .env_remove("LISTEN")
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (lines, log) = mpsc::channel();
        for stream in [Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>, Box::new(child.stderr.take().unwrap())] {
            let lines = lines.clone();
            std::thread::spawn(move || BufReader::new(stream).lines().map_while(Result::ok).for_each(|line| drop(lines.send(line))));
        }
        let mut server = Server { child, port: 0, log, _dir: dir };
        let listening = server.wait_for("listening on http://0.0.0.0:");
        let port = listening.split("http://0.0.0.0:").nth(1).unwrap();
        server.port = port.chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap();
        server
    }

    /// The first log line containing `text` (fails after 60 s, printing what was logged).
    fn wait_for(&mut self, text: &str) -> String {
        let mut seen = Vec::new();
        loop {
            match self.log.recv_timeout(Duration::from_secs(60)) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => seen.push(line),
                Err(_) => panic!("the server never logged {text:?}; exit: {:?}; log:\n{}", self.child.try_wait(), seen.join("\n")),
            }
        }
    }

    /// `GET /api/me` with the Global admin demo token over loopback: the raw response head.
    fn get_me(&self) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(stream, "GET /api/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer demo-global-admin\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response.split("\r\n\r\n").next().unwrap().to_lowercase()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_real_server_on_0_0_0_0_refuses_demo_tokens_unless_told_and_says_so() {
    let mut default = Server::start(&[]);
    default.wait_for("nobody can sign in");
    let head = default.get_me();
    assert!(head.starts_with("http/1.1 401"), "{head}");
    assert!(!head.contains(DEMO_HEADER), "{head}");
    drop(default);

    let mut told = Server::start(&["--demo-users", "true"]);
    told.wait_for("DEMO USERS ARE ON");
    let head = told.get_me();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains(&format!("{DEMO_HEADER}: true")), "{head}");
}

/// `GET path` with the Global admin demo token and `headers`: the status and the JSON answer.
async fn get_with(router: &Router, uri: &str, headers: &[(&str, &str)]) -> (StatusCode, serde_json::Value) {
    let mut request = Request::get(uri).header(header::AUTHORIZATION, "Bearer demo-global-admin");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

#[tokio::test]
async fn on_loopback_a_demo_token_through_a_proxy_or_under_a_foreign_host_is_refused_and_says_why() {
    let (router, _dir) = app_at("127.0.0.1", None).await;
    // What this machine sends (curl, the browser at 127.0.0.1 or localhost, trunk's dev proxy) passes.
    for headers in [
        &[][..],
        &[("host", "127.0.0.1:3000")],
        &[("host", "localhost:8080")],
        &[("host", "[::1]:3000")],
        &[("host", "127.0.0.1"), ("x-forwarded-host", "127.0.0.1:8080"), ("x-forwarded-proto", "http")],
    ] {
        let (status, me) = get_with(&router, "/api/me", headers).await;
        assert_eq!((status, me["role"].as_str()), (StatusCode::OK, Some("GlobalAdmin")), "{headers:?}: {me}");
    }
    for (name, value) in [
        ("x-forwarded-for", "203.0.113.9"),
        ("forwarded", "for=203.0.113.9;proto=https"),
        ("via", "1.1 caddy"),
        ("x-real-ip", "203.0.113.9"),
    ] {
        let (status, problem) = get_with(&router, "/api/me", &[("host", "127.0.0.1:3000"), (name, value)]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {problem}");
        assert_eq!(problem["code"], "demoUsersBehindProxy", "{name}");
        assert!(problem["detail"].as_str().unwrap().contains(&format!("it carries {name}")), "{problem}");
    }
    // A public name (a reverse proxy passing Host on), a rebound name, the same by X-Forwarded-Host
    // or by the request target's authority (HTTP/2's :authority).
    for (uri, headers) in [
        ("/api/me", &[("host", "desk.example.com")][..]),
        ("/api/me", &[("host", "attacker.example:3000")]),
        ("/api/me", &[("host", "localhost"), ("x-forwarded-host", "desk.example.com")]),
        ("http://rebind.example:3000/api/me", &[]),
    ] {
        let (status, problem) = get_with(&router, uri, headers).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri} {headers:?}: {problem}");
        assert_eq!(problem["code"], "demoUsersForeignHost", "{uri} {headers:?}");
        assert!(problem["detail"].as_str().unwrap().contains("--demo-users false"), "{problem}");
    }
    // Everything is refused, not only /api: the public contract, a static file, the Azure surface
    // (in ARM's error shape).
    for path in ["/api/openapi.json", "/index.html", "/"] {
        let (status, problem) = get_with(&router, path, &[("x-forwarded-for", "203.0.113.9")]).await;
        assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("demoUsersBehindProxy")), "{path}");
    }
    let (status, error) = get_with(&router, "/providers/Microsoft.Capacity/reservationOrders?api-version=2022-11-01", &[("host", "desk.example.com")]).await;
    assert_eq!((status, error["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("demoUsersForeignHost")), "{error}");
}

#[tokio::test]
async fn with_demo_users_off_or_said_true_beyond_loopback_proxies_and_public_names_are_served() {
    let (off, _dir) = app_at("127.0.0.1", Some(false)).await;
    let (status, problem) = get_with(&off, "/api/me", &[("host", "desk.example.com"), ("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("tokenInvalid")), "{problem}");
    let (exposed, _dir) = app_at("0.0.0.0", Some(true)).await;
    let (status, me) = get_with(&exposed, "/api/me", &[("host", "demo.example.com")]).await;
    assert_eq!(status, StatusCode::OK, "the operator said the demo is public: {me}");
}

/// The real binary with an OpenID Connect issuer (the test provider) on 127.0.0.1: demo users
/// are off unless `--demo-users true`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_an_issuer_the_real_server_refuses_demo_tokens_unless_said_true() {
    let provider = oidc_provider::Provider::start().await;
    let dir = tempfile::tempdir().unwrap();
    let issuer = ["--oidc-issuer", provider.issuer.as_str(), "--oidc-audience", oidc_provider::AUDIENCE];
    let database = format!("sqlite://{}/issuer.sqlite", dir.path().display());
    let server = tokio::task::block_in_place(|| server_process::Server::start(&database, &issuer));
    let (status, problem) = server_process::request(server.port, "GET", "/api/me", None).await;
    assert_eq!((status, problem["code"].as_str()), (401, Some("tokenInvalid")), "{problem}");
    // The line follows "listening" in the log, which may still be on its way when the answer came.
    tokio::task::block_in_place(|| server.wait_for_log("demo users are off", std::time::Duration::from_secs(10)));
    drop(server);

    let told = tokio::task::block_in_place(|| server_process::Server::start(&database, &[&issuer[..], &["--demo-users", "true"]].concat()));
    let (status, me) = server_process::request(told.port, "GET", "/api/me", None).await;
    assert_eq!((status, me["role"].as_str()), (200, Some("GlobalAdmin")), "{me}");
}
