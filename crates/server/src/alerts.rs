//! Alerts out of the server: what is due comes from the desk
//! (`Desk::claim_due_alerts`, one claim per alert key and recipient in the database, so one
//! process sends each); this adapter sends it, one digest per recipient, by e-mail over SMTP
//! (`lettre`) and to a webhook (`reqwest`, a body Microsoft Teams and Slack incoming webhooks
//! accept, signed with HMAC-SHA256), and records how each went: a failure is tried again with
//! backoff and shown on the Alerts page. The background task (`run`) reads the clock; the
//! `alerts send` command sends what is due now.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Local, NaiveDate, Timelike, Utc};
use contract::{Alert, DeliveryStatus};
use desk::desk::{Claimed, Recipients};
use hmac::{Hmac, Mac};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::Sha256;

use crate::state::{AppState, ServerDesk};

/// The header that carries the webhook body's signature: `sha256=` and the hex HMAC-SHA256 of
/// the body under `ALERT_WEBHOOK_SECRET`.
pub const SIGNATURE_HEADER: &str = "x-reservation-desk-signature";

/// A row of `alert_deliveries` as both SQL stores read it.
pub(crate) type DeliveryRow = (String, String, String, String, String, i64, Option<i64>, Option<String>, Option<i64>);

fn at(seconds: Option<i64>) -> Option<String> {
    seconds.and_then(|s| DateTime::from_timestamp(s, 0)).map(desk::time::timestamp)
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

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// TLS from the first byte (`smtps://`).
    Implicit,
    /// STARTTLS before anything else is sent; a server that offers none gets nothing, neither the
    /// message nor the login (`smtp://`, `?tls=required`).
    Required,
    /// STARTTLS when the server offers it, else in clear: asked for with `?tls=opportunistic`
    /// (never with a login), or `smtp://` to a relay on this machine without a login (the
    /// demo's and the tests' local sink), where no network is in between.
    Opportunistic,
}

/// The SMTP settings (`SMTP_URL`, `SMTP_USER`/`SMTP_PASSWORD`, `SMTP_CA_FILE`), checked when the
/// server starts ([`Smtp::new`]): a setting that could send the password in clear, or a
/// certificate file that cannot be used, stops it there rather than failing every digest.
#[derive(Clone)]
pub struct Smtp {
    /// `SMTP_URL` as given (it may hold a login: never shown).
    url: String,
    /// The host the URL names: where the connection goes and the name its certificate must carry.
    host: String,
    tls: SmtpTls,
    /// `SMTP_USER` and `SMTP_PASSWORD` (a login in the URL is lettre's to read).
    login: Option<(String, String)>,
    /// `SMTP_CA_FILE`'s certificates (PEM), trusted besides Mozilla's roots.
    ca_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("tls", &self.tls)
            .field("user", &self.login.as_ref().map(|(user, _)| user))
            .field("ca_file", &self.ca_pem.is_some())
            .finish_non_exhaustive()
    }
}

/// Whether `host`, as a URL names it, is this machine: `localhost`, 127.0.0.0/8 or ::1 (also as
/// ::ffff:127.x.y.z). Only such a relay may get mail in clear, and only without a login.
fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// How `SMTP_URL` is protected: its scheme, its `tls=` (if any), whether its host is this
/// machine and whether a login is set. `smtp://` requires STARTTLS except to a loopback relay
/// without a login; `tls=opportunistic` with a login is refused (the password could go out in
/// clear to anyone on the path who strips the server's STARTTLS offer).
fn smtp_tls(scheme: &str, tls: Option<&str>, loopback: bool, login: bool) -> Result<SmtpTls, String> {
    match tls {
        None | Some("required" | "opportunistic") => {}
        Some(other) => {
            return Err(format!("--smtp-url (SMTP_URL) has tls={other:?}; the valid values are required, opportunistic"));
        }
    }
    match (scheme, tls) {
        ("smtps", _) => Ok(SmtpTls::Implicit),
        ("smtp", Some("required")) => Ok(SmtpTls::Required),
        ("smtp", Some(_)) if login => Err("--smtp-url (SMTP_URL) asks for tls=opportunistic (STARTTLS only when the server offers it, \
             otherwise in clear) while SMTP_USER or SMTP_PASSWORD is set: anyone on the path who strips the STARTTLS offer would \
             get the password in clear. Leave tls= out or write tls=required (STARTTLS or nothing), or use smtps://"
            .to_owned()),
        ("smtp", Some(_)) => Ok(SmtpTls::Opportunistic),
        ("smtp", None) if loopback && !login => Ok(SmtpTls::Opportunistic),
        ("smtp", None) => Ok(SmtpTls::Required),
        _ => Err("--smtp-url (SMTP_URL) must start with smtp:// (STARTTLS) or smtps:// (TLS from the start)".to_owned()),
    }
}

