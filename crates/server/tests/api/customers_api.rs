//! The customers endpoints over a real SQLite file in a temporary directory, driven through the
//! router with `oneshot` (no port).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use reservation_desk_server::{api, db};
use serde_json::Value;
use tower::ServiceExt;

async fn get(path: &str) -> (StatusCode, String, Value) {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::open(&format!("sqlite://{}/test.sqlite", dir.path().display())).await.unwrap();
    let response = api(pool)
        .oneshot(Request::get(path).header(header::AUTHORIZATION, "Bearer demo-sales-agent").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, content_type, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn the_seeded_customers_are_listed_by_name() {
    let (status, content_type, body) = get("/api/customers").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let names: Vec<&str> = body.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), contract::seed::customers().len());
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names.contains(&"Contoso Ltd"));
}

#[tokio::test]
async fn search_narrows_the_list_by_name_or_domain() {
    let (_, _, body) = get("/api/customers?search=fabrikam").await;
    let list = body.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["domain"], "fabrikam.onmicrosoft.com");
}

#[tokio::test]
async fn an_unknown_customer_is_a_404_problem() {
    let (status, content_type, body) = get("/api/customers/no-such-customer").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(body["status"], 404);
    assert!(body["detail"].as_str().unwrap().contains("no-such-customer"), "{body}");
}

#[tokio::test]
async fn the_reservations_of_an_unknown_customer_are_a_404_not_an_empty_list() {
    let (status, content_type, body) = get("/api/customers/no-such-customer/reservations").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(content_type, "application/problem+json");
    assert!(body["detail"].as_str().unwrap().contains("no-such-customer"), "{body}");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_404_problem_not_the_spa() {
    let (status, content_type, _) = get("/api/nothing/here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(content_type, "application/problem+json");
}
