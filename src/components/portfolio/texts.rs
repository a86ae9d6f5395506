//! The portfolio's words: an action, a recommendation's reason, the plan of refunds within the
//! limit, a selection's quote, and amounts in several currencies.

use desk_service::portfolio::{Action, RecommendationReason, RefundSelection, SelectionMethod, SelectionQuote, LOW_USE_PERCENT};
use leptos_i18n::I18nContext;
use quote_engine::Money;

use crate::components::labels::family_text;
use crate::format::{format_date, format_money, format_percent};
use crate::i18n::*;

/// Keep / Exchange / Refund in the user's language.
pub fn action_text(i18n: I18nContext<Locale>, action: Action) -> String {
    match action {
        Action::Keep => t_string!(i18n, portfolio_action_keep),
        Action::Exchange => t_string!(i18n, portfolio_action_exchange),
        Action::Refund => t_string!(i18n, portfolio_action_refund),
    }
    .to_string()
}

/// The CSS modifier of an action's badge.
pub(super) fn action_class(action: Action) -> &'static str {
    match action {
        Action::Keep => "badge muted",
        Action::Exchange => "badge pending",
        Action::Refund => "badge ok",
    }
}

/// A recommendation's reason in one line of the user's language, with its figures.
pub fn reason_text(i18n: I18nContext<Locale>, locale: Locale, reason: &RecommendationReason) -> String {
    let pct = |p| format_percent(p, locale);
    let money = |m: &Money| format_money(m, locale);
    let threshold = pct(LOW_USE_PERCENT);
    match reason {
        RecommendationReason::WellUsed { utilization_30 } => {
            t_string!(i18n, portfolio_reason_well_used, percent = pct(*utilization_30)).to_string()
        }
        RecommendationReason::UseRising { utilization_7, utilization_30 } => {
            t_string!(i18n, portfolio_reason_use_rising, percent30 = pct(*utilization_30), percent7 = pct(*utilization_7))
                .to_string()
        }
        RecommendationReason::EndsSoon { days_left } => crate::t_count!(i18n, portfolio_reason_ends_soon, *days_left),
        RecommendationReason::PartlyUsed { utilization_30, credit } => {
            t_string!(i18n, portfolio_reason_partly_used, percent = pct(*utilization_30), credit = money(credit)).to_string()
        }
        RecommendationReason::LowUseRefundFits { utilization_30, refund } => t_string!(
            i18n,
            portfolio_reason_refund_fits,
            threshold = threshold,
            percent = pct(*utilization_30),
            amount = money(refund)
        )
        .to_string(),
        RecommendationReason::LowUseHeadroomTaken { utilization_30, credit } => t_string!(
            i18n,
            portfolio_reason_headroom_taken,
            threshold = threshold,
            percent = pct(*utilization_30),
            credit = money(credit)
        )
        .to_string(),
        RecommendationReason::LowUseOverLimit { utilization_30, until: Some(date), credit } => t_string!(
            i18n,
            portfolio_reason_over_limit_until,
            percent = pct(*utilization_30),
            date = format_date(*date, locale),
            credit = money(credit)
        )
        .to_string(),
        RecommendationReason::LowUseOverLimit { utilization_30, until: None, credit } => {
            t_string!(i18n, portfolio_reason_over_limit, percent = pct(*utilization_30), credit = money(credit)).to_string()
        }
        RecommendationReason::NotExchangeable { reserved_resource_type: what, from, utilization_30 } => t_string!(
            i18n,
            portfolio_reason_not_exchangeable,
            percent = pct(*utilization_30),
            what = family_text(i18n, what),
            date = format_date(*from, locale)
        )
        .to_string(),
        RecommendationReason::NothingToReturn => t_string!(i18n, portfolio_reason_nothing).to_string(),
        RecommendationReason::UtilizationNotReported => t_string!(i18n, portfolio_reason_not_reported).to_string(),
        RecommendationReason::NotQuotable => t_string!(i18n, portfolio_reason_not_quotable).to_string(),
    }
}

/// Amounts in several currencies, one after the other ("€1,000.00 + $250.00").
pub(super) fn money_list(amounts: impl IntoIterator<Item = Money>, locale: Locale) -> String {
    let parts: Vec<String> = amounts.into_iter().map(|m| format_money(&m, locale)).collect();
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(" + ")
    }
}

/// The plan for the shared limit: which refunds fit, what they count, what is left, and how the
/// set was chosen.
pub(super) fn plan_text(i18n: I18nContext<Locale>, loc: Locale, s: &RefundSelection) -> String {
    let headline = if s.rows.is_empty() {
        t_string!(i18n, portfolio_plan_none, headroom = format_money(&s.headroom_after, loc)).to_string()
    } else {
        t_string!(
            i18n,
            portfolio_plan,
            count = s.rows.len(),
            amount = format_money(&s.value, loc),
            counted = format_money(&s.counted, loc),
            headroom = format_money(&s.headroom, loc),
            left = format_money(&s.headroom_after, loc)
        )
        .to_string()
    };
    let how = match s.method {
        // "The best of every combination" of one candidate says nothing.
        _ if s.candidates < 2 => String::new(),
        SelectionMethod::Exact => t_string!(i18n, portfolio_plan_exact, count = s.candidates).to_string(),
        SelectionMethod::Greedy { upper_bound } => {
            t_string!(i18n, portfolio_plan_greedy, count = s.candidates, bound = format_money(&upper_bound, loc))
                .to_string()
        }
    };
    format!("{headline} {how}").trim_end().to_owned()
}

/// A selection's quote in one status line: what it returns and counts, or by how much it is over.
pub(super) fn selection_text(i18n: I18nContext<Locale>, loc: Locale, q: &SelectionQuote) -> String {
    let mut text = t_string!(i18n, portfolio_selected, count = q.selected).to_string();
    text.push_str(". ");
    if q.fits {
        text.push_str(
            &t_string!(
                i18n,
                portfolio_selection_fits,
                amount = money_list(q.totals.iter().map(|t| t.refund), loc),
                counted = format_money(&q.counted, loc),
                left = format_money(&q.headroom_after, loc)
            )
            .to_string(),
        );
    } else {
        let best = q.best.as_ref();
        text.push_str(
            &t_string!(
                i18n,
                portfolio_selection_over,
                counted = format_money(&q.counted, loc),
                over = format_money(&q.over_by, loc),
                count = best.map_or(0, |b| b.rows.len()),
                amount = best.map_or_else(|| "—".into(), |b| format_money(&b.value, loc))
            )
            .to_string(),
        );
    }
    if !q.refused.is_empty() {
        text.push(' ');
        text.push_str(&t_string!(i18n, portfolio_selection_refused, count = q.refused.len()).to_string());
    }
    text
}
