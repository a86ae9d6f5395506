//! The partner's worklist over HTTP: refused to a role that may not mark a row with
//! problem+json, and a bad mark named by its field.

use crate::common;

use axum::http::StatusCode;
use serde_json::json;

use common::{call_as, fresh};

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
