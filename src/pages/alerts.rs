//! Alerts: what the desk watches per customer (reservations expiring within 90, 30 and 7
//! days, under-used ones, refund headroom near the limit, exchange rights ending), with when
//! each alert was sent and to whom, failed deliveries, and the user's own e-mail subscription
//! per customer, and the outcomes of approval requests sent to their requesters. The rules are
//! `desk_service::alerts`; the server sends (the static build shows and sends nothing).
//!
//! A long list reads as a summary first: each customer's alerts are grouped by kind, each group
//! folded under its count, and a filter by kind (`?kind=expiring`) shows one kind, unfolded.

use contract::{Alert, AlertAction, AlertChannels, AlertDelivery, AlertKind, AlertsView, ApprovalStatus, CustomerAlerts, DeliveryStatus};
use quote_engine::Money;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use quote_engine::Currency;

use crate::api;
use crate::components::load_error::LoadError;
use crate::components::problem_text::error_text;
use crate::deployment::Deployment;
use crate::format::{format_count, format_date, format_money, format_percent, format_time};
use crate::i18n::*;
use crate::paths;

/// The kinds of alert, in the order the page shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlertGroup {
    /// A reservation expiring within 90, 30 or 7 days.
    Expiring,
    /// A reservation used less than the threshold.
    UnderUsed,
    /// A customer's refund headroom below the threshold.
    LowRefundHeadroom,
    /// A reservation whose unlimited exchanges end.
    ExchangeRightEnds,
    /// A GDAP relationship carrying the customer's Azure rights ends without extending itself.
    GdapRelationshipEnds,
    /// An approval request decided or expired.
    ApprovalOutcome,
}

impl AlertGroup {
    /// Every kind, in the page's order.
    pub const ALL: [Self; 6] =
        [Self::Expiring, Self::UnderUsed, Self::LowRefundHeadroom, Self::ExchangeRightEnds, Self::GdapRelationshipEnds, Self::ApprovalOutcome];

    /// The kind of `kind`.
    pub fn of(kind: &AlertKind) -> Self {
        match kind {
            AlertKind::Expiring { .. } => Self::Expiring,
            AlertKind::UnderUsed { .. } => Self::UnderUsed,
            AlertKind::LowRefundHeadroom { .. } => Self::LowRefundHeadroom,
            AlertKind::ExchangeRightEnds { .. } => Self::ExchangeRightEnds,
            AlertKind::GdapRelationshipEnds { .. } => Self::GdapRelationshipEnds,
            AlertKind::ApprovalOutcome { .. } => Self::ApprovalOutcome,
        }
    }

    /// Its name in the filter's URL (`?kind=…`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Expiring => "expiring",
            Self::UnderUsed => "under-used",
            Self::LowRefundHeadroom => "low-refund-headroom",
            Self::ExchangeRightEnds => "exchange-right-ends",
            Self::GdapRelationshipEnds => "gdap-relationship-ends",
            Self::ApprovalOutcome => "approval-outcome",
        }
    }

    /// The kind a `?kind=` names, if any.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.slug() == slug)
    }

    fn text(self, i18n: I18nContext<Locale>) -> String {
        match self {
            Self::Expiring => t_string!(i18n, alert_kind_expiring),
            Self::UnderUsed => t_string!(i18n, alert_kind_under_used),
            Self::LowRefundHeadroom => t_string!(i18n, alert_kind_low_headroom),
            Self::ExchangeRightEnds => t_string!(i18n, alert_kind_exchange_right_ends),
            Self::GdapRelationshipEnds => t_string!(i18n, alert_kind_gdap_relationship_ends),
            Self::ApprovalOutcome => t_string!(i18n, alert_kind_approval_outcome),
        }
        .to_string()
    }
}

/// A customer's alerts as the page lists them: its current alerts, then the approval outcomes
/// sent about it (events, not conditions: listed from their deliveries, once each).
pub fn listed(customer: &CustomerAlerts, deliveries: &[AlertDelivery]) -> Vec<Alert> {
    let mut listed = customer.alerts.clone();
    for d in deliveries {
        if d.customer_id == customer.customer_id
            && matches!(d.alert.kind, AlertKind::ApprovalOutcome { .. })
            && !listed.iter().any(|a| a.key == d.alert.key)
        {
            listed.push(d.alert.clone());
        }
    }
    listed
}

