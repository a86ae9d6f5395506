//! What a change did, in the user's language, from the figures the desk recorded with it
//! (`contract::ChangeDetail`): the History panel's and the Audit log's rows. Money is written as
//! money in the page's locale, terms, SKUs of savings plans, scopes and roles by their names; IDs
//! and resource paths are not part of the sentence.

use contract::{ApprovalKind, ApprovalPerson, Approvers, Bought, BoughtSavingsPlan, ChangeDetail, ScopeWords, SettingChange};
use leptos_i18n::I18nContext;

use crate::components::labels::{reservation_role_text, savings_plan_text, scope_text, term_text, work_reason_text};
use crate::format::{format_count, format_date, format_money};
use crate::i18n::*;
use crate::user::role_text;

/// A person as a row names them: their display name (their sign-in name when they have none).
pub fn person_text(p: &ApprovalPerson) -> String {
    if p.display_name.trim().is_empty() { p.user_principal_name.clone() } else { p.display_name.clone() }
}

/// Who made a change as a row names them, as an approval's people are named: by name (the
/// identity provider's, else the demo user's of that sign-in name), their sign-in name on
/// hover; the sign-in name alone when no name is known.
pub fn actor_text(actor: &str, name: Option<&str>) -> (String, Option<String>) {
    let actor = actor.trim();
    let demo = || desk_service::access::DEMO_USERS.iter().find(|(_, upn, ..)| upn.eq_ignore_ascii_case(actor)).map(|(_, _, name, _)| *name);
    match name.map(str::trim).filter(|n| !n.is_empty()).or_else(demo) {
        Some(name) if name != actor => (name.to_owned(), Some(actor.to_owned()).filter(|a| !a.is_empty())),
        _ => (actor.to_owned(), None),
    }
}

/// Who asked for and who approved a money move, when it waited for approval.
pub fn approvers_of(detail: &ChangeDetail) -> Option<&Approvers> {
    match detail {
        ChangeDetail::Refund { approval, .. } | ChangeDetail::Exchange { approval, .. } | ChangeDetail::Purchase { approval, .. } => approval.as_ref(),
        _ => None,
    }
}

/// An ID the row may show beside its sentence, small and copyable (a grant's security group).
pub fn detail_id(detail: &ChangeDetail) -> Option<String> {
    match detail {
        ChangeDetail::Grant { group_id, .. } => Some(group_id.clone()),
        _ => None,
    }
}

fn kind_text(i18n: I18nContext<Locale>, kind: ApprovalKind) -> String {
    match kind {
        ApprovalKind::Refund => t_string!(i18n, audit_action_refund),
        ApprovalKind::Exchange => t_string!(i18n, audit_action_exchange),
        ApprovalKind::Purchase => t_string!(i18n, audit_action_purchase),
    }
    .to_string()
}

/// "2 × Standard_D4s_v5 in westeurope for 3 years".
fn bought_text(i18n: I18nContext<Locale>, b: &Bought) -> String {
    let quantity = format_count(b.quantity.into(), i18n.get_locale());
    t_string!(i18n, change_bought_item, quantity, sku = b.sku_name.clone(), region = desk_service::region::display_name(&b.location).to_owned(), term = term_text(i18n, b.term)).to_string()
}

/// "Savings plan for compute at $10.00 an hour for 3 years" (a trade-in through Azure adds
/// the savings plan ID Azure gave it).
fn savings_plan_bought_text(i18n: I18nContext<Locale>, p: &BoughtSavingsPlan) -> String {
    let hourly = format_money(&p.hourly_commitment, i18n.get_locale());
    let text = t_string!(i18n, change_savings_plan_item, sku = savings_plan_text(i18n, &p.sku_name), hourly, term = term_text(i18n, p.term)).to_string();
    match &p.savings_plan_id {
        Some(id) => format!("{text} ({})", t_string!(i18n, change_savings_plan_azure_id, id = id.clone())),
        None => text,
    }
}

