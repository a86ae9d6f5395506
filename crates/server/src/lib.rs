//! Reservation Desk API server: the HTTP adapter of the desk over SQLite or PostgreSQL, and
//! optionally the built SPA.

/// mimalloc for every program that links the server (the server, its tests and benchmarks): a
/// whole-book answer (the worklist, the alerts) builds and drops hundreds of thousands of small
/// strings, and glibc's allocator spent about a quarter of the worklist's time in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod auth;
pub mod azure;
pub mod config;
pub mod alerts;
pub mod backup;
pub mod book_cache;
pub mod db;
pub mod edge;
pub mod error;
pub mod list_cache;
pub mod oidc;
pub mod opening;
pub mod operations;
pub mod postgres;
pub mod rows;
pub mod serve;
pub mod settings;
pub mod server_store;
mod source_store;
mod gdap_store;
pub mod reads_store;
mod sql_store;
mod upstream_store;
mod pricing_store;
mod worklist_store;
pub mod source;
pub mod sqlite;
pub mod state;
pub mod static_files;

use std::path::Path;

use axum::http::HeaderValue;
use axum::routing::{any, get, post};
use axum::Router;
use sqlx::SqlitePool;

use crate::settings::DEMO_HEADER;
use crate::state::AppState;

/// The API router with the system clock, without static files.
pub fn api(db: SqlitePool) -> Router {
    api_with_state(AppState::new(db))
}

/// The API router over `state` (tests pass a fixed clock), driven with `oneshot` in tests.
pub fn api_with_state(state: AppState) -> Router {
    app_with_state(state, None)
}

/// The routes of the API: every operation of [`desk::Operation`] through one adapter, behind
/// the sign-in guard; the OpenAPI document is public.
fn api_routes(state: AppState) -> Router {
    Router::new()
        .route("/api/{*rest}", any(operations::serve_api))
        // Azure mode (`source/`): a customer's source status and a read of Azure now.
        .route("/api/source/customers/{customer_id}", get(source::routes::status))
        .route("/api/source/customers/{customer_id}/refresh", post(source::routes::refresh_one))
        .route("/api/source/refresh", post(source::routes::refresh_all))
        .route("/api/source/reads/{read_id}", get(source::routes::read_status))
        .route("/api/source/connection", get(source::routes::connection).put(source::routes::connect).delete(source::routes::disconnect))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), auth::guard))
        // The contract itself is public: added after the guard's layer, it is not guarded.
        .route("/api/openapi.json", get(openapi).fallback(operations::openapi_other_method))
        // How to sign in must be readable before signing in.
        .route("/api/config", get(sign_in_config).fallback(operations::openapi_other_method))
        // The Azure surface (Microsoft.Capacity 2022-11-01) signs in by itself: its errors are ARM's.
        .route("/providers/{*rest}", any(azure::serve_providers))
        .route("/subscriptions/{subscription_id}/providers/{*rest}", any(azure::serve_providers))
        // A client that accepts gzip gets the answer compressed (the partner's worklist over 500
        // customers is ~10 MB of JSON, well under a tenth of that gzip'd), at the fastest level:
        // what it adds stays a few milliseconds. Answers under 1 KiB, event streams and images
        // go as they are.
        .layer({
            use tower_http::compression::{predicate::SizeAbove, CompressionLayer, DefaultPredicate, Predicate};
            CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest)
                .compress_when(DefaultPredicate::new().and(SizeAbove::new(1024)))
        })
        .with_state(state)
}

/// The whole application: the API plus, when given, the built SPA with an index.html fallback
/// so that a deep link or a reload of any client route lands on the app.
pub fn app(db: SqlitePool, static_dir: Option<&Path>) -> Router {
    app_with_state(AppState::new(db), static_dir)
}

/// [`app`] over a given state (e.g. with demo users turned off). Every request passes the edge
/// (`edge.rs`: its body read within the limits, the security headers on its answer). While demo
/// users are on at a loopback address, a request from elsewhere (through a proxy, or naming
/// another host) is refused first (`edge::loopback_only`); at a non-loopback address, every
/// response says they are on in [`DEMO_HEADER`].
pub fn app_with_state(state: AppState, static_dir: Option<&Path>) -> Router {
    let marked = state.demo_users.marks_responses();
    let loopback_only = state.demo_users == crate::settings::DemoUsers::OnLoopback;
    let limits = state.limits;
    // The SPA fetches the issuer's discovery document and token endpoint itself.
    let issuer_origin = state.oidc.as_ref().and_then(|oidc| origin_of(&oidc.settings().issuer));
    let mut router = api_routes(state);
    if let Some(dir) = static_dir {
        router = router.fallback_service(static_files::router(dir));
    }
    let router = router
        .layer(axum::middleware::from_fn_with_state(limits, edge::read_body))
        // The edge reads the body within its own limit; axum's default 2 MB cap would otherwise
        // answer a plain-text 413 before it.
        .layer(axum::extract::DefaultBodyLimit::disable());
    // Before the body is read and anything answers: a server with the public demo tokens on
    // loopback answers its own machine only.
    let router = if loopback_only { router.layer(axum::middleware::from_fn(edge::loopback_only)) } else { router };
    let mut router = router
        .layer(axum::middleware::from_fn_with_state(edge::SecurityHeaders::with_connect(static_dir, issuer_origin.as_deref()), edge::security_headers));
    if marked {
        router = router.layer(axum::middleware::map_response(|mut response: axum::response::Response| async move {
            response.headers_mut().insert(DEMO_HEADER, HeaderValue::from_static("true"));
            response
        }));
    }
    router
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

/// The contract as OpenAPI 3.1, generated once from `desk::Operation` and the types
/// (`desk::openapi::document`).
pub static OPENAPI: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| serde_json::to_string_pretty(&desk::openapi::document()).unwrap_or_default());

async fn openapi() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI.as_str())
}

/// `GET /api/config`: how the SPA signs in here (OpenID Connect when an issuer is configured).
async fn sign_in_config(axum::extract::State(state): axum::extract::State<AppState>) -> axum::Json<contract::SignInConfig> {
    axum::Json(state.oidc.as_ref().map_or(contract::SignInConfig::Demo, |oidc| oidc.sign_in_config()))
}
