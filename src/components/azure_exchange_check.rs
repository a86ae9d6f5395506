//! Azure mode's Review of an exchange: Azure's own `calculateExchange` beside the desk's quote:
//! net payable, the returns' credit and the purchases' cost, each difference named.
//! A trade-in adds a row per savings plan: what it costs now as the desk quotes it (`dueNow`) and
//! as Azure answered (its `billingCurrencyTotal`). Azure's policy errors say why Submit is
//! refused, each with what it means when the desk knows the code. An exchange does not count
//! toward the refund limit, so no headroom is shown.

use contract::{AzureExchangeCheck, ExchangeFigure};
use leptos::prelude::*;
use quote_engine::api::ExchangeQuoteResponse;

use super::azure_figures::{AzureFigures, FigureRow};
use crate::i18n::*;

/// What one of Azure's exchange policy codes means, in the user's language (`None`: a code the
/// desk does not know; its message says it).
fn policy_meaning(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> Option<String> {
    Some(match code {
        "TradeInTooManyReservations" => t_string!(i18n, azure_policy_meaning_trade_in_too_many).to_string(),
        "SavingsPlanCommitmentTooLow" => t_string!(i18n, azure_policy_meaning_commitment_too_low).to_string(),
        "ExchangeRefundExceedsPurchase" => t_string!(i18n, azure_policy_meaning_refund_exceeds_purchase).to_string(),
        "TradeInNotEligible" => t_string!(i18n, azure_policy_meaning_trade_in_not_eligible).to_string(),
        _ => return None,
    })
}

/// Azure's policy errors as a list: `code: message`, then what the code means.
fn exchange_policy_errors(i18n: leptos_i18n::I18nContext<Locale>, errors: &[contract::AzurePolicyError]) -> impl IntoView + use<> {
    errors
        .iter()
        .map(|e| {
            let (code, message) = (e.code.clone(), format!(": {}", e.message));
            let known = e.code.clone();
            view! {
                <li>
                    <code class="policy-code">{code}</code>{message}
                    {move || policy_meaning(i18n, &known).map(|m| view! { <span class="policy-meaning">{m}</span> })}
                </li>
            }
        })
        .collect_view()
}

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
    // A trade-in: each savings plan's cost now, the desk's beside Azure's (a plan Azure gave no
    // figure for is said below the table).
    let mut rows = rows;
    let mut unpriced = Vec::new();
    for (i, plan) in quote.savings_plans.iter().enumerate() {
        let sku = plan.sku_name.clone();
        let name = move || super::labels::savings_plan_text(i18n, &sku);
        let n = i + 1;
        match check.savings_plans.get(i).cloned().flatten() {
            Some(azure) => rows.push(FigureRow {
                label: Signal::derive(move || t_string!(i18n, azure_savings_plan_due_now, n = n, name = name()).to_string()),
                desk: plan.due_now,
                azure,
                differs: plan.due_now != azure,
            }),
            None => unpriced.push(view! { <p class="hint">{move || t_string!(i18n, azure_savings_plan_unpriced, n = n, name = name()).to_string()}</p> }),
        }
    }
    let errors = exchange_policy_errors(i18n, &check.policy_errors);
    let refused = azure_refuses_exchange(&check);
    view! {
        <section class="quote azure-check" aria-labelledby="azure-exchange-check-title">
            <h2 id="azure-exchange-check-title">{t!(i18n, azure_check_title)}</h2>
            <p class="caption">{t!(i18n, azure_exchange_caption)}</p>
            <AzureFigures rows />
            {unpriced}
            {refused.then(|| view! {
                <div id=refusal_id class="policy-errors" role="alert">
                    <p>{t!(i18n, azure_exchange_policy_refuses)}</p>
                    <ul>{errors}</ul>
                </div>
            })}
        </section>
    }
}
