//! The portfolio's table: a page of rows with selection boxes, sortable headers and totals.

use std::collections::BTreeSet;

use contract::Reservation;
use desk_service::portfolio::{self as rules, CurrencyTotals, Portfolio, SortKey};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use leptos_i18n::I18nContext;
use quote_engine::Money;

use super::texts::{action_class, action_text, money_list, reason_text};
use crate::components::labels::utilization_text;
use crate::format::{format_count, format_money};
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
    // The page of rows as one piece of HTML, parsed by the browser in one go: built node by
    // node from wasm, 100 rows of ~17 elements cost ~4,500 calls into the DOM, most of a
    // keystroke's time. Each row's cells are written once per language and quote (policy) and
    // kept: a keystroke that brings back rows already seen formats nothing for them; only the
    // rows new to the page are written. Every text in them is escaped (see `escape`).
    let written = StoredValue::new(WrittenRows::default());
    let body_html = Memo::new(move |_| {
        let loc = locale();
        let page: Vec<usize> = visible.with(|v| v.iter().take(shown.get()).copied().collect());
        portfolio.with(|p| {
            reservations.with_value(|list| {
                selected.with_untracked(|chosen| {
                    written.update_value(|w| {
                        w.page_html(&page, (loc, p.policy), chosen, |i| {
                            let row = &p.rows[i];
                            row_cells(i, row, &list[row.position], &customer_id, i18n, loc)
                        })
                    });
                    written.with_value(|w| w.html.clone())
                })
            })
        })
    });

    // The rows' checkboxes (`data-row`): one listener for the page, and one effect that keeps
    // the rows' boxes and `selected` class in step with the selection (a page is written with
    // the selection of the moment; this follows a click, select all, clear).
    let body = NodeRef::<leptos::html::Tbody>::new();
    let on_row_change = move |e: leptos::ev::Event| {
        let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(i) = input.get_attribute("data-row").and_then(|v| v.parse::<usize>().ok()) else { return };
        let on = input.checked();
        selected.update(|s| {
            if on {
                s.insert(i);
            } else {
                s.remove(&i);
            }
        });
    };
    Effect::new(move |_| {
        selected.with(|s| {
            let Some(body) = body.get() else { return };
            let Ok(rows) = body.query_selector_all("tr[data-row]") else { return };
            for k in 0..rows.length() {
                let Some(tr) = rows.item(k).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
                let on = tr.get_attribute("data-row").and_then(|v| v.parse::<usize>().ok()).is_some_and(|i| s.contains(&i));
                if tr.has_attribute("class") != on {
                    let _ = if on { tr.set_attribute("class", "selected") } else { tr.remove_attribute("class") };
                }
                if let Some(input) = tr.query_selector("input").ok().flatten().and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                    if input.checked() != on {
                        input.set_checked(on);
                    }
                }
            }
        })
    });

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
                    <th scope="col" class="num">{move || column_labels(i18n).quantity}</th>
                    {sort_header(SortKey::Utilization, "num", |i18n| column_labels(i18n).utilization)}
                    {sort_header(SortKey::DaysLeft, "num", |i18n| column_labels(i18n).days_left)}
                    {sort_header(SortKey::RemainingCommitment, "num", |i18n| column_labels(i18n).remaining)}
                    {sort_header(SortKey::Refund, "num", |i18n| column_labels(i18n).refund)}
                    {sort_header(SortKey::ExchangeCredit, "num", |i18n| column_labels(i18n).credit)}
                    {sort_header(SortKey::Recommendation, "", |i18n| column_labels(i18n).recommendation)}
                </tr>
            </thead>
            <tbody node_ref=body on:change=on_row_change inner_html=move || body_html.get()></tbody>
            <tfoot>
                <tr>
                    <td class="select"></td>
                    <th scope="row" colspan="4">{move || t_string!(i18n, portfolio_total, count = total_count()).to_string()}</th>
                    <td class="num" data-label=move || column_labels(i18n).remaining>{move || money_list(totals.get().iter().map(|t| t.remaining_commitment), locale())}</td>
                    <td class="num" data-label=move || column_labels(i18n).refund>{move || money_list(totals.get().iter().map(|t| t.refund), locale())}</td>
                    <td class="num" data-label=move || column_labels(i18n).credit>{move || money_list(totals.get().iter().map(|t| t.exchange_credit), locale())}</td>
                    <td></td>
                </tr>
            </tfoot>
        </table>
    </div>
    }
}

/// How many written rows [`WrittenRows`] keeps at least before starting over.
const KEPT_ROWS: usize = 2_000;

/// The rows written so far for one language and policy: each row's cells, and where its
/// checkbox takes `checked`.
#[derive(Default)]
struct WrittenRows {
    /// The language and policy they were written for.
    key: Option<(Locale, quote_engine::PolicyName)>,
    /// By row index: the cells, and the offset of the checkbox's open tag end.
    rows: std::collections::HashMap<usize, (String, usize)>,
    /// The last page written.
    html: String,
}

