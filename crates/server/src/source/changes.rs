//! Azure mode's non-money changes: a configuration change, a split, a merge, an
//! archive or unarchive asked on `/api` goes to Azure first and is recorded only from Azure's
//! answer. The steps, in this order:
//!
//! 1. the desk checks it as in local mode ([`desk::Desk::check_azure_change`]: permission and
//!    grants, the body, the rule, on the cache), writing nothing;
//! 2. ARM is asked in the customer's tenant (its source status names it) on behalf of the
//!    signed-in user, and a long-running answer is followed to its end (`Retry-After` honoured);
//! 3. the customer is read again from ARM into the cache ([`super::read_one`]), so the cache
//!    holds what Azure holds, not what the desk guessed;
//! 4. the desk records it ([`desk::Desk::record_azure_change`]): the revisions of what the read
//!    changed, and an audit entry with who asked, what Azure answered and the operation's URL;
//! 5. the answer is the endpoint's own, read from the cache.
//!
//! Azure refusing (`403 AuthorizationFailed`, `409`, an operation that ended `Failed`) answers
//! `upstreamForbidden` (403) or `upstreamRefused` (409) with Azure's code and message; Azure out of reach (no answer, a timeout,
//! a 5xx, throttling past the waits, an operation still running after the polls) answers
//! `upstreamUnavailable` (503) with `Retry-After`. Either way nothing is recorded.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use azure_api::lineage::{ArmMergeRequest, ArmSplitRequest};
use azure_api::patch::ArmPatch;
use azure_client::{AzureError, Changed};
use contract::{DataSource, Problem, ProblemCode, User};
use desk::desk::{AzureChange, AzureConfirmation, CheckedChange};
use desk::{Call, DeskError, Operation};

use super::routes::acting;
use crate::error::ApiError;
use crate::state::AppState;

/// Whether `op` under `source` is made through ARM by [`serve`].
pub fn through_arm(source: DataSource, op: Operation) -> bool {
    source == DataSource::Azure && desk::desk::is_azure_change(op)
}

/// The desk's own Azure-compatible surface does not forward these changes to the partner's
/// Azure (its callers are Azure's own clients: they can reach ARM themselves): in Azure mode it
/// refuses them as before, rather than change the cache only.
pub fn refused_on_arm_surface(source: DataSource, op: Operation) -> Option<Problem> {
    through_arm(source, op).then(|| {
        Problem::new(
            ProblemCode::AzureChangesNotYetSupported,
            "In Azure mode this surface does not forward changes to Azure; make the change in the desk's console or API \
             (/api), or in the Azure portal.",
            None,
        )
    })
}

fn problem(code: ProblemCode, detail: String) -> ApiError {
    ApiError(DeskError::Refused(Problem::new(code, detail, None)))
}

/// The problem Azure's failure answers: refused, or out of reach (`Retry-After` added by
/// `ApiError`), mapped as for refunds ([`desk::upstream::UpstreamError::problem`]).
fn failure(error: &AzureError) -> Response {
    ApiError(super::azure_answer::error(error.clone()).problem("did not make the change")).into_response()
}

/// What Azure's final answer said, in a line for the audit entry.
fn answer_line(changed: &Changed) -> String {
    if changed.reservations.is_empty() {
        return "done".to_owned();
    }
    let named: Vec<String> = changed
        .reservations
        .iter()
        .map(|r| {
            let p = r.properties.clone().unwrap_or_default();
            let name = r.name.clone().or_else(|| r.id.clone()).unwrap_or_default();
            let quantity = p.quantity.map_or_else(|| "units not given".to_owned(), |q| format!("{q} units"));
            format!("{name} {} ({quantity})", p.provisioning_state.unwrap_or_default())
        })
        .collect();
    named.join(", ")
}

/// Asks ARM for `checked` in `tenant`.
async fn ask(state: &AppState, acting: &super::Acting, tenant: &str, checked: &CheckedChange) -> Result<Changed, AzureError> {
    let Some(source) = state.source.clone() else {
        return Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "NotAzureMode".into(), message: "This desk is not reading Azure.".into() });
    };
    let (client, user, order) = (&source.client, &acting.obo, checked.order_id.as_str());
    match &checked.change {
        AzureChange::Configure { reservation_id, patch } => {
            client.change_reservation(user, tenant, order, reservation_id, &ArmPatch::from_desk(patch, tenant)).await
        }
        AzureChange::Split(request) => client.split_reservation(user, tenant, order, &ArmSplitRequest::from_desk(order, request)).await,
        AzureChange::Merge(request) => client.merge_reservations(user, tenant, order, &ArmMergeRequest::from_desk(order, request)).await,
        AzureChange::Archive { reservation_id, archive } => client.archive_reservation(user, tenant, order, reservation_id, *archive).await,
    }
}

