//! The Azure surface's HTTP adapter: `/providers/Microsoft.Capacity/...?api-version=2022-11-01`,
//! beside `/api`. It signs the caller in as `/api` does, asks the desk (through
//! `Desk::handle`, so each role check, validation and decision is the desk's one), and writes the
//! answer and every error in ARM's shapes with the `azure-api` crate. Nothing here decides.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use azure_api::exchange::{self, ArmCalculateExchangeRequest, ArmExchangeRequest, PurchaseRequest};
use azure_api::lineage::{self, ArmMergeRequest, ArmSplitRequest};
use azure_api::patch::ArmPatch;
use azure_api::plan;
use azure_api::purchase;
use azure_api::scopes::{self, AvailableScopeRequest};
use azure_api::refund::{ArmCalculateRefundRequest, ArmCalculateRefundResponse, ArmRefundRequest};
use azure_api::reservation::{self as arm, List, ReservationResponse};
use azure_api::{filter, operations_list, ArmError, AzureOperation, NoOperation};
use contract::reservation::{Reservation, ReservationDetail};
use contract::Revision;
use contract::exchange::{CalculateExchangeResponse, CatalogItem};
use contract::{
    Approval, ApprovalStatus, CalculatePurchaseRequest, CalculatePurchaseResponse, CalculateRefundResponse, Customer, ExchangeOutcome, ProblemCode,
    PurchaseOutcome, ReturnOutcome, Scope,
};
use desk::{Call, DeskError, Operation};
use desk_service::payment_schedule::{self, PaymentStatus};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::auth;
use crate::state::AppState;

/// The Azure surface as OpenAPI 3.1, generated once from `azure_api::AzureOperation::ALL` and the
/// wire types (`azure_api::openapi::document`), served at `/providers/Microsoft.Capacity/openapi.json`.
pub static DOCUMENT: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| serde_json::to_string_pretty(&azure_api::openapi::document()).unwrap_or_default());

fn desk_error(e: DeskError) -> ArmError {
    if let DeskError::Store(err) = &e {
        tracing::error!(error = %err, "store error");
    }
    ArmError::from(&e.problem())
}


/// Answers any request below `/providers`.
pub async fn serve_providers(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match respond(&state, &method, &uri, query, &headers, &body).await {
        Ok(response) => response,
        Err(e) => crate::error::arm_error_response(e),
    }
}

fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

