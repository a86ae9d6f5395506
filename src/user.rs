//! The signed-in user as the views see it: who, which role, and what the role may do.

use contract::{PartnerRole, User};
use desk_service::access::{user_allows, Permission};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::i18n::*;

/// The signed-in user, once `/api/me` answered (`None` before, or when signed out).
#[derive(Clone, Copy)]
pub struct CurrentUser(pub RwSignal<Option<User>>);

impl CurrentUser {
    /// The context provided by the shell.
    pub fn expect() -> Self {
        use_context::<Self>().unwrap_or(Self(RwSignal::new(None)))
    }

    /// Whether the user may do `permission`: what any of its roles allows (false until known:
    /// the backend decides anyway).
    pub fn may(self, permission: Permission) -> bool {
        self.0.with(|u| u.as_ref().is_some_and(|u| user_allows(u, permission)))
    }

    /// The tooltip of a control the role may not use, or `None` when it may.
    pub fn refusal(self, i18n: I18nContext<Locale>, permission: Permission) -> Option<String> {
        if self.may(permission) {
            return None;
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
