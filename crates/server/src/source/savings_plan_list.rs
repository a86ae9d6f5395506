//! The customer's Savings plans list in Azure mode (`ListSavingsPlans`), answered from the plans
//! the last read of the customer's tenant kept (`savings_plans.rs`), or read now on behalf of the
//! signed-in user when none was kept; Azure's error when the tenant could not be read.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use azure_client::Reader;
use contract::{DataSource, Problem, ProblemCode, User};
use desk::{Call, DeskError, Operation};

use super::savings_plans::read;
use crate::error::ApiError;
use crate::state::AppState;

/// Whether `op` under `source` is answered from Azure by [`serve`].
pub fn through_arm(source: DataSource, op: Operation) -> bool {
    source == DataSource::Azure && op == Operation::ListSavingsPlans
}

fn refused(code: ProblemCode, detail: String) -> ApiError {
    ApiError(DeskError::Refused(Problem::new(code, detail, None)))
}

/// Answers `ListSavingsPlans` in Azure mode: the desk's permission and grant check, then the
/// plans kept from the last read of the customer's tenant, or read now on behalf of `user`.
pub async fn serve(state: &AppState, user: User, headers: &HeaderMap, params: &[String]) -> Result<Response, ApiError> {
    let call = Call::new(user.clone(), state.now());
    state.desk.authorize(&call, Operation::ListSavingsPlans, params, None).await?;
    let customer_id = params.first().cloned().unwrap_or_default();
    let Some(source) = state.source.clone() else { return Err(refused(ProblemCode::NotFound, desk::source::NOT_READING_AZURE.into())) };
    let tenant = match desk::source::SourceStore::source_status(state.desk.store(), &customer_id).await.map_err(DeskError::from)? {
        Some(status) => status.tenant_id,
        None => return Err(refused(ProblemCode::NotFound, format!("Customer {customer_id} was not read from Azure."))),
    };
    let held = match source.plans.get(&customer_id) {
        Some(held) => held,
        None => {
            let acting = super::routes::acting(&user, headers)?;
            read(&source, &Reader::User(acting.obo), &customer_id, &tenant, state.now()).await
        }
    };
    match held.read {
        Ok((plans, _)) => {
            let text = serde_json::to_string(&plans).map_err(|e| refused(ProblemCode::Internal, e.to_string()))?;
            Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], text).into_response())
        }
        Err(error) => Err(ApiError(super::azure_answer::error(error).problem("did not list the customer's savings plans"))),
    }
}