async fn respond(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, ArmError> {
    let path = crate::error::below_provider(uri.path()).ok_or_else(|| ArmError::not_found("This server answers only the Microsoft.Capacity provider."))?;
    // The surface's OpenAPI document is public and needs no api-version: it describes the version.
    if path.eq_ignore_ascii_case("/openapi.json") {
        return match *method {
            Method::GET | Method::HEAD => Ok(([(header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str()).into_response()),
            _ => Err(ArmError::method_not_allowed("GET, HEAD")),
        };
    }
    let Query(query) = query.map_err(|e| ArmError::malformed(format!("The query string cannot be read: {}", e.body_text()), None))?;
    ArmError::check_api_version(param(&query, "api-version"))?;
    let user = auth::sign_in(state, headers).await.map_err(desk_error)?;
    let (op, params) = AzureOperation::find(method.as_str(), &path).map_err(|e| match e {
        NoOperation::NoSuchPath => ArmError::not_found(format!("There is no operation at {path} in Microsoft.Capacity {}.", azure_api::API_VERSION)),
        NoOperation::MethodNotAllowed => ArmError::method_not_allowed(AzureOperation::allowed(&path)),
        NoOperation::Undecodable => ArmError::malformed("A segment of the path is not percent-encoded UTF-8: write each reserved character or non-ASCII byte as %XX.", None),
    })?;
    let call = crate::source::call_of(state, user, headers);
    let answer = operation(state, op, &params, &call, &query, headers, body).await;
    // A refusal names only a member of the request as it was sent.
    answer.map_err(|e| match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(sent) if matches!(*method, Method::POST | Method::PUT | Method::PATCH) => e.held_by(&sent),
        _ => e,
    })
}

/// Answers operation `op` for `call`, its path's `params`, `query` and `body`.
async fn operation(
    state: &AppState,
    op: AzureOperation,
    params: &[String],
    call: &Call,
    query: &[(String, String)],
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, ArmError> {
    let p = |i: usize| params.get(i).cloned().unwrap_or_default();
    use AzureOperation::*;
    match op {
        ListOperations => ok(&List { value: operations_list::operations() }),
        ListOrders => ok(&List { value: arm::orders(&all_reservations(state, call).await?) }),
        GetOrder => {
            let all = order_reservations(state, call, &p(0)).await?;
            let of = of_order(&all, &p(0));
            let mut answer = arm::order(&p(0), &of).ok_or_else(|| no_order(&p(0)))?;
            if plan::expands_schedule(param(query, "$expand")) {
                answer.properties.plan_information = Some(plan_information(&of, call.today())?);
            }
            ok(&answer)
        }
        ListAllReservations => {
            let wanted = filter::provisioning_states(param(query, "$filter"))?;
            let all = all_reservations(state, call).await?;
            ok(&List { value: all.iter().filter(|r| wanted.as_ref().is_none_or(|w| w.contains(&r.provisioning_state))).map(ReservationResponse::from).collect() })
        }
        ListOrderReservations => ok(&List { value: order(state, call, &p(0)).await?.properties.reservations }),
        GetReservation => {
            let detail: ReservationDetail = desk(state, call, Operation::GetReservation, params, None::<&()>).await?;
            ok(&ReservationResponse::from(&detail.reservation))
        }
        UpdateReservation => {
            let request: ArmPatch = read_body(headers, body)?;
            let changed: Reservation = desk(state, call, Operation::ChangeReservation, params, Some(&request.to_desk()?))
                .await
                .map_err(|e| scope_named_in_patch(azure_api::patch::within_patch(e), &request))?;
            ok(&ReservationResponse::from(&changed))
        }
        CalculateRefund => {
            let request: ArmCalculateRefundRequest = read_body(headers, body)?;
            let desk_request = request.to_desk(&p(0))?;
            // The desk's `reservationId` and `quantity` are the request's `reservationToReturn`'s.
            let calculated: CalculateRefundResponse = desk(state, call, Operation::CalculateRefund, params, Some(&desk_request))
                .await
                .map_err(|e| e.within("properties.reservationToReturn"))?;
            ok(&ArmCalculateRefundResponse::new(&p(0), &calculated))
        }
        Return => {
            let request: ArmRefundRequest = read_body(headers, body)?;
            let desk_request = request.to_desk(&p(0))?;
            match desk(state, call, Operation::Return, params, Some(&desk_request)).await.map_err(ArmError::within_properties)? {
                // As Azure answers: the order as it is after the return.
                ReturnOutcome::Done(_) => ok(&order(state, call, &p(0)).await?),
                // Waiting for another user's approval: Azure's long-running 202.
                ReturnOutcome::AwaitingApproval(approval) => Ok(waiting_for(&approval.id, None)),
            }
        }
        AvailableScopes => {
            let request: AvailableScopeRequest = read_body(headers, body)?;
            let detail: ReservationDetail = desk(state, call, Operation::GetReservation, params, None::<&()>).await?;
            let own: Vec<Scope> = desk(state, call, Operation::ListScopes, std::slice::from_ref(&detail.reservation.customer_id), None::<&()>).await?;
            ok(&scopes::available(&request.properties.scopes, &own))
        }
        CalculateExchange => {
            let request: ArmCalculateExchangeRequest = read_body(headers, body)?;
            let catalog: Vec<CatalogItem> = desk(state, call, Operation::Catalog, &[], None::<&()>).await?;
            let desk_request = request.to_desk(&catalog)?;
            // The subscription charged is one of the customer's own, checked before anything is
            // quoted (a refused request keeps no session). The customer is the returned
            // reservations'; where it cannot be read, the desk refuses the returns itself.
            if request.names_billing_scopes() {
                if let Some(subscriptions) = returns_subscriptions(state, call, &desk_request).await? {
                    request.check_billing_scopes(&subscriptions)?;
                }
            }
            match desk::<CalculateExchangeResponse, _>(state, call, Operation::CalculateExchange, &[], Some(&desk_request)).await {
                Ok(calculated) => ok(&exchange::calculated(&request, &calculated)),
                Err(refused) => ok(&request.refused(refused)?),
            }
        }
        Exchange => {
            let request: ArmExchangeRequest = read_body(headers, body)?;
            let session = request.session();
            let asked = contract::exchange::ExchangeRequest { session_id: session.desk.clone(), reason: None, ticket_reference: None };
            match desk(state, call, Operation::Exchange, &[], Some(&asked)).await.map_err(ArmExchangeRequest::refused)? {
                ExchangeOutcome::Done(done) => ok(&exchange::exchanged(&done, &billed(state, call, &done, session).await)),
                ExchangeOutcome::AwaitingApproval(approval) => Ok(waiting_for(&approval.id, Some(&session))),
            }
        }
        GetCatalog => {
            customer_of_subscription(state, call, &p(0)).await?.ok_or_else(|| no_subscription(&p(0)))?;
            let catalog: Vec<CatalogItem> = desk(state, call, Operation::Catalog, &[], None::<&()>).await?;
            ok(&purchase::catalogs(&catalog, param(query, "reservedResourceType"), param(query, "location"), call.today()))
        }
        CalculatePrice => {
            let request: PurchaseRequest = read_body(headers, body)?;
            let (subscription, member) = purchase::charged_subscription(&request)
                .ok_or_else(|| ArmError::malformed("Give properties.billingScopeId: the customer's subscription that is charged.", Some("properties.billingScopeId")))?;
            let customer = customer_of_subscription(state, call, subscription).await?.ok_or_else(|| {
                ArmError::from(&contract::Problem::new(ProblemCode::ScopeInvalid, format!("{subscription} is no subscription of a customer you manage."), Some(member.to_owned())))
            })?;
            let catalog: Vec<CatalogItem> = desk(state, call, Operation::Catalog, &[], None::<&()>).await?;
            let desk_request = CalculatePurchaseRequest { customer_id: customer, purchase: request.to_desk(&catalog, "")?, on_demand: None };
            let calculated: CalculatePurchaseResponse =
                desk(state, call, Operation::CalculatePurchase, &[], Some(&desk_request)).await.map_err(purchase::as_requested)?;
            if let Some(refusal) = calculated.quote.policy_errors.first() {
                let detail = format!("The purchase is refused: {}", refusal.message);
                return Err(ArmError::from(&contract::Problem::new(ProblemCode::PolicyRefused, detail, None)));
            }
            ok(&purchase::calculated(&calculated, &request.sku.name, &request.location, request.properties.term, &calculated.commitment_usd))
        }
        Purchase => {
            let request: PurchaseRequest = read_body(headers, body)?;
            let catalog: Vec<CatalogItem> = desk(state, call, Operation::Catalog, &[], None::<&()>).await?;
            let asked = contract::PurchaseRequest { session_id: p(0), reason: None, ticket_reference: None, purchase: Some(request.to_desk(&catalog, "")?) };
            match desk(state, call, Operation::Purchase, &[], Some(&asked)).await.map_err(purchase::as_requested)? {
                // As Azure answers: the order bought.
                PurchaseOutcome::Done(done) => ok(&order(state, call, &done.reservation_order_id).await?),
                PurchaseOutcome::AwaitingApproval(approval) => Ok(waiting_for(&approval.id, None)),
            }
        }
        ApprovalResult => {
            let approval: Approval = desk(state, call, Operation::GetApproval, params, None::<&()>).await?;
            // The session of an exchange, as the `Location` of its 202 carries it (its billing
            // scopes), when it is the approval's own.
            let session = param(query, "sessionId").map(exchange::ArmSession::parse).filter(|s| s.desk == approval.session_id);
            match approval.status {
                ApprovalStatus::Pending | ApprovalStatus::NeedsApprovalAgain => Ok(waiting_for(&approval.id, session.as_ref())),
                ApprovalStatus::Approved => match (&approval.exchange, &approval.reservation_order_id) {
                    _ if approval.purchase.is_some() => {
                        let order_id = approval.purchase.as_ref().map(|p| p.reservation_order_id.clone()).unwrap_or_default();
                        ok(&order(state, call, &order_id).await?)
                    }
                    (Some(done), _) => ok(&exchange::exchanged(done, &billed(state, call, done, session.unwrap_or_default()).await)),
                    (None, Some(order_id)) => ok(&order(state, call, order_id).await?),
                    (None, None) => Err(ArmError::internal("An approved request names neither its order nor its exchange.")),
                },
                ApprovalStatus::Rejected => {
                    let by = approval.decided_by.as_ref().map_or_else(String::new, |p| format!(" by {}", p.display_name));
                    let reason = approval.rejection_reason.unwrap_or_default();
                    Err(desk_error(DeskError::Refused(contract::Problem::new(
                        ProblemCode::ApprovalClosed,
                        format!("The request was rejected{by}: {reason}. Nothing moved."),
                        None,
                    ))))
                }
                ApprovalStatus::Expired => Err(desk_error(DeskError::Refused(contract::Problem::new(
                    ProblemCode::ApprovalExpired,
                    format!("The request expired at {} without a decision. Nothing moved.", approval.expires_at),
                    None,
                )))),
            }
        }
        Split => {
            let request: ArmSplitRequest = read_body(headers, body)?;
            let desk_request = request.to_desk(&p(0))?;
            let changed: Vec<Reservation> =
                desk(state, call, Operation::SplitReservation, params, Some(&desk_request)).await.map_err(ArmError::within_properties)?;
            ok(&lineage::split_answer(&changed))
        }
        Merge => {
            let request: ArmMergeRequest = read_body(headers, body)?;
            let desk_request = request.to_desk(&p(0))?;
            let changed: Vec<Reservation> =
                desk(state, call, Operation::MergeReservations, params, Some(&desk_request)).await.map_err(ArmError::within_properties)?;
            ok(&lineage::merge_answer(&changed))
        }
        Archive | Unarchive => {
            // No body either way, as the specification has it; the desk's answer is not needed.
            let operation = if op == Archive { Operation::ArchiveReservation } else { Operation::UnarchiveReservation };
            let _done: Reservation = desk(state, call, operation, params, None::<&()>).await?;
            Ok(StatusCode::OK.into_response())
        }
        ListRevisions => {
            let revisions: Vec<Revision> = desk(state, call, Operation::ListRevisions, params, None::<&()>).await?;
            // The configuration's revisions, each with its own ID: the money moves the desk's
            // History shows among them carry the number of the revision they were made under.
            let money = [contract::AuditAction::Refund.code(), contract::AuditAction::Exchange.code()];
            ok(&List { value: revisions.iter().filter(|r| !money.contains(&r.action.as_str())).map(ReservationResponse::revision).collect() })
        }
    }
}

/// A long-running return or exchange that waits for approval `approval_id`: 202, no body, the
/// `Location` to poll and `Retry-After`. An exchange's `Location` carries its `session` when that
/// names billing scopes, so that its result answers each plan as it was asked, as `exchange` does.
fn waiting_for(approval_id: &str, session: Option<&exchange::ArmSession>) -> Response {
    let mut response = StatusCode::ACCEPTED.into_response();
    let mut location = azure_api::operation::approval_location(approval_id);
    // The session ID is the desk's GUID and subscription GUIDs joined by `~`: nothing to escape.
    if let Some(id) = session.map(exchange::ArmSession::id).filter(|id| id.contains('~')) {
        location = format!("{location}&sessionId={id}");
    }
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(azure_api::operation::APPROVAL_RETRY_AFTER_SECONDS));
    response
}

fn ok<T: Serialize>(value: &T) -> Result<Response, ArmError> {
    Ok((StatusCode::OK, axum::Json(value)).into_response())
}

/// The body as `T`, or a 400 naming the field serde blamed (415 when it is not JSON).
fn read_body<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, ArmError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(ArmError::not_json());
    }
    let mut parser = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut parser).map_err(|e| {
        let path = e.path().to_string();
        let known = !path.is_empty() && path != "." && !path.contains('?');
        ArmError::malformed(format!("The request body is not valid for this operation: {}", e.inner()), known.then_some(path.as_str()))
    })?;
    parser.end().map_err(|e| ArmError::malformed(format!("The request body is not valid for this operation: {e}"), None))?;
    Ok(value)
}

