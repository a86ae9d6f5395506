use leptos::prelude::*;

use crate::clock;
use crate::components::keep_refund_exchange::KeepRefundExchange;
use crate::components::money_actions::MoneyActions;
use crate::components::labels::{plan_text, scope_named, state_text, term_text, utilization_text};
use crate::components::utilization_chart::UtilizationChart;
use crate::format::format_date;
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;

/// The note beside the Overview's own Refund and Exchange while one of them waits for approval.
const WAITING_REASON: &str = "overview-waiting-reason";

/// Overview: the reservation at a glance, its utilization, keep / refund / exchange side by
/// side, and the Refund and Exchange buttons.
#[component]
pub fn OverviewPanel() -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let current = expect_context::<CurrentReservation>();
    let r = current.detail.reservation.clone();
    let (term, plan, scope, state) = (r.term, r.billing_plan, r.applied_scope_type, r.provisioning_state);
    let (purchased, expires) = (r.purchase_date, r.expiry_date);
    let days_left = (expires - clock::today()).num_days();
    let active = state == contract::ProvisioningState::Succeeded && days_left >= 0;
    let scope_properties = r.applied_scope_properties.clone();
    let u = r.utilization;
    let pct = move |v| utilization_text(i18n, locale(), v);
    let not_reported = u.last1_day.is_none() || u.last7_days.is_none() || u.last30_days.is_none();
    // Azure reports averages, not days: a reservation with Azure's averages has no daily history
    // to draw (none is made up), which is said rather than "none recorded yet".
    let history_reported = !current.detail.utilization_history.is_empty() || !u.may_show_use();
    let name = current.name;
    let waiting = current.waiting_now;
    view! {
        <h2>{t!(i18n, overview)}</h2>
        <dl class="summary-grid">
            <div><dt>{t!(i18n, display_name)}</dt><dd>{move || name.get()}</dd></div>
            <div><dt>{t!(i18n, column_sku)}</dt><dd>{r.sku_name.clone()}</dd></div>
            <div><dt>{t!(i18n, column_quantity)}</dt><dd>{r.quantity}</dd></div>
            <div><dt>{t!(i18n, column_term)}</dt><dd>{move || term_text(i18n, term)}</dd></div>
            <div><dt>{t!(i18n, column_billing_plan)}</dt><dd>{move || plan_text(i18n, plan)}</dd></div>
            <div><dt>{t!(i18n, purchase_date)}</dt><dd>{move || format_date(purchased, locale())}</dd></div>
            <div>
                <dt>{t!(i18n, expiration_date)}</dt>
                <dd>
                    {move || format_date(expires, locale())}
                    <Show when=move || active>
                        <span class="sub">{move || crate::t_count!(i18n, days_left, days_left)}</span>
                    </Show>
                </dd>
            </div>
            <div><dt>{t!(i18n, scope)}</dt><dd>{move || scope_named(i18n, scope, scope_properties.as_ref())}</dd></div>
            <div><dt>{t!(i18n, provisioning_state)}</dt><dd>{move || state_text(i18n, state)}</dd></div>
        </dl>
        <h3>{t!(i18n, utilization)}</h3>
        <dl class="utilization">
            <div><dt>{t!(i18n, utilization_1)}</dt><dd>{move || pct(u.last1_day)}</dd></div>
            <div><dt>{t!(i18n, utilization_7)}</dt><dd>{move || pct(u.last7_days)}</dd></div>
            <div><dt>{t!(i18n, utilization_30)}</dt><dd>{move || pct(u.last30_days)}</dd></div>
        </dl>
        {not_reported.then(|| view! { <p class="note utilization-not-reported">{t!(i18n, utilization_not_reported_note)}</p> })}
        {if history_reported {
            view! { <UtilizationChart days=current.detail.utilization_history.clone() /> }.into_any()
        } else {
            view! { <p class="empty">{t!(i18n, utilization_chart_not_reported)}</p> }.into_any()
        }}
        <KeepRefundExchange customer_id=current.customer_id.clone() reservation=r.clone() waiting waiting_reason=WAITING_REASON />
        <div class="actions">
            // As in the Actions bar: disabled on an inactive reservation, described by its reason
            // there; disabled while a refund or exchange of it waits for approval, said here too.
            <MoneyActions
                customer_id=current.customer_id.clone()
                reservation_id=r.id.clone()
                active=r.provisioning_state == contract::ProvisioningState::Succeeded
                waiting
                waiting_reason=WAITING_REASON
            />
            <Show when=move || waiting.get()>
                <p id=WAITING_REASON class="sub disabled-reason">{t!(i18n, money_actions_waiting)}</p>
            </Show>
        </div>
    }
}
