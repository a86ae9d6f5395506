//! Alerts out of the server (issue 32, part 1): what is due comes from the desk
//! (`Desk::claim_due_alerts`, one claim per alert key and recipient in the database, so one
//! process sends each); this adapter sends it, one digest per recipient, by e-mail over SMTP
//! (`lettre`) and to a webhook (`reqwest`, a body Microsoft Teams and Slack incoming webhooks
//! accept, signed with HMAC-SHA256), and records how each went: a failure is tried again with
//! backoff and shown on the Alerts page. The background task (`run`) reads the clock; the
//! `alerts send` command sends what is due now.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Local, NaiveDate, Timelike, Utc};
use contract::{Alert, DeliveryStatus};
use desk::desk::{Claimed, Recipients};
use hmac::{Hmac, Mac};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::Sha256;

use crate::state::{AppState, ServerDesk};

/// The header that carries the webhook body's signature: `sha256=` and the hex HMAC-SHA256 of
/// the body under `ALERT_WEBHOOK_SECRET`.
pub const SIGNATURE_HEADER: &str = "x-reservation-desk-signature";

/// A row of `alert_deliveries` as both SQL stores read it.
pub(crate) type DeliveryRow = (String, String, String, String, String, i64, Option<i64>, Option<String>, Option<i64>);

fn at(seconds: Option<i64>) -> Option<String> {
    seconds.and_then(|s| DateTime::from_timestamp(s, 0)).map(desk::desk::timestamp)
}

/// A stored delivery as the contract shows it.
pub(crate) fn delivery_of_row(row: DeliveryRow) -> desk::store::StoreResult<contract::AlertDelivery> {
    let (alert_key, recipient, customer_id, alert, status, attempts, sent_at, last_error, next_attempt_at) = row;
    Ok(contract::AlertDelivery {
        alert_key,
        recipient,
        customer_id,
        status: crate::rows::decode_enum::<DeliveryStatus>("delivery status", status)?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        sent_at: at(sent_at),
        last_error,
        next_attempt_at: at(next_attempt_at),
        alert: crate::rows::decode("alert", &alert)?,
    })
}

/// Where alerts go, from the flags and the environment (`config.rs`).
#[derive(Clone, Debug, Default)]
pub struct Delivery {
    /// `SMTP_URL`: `smtp://host:587` (STARTTLS when the server offers it; `?tls=required` to
    /// insist), `smtps://host:465` (TLS from the start); `None`: no e-mail.
    pub smtp_url: Option<String>,
    /// `SMTP_USER` and `SMTP_PASSWORD`.
    pub smtp_credentials: Option<(String, String)>,
    /// `ALERT_EMAIL_FROM`.
    pub email_from: String,
    /// `ALERT_EMAIL_TO`: every customer's alerts.
    pub email_to: Vec<String>,
    /// `ALERT_WEBHOOK_URL`.
    pub webhook_url: Option<String>,
    /// `ALERT_WEBHOOK_SECRET`: signs the webhook body.
    pub webhook_secret: Option<String>,
    /// `ALERT_DESK_URL`: the console's address, before each alert's link.
    pub desk_url: String,
    /// `ALERT_DIGEST_HOUR`: the hour (0–23, the server's local time zone) of the daily digest.
    pub digest_hour: u32,
    /// `ALERT_RETRY_SECONDS`: the first retry's delay after a failed delivery (doubled per try,
    /// at most 6 hours).
    pub first_retry_seconds: i64,
    /// How long one SMTP or webhook try may take.
    pub timeout: Duration,
}

impl Delivery {
    /// Who receives every customer's alerts.
    pub fn recipients(&self) -> Recipients {
        Recipients { emails: self.email_to.clone(), webhook: self.webhook_url.is_some(), email: self.smtp_url.is_some() }
    }

    /// Whether anything is configured to send to.
    pub fn any(&self) -> bool {
        self.smtp_url.is_some() || self.webhook_url.is_some()
    }
}

/// What one run sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Deliveries made.
    pub sent: usize,
    /// Deliveries that failed (each to be tried again).
    pub failed: usize,
}

/// The customer names, for the messages.
async fn customer_names(desk: &ServerDesk) -> BTreeMap<String, String> {
    use desk::Store;
    desk.store().customers().await.unwrap_or_default().into_iter().map(|c| (c.id, c.name)).collect()
}

/// The digest's text: one paragraph per alert, with the console link.
pub fn digest_text(alerts: &[&Alert], names: &BTreeMap<String, String>, desk_url: &str) -> String {
    let mut text = String::new();
    for alert in alerts {
        let name = names.get(&alert.customer_id).map_or(alert.customer_id.as_str(), String::as_str);
        text.push_str(&desk_service::alerts::sentence(alert, name));
        text.push_str(&format!("\n{}{}\n\n", desk_url.trim_end_matches('/'), alert.link));
    }
    text
}

fn subject(count: usize, day: NaiveDate) -> String {
    format!("Reservation Desk: {count} alert{} ({day})", if count == 1 { "" } else { "s" })
}

/// The webhook body: `text` (what Teams and Slack incoming webhooks show) and the alerts as data.
pub fn webhook_body(alerts: &[&Alert], names: &BTreeMap<String, String>, desk_url: &str, day: NaiveDate) -> String {
    let text = format!("{}\n\n{}", subject(alerts.len(), day), digest_text(alerts, names, desk_url));
    serde_json::json!({ "text": text.trim_end(), "asOf": day, "alerts": alerts }).to_string()
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// The SMTP transport `url` names.
fn smtp_transport(delivery: &Delivery, url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("SMTP_URL: {e}"))?;
    if url.starts_with("smtp://") && !url.contains("tls=") {
        let host = url.trim_start_matches("smtp://").split(['/', '?', ':']).next().unwrap_or_default().rsplit('@').next().unwrap_or_default();
        let tls = TlsParameters::new(host.to_owned()).map_err(|e| format!("SMTP_URL: {e}"))?;
        builder = builder.tls(Tls::Opportunistic(tls));
    }
    if let Some((user, password)) = &delivery.smtp_credentials {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.timeout(Some(delivery.timeout)).build())
}