fn scope_words(i18n: I18nContext<Locale>, s: &ScopeWords) -> String {
    let kind = scope_text(i18n, s.applied_scope_type);
    match s.display_name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => format!("{kind}: {name}"),
        None => kind,
    }
}

fn on_off(i18n: I18nContext<Locale>, on: bool) -> String {
    if on { t_string!(i18n, change_on) } else { t_string!(i18n, change_off) }.to_string()
}

fn setting_text(i18n: I18nContext<Locale>, change: &SettingChange) -> String {
    match change {
        SettingChange::Name { from, to } => t_string!(i18n, change_setting_name, from = from.clone(), to = to.clone()).to_string(),
        SettingChange::Scope { from, to } => {
            t_string!(i18n, change_setting_scope, from = scope_words(i18n, from), to = scope_words(i18n, to)).to_string()
        }
        SettingChange::Renew { from, to } => t_string!(i18n, change_setting_renew, from = on_off(i18n, *from), to = on_off(i18n, *to)).to_string(),
    }
}

/// ", through Azure" when the change was made in Azure.
fn through(i18n: I18nContext<Locale>, text: String, through_azure: bool) -> String {
    if through_azure { format!("{text} · {}", t_string!(i18n, change_through_azure)) } else { text }
}

/// The sentence of a change in the page's language.
pub fn change_detail_text(i18n: I18nContext<Locale>, detail: &ChangeDetail) -> String {
    let locale = i18n.get_locale();
    let money = |m: &quote_engine::Money| format_money(m, locale);
    let count = |n: u32| format_count(n.into(), locale);
    match detail {
        ChangeDetail::Refund { units, refund, through_azure, .. } => {
            let text = crate::t_count!(i18n, change_refund, units.returned(), before = count(units.quantity_before), after = count(units.quantity_after), refund = money(refund));
            through(i18n, text, *through_azure)
        }
        ChangeDetail::Exchange { returned, net_payable, bought, savings_plans, through_azure, .. } => {
            let units: u32 = returned.iter().map(|u| u.returned()).sum();
            let lines: Vec<String> = returned.iter().map(|u| format!("{} → {}", count(u.quantity_before), count(u.quantity_after))).collect();
            let mut text = crate::t_count!(i18n, change_exchange, units, lines = lines.join(", "), net = money(net_payable));
            let items: Vec<String> =
                bought.iter().map(|b| bought_text(i18n, b)).chain(savings_plans.iter().map(|p| savings_plan_bought_text(i18n, p))).collect();
            if !items.is_empty() {
                text = format!("{text}; {}", t_string!(i18n, change_exchange_bought, items = items.join(", ")));
            }
            through(i18n, text, *through_azure)
        }
        ChangeDetail::Purchase { bought, commitment, due_today, through_azure, .. } => {
            let item = bought_text(i18n, bought);
            let text = match (commitment, due_today) {
                (Some(c), Some(d)) => t_string!(i18n, change_purchase, item, commitment = money(c), due = money(d)).to_string(),
                (Some(c), None) => t_string!(i18n, change_purchase_price, item, commitment = money(c)).to_string(),
                _ => t_string!(i18n, change_purchase_bought, item).to_string(),
            };
            through(i18n, text, *through_azure)
        }
        ChangeDetail::Before => t_string!(i18n, revision_before_detail).to_string(),
        ChangeDetail::Configuration { changes, through_azure } => {
            let parts: Vec<String> = changes.iter().map(|c| setting_text(i18n, c)).collect();
            through(i18n, parts.join("; "), *through_azure)
        }
        ChangeDetail::Split { quantity, parts, through_azure } => {
            let parts: Vec<String> = parts.iter().map(|p| count(*p)).collect();
            through(i18n, t_string!(i18n, change_split, quantity = count(*quantity), parts = parts.join(" + ")).to_string(), *through_azure)
        }
        ChangeDetail::SplitFrom { quantity, of } => t_string!(i18n, change_split_from, quantity = count(*quantity), of = count(*of)).to_string(),
        ChangeDetail::Merge { sources, quantity, through_azure } => {
            through(i18n, t_string!(i18n, change_merge, sources = count(*sources), quantity = count(*quantity)).to_string(), *through_azure)
        }
        ChangeDetail::Archive { archived, through_azure } => {
            let text = if *archived { t_string!(i18n, change_archived) } else { t_string!(i18n, change_unarchived) };
            through(i18n, text.to_string(), *through_azure)
        }
        ChangeDetail::RoleAssigned { principal_name, role } => {
            t_string!(i18n, change_role_assigned, principal = principal_name.clone(), role = reservation_role_text(i18n, *role)).to_string()
        }
        ChangeDetail::RoleRemoved => t_string!(i18n, change_role_removed).to_string(),
        ChangeDetail::SupportRequest { summary } => t_string!(i18n, change_support_request, summary = summary.clone()).to_string(),
        ChangeDetail::ApprovalRequested { of, amount, requested_by } => {
            t_string!(i18n, change_approval_requested, what = kind_text(i18n, *of), amount = money(amount), asker = person_text(requested_by)).to_string()
        }
        ChangeDetail::ApprovalApproved { of, amount, requested_by, approved_by } => t_string!(
            i18n,
            change_approval_approved,
            what = kind_text(i18n, *of),
            amount = money(amount),
            approver = person_text(approved_by),
            asker = person_text(requested_by)
        )
        .to_string(),
        ChangeDetail::ApprovalNeedsApprovalAgain { of, previous, amount, requested_by, quoted_by } => t_string!(
            i18n,
            change_approval_again,
            what = kind_text(i18n, *of),
            by = person_text(quoted_by),
            previous = money(previous),
            amount = money(amount),
            asker = person_text(requested_by)
        )
        .to_string(),
        ChangeDetail::ApprovalRejected { of, amount, requested_by, rejected_by, reason } => t_string!(
            i18n,
            change_approval_rejected,
            what = kind_text(i18n, *of),
            amount = money(amount),
            by = person_text(rejected_by),
            reason = reason.clone(),
            asker = person_text(requested_by)
        )
        .to_string(),
        ChangeDetail::Grant { granted, role, customer_name, .. } => {
            let on = customer_name.clone().unwrap_or_else(|| t_string!(i18n, change_all_customers).to_string());
            let role = role_text(i18n, *role);
            if *granted { t_string!(i18n, change_grant_added, role, on).to_string() } else { t_string!(i18n, change_grant_removed, role, on).to_string() }
        }
        ChangeDetail::Consent { customer_name, state, status, code, message } => {
            let customer = customer_name.clone();
            let what = match state {
                contract::source::ConsentState::Consented => t_string!(i18n, change_consent_consented, customer).to_string(),
                contract::source::ConsentState::AlreadyConsented => t_string!(i18n, change_consent_already, customer).to_string(),
                contract::source::ConsentState::Renewed => t_string!(i18n, change_consent_renewed, customer).to_string(),
                _ => t_string!(i18n, change_consent_failed, customer).to_string(),
            };
            let answered = match status {
                Some(status) => t_string!(i18n, change_partner_center_answered, status = *status).to_string(),
                None => t_string!(i18n, change_partner_center_silent).to_string(),
            };
            // Partner Center's own code and words, as it gave them.
            let why: Vec<&str> = [code.as_deref(), message.as_deref()].into_iter().flatten().collect();
            if why.is_empty() { format!("{what}: {answered}") } else { format!("{what}: {answered} ({})", why.join(": ")) }
        }
        ChangeDetail::AzureModeStarted { read_only } => {
            if *read_only { t_string!(i18n, change_azure_mode_read_only) } else { t_string!(i18n, change_azure_mode_changes) }.to_string()
        }
        ChangeDetail::LedgerBaseline { rows } => crate::t_count!(i18n, audit_ledger_baseline, *rows),
        ChangeDetail::PricingSet { all_customers, markup_percent, fixed_prices } => {
            let markup = crate::format::format_percent_exact(*markup_percent, locale);
            let text = if *all_customers { t_string!(i18n, change_pricing_set_all, markup) } else { t_string!(i18n, change_pricing_set, markup) }.to_string();
            if *fixed_prices == 0 { text } else { format!("{text}; {}", crate::t_count!(i18n, change_pricing_fixed, *fixed_prices)) }
        }
        ChangeDetail::WorkItemMarked { reason, reservation_name, state, snoozed_until, owner, note } => {
            let reason = work_reason_text(i18n, *reason);
            let row = match reservation_name {
                Some(name) => t_string!(i18n, change_work_row_of_reservation, reason, name = name.clone()).to_string(),
                None => t_string!(i18n, change_work_row, reason).to_string(),
            };
            let mut text = match (state, snoozed_until) {
                (contract::WorkState::Snoozed, Some(until)) => t_string!(i18n, change_work_snoozed, row, date = format_date(*until, locale)).to_string(),
                (contract::WorkState::Done, _) => t_string!(i18n, change_work_done, row).to_string(),
                _ => t_string!(i18n, change_work_open, row).to_string(),
            };
            if let Some(owner) = owner {
                text = format!("{text}; {}", t_string!(i18n, change_work_owner, owner = owner.clone()));
            }
            if let Some(note) = note {
                text = format!("{text}; {}", t_string!(i18n, change_work_note, note = note.clone()));
            }
            text
        }
    }
}

