//! The HTTP adapter of every operation: `/api/{path}` is matched against [`desk::Operation`],
//! its body checked to be JSON, and the desk answers. No operation has a handler of its own.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use contract::{ProblemCode, User};
use desk::{Call, DeskError, Operation, RouteError};

use crate::error::ApiError;
use crate::state::AppState;

fn malformed(detail: &str) -> ApiError {
    ApiError(DeskError::Refused(contract::Problem::new(ProblemCode::MalformedRequest, detail, None)))
}

/// A body that is not JSON: 415 (RFC 9110 §15.5.16).
fn not_json() -> ApiError {
    ApiError(DeskError::Refused(contract::Problem::new(
        ProblemCode::UnsupportedMediaType,
        "Send the body as JSON (Content-Type: application/json).",
        None,
    )))
}

/// The methods `path` (below `/api`) takes, as an `Allow` header lists them.
fn allowed_methods(path: &str) -> String {
    let mut allowed = Vec::new();
    for method in ["GET", "HEAD", "POST", "PATCH", "DELETE"] {
        if Operation::find(method, path).is_ok() {
            allowed.push(method);
        }
    }
    allowed.join(", ")
}

/// A 405 problem with the `Allow` header RFC 9110 (§15.5.6) requires.
pub fn method_not_allowed(allow: &str) -> Response {
    let mut response = ApiError(DeskError::from(RouteError::MethodNotAllowed)).into_response();
    if let Ok(value) = header::HeaderValue::from_str(allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// Any method but GET (and HEAD) on `/api/openapi.json`.
pub async fn openapi_other_method() -> Response {
    method_not_allowed("GET, HEAD")
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

/// Answers any `/api` request (after [`crate::auth::guard`] signed the caller in).
pub async fn serve_api(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    method: Method,
    uri: Uri,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let path = uri.path().strip_prefix("/api").unwrap_or(uri.path());
    let (op, params) = match Operation::find(method.as_str(), path) {
        Ok(found) => found,
        Err(RouteError::MethodNotAllowed) => return Ok(method_not_allowed(&allowed_methods(path))),
        Err(e) => return Err(DeskError::from(e).into()),
    };
    let text = if op.takes_body() {
        if !is_json(&headers) {
            return Err(not_json());
        }
        Some(std::str::from_utf8(&body).map_err(|_| malformed("The request body is not UTF-8 JSON."))?)
    } else {
        None
    };
    if let Some(problem) = crate::source::refuse::refusal(&state.desk.settings(), op) {
        return Err(ApiError(DeskError::Refused(problem)));
    }
    // Boxed: the Azure changes' futures are large, and inline they would grow every request's.
    if crate::source::access::through_arm(state.desk.settings().source, op) {
        return Box::pin(crate::source::access::serve(&state, user, &headers, op, &params, &query, text)).await;
    }
    if crate::source::invoice::through_graph(state.desk.settings().source, op, text) {
        return Box::pin(crate::source::invoice::serve(&state, user, &headers, &params, text)).await;
    }
    if crate::source::savings_plan_list::through_arm(state.desk.settings().source, op) {
        return Box::pin(crate::source::savings_plan_list::serve(&state, user, &headers, &params)).await;
    }
    if crate::source::support::through_azure(&state.desk.settings(), op) {
        return Box::pin(crate::source::support::serve(&state, user, &headers, op, &params, text)).await;
    }
    if crate::source::changes::through_arm(state.desk.settings().source, op) {
        return Box::pin(crate::source::changes::serve(&state, user, &headers, op, &params, text)).await;
    }
    // A consent run is carried out on behalf of the caller: one signed in through the identity
    // provider, checked before the desk records anything.
    let consenting = match (op, &state.source) {
        (Operation::StartConsents, Some(_)) => Some((crate::source::routes::acting(&user, &headers)?, user.clone())),
        _ => None,
    };
    let call = crate::source::call_of(&state, user, &headers);
    if op == Operation::ListReservations {
        return reservations(&state, &call, &params, &query).await;
    }
    let reply = state.desk.handle(&call, op, &params, &query, text).await?;
    if let (Some((acting, user)), Some(body)) = (consenting, &reply.body) {
        let run: contract::source::ConsentRun = serde_json::from_str(body).map_err(|e| DeskError::Refused(contract::Problem::new(ProblemCode::Internal, e.to_string(), None)))?;
        crate::source::consents::carry_out(state.clone(), acting, user, run);
    }
    // A trade-in through Azure bought savings plans: the customer's list is read again.
    if let (Some(source), Some(body), Operation::Exchange | Operation::ApproveApproval) = (&state.source, &reply.body, op) {
        for customer in crate::source::savings_plans::bought_for(body) {
            source.plans.forget(&customer);
        }
    }
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    let mut response = match reply.body {
        // The desk's JSON text as it wrote it (what `Json` would send, without a `Value` between).
        Some(json) => (status, [(header::CONTENT_TYPE, "application/json")], json).into_response(),
        None => status.into_response(),
    };
    // A 202's request to follow (an approval), below `/api` as every path of the desk.
    if let Some(value) = reply.location.and_then(|path| header::HeaderValue::from_str(&format!("/api{path}")).ok()) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

fn json(body: Bytes) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Answers `ListReservations` for `params` (the customer's ID): from the list cache
/// (`list_cache.rs`) when nothing changed, else from the desk (and caches that).
async fn reservations(
    state: &AppState,
    call: &Call,
    params: &[String],
    query: &[(String, String)],
) -> Result<Response, ApiError> {
    let op = Operation::ListReservations;
    // The grant and permission check is the desk's own, before the cache is looked at.
    state.desk.authorize(call, op, params, None).await?;
    let customer_id = params.first().map(String::as_str).unwrap_or_default();
    let today = call.today();
    let version = state.lists.version(state.desk.store(), customer_id).await.map_err(DeskError::from)?;
    if let Some(body) = version.and_then(|v| state.lists.get(customer_id, today, v)) {
        return Ok(json(body));
    }
    let reply = state.desk.handle(call, op, params, query, None).await?;
    let body = Bytes::from(reply.body.unwrap_or_default());
    if let Some(version) = version {
        state.lists.put(customer_id, today, version, body.clone());
    }
    Ok(json(body))
}
