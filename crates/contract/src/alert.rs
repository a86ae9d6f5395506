//! Alerts: what the desk watches per customer, and where each alert went
//! (`GET /api/alerts`, `PUT /api/customers/{customerId}/alertSubscription`).

use chrono::NaiveDate;
use quote_engine::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What an alert is about, with the figures behind it (the console writes them in the
/// user's language; e-mails and webhooks in English).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AlertKind {
    /// The reservation expires within `window` days (90, 30 or 7): the smallest window its
    /// expiry falls in.
    #[serde(rename_all = "camelCase")]
    Expiring {
        /// The day the term ends.
        expiry_date: NaiveDate,
        /// Days from today to the expiry.
        days_left: u32,
        /// 90, 30 or 7.
        window: u32,
        /// Whether it renews automatically.
        renew: bool,
    },
    /// Its average utilization over the last 7 days is below the threshold.
    #[serde(rename_all = "camelCase")]
    UnderUsed {
        /// The last 7 days' average, 0–100.
        utilization_percent: Decimal,
        /// The deployment's threshold, 0–100.
        threshold_percent: Decimal,
    },
    /// The customer's refund headroom under the USD 50,000 limit is below the threshold.
    #[serde(rename_all = "camelCase")]
    LowRefundHeadroom {
        /// What may still be refunded (USD).
        headroom: Money,
        /// The deployment's threshold (USD).
        threshold: Money,
    },
    /// An exchangeable reservation bought before the exchange-policy change keeps only one
    /// final exchange per unit from `policyDate` on (until then: any number of exchanges).
    #[serde(rename_all = "camelCase")]
    ExchangeRightEnds {
        /// The day the restriction starts (1 February 2027).
        policy_date: NaiveDate,
        /// Days from today to that day.
        days_left: u32,
        /// The units that keep one final exchange.
        units: u32,
    },
    /// The partner's GDAP relationship with the customer, which carries its Azure rights, ends
    /// within `window` days (30 or 7) and does not extend itself: the smallest window its end
    /// falls in.
    #[serde(rename_all = "camelCase")]
    GdapRelationshipEnds {
        /// The relationship's display name.
        relationship: String,
        /// The day it ends (UTC).
        end_date: NaiveDate,
        /// Days from today to that day.
        days_left: u32,
        /// 30 or 7.
        window: u32,
    },
    /// An approval request the requester made was decided: approved (and carried out),
    /// rejected (with its reason), sent back for approval again (a new figure), or expired.
    #[serde(rename_all = "camelCase")]
    ApprovalOutcome {
        /// The request.
        approval_id: String,
        /// A refund or an exchange.
        approval_kind: crate::ApprovalKind,
        /// How it was decided (never `pending`).
        status: crate::ApprovalStatus,
        /// The figure (the new one when it needs approval again).
        amount: Money,
        /// The figure first asked, when it needs approval again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous_amount: Option<Money>,
        /// Who decided (display name and sign-in name); none when it expired.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        decided_by: Option<String>,
        /// Why it was rejected.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// The partner's change or ticket reference the request was made under.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket_reference: Option<String>,
    },
}

/// What to do next about an alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum AlertAction {
    /// Decide on renewal (the Configuration panel).
    Renew,
    /// Exchange it (the Exchange panel).
    Exchange,
    /// Refund it, or plan refunds within the limit (the Refund panel, or the customer's page).
    Refund,
    /// See the decided approval request (the reservation, or the Approvals page).
    Review,
    /// Renew the GDAP relationship in Partner Center (the readiness page says which).
    RenewGdapRelationship,
}

/// One alert: a condition of a customer (or one of its reservations) in one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// The condition and its period, e.g. `expiring/{reservationId}/2026-12-31/30`: an alert of
    /// one key is sent once to each recipient.
    pub key: String,
    /// The customer.
    pub customer_id: String,
    /// The reservation, when the alert is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_id: Option<String>,
    /// Its order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_order_id: Option<String>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_name: Option<String>,
    /// What is watched, with its figures.
    pub kind: AlertKind,
    /// What to do next.
    pub action: AlertAction,
    /// The console path that does it (below the app's base, e.g.
    /// `/customers/{customerId}/reservations/{reservationId}/configuration`).
    pub link: String,
}

/// How a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum DeliveryStatus {
    /// Claimed by a sender, being sent.
    Sending,
    /// Delivered.
    Sent,
    /// The last try failed; it is tried again at `nextAttemptAt`.
    Failed,
}

/// One alert's delivery to one recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AlertDelivery {
    /// The alert's key.
    pub alert_key: String,
    /// The customer.
    pub customer_id: String,
    /// `mailto:address` or `webhook`.
    pub recipient: String,
    /// How it stands.
    pub status: DeliveryStatus,
    /// Tries so far.
    pub attempts: u32,
    /// When it was delivered (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<String>,
    /// The last failure, as the mail server or webhook answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When a failed delivery is tried again (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    /// The alert as it was sent.
    pub alert: Alert,
}

/// One customer's current alerts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerAlerts {
    /// The customer.
    pub customer_id: String,
    /// Its name.
    pub customer_name: String,
    /// Whether the caller is subscribed to its alerts.
    pub subscribed: bool,
    /// Its alerts as of today: expiring first (soonest first), then the others.
    pub alerts: Vec<Alert>,
}

/// `GET /api/alerts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AlertsView {
    /// The day the alerts are as of.
    pub as_of: NaiveDate,
    /// The thresholds this deployment watches with.
    pub thresholds: AlertThresholds,
    /// Every customer the caller sees, by name, with its current alerts (possibly none).
    pub customers: Vec<CustomerAlerts>,
    /// Deliveries of the customers the caller sees, newest first (failed ones included).
    pub deliveries: Vec<AlertDelivery>,
}

/// The deployment's thresholds (`ALERT_UTILIZATION_PERCENT`, `ALERT_HEADROOM_USD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AlertThresholds {
    /// A reservation whose last 7 days' utilization is below this percent is under-used.
    pub utilization_percent: Decimal,
    /// A customer whose refund headroom (USD) is below this is near the limit.
    pub headroom_usd: Decimal,
}

impl Default for AlertThresholds {
    fn default() -> Self {
        Self { utilization_percent: Decimal::from(50), headroom_usd: Decimal::from(5_000) }
    }
}

/// `PUT /api/customers/{customerId}/alertSubscription`: the caller's subscription.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlertSubscription {
    /// Whether the caller receives this customer's alerts by e-mail (at their sign-in name).
    pub subscribed: bool,
}
