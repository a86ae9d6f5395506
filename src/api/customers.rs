use contract::Customer;
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /api/customers?search=`.
pub async fn customers(search: &str) -> Result<Vec<Customer>, ApiError> {
    transport::call::<endpoint::ListCustomers>(&[], &[("search", search)], &()).await
}

/// `GET /api/customers/{customerId}`.
pub async fn customer(customer_id: &str) -> Result<Customer, ApiError> {
    transport::call::<endpoint::GetCustomer>(&[customer_id], &[], &()).await
}

/// `GET /api/customers/{customerId}/refundLimit`.
pub async fn refund_limit(customer_id: &str) -> Result<contract::RefundLimit, ApiError> {
    transport::call::<endpoint::GetRefundLimit>(&[customer_id], &[], &()).await
}

/// `GET /api/customers/{customerId}/savingsPlans`: the customer's savings plans, newest first.
pub async fn savings_plans(customer_id: &str) -> Result<Vec<contract::SavingsPlan>, ApiError> {
    transport::call::<endpoint::ListSavingsPlans>(&[customer_id], &[], &()).await
}

/// `GET /api/me`: who is signed in.
pub async fn me() -> Result<contract::User, ApiError> {
    transport::call::<endpoint::Me>(&[], &[], &()).await
}

/// `GET /api/audit`: every change and money movement, newest first.
pub async fn audit() -> Result<Vec<contract::AuditEntry>, ApiError> {
    transport::call::<endpoint::ListAudit>(&[], &[], &()).await
}

/// `GET /api/audit/verify`: whether the audit log's hash chain is intact (Global admin).
pub async fn verify_audit() -> Result<contract::AuditVerification, ApiError> {
    transport::call::<endpoint::VerifyAudit>(&[], &[], &()).await
}

/// `GET /api/settings`: how the deployment is set up (the refund policy that moves money).
pub async fn settings() -> Result<contract::Settings, ApiError> {
    transport::call::<endpoint::GetSettings>(&[], &[], &()).await
}
