//! Requests of the contract answered in the page: the same paths, bodies, validation and
//! problems as the server (crates/server), over [`super::state`].

use contract::{
    CalculateExchangeRequest, CalculateExchangeResponse, CalculateRefundRequest, CalculateRefundResponse, ExchangeRequest,
    ExchangeResponse, NewRoleAssignment, NewSupportRequest, Problem, ProblemCode, ReservationPatch, RoleAssignment, ReturnRequest, ReturnResponse, Scope,
};
use desk_service::{access, access_control, configuration, exchange, limit, refund, support, utilization, ServiceError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::state::{self, ExchangeSession, Session, State};
use crate::clock;

use desk_service::refund::DEFAULT_POLICY;

fn not_found(detail: String) -> Problem {
    Problem::not_found(detail)
}

fn json<T: Serialize>(value: T) -> Result<Value, Problem> {
    serde_json::to_value(value).map_err(|e| Problem::new(500, ProblemCode::Internal, e.to_string(), None))
}

fn body<T: DeserializeOwned>(body: Option<&str>) -> Result<T, Problem> {
    let text = body.unwrap_or("");
    serde_json::from_str(text).map_err(|e| {
        Problem::new(400, ProblemCode::MalformedRequest, format!("The request body is not valid for this endpoint: {e}"), None)
    })
}

/// Answers `method path?query` with `body` as the server would: the JSON on success, the
/// problem document on failure.
pub fn handle(
    token: Option<&str>,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    request_body: Option<&str>,
) -> Result<Value, Problem> {
    // The same guard as the server: sign-in, then the role against the request.
    let user = access::authenticate(token, true)?;
    access::require(&user, access::permission_for(method, path))?;
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut state = state::load();
    let today = clock::today();
    match (method, segments.as_slice()) {
        ("GET", ["me"]) => json(user),
        ("GET", ["customers"]) => {
            let search = query.iter().find(|(k, _)| *k == "search").map(|(_, v)| v.trim().to_lowercase()).unwrap_or_default();
            let mut list: Vec<_> = state
                .customers
                .iter()
                .filter(|c| c.name.to_lowercase().contains(&search) || c.domain.to_lowercase().contains(&search))
                .cloned()
                .collect();
            list.sort_by(|a, b| a.name.cmp(&b.name));
            json(list)
        }
        ("GET", ["customers", id]) => {
            json(state.customers.iter().find(|c| c.id == *id).cloned().ok_or_else(|| no_customer(id))?)
        }
        ("GET", ["customers", id, "reservations"]) => {
            customer(&state, id)?;
            let mut list: Vec<_> = state
                .reservations
                .iter()
                .filter(|(r, _)| r.customer_id == *id)
                .map(|(r, usage)| utilization::with_aggregates(r.clone(), *usage, today))
                .collect();
            desk_service::reservations::sort_for_display(&mut list);
            json(list)
        }
        ("GET", ["customers", id, "refundLimit"]) => {
            customer(&state, id)?;
            json(limit::refund_limit(&ledger_of(&state, id), today)?)
        }
        ("GET", ["customers", id, "scopes"]) => {
            customer(&state, id)?;
            json(scopes_of(&state, id))
        }
        ("GET", ["reservationOrders", order, "reservations", id]) => json(detail(&state, order, id, today)?),
        ("PATCH", ["reservationOrders", order, "reservations", id]) => {
            let patch: ReservationPatch = body(request_body)?;
            let (reservation, usage) = stored(&state, order, id)?;
            let changed = configuration::apply_patch(&reservation, &patch, &scopes_of(&state, &reservation.customer_id))?;
            if let Some(slot) = state.reservations.iter_mut().find(|(r, _)| r.reservation_order_id == *order && r.id == *id) {
                slot.0 = changed.clone();
            }
            if let Some(change) = configuration::describe_change(&reservation, &changed) {
                let target = format!("reservationOrders/{order}/reservations/{id}");
                record(&mut state, &user, "changeReservation", target, Some(changed.customer_id.clone()), change);
            }
            state::save(&state);
            json(utilization::with_aggregates(changed, usage, today))
        }
        ("POST", ["reservationOrders", order, "calculateRefund"]) => {
            let request: CalculateRefundRequest = body(request_body)?;
            let detail = detail(&state, order, &request.reservation_id, today)?;
            let policy = request.policy.unwrap_or(DEFAULT_POLICY);
            let ledger = ledger_of(&state, &detail.reservation.customer_id);
            let quote = refund::quote(&detail, &ledger, today, request.quantity, policy)?;
            let now = super::clock::now_ms();
            let expires_at_ms = now + refund::SESSION_TTL_SECONDS as f64 * 1000.0;
            let session = Session {
                id: random_id(),
                order_id: (*order).to_owned(),
                reservation_id: request.reservation_id,
                policy,
                quote: quote.clone(),
                expires_at_ms,
            };
            let response = CalculateRefundResponse {
                session_id: session.id.clone(),
                expires_at: js_sys::Date::new(&expires_at_ms.into()).to_iso_string().into(),
                policy,
                quote,
            };
            state.sessions.push(session);
            state::save(&state);
            json(response)
        }
        ("POST", ["reservationOrders", order, "return"]) => {
            let request: ReturnRequest = body(request_body)?;
            json(submit_return(&mut state, &user, order, &request, today)?)
        }
        ("POST", ["quotes", "refund"]) => {
            let request: quote_engine::api::RefundQuoteRequest = body(request_body)?;
            json(quote_engine::api::refund(&request).map_err(input_problem)?)
        }
        ("POST", ["quotes", "exchange"]) => {
            let request: quote_engine::api::ExchangeQuoteRequest = body(request_body)?;
            json(quote_engine::api::exchange(&request).map_err(input_problem)?)
        }
        ("GET", ["catalog"]) => json(exchange::catalog()),
        ("POST", ["calculateExchange"]) => {
            let request: CalculateExchangeRequest = body(request_body)?;
            let (details, scopes) = exchange_inputs(&state, &request, today)?;
            let quote = exchange::quote(&checked(&details, &request), &request.reservations_to_purchase, &scopes, today)?;
            let expires_at_ms = super::clock::now_ms() + refund::SESSION_TTL_SECONDS as f64 * 1000.0;
            let session = ExchangeSession { id: random_id(), request, quote: quote.clone(), expires_at_ms };
            let response = CalculateExchangeResponse {
                session_id: session.id.clone(),
                expires_at: js_sys::Date::new(&expires_at_ms.into()).to_iso_string().into(),
                quote,
            };
            state.exchange_sessions.push(session);
            state::save(&state);
            json(response)
        }
        ("POST", ["exchange"]) => {
            let request: ExchangeRequest = body(request_body)?;
            json(submit_exchange(&mut state, &user, &request, today)?)
        }
        ("GET", ["reservationOrders", order, "roleAssignments"]) => {
            require_order(&state, order)?;
            json(assignments_of(&state, order))
        }
        ("POST", ["reservationOrders", order, "roleAssignments"]) => {
            require_order(&state, order)?;
            let new: NewRoleAssignment = body(request_body)?;
            let checked = access_control::validate(&new, &assignments_of(&state, order))?;
            let created = RoleAssignment { id: random_id(), reservation_order_id: (*order).to_owned(), assignment: checked };
            state.role_assignments.get_or_insert_with(Vec::new).push(created.clone());
            let change = format!("{} gets {:?}", created.assignment.principal_name, created.assignment.role);
            record(&mut state, &user, "addRoleAssignment", format!("reservationOrders/{order}/roleAssignments/{}", created.id), None, change);
            state::save(&state);
            json(created)
        }
        ("DELETE", ["reservationOrders", order, "roleAssignments", id]) => {
            let list = state.role_assignments.get_or_insert_with(Vec::new);
            let before = list.len();
            list.retain(|a| !(a.reservation_order_id == *order && a.id == *id));
            if list.len() == before {
                return Err(not_found(format!("Reservation order '{order}' has no role assignment '{id}'.")));
            }
            record(&mut state, &user, "removeRoleAssignment", format!("reservationOrders/{order}/roleAssignments/{id}"), None, "removed".into());
            state::save(&state);
            Ok(Value::Null)
        }
        ("GET", ["audit"]) => {
            let customer = query.iter().find(|(k, _)| *k == "customerId").map(|(_, v)| *v);
            let list: Vec<_> = state
                .audit
                .iter()
                .rev()
                .filter(|e| customer.is_none_or(|c| e.customer_id.as_deref() == Some(c)))
                .take(500)
                .cloned()
                .collect();
            json(list)
        }
        ("GET", ["supportRequests"]) => {
            let customer = query.iter().find(|(k, _)| *k == "customerId").map(|(_, v)| *v);
            let mut list: Vec<_> = state
                .support_requests
                .iter()
                .filter(|s| customer.is_none_or(|c| s.customer_id == c))
                .cloned()
                .collect();
            list.reverse();
            json(list)
        }
        ("GET", ["supportRequests", id]) => json(
            state
                .support_requests
                .iter()
                .find(|s| s.id == *id)
                .cloned()
                .ok_or_else(|| not_found(format!("There is no support request '{id}'.")))?,
        ),
        ("POST", ["supportRequests"]) => {
            let request: NewSupportRequest = body(request_body)?;
            let (reservation, _) = stored(&state, &request.reservation_order_id, &request.reservation_id)?;
            support::validate(&request, &reservation)?;
            let now = js_sys::Date::new_0();
            let id = format!(
                "{:02}{:02}{:02}{:010}",
                now.get_utc_full_year() % 100,
                now.get_utc_month() + 1,
                now.get_utc_date(),
                (js_sys::Math::random() * 1e10) as u64
            );
            let created = support::create(request, &reservation, id, now.to_iso_string().into());
            state.support_requests.push(created.clone());
            let change = format!("support request {}: {}", created.id, created.request.summary);
            record(&mut state, &user, "createSupportRequest", format!("supportRequests/{}", created.id), Some(created.customer_id.clone()), change);
            state::save(&state);
            json(created)
        }
        _ => Err(not_found("There is no such API endpoint.".into())),
    }
}

fn input_problem(e: quote_engine::InputError) -> Problem {
    Problem::new(400, ProblemCode::InvalidQuoteInput, e.to_string(), Some(e.field))
}

/// Adds an audit entry (saved with the change by the caller's `state::save`).
fn record(state: &mut State, user: &contract::User, action: &str, target: String, customer: Option<String>, change: String) {
    state.audit.push(contract::AuditEntry {
        time: String::from(js_sys::Date::new_0().to_iso_string()),
        actor: user.user_principal_name.clone(),
        action: action.to_owned(),
        target,
        customer_id: customer,
        change,
    });
}

fn require_order(state: &State, order: &str) -> Result<(), Problem> {
    if state.reservations.iter().any(|(r, _)| r.reservation_order_id == order) {
        Ok(())
    } else {
        Err(not_found(format!("There is no reservation order '{order}'.")))
    }
}

fn assignments_of(state: &State, order: &str) -> Vec<RoleAssignment> {
    state.role_assignments.iter().flatten().filter(|a| a.reservation_order_id == order).cloned().collect()
}

fn no_customer(id: &str) -> Problem {
    not_found(format!("No customer has the ID '{id}'."))
}

fn customer<'a>(state: &'a State, id: &str) -> Result<&'a contract::Customer, Problem> {
    state.customers.iter().find(|c| c.id == id).ok_or_else(|| no_customer(id))
}