async fn send_email(delivery: &Delivery, to: &str, subject: String, text: String) -> Result<(), String> {
    let url = delivery.smtp_url.as_deref().ok_or("SMTP_URL is not set")?;
    let from: Mailbox = delivery.email_from.parse().map_err(|e| format!("ALERT_EMAIL_FROM: {e}"))?;
    let to: Mailbox = to.parse().map_err(|e| format!("recipient {to}: {e}"))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(text)
        .map_err(|e| e.to_string())?;
    smtp_transport(delivery, url)?.send(message).await.map(drop).map_err(|e| format!("SMTP: {e}"))
}

async fn send_webhook(delivery: &Delivery, body: String) -> Result<(), String> {
    let url = delivery.webhook_url.as_deref().ok_or("ALERT_WEBHOOK_URL is not set")?;
    let client = reqwest::Client::builder().timeout(delivery.timeout).build().map_err(|e| e.to_string())?;
    let mut request = client.post(url).header(reqwest::header::CONTENT_TYPE, "application/json");
    if let Some(secret) = delivery.webhook_secret.as_deref().filter(|s| !s.is_empty()) {
        request = request.header(SIGNATURE_HEADER, signature(secret, body.as_bytes()));
    }
    let response = request.body(body).send().await.map_err(|e| format!("webhook: {e}"))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("webhook answered {}", response.status()))
    }
}

/// Sends what this sender claimed, one digest per recipient, and records each delivery.
async fn deliver(desk: &ServerDesk, delivery: &Delivery, claimed: Vec<Claimed>, now: DateTime<Utc>) -> Result<Report, desk::DeskError> {
    let mut by_recipient: BTreeMap<String, Vec<Claimed>> = BTreeMap::new();
    for c in claimed {
        by_recipient.entry(c.recipient.clone()).or_default().push(c);
    }
    let names = customer_names(desk).await;
    let day = now.date_naive();
    let mut report = Report::default();
    for (recipient, group) in by_recipient {
        let alerts: Vec<&Alert> = group.iter().map(|c| &c.alert).collect();
        let outcome = match recipient.strip_prefix("mailto:") {
            Some(address) => send_email(delivery, address, subject(alerts.len(), day), digest_text(&alerts, &names, &delivery.desk_url)).await,
            None => send_webhook(delivery, webhook_body(&alerts, &names, &delivery.desk_url, day)).await,
        };
        for c in &group {
            match &outcome {
                Ok(()) => desk.alert_sent(c, now).await?,
                Err(error) => desk.alert_failed(c, error, delivery.first_retry_seconds, now).await?,
            }
        }
        match outcome {
            Ok(()) => report.sent += group.len(),
            Err(error) => {
                tracing::warn!("alerts to {recipient} failed (tried again later, shown on the Alerts page): {error}");
                report.failed += group.len();
            }
        }
    }
    Ok(report)
}

/// Sends every alert due at `now` that no sender sent before, and the retries due.
pub async fn send_due(desk: &ServerDesk, delivery: &Delivery, now: DateTime<Utc>) -> Result<Report, desk::DeskError> {
    let claimed = desk.claim_due_alerts(now, &delivery.recipients()).await?;
    deliver(desk, delivery, claimed, now).await
}

/// Sends only the retries due at `now`.
pub async fn send_retries(desk: &ServerDesk, delivery: &Delivery, now: DateTime<Utc>) -> Result<Report, desk::DeskError> {
    let claimed = desk.claim_alert_retries(now).await?;
    deliver(desk, delivery, claimed, now).await
}

/// Whether the daily digest is due: on a day it has not run yet in this process, from the
/// digest hour on (local time).
pub fn digest_due(local_now: chrono::DateTime<Local>, digest_hour: u32, last_digest: Option<NaiveDate>) -> bool {
    local_now.hour() >= digest_hour && last_digest != Some(local_now.date_naive())
}

/// The background task: once a minute, the digest when due (claims make a second process or a
/// restart send nothing twice), else the retries due.
pub async fn run(state: AppState, delivery: Delivery) {
    let mut last_digest: Option<NaiveDate> = None;
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        let now = state.now();
        let local = now.with_timezone(&Local);
        let digest = digest_due(local, delivery.digest_hour, last_digest);
        let result =
            if digest { send_due(&state.desk, &delivery, now).await } else { send_retries(&state.desk, &delivery, now).await };
        match result {
            Ok(report) => {
                if digest {
                    last_digest = Some(local.date_naive());
                }
                if report.sent + report.failed > 0 {
                    tracing::info!("alerts: {} delivered, {} failed", report.sent, report.failed);
                }
            }
            Err(err) => tracing::warn!("alerts: {err}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_the_body_in_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_digest_is_due_once_a_day_from_its_hour() {
        use chrono::TimeZone;
        let t = |h| Local.with_ymd_and_hms(2026, 11, 25, h, 5, 0).single().unwrap();
        assert!(!digest_due(t(6), 7, None));
        assert!(digest_due(t(7), 7, None));
        assert!(digest_due(t(23), 7, NaiveDate::from_ymd_opt(2026, 11, 24)));
        assert!(!digest_due(t(9), 7, NaiveDate::from_ymd_opt(2026, 11, 25)));
    }
}
