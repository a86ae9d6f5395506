use contract::Customer;
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /api/customers?search=`.
pub async fn customers(search: &str) -> Result<Vec<Customer>, ApiError> {
    transport::call::<endpoint::ListCustomers>(&[], &[("search", search)], &()).await
}

/// `GET /api/customers/{customerId}`.
pub async fn customer(customer_id: &str) -> Result<Customer, ApiError> {
    transport::call::<endpoint::GetCustomer>(&[customer_id], &[], &()).await
}

/// `GET /api/customers/{customerId}/refundLimit`.
pub async fn refund_limit(customer_id: &str) -> Result<contract::RefundLimit, ApiError> {
    transport::call::<endpoint::GetRefundLimit>(&[customer_id], &[], &()).await
}

/// `GET /api/customers/{customerId}/savingsPlans`: the customer's savings plans, newest first
/// (in Azure mode the plans the customer holds in Azure).
pub async fn savings_plans(customer_id: &str) -> Result<Vec<contract::CustomerSavingsPlan>, ApiError> {
    transport::call::<endpoint::ListSavingsPlans>(&[customer_id], &[], &()).await
}

/// `GET /api/me`: who is signed in.
pub async fn me() -> Result<contract::User, ApiError> {
    transport::call::<endpoint::Me>(&[], &[], &()).await
}

/// `GET /api/audit`: every change and money movement, newest first.
pub async fn audit() -> Result<Vec<contract::AuditEntry>, ApiError> {
    transport::call::<endpoint::ListAudit>(&[], &[], &()).await
}

/// `GET /api/audit/verify`: whether the audit log's hash chain is intact (Global admin).
pub async fn verify_audit() -> Result<contract::AuditVerification, ApiError> {
    transport::call::<endpoint::VerifyAudit>(&[], &[], &()).await
}

/// `GET /api/settings`: how the deployment is set up (the refund policy that moves money).
pub async fn settings() -> Result<contract::Settings, ApiError> {
    transport::call::<endpoint::GetSettings>(&[], &[], &()).await
}

/// `GET /api/settings`, read for whether the deployment is a read-only pilot of Azure mode and
/// nothing else: the shell asks it on every page, the customer list's included, whose module
/// would otherwise carry the reader of the whole answer (its amounts: about 10 KiB of gzip).
pub async fn deployment_mode() -> Result<DeploymentMode, ApiError> {
    transport::call_reading::<endpoint::GetSettings, DeploymentMode>(&[], &[], &()).await
}

/// The members of [`contract::Settings`] that say whether a deployment is a read-only pilot of
/// Azure mode, named and defaulted as there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentMode {
    /// [`contract::Settings::source`].
    #[serde(default)]
    pub source: contract::DataSource,
    /// [`contract::Settings::azure_read_only`].
    #[serde(default)]
    pub azure_read_only: bool,
}

impl DeploymentMode {
    /// Whether every change is refused here: Azure mode, read only.
    pub fn read_only_pilot(self) -> bool {
        self.source == contract::DataSource::Azure && self.azure_read_only
    }
}

#[cfg(test)]
mod tests {
    use super::DeploymentMode;
    use contract::{DataSource, Settings};

    /// The settings as the server writes them, read as the shell reads them.
    fn mode(settings: &Settings) -> DeploymentMode {
        serde_json::from_str(&serde_json::to_string(settings).unwrap()).unwrap()
    }

    #[test]
    fn the_shell_reads_the_pilot_from_the_settings_the_server_writes() {
        let local = Settings::default();
        assert_eq!(mode(&local), DeploymentMode { source: DataSource::Local, azure_read_only: false });
        assert!(!mode(&local).read_only_pilot());
        let azure = Settings { source: DataSource::Azure, ..Settings::default() };
        assert!(!mode(&azure).read_only_pilot(), "Azure mode that may change things");
        let pilot = Settings { source: DataSource::Azure, azure_read_only: true, ..Settings::default() };
        assert_eq!(mode(&pilot), DeploymentMode { source: DataSource::Azure, azure_read_only: true });
        assert!(mode(&pilot).read_only_pilot());
    }
}
