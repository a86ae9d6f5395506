//! Azure mode's Review: Azure's own `calculateRefund` beside the desk's quote (issue 30). Each
//! figure in a row (the desk's, Azure's); a figure where they differ is named as a difference (a
//! finding worth showing, not an error: the return is made with Azure's figures). Azure's
//! headroom (`maxRefundLimit − consumedRefundsTotal`) is the one that counts in this mode; its
//! policy errors, or a refund above that headroom, say why Submit is refused.

use contract::{AzureRefundCheck, RefundFigure};
use leptos::prelude::*;
use quote_engine::api::RefundQuoteResponse;
use quote_engine::Money;

use crate::format::format_money;
use crate::i18n::*;

/// Why Azure would refuse this return, if it would: its policy errors, or its headroom.
pub fn azure_refusal(check: &AzureRefundCheck) -> bool {
    !check.policy_errors.is_empty() || check.pricing_refund_amount.amount > check.headroom.amount
}

fn figure_text(i18n: leptos_i18n::I18nContext<Locale>, figure: RefundFigure) -> String {
    match figure {
        RefundFigure::RefundAmount => t_string!(i18n, azure_figure_refund).to_string(),
        RefundFigure::ConsumedRefundsTotal => t_string!(i18n, azure_figure_consumed).to_string(),
        RefundFigure::MaxRefundLimit => t_string!(i18n, azure_figure_limit).to_string(),
    }
}

/// Azure's figures beside the desk's `quote`.
#[component]
pub fn AzureRefundCheckView(
    /// The desk's quote.
    quote: RefundQuoteResponse,
    /// Azure's calculation.
    check: AzureRefundCheck,
    /// The ID of the note saying why Submit is refused (Submit's `aria-describedby`).
    refusal_id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let p = &quote.policy_result;
    let rows: Vec<(RefundFigure, Money, Money)> = vec![
        (RefundFigure::RefundAmount, quote.refund_amount, check.refund_amount),
        (RefundFigure::ConsumedRefundsTotal, p.consumed_refunds_total, check.consumed_refunds_total),
        (RefundFigure::MaxRefundLimit, p.max_refund_limit, check.max_refund_limit),
    ];
    let differs = check.differences.iter().map(|d| d.figure).collect::<Vec<_>>();
    let rows = rows
        .into_iter()
        .map(|(figure, desk, azure)| {
            let differs = differs.contains(&figure);
            view! {
                <tr class:differs=differs>
                    <th scope="row">{move || figure_text(i18n, figure)}</th>
                    <td class="num">{move || format_money(&desk, locale())}</td>
                    <td class="num">{move || format_money(&azure, locale())}</td>
                    <td>{differs.then(|| view! { <span class="difference">{t!(i18n, azure_differs)}</span> })}</td>
                </tr>
            }
        })
        .collect_view();
    let differences = check
        .differences
        .iter()
        .map(|d| {
            let d = d.clone();
            view! {
                <li>{move || t_string!(
                    i18n,
                    azure_difference,
                    figure = figure_text(i18n, d.figure),
                    desk = format_money(&d.desk, locale()),
                    azure = format_money(&d.azure, locale())
                ).to_string()}</li>
            }
        })
        .collect_view();
    let any_difference = !check.differences.is_empty();
    let errors = check
        .policy_errors
        .iter()
        .map(|e| {
            let text = format!("{}: {}", e.code, e.message);
            view! { <li>{text}</li> }
        })
        .collect_view();
    let refused = azure_refusal(&check);
    let has_errors = !check.policy_errors.is_empty();
    let (headroom, counted) = (check.headroom, check.pricing_refund_amount);
    view! {
        <section class="quote azure-check" aria-labelledby="azure-check-title">
            <h2 id="azure-check-title">{t!(i18n, azure_check_title)}</h2>
            <p class="caption">{t!(i18n, azure_check_caption)}</p>
            <table class="breakdown">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, azure_column_figure)}</th>
                        <th scope="col" class="num">{t!(i18n, azure_column_desk)}</th>
                        <th scope="col" class="num">{t!(i18n, azure_column_azure)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, azure_differs)}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p>{move || t_string!(i18n, azure_headroom, headroom = format_money(&headroom, locale()), counted = format_money(&counted, locale())).to_string()}</p>
            {if any_difference {
                view! {
                    <div class="differences" role="note">
                        <p>{t!(i18n, azure_differences_intro)}</p>
                        <ul>{differences}</ul>
                    </div>
                }
                .into_any()
            } else {
                view! { <p class="success">{t!(i18n, azure_no_difference)}</p> }.into_any()
            }}
            <Show when=move || refused>
                <div id=refusal_id class="policy-errors" role="alert">
                    {if has_errors {
                        view! { <p>{t!(i18n, azure_policy_refuses)}</p><ul>{errors.clone()}</ul> }.into_any()
                    } else {
                        view! { <p>{move || t_string!(i18n, azure_over_headroom, headroom = format_money(&headroom, locale()), counted = format_money(&counted, locale())).to_string()}</p> }.into_any()
                    }}
                </div>
            </Show>
        </section>
    }
}