/// Asks the desk to answer operation `op` (its role check, validation and decision) and reads
/// the answer as `T`.
async fn desk<T: DeserializeOwned, B: Serialize>(state: &AppState, call: &Call, op: Operation, params: &[String], body: Option<&B>) -> Result<T, ArmError> {
    let source = state.desk.settings().source;
    if let Some(problem) = crate::source::refuse::refusal(&state.desk.settings(), op).or_else(|| crate::source::changes::refused_on_arm_surface(source, op)) {
        return Err(desk_error(DeskError::Refused(problem)));
    }
    let text = body.map(serde_json::to_string).transpose().map_err(|e| ArmError::internal(e.to_string()))?;
    let reply = state.desk.handle(call, op, params, &[], text.as_deref()).await.map_err(desk_error)?;
    serde_json::from_str(reply.body.as_deref().unwrap_or("null")).map_err(|e| ArmError::internal(format!("The desk's answer could not be read: {e}")))
}

/// A desk refusal of a PATCH whose target is the scope (`properties.appliedScopeProperties`)
/// naming the member of `request` that names it ([`exchange::scope_member`]).
fn scope_named_in_patch(mut e: ArmError, request: &ArmPatch) -> ArmError {
    if e.body.error.target.as_deref() == Some("properties.appliedScopeProperties") {
        let p = &request.properties;
        e.body.error.target = Some(exchange::scope_member("properties", p.applied_scope_type, p.applied_scope_properties.as_ref(), p.applied_scopes.as_deref()));
    }
    e
}