/// `alerts` by kind, in [`AlertGroup::ALL`]'s order, each kind in the order given; only the
/// kinds present.
pub fn by_kind(alerts: &[Alert]) -> Vec<(AlertGroup, Vec<Alert>)> {
    AlertGroup::ALL
        .into_iter()
        .map(|g| (g, alerts.iter().filter(|a| AlertGroup::of(&a.kind) == g).cloned().collect::<Vec<_>>()))
        .filter(|(_, list)| !list.is_empty())
        .collect()
}

/// How many alerts of each kind `lists` hold together, every kind (zero too) in
/// [`AlertGroup::ALL`]'s order.
pub fn counts<'a>(lists: impl IntoIterator<Item = &'a [Alert]>) -> [(AlertGroup, usize); 6] {
    let mut counts = AlertGroup::ALL.map(|g| (g, 0));
    for alert in lists.into_iter().flatten() {
        let group = AlertGroup::of(&alert.kind);
        if let Some((_, n)) = counts.iter_mut().find(|(g, _)| *g == group) {
            *n += 1;
        }
    }
    counts
}

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
            crate::t_count!(i18n, alert_expiring_renew_on, *days_left, name = name, date = format_date(*expiry_date, locale))
        }
        AlertKind::Expiring { expiry_date, days_left, renew: false, .. } => {
            crate::t_count!(i18n, alert_expiring_renew_off, *days_left, name = name, date = format_date(*expiry_date, locale))
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
        AlertKind::ExchangeRightEnds { policy_date, days_left, units } => crate::t_count!(
            i18n,
            alert_exchange_right_ends,
            *days_left,
            name = name,
            date = format_date(*policy_date, locale),
            units = format_count((*units).into(), locale)
        ),
        AlertKind::GdapRelationshipEnds { relationship, end_date, days_left, .. } => crate::t_count!(
            i18n,
            alert_gdap_relationship_ends,
            *days_left,
            name = relationship.clone(),
            date = format_date(*end_date, locale)
        ),
        AlertKind::ApprovalOutcome { approval_id, status, amount, previous_amount, decided_by, reason, ticket_reference, .. } => {
            // The request named with the partner's ticket reference, where it has one.
            let id = match ticket_reference {
                Some(ticket) => t_string!(i18n, approval_with_ticket, id = approval_id.clone(), ticket = ticket.clone()).to_string(),
                None => approval_id.clone(),
            };
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
        AlertAction::RenewGdapRelationship => t_string!(i18n, alert_action_renew_gdap),
    }
    .to_string()
}

/// Where a delivery went and how it stands, in one line.
fn delivery_text(i18n: I18nContext<Locale>, d: &AlertDelivery) -> String {
    let locale = i18n.get_locale_untracked();
    let time = |t: &Option<String>| t.as_deref().map(|t| format_time(t, locale)).unwrap_or_default();
    let to = d.recipient.strip_prefix("mailto:").unwrap_or(&d.recipient).to_owned();
    match d.status {
        DeliveryStatus::Sent => t_string!(i18n, alert_sent_to, time = time(&d.sent_at), recipient = to).to_string(),
        DeliveryStatus::Sending => t_string!(i18n, alert_sending_to, recipient = to).to_string(),
        DeliveryStatus::Failed => t_string!(
            i18n,
            alert_delivery_failed,
            recipient = to,
            attempts = d.attempts,
            error = d.last_error.clone().unwrap_or_default(),
            time = time(&d.next_attempt_at)
        )
        .to_string(),
    }
}

