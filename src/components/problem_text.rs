//! Backend problems in the user's language: the stable `code` of a problem document picks the
//! translated text; a code this build does not know shows the backend's English `detail`.

use contract::{Problem, ProblemCode};
use desk_service::exchange::MAX_EXCHANGE_LINES;
use leptos_i18n::I18nContext;

use crate::api::ApiError;
use crate::i18n::*;

/// The translated text for `problem`, or its English detail when the code has none.
pub fn problem_text(i18n: I18nContext<Locale>, problem: &Problem) -> String {
    if let Some(text) = field_text(i18n, problem) {
        return text;
    }
    let text = match problem.code {
        ProblemCode::SignInRequired => t_string!(i18n, problem_sign_in_required),
        ProblemCode::TokenInvalid => t_string!(i18n, problem_token_invalid),
        ProblemCode::RoleForbids => t_string!(i18n, problem_role_forbids),
        ProblemCode::NotFound => t_string!(i18n, problem_not_found),
        ProblemCode::MalformedRequest => t_string!(i18n, problem_malformed_request),
        ProblemCode::MethodNotAllowed => t_string!(i18n, problem_method_not_allowed),
        ProblemCode::UnsupportedMediaType => t_string!(i18n, problem_unsupported_media_type),
        ProblemCode::Required => t_string!(i18n, problem_required),
        ProblemCode::QuantityOutOfRange => t_string!(i18n, problem_quantity_out_of_range),
        ProblemCode::TooLong => t_string!(i18n, problem_too_long),
        ProblemCode::TicketReferenceRequired => t_string!(i18n, problem_ticket_reference_required),
        ProblemCode::InvalidEmail => t_string!(i18n, problem_invalid_email),
        ProblemCode::InvalidPhone => t_string!(i18n, problem_invalid_phone),
        ProblemCode::InvalidPrincipal => t_string!(i18n, problem_invalid_principal),
        ProblemCode::ScopeInvalid => t_string!(i18n, problem_scope_invalid),
        ProblemCode::NotInCatalog => t_string!(i18n, problem_not_in_catalog),
        ProblemCode::ListedTwice => t_string!(i18n, problem_listed_twice),
        ProblemCode::MixedCustomers => t_string!(i18n, problem_mixed_customers),
        ProblemCode::NotAlike => t_string!(i18n, problem_not_alike),
        ProblemCode::InvalidQuoteInput => t_string!(i18n, problem_invalid_quote_input),
        ProblemCode::UnknownReservation => t_string!(i18n, problem_unknown_reservation),
        ProblemCode::IsActive => t_string!(i18n, problem_is_active),
        ProblemCode::NotActive => t_string!(i18n, problem_not_active),
        ProblemCode::SessionExpired => t_string!(i18n, problem_session_expired),
        ProblemCode::QuoteChanged => t_string!(i18n, problem_quote_changed),
        ProblemCode::PolicyRefused => t_string!(i18n, problem_policy_refused),
        ProblemCode::PolicyNotDeployed => t_string!(i18n, problem_policy_not_deployed),
        ProblemCode::AlreadyAssigned => t_string!(i18n, problem_already_assigned),
        ProblemCode::NotQuotable => t_string!(i18n, problem_not_quotable),
        ProblemCode::BodyTooLarge => t_string!(i18n, problem_body_too_large),
        ProblemCode::RequestTimeout => t_string!(i18n, problem_request_timeout),
        ProblemCode::DemoUsersBehindProxy => t_string!(i18n, problem_demo_users_behind_proxy),
        ProblemCode::DemoUsersForeignHost => t_string!(i18n, problem_demo_users_foreign_host),
        ProblemCode::IdTokenRefused => t_string!(i18n, problem_id_token_refused),
        ProblemCode::InvalidGroupId => t_string!(i18n, problem_invalid_group_id),
        ProblemCode::AlreadyGranted => t_string!(i18n, problem_already_granted),
        ProblemCode::ControlCharacter => t_string!(i18n, problem_control_character),
        ProblemCode::InvalidSkuName => t_string!(i18n, problem_invalid_sku_name),
        ProblemCode::TooManyLines => return t_string!(i18n, problem_too_many_lines, max = MAX_EXCHANGE_LINES).to_string(),
        ProblemCode::RenewalRetired => t_string!(i18n, problem_renewal_retired),
        ProblemCode::AzureChangesNotYetSupported => t_string!(i18n, problem_azure_changes_not_yet_supported),
        ProblemCode::CatalogPerCustomer => t_string!(i18n, problem_catalog_per_customer),
        ProblemCode::ReadOnlyPilot => t_string!(i18n, problem_read_only_pilot),
        ProblemCode::AzureUnavailable => return t_string!(i18n, problem_azure_unavailable, detail = problem.detail.clone()).to_string(),
        ProblemCode::UpstreamUnavailable => return t_string!(i18n, problem_upstream_unavailable, detail = problem.detail.clone()).to_string(),
        ProblemCode::UpstreamForbidden => return t_string!(i18n, problem_upstream_forbidden, detail = problem.detail.clone()).to_string(),
        ProblemCode::UpstreamRefused => return t_string!(i18n, problem_upstream_refused, detail = problem.detail.clone()).to_string(),
        ProblemCode::UpstreamInProgress => t_string!(i18n, problem_upstream_in_progress),
        ProblemCode::SecretKeyMissing => t_string!(i18n, problem_secret_key_missing),
        ProblemCode::PriceUnknown => return t_string!(i18n, problem_price_unknown, detail = problem.detail.clone()).to_string(),
        ProblemCode::OwnApproval => t_string!(i18n, problem_own_approval),
        ProblemCode::ApprovalExpired => t_string!(i18n, problem_approval_expired),
        ProblemCode::ApprovalClosed => t_string!(i18n, problem_approval_closed),
        ProblemCode::Internal => t_string!(i18n, problem_internal),
        ProblemCode::Other => return problem.detail.clone(),
    };
    text.to_string()
}

