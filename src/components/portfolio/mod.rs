//! The Portfolio tab of a customer: every active reservation quoted at once with a
//! recommendation, totals, filters, sort, selection quoted together, CSV and print.
//!
//! `buy_rows.rs` is what the customer's usage says to buy, below the table; `texts.rs` words the rows, the plan and the selection; `table.rs` is the table;
//! `download.rs` the CSV file. Views are thin: every figure and rule comes from `desk_service::portfolio`. Built for 10,000
//! rows: the portfolio is quoted once per policy (a memo); sort and filters are memos of row
//! positions over the quoted rows, so a keystroke re-quotes nothing; rows render 100 at a time,
//! each row's cells written once per language and policy and the page handed to the browser as
//! one piece of HTML (see `table.rs`).

mod buy_rows;
mod download;
mod table;
mod texts;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use contract::{AppliedScopeType, RefundLimit, Reservation};
use desk_service::portfolio::{self as rules, Action, CurrencyTotals, PortfolioFilter, SortKey};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use quote_engine::PolicyName;

pub use self::buy_rows::PortfolioBuyRows;
use self::download::csv_header;
/// Saving a text as a download (the Portfolio's CSV, and the Worklist's).
pub use self::download::download;
use self::table::PortfolioTable;
pub use self::texts::{action_text, reason_text};
use self::texts::{plan_text, selection_text};
use crate::components::labels::{family_text, scope_text};
use crate::components::quote_text::policy_name_text;
use crate::format::format_date;
use crate::i18n::*;
use crate::paths;

/// Rows rendered at first and added by each "Show more".
pub const PAGE_SIZE: usize = 100;

const SCOPES: [AppliedScopeType; 3] =
    [AppliedScopeType::Single, AppliedScopeType::Shared, AppliedScopeType::ManagementGroup];

