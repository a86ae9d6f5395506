use contract::{CustomerPricing, PricingRequest, Reconciliation, ReconciliationRequest, Statement};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /customers/{customerId}/pricing`.
pub async fn customer_pricing(customer_id: &str) -> Result<CustomerPricing, ApiError> {
    transport::call::<endpoint::GetCustomerPricing>(&[customer_id], &[], &()).await
}

/// `PUT /customers/{customerId}/pricing`.
pub async fn set_customer_pricing(customer_id: &str, request: &PricingRequest) -> Result<CustomerPricing, ApiError> {
    transport::call::<endpoint::SetCustomerPricing>(&[customer_id], &[], request).await
}

/// `GET /customers/{customerId}/statements/{month}` (`yyyy-mm`).
pub async fn statement(customer_id: &str, month: &str) -> Result<Statement, ApiError> {
    transport::call::<endpoint::GetStatement>(&[customer_id, month], &[], &()).await
}

/// `POST /customers/{customerId}/statements/{month}/reconciliation`: the month matched to
/// Microsoft's invoice (an uploaded file, or in Azure mode an invoice Graph exports).
pub async fn reconcile(customer_id: &str, month: &str, request: &ReconciliationRequest) -> Result<Reconciliation, ApiError> {
    transport::call::<endpoint::ReconcileStatement>(&[customer_id, month], &[], request).await
}
