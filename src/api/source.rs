//! Azure mode: how fresh a customer's data read from Azure is, and a read now (these paths are
//! the server's own, not operations of the desk's table); every tenant's readiness (the desk's
//! `ListReadiness`) and the consent runs that make tenants readable (`StartConsents`,
//! `GetConsentRun`).

use contract::source::{ConsentRequest, ConsentRun, CustomerReadiness, SourceStatus};
use desk::operation::endpoint;

use super::{transport, ApiError};

fn encoded(id: &str) -> String {
    js_sys::encode_uri_component(id).into()
}

/// `GET /api/source/customers/{customerId}`.
pub async fn source_status(customer_id: &str) -> Result<SourceStatus, ApiError> {
    transport::server_path("GET", &format!("/source/customers/{}", encoded(customer_id))).await
}

/// `POST /api/source/customers/{customerId}/refresh`: reads the customer from Azure now.
pub async fn refresh_from_azure(customer_id: &str) -> Result<SourceStatus, ApiError> {
    transport::server_path("POST", &format!("/source/customers/{}/refresh", encoded(customer_id))).await
}

/// `GET /api/source/readiness`: every customer's readiness for Azure mode, with what fixes it
/// (Global admin and Admin agents; 404 where the desk does not read Azure).
pub async fn readiness() -> Result<Vec<CustomerReadiness>, ApiError> {
    transport::call::<endpoint::ListReadiness>(&[], &[], &()).await
}

/// `POST /api/source/consents`: consents the desk's API app in the tenants `request` names,
/// through Partner Center (Global admin); the run, started.
pub async fn start_consents(request: ConsentRequest) -> Result<ConsentRun, ApiError> {
    transport::call::<endpoint::StartConsents>(&[], &[], &request).await
}

/// `GET /api/source/consents/{consentRunId}`: the run as it stands.
pub async fn consent_run(id: &str) -> Result<ConsentRun, ApiError> {
    transport::call::<endpoint::GetConsentRun>(&[id], &[], &()).await
}
