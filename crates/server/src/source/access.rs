//! Access control (IAM) in Azure mode: the role assignments of a reservation order are ARM's
//! (Microsoft.Authorization 2022-04-01) in the customer's tenant, read and made on behalf of the
//! signed-in user, never the desk's own records. The steps, as for the other changes made
//! through ARM (`changes.rs`):
//!
//! 1. the desk checks the request ([`desk::Desk::check_azure_access`]: permission and grants,
//!    the order known to the cache, a new assignment's role and object ID), writing nothing;
//! 2. ARM is asked in the customer's tenant: the list (every `nextLink`), a `PUT` of a new
//!    assignment under a new GUID, or a `DELETE`;
//! 3. the list is read back from ARM (an addition answers the assignment as listed after);
//! 4. the desk records an addition or a removal ([`desk::Desk::record_azure_access`]: an audit
//!    entry with who asked, what Azure answered and its request IDs);
//! 5. the answer is the endpoint's own: the list, the new assignment (201), or 204.
//!
//! Role names: the six roles of reservations are known by Microsoft's built-in IDs; any other
//! role's name is read from its role definition (by ID; when that fails, the ID is shown).
//! Principals are named from the customer's directory through Microsoft Graph, on behalf of the
//! same user (the application consent grants the desk's API app Graph's `User.ReadBasic.All`,
//! `GroupMember.Read.All` and `Application.Read.All` there): each kind's names read by object ID
//! (`azure_client::Collection`, 15 a request); where Graph refuses (only that request's IDs),
//! or has no such object, the principal is shown by its object ID and type with why
//! (`unnamedBecause`), and so is one Graph is not asked about: a foreign group, a kind the desk
//! does not know (a device), an ID that is no GUID. The people picker
//! (`GET …/principals?search=`) searches the same directory by name, e-mail or object ID; a kind
//! Graph refuses is listed with what the refusal means ([`RefusalKind`]: not allowed, not
//! consented, busy for so many seconds, unavailable), Graph's code, message and status, and its
//! principals are given by object ID.
//!
//! Azure refusing answers `upstreamForbidden` (403: `AuthorizationFailed`) or `upstreamRefused`
//! (409: `RoleAssignmentExists`, `PrincipalNotFound`, …) with Azure's code, message and request
//! IDs (the console's Access control panel says what each of those codes means); Azure out of
//! reach answers `upstreamUnavailable` (503). Nothing is recorded then.

use std::collections::HashMap;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use azure_api::role_assignment::RoleAssignmentCreate;
use azure_client::{AzureError, OnBehalfOf};
use azure_client::{Collection, Named};
use contract::{DataSource, DirectoryRefusal, PrincipalSearch, PrincipalType, Problem, ProblemCode, RefusalKind, ReservationRole, RoleAssignment, User};
use desk::desk::AccessChange;
use desk::{Call, DeskError, Operation};

use super::routes::acting;
use crate::error::ApiError;
use crate::state::AppState;

/// Whether `op` under `source` is answered from ARM by [`serve`].
pub fn through_arm(source: DataSource, op: Operation) -> bool {
    source == DataSource::Azure && desk::desk::is_azure_access(op)
}

fn refused(code: ProblemCode, detail: String) -> ApiError {
    ApiError(DeskError::Refused(Problem::new(code, detail, None)))
}

/// The problem Azure's failure answers, `what` saying what it did not do: Azure's code, message
/// and request IDs (the console says what each code of ARM's means in the user's language).
fn failure(error: &AzureError, what: &str) -> ApiError {
    ApiError(super::azure_answer::error(error.clone()).problem(what))
}

fn json(status: StatusCode, body: &impl serde::Serialize) -> Result<Response, ApiError> {
    let text = serde_json::to_string(body).map_err(|e| refused(ProblemCode::Internal, e.to_string()))?;
    Ok((status, [(header::CONTENT_TYPE, "application/json")], text).into_response())
}

/// The order's role assignments as ARM lists them, role names filled in from their definitions.
async fn list(state: &AppState, user: &OnBehalfOf, tenant: &str, order_id: &str) -> Result<Vec<RoleAssignment>, AzureError> {
    let Some(source) = state.source.clone() else { return Err(AzureError::new("NotAzureMode", "This desk is not reading Azure.")) };
    let listed = source.client.role_assignments(user, tenant, order_id).await?;
    for why in &listed.skipped {
        tracing::warn!(order = %order_id, "a role assignment ARM listed was set aside: {why}");
    }
    let mut names: HashMap<String, Option<String>> = HashMap::new();
    for read in &listed.read {
        let id = &read.role_definition_id;
        if ReservationRole::of_definition(id) != ReservationRole::Other || names.contains_key(id) {
            continue;
        }
        let name = match source.client.role_definition(user, tenant, id).await {
            Ok(definition) => definition.role_name().map(str::to_owned),
            Err(error) => {
                tracing::info!(definition = %id, code = %error.code, "a role definition's name could not be read: {}", error.message);
                None
            }
        };
        names.insert(id.clone(), name);
    }
    Ok(listed.read.iter().map(|read| read.to_contract(order_id, names.get(&read.role_definition_id).cloned().flatten())).collect())
}

