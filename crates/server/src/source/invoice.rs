//! A statement matched to Microsoft's invoice in Azure mode (`ReconcileStatement` with an
//! `invoiceId`): the desk's permission and grant check, then the invoice's reconciliation lines
//! exported by Microsoft Graph on behalf of the signed-in user in the partner's tenant
//! (`azure_client::graph_billing`), read by the service layer as an uploaded file would be, and
//! matched by the desk. An uploaded file goes to the desk as in local mode.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use azure_client::Reader;
use contract::{DataSource, InvoiceSource, Problem, ProblemCode, ReconciliationRequest, User};
use desk::{Call, DeskError, Operation};
use desk_service::reconciliation::read_files;

use crate::error::ApiError;
use crate::state::AppState;

/// Whether `op` with `body` under `source` is answered through Graph by [`serve`]: a
/// reconciliation that names an invoice rather than giving a file.
pub fn through_graph(source: DataSource, op: Operation, body: Option<&str>) -> bool {
    source == DataSource::Azure
        && op == Operation::ReconcileStatement
        && body.and_then(|b| serde_json::from_str::<ReconciliationRequest>(b).ok()).is_some_and(|r| r.file.is_none() && r.invoice_id.is_some())
}

fn refused(code: ProblemCode, field: Option<&str>, detail: String) -> ApiError {
    let mut problem = Problem::new(code, detail, None);
    problem.field = field.map(str::to_owned);
    ApiError(DeskError::Refused(problem))
}

/// An invoice ID as Partner Center writes them (`G000024135`, `D03000004G`): letters and digits.
fn invoice_id_ok(id: &str) -> bool {
    (1..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Answers `ReconcileStatement` for an invoice in Azure mode.
pub async fn serve(state: &AppState, user: User, headers: &HeaderMap, params: &[String], body: Option<&str>) -> Result<Response, ApiError> {
    let call = Call::new(user.clone(), state.now());
    let acting = state.desk.authorize(&call, Operation::ReconcileStatement, params, body).await?;
    let request: ReconciliationRequest = serde_json::from_str(body.unwrap_or_default()).map_err(|e| refused(ProblemCode::MalformedRequest, None, e.to_string()))?;
    let invoice_id = request.invoice_id.unwrap_or_default().trim().to_owned();
    if !invoice_id_ok(&invoice_id) {
        return Err(refused(ProblemCode::MalformedRequest, Some("invoiceId"), format!("An invoice ID is letters and digits, as Partner Center shows it (e.g. G000024135); got {invoice_id:?}.")));
    }
    let Some(source) = state.source.clone() else { return Err(refused(ProblemCode::NotFound, None, desk::source::NOT_READING_AZURE.into())) };
    let azure = super::routes::acting(&user, headers)?;
    // The export is the partner's: asked in its tenant (configured, else the signed-in user's).
    let Some(partner_tenant) = source.partner_tenant.clone().or_else(|| azure.tenant.clone()) else {
        return Err(refused(ProblemCode::UpstreamRefused, None, "The desk does not know the partner's tenant (--partner-tenant): Microsoft Graph's billing export is asked there.".into()));
    };
    let exported = source
        .client
        .billed_reconciliation(&Reader::User(azure.obo), &partner_tenant, &invoice_id)
        .await
        .map_err(|e| ApiError(super::azure_answer::error(e).problem(&format!("did not export invoice {invoice_id}'s reconciliation lines (Microsoft Graph)"))))?;
    let lines = read_files(&exported.files).map_err(DeskError::from)?;
    let (customer_id, month) = (params.first().cloned().unwrap_or_default(), params.get(1).cloned().unwrap_or_default());
    let files = u32::try_from(exported.files.len()).unwrap_or(u32::MAX);
    let source = InvoiceSource::Graph { invoice_id: Some(invoice_id), operation_id: exported.operation_id, files };
    let matched = Box::pin(state.desk.reconcile_with(&acting, &customer_id, &month, source, lines)).await?;
    let text = serde_json::to_string(&matched).map_err(|e| refused(ProblemCode::Internal, None, e.to_string()))?;
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], text).into_response())
}
