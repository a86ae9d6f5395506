//! The engine without state: `POST /api/quotes/refund` and `POST /api/quotes/exchange`.
//! Policy outcomes are 200 with `policyErrors`; malformed input is a 400 naming the field.

use axum::Json;
use quote_engine::api::{
    self, ExchangeQuoteRequest, ExchangeQuoteResponse, RefundQuoteRequest, RefundQuoteResponse,
};

use crate::error::ApiError;
use crate::json::ApiJson;

fn bad_input(e: quote_engine::InputError) -> ApiError {
    ApiError::BadRequest { code: contract::ProblemCode::InvalidQuoteInput, detail: e.to_string(), field: Some(e.field) }
}

/// `POST /api/quotes/refund`.
pub async fn refund(ApiJson(request): ApiJson<RefundQuoteRequest>) -> Result<Json<RefundQuoteResponse>, ApiError> {
    api::refund(&request).map(Json).map_err(bad_input)
}

/// `POST /api/quotes/exchange`.
pub async fn exchange(ApiJson(request): ApiJson<ExchangeQuoteRequest>) -> Result<Json<ExchangeQuoteResponse>, ApiError> {
    api::exchange(&request).map(Json).map_err(bad_input)
}
