//! Contract enums in the user's language.

use contract::{AppliedScopeProperties, AppliedScopeType, AuditAction, ProvisioningState, ReservationRole, Scope, WorkReason};
use leptos_i18n::I18nContext;
use quote_engine::{BillingPlan, Term, COMPUTE_SAVINGS_PLAN, DATABASE_SAVINGS_PLAN};

use crate::i18n::*;

/// A utilization average as a percent, or "Not reported" where Azure did not report it (never
/// shown as 0 %).
pub fn utilization_text(i18n: I18nContext<Locale>, locale: Locale, percent: Option<rust_decimal::Decimal>) -> String {
    match percent {
        Some(percent) => crate::format::format_percent(percent, locale),
        None => t_string!(i18n, utilization_not_reported).to_string(),
    }
}

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

/// A kind of principal in the user's language ("Group").
pub fn principal_type_text(i18n: I18nContext<Locale>, t: contract::PrincipalType) -> String {
    use contract::PrincipalType;
    match t {
        PrincipalType::User => t_string!(i18n, principal_User),
        PrincipalType::Group => t_string!(i18n, principal_Group),
        PrincipalType::ServicePrincipal => t_string!(i18n, principal_ServicePrincipal),
        PrincipalType::ForeignGroup => t_string!(i18n, principal_ForeignGroup),
        PrincipalType::Unknown => t_string!(i18n, principal_Unknown),
    }
    .to_string()
}

