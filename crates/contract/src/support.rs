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
    /// The contact's country, ISO 3166-1 alpha-3 (`DEU`, `USA`): Microsoft's support asks for it,
    /// so it is required when the desk files the request with Azure (Azure mode); kept otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
}

/// How urgent the request is, in Microsoft.Support's words (its `severity`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum SupportSeverity {
    /// Minimal business impact (C).
    #[default]
    Minimal,
    /// Moderate business impact (B).
    Moderate,
    /// Critical business impact (A).
    Critical,
    /// Highest critical impact (Premium customers only, Microsoft says).
    #[serde(rename = "highestcriticalimpact")]
    HighestCriticalImpact,
}

impl SupportSeverity {
    /// Microsoft.Support's word for it.
    pub fn azure_name(self) -> &'static str {
        match self {
            Self::Minimal => "minimal",
            Self::Moderate => "moderate",
            Self::Critical => "critical",
            Self::HighestCriticalImpact => "highestcriticalimpact",
        }
    }
}

/// The support ticket Azure made for a request (Azure mode): Microsoft.Support's ticket in the
/// customer's subscription, as Azure last answered it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AzureSupportTicket {
    /// The ticket's name (the desk's, fixed before it was sent).
    pub name: String,
    /// The subscription it was filed in.
    pub subscription_id: String,
    /// Microsoft's ticket number (`supportTicketId`), when Azure gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Its status as Azure answered (`Open`, `Closed`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The service it was filed under (`Billing`).
    pub service: String,
    /// Its problem classification (`Reservation Management / Exchanges and Refunds`).
    pub problem_classification: String,
    /// When Azure's answer was read (RFC 3339, UTC).
    pub read_at: String,
    /// Why the ticket could not be read just now (Azure's code and message), when it could not:
    /// the number and status are then as last read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_error: Option<String>,
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
    /// How urgent it is (Minimal when not said).
    #[serde(default)]
    pub severity: SupportSeverity,
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
    /// In Azure mode, the ticket Azure made for it (none in local mode: the desk's own record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_ticket: Option<AzureSupportTicket>,
}