impl WrittenRows {
    /// Writes `page` (row indices) into `self.html`, each row from the ones kept or by `cells`
    /// (then kept), with `chosen` rows checked and marked `selected`.
    fn page_html(
        &mut self,
        page: &[usize],
        key: (Locale, quote_engine::PolicyName),
        chosen: &BTreeSet<usize>,
        mut cells: impl FnMut(usize) -> (String, usize),
    ) {
        use std::fmt::Write;
        // Kept for this language and policy only, and at most a few pages' worth (a row is
        // ~1 KiB of text).
        if self.key != Some(key) || self.rows.len() > (2 * page.len()).max(KEPT_ROWS) {
            self.rows.clear();
            self.key = Some(key);
        }
        self.html.clear();
        for &i in page {
            let (html, at) = self.rows.entry(i).or_insert_with(|| cells(i));
            let on = chosen.contains(&i);
            // (Writing to a String cannot fail.)
            let _ = write!(self.html, r#"<tr data-row="{i}"{}>"#, if on { r#" class="selected""# } else { "" });
            self.html.push_str(&html[..*at]);
            if on {
                self.html.push_str(" checked");
            }
            self.html.push_str(&html[*at..]);
            self.html.push_str("</tr>");
        }
    }
}

/// A row's cells in `locale`, and the offset in them where the checkbox's tag ends (for
/// `checked`).
fn row_cells(
    i: usize,
    row: &rules::PortfolioRow,
    r: &Reservation,
    customer_id: &str,
    i18n: I18nContext<Locale>,
    locale: Locale,
) -> (String, usize) {
    use std::fmt::Write;
    let label = t_string!(i18n, portfolio_select_row, name = r.display_name.as_str()).to_string();
    let q = row.quote;
    let amount = |f: fn(&rules::RowQuote) -> Money| q.map(|q| format_money(&f(&q), locale)).unwrap_or_else(|| "—".into());
    let refund_note = q.and_then(|q| {
        if !q.allowed {
            Some(t_string!(i18n, portfolio_refused).to_string())
        } else if !q.forfeited.is_zero() {
            Some(t_string!(i18n, portfolio_capped, amount = format_money(&q.forfeited, locale)).to_string())
        } else {
            None
        }
    });
    let action = row.recommendation.action;
    let mut html = String::with_capacity(1024);
    // (Writing to a String cannot fail.)
    let _ = write!(html, r#"<td class="select"><input type="checkbox" data-row="{i}" aria-label="{}""#, escape(&label));
    let at = html.len();
    // Each cell's `data-label`: its column's name, shown above it where the table is a list of
    // cards (phone width, style/main.css).
    let labels = column_labels(i18n);
    let _ = write!(
        html,
        r#"></td><th scope="row"><a href="{}">{}</a><span class="sub">{}</span></th><td class="num" data-label="{}">{}</td><td class="num" data-label="{}">{} / {}</td><td class="num" data-label="{}">{}</td><td class="num" data-label="{}">{}</td><td class="num" data-label="{}">{}"#,
        escape(&paths::reservation(customer_id, &r.id, "")),
        escape(&r.display_name),
        escape(&r.sku_name),
        escape(&labels.quantity),
        r.quantity,
        escape(&labels.utilization),
        escape(&utilization_text(i18n, locale, r.utilization.last7_days)),
        escape(&utilization_text(i18n, locale, r.utilization.last30_days)),
        escape(&labels.days_left),
        escape(&format_count(row.days_left, locale)),
        escape(&labels.remaining),
        escape(&amount(|q| q.remaining_commitment)),
        escape(&labels.refund),
        escape(&amount(|q| q.refund)),
    );
    if let Some(note) = refund_note {
        let _ = write!(html, r#" <span class="sub">{}</span>"#, escape(&note));
    }
    let _ = write!(
        html,
        r#"</td><td class="num" data-label="{}">{}</td><td class="recommendation" data-label="{}"><span class="{}">{}</span><span class="reason">{}</span></td>"#,
        escape(&labels.credit),
        escape(&amount(|q| q.exchange_credit)),
        escape(&labels.recommendation),
        action_class(action),
        escape(&action_text(i18n, action)),
        escape(&reason_text(i18n, locale, &row.recommendation.reason)),
    );
    (html, at)
}

/// The names of the table's columns in the user's language, as its header and cards write them.
struct ColumnLabels {
    quantity: String,
    utilization: String,
    days_left: String,
    remaining: String,
    refund: String,
    credit: String,
    recommendation: String,
}

fn column_labels(i18n: I18nContext<Locale>) -> ColumnLabels {
    ColumnLabels {
        quantity: t_string!(i18n, column_quantity).to_string(),
        utilization: t_string!(i18n, portfolio_column_utilization).to_string(),
        days_left: t_string!(i18n, portfolio_column_days_left).to_string(),
        remaining: t_string!(i18n, portfolio_column_remaining).to_string(),
        refund: t_string!(i18n, portfolio_column_refund).to_string(),
        credit: t_string!(i18n, portfolio_column_credit).to_string(),
        recommendation: t_string!(i18n, portfolio_filter_recommendation).to_string(),
    }
}

/// `text` safe inside HTML text and double-quoted attribute values.
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escaping_leaves_no_markup_and_no_way_out_of_an_attribute() {
        assert_eq!(escape("Web farm 42"), "Web farm 42");
        assert_eq!(
            escape(r#"<img src=x onerror="alert('x')">&amp;"#),
            "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;"
        );
    }
}