/// A reservation role by Azure's name for it in the user's language ("Reservations Reader").
pub fn reservation_role_text(i18n: I18nContext<Locale>, role: ReservationRole) -> String {
    match role {
        ReservationRole::Owner => t_string!(i18n, rrole_Owner),
        ReservationRole::ReservationsAdministrator => t_string!(i18n, rrole_ReservationsAdministrator),
        ReservationRole::ReservationsReader => t_string!(i18n, rrole_ReservationsReader),
        ReservationRole::Reader => t_string!(i18n, rrole_Reader),
        ReservationRole::Contributor => t_string!(i18n, rrole_Contributor),
        ReservationRole::ReservationPurchaser => t_string!(i18n, rrole_ReservationPurchaser),
        ReservationRole::Other => t_string!(i18n, rrole_Other),
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
    scope_named(i18n, scope.applied_scope_type, Some(&scope.applied_scope_properties))
}

/// A reservation's or savings plan's scope with its name, e.g. "Single subscription: Production",
/// "Management group: Contoso"; "Shared" alone (it names no one).
pub fn scope_named(i18n: I18nContext<Locale>, scope: AppliedScopeType, properties: Option<&AppliedScopeProperties>) -> String {
    let kind = match (scope, properties.and_then(|p| p.resource_group_id.as_ref())) {
        (AppliedScopeType::Shared, _) => return scope_text(i18n, scope),
        (AppliedScopeType::ManagementGroup, _) => t_string!(i18n, scope_management_group),
        (AppliedScopeType::Single, Some(_)) => t_string!(i18n, scope_single_resource_group),
        (AppliedScopeType::Single, None) => t_string!(i18n, scope_single_subscription),
    };
    match properties.and_then(|p| p.display_name.as_deref()).filter(|name| !name.is_empty()) {
        Some(name) => format!("{kind}: {name}"),
        None => kind.to_string(),
    }
}

/// A product family (`reservedResourceType`) by Microsoft's name for it in the user's language,
/// e.g. `VirtualMachines` → "Virtual machines", "Virtuelle Computer", "虚拟机". A family the desk
/// does not know (Azure may add one) keeps the name Azure gave it.
pub fn family_text(i18n: I18nContext<Locale>, family: &str) -> String {
    let text = match family {
        "VirtualMachines" => t_string!(i18n, family_VirtualMachines),
        "SqlDatabases" => t_string!(i18n, family_SqlDatabases),
        "CosmosDb" => t_string!(i18n, family_CosmosDb),
        "AppService" => t_string!(i18n, family_AppService),
        "SuseLinux" => t_string!(i18n, family_SuseLinux),
        "RedHat" => t_string!(i18n, family_RedHat),
        "SqlDataWarehouse" => t_string!(i18n, family_SqlDataWarehouse),
        "Databricks" => t_string!(i18n, family_Databricks),
        "ManagedDisk" => t_string!(i18n, family_ManagedDisk),
        "BlockBlob" => t_string!(i18n, family_BlockBlob),
        "RedisCache" => t_string!(i18n, family_RedisCache),
        "AzureDataExplorer" => t_string!(i18n, family_AzureDataExplorer),
        "MySql" => t_string!(i18n, family_MySql),
        "MariaDb" => t_string!(i18n, family_MariaDb),
        "PostgreSql" => t_string!(i18n, family_PostgreSql),
        "DedicatedHost" => t_string!(i18n, family_DedicatedHost),
        "SapHana" => t_string!(i18n, family_SapHana),
        "AVS" => t_string!(i18n, family_AVS),
        "DataFactory" => t_string!(i18n, family_DataFactory),
        "NetAppStorage" => t_string!(i18n, family_NetAppStorage),
        "AzureFiles" => t_string!(i18n, family_AzureFiles),
        "VirtualMachineSoftware" => t_string!(i18n, family_VirtualMachineSoftware),
        other => return other.to_owned(),
    };
    text.to_string()
}

/// A savings plan's SKU by its name in the user's language, e.g. `Compute_Savings_Plan` →
/// "Savings plan for compute"; another SKU keeps the name Azure gave it.
pub fn savings_plan_text(i18n: I18nContext<Locale>, sku: &str) -> String {
    match sku {
        COMPUTE_SAVINGS_PLAN => t_string!(i18n, savings_plan_sku_compute).to_string(),
        DATABASE_SAVINGS_PLAN => t_string!(i18n, savings_plan_sku_databases).to_string(),
        other => other.to_owned(),
    }
}

/// What an audit entry records, by its `action` code: "Refund", "Ledger covered by the chain"…;
/// a code this build does not know (a newer desk's) is shown as it is.
pub fn audit_action_text(i18n: I18nContext<Locale>, code: &str) -> String {
    let Some(action) = AuditAction::from_code(code) else {
        return code.to_owned();
    };
    let text = match action {
        AuditAction::Refund => t_string!(i18n, audit_action_refund),
        AuditAction::Exchange => t_string!(i18n, audit_action_exchange),
        AuditAction::Purchase => t_string!(i18n, audit_action_purchase),
        AuditAction::ChangeReservation => t_string!(i18n, audit_action_change_reservation),
        AuditAction::AddRoleAssignment => t_string!(i18n, audit_action_add_role_assignment),
        AuditAction::RemoveRoleAssignment => t_string!(i18n, audit_action_remove_role_assignment),
        AuditAction::CreateSupportRequest => t_string!(i18n, audit_action_create_support_request),
        AuditAction::SplitReservation => t_string!(i18n, audit_action_split_reservation),
        AuditAction::MergeReservations => t_string!(i18n, audit_action_merge_reservations),
        AuditAction::ArchiveReservation => t_string!(i18n, audit_action_archive_reservation),
        AuditAction::UnarchiveReservation => t_string!(i18n, audit_action_unarchive_reservation),
        AuditAction::ApprovalRequested => t_string!(i18n, audit_action_approval_requested),
        AuditAction::ApprovalApproved => t_string!(i18n, audit_action_approval_approved),
        AuditAction::ApprovalNeedsApprovalAgain => t_string!(i18n, audit_action_approval_needs_approval_again),
        AuditAction::ApprovalRejected => t_string!(i18n, audit_action_approval_rejected),
        AuditAction::AddGrant => t_string!(i18n, audit_action_add_grant),
        AuditAction::RemoveGrant => t_string!(i18n, audit_action_remove_grant),
        AuditAction::LedgerBaseline => t_string!(i18n, audit_action_ledger_baseline),
        AuditAction::AzureModeStarted => t_string!(i18n, audit_action_azure_mode_started),
        AuditAction::ConsentApplication => t_string!(i18n, audit_action_consent_application),
        AuditAction::MarkWorkItem => t_string!(i18n, audit_action_mark_work_item),
        AuditAction::SetPricing => t_string!(i18n, audit_action_set_pricing),
    };
    text.to_string()
}

/// Why a worklist row is listed, as a kind: "Free exchanges end", "Under-used"… (the Worklist
/// page's filter and column, and the audit entry of a row marked).
pub fn work_reason_text(i18n: I18nContext<Locale>, reason: WorkReason) -> String {
    match reason {
        WorkReason::ExchangeRightEnds => t_string!(i18n, work_reason_exchange_right_ends),
        WorkReason::FinalExchange => t_string!(i18n, work_reason_final_exchange),
        WorkReason::RenewsIntoNoExchange => t_string!(i18n, work_reason_renews_into_no_exchange),
        WorkReason::SeriesRetiring => t_string!(i18n, work_reason_series_retiring),
        WorkReason::ExpiringUncovered => t_string!(i18n, work_reason_expiring_uncovered),
        WorkReason::Underused => t_string!(i18n, work_reason_underused),
        WorkReason::RefundLimit => t_string!(i18n, work_reason_refund_limit),
        WorkReason::AccessEnds => t_string!(i18n, work_reason_access_ends),
        WorkReason::SavingsOnTheTable => t_string!(i18n, work_reason_savings),
    }
    .to_string()
}
