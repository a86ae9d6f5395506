//! Support requests about a reservation (the article's three-step wizard).

use serde::{Deserialize, Serialize};

/// How the customer wants to be contacted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ContactMethod {
    /// By email.
    Email,
    /// By phone.
    Phone,
}

/// Step 3 of the wizard: who support talks to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactInformation {
    /// Email or phone.
    pub preferred_contact_method: ContactMethod,
    /// Full name.
    pub name: String,
    /// Email address (always required: support confirms by email).
    pub email: String,
    /// Phone number (required when the preferred method is Phone).
    #[serde(default)]
    pub phone: String,
    /// Preferred support language, e.g. `en`, `de`.
    pub language: String,
    /// IANA time zone, e.g. `Europe/Berlin`.
    pub time_zone: String,
}

/// `POST /api/supportRequests`. Issue type Billing, problem type Reservation management and
/// category Exchanges and refunds are fixed by the endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewSupportRequest {
    /// Step 1: a one-line summary (1–140 characters).
    pub summary: String,
    /// Step 2: what the customer needs.
    pub details: String,
    /// The reservation concerned.
    pub reservation_id: String,
    /// Its order.
    pub reservation_order_id: String,
    /// The current quote, as text, when the user attached it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attached_quote: Option<String>,
    /// Step 3.
    pub contact: ContactInformation,
}

/// A created support request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SupportRequest {
    /// Its ID, e.g. `2611220000123456`.
    pub id: String,
    /// The customer it concerns.
    pub customer_id: String,
    /// Always `Billing`.
    pub issue_type: String,
    /// Always `Reservation management`.
    pub problem_type: String,
    /// Always `Exchanges and refunds`.
    pub category: String,
    /// What was asked.
    #[serde(flatten)]
    pub request: NewSupportRequest,
    /// `Open` when created.
    pub status: String,
    /// RFC 3339, UTC.
    pub created_time: String,
}