/// The subscriptions of `customer` (its scopes, through the desk: its role check and grants),
/// or `None` when the caller may not read them.
async fn subscriptions(state: &AppState, call: &Call, customer: &str) -> Option<Vec<String>> {
    let scopes: Vec<Scope> = desk(state, call, Operation::ListScopes, &[customer.to_owned()], None::<&()>).await.ok()?;
    Some(exchange::subscriptions_of(&scopes))
}

/// The subscriptions of the customer whose reservations `request` returns: its first line's
/// reservation's customer, found in the store only to route (as an order's is), its scopes read
/// through the desk. `None` when there is no such reservation or the caller may not read them:
/// the desk then refuses the line itself.
async fn returns_subscriptions(state: &AppState, call: &Call, request: &contract::exchange::CalculateExchangeRequest) -> Result<Option<Vec<String>>, ArmError> {
    use desk::Store as _;
    let Some(first) = request.reservations_to_exchange.first() else { return Ok(None) };
    let found = state.desk.store().reservations_by_ids(std::slice::from_ref(&first.reservation_id)).await.map_err(|e| desk_error(e.into()))?;
    let customer = found
        .into_iter()
        .map(|(r, _)| r)
        .find(|r| first.reservation_order_id.as_deref().is_none_or(|order| order == r.reservation_order_id))
        .map(|r| r.customer_id);
    Ok(match customer {
        Some(c) => subscriptions(state, call, &c).await,
        None => None,
    })
}

