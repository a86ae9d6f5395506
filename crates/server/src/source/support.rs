//! New support request in Azure mode: an Azure support ticket (Microsoft.Support 2024-04-01) in
//! the customer's tenant, made on behalf of the signed-in user, so the request reaches Microsoft
//! instead of staying the desk's own record. The steps:
//!
//! 1. the desk checks the request as in local mode ([`desk::Desk::check_azure_support`]:
//!    permission and grants, the reservation in the cache, every field) and fixes the ticket's
//!    name from the request; a request already recorded for that name is answered as it is (a
//!    retried submit);
//! 2. what Microsoft.Support requires beyond the wizard is checked, before Azure is asked: a
//!    first and last name, the country (ISO 3166-1 alpha-3), a time zone of Microsoft's Time
//!    Zone Index (the browser's IANA zone is translated), one of Azure's support languages;
//! 3. the subscription the ticket is filed in: the one the reservation applies to (a single
//!    scope's subscription, a resource group scope's subscription), else — shared or
//!    management group scope — the first active subscription (by ID) the user sees in the
//!    customer's tenant;
//! 4. the service and problem classification, from Azure's lists each time (Microsoft asks that
//!    they are never hard-coded): `azure_api::support::choose_service` (reservations' resource
//!    types, else `Billing`) and `choose_classification` ("Reservation Management / Exchanges and
//!    Refunds"); when Azure lists none that fits, the request is refused (409
//!    `upstreamRefused`, saying which is missing), never filed under a guess;
//! 5. `checkNameAvailability` of the name: free, the ticket is made (`PUT`, long-running,
//!    followed to its end); taken, a previous submit of this request made it (the answer was
//!    lost), and it is not made again;
//! 6. the ticket is read back (`GET`): its number (`supportTicketId`) and status;
//! 7. the desk records the request with the ticket ([`desk::Desk::record_azure_support`]) and
//!    answers it (201).
//!
//! The description carries the details with the reservation's ID and its order's ID (and the
//! reservation's resource ID), which Microsoft's support asks for (the Partner Center article).
//! Azure refusing (no support plan, no rights in the subscription: ARM's code and message) is
//! 403 `upstreamForbidden` or 409 `upstreamRefused`, Azure out of reach 503
//! `upstreamUnavailable`; each says how to reach Microsoft otherwise ([`OTHERWISE`]) and nothing
//! is recorded. Reading a request (`GET /supportRequests/{id}`) reads its ticket again: the
//! number and status as Azure has them now, or why Azure could not be read (the request as
//! recorded is still answered).

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use azure_api::support::{choose_classification, choose_service, is_alpha3, support_language, windows_time_zone, ContactProfile, TicketCreate, TicketCreateProperties};
use azure_client::{AzureError, OnBehalfOf};
use contract::{AppliedScopeType, AzureSupportTicket, ContactMethod, Problem, ProblemCode, Reservation, Settings, SupportRequest, User};
use desk::desk::CheckedSupport;
use desk::{Call, DeskError, Operation};

use super::routes::acting;
use crate::error::ApiError;
use crate::state::AppState;

/// How to reach Microsoft when Azure does not take the ticket.
pub const OTHERWISE: &str = "To reach Microsoft otherwise, open the request in Partner Center (Help + support, New request, on behalf of the customer) or in the customer's Azure portal, naming the reservation ID and reservation order ID.";

/// Whether `op` under `settings` is answered through Azure by [`serve`]: Azure mode, and not a
/// read-only pilot (which sends Azure nothing that changes anything, so its requests stay the
/// desk's own records).
pub fn through_azure(settings: &Settings, op: Operation) -> bool {
    settings.source == contract::DataSource::Azure && !settings.azure_read_only && desk::desk::is_azure_support(op)
}

fn invalid(code: ProblemCode, field: &str, detail: &str) -> ApiError {
    ApiError(DeskError::Refused(Problem::new(code, detail, Some(field.to_owned()))))
}

