use contract::{CalculateExchangeRequest, CalculateExchangeResponse, CatalogItem, CustomerCatalog, ExchangeOutcome, ExchangeRequest, UnitPrice};
use quote_engine::{BillingPlan, Term};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /api/catalog`: what an exchange can buy.
pub async fn catalog() -> Result<Vec<CatalogItem>, ApiError> {
    transport::call::<endpoint::Catalog>(&[], &[], &()).await
}

/// `GET /api/customers/{customerId}/catalog`: what this customer can buy (the demo catalog in
/// local mode, Azure's for the customer in Azure mode).
pub async fn customer_catalog(customer_id: &str) -> Result<CustomerCatalog, ApiError> {
    transport::call::<endpoint::CustomerCatalog>(&[customer_id], &[], &()).await
}

/// `GET /api/customers/{customerId}/price`: one unit's whole-term price of `sku_id`.
pub async fn unit_price(customer_id: &str, sku_id: &str, term: Term, plan: BillingPlan) -> Result<UnitPrice, ApiError> {
    let (term, plan) = (format!("{term:?}"), format!("{plan:?}"));
    transport::call::<endpoint::GetUnitPrice>(&[customer_id], &[("skuId", sku_id), ("term", &term), ("billingPlan", &plan)], &()).await
}

/// `POST /api/calculateExchange`: the server's quote and a session.
pub async fn calculate_exchange(request: &CalculateExchangeRequest) -> Result<CalculateExchangeResponse, ApiError> {
    transport::call::<endpoint::CalculateExchange>(&[], &[], request).await
}

/// `POST /api/exchange`: carries out the session's exchange, once; or, above the deployment's
/// approval threshold, the approval request it now waits for.
pub async fn exchange(request: &ExchangeRequest) -> Result<ExchangeOutcome, ApiError> {
    transport::call::<endpoint::Exchange>(&[], &[], request).await
}