fn ledger_of(state: &State, customer_id: &str) -> Vec<limit::LedgerEntry> {
    state.ledger.iter().filter(|e| e.customer_id == customer_id).cloned().collect()
}

fn stored(state: &State, order: &str, id: &str) -> Result<(contract::Reservation, utilization::UsageProfile), Problem> {
    state
        .reservations
        .iter()
        .find(|(r, _)| r.reservation_order_id == order && r.id == id)
        .cloned()
        .ok_or_else(|| not_found(format!("Reservation order '{order}' has no reservation '{id}'.")))
}

fn detail(state: &State, order: &str, id: &str, today: chrono::NaiveDate) -> Result<contract::ReservationDetail, Problem> {
    let (r, usage) = stored(state, order, id)?;
    Ok(utilization::detail(r, usage, today))
}

fn scopes_of(state: &State, customer_id: &str) -> Vec<Scope> {
    state
        .scopes
        .iter()
        .filter(|s| s.customer_id == customer_id)
        .map(|s| Scope { applied_scope_type: s.scope_type, applied_scope_properties: s.properties.clone() })
        .collect()
}

/// The return: answered again for a repeated session, else checked and applied at once.
fn submit_return(
    state: &mut State,
    user: &contract::User,
    order: &str,
    request: &ReturnRequest,
    today: chrono::NaiveDate,
) -> Result<ReturnResponse, Problem> {
    if request.return_reason.trim().is_empty() {
        return Err(ServiceError::invalid(ProblemCode::Required, "returnReason", "Give a reason for the return.").into());
    }
    if let Some(done) = state.refunds.iter().find(|r| r.session_id == request.session_id) {
        return Ok(done.clone());
    }
    let session = state
        .sessions
        .iter()
        .find(|s| s.id == request.session_id && s.order_id == order)
        .cloned()
        .ok_or_else(|| not_found(format!("Reservation order '{order}' has no refund session '{}'.", request.session_id)))?;
    if super::clock::now_ms() > session.expires_at_ms {
        return Err(ServiceError::conflict(ProblemCode::SessionExpired, "The refund session has expired (10 minutes). Calculate the refund again.").into());
    }
    let detail = detail(state, order, &session.reservation_id, today)?;
    let ledger = ledger_of(state, &detail.reservation.customer_id);
    let plan = refund::plan_return(&detail, &ledger, today, &session.quote, session.policy)?;
    if let Some((r, _)) = state.reservations.iter_mut().find(|(r, _)| r.reservation_order_id == order && r.id == session.reservation_id) {
        r.quantity = plan.remaining_quantity;
        r.provisioning_state = plan.state;
    }
    state.ledger.extend(plan.ledger_entry);
    let response = ReturnResponse {
        refund_id: random_id(),
        session_id: session.id.clone(),
        quote: session.quote,
        remaining_quantity: plan.remaining_quantity,
    };
    state.refunds.push(response.clone());
    let change = format!(
        "returned {} unit(s): quantity {} → {}; refund {}",
        response.quote.quantity, detail.reservation.quantity, plan.remaining_quantity, response.quote.refund_amount
    );
    let target = format!("reservationOrders/{order}/reservations/{}", session.reservation_id);
    record(state, user, "refund", target, Some(detail.reservation.customer_id.clone()), change);
    state::save(state);
    Ok(response)
}

