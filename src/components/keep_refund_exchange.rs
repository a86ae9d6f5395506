//! Keep, refund or exchange one reservation, side by side: what each costs or returns now and
//! over the rest of the term, and which one the portfolio recommends.
//!
//! Thin: every figure is `desk_service::portfolio::compare_options` over the customer's
//! reservations and refund limit (the two calls the Portfolio tab makes), so the amounts and
//! the recommendation are the Portfolio tab's for the same day and policy.

use contract::{RefundLimit, Reservation};
use desk_service::portfolio::{compare_options, comparable, Action, Comparison, NotComparable, RefundLimitStatus};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use quote_engine::{Money, PolicyName};

use crate::api;
use crate::clock;
use crate::components::labels::state_text;
use crate::components::load_error::LoadError;
use crate::components::portfolio::{action_text, reason_text};
use crate::components::quote_text::{policy_error_text, policy_name_text};
use crate::deployment::{self, chosen_policy, Deployment, SettingsResource};
use crate::format::{format_date, format_money, format_percent};
use crate::i18n::*;
use crate::paths;

async fn load(customer_id: String, settings: SettingsResource) -> Result<(Vec<Reservation>, RefundLimit, PolicyName), api::ApiError> {
    let reservations = api::reservations(&customer_id).await?;
    let limit = api::refund_limit(&customer_id).await?;
    Ok((reservations, limit, deployment::refund_policy(settings).await?))
}

