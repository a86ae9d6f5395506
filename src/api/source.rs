//! Azure mode: how fresh a customer's data read from Azure is, and a read now (these paths are
//! the server's own, not operations of the desk's table); every tenant's readiness (the desk's
//! `ListReadiness`) and the consent runs that make tenants readable (`StartConsents`,
//! `GetConsentRun`); the reads of the whole book and the desk's connection for unattended reads.

use contract::source::{AzureConnection, ConsentRequest, ConsentRun, CustomerReadiness, SourceRead, SourceStatus};
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

/// `POST /api/source/refresh`: starts a read of every customer now, on behalf of the caller
/// (the server answers 202 at once); the read, or the one already running on any server.
pub async fn read_book() -> Result<SourceRead, ApiError> {
    transport::server_path("POST", "/source/refresh").await
}

/// `GET /api/source/reads/{readId}`: how a read of the book goes.
pub async fn book_read(id: &str) -> Result<SourceRead, ApiError> {
    transport::server_path("GET", &format!("/source/reads/{}", encoded(id))).await
}

/// `GET /api/source/reads/latest`: the newest read of the book (404 when there was none yet).
pub async fn latest_book_read() -> Result<SourceRead, ApiError> {
    transport::server_path("GET", "/source/reads/latest").await
}

/// `GET /api/source/connection`: whether the desk is connected for unattended reads, by whom
/// and since when, or why Entra refused it.
pub async fn azure_connection() -> Result<AzureConnection, ApiError> {
    transport::server_path("GET", "/source/connection").await
}

/// `PUT /api/source/connection`: connects the desk with the signed-in Global admin's grant (a
/// read starts at once); 409 `secretKeyMissing` when the server has no key to keep it with.
pub async fn connect_azure() -> Result<AzureConnection, ApiError> {
    transport::server_path("PUT", "/source/connection").await
}

/// `DELETE /api/source/connection`: forgets the stored connection (unattended reads stop).
pub async fn disconnect_azure() -> Result<AzureConnection, ApiError> {
    transport::server_path("DELETE", "/source/connection").await
}
