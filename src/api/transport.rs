//! Sends a request of the contract and reads its JSON answer or its problem document.
//!
//! Where it goes is the page's [`api_base`]: with one (the server's build names `/api` in its
//! index.html), over HTTP; without one (the GitHub Pages build), to the in-browser backend, whose
//! modules only that build serves. The rest of the app cannot tell the difference.

use contract::route::{Endpoint, Method};
use contract::Problem;
use gloo_net::http::{Request, RequestBuilder, Response};
use desk::Operation;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::ApiError;

pub use super::base::api_base;

/// Sends operation `E` (an entry of the desk's operation table) with its path `params`, in
/// template order, its `query` and its request `body` (`&()` for an operation without one), and
/// reads its answer as the table's response type. The method and the path come from the table:
/// nothing here writes a path by hand.
pub async fn call<E>(params: &[&str], query: &[(&str, &str)], body: &E::Request) -> Result<E::Response, ApiError>
where
    E: Endpoint<Operation = Operation>,
    E::Request: Serialize,
    E::Response: DeserializeOwned,
{
    call_reading::<E, E::Response>(params, query, body).await
}

/// [`call`], reading the answer as `R`: a part of the table's response type (serde skips the
/// members `R` does not name), where reading the whole would bring its readers into the module
/// that asks.
///
/// Only the body's writing and the answer's reading are generic: the exchange with either
/// backend is one function, compiled once for every call in the app.
pub async fn call_reading<E, R>(params: &[&str], query: &[(&str, &str)], body: &E::Request) -> Result<R, ApiError>
where
    E: Endpoint<Operation = Operation>,
    E::Request: Serialize,
    R: DeserializeOwned,
{
    let op = E::OPERATION;
    let path = op.path(params);
    let body = match op.takes_body() {
        true => Some(serde_json::to_string(body).map_err(|e| ApiError::Unexpected(e.to_string()))?),
        false => None,
    };
    read(exchange(op.method(), &path, query, body).await?.as_deref())
}

/// Sends one request to this page's backend and answers the body as the backend wrote it (`None`
/// for 204), or the failure as the error the page shows.
async fn exchange(method: Method, path: &str, query: &[(&str, &str)], body: Option<String>) -> Result<Option<String>, ApiError> {
    if api_base().is_none() {
        let token = crate::session::token();
        return crate::in_browser::answer(token.as_deref(), method.as_str(), path, query, body.as_deref())
            .await
            .map_err(|_| ApiError::Network("this part of the in-browser backend could not be loaded".to_owned()))?
            .map_err(ApiError::Problem);
    }
    let request = match method {
        Method::Get => {
            if let Some(response) = early(path, query).await {
                return answer_text(response).await;
            }
            Request::get(&url(path)).query(query.iter().copied())
        }
        Method::Post => Request::post(&url(path)),
        Method::Put => Request::put(&url(path)),
        Method::Patch => Request::patch(&url(path)),
        Method::Delete => Request::delete(&url(path)),
    };
    send(authorized(request), body).await
}

/// A body as the table's response type (or a part of it): `None` (no content, a DELETE's 204) is
/// JSON's `null`, which `()` is. Read through serde_json, not serde's `UnitDeserializer`: its
/// error type formats an unexpected float with core's float formatting, 9 KiB of gzip in the
/// first module.
fn read<T: DeserializeOwned>(text: Option<&str>) -> Result<T, ApiError> {
    serde_json::from_str(text.unwrap_or("null")).map_err(|e| ApiError::Unexpected(e.to_string()))
}

