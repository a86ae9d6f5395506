//! Alerts: what the desk watches per customer (reservations expiring within 90, 30 and 7
//! days, under-used ones, refund headroom near the limit, exchange rights ending), with when
//! each alert was sent and to whom, failed deliveries, and the user's own e-mail subscription
//! per customer, and the outcomes of approval requests sent to their requesters. The rules are
//! `desk_service::alerts`; the server sends (the static build shows and sends nothing).

use contract::{Alert, AlertAction, AlertDelivery, AlertKind, AlertsView, ApprovalStatus, CustomerAlerts, DeliveryStatus};
use quote_engine::Money;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use quote_engine::Currency;

use crate::api;
use crate::components::load_error::LoadError;
use crate::components::problem_text::error_text;
use crate::format::{format_date, format_money, format_percent};
use crate::i18n::*;

/// The alert in the user's language.
fn alert_text(i18n: I18nContext<Locale>, alert: &Alert) -> String {
    let locale = i18n.get_locale_untracked();
    let name = alert.reservation_name.clone().unwrap_or_default();
    match &alert.kind {
        AlertKind::Expiring { expiry_date, days_left: 0, renew: true, .. } => {
            t_string!(i18n, alert_expiring_today_renew_on, name = name, date = format_date(*expiry_date, locale)).to_string()
        }
        AlertKind::Expiring { expiry_date, days_left: 0, renew: false, .. } => {
            t_string!(i18n, alert_expiring_today_renew_off, name = name, date = format_date(*expiry_date, locale)).to_string()
        }
        AlertKind::Expiring { expiry_date, days_left, renew: true, .. } => {
            t_string!(i18n, alert_expiring_renew_on, name = name, date = format_date(*expiry_date, locale), days = *days_left).to_string()
        }
        AlertKind::Expiring { expiry_date, days_left, renew: false, .. } => {
            t_string!(i18n, alert_expiring_renew_off, name = name, date = format_date(*expiry_date, locale), days = *days_left).to_string()
        }
        AlertKind::UnderUsed { utilization_percent, threshold_percent } => t_string!(
            i18n,
            alert_under_used,
            name = name,
            percent = format_percent(*utilization_percent, locale),
            threshold = format_percent(*threshold_percent, locale)
        )
        .to_string(),
        AlertKind::LowRefundHeadroom { headroom, threshold } => t_string!(
            i18n,
            alert_low_headroom,
            headroom = format_money(headroom, locale),
            threshold = format_money(threshold, locale)
        )
        .to_string(),
        AlertKind::ExchangeRightEnds { policy_date, days_left, units } => t_string!(
            i18n,
            alert_exchange_right_ends,
            name = name,
            date = format_date(*policy_date, locale),
            days = *days_left,
            units = *units
        )
        .to_string(),
        AlertKind::ApprovalOutcome { approval_id, status, amount, previous_amount, decided_by, reason, .. } => {
            let id = approval_id.clone();
            let amount = format_money(amount, locale);
            let name = decided_by.clone().unwrap_or_default();
            match status {
                ApprovalStatus::Approved => t_string!(i18n, alert_approval_approved, id = id, amount = amount, name = name).to_string(),
                ApprovalStatus::Rejected => {
                    t_string!(i18n, alert_approval_rejected, id = id, amount = amount, name = name, reason = reason.clone().unwrap_or_default()).to_string()
                }
                ApprovalStatus::NeedsApprovalAgain => {
                    let previous = previous_amount.map(|m| format_money(&m, locale)).unwrap_or_default();
                    t_string!(i18n, alert_approval_again, id = id, amount = amount, name = name, previous = previous).to_string()
                }
                ApprovalStatus::Expired => t_string!(i18n, alert_approval_expired, id = id, amount = amount).to_string(),
                // The desk never alerts a request that still waits.
                ApprovalStatus::Pending => String::new(),
            }
        }
    }
}

fn action_text(i18n: I18nContext<Locale>, action: AlertAction) -> String {
    match action {
        AlertAction::Renew => t_string!(i18n, alert_action_renew),
        AlertAction::Exchange => t_string!(i18n, alert_action_exchange),
        AlertAction::Refund => t_string!(i18n, alert_action_refund),
        AlertAction::Review => t_string!(i18n, alert_action_review),
    }
    .to_string()
}

/// Where a delivery went and how it stands, in one line.
fn delivery_text(i18n: I18nContext<Locale>, d: &AlertDelivery) -> String {
    let to = d.recipient.strip_prefix("mailto:").unwrap_or(&d.recipient).to_owned();
    match d.status {
        DeliveryStatus::Sent => t_string!(i18n, alert_sent_to, time = d.sent_at.clone().unwrap_or_default(), recipient = to).to_string(),
        DeliveryStatus::Sending => t_string!(i18n, alert_sending_to, recipient = to).to_string(),
        DeliveryStatus::Failed => t_string!(
            i18n,
            alert_delivery_failed,
            recipient = to,
            attempts = d.attempts,
            error = d.last_error.clone().unwrap_or_default(),
            time = d.next_attempt_at.clone().unwrap_or_default()
        )
        .to_string(),
    }
}

