//! Azure mode's Review, shared by refunds and exchanges: Azure's figures beside the desk's, a
//! row per figure (the desk's, Azure's), each difference named below (a finding worth showing,
//! not an error: the move is made with Azure's figures).

use leptos::prelude::*;
use quote_engine::Money;

use crate::format::format_money;
use crate::i18n::*;

/// One figure both the desk and Azure give.
#[derive(Clone)]
pub struct FigureRow {
    /// What it is, in the user's language.
    pub label: Signal<String>,
    /// The desk's.
    pub desk: Money,
    /// Azure's.
    pub azure: Money,
    /// Whether Azure named it differently.
    pub differs: bool,
}

/// The table of `rows` and, below it, each difference named (or that they agree).
#[component]
pub fn AzureFigures(rows: Vec<FigureRow>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let any_difference = rows.iter().any(|r| r.differs);
    let differences = rows
        .iter()
        .filter(|r| r.differs)
        .map(|r| {
            let r = r.clone();
            view! {
                <li>{move || t_string!(
                    i18n,
                    azure_difference,
                    figure = r.label.get(),
                    desk = format_money(&r.desk, locale()),
                    azure = format_money(&r.azure, locale())
                ).to_string()}</li>
            }
        })
        .collect_view();
    let rows = rows
        .into_iter()
        .map(|FigureRow { label, desk, azure, differs }| {
            view! {
                <tr class:differs=differs>
                    <th scope="row">{move || label.get()}</th>
                    <td class="num">{move || format_money(&desk, locale())}</td>
                    <td class="num">{move || format_money(&azure, locale())}</td>
                    <td>{differs.then(|| view! { <span class="difference">{t!(i18n, azure_differs)}</span> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
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
    }
}

/// Azure's policy errors as a list (`code: message`).
pub fn policy_error_list(errors: &[contract::AzurePolicyError]) -> impl IntoView + use<> {
    errors
        .iter()
        .map(|e| {
            let text = format!("{}: {}", e.code, e.message);
            view! { <li>{text}</li> }
        })
        .collect_view()
}
