//! The portfolio's table: a page of rows with selection boxes, sortable headers and totals.

use std::collections::BTreeSet;

use contract::Reservation;
use desk_service::portfolio::{self as rules, CurrencyTotals, Portfolio, SortKey};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use quote_engine::Money;

use super::texts::{action_class, action_text, money_list, reason_text};
use crate::format::{format_money, format_percent};
use crate::i18n::*;
use crate::paths;

/// The table of the rows in `visible` (the first `shown` of them).
#[component]
pub(super) fn PortfolioTable(
    /// The customer (row links).
    customer_id: String,
    /// The customer's reservations, by position.
    reservations: StoredValue<Vec<Reservation>>,
    /// The quoted portfolio.
    portfolio: Memo<Portfolio>,
    /// Row indexes after sort and filters.
    visible: Memo<Vec<usize>>,
    /// How many of them are rendered.
    shown: RwSignal<usize>,
    /// The selected rows.
    selected: RwSignal<BTreeSet<usize>>,
    /// The sort column and whether it is descending.
    sort: RwSignal<(SortKey, bool)>,
    /// Totals of the visible rows per currency.
    totals: Memo<Vec<CurrencyTotals>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let total_count = move || visible.with(Vec::len);
    let rows = move || {
        let page: Vec<usize> = visible.with(|v| v.iter().take(shown.get()).copied().collect());
        portfolio.with(|p| {
            reservations.with_value(|list| {
                page.into_iter()
                    .map(|i| {
                        let row = &p.rows[i];
                        let r = &list[row.position];
                        let href = paths::reservation(&customer_id, &r.id, "");
                        let name = r.display_name.clone();
                        let label_name = name.clone();
                        let (u7, u30) = (r.utilization.last7_days, r.utilization.last30_days);
                        let days_left = row.days_left;
                        let q = row.quote;
                        let recommendation = row.recommendation.clone();
                        let action = recommendation.action;
                        let amount = move |f: fn(&rules::RowQuote) -> Money| {
                            move || q.map(|q| format_money(&f(&q), locale())).unwrap_or_else(|| "—".into())
                        };
                        let refund_note = q.and_then(|q| {
                            if !q.allowed {
                                Some(view! { <span class="sub">{t!(i18n, portfolio_refused)}</span> }.into_any())
                            } else if !q.forfeited.is_zero() {
                                let forfeited = q.forfeited;
                                Some(view! {
                                    <span class="sub">
                                        {move || t_string!(i18n, portfolio_capped, amount = format_money(&forfeited, locale())).to_string()}
                                    </span>
                                }
                                .into_any())
                            } else {
                                None
                            }
                        });
                        view! {
                            <tr class:selected=move || selected.with(|s| s.contains(&i))>
                                <td class="select">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || selected.with(|s| s.contains(&i))
                                        aria-label=move || t_string!(i18n, portfolio_select_row, name = label_name.clone()).to_string()
                                        on:change=move |e| {
                                            let on = event_target_checked(&e);
                                            selected.update(|s| {
                                                if on {
                                                    s.insert(i);
                                                } else {
                                                    s.remove(&i);
                                                }
                                            });
                                        }
                                    />
                                </td>
                                <th scope="row"><A href=href>{name}</A><span class="sub">{r.sku_name.clone()}</span></th>
                                <td class="num">{r.quantity}</td>
                                <td class="num">{move || format!("{} / {}", format_percent(u7, locale()), format_percent(u30, locale()))}</td>
                                <td class="num">{days_left}</td>
                                <td class="num">{amount(|q| q.remaining_commitment)}</td>
                                <td class="num">{amount(|q| q.refund)} {refund_note}</td>
                                <td class="num">{amount(|q| q.exchange_credit)}</td>
                                <td class="recommendation">
                                    <span class=action_class(action)>{move || action_text(i18n, action)}</span>
                                    <span class="reason">{move || reason_text(i18n, locale(), &recommendation.reason)}</span>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };

    // A sortable column header: a button that sorts by `key`, again to reverse.
    let sort_header = move |key: SortKey, class: &'static str, label: fn(I18nContext<Locale>) -> String| {
        let state = move || match sort.get() {
            (k, false) if k == key => "ascending",
            (k, true) if k == key => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" class=class aria-sort=state>
                <button
                    type="button"
                    class="sort"
                    title=move || t_string!(i18n, portfolio_sort_by, column = label(i18n)).to_string()
                    on:click=move |_| sort.update(|(k, d)| if *k == key { *d = !*d } else { *k = key; *d = false })
                >
                    {move || label(i18n)}
                </button>
            </th>
        }
    };

    let all_shown_selected = move || {
        visible.with(|v| !v.is_empty() && selected.with(|s| v.iter().all(|i| s.contains(i))))
    };
    let select_all = move |e: leptos::ev::Event| {
        let on = event_target_checked(&e);
        visible.with_untracked(|v| {
            selected.update(|s| {
                for i in v {
                    if on {
                        s.insert(*i);
                    } else {
                        s.remove(i);
                    }
                }
            })
        });
    };

    view! {
    <div class="table-scroll">
        <table class="data-table portfolio-table">
            <caption class="visually-hidden">{t!(i18n, portfolio_caption)}</caption>
            <thead>
                <tr>
                    <th scope="col" class="select">
                        <input
                            type="checkbox"
                            prop:checked=all_shown_selected
                            aria-label=move || t_string!(i18n, portfolio_select_all).to_string()
                            on:change=select_all
                        />
                    </th>
                    {sort_header(SortKey::Name, "", |i18n| {
                        format!("{} · {}", t_string!(i18n, column_display_name), t_string!(i18n, column_sku))
                    })}
                    <th scope="col" class="num">{t!(i18n, column_quantity)}</th>
                    {sort_header(SortKey::Utilization, "num", |i18n| t_string!(i18n, portfolio_column_utilization).to_string())}
                    {sort_header(SortKey::DaysLeft, "num", |i18n| t_string!(i18n, portfolio_column_days_left).to_string())}
                    {sort_header(SortKey::RemainingCommitment, "num", |i18n| t_string!(i18n, portfolio_column_remaining).to_string())}
                    {sort_header(SortKey::Refund, "num", |i18n| t_string!(i18n, portfolio_column_refund).to_string())}
                    {sort_header(SortKey::ExchangeCredit, "num", |i18n| t_string!(i18n, portfolio_column_credit).to_string())}
                    {sort_header(SortKey::Recommendation, "", |i18n| t_string!(i18n, portfolio_filter_recommendation).to_string())}
                </tr>
            </thead>
            <tbody>{rows.clone()}</tbody>
            <tfoot>
                <tr>
                    <td class="select"></td>
                    <th scope="row" colspan="4">{move || t_string!(i18n, portfolio_total, count = total_count()).to_string()}</th>
                    <td class="num">{move || money_list(totals.get().iter().map(|t| t.remaining_commitment), locale())}</td>
                    <td class="num">{move || money_list(totals.get().iter().map(|t| t.refund), locale())}</td>
                    <td class="num">{move || money_list(totals.get().iter().map(|t| t.exchange_credit), locale())}</td>
                    <td></td>
                </tr>
            </tfoot>
        </table>
    </div>
    }
}
