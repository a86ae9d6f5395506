//! The edge of the server: what every request passes before the desk or the files see it.
//!
//! - A body is read here, whole, at most [`Limits::max_body`] bytes and within
//!   [`Limits::read_timeout`]: a larger body is a 413 problem (told by `Content-Length` before a
//!   byte is read, else when the limit is crossed), a body that trickles in is a 408 problem. The
//!   handler gets the bytes already read; the time the desk takes is not limited (a money move
//!   that has started is never cut off between its commit and its answer). The one upload, a
//!   statement's reconciliation file, has [`Limits::max_upload`] and the read timeout per MiB.
//! - The headers' own timeout is the accept loop's (`serve.rs`, hyper's `header_read_timeout`).
//! - Every response carries the security headers: a Content-Security-Policy that lets the page
//!   run its wasm (`'wasm-unsafe-eval'`) and trunk's one inline loader script (by its SHA-256,
//!   read from the served `index.html`), and nothing inline or remote besides;
//!   `X-Content-Type-Options: nosniff`; `Referrer-Policy: no-referrer`; `frame-ancestors 'none'`
//!   (and `X-Frame-Options: DENY` for older browsers).
//! - While demo users are on at a loopback address (`DemoUsers::OnLoopback`), the server is
//!   for this machine alone, so a request that shows otherwise is refused before anything else
//!   reads it ([`loopback_only`]): one that came through a proxy (`Forwarded`,
//!   `X-Forwarded-For`, `Via`, `X-Real-IP`) is a 403 `demoUsersBehindProxy`; one whose `Host`,
//!   HTTP/2 `:authority` or `X-Forwarded-Host` is not `localhost` or a loopback address (with any
//!   port) is a 403 `demoUsersForeignHost` (a reverse proxy passing the public name on, or a web
//!   page that rebound its own name to 127.0.0.1). Subdomains of `localhost` are not taken: not
//!   every resolver keeps them on loopback. A request naming no host at all (HTTP/1.0, or a test
//!   calling the router directly) passes: neither a browser nor a proxy sends one. Everything is
//!   refused, static files and `/api/openapi.json` too: a demo server has nothing to serve
//!   through a proxy. trunk's development proxy (`Trunk.toml`) sends `Host: 127.0.0.1` and the
//!   page's own `X-Forwarded-Host: 127.0.0.1:8080`, and passes.
//! - CORS stays closed: no `Access-Control-Allow-*` header is ever sent, so a page of another
//!   origin cannot read an answer (the SPA is served from the same origin as the API).

