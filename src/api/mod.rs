//! All traffic to the backend goes through here, so the rest of the app sees typed results.

use contract::{Customer, Problem};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

/// Why a backend call failed, in a form the views can show.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The backend could not be reached.
    #[error("The server could not be reached ({0}).")]
    Network(String),
    /// The backend answered with a problem document.
    #[error("{}", .0.detail)]
    Problem(Problem),
    /// The backend answered something that is not the contract.
    #[error("The server sent an unexpected answer ({0}).")]
    Unexpected(String),
}

const API_BASE: &str = "/api";

/// `GET /api/customers?search=`.
pub async fn customers(search: &str) -> Result<Vec<Customer>, ApiError> {
    let request = Request::get(&format!("{API_BASE}/customers")).query([("search", search)]);
    read_json(request.send().await.map_err(|e| ApiError::Network(e.to_string()))?).await
}

async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response.json().await.map_err(|e| ApiError::Unexpected(e.to_string()));
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(ApiError::Problem(problem)),
        Err(_) => Err(ApiError::Unexpected(format!("HTTP {}", response.status()))),
    }
}
