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
    /// Where the customers and reservations come from (`DESK_SOURCE`): the desk's own store
    /// (`local`, left out of the answer) or the partner's Azure, read into the store as a cache.
    #[serde(default, skip_serializing_if = "DataSource::is_local")]
    pub source: DataSource,
}

/// Where a deployment's customers and reservations come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum DataSource {
    /// The desk is its own system of record (the demo data, or what was entered).
    #[default]
    Local,
    /// Partner Center's customers and each customer's reservations from Azure Resource Manager,
    /// read on behalf of the signed-in user; changes are not yet made through Azure, so they are
    /// refused (`azureChangesNotYetSupported`).
    Azure,
}

impl DataSource {
    /// Whether the desk is its own system of record.
    pub fn is_local(&self) -> bool {
        *self == DataSource::Local
    }
}

impl Default for Settings {
    /// A deployment that names no policy: [`PolicyName::DEFAULT`] (`azure-current`).
    fn default() -> Self {
        Self { refund_policy: PolicyName::DEFAULT, source: DataSource::Local }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_deployment_answers_its_settings_as_before_and_azure_says_so() {
        assert_eq!(serde_json::to_string(&Settings::default()).unwrap(), r#"{"refundPolicy":"azure-current"}"#);
        let azure = Settings { source: DataSource::Azure, ..Settings::default() };
        assert_eq!(serde_json::to_string(&azure).unwrap(), r#"{"refundPolicy":"azure-current","source":"azure"}"#);
        let older: Settings = serde_json::from_str(r#"{"refundPolicy":"azure-current"}"#).unwrap();
        assert_eq!(older.source, DataSource::Local);
    }
}
