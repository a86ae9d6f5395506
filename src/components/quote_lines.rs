use leptos::prelude::*;
use quote_engine::QuoteLine;

use crate::components::quote_text::reason_text;
use crate::format::format_money;
use crate::i18n::*;

/// The itemized lines of a refund or exchange quote: the rule in the user's language, the
/// engine's figures behind it, and the signed amount.
#[component]
pub fn QuoteLines(lines: Vec<QuoteLine>) -> impl IntoView {
    let i18n = use_i18n();
    lines
        .into_iter()
        .map(|line| {
            let amount = line.amount;
            let negative = amount.is_negative();
            view! {
                <tr>
                    <th scope="row">
                        {move || reason_text(i18n, &line.reason)}
                        <span class="line-detail">{line.label.clone()}</span>
                    </th>
                    <td class="num" class:negative=negative>{move || format_money(&amount, i18n.get_locale())}</td>
                </tr>
            }
        })
        .collect_view()
}
