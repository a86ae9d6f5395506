//! Reservation Desk API server: the HTTP contract over SQLite, and optionally the built SPA.

pub mod access_control;
pub mod audit;
pub mod auth;
pub mod config;
pub mod configuration;
pub mod customers;
pub mod db;
pub mod error;
pub mod exchanges;
pub mod json;
pub mod quotes;
pub mod refunds;
pub mod reservations;
pub mod sessions;
pub mod state;
pub mod static_files;
pub mod store;
pub mod support;

use std::path::Path;

use axum::http::HeaderValue;
use axum::routing::{get, post};
use axum::Router;
use sqlx::SqlitePool;

use crate::config::DEMO_HEADER;
use crate::error::ApiError;
use crate::state::AppState;

/// The API router with the system clock, without static files.
pub fn api(db: SqlitePool) -> Router {
    api_with_state(AppState::new(db))
}

/// The API router over `state` (tests pass a fixed clock), driven with `oneshot` in tests.
pub fn api_with_state(state: AppState) -> Router {
    app_with_state(state, None)
}

/// The routes of the API, before the layers that apply to every response.
fn api_routes(state: AppState) -> Router {
    Router::new()
        .route("/api/me", get(auth::me))
        .route("/api/audit", get(audit::list))
        .route("/api/customers", get(customers::list))
        .route("/api/customers/{customer_id}", get(customers::get))
        .route("/api/customers/{customer_id}/reservations", get(reservations::list))
        .route("/api/customers/{customer_id}/refundLimit", get(refunds::limit))
        .route("/api/customers/{customer_id}/scopes", get(configuration::scopes))
        .route(
            "/api/reservationOrders/{order_id}/reservations/{reservation_id}",
            get(reservations::get).patch(configuration::patch),
        )
        .route("/api/reservationOrders/{order_id}/calculateRefund", post(refunds::calculate))
        .route("/api/reservationOrders/{order_id}/return", post(refunds::submit))
        .route(
            "/api/reservationOrders/{order_id}/roleAssignments",
            get(access_control::list).post(access_control::create),
        )
        .route(
            "/api/reservationOrders/{order_id}/roleAssignments/{id}",
            axum::routing::delete(access_control::delete),
        )
        .route("/api/quotes/refund", post(quotes::refund))
        .route("/api/quotes/exchange", post(quotes::exchange))
        .route("/api/catalog", get(exchanges::catalog))
        .route("/api/calculateExchange", post(exchanges::calculate))
        .route("/api/exchange", post(exchanges::submit))
        .route("/api/supportRequests", get(support::list).post(support::create))
        .route("/api/supportRequests/{id}", get(support::get))
        .route("/api/{*rest}", axum::routing::any(unknown_api_path))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), auth::guard))
        // The contract itself is public: added after the guard's layer, it is not guarded.
        .route("/api/openapi.json", get(openapi))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// The whole application: the API plus, when given, the built SPA with an index.html fallback
/// so that a deep link or a reload of any client route lands on the app.
pub fn app(db: SqlitePool, static_dir: Option<&Path>) -> Router {
    app_with_state(AppState::new(db), static_dir)
}

/// [`app`] over a given state (e.g. with demo users turned off). While demo users are on at a
/// non-loopback address, every response says so in [`DEMO_HEADER`].
pub fn app_with_state(state: AppState, static_dir: Option<&Path>) -> Router {
    let marked = state.demo_users.marks_responses();
    let mut router = api_routes(state);
    if let Some(dir) = static_dir {
        router = router.fallback_service(static_files::router(dir));
    }
    if marked {
        router = router.layer(axum::middleware::map_response(|mut response: axum::response::Response| async move {
            response.headers_mut().insert(DEMO_HEADER, HeaderValue::from_static("true"));
            response
        }));
    }
    router
}

/// The contract as OpenAPI 3 (`crates/server/openapi.json`, checked against the router by
/// `tests/openapi_api.rs`).
pub const OPENAPI: &str = include_str!("../openapi.json");

async fn openapi() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

async fn unknown_api_path() -> ApiError {
    ApiError::NotFound("There is no such API endpoint.".to_owned())
}