/// The Portfolio tab.
#[component]
pub fn PortfolioTab(
    /// The customer (links, file name, URL).
    customer_id: String,
    /// Every reservation of the customer (the inactive ones are left out).
    reservations: Vec<Reservation>,
    /// The customer's refund limit with its ledger.
    limit: RefundLimit,
    /// The deployment's refund policy: where the policy switch starts (another is a what-if).
    deployed: PolicyName,
    /// The day quoted for.
    today: NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let query = use_query_map();
    // A what-if policy is part of the URL (`?policy=partner-center-2020`), like the Refund
    // panel's; without one, the deployment's.
    let policy = Memo::new(move |_| crate::deployment::chosen_policy(query.read().get("policy").as_deref(), deployed));
    let navigate = use_navigate();
    let tab_url = paths::customer_tab(&customer_id, "portfolio");
    let set_policy = move |p: PolicyName| {
        let options = NavigateOptions { replace: true, scroll: false, ..Default::default() };
        let what_if = if p == deployed { String::new() } else { format!("?policy={}", p.as_str()) };
        navigate(&format!("{}{what_if}", paths::for_navigate(&tab_url)), options);
    };

    // Each family once, in order (borrowed while collecting: one string per family, not per row).
    let families: Vec<String> = reservations
        .iter()
        .filter(|r| rules::is_active(r, today))
        .map(|r| r.reserved_resource_type.as_str())
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let headroom = limit.headroom;
    let reservations = StoredValue::new(reservations);
    let limit = StoredValue::new(limit);

    // Quoted once per policy; everything below works on row positions.
    let portfolio = Memo::new(move |_| {
        let p = policy.get();
        reservations.with_value(|list| limit.with_value(|l| rules::portfolio(list, l, today, p)))
    });
    let sort = RwSignal::new((SortKey::Recommendation, false));
    let order = Memo::new(move |_| {
        let (key, descending) = sort.get();
        portfolio.with(|p| reservations.with_value(|list| rules::sorted_rows(p, list, key, descending)))
    });
    let filter = RwSignal::new(PortfolioFilter::default());
    let visible = Memo::new(move |_| {
        filter.with(|f| order.with(|o| portfolio.with(|p| reservations.with_value(|list| rules::visible_rows(p, list, o, f)))))
    });
    let shown = RwSignal::new(PAGE_SIZE);
    let refilter = move |change: &dyn Fn(&mut PortfolioFilter)| {
        filter.update(|f| change(f));
        shown.set(PAGE_SIZE);
    };
    let totals: Memo<Vec<CurrencyTotals>> =
        Memo::new(move |_| visible.with(|v| portfolio.with(|p| rules::totals(p, v).unwrap_or_default())));
    let selected = RwSignal::new(BTreeSet::<usize>::new());
    let selection = Memo::new(move |_| {
        let rows: Vec<usize> = selected.with(|s| s.iter().copied().collect());
        (!rows.is_empty()).then(|| portfolio.with(|p| rules::quote_selection(p, &rows, headroom).ok())).flatten()
    });

    let csv_customer = customer_id.clone();
    let download_csv = move |_| {
        let header = csv_header(i18n);
        let header = header.each_ref().map(String::as_str);
        let loc = locale();
        let text = portfolio.with_untracked(|p| {
            visible.with_untracked(|v| {
                reservations.with_value(|list| {
                    rules::portfolio_csv(p, list, v, &header, &|row| {
                        (action_text(i18n, row.recommendation.action), reason_text(i18n, loc, &row.recommendation.reason))
                    })
                })
            })
        });
        let name = format!("portfolio-{csv_customer}-{today}-{}.csv", policy.get_untracked().as_str());
        if let Err(e) = download(&name, &text, "text/csv;charset=utf-8") {
            leptos::logging::error!("CSV download failed: {e:?}");
        }
    };

    let policy_options = PolicyName::ALL
        .into_iter()
        .map(|name| {
            view! {
                <option value=name.as_str() selected=move || policy.get() == name>
                    {move || policy_name_text(i18n, name)}
                </option>
            }
        })
        .collect_view();
    let family_options = families
        .into_iter()
        .map(|f| {
            let label = f.clone();
            view! { <option value=f>{move || family_text(i18n, &label)}</option> }
        })
        .collect_view();
    let total_count = move || visible.with(Vec::len);

    let plan = move || portfolio.with(|p| plan_text(i18n, locale(), &p.selection));
    let selection_text = move || selection.get().map(|q| selection_text(i18n, locale(), &q));

    view! {
        <div class="portfolio">
            <p class="print-only print-title">
                {move || t_string!(
                    i18n,
                    portfolio_print_title,
                    date = format_date(today, locale()),
                    policy = policy_name_text(i18n, policy.get())
                ).to_string()}
            </p>
            <div class="toolbar filters portfolio-controls">
                <label>
                    {t!(i18n, refund_policy)}
                    <select on:change=move |e| {
                        if let Ok(p) = event_target_value(&e).parse::<PolicyName>() {
                            set_policy(p);
                        }
                    }>
                        {policy_options}
                    </select>
                </label>
                <label>
                    {t!(i18n, portfolio_search)}
                    <input type="search" on:input=move |e| {
                        let v = event_target_value(&e);
                        refilter(&|f| f.text = v.clone());
                    } />
                </label>
                <label>
                    {t!(i18n, filter_family)}
                    <select on:change=move |e| {
                        let v = event_target_value(&e);
                        refilter(&|f| f.family = (!v.is_empty()).then(|| v.clone()));
                    }>
                        <option value="">{t!(i18n, filter_all)}</option>
                        {family_options}
                    </select>
                </label>
                <label>
                    {t!(i18n, filter_scope)}
                    <select on:change=move |e| {
                        let v = event_target_value(&e);
                        refilter(&|f| f.scope = SCOPES.into_iter().find(|s| format!("{s:?}") == v));
                    }>
                        <option value="">{t!(i18n, filter_all)}</option>
                        {SCOPES.map(|s| view! { <option value=format!("{s:?}")>{move || scope_text(i18n, s)}</option> })}
                    </select>
                </label>
                <label>
                    {t!(i18n, portfolio_filter_recommendation)}
                    <select on:change=move |e| {
                        let v = event_target_value(&e);
                        refilter(&|f| f.action = Action::ALL.into_iter().find(|a| a.as_str() == v));
                    }>
                        <option value="">{t!(i18n, filter_all)}</option>
                        {Action::ALL.map(|a| view! { <option value=a.as_str()>{move || action_text(i18n, a)}</option> })}
                    </select>
                </label>
                <span class="portfolio-buttons">
                    <button type="button" class="secondary" on:click=download_csv>{t!(i18n, portfolio_download_csv)}</button>
                    <button type="button" class="secondary" on:click=move |_| drop(window().print())>{t!(i18n, portfolio_print)}</button>
                </span>
            </div>
            <p class="portfolio-plan" role="status">{plan}</p>
            <Show when=move || selection.with(Option::is_some)>
                <div class="portfolio-selection" role="status">
                    <span>{selection_text}</span>
                    <button type="button" class="secondary" on:click=move |_| selected.set(BTreeSet::new())>
                        {t!(i18n, portfolio_clear_selection)}
                    </button>
                </div>
            </Show>
            <Show
                when=move || !visible.with(Vec::is_empty)
                fallback=move || {
                    if portfolio.with(|p| p.rows.is_empty()) {
                        view! { <p class="empty">{t!(i18n, portfolio_empty)}</p> }.into_any()
                    } else {
                        view! { <p class="empty">{t!(i18n, no_reservations_match)}</p> }.into_any()
                    }
                }
            >
                <PortfolioTable customer_id=customer_id.clone() reservations portfolio visible shown selected sort totals />
                <Show when=move || { total_count() > shown.get() }>
                    <div class="table-more">
                        <span role="status">{move || t_string!(i18n, showing_of, shown = shown.get(), total = total_count()).to_string()}</span>
                        <button type="button" class="secondary" on:click=move |_| shown.update(|n| *n += PAGE_SIZE)>
                            {move || t_string!(i18n, show_more, count = total_count().saturating_sub(shown.get()).min(PAGE_SIZE)).to_string()}
                        </button>
                    </div>
                </Show>
            </Show>
        </div>
    }
}
