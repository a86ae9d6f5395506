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
    /// Refusals the page already states above the quote (a reservation the rules do not let be
    /// exchanged): left out here, so each refusal is said once.
    #[prop(optional)]
    said_above: Vec<PolicyErrorCode>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let q = quote;
    let rows = view! { <QuoteLines lines=q.lines.clone() /> };
    let (new, remaining) = (q.new_commitment_total, q.remaining_commitment_total);
    // Each refusal once: the commitment rule's with its figures (no second sentence below).
    let errors = q
        .policy_result
        .policy_errors
        .iter()
        .filter(|e| !said_above.contains(&e.code))
        .map(|e| {
            let error = e.clone();
            let text = move || match error.code {
                PolicyErrorCode::ExchangeCommitmentTooLow => t_string!(
                    i18n,
                    commitment_not_covered,
                    new = format_money(&new, locale()),
                    remaining = format_money(&remaining, locale())
                )
                .to_string(),
                _ => policy_error_text(i18n, &error),
            };
            view! { <li>{text}</li> }
        })
        .collect_view();
    let refused = q.policy_result.policy_errors.iter().any(|e| !said_above.contains(&e.code));
    let credit = q.net_payable.is_negative();
    let net = if credit { q.net_payable.negate() } else { q.net_payable };
    let (refunds, purchases) = (q.refunds_total, q.purchases_total);
    // The engine's own verdict (N ≥ Σ RC), not a second comparison here.
    // A trade-in's own code says the same of the savings plans' lifetime commitment.
    let covered = !q
        .policy_result
        .policy_errors
        .iter()
        .any(|e| matches!(e.code, PolicyErrorCode::ExchangeCommitmentTooLow | PolicyErrorCode::SavingsPlanCommitmentTooLow));
    // Said only when covered: a commitment too low is a refusal, listed once above.
    let commitment = move || t_string!(i18n, commitment_covered, new = format_money(&new, locale()), remaining = format_money(&remaining, locale())).to_string();
    view! {
        <section class="quote" aria-label=move || title.get()>
            <h2>{move || title.get()}</h2>
            {refused.then(|| view! { <div class="policy-errors" role="alert"><ul>{errors}</ul></div> })}
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
            {covered.then(|| view! { <p class="covered">{commitment}</p> })}
        </section>
    }
}