use std::path::Path;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use contract::{Problem, ProblemCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

pub use crate::settings::Limits;

/// The refusal as the surface the request addressed writes its errors: ARM's error body below
/// `/providers/Microsoft.Capacity`, a problem document everywhere else.
fn refused(path: &str, code: ProblemCode, detail: String) -> Response {
    let problem = Problem::new(code, detail, None);
    if crate::error::below_provider(path).is_some() {
        return crate::error::arm_error_response(azure_api::ArmError::from(&problem));
    }
    ApiError(desk::DeskError::Refused(problem)).into_response()
}

fn too_large(path: &str, max: usize) -> Response {
    refused(path, ProblemCode::BodyTooLarge, format!("The request body is larger than the server takes ({max} bytes)."))
}

/// Reads the request's body within the limits, then passes the request on with it.
pub async fn read_body(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    // A statement's reconciliation file is the one upload: its own, larger limit, and time to
    // arrive in proportion.
    let upload = parts.method == axum::http::Method::POST && path.starts_with("/api/") && path.ends_with("/reconciliation");
    let (max, timeout) = if upload {
        let mib = u32::try_from(declared.unwrap_or(limits.max_upload as u64) >> 20).unwrap_or(u32::MAX).max(1);
        (limits.max_upload, limits.read_timeout.saturating_mul(mib))
    } else {
        (limits.max_body, limits.read_timeout)
    };
    if declared.is_some_and(|length| length > max as u64) {
        return too_large(&path, max);
    }
    let read = tokio::time::timeout(timeout, Limited::new(body, max).collect()).await;
    let bytes: Bytes = match read {
        Err(_elapsed) => {
            let seconds = timeout.as_secs_f64();
            return refused(&path, ProblemCode::RequestTimeout, format!("The request body did not arrive within {seconds} s."));
        }
        Ok(Err(err)) if err.downcast_ref::<LengthLimitError>().is_some() => return too_large(&path, max),
        Ok(Err(err)) => {
            return refused(&path, ProblemCode::MalformedRequest, format!("The request body could not be read: {err}"))
        }
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// The headers that say a request came through a proxy.
const PROXY_HEADERS: [&str; 4] = ["forwarded", "x-forwarded-for", "via", "x-real-ip"];

/// Why a request did not come from this machine, as seen from its headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotLocal {
    /// It carries this proxy header.
    Proxied(&'static str),
    /// It names this host.
    ForeignHost(String),
}

/// Whether `authority` (a `Host` value, with or without a port) names this machine by a loopback
/// name: `localhost`, 127.0.0.0/8 or `[::1]`.
pub fn is_loopback_authority(authority: &str) -> bool {
    if authority.contains('@') {
        return false;
    }
    let Ok(parsed) = authority.trim().parse::<axum::http::uri::Authority>() else { return false };
    let host = parsed.host();
    host.eq_ignore_ascii_case("localhost")
        || host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// `None` when nothing in the request says it came from elsewhere than this machine.
pub fn not_local(headers: &axum::http::HeaderMap, uri_authority: Option<&str>) -> Option<NotLocal> {
    if let Some(name) = PROXY_HEADERS.into_iter().find(|name| headers.contains_key(*name)) {
        return Some(NotLocal::Proxied(name));
    }
    let named = headers
        .get_all(header::HOST)
        .iter()
        .chain(headers.get_all("x-forwarded-host").iter())
        .flat_map(|value| value.to_str().unwrap_or("\u{fffd}").split(','))
        .map(str::trim)
        .chain(uri_authority);
    for host in named {
        if !is_loopback_authority(host) {
            return Some(NotLocal::ForeignHost(host.chars().take(100).collect()));
        }
    }
    None
}

/// Refuses a request that did not come from this machine (while demo users are on at loopback).
pub async fn loopback_only(request: Request, next: Next) -> Response {
    let Some(why) = not_local(request.headers(), request.uri().authority().map(|a| a.as_str())) else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    let turn_off = "To serve it through a proxy or under a public name, turn the public demo tokens off (--demo-users false, \
                    or configure an identity provider with --oidc-issuer).";
    let (code, detail) = match why {
        NotLocal::Proxied(name) => (
            ProblemCode::DemoUsersBehindProxy,
            format!("Demo users are on, so this server answers only requests made on its own machine; this one came through a proxy (it carries {name}). {turn_off}"),
        ),
        NotLocal::ForeignHost(host) => (
            ProblemCode::DemoUsersForeignHost,
            format!("Demo users are on, so this server answers only requests addressed to localhost or a loopback address; this one names the host {host:?}. {turn_off}"),
        ),
    };
    tracing::warn!("refused {} {path}: {detail}", request.method());
    refused(path, code, detail)
}

/// The security headers of every response, made once at start.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    csp: HeaderValue,
}

impl SecurityHeaders {
    /// The headers for an app served from `static_dir` (its `index.html`'s inline scripts are
    /// allowed by hash), or for the API alone.
    pub fn new(static_dir: Option<&Path>) -> Self {
        Self::with_connect(static_dir, None)
    }

    /// [`SecurityHeaders::new`], letting the page also `fetch` from `connect_origin` (the
    /// OpenID Connect issuer's origin: its discovery document and token endpoint).
    pub fn with_connect(static_dir: Option<&Path>, connect_origin: Option<&str>) -> Self {
        let index = static_dir.and_then(|dir| std::fs::read_to_string(dir.join("index.html")).ok());
        let hashes: Vec<String> = index.as_deref().map(inline_scripts).unwrap_or_default().iter().map(|s| sha256_source(s)).collect();
        let mut csp = content_security_policy(&hashes);
        if let Some(origin) = connect_origin.filter(|o| !o.is_empty() && !o.contains([';', ',', ' ', '\'', '"'])) {
            csp = csp.replace("connect-src 'self';", &format!("connect-src 'self' {origin};"));
        }
        Self { csp: HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'")) }
    }

    /// The policy sent.
    pub fn csp(&self) -> &HeaderValue {
        &self.csp
    }
}

/// The Content-Security-Policy: only this origin, the wasm compiled by the page, the inline
/// scripts whose hashes are given, no plugins, no framing.
pub fn content_security_policy(script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self'; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The text of each inline `<script>` of an HTML page (one with no `src`), as the browser hashes it.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else { break };
        if !tag.contains(" src=") && !body[..close].is_empty() {
            scripts.push(&body[..close]);
        }
        rest = &body[close..];
    }
    scripts
}

/// A CSP hash source (`'sha256-…'`) of a script's text.
pub fn sha256_source(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// Adds the security headers to a response.
pub async fn security_headers(State(headers): State<SecurityHeaders>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let out = response.headers_mut();
    out.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    out.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    out.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    out.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    out.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_with_any_port_are_local_and_nothing_else_is() {
        for local in ["localhost", "LOCALHOST:3000", "127.0.0.1", "127.0.0.1:8080", "127.1.2.3:1", "[::1]", "[::1]:3000", "[::ffff:127.0.0.1]:80"] {
            assert!(is_loopback_authority(local), "{local}");
        }
        for foreign in [
            "example.com", "desk.example.com:443", "10.0.0.1", "[2001:db8::1]:80", "0.0.0.0:3000", "localhost.evil.example",
            "app.localhost", "127.0.0.1.nip.io", "user@localhost", "", "local host", "[::1",
        ] {
            assert!(!is_loopback_authority(foreign), "{foreign}");
        }
    }

    #[test]
    fn a_proxy_header_or_a_foreign_host_is_not_local() {
        use axum::http::HeaderMap;
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.append(*name, HeaderValue::from_str(value).unwrap());
            }
            map
        };
        assert_eq!(not_local(&headers(&[]), None), None);
        assert_eq!(not_local(&headers(&[("host", "127.0.0.1:3000")]), None), None);
        // trunk's development proxy.
        assert_eq!(not_local(&headers(&[("host", "127.0.0.1"), ("x-forwarded-host", "127.0.0.1:8080"), ("x-forwarded-proto", "http")]), None), None);
        for name in PROXY_HEADERS {
            assert_eq!(not_local(&headers(&[("host", "localhost"), (name, "for=203.0.113.9")]), None), Some(NotLocal::Proxied(name)), "{name}");
        }
        assert_eq!(not_local(&headers(&[("host", "desk.example")]), None), Some(NotLocal::ForeignHost("desk.example".into())));
        assert_eq!(not_local(&headers(&[("host", "localhost"), ("x-forwarded-host", "desk.example")]), None), Some(NotLocal::ForeignHost("desk.example".into())));
        // HTTP/2's :authority (or an absolute request target) is checked like Host.
        assert_eq!(not_local(&headers(&[]), Some("rebind.example:3000")), Some(NotLocal::ForeignHost("rebind.example:3000".into())));
        assert_eq!(not_local(&headers(&[]), Some("[::1]:3000")), None);
    }

    #[test]
    fn inline_scripts_are_found_and_scripts_with_src_are_not() {
        let html = r#"<head><script type="module">import init from '/a.js';
await init();</script><script src="/b.js"></script><script></script></head><script>x()</script>"#;
        assert_eq!(inline_scripts(html), vec!["import init from '/a.js';\nawait init();", "x()"]);
        assert!(inline_scripts("<p>no script</p><script>unclosed").is_empty());
    }

    #[test]
    fn a_hash_source_is_the_base64_sha256_of_the_text() {
        // echo -n "alert('Hello, world.');" | openssl dgst -sha256 -binary | base64 (the CSP spec's example)
        assert_eq!(sha256_source("alert('Hello, world.');"), "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
    }

    #[test]
    fn the_policy_allows_wasm_and_the_hashes_and_forbids_framing_and_inline_code() {
        let csp = content_security_policy(&["'sha256-abc='".to_owned()]);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'") && !csp.contains("http"), "{csp}");
    }

    #[test]
    fn the_issuer_origin_is_the_only_other_place_the_page_may_fetch_from() {
        let headers = SecurityHeaders::with_connect(None, Some("https://login.example"));
        let csp = headers.csp().to_str().unwrap();
        assert!(csp.contains("connect-src 'self' https://login.example;"), "{csp}");
        assert!(csp.contains("default-src 'self';") && csp.contains("form-action 'self'"), "{csp}");
        let refused = SecurityHeaders::with_connect(None, Some("https://x; script-src *"));
        assert!(refused.csp().to_str().unwrap().contains("connect-src 'self';"));
        assert!(SecurityHeaders::new(None).csp().to_str().unwrap().contains("connect-src 'self';"));
    }
}
