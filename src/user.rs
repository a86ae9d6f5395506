//! The signed-in user as the views see it: who, which role, and what the role may do in this
//! deployment (a read-only pilot of Azure mode refuses every change, whatever the role).

use contract::{PartnerRole, User};
use desk_service::access::{read_only_pilot_refuses, user_allows, Permission};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::i18n::*;

/// The signed-in user, once `/api/me` answered (`None` before, or when signed out), and whether
/// the deployment is a read-only pilot of Azure mode (known once its settings answered).
#[derive(Clone, Copy)]
pub struct CurrentUser(pub RwSignal<Option<User>>, pub RwSignal<bool>);

impl Default for CurrentUser {
    fn default() -> Self {
        Self::new()
    }
}

impl CurrentUser {
    /// A user not known yet, in a deployment not known to be a pilot.
    pub fn new() -> Self {
        Self(RwSignal::new(None), RwSignal::new(false))
    }

    /// The context provided by the shell.
    pub fn expect() -> Self {
        use_context::<Self>().unwrap_or_default()
    }

    /// Whether this deployment is a read-only pilot of Azure mode.
    pub fn read_only_pilot(self) -> bool {
        self.1.get()
    }

    /// Whether the user may do `permission`: what any of its roles allows, unless a read-only
    /// pilot refuses it (false until known: the backend decides anyway).
    pub fn may(self, permission: Permission) -> bool {
        !(self.1.get() && read_only_pilot_refuses(permission)) && self.0.with(|u| u.as_ref().is_some_and(|u| user_allows(u, permission)))
    }

    /// The tooltip of a control the user may not use here, or `None` when it may: the pilot's
    /// reason first (no role would help), else the role's.
    pub fn refusal(self, i18n: I18nContext<Locale>, permission: Permission) -> Option<String> {
        if self.may(permission) {
            return None;
        }
        if self.1.get() && read_only_pilot_refuses(permission) {
            return Some(t_string!(i18n, read_only_pilot_refusal).to_string());
        }
        let role = self.0.with(|u| u.as_ref().map(|u| role_text(i18n, u.role))).unwrap_or_default();
        Some(t_string!(i18n, not_allowed, role = role).to_string())
    }
}

/// A role in the user's language.
pub fn role_text(i18n: I18nContext<Locale>, role: PartnerRole) -> String {
    match role {
        PartnerRole::GlobalAdmin => t_string!(i18n, role_GlobalAdmin),
        PartnerRole::AdminAgent => t_string!(i18n, role_AdminAgent),
        PartnerRole::HelpdeskAgent => t_string!(i18n, role_HelpdeskAgent),
        PartnerRole::SalesAgent => t_string!(i18n, role_SalesAgent),
        PartnerRole::UserManagementAdmin => t_string!(i18n, role_UserManagementAdmin),
    }
    .to_string()
}
