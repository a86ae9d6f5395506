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
pub mod store;
pub mod support;

use std::path::Path;

use axum::routing::{get, post};
use axum::Router;
use sqlx::SqlitePool;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;
use crate::state::AppState;

/// The API router with the system clock, without static files.
pub fn api(db: SqlitePool) -> Router {
    api_with_state(AppState::new(db))
}

/// The API router over `state` (tests pass a fixed clock), driven with `oneshot` in tests.
pub fn api_with_state(state: AppState) -> Router {
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

/// [`app`] over a given state (e.g. with demo users turned off).
pub fn app_with_state(state: AppState, static_dir: Option<&Path>) -> Router {
    let router = api_with_state(state);
    match static_dir {
        Some(dir) => {
            let spa = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
            router.fallback_service(spa)
        }
        None => router,
    }
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
