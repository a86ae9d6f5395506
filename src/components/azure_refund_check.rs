//! Azure mode's Review: Azure's own `calculateRefund` beside the desk's quote. Each
//! figure in a row (the desk's, Azure's); a figure where they differ is named as a difference (a
//! finding worth showing, not an error: the return is made with Azure's figures). Azure's
//! headroom (`maxRefundLimit − consumedRefundsTotal`) is the one that counts in this mode; its
//! policy errors, or a refund above that headroom, say why Submit is refused.

use contract::{AzureRefundCheck, RefundFigure};
use leptos::prelude::*;
use quote_engine::api::RefundQuoteResponse;

use super::azure_figures::{policy_error_list, AzureFigures, FigureRow};
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
    let differs = check.differences.iter().map(|d| d.figure).collect::<Vec<_>>();
    let rows: Vec<FigureRow> = [
        (RefundFigure::RefundAmount, quote.refund_amount, check.refund_amount),
        (RefundFigure::ConsumedRefundsTotal, p.consumed_refunds_total, check.consumed_refunds_total),
        (RefundFigure::MaxRefundLimit, p.max_refund_limit, check.max_refund_limit),
    ]
    .into_iter()
    .map(|(figure, desk, azure)| FigureRow { label: Signal::derive(move || figure_text(i18n, figure)), desk, azure, differs: differs.contains(&figure) })
    .collect();
    let errors = policy_error_list(&check.policy_errors);
    let refused = azure_refusal(&check);
    let has_errors = !check.policy_errors.is_empty();
    let (headroom, counted) = (check.headroom, check.pricing_refund_amount);
    view! {
        <section class="quote azure-check" aria-labelledby="azure-check-title">
            <h2 id="azure-check-title">{t!(i18n, azure_check_title)}</h2>
            <p class="caption">{t!(i18n, azure_check_caption)}</p>
            <AzureFigures rows />
            <p>{move || t_string!(i18n, azure_headroom, headroom = format_money(&headroom, locale()), counted = format_money(&counted, locale())).to_string()}</p>
            {refused.then(|| view! {
                <div id=refusal_id class="policy-errors" role="alert">
                    {if has_errors {
                        view! { <p>{t!(i18n, azure_policy_refuses)}</p><ul>{errors}</ul> }.into_any()
                    } else {
                        view! { <p>{move || t_string!(i18n, azure_over_headroom, headroom = format_money(&headroom, locale()), counted = format_money(&counted, locale())).to_string()}</p> }.into_any()
                    }}
                </div>
            })}
        </section>
    }
}
