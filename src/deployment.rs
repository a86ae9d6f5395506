//! The deployment's settings (`GET /api/settings`) as the views share them: one resource,
//! created and fetched the first time a view needs it (never on the first screen), then read by
//! every view from the shell's context.

use contract::Settings;
use leptos::prelude::*;
use quote_engine::PolicyName;

use crate::api::{self, ApiError};

/// The deployment's settings, loaded once.
pub type SettingsResource = LocalResource<Result<Settings, ApiError>>;

/// The shell's context: where the one settings resource lives once a view asked for it.
#[derive(Clone, Copy)]
pub struct Deployment {
    owner: StoredValue<Owner, LocalStorage>,
    settings: StoredValue<Option<SettingsResource>, LocalStorage>,
}

impl Deployment {
    /// Provided by the shell, under its owner, so the resource outlives every page.
    pub fn provide() {
        let Some(owner) = Owner::current() else { return };
        provide_context(Self { owner: StoredValue::new_local(owner), settings: StoredValue::new_local(None) });
    }

    /// The settings resource: the shell's one (fetched at the first call), or, outside the
    /// shell (a component mounted alone in a test), one of the caller's own.
    pub fn settings() -> SettingsResource {
        let Some(this) = use_context::<Self>() else { return LocalResource::new(api::settings) };
        if let Some(resource) = this.settings.get_value() {
            return resource;
        }
        let resource = this.owner.with_value(|owner| owner.with(|| LocalResource::new(api::settings)));
        this.settings.set_value(Some(resource));
        resource
    }
}

/// The deployment's refund policy once `settings` answered; a failed answer is asked again (a
/// view's "Try again" comes through here).
pub async fn refund_policy(settings: SettingsResource) -> Result<PolicyName, ApiError> {
    if matches!(settings.get_untracked(), Some(Err(_))) {
        settings.refetch();
    }
    settings.await.map(|s| s.refund_policy)
}

/// The policy a view quotes with: the address bar's `?policy=` (a what-if), else the
/// deployment's.
pub fn chosen_policy(query: Option<&str>, deployed: PolicyName) -> PolicyName {
    query.and_then(|p| p.parse().ok()).unwrap_or(deployed)
}

#[cfg(test)]
mod tests {
    use super::chosen_policy;
    use quote_engine::PolicyName::{AzureCurrent, PartnerCenter2020};

    #[test]
    fn the_address_names_a_what_if_and_otherwise_the_deployments_policy_applies() {
        assert_eq!(chosen_policy(None, PartnerCenter2020), PartnerCenter2020);
        assert_eq!(chosen_policy(None, AzureCurrent), AzureCurrent);
        assert_eq!(chosen_policy(Some("partner-center-2020"), AzureCurrent), PartnerCenter2020);
        assert_eq!(chosen_policy(Some("not-a-policy"), PartnerCenter2020), PartnerCenter2020, "an unknown name is no what-if");
    }
}
