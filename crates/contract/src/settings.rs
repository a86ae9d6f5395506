//! The deployment's settings that the app and API users need to know (`GET /api/settings`).

use quote_engine::PolicyName;
use serde::{Deserialize, Serialize};

/// How this deployment is set up: what governs the money it moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The refund policy that governs every refund this deployment carries out (`REFUND_POLICY`).
    /// A refund quoted under another preset is a what-if: its session cannot be returned.
    pub refund_policy: PolicyName,
}

impl Default for Settings {
    /// A deployment that names no policy: [`PolicyName::DEFAULT`] (`azure-current`).
    fn default() -> Self {
        Self { refund_policy: PolicyName::DEFAULT }
    }
}