/// The comparison for `reservation`, loaded with its customer's other reservations and limit.
/// On an inactive reservation it says why there is nothing to compare, without loading.
#[component]
pub fn KeepRefundExchange(
    /// The customer the reservation belongs to.
    customer_id: String,
    /// The reservation compared.
    reservation: Reservation,
    /// Whether a refund or exchange of it waits for someone else's approval: the options' ways
    /// to the Refund and Exchange panels are disabled, described by `waiting_reason`.
    #[prop(into, optional)]
    waiting: Signal<bool>,
    /// The ID of the note that says why while it waits.
    #[prop(optional)]
    waiting_reason: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let today = clock::today();
    // The policy of the URL (`?policy=`, a what-if), else the deployment's, as the Refund panel
    // and the Portfolio tab read it.
    let query = use_query_map();
    let asked = Memo::new(move |_| query.read().get("policy"));
    let settings = Deployment::settings();
    let heading = view! { <h3 id="compare-title">{t!(i18n, compare_title)}</h3> };
    if let Err(why) = comparable(&reservation, today) {
        return view! {
            <section class="compare" aria-labelledby="compare-title">
                {heading}
                <p class="empty">{move || not_comparable_text(i18n, locale(), why)}</p>
            </section>
        }
        .into_any();
    }
    let quantity = reservation.quantity;
    let id = reservation.id.clone();
    let owner = customer_id.clone();
    let inputs = LocalResource::new(move || load(customer_id.clone(), settings));
    view! {
        <section class="compare" aria-labelledby="compare-title">
            {heading}
            <p class="sub">{move || t_string!(i18n, compare_scope, count = quantity, date = format_date(today, locale())).to_string()}</p>
            <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, compare_loading)}</p> }>
                {move || {
                    let (id, customer_id) = (id.clone(), owner.clone());
                    Suspend::new(async move {
                        match inputs.await {
                            Ok((reservations, limit, deployed)) => {
                                let policy = move || asked.with(|p| chosen_policy(p.as_deref(), deployed));
                                let links = OptionLinks {
                                    refund: paths::reservation(&customer_id, &id, "refund"),
                                    exchange: paths::reservation(&customer_id, &id, "exchange"),
                                    waiting,
                                    waiting_reason,
                                };
                                let view = move || match compare_options(&reservations, &limit, &id, today, policy()) {
                                    Ok(c) => view! { <Options comparison=c links=links.clone() /> }.into_any(),
                                    Err(why) => view! { <p class="empty">{not_comparable_text(i18n, locale(), why)}</p> }.into_any(),
                                };
                                view.into_any()
                            }
                            Err(error) => view! { <LoadError error retry=move || inputs.refetch() /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
    .into_any()
}

/// Why there is nothing to compare, in the user's language.
fn not_comparable_text(i18n: leptos_i18n::I18nContext<Locale>, locale: Locale, why: NotComparable) -> String {
    match why {
        NotComparable::State(state) => {
            t_string!(i18n, compare_inactive, state = state_text(i18n, state).to_lowercase()).to_string()
        }
        NotComparable::Ended(date) => t_string!(i18n, compare_ended, date = format_date(date, locale)).to_string(),
        NotComparable::NotQuotable => t_string!(i18n, compare_not_quotable).to_string(),
    }
}

/// Where the options lead: the reservation's Refund and Exchange panels, unless a refund or
/// exchange of it waits for approval (then nowhere, and `waiting_reason` says why).
#[derive(Clone)]
struct OptionLinks {
    refund: String,
    exchange: String,
    waiting: Signal<bool>,
    waiting_reason: &'static str,
}

/// The three options as cards, then the recommendation. An Exchange the rules refuse today
/// is shown as not available, with why, and a refund offered instead.
#[component]
fn Options(comparison: Comparison, links: OptionLinks) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let Comparison { keep, refund, exchange, recommendation } = comparison;
    let money = move |m: Money| move || format_money(&m, locale());
    let paid_upfront = keep.future_payments.is_zero();
    let limit_line = move || match refund.limit {
        RefundLimitStatus::Fits { headroom_after } => {
            t_string!(i18n, compare_refund_fits, left = format_money(&headroom_after, locale())).to_string()
        }
        RefundLimitStatus::Capped { forfeited } => {
            t_string!(i18n, compare_refund_capped, amount = format_money(&forfeited, locale())).to_string()
        }
        RefundLimitStatus::Refused { until: Some(date) } => {
            t_string!(i18n, compare_refund_refused_until, date = format_date(date, locale())).to_string()
        }
        RefundLimitStatus::Refused { until: None } => t_string!(i18n, compare_refund_refused).to_string(),
    };
    let (limit_class, blocked) = match refund.limit {
        RefundLimitStatus::Fits { .. } => ("limit-status ok", false),
        RefundLimitStatus::Capped { .. } => ("limit-status warning", false),
        RefundLimitStatus::Refused { .. } => ("limit-status policy-errors", true),
    };
    let action = recommendation.action;
    let reason = recommendation.reason.clone();
    // The recommended option is marked in words, not by its border alone.
    let badge = move |option: Action| {
        (option == action).then(|| view! { <span class="badge ok">{t!(i18n, compare_recommended_badge)}</span> })
    };
    view! {
        <div class="compare-options">
            <section class="option" class:recommended=action == Action::Keep aria-labelledby="option-keep">
                <h4 id="option-keep">{t!(i18n, portfolio_action_keep)} {badge(Action::Keep)}</h4>
                <p class="sub">{t!(i18n, compare_keep_what)}</p>
                <dl>
                    <dt>{t!(i18n, portfolio_column_remaining)}</dt>
                    <dd>
                        <span class="figure">{money(keep.remaining_commitment)}</span>
                        <span class="sub">{move || crate::t_count!(i18n, compare_over_days, keep.days_left, date = format_date(keep.expiry_date, locale()))}</span>
                    </dd>
                    <dt>{t!(i18n, compare_still_billed)}</dt>
                    <dd>
                        {money(keep.future_payments)}
                        {paid_upfront.then(|| view! { <span class="sub">{t!(i18n, compare_nothing_billed)}</span> })}
                    </dd>
                    {match (keep.utilization_30, keep.unused_at_current_use) {
                        (Some(percent), Some(unused)) => view! {
                            <dt>{move || t_string!(i18n, compare_unused, percent = format_percent(percent, locale())).to_string()}</dt>
                            <dd>{money(unused)}</dd>
                        }.into_any(),
                        _ => view! {
                            <dt>{t!(i18n, compare_unused_not_reported)}</dt>
                            <dd>{t!(i18n, compare_unused_unknown)}</dd>
                        }.into_any(),
                    }}
                </dl>
            </section>
            <section class="option" class:recommended=action == Action::Refund aria-labelledby="option-refund">
                <h4 id="option-refund">{t!(i18n, portfolio_column_refund)} {badge(Action::Refund)}</h4>
                <p class="sub">{t!(i18n, compare_refund_what)}</p>
                <dl>
                    <dt>{t!(i18n, compare_refund_amount)}</dt>
                    <dd>
                        <span class="figure" class:blocked=blocked>{money(refund.amount)}</span>
                        <span class="sub">{move || policy_name_text(i18n, refund.policy)}</span>
                    </dd>
                    <dt>{t!(i18n, reason_early_termination_fee)}</dt>
                    <dd>{money(refund.early_termination_fee)}</dd>
                    <dt>{t!(i18n, compare_counted)}</dt>
                    <dd>{money(refund.counted)}<span class="sub">{move || t_string!(i18n, compare_headroom, amount = format_money(&refund.headroom, locale())).to_string()}</span></dd>
                </dl>
                <p class=limit_class>{limit_line}</p>
            </section>
            {match exchange.refusal.clone() {
                Some(refusal) => view! {
                    <section class="option unavailable" aria-labelledby="option-exchange" aria-describedby="option-exchange-why">
                        <h4 id="option-exchange">{t!(i18n, exchange)} <span class="badge muted">{t!(i18n, compare_exchange_not_available)}</span></h4>
                        <p id="option-exchange-why" class="limit-status policy-errors">{move || policy_error_text(i18n, &refusal)}</p>
                        <p class="option-links">
                            <Show when=move || !links.waiting.get() fallback=move || view! {
                                <button type="button" class="secondary" disabled aria-describedby=links.waiting_reason>
                                    {t!(i18n, exchange_refund_instead)}
                                </button>
                            }>
                                <A href=links.refund.clone() attr:class="button secondary">{t!(i18n, exchange_refund_instead)}</A>
                                " "
                                <A href=links.exchange.clone()>{t!(i18n, compare_open_exchange)}</A>
                            </Show>
                        </p>
                    </section>
                }.into_any(),
                None => view! {
                    <section class="option" class:recommended=action == Action::Exchange aria-labelledby="option-exchange">
                        <h4 id="option-exchange">{t!(i18n, exchange)} {badge(Action::Exchange)}</h4>
                        <p class="sub">{t!(i18n, compare_exchange_what)}</p>
                        <dl>
                            <dt>{t!(i18n, portfolio_column_credit)}</dt>
                            <dd><span class="figure">{money(exchange.credit)}</span></dd>
                            <dt>{t!(i18n, compare_min_commitment)}</dt>
                            <dd>{money(exchange.minimum_new_commitment)}</dd>
                        </dl>
                        <p class="limit-status">{t!(i18n, compare_exchange_not_counted)}</p>
                        {exchange.final_exchange_from.map(|from| view! {
                            <p class="sub">{move || t_string!(i18n, exchange_final_right, date = format_date(from, locale())).to_string()}</p>
                        })}
                    </section>
                }.into_any(),
            }}
        </div>
        <p class="compare-recommendation">
            <strong>{move || t_string!(i18n, compare_recommended, action = action_text(i18n, action)).to_string()}</strong>
            " "
            {move || reason_text(i18n, locale(), &reason)}
        </p>
    }
}
