//! Contract enums in the user's language.

use contract::{AppliedScopeType, ProvisioningState, Scope};
use leptos_i18n::I18nContext;
use quote_engine::{BillingPlan, Term};

use crate::i18n::*;

/// `P1Y` → "1 year".
pub fn term_text(i18n: I18nContext<Locale>, term: Term) -> String {
    match term {
        Term::P1Y => t_string!(i18n, term_P1Y),
        Term::P3Y => t_string!(i18n, term_P3Y),
        Term::P5Y => t_string!(i18n, term_P5Y),
    }
    .to_string()
}

/// `Upfront` / `Monthly`.
pub fn plan_text(i18n: I18nContext<Locale>, plan: BillingPlan) -> String {
    match plan {
        BillingPlan::Upfront => t_string!(i18n, plan_Upfront),
        BillingPlan::Monthly => t_string!(i18n, plan_Monthly),
    }
    .to_string()
}

/// Single / Shared / Management group.
pub fn scope_text(i18n: I18nContext<Locale>, scope: AppliedScopeType) -> String {
    match scope {
        AppliedScopeType::Single => t_string!(i18n, scope_Single),
        AppliedScopeType::Shared => t_string!(i18n, scope_Shared),
        AppliedScopeType::ManagementGroup => t_string!(i18n, scope_ManagementGroup),
    }
    .to_string()
}

/// Azure's provisioning state in the partner's words ("Succeeded" reads as "Active").
pub fn state_text(i18n: I18nContext<Locale>, state: ProvisioningState) -> String {
    match state {
        ProvisioningState::Succeeded => t_string!(i18n, state_Succeeded),
        ProvisioningState::Cancelled => t_string!(i18n, state_Cancelled),
        ProvisioningState::Expired => t_string!(i18n, state_Expired),
        ProvisioningState::Creating => t_string!(i18n, state_Creating),
        ProvisioningState::PendingBilling => t_string!(i18n, state_PendingBilling),
        ProvisioningState::Failed => t_string!(i18n, state_Failed),
        ProvisioningState::Split => t_string!(i18n, state_Split),
        ProvisioningState::Merged => t_string!(i18n, state_Merged),
    }
    .to_string()
}

/// The CSS modifier of a state's badge.
pub fn state_class(state: ProvisioningState) -> &'static str {
    match state {
        ProvisioningState::Succeeded => "badge ok",
        ProvisioningState::Cancelled | ProvisioningState::Failed => "badge danger",
        ProvisioningState::Expired | ProvisioningState::Split | ProvisioningState::Merged => "badge muted",
        ProvisioningState::Creating | ProvisioningState::PendingBilling => "badge pending",
    }
}

/// What a scope option says: its kind and name, e.g. "Single resource group: Production / rg-web".
pub fn scope_label(i18n: I18nContext<Locale>, scope: &Scope) -> String {
    let kind = match (scope.applied_scope_type, &scope.applied_scope_properties.resource_group_id) {
        (AppliedScopeType::ManagementGroup, _) => t_string!(i18n, scope_management_group),
        (_, Some(_)) => t_string!(i18n, scope_single_resource_group),
        _ => t_string!(i18n, scope_single_subscription),
    };
    format!("{kind}: {}", scope.applied_scope_properties.display_name.clone().unwrap_or_default())
}
