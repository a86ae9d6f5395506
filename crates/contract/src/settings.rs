//! The deployment's settings that the app and API users need to know (`GET /api/settings`).

use quote_engine::{Money, PolicyName};
use serde::{Deserialize, Serialize};

/// How many hours an approval request waits for a decision unless the deployment says
/// otherwise: 7 days.
pub const DEFAULT_APPROVAL_EXPIRY_HOURS: u32 = 7 * 24;

/// How this deployment is set up: what governs the money it moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The refund policy that governs every refund this deployment carries out (`REFUND_POLICY`).
    /// A refund quoted under another preset is a what-if: its session cannot be returned.
    pub refund_policy: PolicyName,
    /// A return whose refund, or an exchange whose refunds total, is above this amount (USD)
    /// waits for another user's approval (`APPROVAL_THRESHOLD`); absent: no approval is asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_threshold: Option<Money>,
    /// How many hours an approval request waits for a decision before it expires
    /// (`APPROVAL_EXPIRY_HOURS`, 168, 7 days, unless set).
    #[serde(default = "default_expiry")]
    pub approval_expiry_hours: u32,
}

fn default_expiry() -> u32 {
    DEFAULT_APPROVAL_EXPIRY_HOURS
}

impl Default for Settings {
    /// A deployment that names no policy: [`PolicyName::DEFAULT`] (`azure-current`), and no
    /// approval threshold.
    fn default() -> Self {
        Self { refund_policy: PolicyName::DEFAULT, approval_threshold: None, approval_expiry_hours: DEFAULT_APPROVAL_EXPIRY_HOURS }
    }
}
