//! The partner's worklist over HTTP: answered gzip'd to a client that accepts it (the same JSON
//! read back), refused to a role that may not mark a row with problem+json, and a bad mark named
//! by its field.

mod common;

use std::io::Read;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use common::{call, call_as, fresh};

#[tokio::test]
async fn the_worklist_is_gzipd_for_a_client_that_accepts_it_and_reads_back_the_same() {
    let (router, _dir, _) = fresh().await;
    let (status, plain) = call(&router, "GET", "/api/worklist", None).await;
    assert_eq!(status, StatusCode::OK);
    let request = Request::builder()
        .uri("/api/worklist")
        .header(header::AUTHORIZATION, "Bearer demo-global-admin")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()), Some("gzip"));
    let zipped = response.into_body().collect().await.unwrap().to_bytes();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&zipped[..]).read_to_string(&mut text).unwrap();
    let read_back: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(read_back, plain);
    assert!(zipped.len() * 3 < text.len(), "{} bytes gzip'd of {}", zipped.len(), text.len());
}

#[tokio::test]
async fn a_sales_agent_reads_the_worklist_and_may_not_mark_a_row_and_a_bad_mark_names_its_field() {
    let (router, _dir, _) = fresh().await;
    let (status, list) = call_as(&router, "demo-sales-agent", "GET", "/api/worklist", None).await;
    assert_eq!(status, StatusCode::OK);
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/worklist/{id}");
    let (status, problem) = call_as(&router, "demo-sales-agent", "PATCH", &path, Some(json!({ "state": "done" }))).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("roleForbids")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("Admin agent or Global admin"), "{problem}");
    let (status, problem) = call_as(&router, "demo-admin-agent", "PATCH", &path, Some(json!({ "state": "snoozed", "snoozedUntil": "2000-01-01" }))).await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::BAD_REQUEST, Some("snoozedUntil")), "{problem}");
    let (status, problem) = call_as(&router, "demo-admin-agent", "PATCH", &path, Some(json!({ "state": "done", "colour": "red" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown field is refused: {problem}");
    let (status, marked) = call_as(&router, "demo-admin-agent", "PATCH", &path, Some(json!({ "state": "done", "owner": "Adam" }))).await;
    assert_eq!((status, marked["state"].as_str(), marked["owner"].as_str()), (StatusCode::OK, Some("done"), Some("Adam")), "{marked}");
}