/// A text that names what is wrong with one field, where the code alone would be vague
/// ("This field is required." says less than "Enter a summary.").
fn field_text(i18n: I18nContext<Locale>, problem: &Problem) -> Option<String> {
    use desk_service::configuration::MAX_DISPLAY_NAME;
    use desk_service::support::MAX_SUMMARY;
    let text = match (problem.code, problem.field.as_deref()?) {
        (ProblemCode::Required, "summary") => t_string!(i18n, problem_summary_required).to_string(),
        (ProblemCode::TooLong, "summary") => t_string!(i18n, problem_summary_too_long, max = MAX_SUMMARY).to_string(),
        (ProblemCode::Required, "details") => t_string!(i18n, problem_details_required).to_string(),
        (ProblemCode::Required, "contact.name") => t_string!(i18n, problem_contact_name_required).to_string(),
        (ProblemCode::Required, "contact.email") => t_string!(i18n, problem_contact_email_required).to_string(),
        (ProblemCode::Required, "contact.phone") => t_string!(i18n, problem_contact_phone_required).to_string(),
        (ProblemCode::Required, "contact.country") => t_string!(i18n, problem_contact_country).to_string(),
        (ProblemCode::MalformedRequest, "file" | "file.base64") => t_string!(i18n, problem_reconciliation_file).to_string(),
        (ProblemCode::MalformedRequest, "invoiceId") => t_string!(i18n, problem_invoice_id).to_string(),
        (ProblemCode::MalformedRequest, "contact.name") => t_string!(i18n, problem_contact_name_full).to_string(),
        (ProblemCode::MalformedRequest, "contact.timeZone") => t_string!(i18n, problem_contact_time_zone_azure).to_string(),
        (ProblemCode::MalformedRequest, "contact.language") => t_string!(i18n, problem_contact_language_azure).to_string(),
        (ProblemCode::Required, "principalName") => t_string!(i18n, problem_principal_required).to_string(),
        (ProblemCode::InvalidPrincipal, "principalId") => t_string!(i18n, problem_principal_object_id).to_string(),
        (ProblemCode::Required | ProblemCode::TooLong, "displayName") => {
            t_string!(i18n, problem_display_name_length, max = MAX_DISPLAY_NAME).to_string()
        }
        (ProblemCode::ControlCharacter, "displayName") => t_string!(i18n, problem_display_name_control).to_string(),
        (ProblemCode::Required, "reason") => t_string!(i18n, rejection_reason_required).to_string(),
        (ProblemCode::TooLong, "ticketReference") => t_string!(i18n, ticket_reference_too_long, max = MAX_DISPLAY_NAME).to_string(),
        (ProblemCode::ControlCharacter, "ticketReference") => t_string!(i18n, ticket_reference_control).to_string(),
        _ => return None,
    };
    Some(text)
}

/// Any failed backend call in the user's language.
pub fn error_text(i18n: I18nContext<Locale>, error: &ApiError) -> String {
    failure_text(i18n, error).unwrap_or_else(|problem| problem_text(i18n, problem))
}

/// The words for a failed call that no problem code decides (the network, an answer that is not
/// the contract, a server error the desk has no words for), else the problem to word with
/// [`problem_text`]. Apart from it: the customer list has these in the first module and fetches
/// the problems' texts only when it needs one (`crate::split::problems`).
pub fn failure_text(i18n: I18nContext<Locale>, error: &ApiError) -> Result<String, &Problem> {
    match error {
        ApiError::Network(_) => Ok(t_string!(i18n, error_network).to_string()),
        ApiError::Unexpected(_) => Ok(t_string!(i18n, error_unexpected).to_string()),
        // A server error the desk has no words for (a gateway's 503): said as one, with its
        // own detail.
        ApiError::Problem(problem) if problem.status >= 500 && problem.code == ProblemCode::Other => {
            Ok(t_string!(i18n, error_server, status = problem.status, detail = problem.detail.clone()).to_string())
        }
        ApiError::Problem(problem) => Err(problem),
    }
}

/// A failed action (review, submit) as an inline alert in the user's language.
#[leptos::component]
pub fn ActionError(error: ApiError) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let i18n = use_i18n();
    view! { <p class="field-error" role="alert">{move || error_text(i18n, &error)}</p> }
}
