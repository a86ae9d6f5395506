//! What the API tests share: a router over a fresh SQLite file, and one call helper.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub const CONTOSO: &str = "0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01";
pub const FABRIKAM: &str = "1c7f8e3b-5a2d-4e9f-8b62-2d3e4f5a6b02";

/// The API over a new database in a temporary folder (kept alive by the returned guard).
pub async fn fresh() -> (Router, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/test.sqlite", dir.path().display());
    let router = reservation_desk_server::api(reservation_desk_server::db::open(&url).await.unwrap());
    (router, dir, url)
}

/// Sends `method path` with an optional JSON body; the status and the parsed JSON answer.
pub async fn call(router: &Router, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    call_as(router, "demo-global-admin", method, path, body).await
}

/// [`call`] signed in with `token` (empty: no Authorization header).
pub async fn call_as(router: &Router, token: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if !token.is_empty() {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(json) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}
