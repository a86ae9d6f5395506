use contract::RefundLimit;
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;

use crate::format::{format_date, format_money};
use crate::i18n::*;

/// The customer's refund limit as a meter: consumed of USD 50,000 in the rolling 365 days,
/// and when each counting refund is released.
#[component]
pub fn LimitMeter(limit: RefundLimit) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let (consumed, total, headroom) = (limit.consumed, limit.limit, limit.headroom);
    // Meter positions, not money: f64 is fine here.
    let value = consumed.amount.to_f64().unwrap_or(0.0);
    let max = total.amount.to_f64().unwrap_or(1.0);
    let releases = limit
        .entries
        .iter()
        .filter(|e| e.counts)
        .map(|e| {
            let (amount, date) = (e.amount, e.released_on);
            view! {
                <li>{move || t_string!(i18n, limit_releases, amount = format_money(&amount, locale()), date = format_date(date, locale())).to_string()}</li>
            }
        })
        .collect_view();
    let text = move || {
        t_string!(
            i18n,
            limit_meter_value,
            consumed = format_money(&consumed, locale()),
            limit = format_money(&total, locale()),
            headroom = format_money(&headroom, locale())
        )
        .to_string()
    };
    // Azure mode: Azure's own count, as its last calculation answered: the one that counts there.
    let azure = limit.azure.clone().map(|a| {
        let date = chrono::DateTime::parse_from_rfc3339(&a.read_at).map(|t| t.date_naive()).ok();
        let text = move || {
            t_string!(
                i18n,
                limit_azure_standing,
                consumed = format_money(&a.consumed_refunds_total, locale()),
                limit = format_money(&a.max_refund_limit, locale()),
                headroom = format_money(&a.headroom, locale()),
                date = date.map(|d| format_date(d, locale())).unwrap_or_default()
            )
            .to_string()
        };
        view! { <p class="azure-standing" role="note">{text}</p> }
    });
    view! {
        <div class="limit-meter">
            <label for="limit-meter">{t!(i18n, limit_meter_label)}</label>
            <meter id="limit-meter" min="0" max=max value=value low=max * 0.7 high=max * 0.9 optimum="0"
                aria-valuetext=text>{text}</meter>
            <p class="sub">{text}</p>
            {azure}
            <ul class="releases">{releases}</ul>
        </div>
    }
}