impl Smtp {
    /// The settings `SMTP_URL`, `SMTP_USER`, `SMTP_PASSWORD` and `SMTP_CA_FILE` give, or why
    /// the server cannot start with them. The URL is never repeated (it may hold a password).
    pub fn new(url: &str, user: Option<String>, password: Option<String>, ca_file: Option<&Path>) -> Result<Self, String> {
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("--smtp-url (SMTP_URL) is not a URL: {e}"))?;
        let host = parsed.host_str().filter(|h| !h.is_empty()).ok_or("--smtp-url (SMTP_URL) names no host")?;
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        let tls_param = parsed.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let login_in_url = !parsed.username().is_empty() || parsed.password().is_some();
        let login = user.filter(|u| !u.is_empty()).map(|u| (u, password.clone().unwrap_or_default()));
        let any_login = login.is_some() || password.is_some_and(|p| !p.is_empty()) || login_in_url;
        let tls = smtp_tls(parsed.scheme(), tls_param.as_deref(), is_loopback_host(&host), any_login)?;
        let ca_pem = ca_file.map(|path| certificate_authorities(path, &host)).transpose()?;
        Ok(Self { url: url.to_owned(), host, tls, login, ca_pem })
    }

    /// How the connection is protected.
    pub fn tls(&self) -> SmtpTls {
        self.tls
    }

    /// The TLS parameters: Mozilla's roots and `SMTP_CA_FILE`'s, for a certificate naming the host.
    fn tls_parameters(&self) -> Result<TlsParameters, String> {
        let mut builder = TlsParameters::builder(self.host.clone());
        if let Some(pem) = &self.ca_pem {
            builder = builder.add_root_certificate(Certificate::from_pem(pem).map_err(|e| format!("SMTP_CA_FILE: {e}"))?);
        }
        builder.build().map_err(|e| format!("SMTP TLS: {e}"))
    }

    /// The transport to the server, protected as [`Smtp::tls`] says.
    fn transport(&self, timeout: Duration) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.url).map_err(|e| format!("SMTP_URL: {e}"))?;
        let parameters = self.tls_parameters()?;
        let mut builder = builder.tls(match self.tls {
            SmtpTls::Implicit => Tls::Wrapper(parameters),
            SmtpTls::Required => Tls::Required(parameters),
            SmtpTls::Opportunistic => Tls::Opportunistic(parameters),
        });
        if let Some((user, password)) = &self.login {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.timeout(Some(timeout)).build())
    }
}

/// `SMTP_CA_FILE`'s certificates: a PEM file with one or more, each usable as a root, or why not.
fn certificate_authorities(path: &Path, host: &str) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|e| format!("--smtp-ca-file (SMTP_CA_FILE) {shown} cannot be read: {e}"))?;
    if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
        return Err(format!(
            "--smtp-ca-file (SMTP_CA_FILE) {shown} holds no certificate: it must be PEM, one or more -----BEGIN CERTIFICATE----- blocks"
        ));
    }
    let certificate = Certificate::from_pem(&pem)
        .map_err(|e| format!("--smtp-ca-file (SMTP_CA_FILE) {shown} holds a certificate that cannot be read: {e}"))?;
    TlsParameters::builder(host.to_owned())
        .add_root_certificate(certificate)
        .build()
        .map_err(|e| format!("--smtp-ca-file (SMTP_CA_FILE) {shown} holds a certificate that cannot be trusted as a root: {e}"))?;
    Ok(pem)
}