fn refused(code: ProblemCode, detail: String) -> ApiError {
    ApiError(DeskError::Refused(Problem::new(code, detail, None)))
}

/// Azure's failure as the caller sees it: Azure's code, message and request IDs, and how to
/// reach Microsoft otherwise.
fn failure(error: AzureError, what: &str) -> ApiError {
    match super::azure_answer::error(error).problem(what) {
        DeskError::Refused(mut problem) => {
            problem.detail = format!("{} {OTHERWISE}", problem.detail);
            ApiError(DeskError::Refused(problem))
        }
        other => ApiError(other),
    }
}

fn json(status: StatusCode, body: &impl serde::Serialize) -> Result<Response, ApiError> {
    let text = serde_json::to_string(body).map_err(|e| refused(ProblemCode::Internal, e.to_string()))?;
    Ok((status, [(header::CONTENT_TYPE, "application/json")], text).into_response())
}

/// Answers `op` (one of [`through_azure`]'s) for `user`: the steps of this module.
pub async fn serve(state: &AppState, user: User, headers: &HeaderMap, op: Operation, params: &[String], request: Option<&str>) -> Result<Response, ApiError> {
    match op {
        Operation::CreateSupportRequest => create(state, user, headers, request).await,
        _ => read(state, user, headers, params).await,
    }
}

/// The contact as Microsoft.Support requires it (step 2), or which field does not fit.
fn contact_profile(checked: &CheckedSupport) -> Result<ContactProfile, ApiError> {
    let c = &checked.request.contact;
    let name = c.name.split_whitespace().collect::<Vec<_>>();
    let [first, rest @ ..] = name.as_slice() else { return Err(invalid(ProblemCode::Required, "contact.name", "Enter a contact name.")) };
    if rest.is_empty() {
        return Err(invalid(ProblemCode::MalformedRequest, "contact.name", "Enter a first and a last name: Microsoft's support asks for both."));
    }
    let country = c.country.trim();
    if !is_alpha3(country) {
        return Err(invalid(ProblemCode::Required, "contact.country", "Enter the country as its three-letter code (ISO 3166-1 alpha-3), such as DEU or USA."));
    }
    let Some(time_zone) = windows_time_zone(&c.time_zone) else {
        return Err(invalid(
            ProblemCode::MalformedRequest,
            "contact.timeZone",
            "Microsoft's support does not know this time zone: enter one such as Europe/Berlin or America/New_York.",
        ));
    };
    let Some(language) = support_language(&c.language) else {
        return Err(invalid(ProblemCode::MalformedRequest, "contact.language", "Microsoft's support does not offer this language: choose another."));
    };
    let phone = c.phone.trim();
    Ok(ContactProfile {
        first_name: (*first).to_owned(),
        last_name: rest.join(" "),
        preferred_contact_method: match c.preferred_contact_method {
            ContactMethod::Email => "email".into(),
            ContactMethod::Phone => "phone".into(),
        },
        primary_email_address: c.email.trim().to_owned(),
        phone_number: (!phone.is_empty()).then(|| phone.to_owned()),
        preferred_time_zone: time_zone.to_owned(),
        country: country.to_ascii_uppercase(),
        preferred_support_language: language.to_owned(),
    })
}

/// The subscription a reservation applies to, when its scope names one (step 3).
pub fn applied_subscription(reservation: &Reservation) -> Option<String> {
    let props = reservation.applied_scope_properties.as_ref()?;
    if reservation.applied_scope_type != AppliedScopeType::Single {
        return None;
    }
    // A single scope names its subscription, or a resource group in one.
    let path = props.subscription_id.as_deref().or(props.resource_group_id.as_deref())?;
    let mut segments = path.trim_matches('/').split('/');
    match (segments.next(), segments.next()) {
        (Some(first), Some(id)) if first.eq_ignore_ascii_case("subscriptions") && !id.is_empty() => Some(id.to_owned()),
        (Some(id), None) if !id.is_empty() => Some(id.to_owned()),
        _ => None,
    }
}