/// The endpoint's answer, from the cache as Azure left it: the reservation (a change, an
/// archive), or the list local mode answers (a split: the split one, then the new parts; a
/// merge: the new merged one, then its sources).
async fn answer(state: &AppState, call: &Call, checked: &CheckedChange) -> Result<String, ApiError> {
    let order = checked.order_id.clone();
    let acted_on = checked.acted_on();
    let now_in_order = {
        let owner = desk::store::Store::order_customer(state.desk.store(), &order).await.map_err(DeskError::from)?;
        match owner {
            Some(customer) => desk::store::Store::reservations_of(state.desk.store(), &customer).await.map_err(DeskError::from)?,
            None => Vec::new(),
        }
    };
    let new: Vec<String> = now_in_order
        .iter()
        .filter(|(r, _)| r.reservation_order_id == order && !checked.before.iter().any(|b| b.id == r.id))
        .map(|(r, _)| r.id.clone())
        .collect();
    let ids: Vec<String> = match checked.change {
        AzureChange::Split(_) => acted_on.into_iter().chain(new).collect(),
        AzureChange::Merge(_) => new.into_iter().chain(acted_on).collect(),
        _ => acted_on,
    };
    let mut bodies = Vec::new();
    for id in &ids {
        match state.desk.handle(call, Operation::GetReservation, &[order.clone(), id.clone()], &[], None).await {
            Ok(reply) => bodies.extend(reply.body),
            // A reservation Azure no longer lists is not in the answer.
            Err(DeskError::Refused(p)) if p.code == ProblemCode::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(match checked.change {
        AzureChange::Split(_) | AzureChange::Merge(_) => format!("[{}]", bodies.join(",")),
        _ => bodies.into_iter().next().unwrap_or_else(|| "null".into()),
    })
}

/// Answers `op` (one of [`through_arm`]'s) for `user` through ARM: the steps of this module.
pub async fn serve(state: &AppState, user: User, headers: &HeaderMap, op: Operation, params: &[String], request: Option<&str>) -> Result<Response, ApiError> {
    let acting = acting(&user, headers)?;
    let call = Call::new(user, state.now());
    let checked = state.desk.check_azure_change(&call, op, params, request).await?;
    if checked.unchanged {
        // Nothing to ask Azure: the reservation as the cache holds it (never the local change,
        // which a read between the check and it could turn into one Azure did not make).
        return Ok(json(op.success_status(), answer(state, &call, &checked).await?));
    }
    let store = state.desk.store();
    let tenant = match desk::source::SourceStore::source_status(store, &checked.customer_id).await.map_err(DeskError::from)? {
        Some(status) => status.tenant_id,
        None => return Err(problem(ProblemCode::NotFound, format!("Customer {} was not read from Azure.", checked.customer_id))),
    };
    let changed = match ask(state, &acting, &tenant, &checked).await {
        Ok(changed) => changed,
        Err(error) => {
            tracing::info!(customer = %checked.customer_id, code = %error.code, action = checked.action(), "Azure did not make the change: {}", error.message);
            return Ok(failure(&error));
        }
    };
    // The cache brought to what Azure holds; a read that fails says so on the customer (the
    // change is still Azure's, and recorded).
    if let Some(status) = super::read_one(state, &acting, &checked.customer_id).await.map_err(DeskError::from)? {
        if let Some(error) = status.error {
            tracing::warn!(customer = %checked.customer_id, code = %error.code, "reading the customer after a change failed: {}", error.message);
        }
    }
    let confirmation = AzureConfirmation { status: changed.status, answer: answer_line(&changed), operation_url: changed.operation_url.clone() };
    state.desk.record_azure_change(&call, &checked, &confirmation).await?;
    let body = answer(state, &call, &checked).await?;
    Ok(json(op.success_status(), body))
}

fn json(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: Option<u16>, code: &str) -> AzureError {
        AzureError { retry_after: None, request: Default::default(), status, code: code.into(), message: "m".into() }
    }

    #[test]
    fn azure_refusing_is_forbidden_or_refused_and_azure_out_of_reach_is_upstream_unavailable_with_retry_after() {
        for (e, status) in [
            (error(Some(403), "AuthorizationFailed"), 403),
            (error(Some(409), "ReservationConflict"), 409),
            (error(Some(200), "OperationFailed"), 409),
            (error(None, "Unreachable"), 503),
            (error(None, "Timeout"), 503),
            (error(Some(429), "TooManyRequests"), 503),
            (error(Some(500), "InternalServerError"), 503),
            (error(None, "StillRunning"), 503),
        ] {
            let response = failure(&e);
            assert_eq!(response.status().as_u16(), status, "{e:?}");
            assert_eq!(response.headers().contains_key(header::RETRY_AFTER), status == 503, "{e:?}");
        }
        for op in Operation::ALL {
            assert!(!through_arm(DataSource::Local, op), "{op:?}");
            assert_eq!(refused_on_arm_surface(DataSource::Local, op), None);
        }
        assert!(through_arm(DataSource::Azure, Operation::SplitReservation));
        assert!(!through_arm(DataSource::Azure, Operation::Return), "a money move is not this module's");
    }
}