/// Where alerts go, from the flags and the environment (`config.rs`).
#[derive(Clone, Debug, Default)]
pub struct Delivery {
    /// E-mail: `SMTP_URL` and the rest of the SMTP settings, or why they cannot be used (the
    /// server refuses to start, and `alerts send` to send); `None`: no e-mail.
    pub smtp: Option<Result<Smtp, String>>,
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
        Recipients { emails: self.email_to.clone(), webhook: self.webhook_url.is_some(), email: self.smtp.is_some() }
    }

    /// Whether anything is configured to send to.
    pub fn any(&self) -> bool {
        self.smtp.is_some() || self.webhook_url.is_some()
    }
}

/// Why a run sent nothing.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The SMTP settings cannot be used (the server would not have started with them).
    #[error("{0}")]
    Settings(String),
    /// The desk (its store) failed.
    #[error(transparent)]
    Desk(#[from] desk::DeskError),
}

/// What one run sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Deliveries made.
    pub sent: usize,
    /// Deliveries that failed (each to be tried again).
    pub failed: usize,
    /// Deliveries whose outcome was not recorded: this sender's lease ran out before it
    /// finished and another sender took them over, whose outcome stands.
    pub superseded: usize,
    /// Azure mode: the digest waits, a read of the book is running (ask again later).
    pub postponed: bool,
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

/// How many of the worklist's rows a digest lists.
pub const WORKLIST_TOP: usize = 5;

/// The digest's worklist section: the top open rows by money at stake of the digest's
/// customers (`work`: those rows, and how many are open), with the link to the worklist;
/// nothing when none is open.
pub fn worklist_text(work: &(Vec<contract::WorkItem>, usize), desk_url: &str) -> String {
    let (top, open) = work;
    if top.is_empty() {
        return String::new();
    }
    let mut text = format!("Worklist: the {} most at stake of {open} open row{}\n", top.len(), if *open == 1 { "" } else { "s" });
    for item in top {
        text.push_str(&format!("- {}\n", desk_service::worklist::sentence(item)));
    }
    text.push_str(&format!("{}/worklist\n", desk_url.trim_end_matches('/')));
    text
}

/// The webhook body: `text` (what Teams and Slack incoming webhooks show), the alerts as data,
/// and the worklist's top rows of the same customers (`worklist`).
pub fn webhook_body(alerts: &[&Alert], names: &BTreeMap<String, String>, desk_url: &str, day: NaiveDate, work: &(Vec<contract::WorkItem>, usize)) -> String {
    let text = format!("{}\n\n{}{}", subject(alerts.len(), day), digest_text(alerts, names, desk_url), worklist_text(work, desk_url));
    serde_json::json!({ "text": text.trim_end(), "asOf": day, "alerts": alerts, "worklist": work.0 }).to_string()
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// A failed SMTP delivery as the Alerts page shows it: a server that offered no STARTTLS where
/// it is required is said so (nothing went out in clear).
fn smtp_failure(error: &lettre::transport::smtp::Error) -> String {
    if error.is_client() && error.to_string().contains("STARTTLS") {
        "the SMTP server offered no STARTTLS, and TLS is required: nothing was sent in clear, neither the message nor the login"
            .to_owned()
    } else {
        format!("SMTP: {error}")
    }
}

async fn send_email(delivery: &Delivery, to: &str, subject: String, text: String) -> Result<(), String> {
    let smtp = delivery.smtp.as_ref().ok_or("SMTP_URL is not set")?.as_ref()?;
    let from: Mailbox = delivery.email_from.parse().map_err(|e| format!("ALERT_EMAIL_FROM: {e}"))?;
    let to: Mailbox = to.parse().map_err(|e| format!("recipient {to}: {e}"))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(text)
        .map_err(|e| e.to_string())?;
    smtp.transport(delivery.timeout)?.send(message).await.map(drop).map_err(|e| smtp_failure(&e))
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
        // The worklist's top rows of the customers this digest is about (a subscriber's own).
        let mut customers: Vec<String> = alerts.iter().map(|a| a.customer_id.clone()).collect();
        customers.sort();
        customers.dedup();
        let work = desk.worklist_top(now, &customers, WORKLIST_TOP).await?;
        let outcome = match recipient.strip_prefix("mailto:") {
            Some(address) => {
                let text = format!("{}{}", digest_text(&alerts, &names, &delivery.desk_url), worklist_text(&work, &delivery.desk_url));
                send_email(delivery, address, subject(alerts.len(), day), text).await
            }
            None => send_webhook(delivery, webhook_body(&alerts, &names, &delivery.desk_url, day, &work)).await,
        };
        let mut recorded = 0;
        for c in &group {
            let held = match &outcome {
                Ok(()) => desk.alert_sent(c, now).await?,
                Err(error) => desk.alert_failed(c, error, delivery.first_retry_seconds, now).await?,
            };
            if held {
                recorded += 1;
            } else {
                tracing::warn!(
                    "alert {} to {recipient}: this sender's claim ran out and another sender took the delivery over, so this \
                     outcome ({}) is not recorded; the other sender's stands",
                    c.alert.key,
                    if outcome.is_ok() { "sent" } else { "failed" }
                );
            }
        }
        report.superseded += group.len() - recorded;
        match outcome {
            Ok(()) => report.sent += recorded,
            Err(error) => {
                tracing::warn!("alerts to {recipient} failed (tried again later, shown on the Alerts page): {error}");
                report.failed += recorded;
            }
        }
    }
    Ok(report)
}

