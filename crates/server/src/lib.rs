//! Reservation Desk API server: the HTTP contract over SQLite, and optionally the built SPA.

pub mod config;
pub mod customers;
pub mod db;
pub mod error;

use std::path::Path;

use axum::routing::get;
use axum::Router;
use sqlx::SqlitePool;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;

/// The API router, without static files: what tests drive with `oneshot`.
pub fn api(db: SqlitePool) -> Router {
    Router::new()
        .route("/api/customers", get(customers::list))
        .route("/api/customers/{customer_id}", get(customers::get))
        .route("/api/{*rest}", axum::routing::any(unknown_api_path))
        .with_state(db)
}

/// The whole application: the API plus, when given, the built SPA with an index.html fallback
/// so that a deep link or a reload of any client route lands on the app.
pub fn app(db: SqlitePool, static_dir: Option<&Path>) -> Router {
    let router = api(db);
    match static_dir {
        Some(dir) => {
            let spa = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
            router.fallback_service(spa)
        }
        None => router,
    }
}

async fn unknown_api_path() -> ApiError {
    ApiError::NotFound("There is no such API endpoint.".to_owned())
}