/// What Graph's (or, for Graph's scope, the token endpoint's) refusal means to the user.
fn refusal_kind(error: &AzureError) -> RefusalKind {
    if azure_client::consent_missing(&error.code, &error.message) {
        RefusalKind::NotConsented
    } else if error.retry_after.is_some() || error.status == Some(429) || error.code == "Throttled" {
        RefusalKind::Throttled
    } else if matches!(error.status, Some(401 | 403)) || matches!(error.code.as_str(), "invalid_grant" | "interaction_required" | "unauthorized_client") {
        RefusalKind::Forbidden
    } else if matches!(error.status, Some(400..=499)) {
        RefusalKind::BadQuery
    } else {
        RefusalKind::Unavailable
    }
}

/// Graph's refusal as the desk says it: what it means when that is not in Graph's own words (not
/// consented in this tenant; busy for so many seconds), then Graph's message and request IDs.
fn refusal_message(error: &AzureError) -> String {
    let said = match refusal_kind(error) {
        RefusalKind::NotConsented => format!(
            "Microsoft Graph is not consented in this tenant (the desk's application consent there does not grant Graph's directory reads: renew it): {}",
            error.message
        ),
        RefusalKind::Throttled if !error.message.contains("Retry-After") => {
            format!("{} (Microsoft Graph is busy: try again in {} s)", error.message, error.retry_after.unwrap_or(1))
        }
        _ => error.message.clone(),
    };
    let ids = error.request.to_string();
    if ids.is_empty() { said } else { format!("{said} [{ids}]") }
}

/// Graph's failure in a line: its code, message and request IDs.
fn graph_says(error: &AzureError) -> String {
    format!("Microsoft Graph: {}: {}", error.code, refusal_message(error))
}

/// The picker's refusal of `collection`'s kind for `error`.
fn refusal(collection: Collection, error: &AzureError) -> DirectoryRefusal {
    DirectoryRefusal {
        principal_type: collection.principal_type(),
        kind: refusal_kind(error),
        code: error.code.clone(),
        message: refusal_message(error),
        status: error.status,
        retry_after: error.retry_after,
    }
}

/// Why Graph is not asked for `a`'s name: a kind none of Graph's lists holds, or an ID that is
/// no object ID.
fn not_asked(a: &RoleAssignment) -> Option<String> {
    let id = a.assignment.principal_id.as_deref().unwrap_or_default();
    Some(match a.assignment.principal_type {
        PrincipalType::ForeignGroup => "Microsoft Graph does not name a foreign group (a group of another directory): it is shown by its object ID.".into(),
        PrincipalType::Unknown => "ARM names a kind of principal that is not a user, group or application (a device, for one): Microsoft Graph is not asked for its name.".into(),
        _ if !desk_service::access_control::is_object_id(id) => {
            format!("ARM's principalId '{id}' is not an object ID (a GUID): Microsoft Graph cannot be asked for its name.")
        }
        _ => return None,
    })
}

/// Names the principals of `kind` in `listed` from what Graph answered for their object IDs:
/// a name and e-mail, else Graph's refusal of the request that asked for it, else that Graph has
/// no such object. Those with a reason already (not asked) are left as they are.
fn name_from(listed: &mut [RoleAssignment], kind: PrincipalType, answered: &Named) {
    for a in listed.iter_mut().filter(|a| a.assignment.principal_type == kind && a.unnamed_because.is_none()) {
        let id = a.assignment.principal_id.as_deref().unwrap_or_default();
        if let Some(p) = answered.principals.iter().find(|p| p.id.eq_ignore_ascii_case(id)) {
            a.display_name = Some(p.display_name.clone());
            a.email = p.email.clone();
        } else if let Some((_, error)) = answered.refused.iter().find(|(ids, _)| ids.iter().any(|i| i.eq_ignore_ascii_case(id))) {
            a.unnamed_because = Some(graph_says(error));
        } else {
            a.unnamed_because = Some("Microsoft Graph has no such object in the customer's directory (it may have been deleted).".into());
        }
    }
}

