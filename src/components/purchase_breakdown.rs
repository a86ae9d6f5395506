//! A purchase quote as the Buy panel and the Approvals page show it: what is paid today (the
//! engine's itemized lines), the commitment, the payments of a monthly plan, and what it saves
//! against the usage it covers. Every figure is the engine's or the server's.

use leptos::prelude::*;
use quote_engine::{Payment, PurchaseQuote};

use crate::components::quote_lines::QuoteLines;
use crate::components::quote_text::policy_error_text;
use crate::format::{format_date, format_money};
use crate::i18n::*;

/// How many of a monthly plan's payments are listed before "… N more".
const PAYMENTS_SHOWN: usize = 3;

/// An itemized purchase quote under `title` (a region named by it): the policy's refusals, the
/// lines due today and their total, the commitment and the term's end, the first payments of a
/// monthly plan, and the savings when the quote has them.
#[component]
pub fn PurchaseBreakdown(
    /// The quote, from the browser's engine or confirmed by the server.
    quote: PurchaseQuote,
    /// The heading above it.
    #[prop(into)]
    title: Signal<String>,
    /// The heading's level: 2 on its own, 3 inside a card.
    #[prop(optional)]
    nested: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let q = quote;
    let errors = q
        .policy_errors
        .iter()
        .map(|e| {
            let error = e.clone();
            view! { <li>{move || policy_error_text(i18n, &error)}</li> }
        })
        .collect_view();
    let refused = !q.policy_errors.is_empty();
    let (due, commitment, expiry) = (q.due_today, q.commitment, q.expiry_date);
    let monthly = q.schedule.len() > 1;
    let shown: Vec<Payment> = q.schedule.iter().take(PAYMENTS_SHOWN).copied().collect();
    let more = q.schedule.len().saturating_sub(PAYMENTS_SHOWN);
    let heading = move || title.get();
    view! {
        <section class="quote purchase-quote" aria-label=heading>
            {if nested { view! { <h3>{heading}</h3> }.into_any() } else { view! { <h2>{heading}</h2> }.into_any() }}
            {refused.then(|| view! { <div class="policy-errors" role="alert"><ul>{errors}</ul></div> })}
            <table class="breakdown">
                <caption class="visually-hidden">{heading}</caption>
                <tbody><QuoteLines lines=q.lines.clone() /></tbody>
                <tfoot>
                    <tr class="total">
                        <th scope="row">{t!(i18n, due_today)}</th>
                        <td class="num total purchase-due">{move || format_money(&due, locale())}</td>
                    </tr>
                    <tr>
                        <th scope="row">{t!(i18n, purchase_commitment)}</th>
                        <td class="num purchase-commitment">{move || format_money(&commitment, locale())}</td>
                    </tr>
                    <tr>
                        <th scope="row">{t!(i18n, purchase_ends)}</th>
                        <td class="num">{move || format_date(expiry, locale())}</td>
                    </tr>
                </tfoot>
            </table>
            {monthly.then(|| view! {
                <div class="payment-schedule">
                    <p class="schedule-title">{t!(i18n, payment_schedule)}</p>
                    <ul>
                        {shown.iter().map(|p| {
                            let p = *p;
                            view! { <li><span>{move || format_date(p.due, locale())}</span> " " <span class="num">{move || format_money(&p.amount, locale())}</span></li> }
                        }).collect_view()}
                        {(more > 0).then(|| view! { <li class="sub">{move || t_string!(i18n, payments_more, more = more).to_string()}</li> })}
                    </ul>
                </div>
            })}
            {q.savings.map(|s| view! {
                <dl class="purchase-savings limit-figures">
                    <dt>{t!(i18n, on_demand_over_term)}</dt><dd>{move || format_money(&s.on_demand_total, locale())}</dd>
                    <dt>{t!(i18n, savings_over_term)}</dt><dd>{move || format_money(&s.savings_total, locale())}</dd>
                    <dt>{t!(i18n, column_savings_per_year)}</dt><dd class="purchase-savings-year">{move || format_money(&s.savings_per_year, locale())}</dd>
                    <dt>{t!(i18n, column_break_even)}</dt><dd>{move || break_even_text(i18n, s.break_even_month)}</dd>
                </dl>
            })}
        </section>
    }
}

/// "Month 7", or that it does not break even within the term.
pub fn break_even_text(i18n: leptos_i18n::I18nContext<Locale>, month: Option<u32>) -> String {
    match month {
        Some(month) => t_string!(i18n, break_even_month, month = month).to_string(),
        None => t_string!(i18n, break_even_never).to_string(),
    }
}