/// One customer's section: its alerts with their deliveries, and the subscription switch.
#[component]
fn CustomerSection(customer: CustomerAlerts, deliveries: Vec<AlertDelivery>, refetch: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let subscribed = customer.subscribed;
    let id = customer.customer_id.clone();
    let heading = format!("alerts-{id}");
    let labelled_by = heading.clone();
    let toggle = Action::new_local(move |on: &bool| {
        let (id, on) = (id.clone(), *on);
        async move {
            let result = api::set_alert_subscription(&id, on).await;
            if result.is_ok() {
                refetch.run(());
            }
            result
        }
    });
    let toggle_error = move || match toggle.value().get() {
        Some(Err(e)) => Some(error_text(i18n, &e)),
        _ => None,
    };
    // The current alerts, then the approval outcomes sent about this customer (events, not
    // conditions: they are listed from their deliveries, once each).
    let mut listed: Vec<Alert> = customer.alerts.clone();
    for d in &deliveries {
        if matches!(d.alert.kind, AlertKind::ApprovalOutcome { .. }) && !listed.iter().any(|a| a.key == d.alert.key) {
            listed.push(d.alert.clone());
        }
    }
    let has_alerts = !listed.is_empty();
    let rows = listed
        .iter()
        .map(|alert| {
            let text = alert_text(i18n, alert);
            let action = action_text(i18n, alert.action);
            let link = crate::paths::href(&alert.link);
            let sent: Vec<String> = deliveries.iter().filter(|d| d.alert_key == alert.key).map(|d| delivery_text(i18n, d)).collect();
            let failed = deliveries.iter().any(|d| d.alert_key == alert.key && d.status == DeliveryStatus::Failed);
            view! {
                <tr class:alert-failed=failed>
                    <td>{text}</td>
                    <td><A href=link>{action}</A></td>
                    <td>
                        {if sent.is_empty() {
                            view! { <span class="muted">{t!(i18n, alert_not_sent)}</span> }.into_any()
                        } else {
                            view! { <ul class="plain-list">{sent.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul> }.into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="alerts-customer" aria-labelledby=labelled_by>
            <h2 id=heading>{customer.customer_name.clone()}</h2>
            <p class="subscription">
                {if subscribed {
                    view! { <span>{t!(i18n, alert_subscribed)}</span> }.into_any()
                } else {
                    view! { <span class="muted">{t!(i18n, alert_not_subscribed)}</span> }.into_any()
                }}
                " "
                <button type="button" class="secondary" aria-pressed=subscribed.to_string()
                    aria-disabled=move || toggle.pending().get().to_string()
                    on:click=move |_| { if !toggle.pending().get_untracked() { toggle.dispatch(!subscribed); } }>
                    {if subscribed { t!(i18n, alert_unsubscribe).into_any() } else { t!(i18n, alert_subscribe).into_any() }}
                </button>
            </p>
            {move || toggle_error().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
            {if has_alerts {
                view! {
                    <div class="table-scroll">
                        <table class="data-table alerts-table">
                            <thead><tr>
                                <th scope="col">{t!(i18n, alert_column)}</th>
                                <th scope="col">{t!(i18n, alert_next_step)}</th>
                                <th scope="col">{t!(i18n, alert_sent_column)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            } else {
                view! { <p class="empty">{t!(i18n, no_alerts)}</p> }.into_any()
            }}
        </section>
    }
}

/// The intro with the deployment's thresholds.
fn intro(i18n: I18nContext<Locale>, view: &AlertsView) -> String {
    let locale = i18n.get_locale_untracked();
    let usd = Currency::new("USD").map(|c| Money::new(view.thresholds.headroom_usd, c));
    t_string!(
        i18n,
        alerts_intro,
        percent = format_percent(view.thresholds.utilization_percent, locale),
        amount = usd.map(|m| format_money(&m, locale)).unwrap_or_default(),
        date = format_date(view.as_of, locale)
    )
    .to_string()
}

/// The Alerts page.
#[component]
pub fn AlertsPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = LocalResource::new(api::alerts);
    let refetch = Callback::new(move |()| data.refetch());
    view! {
        <h1>{t!(i18n, alerts_page)}</h1>
        <Show when=|| crate::api::base::api_base().is_none()>
            <p class="note">{t!(i18n, alerts_in_browser)}</p>
        </Show>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_alerts)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        let failed: Vec<AlertDelivery> = view.deliveries.iter().filter(|d| d.status == DeliveryStatus::Failed).cloned().collect();
                        let intro = intro(i18n, &view);
                        let deliveries = view.deliveries.clone();
                        view! {
                            <p class="note">{intro}</p>
                            {(!failed.is_empty()).then(|| view! {
                                <section class="alerts-failed" role="alert" aria-labelledby="alerts-failed">
                                    <h2 id="alerts-failed">{t!(i18n, alert_failed_deliveries)}</h2>
                                    // One line per recipient and failure (a digest fails whole); each alert's
                                    // row below says it too.
                                    <ul>{{
                                        let mut lines: Vec<String> = failed.iter().map(|d| delivery_text(i18n, d)).collect();
                                        lines.sort();
                                        lines.dedup();
                                        lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()
                                    }}</ul>
                                </section>
                            })}
                            {view.customers.into_iter().map(|c| {
                                let own: Vec<AlertDelivery> = deliveries.iter().filter(|d| d.customer_id == c.customer_id).cloned().collect();
                                view! { <CustomerSection customer=c deliveries=own refetch=refetch /> }
                            }).collect_view()}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <LoadError error retry=move || data.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}
