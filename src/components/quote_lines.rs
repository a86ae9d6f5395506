use leptos::prelude::*;
use quote_engine::QuoteLine;

use crate::components::quote_text::{line_detail_text, reason_text};
use crate::format::format_money;
use crate::i18n::*;

/// The itemized lines of a refund or exchange quote: the rule and the figures behind it in the
/// user's language, and the signed amount.
#[component]
pub fn QuoteLines(lines: Vec<QuoteLine>) -> impl IntoView {
    let i18n = use_i18n();
    lines
        .into_iter()
        .map(|line| {
            let amount = line.amount;
            let negative = amount.is_negative();
            let reason = line.reason.clone();
            view! {
                <tr>
                    <th scope="row">
                        {move || reason_text(i18n, &reason)}
                        <span class="line-detail">{move || line_detail_text(i18n, &line)}</span>
                    </th>
                    <td class="num" class:negative=negative>{move || format_money(&amount, i18n.get_locale())}</td>
                </tr>
            }
        })
        .collect_view()
}