/// Refuses settings the server would not start with, before anything is claimed (`alerts send`
/// is not stopped at start as the server is).
fn usable(delivery: &Delivery) -> Result<(), SendError> {
    match &delivery.smtp {
        Some(Err(why)) => Err(SendError::Settings(why.clone())),
        _ => Ok(()),
    }
}

/// Sends every alert due at `now` that no sender sent before, and the retries due. In Azure
/// mode the alerts are built from the store, which holds the newest read of the book: while a
/// read runs the digest waits (`postponed`); when the newest read failed, one notice says why
/// instead, and no alert built on what was read before goes out.
pub async fn send_due(desk: &ServerDesk, delivery: &Delivery, now: DateTime<Utc>) -> Result<Report, SendError> {
    usable(delivery)?;
    match book(desk).await.map_err(desk::DeskError::from)? {
        Book::Read => {}
        Book::Reading => return Ok(Report { postponed: true, ..Report::default() }),
        Book::Unread(read) => {
            use crate::reads_store::ReadStore;
            let mut report = Report::default();
            if desk.store().claim_read_alert(&read.id).await.map_err(desk::DeskError::from)? {
                let (subject, text) = unread_notice(&read, &delivery.desk_url);
                report.sent = send_notice(delivery, &subject, &text).await;
            }
            return Ok(report);
        }
    }
    let claimed = desk.claim_due_alerts(now, &delivery.recipients()).await?;
    Ok(deliver(desk, delivery, claimed, now).await?)
}

/// Sends only the retries due at `now`.
pub async fn send_retries(desk: &ServerDesk, delivery: &Delivery, now: DateTime<Utc>) -> Result<Report, SendError> {
    usable(delivery)?;
    let claimed = desk.claim_alert_retries(now).await?;
    Ok(deliver(desk, delivery, claimed, now).await?)
}

/// A notice about the book itself rather than one reservation (Azure mode: it could not be
/// read, the stored connection was lost), sent at once to every customer's recipients
/// (`ALERT_EMAIL_TO`, the webhook); the caller claimed it in the store, so it goes once. The
/// number of deliveries made.
pub async fn send_notice(delivery: &Delivery, subject: &str, text: &str) -> usize {
    let mut sent = 0;
    if delivery.smtp.is_some() {
        for to in &delivery.email_to {
            match send_email(delivery, to, subject.to_owned(), text.to_owned()).await {
                Ok(()) => sent += 1,
                Err(e) => tracing::warn!("the notice \"{subject}\" to {to} failed: {e}"),
            }
        }
    }
    if delivery.webhook_url.is_some() {
        let body = serde_json::json!({ "text": format!("{subject}\n\n{text}") }).to_string();
        match send_webhook(delivery, body).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!("the notice \"{subject}\" to the webhook failed: {e}"),
        }
    }
    sent
}