/// One alert's row: what, the next step, and where it was sent.
fn alert_row(i18n: I18nContext<Locale>, alert: &Alert, deliveries: &[AlertDelivery]) -> impl IntoView {
    let text = alert_text(i18n, alert);
    let action = action_text(i18n, alert.action);
    let link = paths::href(&alert.link);
    let sent: Vec<String> = deliveries.iter().filter(|d| d.alert_key == alert.key).map(|d| delivery_text(i18n, d)).collect();
    let failed = deliveries.iter().any(|d| d.alert_key == alert.key && d.status == DeliveryStatus::Failed);
    view! {
        <tr class:alert-failed=failed>
            <td class="wide">{text}</td>
            <td data-label=move || t_string!(i18n, alert_next_step)><A href=link>{action}</A></td>
            <td data-label=move || t_string!(i18n, alert_sent_column)>
                {if sent.is_empty() {
                    view! { <span class="muted">{t!(i18n, alert_not_sent)}</span> }.into_any()
                } else {
                    view! { <ul class="plain-list">{sent.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul> }.into_any()
                }}
            </td>
        </tr>
    }
}

/// One customer's section: how many alerts it has, its subscription switch, and its alerts by
/// kind, each kind folded under its count (unfolded when the filter shows that kind alone).
#[component]
fn CustomerSection(
    customer: CustomerAlerts,
    deliveries: Vec<AlertDelivery>,
    /// Whether the server sends e-mail: where it does not, a subscription is kept and said to
    /// send nothing yet (never promised by e-mail).
    email: bool,
    refetch: Callback<()>,
    /// The kind the page shows alone, if any.
    filter: Memo<Option<AlertGroup>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let subscribed = customer.subscribed;
    let id = customer.customer_id.clone();
    let heading = format!("alerts-{id}");
    let labelled_by = heading.clone();
    // What the subscription does (or will do, once e-mail is set up), which describes its button.
    let said = format!("alerts-subscription-{id}");
    let described_by = said.clone();
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
    let listed = listed(&customer, &deliveries);
    let total = listed.len();
    let groups = by_kind(&listed);
    let kinds: Vec<AlertGroup> = groups.iter().map(|(g, _)| *g).collect();
    // Filtered to a kind it has none of, the customer is left out.
    let hidden = move || filter.get().is_some_and(|f| !kinds.contains(&f));
    let groups = groups
        .into_iter()
        .map(|(group, alerts)| {
            let count = alerts.len();
            let rows = alerts.iter().map(|a| alert_row(i18n, a, &deliveries)).collect_view();
            view! {
                <details class="alert-group" data-kind=group.slug()
                    prop:open=move || filter.get() == Some(group)
                    hidden=move || filter.get().is_some_and(|f| f != group)>
                    <summary>{move || t_string!(i18n, alert_kind_count, kind = group.text(i18n), count = format_count(count as i64, i18n.get_locale())).to_string()}</summary>
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
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="alerts-customer" aria-labelledby=labelled_by hidden=hidden>
            <h2 id=heading>{customer.customer_name.clone()}</h2>
            <p class="sub">{move || crate::t_count!(i18n, alerts_of_customer, total)}</p>
            <p class="subscription">
                {match (subscribed, email) {
                    (true, true) => view! { <span id=said>{t!(i18n, alert_subscribed)}</span> }.into_any(),
                    (true, false) => view! { <span id=said>{t!(i18n, alert_subscribed_no_email)}</span> }.into_any(),
                    (false, true) => view! { <span id=said class="muted">{t!(i18n, alert_not_subscribed)}</span> }.into_any(),
                    (false, false) => view! { <span id=said class="muted">{t!(i18n, alert_not_subscribed_no_email)}</span> }.into_any(),
                }}
                " "
                <button type="button" class="secondary" aria-pressed=subscribed.to_string() aria-describedby=described_by
                    aria-disabled=move || toggle.pending().get().to_string()
                    on:click=move |_| { if !toggle.pending().get_untracked() { toggle.dispatch(!subscribed); } }>
                    {if subscribed { t!(i18n, alert_unsubscribe).into_any() } else { t!(i18n, alert_subscribe).into_any() }}
                </button>
            </p>
            {move || toggle_error().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
            {if total > 0 { groups.into_any() } else { view! { <p class="empty">{t!(i18n, no_alerts)}</p> }.into_any() }}
        </section>
    }
}

/// The filter by kind: every kind with its count over all customers, as radio buttons (the
/// arrow keys move between them); choosing one puts it in the URL.
#[component]
fn KindFilter(counts: [(AlertGroup, usize); 6], filter: Memo<Option<AlertGroup>>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let choose = move |group: Option<AlertGroup>| {
        let options = NavigateOptions { replace: true, scroll: false, ..Default::default() };
        let query = group.map(|g| format!("?kind={}", g.slug())).unwrap_or_default();
        navigate(&format!("{}{query}", paths::for_navigate(&paths::alerts())), options);
    };
    let all: usize = counts.iter().map(|(_, n)| n).sum();
    let label = move |text: String, n: usize| {
        t_string!(i18n, alert_kind_count, kind = text, count = format_count(n as i64, i18n.get_locale())).to_string()
    };
    let option = {
        let choose = choose.clone();
        move |group: Option<AlertGroup>, n: usize| {
            let choose = choose.clone();
            let value = group.map_or("all", AlertGroup::slug);
            view! {
                <label class="radio">
                    <input type="radio" name="alert-kind" value=value
                        prop:checked=move || filter.get() == group
                        disabled=group.is_some() && n == 0
                        on:change=move |_| choose(group) />
                    {move || match group {
                        Some(g) => label(g.text(i18n), n),
                        None => label(t_string!(i18n, alerts_filter_all).to_string(), n),
                    }}
                </label>
            }
        }
    };
    view! {
        <fieldset class="alert-filter">
            <legend>{t!(i18n, alerts_filter)}</legend>
            {option(None, all)}
            {counts.into_iter().map(|(g, n)| option(Some(g), n)).collect_view()}
        </fieldset>
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

/// How the server sends alerts, as its settings say (`alertDelivery`): by e-mail, to a webhook,
/// both, or, where its operator set up neither, nothing (and who sets it up).
fn channels_text(i18n: I18nContext<Locale>, channels: AlertChannels) -> String {
    match (channels.email, channels.webhook) {
        (true, true) => t_string!(i18n, alerts_delivery_email_webhook),
        (true, false) => t_string!(i18n, alerts_delivery_email),
        (false, true) => t_string!(i18n, alerts_delivery_webhook),
        (false, false) => t_string!(i18n, alerts_delivery_none),
    }
    .to_string()
}

/// The Alerts page.
#[component]
pub fn AlertsPage() -> impl IntoView {
    let i18n = use_i18n();
    let settings = Deployment::settings();
    let data = LocalResource::new(api::alerts);
    let refetch = Callback::new(move |()| data.refetch());
    let query = use_query_map();
    let filter = Memo::new(move |_| query.read().get("kind").as_deref().and_then(AlertGroup::from_slug));
    view! {
        <h1>{t!(i18n, alerts_page)}</h1>
        <Show when=|| crate::api::base::api_base().is_none()>
            <p class="note">{t!(i18n, alerts_in_browser)}</p>
        </Show>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_alerts)}</p> }>
            {move || Suspend::new(async move {
                // Unknown (the settings could not be read): the delivery is not said either way.
                let channels = settings.await.ok().map(|s| s.alert_delivery);
                // The static build sends nothing, as its own note says.
                let in_browser = crate::api::base::api_base().is_none();
                let email = channels.is_none_or(|c| c.email) && !in_browser;
                match data.await {
                    Ok(view) => {
                        let failed: Vec<AlertDelivery> = view.deliveries.iter().filter(|d| d.status == DeliveryStatus::Failed).cloned().collect();
                        let intro = intro(i18n, &view);
                        let deliveries = view.deliveries.clone();
                        view! {
                            <p class="note">{intro}</p>
                            {channels.filter(|_| !in_browser).map(|c| view! {
                                <p class=if c.is_none() { "warning alerts-delivery" } else { "note alerts-delivery" } id="alerts-delivery">
                                    {move || channels_text(i18n, c)}
                                </p>
                            })}
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
                            {
                                let lists: Vec<Vec<Alert>> = view.customers.iter().map(|c| listed(c, &deliveries)).collect();
                                let counts = counts(lists.iter().map(Vec::as_slice));
                                let none = move || filter.get().is_some_and(|f| counts.iter().any(|(g, n)| *g == f && *n == 0));
                                view! {
                                    <KindFilter counts filter />
                                    <Show when=none>
                                        <p class="empty">{t!(i18n, alerts_none_of_kind)}</p>
                                    </Show>
                                }
                            }
                            {view.customers.into_iter().map(|c| {
                                let own: Vec<AlertDelivery> = deliveries.iter().filter(|d| d.customer_id == c.customer_id).cloned().collect();
                                view! { <CustomerSection customer=c deliveries=own email refetch=refetch filter=filter /> }
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use contract::{ApprovalKind, ApprovalStatus};
    use rust_decimal::Decimal;

    fn usd(amount: i64) -> Money {
        Money::new(Decimal::from(amount), Currency::new("USD").unwrap())
    }

    fn alert(key: &str, customer: &str, kind: AlertKind) -> Alert {
        Alert {
            key: key.into(),
            customer_id: customer.into(),
            reservation_id: None,
            reservation_order_id: None,
            reservation_name: None,
            kind,
            action: AlertAction::Review,
            link: "/customers".into(),
        }
    }

    fn expiring(key: &str, days_left: u32) -> Alert {
        let kind = AlertKind::Expiring { expiry_date: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(), days_left, window: 30, renew: false };
        alert(key, "c1", kind)
    }

    fn under_used(key: &str) -> Alert {
        alert(key, "c1", AlertKind::UnderUsed { utilization_percent: Decimal::from(12), threshold_percent: Decimal::from(50) })
    }

    fn outcome(key: &str, customer: &str) -> AlertDelivery {
        let kind = AlertKind::ApprovalOutcome {
            approval_id: key.into(),
            approval_kind: ApprovalKind::Refund,
            status: ApprovalStatus::Approved,
            amount: usd(100),
            previous_amount: None,
            decided_by: Some("b@example.com".into()),
            reason: None,
            ticket_reference: None,
        };
        AlertDelivery {
            alert_key: key.into(),
            customer_id: customer.into(),
            recipient: "mailto:a@example.com".into(),
            status: DeliveryStatus::Sent,
            attempts: 1,
            sent_at: Some("2026-08-07T09:00:00Z".into()),
            last_error: None,
            next_attempt_at: None,
            alert: alert(key, customer, kind),
        }
    }

    #[test]
    fn a_customers_alerts_group_by_kind_in_the_pages_order_keeping_the_desks_order_within() {
        let list = vec![under_used("u1"), expiring("e7", 7), under_used("u2"), expiring("e30", 30)];
        let groups = by_kind(&list);
        let shape: Vec<(AlertGroup, Vec<&str>)> =
            groups.iter().map(|(g, alerts)| (*g, alerts.iter().map(|a| a.key.as_str()).collect())).collect();
        assert_eq!(shape, vec![(AlertGroup::Expiring, vec!["e7", "e30"]), (AlertGroup::UnderUsed, vec!["u1", "u2"])]);
        assert!(by_kind(&[]).is_empty());
    }

    #[test]
    fn counts_cover_every_kind_over_every_customer_zero_included() {
        let first = vec![expiring("e1", 7), under_used("u1")];
        let second = vec![expiring("e2", 30), expiring("e3", 90)];
        let counts = counts([first.as_slice(), second.as_slice()]);
        assert_eq!(
            counts,
            [
                (AlertGroup::Expiring, 3),
                (AlertGroup::UnderUsed, 1),
                (AlertGroup::LowRefundHeadroom, 0),
                (AlertGroup::ExchangeRightEnds, 0),
                (AlertGroup::GdapRelationshipEnds, 0),
                (AlertGroup::ApprovalOutcome, 0),
            ]
        );
    }

    #[test]
    fn approval_outcomes_join_their_customers_list_once_each_from_their_deliveries() {
        let customer = CustomerAlerts { customer_id: "c1".into(), customer_name: "Contoso".into(), subscribed: false, alerts: vec![expiring("e1", 7)] };
        // Sent to two recipients: one alert; another customer's outcome is not this one's.
        let mut twice = outcome("a1", "c1");
        twice.recipient = "mailto:b@example.com".into();
        let deliveries = vec![outcome("a1", "c1"), twice, outcome("a2", "c2")];
        let keys: Vec<String> = listed(&customer, &deliveries).into_iter().map(|a| a.key).collect();
        assert_eq!(keys, ["e1", "a1"]);
    }

    #[test]
    fn the_filter_reads_back_each_kind_from_its_url_name() {
        for group in AlertGroup::ALL {
            assert_eq!(AlertGroup::from_slug(group.slug()), Some(group));
        }
        assert_eq!(AlertGroup::from_slug("all"), None);
        assert_eq!(AlertGroup::from_slug(""), None);
    }
}