/// The ticket's description (the reservation's and its order's IDs, which Microsoft's support
/// asks for, after what the user wrote).
fn description(checked: &CheckedSupport, asked_by: &str) -> String {
    let r = &checked.request;
    let mut text = format!(
        "{}\n\nReservation ID: {}\nReservation order ID: {}\nReservation resource ID: /providers/Microsoft.Capacity/reservationOrders/{}/reservations/{}\nCategory: Exchanges and refunds\nFiled through Reservation Desk by {asked_by} on behalf of the customer.",
        r.details.trim(),
        r.reservation_id,
        r.reservation_order_id,
        r.reservation_order_id,
        r.reservation_id
    );
    if let Some(quote) = &r.attached_quote {
        text.push_str(&format!("\n\nAttached quote: {quote}"));
    }
    text
}

async fn tenant_of(state: &AppState, customer_id: &str) -> Result<String, ApiError> {
    match desk::source::SourceStore::source_status(state.desk.store(), customer_id).await.map_err(DeskError::from)? {
        Some(status) => Ok(status.tenant_id),
        None => Err(refused(ProblemCode::NotFound, format!("Customer {customer_id} was not read from Azure."))),
    }
}

async fn create(state: &AppState, user: User, headers: &HeaderMap, request: Option<&str>) -> Result<Response, ApiError> {
    let acting = acting(&user, headers)?;
    let asked_by = user.display_name.clone();
    let call = Call::new(user, state.now());
    let checked = state.desk.check_azure_support(&call, request).await?;
    let customer_id = checked.reservation.customer_id.clone();
    if let Some(recorded) = state.desk.support_request_of_ticket(&customer_id, &checked.ticket_name).await? {
        return json(StatusCode::CREATED, &recorded);
    }
    let contact = contact_profile(&checked)?;
    let tenant = tenant_of(state, &customer_id).await?;
    let Some(source) = state.source.clone() else { return Err(refused(ProblemCode::NotFound, desk::source::NOT_READING_AZURE.into())) };
    let (client, who) = (&source.client, &acting.obo);

    let subscription = match applied_subscription(&checked.reservation) {
        Some(id) => id,
        None => {
            let listed = client.subscriptions(who, &tenant).await.map_err(|e| failure(e, "did not list the customer's subscriptions"))?;
            let mut ids: Vec<String> = listed.into_iter().filter(|s| s.is_active()).map(|s| s.id).collect();
            ids.sort();
            ids.into_iter().next().ok_or_else(|| {
                refused(ProblemCode::UpstreamRefused, format!("You see no active subscription in the customer's tenant to file the support ticket in. {OTHERWISE}"))
            })?
        }
    };

    let services = client.support_services(who, &tenant).await.map_err(|e| failure(e, "did not list its support services"))?;
    let Some(service) = choose_service(&services.read).cloned() else {
        return Err(refused(
            ProblemCode::UpstreamRefused,
            format!("Azure lists no support service for billing or reservations, so the desk cannot file the ticket. {OTHERWISE}"),
        ));
    };
    let classifications = client.support_classifications(who, &tenant, &service.name).await.map_err(|e| failure(e, "did not list its problem classifications"))?;
    let Some(classification) = choose_classification(&classifications.read).cloned() else {
        return Err(refused(
            ProblemCode::UpstreamRefused,
            format!("Azure's {} service lists no problem classification for reservation exchanges and refunds, so the desk cannot file the ticket. {OTHERWISE}", service.display_name),
        ));
    };

    let name = checked.ticket_name.clone();
    let available = client.support_name_available(who, &tenant, &subscription, &name).await.map_err(|e| failure(e, "did not check the support ticket's name"))?;
    if available != Some(false) {
        let ticket = TicketCreate {
            properties: TicketCreateProperties {
                service_id: service.id.clone(),
                title: checked.request.summary.clone(),
                description: description(&checked, &asked_by),
                problem_classification_id: classification.id.clone(),
                severity: checked.request.severity.azure_name().to_owned(),
                advanced_diagnostic_consent: "No".into(),
                contact_details: contact,
            },
        };
        if let Err(error) = client.create_support_ticket(who, &tenant, &subscription, &name, &ticket).await {
            tracing::info!(customer = %customer_id, ticket = %name, code = %error.code, "Azure did not create the support ticket: {}", error.message);
            return Err(failure(error, "did not create the support ticket"));
        }
    } else {
        tracing::info!(customer = %customer_id, ticket = %name, "the support ticket's name is taken: an earlier submit of this request made it");
    }
    let now = desk::desk::timestamp(state.now());
    let mut made = AzureSupportTicket {
        name: name.clone(),
        subscription_id: subscription.clone(),
        number: None,
        status: None,
        service: service.display_name.clone(),
        problem_classification: classification.display_name.clone(),
        read_at: now,
        read_error: None,
    };
    match client.support_ticket(who, &tenant, &subscription, &name).await {
        Ok(read) => {
            made.number = read.support_ticket_id;
            made.status = read.status;
        }
        // Made but not read back: recorded all the same (the request page reads it again).
        Err(error) => {
            tracing::warn!(ticket = %name, code = %error.code, "the support ticket was made but could not be read back: {}", error.message);
            made.read_error = Some(super::azure_answer::error(error).text());
        }
    }
    let created = state.desk.record_azure_support(&call, &checked, made).await?;
    json(StatusCode::CREATED, &created)
}