/// `session` with only the billing scopes that are the subscriptions of the customer of the
/// exchange `done` (the session ID came from the client).
async fn billed(state: &AppState, call: &Call, done: &contract::exchange::ExchangeResponse, session: exchange::ArmSession) -> exchange::ArmSession {
    let own = match done.savings_plans.first() {
        Some(plan) => subscriptions(state, call, &plan.customer_id).await.unwrap_or_default(),
        None => Vec::new(),
    };
    session.billed_to(&own)
}

/// The customer (of those the caller sees) whose subscription `subscription` is: a GUID or a
/// full `/subscriptions/{id}`, compared ignoring case.
async fn customer_of_subscription(state: &AppState, call: &Call, subscription: &str) -> Result<Option<String>, ArmError> {
    let wanted = format!("/subscriptions/{}", subscription.trim_start_matches("/subscriptions/").trim_start_matches("/Subscriptions/"));
    let customers: Vec<Customer> = desk(state, call, Operation::ListCustomers, &[], None::<&()>).await?;
    for c in customers {
        if subscriptions(state, call, &c.id).await.unwrap_or_default().iter().any(|s| s.eq_ignore_ascii_case(&wanted)) {
            return Ok(Some(c.id));
        }
    }
    Ok(None)
}

fn no_subscription(subscription: &str) -> ArmError {
    ArmError::new(404, "SubscriptionNotFound", format!("The subscription {subscription} is no subscription of a customer you manage."), None)
}

