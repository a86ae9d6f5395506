use leptos::prelude::*;
use quote_engine::api::ExchangeQuoteResponse;
use quote_engine::PolicyErrorCode;

use crate::components::quote_lines::QuoteLines;
use crate::components::quote_text::policy_error_text;
use crate::format::format_money;
use crate::i18n::*;

/// An itemized exchange quote: each line with its rule, the credit for the returns, what is
/// due now, the net payable or credit, and whether the new commitment covers the old one.
#[component]
pub fn ExchangeBreakdown(
    /// The quote, from the browser's engine or confirmed by the server.
    quote: ExchangeQuoteResponse,
    /// The heading above it.
    #[prop(into)]
    title: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let q = quote;
    let rows = view! { <QuoteLines lines=q.lines.clone() /> };
    let errors = q
        .policy_result
        .policy_errors
        .iter()
        .map(|e| {
            let error = e.clone();
            view! { <li>{move || policy_error_text(i18n, &error)}</li> }
        })
        .collect_view();
    let refused = !q.policy_result.policy_errors.is_empty();
    let credit = q.net_payable.is_negative();
    let net = if credit { q.net_payable.negate() } else { q.net_payable };
    let (refunds, purchases) = (q.refunds_total, q.purchases_total);
    let (new, remaining) = (q.new_commitment_total, q.remaining_commitment_total);
    // The engine's own verdict (N ≥ Σ RC), not a second comparison here.
    // A trade-in's own code says the same of the savings plans' lifetime commitment.
    let covered = !q
        .policy_result
        .policy_errors
        .iter()
        .any(|e| matches!(e.code, PolicyErrorCode::ExchangeCommitmentTooLow | PolicyErrorCode::SavingsPlanCommitmentTooLow));
    let commitment = move || {
        let (new, remaining) = (format_money(&new, locale()), format_money(&remaining, locale()));
        if covered {
            t_string!(i18n, commitment_covered, new = new, remaining = remaining).to_string()
        } else {
            t_string!(i18n, commitment_not_covered, new = new, remaining = remaining).to_string()
        }
    };
    view! {
        <section class="quote" aria-label=move || title.get()>
            <h2>{move || title.get()}</h2>
            <Show when=move || refused>
                <div class="policy-errors" role="alert"><ul>{errors.clone()}</ul></div>
            </Show>
            <table class="breakdown">
                <caption class="visually-hidden">{move || title.get()}</caption>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr><th scope="row">{t!(i18n, refunds_total)}</th><td class="num">{move || format_money(&refunds, locale())}</td></tr>
                    <tr><th scope="row">{t!(i18n, purchases_total)}</th><td class="num">{move || format_money(&purchases, locale())}</td></tr>
                    <tr class="total">
                        <th scope="row">{move || if credit { t_string!(i18n, net_credit) } else { t_string!(i18n, net_payable) }}</th>
                        <td class="num total">{move || format_money(&net, locale())}</td>
                    </tr>
                </tfoot>
            </table>
            <p class=if covered { "covered" } else { "field-error" }>{commitment}</p>
        </section>
    }
}