/// `GET /supportRequests/{id}`: the request as recorded, its ticket read again from Azure.
async fn read(state: &AppState, user: User, headers: &HeaderMap, params: &[String]) -> Result<Response, ApiError> {
    let acting = acting(&user, headers).ok();
    let call = Call::new(user, state.now());
    let reply = state.desk.handle(&call, Operation::GetSupportRequest, params, &[], None).await?;
    let mut request: SupportRequest = serde_json::from_str(reply.body.as_deref().unwrap_or_default()).map_err(|e| refused(ProblemCode::Internal, e.to_string()))?;
    if let Some(ticket) = request.azure_ticket.as_mut() {
        let reread = match (&acting, state.source.clone()) {
            (Some(acting), Some(source)) => match tenant_of(state, &request.customer_id).await {
                Ok(tenant) => Some(read_ticket(&source.client, &acting.obo, &tenant, ticket).await),
                Err(_) => None,
            },
            _ => None,
        };
        match reread {
            Some(Ok(read)) => {
                ticket.number = read.support_ticket_id.or(ticket.number.take());
                ticket.status = read.status.or(ticket.status.take());
                ticket.read_at = desk::desk::timestamp(state.now());
                ticket.read_error = None;
                if let Some(status) = &ticket.status {
                    request.status = status.clone();
                }
            }
            Some(Err(error)) => ticket.read_error = Some(super::azure_answer::error(error).text()),
            None => ticket.read_error = Some("Only a user signed in through the identity provider can read the ticket from Azure.".into()),
        }
    }
    json(StatusCode::OK, &request)
}

async fn read_ticket(client: &azure_client::AzureClient, who: &OnBehalfOf, tenant: &str, ticket: &AzureSupportTicket) -> Result<azure_api::support::TicketRead, AzureError> {
    client.support_ticket(who, tenant, &ticket.subscription_id, &ticket.name).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_azure_mode_outside_a_pilot_files_tickets() {
        let mut settings = Settings::default();
        assert!(!through_azure(&settings, Operation::CreateSupportRequest));
        settings.source = contract::DataSource::Azure;
        assert!(through_azure(&settings, Operation::CreateSupportRequest) && through_azure(&settings, Operation::GetSupportRequest));
        assert!(!through_azure(&settings, Operation::ListSupportRequests));
        settings.azure_read_only = true;
        assert!(!through_azure(&settings, Operation::CreateSupportRequest));
    }
}
