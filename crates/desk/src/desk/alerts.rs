//! Alerts: the console's view (`GET /alerts`), subscriptions, and what is
//! due to be sent. Which conditions alert is `desk_service::alerts`; who sends them (SMTP,
//! webhook) is the server's adapter, which asks the desk what is due and claims each delivery
//! through the store, so an alert of one key goes to one recipient once, whichever process
//! sends it. The static build shows alerts and sends nothing.

use chrono::{DateTime, Duration, Utc};
use contract::{Alert, AlertDelivery, AlertSubscription, AlertsView, Customer, CustomerAlerts};
use desk_service::{alerts, limit, utilization};

use super::{Acting, Desk};
use crate::store::DeliveryOutcome;
use crate::{Call, DeskError, Ids};

/// How long a claimed delivery is its sender's: after this, another sender may take it (the
/// first one stopped before recording how it went).
pub const ALERT_LEASE_SECONDS: i64 = 300;

/// How many days after its expiry an unanswered approval request's outcome is still queued.
pub const EXPIRY_TOLD_DAYS: i64 = 30;

/// The most deliveries `GET /alerts` shows.
pub const DELIVERY_LIMIT: usize = 500;

/// Who receives alerts besides the customers' subscribers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recipients {
    /// `ALERT_EMAIL_TO`: every customer's alerts.
    pub emails: Vec<String>,
    /// Whether a webhook (`ALERT_WEBHOOK_URL`) receives every customer's alerts.
    pub webhook: bool,
    /// Whether e-mail can be sent (`SMTP_URL`): without it, `emails` and subscribers get nothing.
    pub email: bool,
}

/// A delivery this sender claimed: what to send, to whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claimed {
    /// `mailto:address` or `webhook`.
    pub recipient: String,
    /// The alert.
    pub alert: Alert,
    /// Tries before this one.
    pub attempts: u32,
    /// The lease this sender took: its claim, which recording the outcome checks.
    pub lease_until: DateTime<Utc>,
}

