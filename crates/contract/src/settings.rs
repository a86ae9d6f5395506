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
    /// Where the customers and reservations come from (`DESK_SOURCE`): the desk's own store
    /// (`local`, left out of the answer) or the partner's Azure, read into the store as a cache.
    #[serde(default, skip_serializing_if = "DataSource::is_local")]
    pub source: DataSource,
    /// Azure mode as a read-only pilot (`AZURE_READ_ONLY`): the partner's Azure is read and
    /// quoted, and nothing that would change it is sent (`readOnlyPilot`); left out when off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub azure_read_only: bool,
    /// Every refund and exchange (and so every approval request) must carry the partner's change
    /// or ticket reference (`REQUIRE_TICKET_REFERENCE`); left out when off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_ticket_reference: bool,
    /// Where the server sends alerts (the Alerts page's digest and approval outcomes): by e-mail
    /// (`SMTP_URL` set) and to a webhook (`ALERT_WEBHOOK_URL` set); left out where neither is
    /// set, and then nothing is sent to anyone.
    #[serde(default, skip_serializing_if = "AlertChannels::is_none")]
    pub alert_delivery: AlertChannels,
}

/// How a server sends alerts, as its operator set it up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AlertChannels {
    /// By e-mail (`SMTP_URL`): to `ALERT_EMAIL_TO`, each customer's subscribers and an approval's
    /// requester; left out when off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub email: bool,
    /// To a webhook (`ALERT_WEBHOOK_URL`); left out when off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub webhook: bool,
}

impl AlertChannels {
    /// Whether nothing is set up: no alert is sent.
    pub fn is_none(&self) -> bool {
        !self.email && !self.webhook
    }
}

fn default_expiry() -> u32 {
    DEFAULT_APPROVAL_EXPIRY_HOURS
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
    /// read on behalf of the signed-in user; refunds, exchanges and configuration changes are
    /// made through Azure first (role assignments are refused: `azureChangesNotYetSupported`).
    Azure,
}

impl DataSource {
    /// Whether the desk is its own system of record.
    pub fn is_local(&self) -> bool {
        *self == DataSource::Local
    }
}

impl Default for Settings {
    /// A deployment that names no policy: [`PolicyName::DEFAULT`] (`azure-current`), and no
    /// approval threshold.
    fn default() -> Self {
        Self {
            refund_policy: PolicyName::DEFAULT,
            source: DataSource::Local,
            approval_threshold: None,
            approval_expiry_hours: DEFAULT_APPROVAL_EXPIRY_HOURS,
            azure_read_only: false,
            require_ticket_reference: false,
            alert_delivery: AlertChannels::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_deployment_answers_its_settings_as_before_and_azure_says_so() {
        assert_eq!(serde_json::to_string(&Settings::default()).unwrap(), r#"{"refundPolicy":"azure-current","approvalExpiryHours":168}"#);
        let azure = Settings { source: DataSource::Azure, ..Settings::default() };
        assert_eq!(serde_json::to_string(&azure).unwrap(), r#"{"refundPolicy":"azure-current","approvalExpiryHours":168,"source":"azure"}"#);
        let older: Settings = serde_json::from_str(r#"{"refundPolicy":"azure-current"}"#).unwrap();
        assert_eq!((older.source, older.azure_read_only), (DataSource::Local, false));
        let pilot = Settings { source: DataSource::Azure, azure_read_only: true, ..Settings::default() };
        assert_eq!(
            serde_json::to_string(&pilot).unwrap(),
            r#"{"refundPolicy":"azure-current","approvalExpiryHours":168,"source":"azure","azureReadOnly":true}"#
        );
    }

    #[test]
    fn a_server_says_how_it_sends_alerts_and_nothing_where_it_sends_none() {
        assert!(Settings::default().alert_delivery.is_none());
        let both = Settings { alert_delivery: AlertChannels { email: true, webhook: true }, ..Settings::default() };
        assert_eq!(
            serde_json::to_string(&both).unwrap(),
            r#"{"refundPolicy":"azure-current","approvalExpiryHours":168,"alertDelivery":{"email":true,"webhook":true}}"#
        );
        let webhook: Settings = serde_json::from_str(r#"{"refundPolicy":"azure-current","alertDelivery":{"webhook":true}}"#).unwrap();
        assert_eq!(webhook.alert_delivery, AlertChannels { email: false, webhook: true });
        let none: Settings = serde_json::from_str(r#"{"refundPolicy":"azure-current"}"#).unwrap();
        assert!(none.alert_delivery.is_none());
    }
}
