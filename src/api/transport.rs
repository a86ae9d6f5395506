//! Sends a request of the contract and reads its JSON answer or its problem document.

use contract::Problem;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::ApiError;

const API_BASE: &str = "/api";

fn url(path: &str) -> String {
    format!("{API_BASE}{path}")
}

/// `GET {path}` with query parameters.
pub async fn get<T: DeserializeOwned>(path: &str, query: &[(&str, &str)]) -> Result<T, ApiError> {
    send(Request::get(&url(path)).query(query.iter().copied()), None::<&()>).await
}

/// `POST {path}` with a JSON body.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send(Request::post(&url(path)), Some(body)).await
}

/// `PATCH {path}` with a JSON body.
pub async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send(Request::patch(&url(path)), Some(body)).await
}

async fn send<B: Serialize, T: DeserializeOwned>(
    request: RequestBuilder,
    body: Option<&B>,
) -> Result<T, ApiError> {
    let sent = match body {
        Some(body) => request.json(body).map_err(|e| ApiError::Unexpected(e.to_string()))?.send().await,
        None => request.send().await,
    };
    read_json(sent.map_err(|e| ApiError::Network(e.to_string()))?).await
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