/// The recipient name of an e-mail address.
pub fn mailto(address: &str) -> String {
    format!("mailto:{}", address.trim().to_lowercase())
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// The current alerts of one customer as of `today`: its reservations', its refund
    /// headroom's, and its GDAP relationships' (as the last read of Graph listed them).
    async fn alerts_of(&self, customer: &Customer, today: chrono::NaiveDate) -> Result<Vec<Alert>, DeskError> {
        let listed: Vec<contract::Reservation> = self
            .store
            .reservations_of(&customer.id)
            .await?
            .into_iter()
            .map(|(r, usage)| utilization::with_aggregates(r, usage, today))
            .collect();
        let ledger = self.store.ledger(&customer.id).await?;
        let limit = limit::refund_limit(&ledger, today)?;
        let mut due = alerts::customer_alerts(&customer.id, &listed, &limit, today, &self.alert_thresholds);
        if let Some(gdap) = crate::gdap::GdapStore::gdap_status(&self.store, &customer.id).await? {
            due.extend(alerts::gdap_relationship_ends(&customer.id, &gdap.relationships, today));
        }
        Ok(due)
    }

    /// `GET /alerts`: each customer `acting` sees, by name, with its alerts as of the call's day
    /// and whether the caller subscribed; the deliveries of those customers, newest first.
    pub async fn alerts(&self, acting: &Acting) -> Result<AlertsView, DeskError> {
        let today = acting.call.today();
        let me = acting.call.user.user_principal_name.as_str();
        let subscribed: Vec<String> =
            self.store.alert_subscriptions().await?.into_iter().filter(|(user, _)| user == me).map(|(_, c)| c).collect();
        let mut customers = Vec::new();
        for customer in self.customers(acting, "").await? {
            customers.push(CustomerAlerts {
                alerts: self.alerts_of(&customer, today).await?,
                subscribed: subscribed.contains(&customer.id),
                customer_id: customer.id,
                customer_name: customer.name,
            });
        }
        let mut deliveries: Vec<AlertDelivery> = self.store.alert_deliveries(DELIVERY_LIMIT).await?;
        deliveries.retain(|d| acting.sees(&d.customer_id));
        Ok(AlertsView { as_of: today, thresholds: self.alert_thresholds, customers, deliveries })
    }

    /// `POST /customers/{customerId}/alertSubscription`.
    pub async fn set_alert_subscription(&self, call: &Call, customer_id: &str, subscription: AlertSubscription) -> Result<AlertSubscription, DeskError> {
        self.require_customer(customer_id).await?;
        self.store.set_alert_subscription(&call.user.user_principal_name, customer_id, subscription.subscribed, call.now).await?;
        Ok(subscription)
    }

    /// Every customer's current alerts as of `now`'s day, with the customer (the sender's view:
    /// no caller, every customer).
    pub async fn due_alerts(&self, now: DateTime<Utc>) -> Result<Vec<(Customer, Vec<Alert>)>, DeskError> {
        let today = now.date_naive();
        let mut due = Vec::new();
        for customer in self.store.customers().await? {
            let list = self.alerts_of(&customer, today).await?;
            if !list.is_empty() {
                due.push((customer, list));
            }
        }
        Ok(due)
    }

    /// Claims every alert due at `now` for each of its recipients (`desk_wide`, and the
    /// customer's subscribers with an e-mail address as sign-in name) that no sender claimed
    /// before, in this or any other process, and the retries due: what this sender must send.
    pub async fn claim_due_alerts(&self, now: DateTime<Utc>, desk_wide: &Recipients) -> Result<Vec<Claimed>, DeskError> {
        let lease_until = now + Duration::seconds(ALERT_LEASE_SECONDS);
        let mut claimed = self.claim_alert_retries(now).await?;
        let subscriptions = if desk_wide.email { self.store.alert_subscriptions().await? } else { Vec::new() };
        // Each recipient's digest across every customer, claimed in one store call: two senders
        // at once do not split it.
        let mut digests: std::collections::BTreeMap<String, Vec<Alert>> = std::collections::BTreeMap::new();
        for (customer, list) in self.due_alerts(now).await? {
            let mut recipients: Vec<String> = if desk_wide.email { desk_wide.emails.iter().map(|e| mailto(e)).collect() } else { Vec::new() };
            recipients.extend(subscriptions.iter().filter(|(user, c)| *c == customer.id && user.contains('@')).map(|(user, _)| mailto(user)));
            if desk_wide.webhook {
                recipients.push("webhook".to_owned());
            }
            recipients.sort();
            recipients.dedup();
            for recipient in recipients {
                digests.entry(recipient).or_default().extend(list.iter().cloned());
            }
        }
        for (recipient, mut list) in digests {
            list.sort_by(|a, b| a.key.cmp(&b.key));
            let keys = self.store.claim_alerts(&list, &recipient, now, lease_until).await?;
            claimed.extend(list.into_iter().filter(|a| keys.contains(&a.key)).map(|alert| Claimed { recipient: recipient.clone(), alert, attempts: 0, lease_until }));
        }
        Ok(claimed)
    }

    /// Who is told the outcome of `approval`: its requester (at their sign-in name, when it is
    /// an e-mail address and SMTP is set) and the desk-wide recipients (`ALERT_EMAIL_TO`, the
    /// webhook), who receive every customer's alerts; not the customer's subscribers.
    fn outcome_recipients(&self, approval: &contract::Approval) -> Vec<String> {
        let desk_wide = &self.alert_recipients;
        let mut recipients: Vec<String> = Vec::new();
        if desk_wide.email {
            let requester = &approval.requested_by.user_principal_name;
            if requester.contains('@') {
                recipients.push(mailto(requester));
            }
            recipients.extend(desk_wide.emails.iter().map(|e| mailto(e)));
        }
        if desk_wide.webhook {
            recipients.push("webhook".to_owned());
        }
        recipients.sort();
        recipients.dedup();
        recipients
    }

    /// Queues the outcome alert of a decided `approval` (none while it is pending) for each of
    /// its recipients: a claim whose lease has already ended, so the next sender's retry pass
    /// (every minute in the serving process, or `alerts send`) takes it, once per key and
    /// recipient across processes. A failure to queue does not undo the decision; an expired
    /// request is queued again by the next retry pass.
    pub(super) async fn queue_outcome(&self, approval: &contract::Approval, now: DateTime<Utc>) {
        let Some(alert) = alerts::approval_outcome(approval) else { return };
        for recipient in self.outcome_recipients(approval) {
            // Best effort: the decision stands even if the queue write fails.
            let _ = self.store.claim_alerts(std::slice::from_ref(&alert), &recipient, now, now).await;
        }
    }

    /// Queues the outcome of every open approval request that expired by `now`, within the last
    /// [`EXPIRY_TOLD_DAYS`] (an expired request stays stored as open: older ones were told
    /// already, or by a desk that was down that long not at all, and are not queued every pass
    /// again).
    async fn queue_expired_outcomes(&self, now: DateTime<Utc>) -> Result<(), DeskError> {
        let since = (now - Duration::days(EXPIRY_TOLD_DAYS)).timestamp();
        for approval in self.store.open_approvals().await? {
            let recent = crate::audit_chain::seconds_of(&approval.expires_at).is_some_and(|at| at >= since);
            let approval = super::approvals::as_of(approval, now);
            if recent && approval.status == contract::ApprovalStatus::Expired {
                self.queue_outcome(&approval, now).await;
            }
        }
        Ok(())
    }

    /// Claims only the retries due at `now` (failed deliveries past their backoff, claims
    /// whose sender stopped, and queued approval outcomes, expired requests' included): what a
    /// sender does between two digests.
    pub async fn claim_alert_retries(&self, now: DateTime<Utc>) -> Result<Vec<Claimed>, DeskError> {
        let lease_until = now + Duration::seconds(ALERT_LEASE_SECONDS);
        self.queue_expired_outcomes(now).await?;
        Ok(self
            .store
            .claim_alert_retries(now, lease_until)
            .await?
            .into_iter()
            .map(|d| Claimed { recipient: d.recipient, alert: d.alert, attempts: d.attempts, lease_until })
            .collect())
    }

    /// Records that a claimed delivery was made at `now`; `false` (nothing recorded) when this
    /// sender's lease ran out and another sender took the delivery over, whose outcome stands.
    pub async fn alert_sent(&self, claimed: &Claimed, now: DateTime<Utc>) -> Result<bool, DeskError> {
        Ok(self.store.finish_alert(&claimed.alert.key, &claimed.recipient, claimed.lease_until, &DeliveryOutcome::Sent(now)).await?)
    }

    /// Records that a claimed delivery failed at `now` with `error`: it is tried again after
    /// `desk_service::alerts::retry_delay_seconds` of its attempts (`first_retry_seconds`,
    /// doubling, at most 6 hours), and shown on the Alerts page meanwhile. `false` (nothing
    /// recorded) when this sender no longer holds the claim, as for [`Desk::alert_sent`].
    pub async fn alert_failed(&self, claimed: &Claimed, error: &str, first_retry_seconds: i64, now: DateTime<Utc>) -> Result<bool, DeskError> {
        let next = now + Duration::seconds(alerts::retry_delay_seconds(claimed.attempts + 1, first_retry_seconds));
        let outcome = DeliveryOutcome::Failed(error.chars().take(500).collect(), next);
        Ok(self.store.finish_alert(&claimed.alert.key, &claimed.recipient, claimed.lease_until, &outcome).await?)
    }
}