/// What a directory read of users (the people picker's, or the names of a list's users) tells of
/// the desk's directory reads in the tenant: kept on the customer
/// (`desk::Desk::record_directory_answer`), for the readiness table and the next consent run.
async fn keep_directory(state: &AppState, customer_id: &str, users: Result<(), &AzureError>) {
    let now = state.now();
    let error = users.err().map(|e| contract::source::SourceError {
        code: e.code.clone(),
        message: e.message.clone(),
        status: e.status,
        at: desk::source::instant_text(now),
        request: (*e.request).clone(),
    });
    if let Err(err) = state.desk.record_directory_answer(now, customer_id, error.as_ref().map_or(Ok(()), Err)).await {
        tracing::error!(customer = %customer_id, error = %err, "keeping what Microsoft Graph said of the customer's directory failed");
    }
}

/// `listed` with each principal's name and e-mail from the customer's directory (Microsoft
/// Graph, by object ID, one request per kind and 15 IDs), or why it has none; what Graph said
/// to the users' names is kept on `customer_id`.
async fn named(state: &AppState, user: &OnBehalfOf, tenant: &str, customer_id: &str, mut listed: Vec<RoleAssignment>) -> Vec<RoleAssignment> {
    let Some(source) = state.source.clone() else { return listed };
    for a in listed.iter_mut() {
        a.unnamed_because = not_asked(a);
    }
    for collection in Collection::ALL {
        let kind = collection.principal_type();
        let mut ids: Vec<String> =
            listed.iter().filter(|a| a.assignment.principal_type == kind && a.unnamed_because.is_none()).filter_map(|a| a.assignment.principal_id.clone()).collect();
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            continue;
        }
        let answered = source.client.principals_named(user, tenant, collection, &ids).await;
        for (_, error) in &answered.refused {
            tracing::info!(tenant = %tenant, code = %error.code, "Graph did not name some principals of a role assignment list: {}", error.message);
        }
        if collection == Collection::Users {
            keep_directory(state, customer_id, answered.refused.first().map_or(Ok(()), |(_, e)| Err(e))).await;
        }
        name_from(&mut listed, kind, &answered);
    }
    listed
}

/// The people picker: Graph's users, groups and service principals of `tenant` matching `text`,
/// and each kind Graph refused with what that means; what Graph said to the users' search is kept
/// on `customer_id`.
async fn search(state: &AppState, user: &OnBehalfOf, tenant: &str, customer_id: &str, text: &str) -> PrincipalSearch {
    let Some(source) = state.source.clone() else { return PrincipalSearch::default() };
    let mut out = PrincipalSearch::default();
    for (collection, answer) in source.client.search_principals(user, tenant, text).await {
        if collection == Collection::Users {
            keep_directory(state, customer_id, answer.as_ref().map(|_| ())).await;
        }
        match answer {
            Ok(found) => out.principals.extend(found.principals),
            Err(error) => {
                tracing::info!(tenant = %tenant, code = %error.code, "Graph did not search the customer's directory: {}", error.message);
                out.refused.push(refusal(collection, &error));
            }
        }
    }
    out
}

