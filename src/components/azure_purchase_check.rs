//! Azure mode's Review of a purchase: ARM's own `calculatePrice` in the customer's tenant beside
//! the desk's quote (the commitment, and what is due today when Azure's schedule gives it), each
//! difference named. Partner Center buys the reservation at Azure's price, so Azure's figures are
//! the ones that count. Also the words for what Partner Center cannot sell as asked (a monthly
//! plan, a management group's scope), which the server refuses at Review.

use contract::{AppliedScopeType, AzurePurchaseCheck, ProblemCode, PurchaseFigure};
use leptos::prelude::*;
use quote_engine::{BillingPlan, PurchaseQuote};

use super::azure_figures::{AzureFigures, FigureRow};
use crate::api::ApiError;
use crate::i18n::*;

fn figure_text(i18n: leptos_i18n::I18nContext<Locale>, figure: PurchaseFigure) -> String {
    match figure {
        PurchaseFigure::Commitment => t_string!(i18n, purchase_commitment).to_string(),
        PurchaseFigure::DueToday => t_string!(i18n, due_today).to_string(),
    }
}

/// Azure's price beside the desk's purchase `quote`.
#[component]
pub fn AzurePurchaseCheckView(
    /// The desk's quote, as the server confirmed it.
    quote: PurchaseQuote,
    /// Azure's `calculatePrice`.
    check: AzurePurchaseCheck,
) -> impl IntoView {
    let i18n = use_i18n();
    let differs = check.differences.iter().map(|d| d.figure).collect::<Vec<_>>();
    let rows_differ = differs.clone();
    let due_today = check.due_today.map(|azure| (PurchaseFigure::DueToday, quote.due_today, azure));
    let rows: Vec<FigureRow> = [Some((PurchaseFigure::Commitment, quote.commitment, check.commitment)), due_today]
        .into_iter()
        .flatten()
        .map(|(figure, desk, azure)| FigureRow { label: Signal::derive(move || figure_text(i18n, figure)), desk, azure, differs: rows_differ.contains(&figure) })
        .collect();
    view! {
        <section class="quote azure-check azure-price" aria-labelledby="azure-price-title">
            <h3 id="azure-price-title">{t!(i18n, azure_price_title)}</h3>
            <p class="caption">{t!(i18n, azure_price_caption)}</p>
            <AzureFigures rows />
            {(!differs.is_empty()).then(|| view! { <p class="note" role="status" id="azure-price-changed">{t!(i18n, azure_price_changed)}</p> })}
        </section>
    }
}

/// Why Review was refused, in the user's words, when Azure mode refused what Partner Center
/// does not sell: a monthly plan (`plan`), or a management group's scope (`scope`).
/// `None` for any other error (shown as any failed action is).
pub fn azure_purchase_refusal(i18n: leptos_i18n::I18nContext<Locale>, error: &ApiError, plan: BillingPlan, scope: AppliedScopeType) -> Option<String> {
    let ApiError::Problem(problem) = error else { return None };
    if problem.code != ProblemCode::AzureChangesNotYetSupported {
        return None;
    }
    if plan == BillingPlan::Monthly {
        Some(t_string!(i18n, azure_purchase_upfront_only).to_string())
    } else if scope == AppliedScopeType::ManagementGroup {
        Some(t_string!(i18n, azure_purchase_scope_refused).to_string())
    } else {
        None
    }
}
