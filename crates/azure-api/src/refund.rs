//! `calculateRefund` and `return` as Microsoft.Capacity 2022-11-01 has them: the request bodies
//! read into the desk's requests (quoted by the deployment's refund policy: Azure's body names
//! none), and the desk's quote
//! written as `CalculateRefundResponse`; the same response types read Azure's own answers
//! (`azure-client`, Azure mode).

use contract::{CalculateRefundRequest, CalculateRefundResponse, ReturnRequest};
use quote_engine::Currency;
use serde::{Deserialize, Serialize};

use crate::error::ArmError;
use crate::ids;
use crate::number::Price;

/// The one scope a refund has.
pub const SCOPE: &str = "Reservation";

/// The schema of a refund's `scope`: `Reservation`, the one value taken.
#[cfg(feature = "openapi")]
fn scope_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String).enum_values(Some([SCOPE])).build()
}

/// The same, or null (left out).
#[cfg(feature = "openapi")]
fn optional_scope_schema() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{SchemaType, Type};
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some([serde_json::Value::from(SCOPE), serde_json::Value::Null]))
        .build()
}

/// `ReservationToReturn`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReservationToReturn {
    /// A full reservation ID (or the bare reservation GUID).
    pub reservation_id: String,
    /// Units to return.
    pub quantity: u32,
}

/// `CalculateRefundRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = CalculateRefundRequest))]
pub struct ArmCalculateRefundRequest {
    /// The order's ID (optional; the path names it).
    #[serde(default)]
    pub id: Option<String>,
    /// The properties.
    pub properties: CalculateRefundProperties,
}

/// `CalculateRefundRequestProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = CalculateRefundRequestProperties))]
#[serde(rename_all = "camelCase")]
pub struct CalculateRefundProperties {
    /// `Reservation`.
    #[cfg_attr(feature = "openapi", schema(schema_with = scope_schema))]
    pub scope: String,
    /// What to return.
    pub reservation_to_return: ReservationToReturn,
}

/// `RefundRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RefundRequest))]
pub struct ArmRefundRequest {
    /// The properties.
    pub properties: RefundRequestProperties,
}

/// `RefundRequestProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefundRequestProperties {
    /// The session `calculateRefund` answered.
    pub session_id: String,
    /// `Reservation`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = optional_scope_schema))]
    pub scope: Option<String>,
    /// What the session returns (the session decides; this is read but not needed).
    #[serde(default)]
    pub reservation_to_return: Option<ReservationToReturn>,
    /// Why.
    pub return_reason: String,
}

fn scope_is_reservation(scope: &str, target: &str) -> Result<(), ArmError> {
    if scope == SCOPE {
        Ok(())
    } else {
        Err(ArmError::malformed(format!("The scope must be '{SCOPE}', not '{scope}'."), Some(target)))
    }
}

/// The reservation to return, checked to belong to `order_id` (the path's order).
fn reservation_of(order_id: &str, to_return: &ReservationToReturn) -> Result<String, ArmError> {
    ids::reservation_of(order_id, &to_return.reservation_id, "properties.reservationToReturn.reservationId")
}

impl ArmCalculateRefundRequest {
    /// The desk's request (no policy named: the deployment's governs), or a 400 naming the field.
    pub fn to_desk(&self, order_id: &str) -> Result<CalculateRefundRequest, ArmError> {
        scope_is_reservation(&self.properties.scope, "properties.scope")?;
        let to_return = &self.properties.reservation_to_return;
        Ok(CalculateRefundRequest { reservation_id: reservation_of(order_id, to_return)?, quantity: to_return.quantity, policy: None })
    }
}

