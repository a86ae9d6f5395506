//! The Exchange panel's **Trade in for a savings plan**: the plan's term, billing plan, name,
//! scope and hourly commitment, with the least hourly commitment the engine computes for the
//! returns as they stand (and a button that takes it). The rules stay in the engine and the
//! service: this view shows what their quote says.

use contract::{AppliedScopeType, Scope};
use desk_service::configuration::display_name;
use leptos::prelude::*;
use quote_engine::{BillingPlan, Currency, Money, Term};

use crate::components::number_field::{locale_number_format, number_problem_text, write_decimal, NumberField};
use crate::components::labels::{plan_text, scope_label, scope_text, term_text};
use crate::components::name_field::NameField;
use crate::components::problem_text::problem_text;
use crate::format::{format_count, format_money};
use crate::i18n::*;
use crate::panels::exchange_request::{parse_hourly, PlanLine};

/// What the engine's quote of the trade-in says about the commitment: the least hourly
/// commitment, the hours of the term and the remaining commitment it must cover.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MinimumCommitment {
    pub hourly: Money,
    pub hours: u32,
    pub remaining: Money,
}

/// The name's problem in the user's language (the one display-name rule), or `None` when it is
/// blank (the desk names the plan) or valid.
pub fn name_problem(i18n: leptos_i18n::I18nContext<Locale>, name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return None;
    }
    display_name(name, "savingsPlansToPurchase[0].displayName").err().map(|e| problem_text(i18n, &contract::Problem::from(e)))
}

/// The savings plan's fields.
#[component]
pub fn SavingsPlanFields(
    /// The plan as typed.
    plan: RwSignal<PlanLine>,
    /// The terms the returned reservations may be traded for (the engine's eligibility data).
    terms: Vec<Term>,
    /// The customer's scopes.
    scopes: StoredValue<Vec<Scope>>,
    /// The billing currency (that of the returned reservations).
    currency: Currency,
    /// The engine's minimum, when the returns can be quoted.
    #[prop(into)]
    minimum: Signal<Option<MinimumCommitment>>,
    /// Whether the live quote refuses the commitment as too low.
    #[prop(into)]
    too_low: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let format = move || locale_number_format(i18n.get_locale());
    // Blank is not wrong yet (the minimum is offered); anything else typed gets its verdict.
    let hourly_verdict = Signal::derive(move || {
        plan.with(|p| if p.hourly.trim().is_empty() { None } else { parse_hourly(&p.hourly, currency, format()).err() })
            .map(|problem| number_problem_text(i18n, problem))
    });
    let name_error = move || plan.with(|p| name_problem(i18n, &p.display_name));
    let code = currency.code().to_owned();
    view! {
        <fieldset class="purchase-line savings-plan">
            <legend class="visually-hidden">{t!(i18n, savings_plan)}</legend>
            <label>{t!(i18n, column_term)}
                <select id="plan-term" on:change=move |e| {
                    let v = event_target_value(&e);
                    if let Some(t) = [Term::P1Y, Term::P3Y, Term::P5Y].into_iter().find(|t| format!("{t:?}") == v) {
                        plan.update(|p| p.term = t);
                    }
                }>
                    {terms.into_iter().map(|t| view! {
                        <option value=format!("{t:?}") selected=move || plan.with(|p| p.term == t)>{move || term_text(i18n, t)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{t!(i18n, column_billing_plan)}
                <select id="plan-billing" on:change=move |e| {
                    let billing = if event_target_value(&e) == "Monthly" { BillingPlan::Monthly } else { BillingPlan::Upfront };
                    plan.update(|p| p.plan = billing);
                }>
                    {[BillingPlan::Upfront, BillingPlan::Monthly].map(|b| view! {
                        <option value=format!("{b:?}") selected=move || plan.with(|p| p.plan == b)>{move || plan_text(i18n, b)}</option>
                    })}
                </select>
            </label>
            <label>{t!(i18n, column_scope)}
                <select id="plan-scope" on:change=move |e| {
                    let choice = event_target_value(&e).parse().unwrap_or(0);
                    plan.update(|p| p.scope = choice);
                }>
                    <option value="0" selected=move || plan.with(|p| p.scope == 0)>{move || scope_text(i18n, AppliedScopeType::Shared)}</option>
                    {scopes.with_value(|all| all.iter().enumerate().map(|(i, scope)| {
                        let scope = scope.clone();
                        view! {
                            <option value=(i + 1).to_string() selected=move || plan.with(|p| p.scope == i + 1)>{move || scope_label(i18n, &scope)}</option>
                        }
                    }).collect_view())}
                </select>
            </label>
            <label>{t!(i18n, display_name)}
                <NameField id="plan-name" placeholder=Signal::derive(move || t_string!(i18n, savings_plan_name_hint).to_string())
                    value=Signal::derive(move || plan.with(|p| p.display_name.clone()))
                    on_input=Callback::new(move |text| plan.update(|p| p.display_name = text))
                    invalid=Signal::derive(move || name_error().is_some()) />
            </label>
            <label>{move || t_string!(i18n, hourly_commitment, currency = code.clone()).to_string()}
                <NumberField id="plan-hourly" described_by="plan-minimum"
                    value=Signal::derive(move || plan.with(|p| p.hourly.clone()))
                    on_input=Callback::new(move |text| plan.update(|p| p.hourly = text))
                    verdict=hourly_verdict invalid=too_low />
            </label>
        </fieldset>
        {move || name_error().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
        <div class="minimum" id="plan-minimum" aria-live="polite">
            {move || match minimum.get() {
                Some(m) => {
                    let text = t_string!(i18n, minimum_hourly_commitment,
                        minimum = format_money(&m.hourly, locale()), hours = format_count(m.hours.into(), locale()), remaining = format_money(&m.remaining, locale())).to_string();
                    // Written as the user would type it (a comma in German).
                    let amount = write_decimal(m.hourly.amount, format().decimal);
                    view! {
                        <p class="hint">{text}</p>
                        <button type="button" class="secondary" id="use-minimum"
                            on:click=move |_| plan.update(|p| p.hourly = amount.clone())>{t!(i18n, use_the_minimum)}</button>
                    }.into_any()
                }
                None => view! { <p class="hint">{t!(i18n, minimum_needs_returns)}</p> }.into_any(),
            }}
        </div>
    }
}
