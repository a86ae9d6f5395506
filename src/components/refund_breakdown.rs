use leptos::prelude::*;
use quote_engine::api::RefundQuoteResponse;
use quote_engine::WarningCode;

use crate::components::quote_lines::QuoteLines;
use crate::components::quote_text::policy_error_text;
use crate::format::{format_date, format_money};
use crate::i18n::*;

/// An itemized refund quote: each line with the rule that produced it, the total, the
/// refund-limit effect, and any refusal or warning in plain words.
#[component]
pub fn RefundBreakdown(
    /// The quote, computed in the browser or confirmed by the server (the same shape).
    quote: RefundQuoteResponse,
    /// The heading above it.
    #[prop(into)]
    title: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let RefundQuoteResponse { lines, refund_amount, policy_result: result, .. } = quote.clone();

    let rows = view! { <QuoteLines lines /> };

    let errors = result
        .policy_errors
        .iter()
        .map(|error| {
            let error = error.clone();
            view! { <li>{move || policy_error_text(i18n, &error)}</li> }
        })
        .collect_view();
    let refused = !result.policy_errors.is_empty();
    // Refused by the limit, the engine still reports what the refund would be: say so, rather
    // than present it as money the customer gets.
    let would_be = refused && !refund_amount.is_zero();
    let capped = result.warnings.iter().any(|w| w.code == WarningCode::RefundCapped);
    let max_quantity = quote.max_quantity_within_limit;
    let fits_on = quote.fits_on;
    let consumed = result.consumed_refunds_total;
    let limit = result.max_refund_limit;
    let counted = result.counted_toward_limit;

    view! {
        <section class="quote" aria-label=move || title.get()>
            <h2>{move || title.get()}</h2>
            {refused.then(|| view! {
                <div class="policy-errors" role="alert">
                    <ul>{errors}</ul>
                    {max_quantity.map(|count| view! { <p>{t!(i18n, max_quantity_fits, count)}</p> })}
                    {fits_on.map(|date| view! {
                        <p>{t!(i18n, fits_on, date = move || format_date(date, locale()))}</p>
                    })}
                </div>
            })}
            <Show when=move || capped>
                <p class="warning" role="status">{t!(i18n, warning_refund_capped)}</p>
            </Show>
            <table class="breakdown">
                <caption class="visually-hidden">{move || title.get()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, line_reason)}</th>
                        <th scope="col" class="num">{t!(i18n, line_amount)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row">
                            {move || if would_be { t_string!(i18n, refund_would_be) } else { t_string!(i18n, refund_to_customer) }}
                        </th>
                        <td class="num total">{move || format_money(&refund_amount, locale())}</td>
                    </tr>
                </tfoot>
            </table>
            <dl class="limit-figures">
                <dt>{t!(i18n, limit_consumed)}</dt>
                <dd>{move || format!("{} / {}", format_money(&consumed, locale()), format_money(&limit, locale()))}</dd>
                <dt>{t!(i18n, counted_toward_limit)}</dt>
                <dd>{move || format_money(&counted, locale())}</dd>
            </dl>
        </section>
    }
}