impl ArmRefundRequest {
    /// The desk's request, or a 400 naming the field.
    pub fn to_desk(&self, order_id: &str) -> Result<ReturnRequest, ArmError> {
        if let Some(scope) = &self.properties.scope {
            scope_is_reservation(scope, "properties.scope")?;
        }
        if let Some(to_return) = &self.properties.reservation_to_return {
            reservation_of(order_id, to_return)?;
        }
        // Azure's return has no ticket reference: where the deployment requires one, the desk
        // refuses the return (ticketReferenceRequired) as it refuses one through /api without.
        Ok(ReturnRequest {
            session_id: self.properties.session_id.clone(),
            return_reason: self.properties.return_reason.clone(),
            ticket_reference: None,
        })
    }
}

/// `CalculateRefundResponse`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = CalculateRefundResponse))]
pub struct ArmCalculateRefundResponse {
    /// The order's ID.
    pub id: String,
    /// The properties.
    pub properties: RefundResponseProperties,
}

/// `RefundResponseProperties`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefundResponseProperties {
    /// Pass it to `return` within 10 minutes.
    pub session_id: String,
    /// Units returned.
    pub quantity: u32,
    /// What the customer gets back, in the billing currency.
    pub billing_refund_amount: Price,
    /// The same in USD, the limit's currency (what counts toward it).
    pub pricing_refund_amount: Price,
    /// The limit's figures and any refusal.
    pub policy_result: PolicyResult,
    /// What was paid and what is left.
    pub billing_information: BillingInformation,
}

/// `RefundPolicyResult`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RefundPolicyResult))]
pub struct PolicyResult {
    /// The properties.
    pub properties: PolicyResultProperties,
}

/// `RefundPolicyResultProperty`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RefundPolicyResultProperty))]
#[serde(rename_all = "camelCase")]
pub struct PolicyResultProperties {
    /// Refunds in the customer's rolling 12 months.
    pub consumed_refunds_total: Price,
    /// USD 50,000.
    pub max_refund_limit: Price,
    /// Why the policy refuses, if it does.
    #[serde(default)]
    pub policy_errors: Vec<PolicyErrorBody>,
}

/// `RefundPolicyError`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RefundPolicyError))]
pub struct PolicyErrorBody {
    /// E.g. `RefundLimitExceeded`.
    pub code: String,
    /// In English, with the figures.
    pub message: String,
}

/// `RefundBillingInformation`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RefundBillingInformation))]
#[serde(rename_all = "camelCase")]
pub struct BillingInformation {
    /// What the returned units cost so far.
    pub billing_currency_total_paid_amount: Price,
    /// Their use so far (the prorated amount).
    pub billing_currency_prorated_amount: Price,
    /// The commitment not yet used.
    pub billing_currency_remaining_commitment_amount: Price,
}

impl ArmCalculateRefundResponse {
    /// The answer for `order_id`'s calculation `c`.
    pub fn new(order_id: &str, c: &CalculateRefundResponse) -> Self {
        let (q, session_id) = (&c.quote, &c.session_id);
        let p = &q.policy_result;
        // The limit counts USD: a USD refund is its own pricing amount; otherwise what the quote
        // counts toward the limit (zero for a refused quote).
        let pricing = if q.refund_amount.currency == Currency::USD { &q.refund_amount } else { &p.counted_toward_limit };
        ArmCalculateRefundResponse {
            id: ids::order_id(order_id),
            properties: RefundResponseProperties {
                session_id: session_id.to_owned(),
                quantity: q.quantity,
                billing_refund_amount: (&q.refund_amount).into(),
                pricing_refund_amount: pricing.into(),
                policy_result: PolicyResult {
                    properties: PolicyResultProperties {
                        consumed_refunds_total: (&p.consumed_refunds_total).into(),
                        max_refund_limit: (&p.max_refund_limit).into(),
                        policy_errors: p
                            .policy_errors
                            .iter()
                            .map(|e| PolicyErrorBody { code: serde_json::to_value(e.code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(), message: e.message.clone() })
                            .collect(),
                    },
                },
                billing_information: BillingInformation {
                    billing_currency_total_paid_amount: (&q.total_paid).into(),
                    billing_currency_prorated_amount: (&q.used_amount).into(),
                    billing_currency_remaining_commitment_amount: (&q.remaining_commitment).into(),
                },
            },
        }
    }
}
