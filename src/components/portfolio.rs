//! The Portfolio tab of a customer: every active reservation quoted at once with a
//! recommendation, totals, filters, sort, selection quoted together, CSV and print.
//!
//! Views are thin: every figure and rule comes from `desk_service::portfolio`. Built for 10,000
//! rows: the portfolio is quoted once per policy (a memo); sort and filters are memos of row
//! positions over the quoted rows, so a keystroke re-quotes nothing; rows render 100 at a time.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use contract::{AppliedScopeType, RefundLimit, Reservation};
use desk_service::portfolio::{
    self as rules, Action, CurrencyTotals, PortfolioFilter, RecommendationReason, SelectionMethod, SortKey, CSV_COLUMNS,
    LOW_USE_PERCENT,
};
use desk_service::refund::DEFAULT_POLICY;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use quote_engine::{Money, PolicyName};
use wasm_bindgen::{JsCast, JsValue};

use crate::components::labels::scope_text;
use crate::components::quote_text::policy_name_text;
use crate::format::{format_date, format_money, format_percent};
use crate::i18n::*;
use crate::paths;

/// Rows rendered at first and added by each "Show more".
pub const PAGE_SIZE: usize = 100;

const SCOPES: [AppliedScopeType; 3] =
    [AppliedScopeType::Single, AppliedScopeType::Shared, AppliedScopeType::ManagementGroup];

/// Keep / Exchange / Refund in the user's language.
pub fn action_text(i18n: I18nContext<Locale>, action: Action) -> String {
    match action {
        Action::Keep => t_string!(i18n, portfolio_action_keep),
        Action::Exchange => t_string!(i18n, portfolio_action_exchange),
        Action::Refund => t_string!(i18n, portfolio_action_refund),
    }
    .to_string()
}

/// The CSS modifier of an action's badge.
fn action_class(action: Action) -> &'static str {
    match action {
        Action::Keep => "badge muted",
        Action::Exchange => "badge pending",
        Action::Refund => "badge ok",
    }
}

/// A recommendation's reason in one line of the user's language, with its figures.
pub fn reason_text(i18n: I18nContext<Locale>, locale: Locale, reason: &RecommendationReason) -> String {
    let pct = |p| format_percent(p, locale);
    let money = |m: &Money| format_money(m, locale);
    let threshold = pct(LOW_USE_PERCENT);
    match reason {
        RecommendationReason::WellUsed { utilization_30 } => {
            t_string!(i18n, portfolio_reason_well_used, percent = pct(*utilization_30)).to_string()
        }
        RecommendationReason::UseRising { utilization_7, utilization_30 } => {
            t_string!(i18n, portfolio_reason_use_rising, percent30 = pct(*utilization_30), percent7 = pct(*utilization_7))
                .to_string()
        }
        RecommendationReason::EndsSoon { days_left } => {
            t_string!(i18n, portfolio_reason_ends_soon, days = *days_left).to_string()
        }
        RecommendationReason::PartlyUsed { utilization_30, credit } => {
            t_string!(i18n, portfolio_reason_partly_used, percent = pct(*utilization_30), credit = money(credit)).to_string()
        }
        RecommendationReason::LowUseRefundFits { utilization_30, refund } => t_string!(
            i18n,
            portfolio_reason_refund_fits,
            threshold = threshold,
            percent = pct(*utilization_30),
            amount = money(refund)
        )
        .to_string(),
        RecommendationReason::LowUseHeadroomTaken { utilization_30, credit } => t_string!(
            i18n,
            portfolio_reason_headroom_taken,
            threshold = threshold,
            percent = pct(*utilization_30),
            credit = money(credit)
        )
        .to_string(),
        RecommendationReason::LowUseOverLimit { utilization_30, until: Some(date), credit } => t_string!(
            i18n,
            portfolio_reason_over_limit_until,
            percent = pct(*utilization_30),
            date = format_date(*date, locale),
            credit = money(credit)
        )
        .to_string(),
        RecommendationReason::LowUseOverLimit { utilization_30, until: None, credit } => {
            t_string!(i18n, portfolio_reason_over_limit, percent = pct(*utilization_30), credit = money(credit)).to_string()
        }
        RecommendationReason::NothingToReturn => t_string!(i18n, portfolio_reason_nothing).to_string(),
        RecommendationReason::NotQuotable => t_string!(i18n, portfolio_reason_not_quotable).to_string(),
    }
}

/// Amounts in several currencies, one after the other ("€1,000.00 + $250.00").
fn money_list(amounts: impl IntoIterator<Item = Money>, locale: Locale) -> String {
    let parts: Vec<String> = amounts.into_iter().map(|m| format_money(&m, locale)).collect();
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(" + ")
    }
}

/// Saves `text` as a file named `filename` through a Blob and an object URL.
fn download(filename: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = document();
    let link = document.create_element("a")?;
    link.set_attribute("href", &url)?;
    link.set_attribute("download", filename)?;
    link.set_attribute("hidden", "")?;
    let body = document.body().ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.unchecked_ref::<web_sys::HtmlElement>().click();
    link.remove();
    // The download has taken the blob by then; free it.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(10));
    Ok(())
}