/// The returned reservations with their histories, and their customer's scopes.
fn exchange_inputs(
    state: &State,
    request: &CalculateExchangeRequest,
    today: chrono::NaiveDate,
) -> Result<(Vec<contract::ReservationDetail>, Vec<Scope>), Problem> {
    let mut details = Vec::new();
    for (i, ret) in request.reservations_to_exchange.iter().enumerate() {
        let (r, usage) = state.reservations.iter().find(|(r, _)| r.id == ret.reservation_id).cloned().ok_or_else(|| {
            Problem::from(ServiceError::invalid(
                ProblemCode::NotFound,
                &format!("reservationsToExchange[{i}].reservationId"),
                format!("No reservation has the ID '{}'.", ret.reservation_id),
            ))
        })?;
        details.push(utilization::detail(r, usage, today));
    }
    let scopes = details.first().map(|d| scopes_of(state, &d.reservation.customer_id)).unwrap_or_default();
    Ok((details, scopes))
}

fn checked<'a>(details: &'a [contract::ReservationDetail], request: &CalculateExchangeRequest) -> Vec<exchange::CheckedReturn<'a>> {
    details
        .iter()
        .zip(&request.reservations_to_exchange)
        .map(|(detail, ret)| exchange::CheckedReturn { detail, quantity: ret.quantity })
        .collect()
}

