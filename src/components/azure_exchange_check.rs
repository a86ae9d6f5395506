//! Azure mode's Review of an exchange: Azure's own `calculateExchange` beside the desk's quote:
//! net payable, the returns' credit and the purchases' cost, each difference named.
//! Azure's policy errors say why Submit is refused. An exchange does not count toward the refund
//! limit, so no headroom is shown.

use contract::{AzureExchangeCheck, ExchangeFigure};
use leptos::prelude::*;
use quote_engine::api::ExchangeQuoteResponse;

use super::azure_figures::{policy_error_list, AzureFigures, FigureRow};
use crate::i18n::*;

/// Whether Azure would refuse this exchange: its policy errors.
pub fn azure_refuses_exchange(check: &AzureExchangeCheck) -> bool {
    !check.policy_errors.is_empty()
}

fn figure_text(i18n: leptos_i18n::I18nContext<Locale>, figure: ExchangeFigure) -> String {
    match figure {
        ExchangeFigure::NetPayable => t_string!(i18n, net_payable).to_string(),
        ExchangeFigure::RefundsTotal => t_string!(i18n, refunds_total).to_string(),
        ExchangeFigure::PurchasesTotal => t_string!(i18n, purchases_total).to_string(),
    }
}

/// Azure's figures beside the desk's exchange `quote`.
#[component]
pub fn AzureExchangeCheckView(
    /// The desk's quote.
    quote: ExchangeQuoteResponse,
    /// Azure's calculation.
    check: AzureExchangeCheck,
    /// The ID of the note saying why Submit is refused (Submit's `aria-describedby`).
    refusal_id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let differs = check.differences.iter().map(|d| d.figure).collect::<Vec<_>>();
    let rows: Vec<FigureRow> = [
        (ExchangeFigure::NetPayable, quote.net_payable, check.net_payable),
        (ExchangeFigure::RefundsTotal, quote.refunds_total, check.refunds_total),
        (ExchangeFigure::PurchasesTotal, quote.purchases_total, check.purchases_total),
    ]
    .into_iter()
    .map(|(figure, desk, azure)| FigureRow { label: Signal::derive(move || figure_text(i18n, figure)), desk, azure, differs: differs.contains(&figure) })
    .collect();
    let errors = policy_error_list(&check.policy_errors);
    let refused = azure_refuses_exchange(&check);
    view! {
        <section class="quote azure-check" aria-labelledby="azure-exchange-check-title">
            <h2 id="azure-exchange-check-title">{t!(i18n, azure_check_title)}</h2>
            <p class="caption">{t!(i18n, azure_exchange_caption)}</p>
            <AzureFigures rows />
            <Show when=move || refused>
                <div id=refusal_id class="policy-errors" role="alert">
                    <p>{t!(i18n, azure_exchange_policy_refuses)}</p>
                    <ul>{errors.clone()}</ul>
                </div>
            </Show>
        </section>
    }
}