/// The answer to `GET {path}?{query}` that the page's first script asked for while the app was
/// still loading (`window.__deskEarly`, written into index.html by scripts/select-backend.sh: the
/// first screen's `/me` and customer list), taken once: `None` when there is none, it was asked
/// with another token than the one signed in now, or it failed (then the app asks itself).
async fn early(path: &str, query: &[(&str, &str)]) -> Option<Response> {
    use wasm_bindgen::JsCast;
    let early = js_sys::Reflect::get(&web_sys::window()?.into(), &"__deskEarly".into()).ok()?.dyn_into::<js_sys::Object>().ok()?;
    let token = js_sys::Reflect::get(&early, &"token".into()).ok()?.as_string();
    if token.is_none() || token != crate::session::token() {
        return None;
    }
    let mut key = url(path);
    for (i, (name, value)) in query.iter().enumerate() {
        key.push(if i == 0 { '?' } else { '&' });
        key.push_str(&format!("{}={}", js_sys::encode_uri_component(name), js_sys::encode_uri_component(value)));
    }
    let key = wasm_bindgen::JsValue::from_str(&key);
    let promise = js_sys::Reflect::get(&early, &key).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::delete_property(&early, &key);
    let response = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    Some(Response::from(response.dyn_into::<web_sys::Response>().ok()?))
}

fn url(path: &str) -> String {
    format!("{}{path}", api_base().unwrap_or_default())
}

/// Adds the signed-in user's bearer token.
fn authorized(request: RequestBuilder) -> RequestBuilder {
    match crate::session::token() {
        Some(token) => request.header("Authorization", &format!("Bearer {token}")),
        None => request,
    }
}

/// Sends a request (with its JSON body, if any) and answers the body of its answer.
async fn send(request: RequestBuilder, body: Option<String>) -> Result<Option<String>, ApiError> {
    let sent = match body {
        Some(body) => request
            .header("Content-Type", "application/json")
            .body(body)
            .map_err(|e| ApiError::Unexpected(e.to_string()))?
            .send()
            .await,
        None => request.send().await,
    };
    answer_text(sent.map_err(|e| ApiError::Network(e.to_string()))?).await
}

/// A 2xx answer's body (`None` for 204), or the failure.
async fn answer_text(response: Response) -> Result<Option<String>, ApiError> {
    if response.status() == 204 {
        return Ok(None);
    }
    if response.ok() {
        return response.text().await.map(Some).map_err(|e| ApiError::Unexpected(e.to_string()));
    }
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    Err(failure(status, &text))
}

/// A failed answer as the error the page shows: the desk's problem document, or another
/// problem document (a gateway's 503 that has no `code`, or lacks a member) read for its own
/// words, so the page says the server's `detail` rather than that the answer was unexpected.
fn failure(status: u16, text: &str) -> ApiError {
    /// The members of any problem document, each optional.
    #[derive(serde::Deserialize)]
    struct AnyProblem {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        detail: Option<String>,
    }
    if let Ok(problem) = serde_json::from_str::<Problem>(text) {
        return ApiError::Problem(problem);
    }
    match serde_json::from_str::<AnyProblem>(text) {
        Ok(AnyProblem { title, detail }) if title.is_some() || detail.is_some() => ApiError::Problem(Problem {
            kind: "about:blank".to_owned(),
            detail: detail.or_else(|| title.clone()).unwrap_or_default(),
            title: title.unwrap_or_default(),
            status,
            code: contract::ProblemCode::Other,
            field: None,
        }),
        _ => ApiError::Unexpected(format!("HTTP {status}")),
    }
}

/// Sends `method` (`GET`, `POST`, `PUT` or `DELETE`, without a body) to a server-only path
/// below the API base (not an operation of the desk's table: Azure mode's `/source/…`), and
/// reads any 2xx answer's JSON body (a `202`'s too). The in-browser backend has no such path:
/// it answers 404.
pub async fn server_path<T: DeserializeOwned>(method: &str, path: &str) -> Result<T, ApiError> {
    if api_base().is_none() {
        return Err(ApiError::Problem(Problem::not_found("The in-browser backend does not read Azure.")));
    }
    let url = url(path);
    let request = match method {
        "POST" => Request::post(&url),
        "PUT" => Request::put(&url),
        "DELETE" => Request::delete(&url),
        _ => Request::get(&url),
    };
    read(send(authorized(request), None).await?.as_deref())
}
