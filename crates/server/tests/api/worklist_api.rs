//! The partner's worklist over HTTP: answered gzip'd to a client that accepts it (the same JSON
//! read back), refused to a role that may not mark a row with problem+json, and a bad mark named
//! by its field.

use crate::common;

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
    // A client that does not say it accepts gzip gets the JSON as it is.
    let request = Request::builder().uri("/api/worklist").header(header::AUTHORIZATION, "Bearer demo-global-admin").body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers().get(header::CONTENT_ENCODING), None);
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

/// A console asks for the first hundred open rows, then every row: a page is the whole list's
/// rows of that state in its order, `total` counts what it was cut from, and a query the desk
/// does not know is a 400 naming its parameter.
#[tokio::test]
async fn a_page_of_the_worklist_is_the_whole_lists_rows_in_order_and_a_wrong_query_names_its_parameter() {
    let (router, _dir, _) = fresh().await;
    let (_, whole) = call_as(&router, "demo-admin-agent", "GET", "/api/worklist", None).await;
    let rows = whole["items"].as_array().unwrap().clone();
    assert_eq!(whole["total"].as_u64(), Some(rows.len() as u64));
    assert!(rows.len() > 4, "the demo has rows: {}", rows.len());
    // One row marked done, so the open rows are not every row.
    let done = rows[1]["id"].as_str().unwrap().to_owned();
    let (status, _) = call_as(&router, "demo-admin-agent", "PATCH", &format!("/api/worklist/{done}"), Some(json!({ "state": "done" }))).await;
    assert_eq!(status, StatusCode::OK);
    let open: Vec<Value> = rows.iter().filter(|r| r["id"] != done.as_str()).cloned().collect();
    let (status, page) = call_as(&router, "demo-admin-agent", "GET", "/api/worklist?state=open&skip=1&top=2", None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"].as_array().unwrap(), &open[1..3].to_vec());
    assert_eq!(page["total"].as_u64(), Some(open.len() as u64));
    assert_eq!(page["campaign"], whole["campaign"], "the campaign counts every row");
    let (_, done_rows) = call_as(&router, "demo-admin-agent", "GET", "/api/worklist?state=done", None).await;
    let ids: Vec<&str> = done_rows["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [done.as_str()]);
    for (query, field) in [("top=0", "top"), ("top=10001", "top"), ("top=ten", "top"), ("skip=-1", "skip"), ("skip=%2B5", "skip"), ("state=Open", "state"), ("state=open&state=done", "state"), ("top=5&top=6", "top")] {
        let (status, problem) = call_as(&router, "demo-admin-agent", "GET", &format!("/api/worklist?{query}"), None).await;
        assert_eq!((status, problem["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{query}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains(field), "{query}: {problem}");
    }
}

/// `value` as `encodeURIComponent` sends it (what most HTTP libraries send for an ID's colons).
fn encode_uri_component(value: &str) -> String {
    value
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Every byte as `%xx`, letters and digits too: a path means the same however much of it is encoded.
fn encode_every_byte(value: &str) -> String {
    value.bytes().map(|b| format!("%{b:02x}")).collect()
}

#[tokio::test]
async fn path_parameters_sent_percent_encoded_are_read_decoded_on_the_api_and_the_azure_surface() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call_as(&router, "demo-admin-agent", "GET", "/api/worklist", None).await;
    let id = list["items"].as_array().unwrap().iter().filter_map(|i| i["id"].as_str()).find(|id| id.contains(':')).expect("a row whose ID has colons").to_owned();
    let path = format!("/api/worklist/{}", encode_uri_component(&id));
    assert!(path.contains("%3A"), "{path}");
    let (status, marked) = call_as(&router, "demo-admin-agent", "PATCH", &path, Some(json!({ "state": "done" }))).await;
    assert_eq!((status, marked["id"].as_str(), marked["state"].as_str()), (StatusCode::OK, Some(id.as_str()), Some("done")), "{path}: {marked}");

    let customer = common::FABRIKAM;
    let r = &common::active(&router, customer).await[0];
    let (order, reservation) = (r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let plain = common::get_ok(&router, &format!("/api/reservationOrders/{order}/reservations/{reservation}")).await;
    for encode in [encode_uri_component, encode_every_byte] {
        let (order, reservation, customer) = (encode(order), encode(reservation), encode(customer));
        let encoded = common::get_ok(&router, &format!("/api/reservationOrders/{order}/reservations/{reservation}")).await;
        assert_eq!(encoded, plain, "{order}/{reservation}");
        let listed = common::get_ok(&router, &format!("/api/customers/{customer}/reservations")).await;
        assert!(listed.as_array().unwrap().iter().any(|l| l["id"] == plain["id"]), "{customer}");
        let path = format!("/providers/Microsoft.Capacity/reservationOrders/{order}/reservations/{reservation}?api-version=2022-11-01");
        let (status, arm) = call_as(&router, "demo-admin-agent", "GET", &path, None).await;
        assert_eq!((status, arm["name"].as_str().map(|n| n.ends_with(plain["id"].as_str().unwrap()))), (StatusCode::OK, Some(true)), "{path}: {arm}");
    }

    // An ID holding a `/`, sent as `%2F`, is one parameter: no such row (404), not no such path.
    let (status, problem) = call_as(&router, "demo-admin-agent", "PATCH", "/api/worklist/a%2Fb", Some(json!({ "state": "done" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("'a/b'"), "{problem}");
    // A path that is not percent-encoded UTF-8 is a 400 saying so.
    let (status, problem) = call_as(&router, "demo-admin-agent", "PATCH", "/api/worklist/a%C3", Some(json!({ "state": "done" }))).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::BAD_REQUEST, Some("malformedRequest")), "{problem}");
    let (status, arm) = call_as(&router, "demo-admin-agent", "GET", "/providers/Microsoft.Capacity/reservationOrders/o%zz?api-version=2022-11-01", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{arm}");
}