/// What buying `r` bought, for a History row an older desk wrote without figures.
pub fn bought_reservation_text(i18n: I18nContext<Locale>, r: &contract::Reservation) -> String {
    t_string!(i18n, change_purchase_bought, item = bought_text(i18n, &Bought::of(r))).to_string()
}

/// A row's Who: whoever made the change; for a money move that waited for approval, who asked
/// and who approved it (each by name, their sign-in name on hover).
#[leptos::component]
pub fn ChangeWho(
    /// Who made the change (their sign-in name; empty when not known).
    actor: String,
    /// Their name as the identity provider gave it, when it did.
    #[prop(default = None)]
    name: Option<String>,
    /// Who asked and who approved, when it waited for approval.
    approvers: Option<Approvers>,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let i18n = use_i18n();
    match approvers {
        Some(a) => {
            let (asker, asker_upn) = (person_text(&a.requested_by), a.requested_by.user_principal_name.clone());
            let (approver, approver_upn) = (person_text(&a.approved_by), a.approved_by.user_principal_name.clone());
            view! {
                <span class="change-who">
                    <span class="change-who-role">{move || t_string!(i18n, history_asked_by)} ": "</span>
                    <span title=asker_upn>{asker}</span>
                </span>
                <span class="change-who">
                    <span class="change-who-role">{move || t_string!(i18n, history_approved_by)} ": "</span>
                    <span title=approver_upn>{approver}</span>
                </span>
            }
            .into_any()
        }
        None if actor.is_empty() => "—".into_any(),
        None => {
            let (name, upn) = actor_text(&actor, name.as_deref());
            view! { <span title=upn>{name}</span> }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::actor_text;

    #[test]
    fn whoever_made_a_change_is_named_in_one_form_with_the_sign_in_name_on_hover() {
        // The identity provider's name.
        assert_eq!(actor_text("ada@partner.example", Some("Ada Lovelace")), ("Ada Lovelace".into(), Some("ada@partner.example".into())));
        // A demo user, whose entries record the sign-in name only: named as the header names them.
        assert_eq!(actor_text("adam.agent@partner.example", None), ("Adam Agent".into(), Some("adam.agent@partner.example".into())));
        assert_eq!(actor_text("Gina.Admin@partner.example", Some("  ")), ("Gina Global".into(), Some("Gina.Admin@partner.example".into())));
        // No name known: the sign-in name, nothing more on hover.
        assert_eq!(actor_text("ops@partner.example", None), ("ops@partner.example".into(), None));
        assert_eq!(actor_text("ops@partner.example", Some("ops@partner.example")), ("ops@partner.example".into(), None));
    }
}
