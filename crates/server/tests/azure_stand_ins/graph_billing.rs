//! Microsoft Graph's billed invoice reconciliation export, as Microsoft documents it
//! ("billedReconciliation: export", "Get operation", "Get manifest"): `POST
//! /v1.0/reports/partners/billing/reconciliation/billed/export` answers `202` with `Location`;
//! the operation answers `200` in every state (`running` with `Retry-After` for the first polls a
//! test asks for, then `succeeded` with its manifest's link, or `failed` with Graph's error, in
//! the shapes of the published examples); the manifest names a root directory, a SAS token and
//! the files, served here without a Graph token (as Azure Blob Storage serves them). A test sets
//! each invoice's files (gzip-compressed JSON lines, in parts).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// What the export answers.
#[derive(Clone, Debug, Default)]
pub struct Billing {
    /// Each invoice's files, by invoice ID: each the bytes of one blob.
    pub invoices: HashMap<String, Vec<Vec<u8>>>,
    /// How many polls of an operation answer `running` before it is done.
    pub running_polls: u32,
    /// Invoices whose export fails (Graph's published failed operation).
    pub failing: Vec<String>,
    /// Exports started, polls answered, files served.
    pub exports: u32,
    pub polls: u32,
    pub files_served: u32,
}

fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"error": {"code": code, "message": message, "innerError": {"request-id": "graph-request", "date": "2026-11-26T08:00:00"}}}))).into_response()
}

fn permitted(s: &Inner, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let claims = verified(s, headers, GRAPH_AUDIENCE)?;
    if claims["tid"] != PARTNER_TENANT || !claims["scp"].as_str().unwrap_or_default().split(' ').any(|p| p == "PartnerBilling.Read.All") {
        return Err(Box::new(graph_error(StatusCode::FORBIDDEN, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")));
    }
    Ok(())
}

/// `POST /v1.0/reports/partners/billing/reconciliation/billed/export`.
pub(super) async fn export(State(s): State<Arc<Inner>>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Err(r) = permitted(&s, &headers) {
        return *r;
    }
    let Some(invoice) = body["invoiceId"].as_str().filter(|i| !i.is_empty()) else {
        return graph_error(StatusCode::BAD_REQUEST, "BadRequest", "invoiceId is required.");
    };
    if !matches!(body.get("attributeSet").and_then(Value::as_str), None | Some("full" | "basic")) {
        return graph_error(StatusCode::BAD_REQUEST, "BadRequest", "attributeSet is not valid.");
    }
    let mut billing = s.billing.lock().unwrap();
    billing.exports += 1;
    let location = format!("{}/v1.0/reports/partners/billing/operations/op-{invoice}-{}", s.base, billing.exports);
    (StatusCode::ACCEPTED, [("location", location)]).into_response()
}

/// `GET /v1.0/reports/partners/billing/operations/{id}`.
pub(super) async fn operation(State(s): State<Arc<Inner>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(r) = permitted(&s, &headers) {
        return *r;
    }
    let Some(invoice) = id.strip_prefix("op-").and_then(|rest| rest.rsplit_once('-')).map(|(invoice, _)| invoice.to_owned()) else {
        return graph_error(StatusCode::NOT_FOUND, "NotFound", "No such operation.");
    };
    let mut billing = s.billing.lock().unwrap();
    billing.polls += 1;
    let times = ("2023-03-09T08:12:53", "2023-03-09T08:37:48.5046691Z");
    if billing.polls <= billing.running_polls {
        let body = json!({"@odata.type": "#microsoft.graph.partners.billing.runningOperation", "id": id, "status": "running", "createdDateTime": times.0, "lastActionDateTime": times.1});
        return (StatusCode::OK, [("retry-after", "2")], Json(body)).into_response();
    }
    if billing.failing.contains(&invoice) || !billing.invoices.contains_key(&invoice) {
        let body = json!({"@odata.type": "#microsoft.graph.partners.billing.failedOperation", "id": id, "status": "failed", "createdDateTime": times.0, "lastActionDateTime": times.1,
            "error": {"message": "No data available", "code": "5000"}});
        return Json(body).into_response();
    }
    Json(json!({"@odata.type": "#microsoft.graph.partners.billing.exportSuccessOperation", "id": id, "status": "succeeded", "createdDateTime": times.0, "lastActionDateTime": times.1,
        "resourceLocation@odata.navigationLink": format!("{}/v1.0/reports/partners/billing/manifests/m-{invoice}", s.base)}))
    .into_response()
}

/// `GET /v1.0/reports/partners/billing/manifests/{id}`.
pub(super) async fn manifest(State(s): State<Arc<Inner>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(r) = permitted(&s, &headers) {
        return *r;
    }
    let invoice = id.strip_prefix("m-").unwrap_or_default().to_owned();
    let billing = s.billing.lock().unwrap();
    let Some(files) = billing.invoices.get(&invoice) else { return graph_error(StatusCode::NOT_FOUND, "NotFound", "No such manifest.") };
    let blobs: Vec<Value> = (0..files.len()).map(|i| json!({"name": format!("part-{i:05}-b016029b.c000.json.gz"), "partitionValue": "default"})).collect();
    Json(json!({
        "id": id, "schemaVersion": "2", "dataFormat": "compressedJSONLines", "createdDateTime": "2026-11-26T06:34:34.87Z", "eTag": "WYjLro78HdMg6vUWR",
        "partnerTenantId": PARTNER_TENANT,
        "rootDirectory": format!("{}/blobs/reconciliation/v1/PartnerTenantId={PARTNER_TENANT}/InvoiceId={invoice}", s.base),
        "sasToken": "skoid=stand-in&sv=2021-08-06&sr=d&sp=rl&sig=stand-in-signature",
        "partitionType": "Default", "blobCount": files.len(), "blobs": blobs
    }))
    .into_response()
}

/// A file of the export, as Blob Storage serves it: by its SAS token, never with a Graph token.
pub(super) async fn blob(State(s): State<Arc<Inner>>, headers: HeaderMap, Path((_partner, invoice_dir, name)): Path<(String, String, String)>, Query(query): Query<HashMap<String, String>>) -> Response {
    if headers.contains_key("authorization") {
        s.record.lock().unwrap().refused.push("a Graph token sent to Blob Storage".into());
        return (StatusCode::BAD_REQUEST, "no bearer token here").into_response();
    }
    if query.get("sig").map(String::as_str) != Some("stand-in-signature") {
        return (StatusCode::FORBIDDEN, "AuthenticationFailed").into_response();
    }
    let invoice = invoice_dir.strip_prefix("InvoiceId=").unwrap_or_default();
    let index: usize = name.strip_prefix("part-").and_then(|n| n.get(..5)).and_then(|n| n.parse().ok()).unwrap_or(usize::MAX);
    let mut billing = s.billing.lock().unwrap();
    let Some(bytes) = billing.invoices.get(invoice).and_then(|files| files.get(index)).cloned() else { return StatusCode::NOT_FOUND.into_response() };
    billing.files_served += 1;
    (StatusCode::OK, [("content-type", "application/octet-stream")], bytes).into_response()
}

impl StandIns {
    /// Reads or changes what Graph's billing export answers (a test's switch).
    pub fn billing<T>(&self, f: impl FnOnce(&mut Billing) -> T) -> T {
        f(&mut self.inner.billing.lock().unwrap())
    }
}