/// The Portfolio tab.
#[component]
pub fn PortfolioTab(
    /// The customer (links, file name, URL).
    customer_id: String,
    /// Every reservation of the customer (the inactive ones are left out).
    reservations: Vec<Reservation>,
    /// The customer's refund limit with its ledger.
    limit: RefundLimit,
    /// The day quoted for.
    today: NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let query = use_query_map();
    // The policy is part of the URL (`?policy=azure-current`), like the Refund panel's.
    let policy = Memo::new(move |_| {
        query.read().get("policy").and_then(|p| p.parse::<PolicyName>().ok()).unwrap_or(DEFAULT_POLICY)
    });
    let navigate = use_navigate();
    let tab_url = paths::customer_tab(&customer_id, "portfolio");
    let set_policy = move |p: PolicyName| {
        let options = NavigateOptions { replace: true, scroll: false, ..Default::default() };
        navigate(&format!("{}?policy={}", paths::for_navigate(&tab_url), p.as_str()), options);
    };

    let mut families: Vec<String> = reservations
        .iter()
        .filter(|r| rules::is_active(r, today))
        .map(|r| r.reserved_resource_type.clone())
        .collect();
    families.sort();
    families.dedup();
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

    let customer_for_rows = customer_id.clone();
    let rows = move || {
        let page: Vec<usize> = visible.with(|v| v.iter().take(shown.get()).copied().collect());
        portfolio.with(|p| {
            reservations.with_value(|list| {
                page.into_iter()
                    .map(|i| {
                        let row = &p.rows[i];
                        let r = &list[row.position];
                        let href = paths::reservation(&customer_for_rows, &r.id, "");
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

    let csv_customer = customer_id.clone();
    let download_csv = move |_| {
        let header: [String; CSV_COLUMNS] = [
            t_string!(i18n, portfolio_csv_id).to_string(),
            t_string!(i18n, portfolio_csv_order_id).to_string(),
            t_string!(i18n, column_display_name).to_string(),
            t_string!(i18n, column_sku).to_string(),
            t_string!(i18n, column_family).to_string(),
            t_string!(i18n, column_scope).to_string(),
            t_string!(i18n, column_quantity).to_string(),
            t_string!(i18n, portfolio_csv_utilization_7).to_string(),
            t_string!(i18n, portfolio_csv_utilization_30).to_string(),
            t_string!(i18n, column_expiry).to_string(),
            t_string!(i18n, portfolio_column_days_left).to_string(),
            t_string!(i18n, portfolio_csv_currency).to_string(),
            t_string!(i18n, portfolio_column_remaining).to_string(),
            t_string!(i18n, portfolio_column_refund).to_string(),
            t_string!(i18n, portfolio_csv_allowed).to_string(),
            t_string!(i18n, portfolio_csv_counted).to_string(),
            t_string!(i18n, portfolio_column_credit).to_string(),
            t_string!(i18n, portfolio_filter_recommendation).to_string(),
            t_string!(i18n, portfolio_csv_reason).to_string(),
        ];
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
    let family_options = families.into_iter().map(|f| view! { <option value=f.clone()>{f.clone()}</option> }).collect_view();
    let total_count = move || visible.with(Vec::len);

    let plan = move || {
        portfolio.with(|p| {
            let s = &p.selection;
            let loc = locale();
            let headline = if s.rows.is_empty() {
                t_string!(i18n, portfolio_plan_none, headroom = format_money(&s.headroom_after, loc)).to_string()
            } else {
                t_string!(
                    i18n,
                    portfolio_plan,
                    count = s.rows.len(),
                    amount = format_money(&s.value, loc),
                    counted = format_money(&s.counted, loc),
                    headroom = format_money(&s.headroom, loc),
                    left = format_money(&s.headroom_after, loc)
                )
                .to_string()
            };
            let how = match s.method {
                // "The best of every combination" of one candidate says nothing.
                _ if s.candidates < 2 => String::new(),
                SelectionMethod::Exact => t_string!(i18n, portfolio_plan_exact, count = s.candidates).to_string(),
                SelectionMethod::Greedy { upper_bound } => {
                    t_string!(i18n, portfolio_plan_greedy, count = s.candidates, bound = format_money(&upper_bound, loc))
                        .to_string()
                }
            };
            format!("{headline} {how}").trim_end().to_owned()
        })
    };
    let selection_text = move || {
        selection.get().map(|q| {
            let loc = locale();
            let mut text = t_string!(i18n, portfolio_selected, count = q.selected).to_string();
            text.push_str(". ");
            if q.fits {
                text.push_str(
                    &t_string!(
                        i18n,
                        portfolio_selection_fits,
                        amount = money_list(q.totals.iter().map(|t| t.refund), loc),
                        counted = format_money(&q.counted, loc),
                        left = format_money(&q.headroom_after, loc)
                    )
                    .to_string(),
                );
            } else {
                let best = q.best.as_ref();
                text.push_str(
                    &t_string!(
                        i18n,
                        portfolio_selection_over,
                        counted = format_money(&q.counted, loc),
                        over = format_money(&q.over_by, loc),
                        count = best.map_or(0, |b| b.rows.len()),
                        amount = best.map_or_else(|| "—".into(), |b| format_money(&b.value, loc))
                    )
                    .to_string(),
                );
            }
            if !q.refused.is_empty() {
                text.push(' ');
                text.push_str(&t_string!(i18n, portfolio_selection_refused, count = q.refused.len()).to_string());
            }
            text
        })
    };

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