/// The exchange: answered again for a repeated session, else checked and applied at once.
fn submit_exchange(
    state: &mut State,
    user: &contract::User,
    request: &ExchangeRequest,
    today: chrono::NaiveDate,
) -> Result<ExchangeResponse, Problem> {
    if let Some(done) = state.exchanges.iter().find(|e| e.session_id == request.session_id) {
        return Ok(done.clone());
    }
    let session = state
        .exchange_sessions
        .iter()
        .find(|s| s.id == request.session_id)
        .cloned()
        .ok_or_else(|| not_found(format!("There is no exchange session '{}'.", request.session_id)))?;
    if super::clock::now_ms() > session.expires_at_ms {
        return Err(ServiceError::conflict(ProblemCode::SessionExpired, "The exchange session has expired (10 minutes). Calculate the exchange again.").into());
    }
    let (details, scopes) = exchange_inputs(state, &session.request, today)?;
    let plan = exchange::plan_exchange(
        &checked(&details, &session.request),
        &session.request.reservations_to_purchase,
        &scopes,
        today,
        &session.id,
        &session.quote,
    )?;
    for (order, id, left, state_after) in &plan.returns {
        if let Some((r, _)) = state.reservations.iter_mut().find(|(r, _)| &r.reservation_order_id == order && &r.id == id) {
            r.quantity = *left;
            r.provisioning_state = *state_after;
        }
    }
    for r in &plan.purchased {
        state.reservations.push((r.clone(), utilization::UsageProfile { level: Some(75) }));
    }
    if let Some(c) = state.customers.iter_mut().find(|c| Some(&c.id) == plan.purchased.first().map(|r| &r.customer_id)) {
        c.reservation_count += plan.purchased.len() as u32;
    }
    let response = ExchangeResponse {
        session_id: session.id.clone(),
        reservation_order_id: plan.order_id,
        purchased: plan.purchased,
        quote: session.quote,
    };
    state.exchanges.push(response.clone());
    let change = format!(
        "returned {} reservation(s), bought {} in order {}; net payable {}",
        session.request.reservations_to_exchange.len(),
        response.purchased.len(),
        response.reservation_order_id,
        response.quote.net_payable
    );
    let customer = response.purchased.first().map(|r| r.customer_id.clone());
    record(state, user, "exchange", format!("exchange/{}", response.session_id), customer, change);
    state::save(state);
    Ok(response)
}

/// A random GUID-shaped ID (sessions and refunds are not part of the seed).
fn random_id() -> String {
    let hex = |n: usize| (0..n).map(|_| format!("{:x}", (js_sys::Math::random() * 16.0) as u8)).collect::<String>();
    format!("{}-{}-4{}-a{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
}