/// What the digest does in Azure mode, from the newest read of the book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Book {
    /// Read (or not Azure mode): the digest is built from the store, which holds that read.
    Read,
    /// A read is running: the digest waits for it.
    Reading,
    /// The newest read could not read the book: instead of the digest, one notice saying why.
    Unread(Box<contract::source::SourceRead>),
}

/// The book as the digest finds it (always `Read` where the desk keeps its own data).
pub async fn book(desk: &ServerDesk) -> Result<Book, desk::StoreError> {
    use crate::reads_store::ReadStore;
    use contract::source::SourceReadState as S;
    if desk.settings().source != contract::DataSource::Azure {
        return Ok(Book::Read);
    }
    Ok(match desk.store().latest_read(false).await? {
        Some(read) if read.state == S::Reading => Book::Reading,
        Some(read) if matches!(read.state, S::Failed | S::Abandoned) => Book::Unread(Box::new(read)),
        _ => Book::Read,
    })
}

/// The notice that read `read` could not read the book, and why.
pub fn unread_notice(read: &contract::source::SourceRead, desk_url: &str) -> (String, String) {
    let why = read.error.as_ref().map_or_else(|| "no reason was recorded".to_owned(), |e| format!("{} ({})", e.message, e.code));
    let remedy = if read.error.as_ref().is_some_and(|e| azure_client::grant_lost(&e.code, &e.message)) {
        "A Global admin must connect the desk again (Readiness page)."
    } else {
        "The alerts are sent again after the next read that succeeds."
    };
    let subject = "Reservation Desk: the book could not be read from Azure".to_owned();
    let text = format!(
        "Today's alerts were not sent: the read of {} could not read the partner's customers from Azure: {why}.\n{remedy}\n{}/readiness\n",
        read.started_at,
        desk_url.trim_end_matches('/')
    );
    (subject, text)
}

