//! What the desk watches per customer, decided from stored data and a day:
//! reservations expiring within 90, 30 or 7 days, under-used reservations, refund headroom near
//! the limit, and exchangeable reservations whose unlimited exchanges end on the
//! exchange-policy date. Each alert has a key naming its condition and period (an alert of one
//! key is sent once per recipient), what to do next, and the console path that does it. Pure:
//! the adapters send; nothing here reads a clock.

use chrono::{Datelike, NaiveDate};
use contract::{Alert, AlertAction, AlertKind, AlertThresholds, Approval, ApprovalKind, ApprovalStatus, ProvisioningState, RefundLimit, Reservation};
use quote_engine::{exchange_right, ExchangeRight, ExchangeRightInput, Money, ReservedResourceType};
use rust_decimal::Decimal;

/// The expiry windows, widest first: a reservation is alerted once in each as it enters it.
pub const EXPIRY_WINDOWS: [u32; 3] = [90, 30, 7];

/// How many days before the exchange-policy date its alert starts.
pub const EXCHANGE_RIGHT_LEAD_DAYS: u32 = 90;

/// Days of utilization the under-used rule averages (the reservation must be at least this old).
pub const UTILIZATION_DAYS: i64 = 7;

/// The ISO week of `day`, as a period: `2026-W48`.
pub fn week_of(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

fn reservation_path(r: &Reservation, panel: &str) -> String {
    format!("/customers/{}/reservations/{}/{panel}", r.customer_id, r.id)
}

fn about(r: &Reservation, key: String, kind: AlertKind, action: AlertAction, panel: &str) -> Alert {
    Alert {
        key,
        customer_id: r.customer_id.clone(),
        reservation_id: Some(r.id.clone()),
        reservation_order_id: Some(r.reservation_order_id.clone()),
        reservation_name: Some(r.display_name.clone()),
        kind,
        action,
        link: reservation_path(r, panel),
    }
}

/// The expiry alert of an active reservation, if it expires within 90 days, the expiry day
/// itself included ("expires today", 0 days left): in the smallest window its expiry falls in.
/// Renewal off: renew (or let it lapse knowingly); renewal on: the same panel, to check what it
/// renews into.
pub fn expiring(r: &Reservation, today: NaiveDate) -> Option<Alert> {
    if r.provisioning_state != ProvisioningState::Succeeded || r.archived || r.expiry_date < today {
        return None;
    }
    let days_left = u32::try_from((r.expiry_date - today).num_days()).ok()?;
    let window = EXPIRY_WINDOWS.into_iter().rev().find(|w| days_left <= *w)?;
    let key = format!("expiring/{}/{}/{}", r.id, r.expiry_date, window);
    let kind = AlertKind::Expiring { expiry_date: r.expiry_date, days_left, window, renew: r.renew };
    Some(about(r, key, kind, AlertAction::Renew, "configuration"))
}

/// The under-used alert of an active reservation at least 7 days old whose last 7 days' average
/// (`r.utilization.last7_days`, as the desk lists it) is below the threshold; once a week.
pub fn under_used(r: &Reservation, today: NaiveDate, threshold_percent: Decimal) -> Option<Alert> {
    if r.provisioning_state != ProvisioningState::Succeeded || r.archived || (today - r.purchase_date).num_days() < UTILIZATION_DAYS {
        return None;
    }
    // Not reported by Azure is not unused: no alert on it.
    let utilization_percent = r.utilization.last7_days?;
    if utilization_percent >= threshold_percent {
        return None;
    }
    let key = format!("underUsed/{}/{}", r.id, week_of(today));
    let kind = AlertKind::UnderUsed { utilization_percent, threshold_percent };
    Some(about(r, key, kind, AlertAction::Exchange, "exchange"))
}

/// The near-the-limit alert of a customer whose headroom is below the threshold (USD); once a
/// week. What to do: plan refunds within what is left (the customer's refund limit and
/// portfolio).
pub fn low_headroom(customer_id: &str, limit: &RefundLimit, today: NaiveDate, threshold_usd: Decimal) -> Option<Alert> {
    if limit.headroom.amount >= threshold_usd {
        return None;
    }
    let threshold = Money::new(threshold_usd, limit.headroom.currency);
    Some(Alert {
        key: format!("lowRefundHeadroom/{customer_id}/{}", week_of(today)),
        customer_id: customer_id.to_owned(),
        reservation_id: None,
        reservation_order_id: None,
        reservation_name: None,
        kind: AlertKind::LowRefundHeadroom { headroom: limit.headroom, threshold },
        action: AlertAction::Refund,
        link: format!("/customers/{customer_id}/portfolio"),
    })
}

/// The alert of an active reservation bought before the exchange-policy date of its service
/// (the engine's `exchange_right`), within [`EXCHANGE_RIGHT_LEAD_DAYS`] before that date: from
/// then on each unit keeps one final exchange, so an exchange planned anyway is best made
/// before. Once per reservation and date.
pub fn exchange_right_ends(r: &Reservation, today: NaiveDate) -> Option<Alert> {
    if r.provisioning_state != ProvisioningState::Succeeded || r.archived {
        return None;
    }
    let family = ReservedResourceType::new(&r.reserved_resource_type).ok()?;
    let input = ExchangeRightInput {
        reserved_resource_type: &family,
        purchase_date: r.purchase_date,
        quantity: r.quantity,
        final_exchange_units_used: 0,
        renewal: false,
    };
    let ExchangeRight::BeforeRestriction { from } = exchange_right(&input, today) else {
        return None;
    };
    // The right that ends is the unlimited one of a reservation bought before the date, which
    // the engine answers on the date itself: one final exchange per unit.
    let ExchangeRight::FinalExchange { units_with_right, .. } = exchange_right(&input, from) else {
        return None;
    };
    let days_left = u32::try_from((from - today).num_days()).ok()?;
    if days_left > EXCHANGE_RIGHT_LEAD_DAYS || r.expiry_date <= from {
        return None;
    }
    let key = format!("exchangeRightEnds/{}/{from}", r.id);
    let kind = AlertKind::ExchangeRightEnds { policy_date: from, days_left, units: units_with_right };
    Some(about(r, key, kind, AlertAction::Exchange, "exchange"))
}

/// The windows before a GDAP relationship's end, widest first: a relationship that carries
/// the customer's Azure rights and does not extend itself is alerted once in each.
pub const GDAP_WINDOWS: [u32; 2] = [30, 7];

/// The alerts of the customer's GDAP relationships (`relationships`, as Graph last listed them)
/// as of `today`: each active one that reaches Azure (`crate::gdap`) and does not extend itself,
/// ending within 30 days (its last day included), in the smallest window its end falls in.
/// Keyed by the relationship, its end and the window, so each goes out once per window (a
/// relationship extended by hand ends on another day: a new key). Links to the readiness page,
/// which shows the relationship with its remedy.
pub fn gdap_relationship_ends(customer_id: &str, relationships: &[contract::gdap::GdapRelationship], today: NaiveDate) -> Vec<Alert> {
    relationships
        .iter()
        .filter_map(|r| {
            let days_left = crate::gdap::ends_soon(r, today)?;
            let end_date = crate::gdap::end_date(r)?;
            let window = GDAP_WINDOWS.into_iter().rev().find(|w| days_left <= *w)?;
            Some(Alert {
                key: format!("gdapRelationshipEnds/{}/{end_date}/{window}", r.id),
                customer_id: customer_id.to_owned(),
                reservation_id: None,
                reservation_order_id: None,
                reservation_name: None,
                kind: AlertKind::GdapRelationshipEnds { relationship: r.display_name.clone(), end_date, days_left, window },
                action: AlertAction::RenewGdapRelationship,
                link: "/readiness".to_owned(),
            })
        })
        .collect()
}

/// The outcome alert of an approval request as it stands (`approval.status` as the desk shows
/// it: an open request past its expiry is `expired`), for its requester: `None` while it waits
/// (`pending`). Keyed by the request and its status (and, for `needsApprovalAgain`, the new
/// figure, which a later approval may change again), so each outcome goes out once. Links to the
/// returned reservation (a refund) or the Approvals page (an exchange).
pub fn approval_outcome(approval: &Approval) -> Option<Alert> {
    let status = approval.status;
    let status_name = match status {
        ApprovalStatus::Pending => return None,
        ApprovalStatus::NeedsApprovalAgain => format!("needsApprovalAgain/{}", approval.amount.amount.normalize()),
        ApprovalStatus::Approved => "approved".to_owned(),
        ApprovalStatus::Rejected => "rejected".to_owned(),
        ApprovalStatus::Expired => "expired".to_owned(),
    };
    let decided_by = match status {
        ApprovalStatus::Expired => None,
        _ => approval.decided_by.as_ref().map(|p| format!("{} ({})", p.display_name, p.user_principal_name)),
    };
    let link = match (&approval.kind, &approval.reservation_id) {
        (ApprovalKind::Refund, Some(reservation_id)) => format!("/customers/{}/reservations/{reservation_id}", approval.customer_id),
        _ => "/approvals".to_owned(),
    };
    Some(Alert {
        key: format!("approvalOutcome/{}/{status_name}", approval.id),
        customer_id: approval.customer_id.clone(),
        reservation_id: approval.reservation_id.clone(),
        reservation_order_id: approval.reservation_order_id.clone(),
        reservation_name: None,
        kind: AlertKind::ApprovalOutcome {
            approval_id: approval.id.clone(),
            approval_kind: approval.kind,
            status,
            amount: approval.amount,
            previous_amount: approval.previous_amount.filter(|_| status == ApprovalStatus::NeedsApprovalAgain),
            decided_by,
            reason: approval.rejection_reason.clone().filter(|_| status == ApprovalStatus::Rejected),
            ticket_reference: approval.ticket_reference.clone(),
        },
        action: AlertAction::Review,
        link,
    })
}

fn order(alert: &Alert) -> (u8, u32) {
    match alert.kind {
        AlertKind::Expiring { days_left, .. } => (0, days_left),
        AlertKind::ExchangeRightEnds { days_left, .. } => (1, days_left),
        AlertKind::GdapRelationshipEnds { days_left, .. } => (1, days_left),
        AlertKind::UnderUsed { .. } => (2, 0),
        AlertKind::LowRefundHeadroom { .. } => (3, 0),
        AlertKind::ApprovalOutcome { .. } => (4, 0),
    }
}

/// Every alert of one customer as of `today`: `reservations` as the desk lists them (with their
/// utilization aggregates), `limit` the customer's refund limit as of `today`. Expiring first
/// (soonest first), then the exchange right, under-used, and the limit.
pub fn customer_alerts(
    customer_id: &str,
    reservations: &[Reservation],
    limit: &RefundLimit,
    today: NaiveDate,
    thresholds: &AlertThresholds,
) -> Vec<Alert> {
    let mut alerts: Vec<Alert> = reservations
        .iter()
        .filter(|r| r.customer_id == customer_id)
        .flat_map(|r| [expiring(r, today), exchange_right_ends(r, today), under_used(r, today, thresholds.utilization_percent)])
        .flatten()
        .collect();
    alerts.extend(low_headroom(customer_id, limit, today, thresholds.headroom_usd));
    alerts.sort_by(|a, b| order(a).cmp(&order(b)).then_with(|| a.key.cmp(&b.key)));
    alerts
}

/// The first retry's delay unless the deployment sets another (`ALERT_RETRY_SECONDS`).
pub const FIRST_RETRY_SECONDS: i64 = 60;

/// How long after its `attempts`-th failed try a delivery is tried again: `first` seconds (a
/// minute by default), doubled per try, at most 6 hours.
pub fn retry_delay_seconds(attempts: u32, first: i64) -> i64 {
    let doubled = first.max(1).saturating_mul(1_i64 << attempts.saturating_sub(1).min(20));
    doubled.min(6 * 3600)
}

/// The alert in one line of English (e-mail and webhook text).
pub fn sentence(alert: &Alert, customer_name: &str) -> String {
    let name = alert.reservation_name.as_deref().unwrap_or("");
    match &alert.kind {
        AlertKind::Expiring { expiry_date, days_left, renew, .. } => {
            let renewal = if *renew { "renewal is on" } else { "renewal is OFF" };
            let when = match days_left {
                0 => format!("expires today ({expiry_date})"),
                1 => format!("expires on {expiry_date} (in 1 day)"),
                _ => format!("expires on {expiry_date} (in {days_left} days)"),
            };
            format!("{customer_name}: reservation {name} {when}; {renewal}. Next: decide on renewal.")
        }
        AlertKind::UnderUsed { utilization_percent, threshold_percent } => format!(
            "{customer_name}: reservation {name} was used {} % over the last 7 days (below {} %). Next: exchange or refund it.",
            utilization_percent.round_dp(1).normalize(),
            threshold_percent.normalize()
        ),
        AlertKind::LowRefundHeadroom { headroom, threshold } => format!(
            "{customer_name}: refund headroom under the USD 50,000 limit is {} {} (below {} {}). Next: plan refunds within it.",
            headroom.currency.code(),
            headroom.amount.round_dp(2),
            threshold.currency.code(),
            threshold.amount.normalize()
        ),
        AlertKind::ExchangeRightEnds { policy_date, days_left, units } => format!(
            "{customer_name}: reservation {name} may be exchanged without limit until {policy_date} (in {days_left} days); from then on its {units} unit(s) keep one final exchange. Next: exchange it before then if you plan to."
        ),
        AlertKind::GdapRelationshipEnds { relationship, end_date, days_left, .. } => {
            let when = match days_left {
                0 => format!("ends today ({end_date})"),
                1 => format!("ends on {end_date} (in 1 day)"),
                _ => format!("ends on {end_date} (in {days_left} days)"),
            };
            format!(
                "{customer_name}: the GDAP relationship {relationship}, which carries the Azure rights, {when} and does not extend itself. Next: renew it in Partner Center."
            )
        }
        AlertKind::ApprovalOutcome { approval_id, approval_kind, status, amount, previous_amount, decided_by, reason, ticket_reference } => {
            let what = match approval_kind {
                ApprovalKind::Refund => "refund",
                ApprovalKind::Exchange => "exchange",
                ApprovalKind::Purchase => "purchase",
            };
            // An exchange's amount is the credit for its returns, not what the customer pays.
            let figure = match approval_kind {
                ApprovalKind::Refund => format!("of {amount}"),
                ApprovalKind::Exchange => format!("crediting {amount} for the returns"),
                ApprovalKind::Purchase => format!("committing {amount}"),
            };
            let by = decided_by.as_deref().unwrap_or("");
            let ticket = ticket_reference.as_deref().map(|t| format!(", ticket {t}")).unwrap_or_default();
            let subject = format!("{customer_name}: your {what} {figure} (approval request {approval_id}{ticket})");
            match status {
                ApprovalStatus::Approved => format!("{subject} was approved by {by} and carried out."),
                ApprovalStatus::Rejected => {
                    format!("{subject} was rejected by {by}: {}. Nothing moved.", reason.as_deref().unwrap_or(""))
                }
                ApprovalStatus::NeedsApprovalAgain => {
                    let before = previous_amount.map(|m| m.to_string()).unwrap_or_default();
                    format!("{customer_name}: your {what} (approval request {approval_id}{ticket}) was quoted again by {by}: {before} is now {amount}; it needs approval again. Nothing moved yet.")
                }
                ApprovalStatus::Expired => format!("{subject} expired without a decision. Nothing moved; submit it again if still wanted."),
                ApprovalStatus::Pending => format!("{subject} waits for approval."),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;
    use rust_decimal_macros::dec;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn reservation(today: NaiveDate) -> Reservation {
        let mut r = seed::demo_data(today).reservations.remove(4).reservation;
        r.provisioning_state = ProvisioningState::Succeeded;
        r.archived = false;
        r
    }

    #[test]
    fn a_gdap_relationship_carrying_azure_rights_is_alerted_30_and_7_days_before_it_ends() {
        use crate::gdap::tests::{relationship, GLOBAL_ADMIN, HELPDESK_ADMIN};
        let today = day(2026, 11, 26);
        let ending = |id: &str, days: u64, auto: &str, role: &str| {
            let end = (today + chrono::Days::new(days)).and_hms_opt(11, 24, 42).unwrap().and_utc().to_rfc3339();
            relationship(id, "active", Some(&end), auto, &[role])
        };
        let alerts = gdap_relationship_ends(
            "c",
            &[
                ending("week", 7, "PT0S", GLOBAL_ADMIN),
                ending("twenty", 20, "PT0S", GLOBAL_ADMIN),
                ending("extends", 7, "P180D", GLOBAL_ADMIN),
                ending("helpdesk", 7, "PT0S", HELPDESK_ADMIN),
                ending("later", 31, "PT0S", GLOBAL_ADMIN),
            ],
            today,
        );
        let got: Vec<(&str, u32, u32)> = alerts
            .iter()
            .map(|a| match &a.kind {
                AlertKind::GdapRelationshipEnds { days_left, window, .. } => (a.key.as_str(), *days_left, *window),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(got, vec![("gdapRelationshipEnds/week/2026-12-03/7", 7, 7), ("gdapRelationshipEnds/twenty/2026-12-16/30", 20, 30)]);
        assert_eq!((alerts[0].action, alerts[0].link.as_str(), alerts[0].reservation_id.as_deref()), (AlertAction::RenewGdapRelationship, "/readiness", None));
        let text = sentence(&alerts[0], "Contoso");
        assert_eq!(
            text,
            "Contoso: the GDAP relationship week relationship, which carries the Azure rights, ends on 2026-12-03 (in 7 days) and does not extend itself. Next: renew it in Partner Center."
        );
    }

    #[test]
    fn an_expiry_falls_in_the_smallest_window_and_the_key_names_it() {
        let today = day(2026, 11, 25);
        let mut r = reservation(today);
        r.renew = false;
        for (days, window) in [(91, None), (90, Some(90)), (31, Some(90)), (30, Some(30)), (8, Some(30)), (7, Some(7)), (1, Some(7)), (0, Some(7))] {
            r.expiry_date = today + chrono::Days::new(days);
            let alert = expiring(&r, today);
            let got = alert.as_ref().map(|a| match a.kind {
                AlertKind::Expiring { window, days_left, renew, .. } => {
                    assert_eq!((days_left, renew), (days as u32, false));
                    window
                }
                _ => panic!("{a:?}"),
            });
            assert_eq!(got, window, "{days} days left");
            if let Some(a) = alert {
                assert_eq!(a.key, format!("expiring/{}/{}/{}", r.id, r.expiry_date, window.unwrap()));
                assert_eq!(a.action, AlertAction::Renew);
                assert!(a.link.ends_with("/configuration"), "{}", a.link);
            }
        }
        r.expiry_date = today;
        let on_the_day = expiring(&r, today).expect("an alert on the expiry day itself");
        assert!(sentence(&on_the_day, "Contoso").contains("expires today (2026-11-25)"), "{}", sentence(&on_the_day, "Contoso"));
        r.expiry_date = today - chrono::Days::new(1);
        assert_eq!(expiring(&r, today), None, "expired yesterday: no longer expiring");
        r.expiry_date = today + chrono::Days::new(10);
        r.provisioning_state = ProvisioningState::Cancelled;
        assert_eq!(expiring(&r, today), None, "only active reservations");
    }

    #[test]
    fn under_used_is_below_the_threshold_over_seven_days_once_a_week() {
        let today = day(2026, 11, 25);
        let mut r = reservation(today);
        r.purchase_date = today - chrono::Days::new(30);
        r.utilization.last7_days = Some(dec!(49.9));
        let a = under_used(&r, today, dec!(50)).expect("below 50 %");
        assert_eq!(a.key, format!("underUsed/{}/2026-W48", r.id));
        assert_eq!(a.action, AlertAction::Exchange);
        assert_eq!(under_used(&r, day(2026, 11, 29), dec!(50)).unwrap().key, a.key, "the same ISO week");
        assert_ne!(under_used(&r, day(2026, 11, 30), dec!(50)).unwrap().key, a.key, "the next week");
        r.utilization.last7_days = Some(dec!(50));
        assert_eq!(under_used(&r, today, dec!(50)), None, "at the threshold is not below it");
        r.utilization.last7_days = None;
        assert_eq!(under_used(&r, today, dec!(50)), None, "not reported is not unused");
        r.utilization.last7_days = Some(dec!(0));
        r.purchase_date = today - chrono::Days::new(6);
        assert_eq!(under_used(&r, today, dec!(50)), None, "younger than 7 days");
    }

    #[test]
    fn low_headroom_is_below_the_threshold_in_usd() {
        let today = day(2026, 11, 22);
        let data = seed::demo_data(today);
        let contoso = &data.customers[0].id;
        let ledger: Vec<_> = data.ledger.iter().filter(|e| &e.customer_id == contoso).cloned().collect();
        let limit = crate::limit::refund_limit(&ledger, today).unwrap();
        assert_eq!(limit.headroom.amount, dec!(3500));
        let a = low_headroom(contoso, &limit, today, dec!(5000)).expect("3,500 < 5,000");
        assert!(matches!(a.kind, AlertKind::LowRefundHeadroom { headroom, threshold } if headroom.amount == dec!(3500) && threshold.amount == dec!(5000)));
        assert_eq!(a.action, AlertAction::Refund);
        assert_eq!(low_headroom(contoso, &limit, today, dec!(3500)), None);
    }

    #[test]
    fn the_exchange_right_alert_starts_90_days_before_the_policy_date_for_restricted_services_bought_before() {
        let mut r = reservation(day(2026, 11, 25));
        r.reserved_resource_type = "VirtualMachines".into();
        r.purchase_date = day(2026, 1, 10);
        r.expiry_date = day(2027, 1, 10) + chrono::Days::new(365);
        let policy = quote_engine::EXCHANGE_POLICY_DATE;
        assert_eq!(exchange_right_ends(&r, policy - chrono::Days::new(91)), None, "too early");
        let a = exchange_right_ends(&r, policy - chrono::Days::new(90)).expect("90 days before");
        assert!(matches!(a.kind, AlertKind::ExchangeRightEnds { policy_date, days_left: 90, units } if policy_date == policy && units == r.quantity));
        assert_eq!(a.key, format!("exchangeRightEnds/{}/{policy}", r.id));
        assert_eq!(exchange_right_ends(&r, policy), None, "on the date the right has ended");
        let mut avs = r.clone();
        avs.reserved_resource_type = "AVS".into();
        assert_eq!(exchange_right_ends(&avs, policy - chrono::Days::new(10)), None, "not restricted");
        let mut ending = r.clone();
        ending.expiry_date = policy;
        assert_eq!(exchange_right_ends(&ending, policy - chrono::Days::new(10)), None, "expires before the date");
    }

    /// Database reservations bought before 1 February 2027 get the same alert: their right to
    /// exchange freely ends on that date too.
    #[test]
    fn the_exchange_right_alert_covers_database_reservations_bought_before_the_date() {
        let policy = quote_engine::EXCHANGE_POLICY_DATE;
        for family in ["SqlDatabases", "PostgreSql", "MySql", "CosmosDb"] {
            let mut r = reservation(day(2026, 11, 25));
            r.reserved_resource_type = family.into();
            r.purchase_date = day(2026, 1, 10);
            r.expiry_date = day(2027, 1, 10) + chrono::Days::new(365);
            let a = exchange_right_ends(&r, policy - chrono::Days::new(30)).unwrap_or_else(|| panic!("{family}: 30 days before"));
            assert!(matches!(a.kind, AlertKind::ExchangeRightEnds { policy_date, days_left: 30, units } if policy_date == policy && units == r.quantity), "{family}");
            assert_eq!(exchange_right_ends(&r, policy), None, "{family}: on the date the right has ended");
        }
    }

    #[test]
    fn the_demo_data_has_an_expiring_reservation_and_contoso_near_its_limit() {
        let today = day(2026, 11, 22);
        let data = seed::demo_data(today);
        let listed: Vec<Reservation> = data
            .reservations
            .iter()
            .map(|s| crate::utilization::with_aggregates(s.reservation.clone(), s.usage, today))
            .collect();
        let mut all = Vec::new();
        for c in &data.customers {
            let ledger: Vec<_> = data.ledger.iter().filter(|e| e.customer_id == c.id).cloned().collect();
            let limit = crate::limit::refund_limit(&ledger, today).unwrap();
            all.extend(customer_alerts(&c.id, &listed, &limit, today, &AlertThresholds::default()));
        }
        assert!(all.iter().any(|a| matches!(a.kind, AlertKind::Expiring { .. })), "an expiring reservation");
        assert!(all.iter().any(|a| matches!(a.kind, AlertKind::LowRefundHeadroom { .. })));
        assert!(all.iter().any(|a| matches!(a.kind, AlertKind::ExchangeRightEnds { .. })));
    }

    fn approval(status: &str) -> Approval {
        serde_json::from_value(serde_json::json!({
            "id": "ap-1", "status": status, "kind": "exchange", "customerId": "c-1", "sessionId": "s-1",
            "amount": { "amount": "1200.50", "currencyCode": "USD" },
            "previousAmount": { "amount": "1100.00", "currencyCode": "USD" },
            "requestedBy": { "userPrincipalName": "adam@partner.example", "displayName": "Adam" },
            "requestedAt": "2026-03-02T12:00:00Z", "expiresAt": "2026-03-09T12:00:00Z",
            "decidedBy": { "userPrincipalName": "gina@partner.example", "displayName": "Gina" },
            "decidedAt": "2026-03-02T13:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn an_approval_outcome_alerts_once_per_status_and_a_pending_request_none() {
        assert_eq!(approval_outcome(&approval("pending")), None);
        let again = approval_outcome(&approval("needsApprovalAgain")).expect("an outcome");
        assert_eq!(again.key, "approvalOutcome/ap-1/needsApprovalAgain/1200.5");
        assert_eq!(again.link, "/approvals", "an exchange links to the Approvals page");
        assert_eq!(
            sentence(&again, "Contoso"),
            "Contoso: your exchange (approval request ap-1) was quoted again by Gina (gina@partner.example): 1100.00 USD is now 1200.50 USD; it needs approval again. Nothing moved yet."
        );
        let expired = approval_outcome(&approval("expired")).unwrap();
        assert_eq!(expired.key, "approvalOutcome/ap-1/expired");
        assert!(matches!(expired.kind, AlertKind::ApprovalOutcome { decided_by: None, previous_amount: None, .. }), "{expired:?}");
        assert_eq!(
            sentence(&expired, "Contoso"),
            "Contoso: your exchange crediting 1200.50 USD for the returns (approval request ap-1) expired without a decision. Nothing moved; submit it again if still wanted."
        );
    }

    #[test]
    fn retries_back_off_from_a_minute_to_six_hours() {
        assert_eq!([1, 2, 3, 4].map(|a| retry_delay_seconds(a, FIRST_RETRY_SECONDS)), [60, 120, 240, 480]);
        assert_eq!(retry_delay_seconds(40, FIRST_RETRY_SECONDS), 6 * 3600);
        assert_eq!(retry_delay_seconds(2, 1), 2);
    }
}
