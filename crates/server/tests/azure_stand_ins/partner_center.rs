//! Partner Center's customers, paged with `links.next` and an `MS-ContinuationToken` header.


use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// Partner Center's `GET /v1/customers`, `PAGE` at a time.
pub(super) async fn customers_page(State(s): State<Arc<Inner>>, headers: HeaderMap) -> Response {
    let claims = match verified(&s, &headers, PARTNER_CENTER_AUDIENCE) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if claims["tid"] != PARTNER_TENANT {
        s.record.lock().unwrap().refused.push(format!("Partner Center: token of tenant {}", claims["tid"]));
        return (StatusCode::FORBIDDEN, Json(json!({"code": 900, "description": "The token is not of the partner's tenant."}))).into_response();
    }
    let start: usize = headers.get("MS-ContinuationToken").and_then(|v| v.to_str().ok()).and_then(|t| t.strip_prefix("page-")).and_then(|n| n.parse().ok()).unwrap_or(0);
    s.record.lock().unwrap().partner_center_pages += 1;
    let items: Vec<Value> = s.customers.iter().skip(start).take(PAGE).cloned().collect();
    let mut page = json!({"totalCount": items.len(), "items": items, "attributes": {"objectType": "Collection"}});
    if start + PAGE < s.customers.len() {
        page["links"] = json!({"next": {"uri": format!("/customers?size={PAGE}&seekOperation=next"), "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": format!("page-{}", start + PAGE)}]}});
    }
    // Partner Center starts its JSON with a byte order mark.
    let body = format!("\u{feff}{page}");
    ([("content-type", "application/json; charset=utf-8")], body).into_response()
}