/// Sends the alert that the stored connection was lost, once (claimed in the store).
async fn connection_notice(state: &AppState, delivery: &Delivery) {
    use crate::reads_store::ReadStore;
    match state.desk.store().claim_connection_alert().await {
        Ok(Some(lost)) => {
            let why = lost.lost.as_ref().map_or_else(String::new, |e| format!("{} ({})", e.message, e.code));
            let text = format!(
                "Entra ID refused the connection {} made for unattended reads: {why}\nThe desk no longer reads Azure by itself. A Global admin must \
                 connect it again on the Readiness page:\n{}/readiness\n",
                lost.user_name,
                delivery.desk_url.trim_end_matches('/')
            );
            send_notice(delivery, "Reservation Desk: the connection to Azure was lost", &text).await;
        }
        Ok(None) => {}
        Err(e) => tracing::warn!("alerts: the connection's state could not be read: {e}"),
    }
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
        if state.source.is_some() {
            connection_notice(&state, &delivery).await;
        }
        let result =
            if digest { send_due(&state.desk, &delivery, now).await } else { send_retries(&state.desk, &delivery, now).await };
        match result {
            Ok(report) => {
                if digest && !report.postponed {
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

    fn tls(url: &str, user: Option<&str>) -> Result<SmtpTls, String> {
        Smtp::new(url, user.map(str::to_owned), user.map(|_| "s3cret-pw".to_owned()), None).map(|s| s.tls())
    }

    #[test]
    fn only_this_machine_counts_as_loopback() {
        for host in ["localhost", "LocalHost", "127.0.0.1", "127.3.4.5", "[::1]", "::1", "[::ffff:127.0.0.1]"] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in ["smtp.example.com", "localhost.test", "localhost.example.com", "127.0.0.1.example.com", "0.0.0.0", "10.0.0.1", "192.168.1.10", "[::]", "[2001:db8::1]", "[::ffff:10.0.0.1]", ""] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn smtp_requires_starttls_except_to_this_machine_without_a_login() {
        for host in ["127.0.0.1", "127.3.4.5", "[::1]", "localhost"] {
            assert_eq!(tls(&format!("smtp://{host}:2525"), None), Ok(SmtpTls::Opportunistic), "the local sink: {host}");
            assert_eq!(tls(&format!("smtp://{host}:2525"), Some("alerts")), Ok(SmtpTls::Required), "a login removes the exception: {host}");
            assert_eq!(tls(&format!("smtp://alerts:pw@{host}:2525"), None), Ok(SmtpTls::Required), "so does one in the URL: {host}");
            let password_only = Smtp::new(&format!("smtp://{host}:2525"), None, Some("pw".into()), None).map(|s| s.tls());
            assert_eq!(password_only, Ok(SmtpTls::Required), "and a password alone: {host}");
        }
        for host in ["smtp.example.com", "localhost.test", "10.0.0.1", "192.168.1.10", "[2001:db8::1]", "0.0.0.0"] {
            assert_eq!(tls(&format!("smtp://{host}:587"), None), Ok(SmtpTls::Required), "{host}");
        }
        assert_eq!(tls("smtp://smtp.example.com:587?tls=required", Some("alerts")), Ok(SmtpTls::Required));
        assert_eq!(tls("smtp://127.0.0.1:2525?tls=required", None), Ok(SmtpTls::Required), "asked for, also on this machine");
        assert_eq!(tls("smtps://smtp.example.com", Some("alerts")), Ok(SmtpTls::Implicit));
        assert_eq!(tls("smtp://smtp.example.com:25?tls=opportunistic", None), Ok(SmtpTls::Opportunistic), "asked for, without a login");
    }

    #[test]
    fn opportunistic_tls_with_a_login_and_unknown_settings_are_refused_saying_why() {
        for url in ["smtp://smtp.example.com:587?tls=opportunistic", "smtp://127.0.0.1:2525?tls=opportunistic"] {
            let refused = tls(url, Some("alerts")).unwrap_err();
            assert!(refused.contains("tls=opportunistic") && refused.contains("password") && refused.contains("in clear"), "{refused}");
        }
        let in_url = tls("smtp://alerts:s3cret-pw@smtp.example.com?tls=opportunistic", None).unwrap_err();
        assert!(in_url.contains("in clear") && !in_url.contains("s3cret-pw"), "the URL's password is never shown: {in_url}");
        let unknown = tls("smtp://smtp.example.com?tls=always", None).unwrap_err();
        assert!(unknown.contains("\"always\"") && unknown.contains("required, opportunistic"), "{unknown}");
        let scheme = tls("http://smtp.example.com", None).unwrap_err();
        assert!(scheme.contains("smtp://") && scheme.contains("smtps://"), "{scheme}");
        assert!(tls("not a url", None).is_err());
    }

    #[test]
    fn a_ca_file_that_cannot_be_read_or_holds_no_certificate_is_refused_saying_why() {
        let dir = tempfile::tempdir().unwrap();
        let with = |path: &Path| Smtp::new("smtp://smtp.example.com:587", None, None, Some(path)).map(|s| s.tls());
        let missing = with(&dir.path().join("missing.pem")).unwrap_err();
        assert!(missing.contains("SMTP_CA_FILE") && missing.contains("missing.pem") && missing.contains("cannot be read"), "{missing}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let none = with(&empty).unwrap_err();
        assert!(none.contains("SMTP_CA_FILE") && none.contains("holds no certificate"), "{none}");
        let broken = dir.path().join("broken.pem");
        std::fs::write(&broken, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n").unwrap();
        let bad = with(&broken).unwrap_err();
        assert!(bad.contains("SMTP_CA_FILE") && bad.contains("broken.pem"), "{bad}");
    }

    #[test]
    fn the_smtp_settings_never_show_the_password() {
        let smtp = Smtp::new("smtp://u:url-secret@smtp.example.com:587", Some("alerts".into()), Some("flag-secret".into()), None).unwrap();
        let shown = format!("{smtp:?} {:?}", Delivery { smtp: Some(Ok(smtp.clone())), ..Default::default() });
        assert!(!shown.contains("url-secret") && !shown.contains("flag-secret"), "{shown}");
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