/// Every reservation the caller may see: each customer's, through the desk.
async fn all_reservations(state: &AppState, call: &Call) -> Result<Vec<Reservation>, ArmError> {
    let customers: Vec<Customer> = desk(state, call, Operation::ListCustomers, &[], None::<&()>).await?;
    let mut all = Vec::new();
    for c in customers {
        let mut of: Vec<Reservation> = desk(state, call, Operation::ListReservations, std::slice::from_ref(&c.id), None::<&()>).await?;
        all.append(&mut of);
    }
    Ok(all)
}

fn of_order<'a>(all: &'a [Reservation], order_id: &str) -> Vec<&'a Reservation> {
    all.iter().filter(|r| r.reservation_order_id == order_id).collect()
}

fn no_order(order_id: &str) -> ArmError {
    ArmError::not_found(format!("There is no reservation order {order_id}."))
}

/// The reservations of the customer whose order `order_id` is, through the desk (its role check
/// and grants; a customer the caller may not see is the same 404 as no order): the order's
/// customer looked up directly, then that one customer's list, not every customer's.
async fn order_reservations(state: &AppState, call: &Call, order_id: &str) -> Result<Vec<Reservation>, ArmError> {
    use desk::Store as _;
    let customer = state.desk.store().order_customer(order_id).await.map_err(|e| desk_error(e.into()))?;
    let customer = customer.ok_or_else(|| no_order(order_id))?;
    desk(state, call, Operation::ListReservations, std::slice::from_ref(&customer), None::<&()>).await.map_err(|e| {
        if e.status == StatusCode::NOT_FOUND.as_u16() { no_order(order_id) } else { e }
    })
}

/// The order `order_id`, or a 404.
async fn order(state: &AppState, call: &Call, order_id: &str) -> Result<arm::ReservationOrderResponse, ArmError> {
    let all = order_reservations(state, call, order_id).await?;
    arm::order(order_id, &of_order(&all, order_id)).ok_or_else(|| no_order(order_id))
}

/// The payment plan of an order made of `reservations` as of `today`: the desk's rule
/// (`desk_service::payment_schedule`), written as ARM writes it.
fn plan_information(reservations: &[&Reservation], today: chrono::NaiveDate) -> Result<plan::ReservationOrderBillingPlanInformation, ArmError> {
    let schedule = payment_schedule::order_plan(reservations, today)
        .map_err(|e| ArmError::internal(format!("The order's payment plan could not be computed: {e}")))?
        .ok_or_else(|| ArmError::internal("An order without reservations has no payment plan."))?;
    let payments: Vec<plan::Payment> = schedule
        .payments
        .iter()
        .map(|p| plan::Payment { due: p.due, paid: p.status == PaymentStatus::Succeeded, billing: p.billing, pricing: p.pricing })
        .collect();
    Ok(plan::ReservationOrderBillingPlanInformation::new(schedule.start, schedule.pricing_total.as_ref(), schedule.next_due, &payments))
}