/// Answers `op` (one of [`through_arm`]'s) for `user` from ARM: the steps of this module.
pub async fn serve(
    state: &AppState, user: User, headers: &HeaderMap, op: Operation, params: &[String], query: &[(String, String)], request: Option<&str>,
) -> Result<Response, ApiError> {
    let acting = acting(&user, headers)?;
    let call = Call::new(user, state.now());
    let checked = state.desk.check_azure_access_with(&call, op, params, query, request).await?;
    let tenant = match desk::source::SourceStore::source_status(state.desk.store(), &checked.customer_id).await.map_err(DeskError::from)? {
        Some(status) => status.tenant_id,
        None => return Err(refused(ProblemCode::NotFound, format!("Customer {} was not read from Azure.", checked.customer_id))),
    };
    let Some(source) = state.source.clone() else { return Err(refused(ProblemCode::NotFound, desk::source::NOT_READING_AZURE.into())) };
    let (user, order) = (&acting.obo, checked.order_id.as_str());
    match &checked.change {
        AccessChange::List => {
            let listed = list(state, user, &tenant, order).await.map_err(|e| failure(&e, "did not list who has access"))?;
            json(StatusCode::OK, &named(state, user, &tenant, &checked.customer_id, listed).await)
        }
        AccessChange::Search { text } => json(StatusCode::OK, &search(state, user, &tenant, &checked.customer_id, text).await),
        AccessChange::Add(new) => {
            let principal = new.principal_id.clone().unwrap_or_default();
            let Some(body) = RoleAssignmentCreate::new(new.role, &principal, new.principal_type) else {
                return Err(refused(ProblemCode::MalformedRequest, "Choose one of the roles that apply to reservations.".into()));
            };
            let name = uuid::Uuid::new_v4().to_string();
            let (made, ids) = match source.client.create_role_assignment(user, &tenant, order, &name, &body).await {
                Ok(made) => made,
                Err(error) => {
                    tracing::info!(order = %order, code = %error.code, "Azure did not add the role assignment: {}", error.message);
                    return Err(failure(&error, "did not add the role assignment"));
                }
            };
            let answer = format!("HTTP 201, role assignment {} [{ids}]", made.name);
            state.desk.record_azure_access(&call, &checked, &made.name, &answer).await?;
            // The list read back: the assignment as ARM lists it now (its answer when the list
            // cannot be read at once).
            let after = match list(state, user, &tenant, order).await {
                Ok(after) => {
                    let found: Vec<RoleAssignment> = after.into_iter().filter(|a| a.id.eq_ignore_ascii_case(&made.name)).collect();
                    named(state, user, &tenant, &checked.customer_id, found).await.into_iter().next()
                }
                Err(error) => {
                    tracing::warn!(order = %order, code = %error.code, "reading the role assignments after an addition failed: {}", error.message);
                    None
                }
            };
            json(StatusCode::CREATED, &after.unwrap_or_else(|| made.to_contract(order, None)))
        }
        AccessChange::Remove { id } => {
            let listed = list(state, user, &tenant, order).await.map_err(|e| failure(&e, "did not list who has access"))?;
            let Some(found) = listed.iter().find(|a| a.id.eq_ignore_ascii_case(id)) else {
                return Err(refused(ProblemCode::NotFound, format!("Reservation order '{order}' has no role assignment '{id}' in Azure.")));
            };
            if found.inherited {
                let at = found.scope.clone().unwrap_or_else(|| "/".into());
                return Err(ApiError(desk_service::ServiceError::new(
                    ProblemCode::UpstreamRefused,
                    format!("This role assignment is given at {at} and inherited by the order: remove it there, in the Azure portal."),
                )
                .into()));
            }
            let (status, ids) = match source.client.delete_role_assignment(user, &tenant, order, id).await {
                Ok(done) => done,
                Err(error) => {
                    tracing::info!(order = %order, code = %error.code, "Azure did not remove the role assignment: {}", error.message);
                    return Err(failure(&error, "did not remove the role assignment"));
                }
            };
            state.desk.record_azure_access(&call, &checked, id, &format!("HTTP {status} [{ids}]")).await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arms_refusals_carry_azures_code_message_and_request_ids() {
        let mut error = AzureError::new("RoleAssignmentExists", "The role assignment already exists.");
        error.status = Some(409);
        *error.request = contract::source::AzureRequestIds { client_request_id: Some("c-1".into()), request_id: Some("r-1".into()), correlation_id: None };
        let problem = failure(&error, "did not add the role assignment").0;
        let DeskError::Refused(p) = problem else { panic!("{problem:?}") };
        assert_eq!((p.status, p.code), (409, ProblemCode::UpstreamRefused));
        assert!(p.detail.contains("RoleAssignmentExists") && p.detail.contains("r-1") && p.detail.contains("already exists"), "{}", p.detail);
        let mut forbidden = AzureError::new("AuthorizationFailed", "no");
        forbidden.status = Some(403);
        let DeskError::Refused(p) = failure(&forbidden, "x").0 else { panic!() };
        assert_eq!((p.status, p.code), (403, ProblemCode::UpstreamForbidden));
        for op in Operation::ALL {
            assert!(!through_arm(DataSource::Local, op), "{op:?}");
        }
        assert!(through_arm(DataSource::Azure, Operation::ListRoleAssignments));
    }

    fn error(status: Option<u16>, code: &str, message: &str) -> AzureError {
        let mut e = AzureError::new(code, message);
        e.status = status;
        e
    }

    #[test]
    fn graphs_refusals_say_not_allowed_not_consented_busy_for_so_long_or_unavailable() {
        let aadsts = "AADSTS65001: The user or administrator has not consented to use the application with ID 'desk-api-app'.";
        let mut busy = error(Some(429), "TooManyRequests", "Too many requests. (Retry-After: 120 s)");
        busy.retry_after = Some(120);
        let mut paused = error(None, "Throttled", "Microsoft Graph's users in tenant t is busy: Microsoft Graph asked to wait (Retry-After: 90 s)");
        paused.retry_after = Some(90);
        for (e, kind) in [
            (error(Some(403), "Authorization_RequestDenied", "Insufficient privileges to complete the operation."), RefusalKind::Forbidden),
            (error(Some(400), "invalid_grant", aadsts), RefusalKind::NotConsented),
            (error(Some(400), "consent_required", "no"), RefusalKind::NotConsented),
            (busy.clone(), RefusalKind::Throttled),
            (paused, RefusalKind::Throttled),
            (error(Some(400), "Request_BadRequest", "Syntax error"), RefusalKind::BadQuery),
            (error(Some(500), "UnknownError", "x"), RefusalKind::Unavailable),
            (error(None, "Timeout", "did not answer in time"), RefusalKind::Unavailable),
            (error(Some(400), "invalid_grant", "AADSTS50013: Assertion failed signature validation"), RefusalKind::Forbidden),
        ] {
            assert_eq!(refusal_kind(&e), kind, "{e:?}");
        }
        *busy.request = contract::source::AzureRequestIds { client_request_id: Some("c-1".into()), request_id: Some("r-9".into()), correlation_id: None };
        let r = refusal(Collection::Users, &busy);
        assert_eq!((r.kind, r.status, r.retry_after, r.principal_type), (RefusalKind::Throttled, Some(429), Some(120), PrincipalType::User));
        assert!(r.message.contains("Retry-After: 120 s") && r.message.contains("request ID r-9"), "{}", r.message);
        let r = refusal(Collection::Groups, &error(Some(400), "invalid_grant", aadsts));
        assert!(r.message.starts_with("Microsoft Graph is not consented in this tenant") && r.message.contains("AADSTS65001"), "{}", r.message);
        assert!(graph_says(&error(Some(400), "invalid_grant", aadsts)).contains("not consented in this tenant"));
    }

    fn assigned(id: &str, principal: &str, kind: PrincipalType) -> RoleAssignment {
        let new = contract::NewRoleAssignment { principal_name: principal.into(), principal_type: kind, role: ReservationRole::Reader, principal_id: Some(principal.into()) };
        RoleAssignment::local(id.into(), "order", new)
    }

    #[test]
    fn a_foreign_group_an_unknown_kind_and_an_id_that_is_no_guid_say_why_graph_is_not_asked() {
        let foreign = assigned("a", "11111111-1111-4111-8111-111111111111", PrincipalType::ForeignGroup);
        assert!(not_asked(&foreign).unwrap().contains("does not name a foreign group"));
        let device = assigned("b", "22222222-2222-4222-8222-222222222222", PrincipalType::Unknown);
        assert!(not_asked(&device).unwrap().contains("a device"));
        let odd = assigned("c", "not-a-guid", PrincipalType::User);
        assert!(not_asked(&odd).unwrap().contains("'not-a-guid' is not an object ID"));
        assert_eq!(not_asked(&assigned("d", "33333333-3333-4333-8333-333333333333", PrincipalType::Group)), None);
    }

    #[test]
    fn a_refused_request_marks_only_its_own_ids_and_the_others_keep_their_names() {
        let ids: Vec<String> = (0..20).map(|i| format!("00000000-0000-4000-8000-{i:012}")).collect();
        let mut listed: Vec<RoleAssignment> = ids.iter().enumerate().map(|(i, id)| assigned(&i.to_string(), id, PrincipalType::User)).collect();
        listed.push(assigned("group", &ids[0], PrincipalType::Group));
        let found = |id: &String| contract::Principal { id: id.clone(), display_name: format!("User {id}"), principal_type: PrincipalType::User, email: None, app_id: None };
        let mut refused = error(Some(503), "ServiceUnavailable", "Graph is down.");
        *refused.request = contract::source::AzureRequestIds { client_request_id: Some("c-2".into()), request_id: Some("r-2".into()), correlation_id: None };
        // The first request found 14 of its 15 (one deleted); the second was refused.
        let answered = Named { principals: ids[..14].iter().map(found).collect(), refused: vec![(ids[15..].to_vec(), refused)] };
        name_from(&mut listed, PrincipalType::User, &answered);
        assert!(listed[..14].iter().all(|a| a.display_name.is_some() && a.unnamed_because.is_none()), "{listed:?}");
        assert!(listed[14].unnamed_because.as_deref().unwrap().contains("no such object"), "{:?}", listed[14]);
        for a in &listed[15..20] {
            let why = a.unnamed_because.as_deref().unwrap();
            assert!(why.contains("ServiceUnavailable") && why.contains("request ID r-2"), "{why}");
        }
        assert_eq!((listed[20].display_name.as_ref(), listed[20].unnamed_because.as_ref()), (None, None), "another kind is named by its own requests");
    }
}
