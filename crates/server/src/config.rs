//! Command-line flags, each with an environment-variable fallback.

use std::net::SocketAddr;

pub use crate::settings::{DemoUsers, DEMO_HEADER};
use std::path::PathBuf;

use clap::Parser;

/// Reservation Desk API server.
///
/// Serves the JSON API under /api from a SQLite database (created and migrated on start, demo
/// data seeded once) and, with --static-dir, the built single-page app with an index.html
/// fallback so deep links work.
#[derive(Debug, Clone, Parser)]
#[command(version, about, long_about)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// SQLite database URL or file path (the file and its folder are created when missing), or a
    /// PostgreSQL URL (postgres://user:password@host/database; the database must exist).
    #[arg(long = "database", env = "DATABASE_URL", default_value = "sqlite://data/reservation-desk.sqlite", global = true)]
    pub database_url: String,

    /// Folder of a built SPA (trunk's dist/) to serve besides the API; unknown paths get its index.html.
    #[arg(long, env = "STATIC_DIR")]
    pub static_dir: Option<PathBuf>,

    /// Whether the public demo tokens (demo-global-admin, …) sign in. Unset: on only when --listen is loopback (127.0.0.0/8, ::1) and no --oidc-issuer is given; elsewhere only with true, which warns and marks every response X-Reservation-Desk-Demo: true. While they are on at a loopback address, a request that came through a proxy (Forwarded, X-Forwarded-For, Via, X-Real-IP) or names a host other than localhost or a loopback address is refused.
    #[arg(long, env = "DEMO_USERS", action = clap::ArgAction::Set, value_name = "true|false")]
    pub demo_users: Option<bool>,

    /// Seconds a client may take to send its request headers, and then its body (a slower one is
    /// dropped, or answered 408).
    #[arg(long, env = "READ_TIMEOUT", default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub read_timeout: u64,

    /// Seconds a new connection may stay without a whole first request (any protocol: nothing
    /// sent, a partial HTTP/2 preface, headers trickling in); then it is closed.
    #[arg(long, env = "FIRST_REQUEST_TIMEOUT", default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub first_request_timeout: u64,

    /// The most connections open at once; past it, new connections wait in the listen queue
    /// (not accepted) until one closes.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = crate::serve::Connections::MAX_CONNECTIONS, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,

    /// OpenID Connect issuer whose access tokens sign in (e.g. https://login.microsoftonline.com/TENANT/v2.0); its
    /// discovery document and keys are fetched at start. Needs --oidc-audience.
    #[arg(long, env = "OIDC_ISSUER", value_name = "URL", requires = "oidc_audience")]
    pub oidc_issuer: Option<String>,

    /// The audience an access token must name in `aud` to sign in (with Entra ID: the API app's Application (client) ID). Needs --oidc-issuer.
    #[arg(long, env = "OIDC_AUDIENCE", value_name = "AUD", requires = "oidc_issuer")]
    pub oidc_audience: Option<String>,

    /// The SPA's public client ID at the issuer, told to the SPA by GET /api/config.
    #[arg(long, env = "OIDC_CLIENT_ID", value_name = "ID")]
    pub oidc_client_id: Option<String>,

    /// The scopes the SPA asks for, space-separated (with Entra ID add the API's scope, e.g. api://…/access_as_user).
    #[arg(long, env = "OIDC_SCOPES", default_value = "openid profile")]
    pub oidc_scopes: String,

    /// Milliseconds to wait after the first failed try to reach the OpenID Connect issuer at start;
    /// doubled after each of the five tries (the default gives up after about 15 s).
    #[arg(long, env = "OIDC_DISCOVERY_RETRY_MS", default_value_t = crate::oidc::FIRST_RETRY.as_millis() as u64, value_name = "MILLISECONDS")]
    pub oidc_discovery_retry_ms: u64,

    /// Secret key that makes the audit log's hash chain an HMAC-SHA256 chain, so someone who can
    /// write the database but does not know the key cannot re-hash an edited chain. Keep it
    /// secret (set it in the environment, not on the command line) and stable: entries written
    /// under one key verify only under it. Never logged.
    #[arg(long, env = "AUDIT_HMAC_KEY", value_name = "SECRET", hide_env_values = true, global = true)]
    pub audit_hmac_key: Option<AuditSecret>,

    /// The refund policy that governs every refund this deployment carries out: azure-current
    /// (Microsoft's today: no early termination fee; the limit counts the canceled commitment) or
    /// partner-center-2020 (the 2020 table: a 12 % fee, the limit counts the refund). A refund
    /// quoted under the other preset is a what-if: it is quoted but cannot be returned.
    #[arg(long, env = "REFUND_POLICY", default_value_t = quote_engine::PolicyName::DEFAULT, value_name = "POLICY", value_parser = refund_policy)]
    pub refund_policy: quote_engine::PolicyName,

    /// SMTP server for alert e-mails: smtp://host:587 (STARTTLS required: a server that offers
    /// none gets neither the message nor the login; ?tls=required says the same) or
    /// smtps://host:465 (TLS from the start). ?tls=opportunistic sends in clear when no STARTTLS
    /// is offered and is refused with SMTP_USER or SMTP_PASSWORD; smtp:// to this machine
    /// (localhost, 127.0.0.0/8, ::1) without a login does the same. Unset: no e-mail.
    #[arg(long, env = "SMTP_URL", value_name = "URL", global = true)]
    pub smtp_url: Option<String>,

    /// A PEM file of one or more CA certificates the SMTP server's certificate may chain to,
    /// besides Mozilla's roots (a private certificate authority). A file that cannot be read or
    /// holds no certificate stops the server at start.
    #[arg(long, env = "SMTP_CA_FILE", value_name = "PATH", global = true)]
    pub smtp_ca_file: Option<PathBuf>,

    /// User name for SMTP authentication (with SMTP_PASSWORD); sent only over TLS.
    #[arg(long, env = "SMTP_USER", value_name = "USER", global = true)]
    pub smtp_user: Option<String>,

    /// Password for SMTP authentication; set it in the environment. Never logged.
    #[arg(long, env = "SMTP_PASSWORD", value_name = "SECRET", hide_env_values = true, global = true)]
    pub smtp_password: Option<AuditSecret>,

    /// The From address of alert e-mails.
    #[arg(long, env = "ALERT_EMAIL_FROM", default_value = "Reservation Desk <alerts@localhost>", value_name = "ADDRESS", global = true)]
    pub alert_email_from: String,

    /// Who receives every customer's alerts by e-mail, comma-separated (besides the users
    /// subscribed to a customer in the console, at their sign-in names).
    #[arg(long, env = "ALERT_EMAIL_TO", value_name = "ADDRESSES", value_delimiter = ',', global = true)]
    pub alert_email_to: Vec<String>,

    /// Incoming webhook that receives every customer's alerts: a JSON body with `text` (as
    /// Microsoft Teams and Slack incoming webhooks take it) and `alerts`.
    #[arg(long, env = "ALERT_WEBHOOK_URL", value_name = "URL", global = true)]
    pub alert_webhook_url: Option<String>,

    /// Secret that signs the webhook body: header X-Reservation-Desk-Signature: sha256=<hex
    /// HMAC-SHA256 of the body>. Never logged.
    #[arg(long, env = "ALERT_WEBHOOK_SECRET", value_name = "SECRET", hide_env_values = true, global = true)]
    pub alert_webhook_secret: Option<AuditSecret>,

    /// The console's address, put before each alert's link (e.g. https://desk.example.com).
    #[arg(long, env = "ALERT_DESK_URL", default_value = "http://localhost:3000", value_name = "URL", global = true)]
    pub alert_desk_url: String,

    /// The hour of the daily alert digest, 0–23, in the server's local time zone (TZ); failed
    /// deliveries are tried again in between, with backoff.
    #[arg(long, env = "ALERT_DIGEST_HOUR", default_value_t = 7, value_name = "HOUR", value_parser = clap::value_parser!(u32).range(0..=23), global = true)]
    pub alert_digest_hour: u32,

    /// Seconds before a failed alert delivery is tried again; doubled after each failed try, at
    /// most 6 hours.
    #[arg(long, env = "ALERT_RETRY_SECONDS", default_value_t = desk_service::alerts::FIRST_RETRY_SECONDS as u64, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=21_600), global = true)]
    pub alert_retry_seconds: u64,

    /// A reservation whose last 7 days' utilization is below this percent is alerted as under-used.
    #[arg(long, env = "ALERT_UTILIZATION_PERCENT", default_value = "50", value_name = "PERCENT", value_parser = percent, global = true)]
    pub alert_utilization_percent: rust_decimal::Decimal,

    /// A customer whose refund headroom under the USD 50,000 limit is below this (USD) is alerted.
    #[arg(long, env = "ALERT_HEADROOM_USD", default_value = "5000", value_name = "USD", value_parser = usd, global = true)]
    pub alert_headroom_usd: rust_decimal::Decimal,

    /// Where customers and reservations come from: local (the desk's own store, seeded with the
    /// demo) or azure (Partner Center's customers and each customer's reservations from Azure
    /// Resource Manager, read on behalf of the signed-in user into the store as a cache; refunds,
    /// exchanges and changes are made in Azure on the user's behalf and recorded from Azure's
    /// answer; role assignments are refused). Azure needs OpenID Connect sign-in,
    /// AZURE_CLIENT_ID and AZURE_CLIENT_SECRET.
    /// Every command (`alerts send`) opens the database in this mode too, as the server does.
    #[arg(long, env = "DESK_SOURCE", default_value = "local", value_name = "local|azure", value_parser = source, global = true)]
    pub source: contract::DataSource,

    /// Azure mode as a read-only pilot: Partner Center and ARM are read and quoted as in Azure
    /// mode, and Azure is sent nothing that changes anything (no return, exchange, approval,
    /// configuration change, split, merge, archive or role assignment: each answers 409
    /// readOnlyPilot). Only with --source azure.
    #[arg(long, env = "AZURE_READ_ONLY", action = clap::ArgAction::Set, default_value_t = false, value_name = "true|false")]
    pub azure_read_only: bool,

    /// For demos and tests only: the desk's day (YYYY-MM-DD) instead of the calendar's, for the
    /// whole server (its clock moved by whole days; the time of day runs on), so that dated rules
    /// (the 2027 exchange rule, retired series, alert windows) can be shown on their day. Accepted
    /// only with the demo users on; refused at start otherwise.
    #[arg(long, env = "DESK_TODAY", value_name = "YYYY-MM-DD", value_parser = desk_day, global = true)]
    pub today: Option<chrono::NaiveDate>,

    /// Azure Resource Manager's base URL (Azure mode).
    #[arg(long, env = "AZURE_ARM_URL", default_value = "https://management.azure.com", value_name = "URL")]
    pub azure_arm_url: String,

    /// Partner Center's base URL (Azure mode); customers are read at {URL}/v1/customers.
    #[arg(long, env = "PARTNER_CENTER_URL", default_value = "https://api.partnercenter.microsoft.com", value_name = "URL")]
    pub partner_center_url: String,

    /// Microsoft Graph's base URL (Azure mode); the partner's GDAP relationships are read at
    /// {URL}/v1.0/tenantRelationships/delegatedAdminRelationships.
    #[arg(long, env = "GRAPH_URL", default_value = "https://graph.microsoft.com", value_name = "URL")]
    pub graph_url: String,

    /// The token endpoint where the signed-in user's token is exchanged on their behalf (Azure
    /// mode), with {tenantId} where the tenant goes.
    #[arg(long, env = "AZURE_TOKEN_URL", default_value = "https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token", value_name = "URL")]
    pub azure_token_url: String,

    /// The Application (client) ID of the desk's multi-tenant API app, the confidential client
    /// that asks for tokens on behalf of users (Azure mode).
    #[arg(long, env = "AZURE_CLIENT_ID", value_name = "ID")]
    pub azure_client_id: Option<String>,

    /// That app's client secret (Azure mode). Set it in the environment, not on the command
    /// line. Never logged.
    #[arg(long, env = "AZURE_CLIENT_SECRET", value_name = "SECRET", hide_env_values = true)]
    pub azure_client_secret: Option<AuditSecret>,

    /// The partner's own tenant, where Partner Center is asked for the customers (Azure mode);
    /// unset, the signed-in user's tid claim.
    #[arg(long, env = "AZURE_PARTNER_TENANT_ID", value_name = "TENANT")]
    pub azure_partner_tenant_id: Option<String>,

    /// Seconds between background reads of Azure (Azure mode), while a signed-in user's token
    /// lasts.
    #[arg(long, env = "AZURE_REFRESH_INTERVAL", default_value_t = 900, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(10..=86_400))]
    pub azure_refresh_interval: u64,

    /// Requests to Azure in flight at most, across every tenant and service (Azure mode): one
    /// bound for the whole server. Tenants are read many at once within it.
    #[arg(long, env = "AZURE_CONCURRENCY", default_value_t = 128, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub azure_concurrency: u32,

    /// Requests in flight at most in one tenant (Azure mode): ARM throttles each tenant on its
    /// own. A tenant that answers 429, or whose x-ms-ratelimit-remaining headers run low, is
    /// sent one at a time for a while.
    #[arg(long, env = "AZURE_TENANT_CONCURRENCY", default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub azure_tenant_concurrency: u32,

    /// A file holding the key (32 random bytes, base64 or hex: `openssl rand -base64 32`) that
    /// seals the stored connection's refresh token at rest (Azure mode). Unset, no Global admin
    /// can connect the desk for unattended reads.
    #[arg(long, env = "DESK_SECRET_KEY_FILE", value_name = "FILE")]
    pub secret_key_file: Option<std::path::PathBuf>,

    /// The previous key file while the key is rotated: it only opens what it sealed, and the
    /// next use seals that again under DESK_SECRET_KEY_FILE.
    #[arg(long, env = "DESK_SECRET_KEY_FILE_PREVIOUS", value_name = "FILE")]
    pub secret_key_file_previous: Option<std::path::PathBuf>,

    /// Seconds one request to Azure may take (Azure mode).
    #[arg(long, env = "AZURE_TIMEOUT", default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=600))]
    pub azure_timeout: u64,

    /// A return whose refund, or an exchange whose refunds total, is above this amount in USD
    /// (e.g. 25000 or 25000.00) does not move money when submitted: it waits for another user's
    /// approval (GET /api/approvals). Absent: no approval is asked.
    #[arg(long, env = "APPROVAL_THRESHOLD", value_name = "USD", value_parser = approval_threshold)]
    pub approval_threshold: Option<quote_engine::Money>,

    /// Hours an approval request waits for a decision before it expires (168: 7 days).
    #[arg(long, env = "APPROVAL_EXPIRY_HOURS", default_value_t = contract::settings::DEFAULT_APPROVAL_EXPIRY_HOURS, value_name = "HOURS", value_parser = clap::value_parser!(u32).range(1..=8784))]
    pub approval_expiry_hours: u32,

    /// Every refund and exchange must carry the partner's own change or ticket reference
    /// (ticketReference, 1–64 characters, one line): without one it is a 400
    /// ticketReferenceRequired. An approval request carries the reference of the move it waits for.
    #[arg(long, env = "REQUIRE_TICKET_REFERENCE", action = clap::ArgAction::Set, default_value_t = false, value_name = "true|false")]
    pub require_ticket_reference: bool,

    /// What to do; without a command, serve.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A command other than serving.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Writes a consistent copy of the database (which may be in use by a running server) to PATH,
    /// a new file; restore by stopping the server and putting the copy in the database's place.
    Backup {
        /// The file to write; it must not exist yet.
        path: PathBuf,
    },
    /// Alerts: `alerts send` sends what is due now.
    Alerts {
        /// What to do.
        #[command(subcommand)]
        action: AlertsCommand,
    },
}

/// What the `alerts` command does.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum AlertsCommand {
    /// Sends every alert due now that was not sent before (to ALERT_EMAIL_TO, subscribers and
    /// ALERT_WEBHOOK_URL), and the failed deliveries due for another try; for cron and tests.
    Send,
}

fn percent(value: &str) -> Result<rust_decimal::Decimal, String> {
    let d: rust_decimal::Decimal = value.trim().parse().map_err(|_| format!("{value:?} is not a number"))?;
    if d < rust_decimal::Decimal::ZERO || d > rust_decimal::Decimal::ONE_HUNDRED {
        return Err("a percent is between 0 and 100".into());
    }
    Ok(d)
}

/// A `--today` value.
fn desk_day(value: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| format!("{value:?} is not a day written YYYY-MM-DD"))
}

fn usd(value: &str) -> Result<rust_decimal::Decimal, String> {
    let d: rust_decimal::Decimal = value.trim().parse().map_err(|_| format!("{value:?} is not an amount"))?;
    if d < rust_decimal::Decimal::ZERO || d.scale() > 2 {
        return Err("an amount in USD is at least 0, with at most 2 decimals".into());
    }
    Ok(d)
}

/// The audit chain's secret key as given; its `Debug` never shows it.
#[derive(Clone)]
pub struct AuditSecret(String);

impl std::str::FromStr for AuditSecret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl std::fmt::Debug for AuditSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditSecret(<secret>)")
    }
}

/// A `--source` value.
fn source(value: &str) -> Result<contract::DataSource, String> {
    match value.trim() {
        "local" => Ok(contract::DataSource::Local),
        "azure" => Ok(contract::DataSource::Azure),
        other => Err(format!("no source is called {other:?}; the valid names are local, azure")),
    }
}

impl AuditSecret {
    /// The secret itself (for the one place that sends it).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Whether `url` is https, or http to this machine (a stand-in): a token is never sent in clear
/// over a network.
fn https_or_loopback(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(&url.replace("{tenantId}", "tenant")) else { return false };
    let host = parsed.host_str().unwrap_or_default();
    let loopback = host == "localhost"
        || host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    parsed.scheme() == "https" || (parsed.scheme() == "http" && loopback)
}

/// A `--refund-policy` value: a preset's wire name, or an error naming every valid one.
fn refund_policy(value: &str) -> Result<quote_engine::PolicyName, String> {
    value.trim().parse().map_err(|_| {
        let names: Vec<&str> = quote_engine::PolicyName::ALL.iter().map(|p| p.as_str()).collect();
        format!("no refund policy is called {value:?}; the valid names are {}", names.join(", "))
    })
}

/// An `--approval-threshold` value: a USD amount, not negative, at most 2 decimals.
fn approval_threshold(value: &str) -> Result<quote_engine::Money, String> {
    let amount: rust_decimal::Decimal =
        value.trim().parse().map_err(|_| format!("the approval threshold {value:?} is not an amount in USD (e.g. 25000.00)"))?;
    if amount.is_sign_negative() || amount.scale() > 2 {
        return Err(format!("the approval threshold {value:?} must be an amount in USD, not negative, with at most 2 decimals"));
    }
    Ok(quote_engine::Money::new(amount, quote_engine::Currency::USD).round())
}

impl Config {
    /// The server's clock: the system's, moved to `--today` by whole days when it is set.
    pub fn clock(&self) -> crate::settings::Clock {
        match self.today {
            Some(day) => {
                let shift = chrono::TimeDelta::days((day - chrono::Utc::now().date_naive()).num_days());
                std::sync::Arc::new(move || chrono::Utc::now() + shift)
            }
            None => std::sync::Arc::new(chrono::Utc::now),
        }
    }

    /// What a new database is seeded with, as of `day`: nothing in Azure mode (its store is a
    /// cache of Azure); otherwise the demo data, with the demo's grants only while the demo users
    /// sign in (with an identity provider they would govern the real users' groups and show
    /// them no customer).
    pub fn seed(&self, day: chrono::NaiveDate) -> Option<crate::db::Seed> {
        self.source.is_local().then(|| crate::db::Seed { day, demo_grants: self.demo_users().sign_in() })
    }

    /// How the server and every command open the database, as of `day`: in local mode seeded as
    /// [`Config::seed`] says, in Azure mode with nothing of the demo ([`crate::opening`]).
    pub fn opening(&self, day: chrono::NaiveDate) -> crate::opening::Opening {
        match self.seed(day) {
            Some(seed) => crate::opening::Opening::Local(Some(seed)),
            None => crate::opening::Opening::Azure,
        }
    }

    /// What the desk is told about this deployment (`GET /api/settings`).
    pub fn settings(&self) -> contract::Settings {
        contract::Settings {
            refund_policy: self.refund_policy,
            approval_threshold: self.approval_threshold,
            approval_expiry_hours: self.approval_expiry_hours,
            source: self.source,
            azure_read_only: self.azure_read_only,
            require_ticket_reference: self.require_ticket_reference,
            alert_delivery: self.alert_channels(),
        }
    }

    /// How alerts are sent: by e-mail where `SMTP_URL` is set, to a webhook where
    /// `ALERT_WEBHOOK_URL` is (the same test as [`Config::alert_delivery`]'s).
    pub fn alert_channels(&self) -> contract::AlertChannels {
        let set = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
        contract::AlertChannels { email: set(&self.smtp_url), webhook: set(&self.alert_webhook_url) }
    }

    /// The alert thresholds the desk watches with.
    pub fn alert_thresholds(&self) -> contract::AlertThresholds {
        contract::AlertThresholds { utilization_percent: self.alert_utilization_percent, headroom_usd: self.alert_headroom_usd }
    }

    /// The SMTP settings, when `SMTP_URL` is set, or why they cannot be used.
    pub fn smtp(&self) -> Option<Result<crate::alerts::Smtp, String>> {
        let url = self.smtp_url.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        let user = self.smtp_user.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let password = self.smtp_password.as_ref().map(|p| p.0.clone()).filter(|p| !p.is_empty());
        Some(crate::alerts::Smtp::new(url, user, password, self.smtp_ca_file.as_deref()))
    }

    /// Where alerts go (`alerts.rs`).
    pub fn alert_delivery(&self) -> crate::alerts::Delivery {
        let set = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        crate::alerts::Delivery {
            smtp: self.smtp(),
            email_from: self.alert_email_from.clone(),
            email_to: self.alert_email_to.iter().map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()).collect(),
            webhook_url: set(&self.alert_webhook_url),
            webhook_secret: self.alert_webhook_secret.as_ref().map(|s| s.0.clone()).filter(|s| !s.is_empty()),
            desk_url: self.alert_desk_url.clone(),
            digest_hour: self.alert_digest_hour,
            first_retry_seconds: i64::try_from(self.alert_retry_seconds).unwrap_or(desk_service::alerts::FIRST_RETRY_SECONDS),
            timeout: std::time::Duration::from_secs(30),
        }
    }

    /// The audit chain's key: HMAC-SHA256 under `AUDIT_HMAC_KEY` when set (and not empty), else
    /// plain SHA-256.
    pub fn audit_key(&self) -> desk::audit_chain::ChainKey {
        self.audit_hmac_key.as_ref().map_or_else(desk::audit_chain::ChainKey::none, |s| desk::audit_chain::ChainKey::hmac(s.0.as_bytes()))
    }

    /// How the OpenID Connect issuer is tried at start (`oidc.rs`).
    pub fn discovery(&self) -> crate::oidc::Discovery {
        crate::oidc::Discovery { first_delay: std::time::Duration::from_millis(self.oidc_discovery_retry_ms), ..Default::default() }
    }

    /// The limits of a request (`edge.rs`).
    pub fn limits(&self) -> crate::settings::Limits {
        crate::settings::Limits { read_timeout: std::time::Duration::from_secs(self.read_timeout), ..Default::default() }
    }

    /// How the accept loop treats connections (`serve.rs`).
    pub fn connections(&self) -> crate::serve::Connections {
        crate::serve::Connections {
            read_timeout: std::time::Duration::from_secs(self.read_timeout),
            first_request_timeout: std::time::Duration::from_secs(self.first_request_timeout),
            max_connections: self.max_connections,
        }
    }

    /// What makes this configuration unsafe to start with, as a message saying what to change.
    pub fn refusal(&self) -> Option<String> {
        if let Some(missing) = self.azure_refusal() {
            return Some(missing);
        }
        if let (Some(day), false) = (self.today, self.demo_users().sign_in()) {
            return Some(format!(
                "--today {day} (DESK_TODAY) moves the desk's clock, which is for demos and tests: it needs the demo users on \
                 (--demo-users, on by default at a loopback address without --oidc-issuer). A deployment that signs in real \
                 users keeps the calendar's day"
            ));
        }
        if let Some(Err(smtp)) = self.smtp() {
            return Some(smtp);
        }
        match (&self.oidc_audience, &self.oidc_client_id) {
            (Some(audience), Some(client)) if audience.trim() == client.trim() => Some(format!(
                "--oidc-audience (OIDC_AUDIENCE) and --oidc-client-id (OIDC_CLIENT_ID) are both {audience:?}: the SPA's ID \
                 tokens would then carry the API's audience and could pass as access tokens. Register the API as its \
                 own application (Entra ID: expose an API, e.g. api://reservation-desk, with a scope the SPA asks for \
                 in --oidc-scopes) and set --oidc-audience to the API's ID, not the SPA's client ID"
            )),
            _ => None,
        }
    }

    /// Why Azure mode cannot start as configured: what is missing, each named by its flag and
    /// variable.
    fn azure_refusal(&self) -> Option<String> {
        if self.source != contract::DataSource::Azure {
            return self.azure_read_only.then(|| {
                "--azure-read-only (AZURE_READ_ONLY) is a read-only pilot of Azure mode: it needs --source azure (DESK_SOURCE=azure); \
                 the desk's own store is changed only by the desk"
                    .to_owned()
            });
        }
        let mut missing = Vec::new();
        if self.oidc_issuer.is_none() {
            missing.push("--oidc-issuer (OIDC_ISSUER)");
        }
        if self.oidc_audience.is_none() {
            missing.push("--oidc-audience (OIDC_AUDIENCE)");
        }
        if self.azure_client_id.as_deref().is_none_or(|id| id.trim().is_empty()) {
            missing.push("AZURE_CLIENT_ID");
        }
        if self.azure_client_secret.as_ref().is_none_or(|s| s.0.is_empty()) {
            missing.push("AZURE_CLIENT_SECRET");
        }
        if !missing.is_empty() {
            return Some(format!(
                "--source azure (DESK_SOURCE=azure) reads Azure on behalf of the signed-in user, so it needs OpenID Connect \
                 sign-in and the API app that exchanges the user's token; missing: {}",
                missing.join(", ")
            ));
        }
        if self.demo_users == Some(true) {
            return Some(
                "--source azure (DESK_SOURCE=azure) acts as the signed-in user in Azure; demo users have no Azure identity: \
                 leave --demo-users (DEMO_USERS) unset or false"
                    .to_owned(),
            );
        }
        for (flag, url) in [
            ("--azure-arm-url (AZURE_ARM_URL)", &self.azure_arm_url),
            ("--partner-center-url (PARTNER_CENTER_URL)", &self.partner_center_url),
            ("--graph-url (GRAPH_URL)", &self.graph_url),
            ("--azure-token-url (AZURE_TOKEN_URL)", &self.azure_token_url),
        ] {
            if !https_or_loopback(url) {
                return Some(format!("{flag} is {url:?}: tokens are sent there, so it must be an https URL (http only to this machine)"));
            }
        }
        if !self.azure_token_url.contains("{tenantId}") {
            return Some("--azure-token-url (AZURE_TOKEN_URL) must contain {tenantId}, where each tenant's ID goes".to_owned());
        }
        None
    }

    /// How the Azure client is set up (Azure mode; [`Config::refusal`] has checked it is complete).
    /// The client's bounds on requests in flight (Azure mode).
    pub fn azure_limits(&self) -> azure_client::Limits {
        azure_client::Limits { in_flight: self.azure_concurrency as usize, per_tenant: self.azure_tenant_concurrency as usize }
    }

    /// The keys that seal the stored connection, when DESK_SECRET_KEY_FILE is set.
    pub fn secret_keys(&self) -> Result<Option<crate::source::connection::SecretKeys>, String> {
        self.secret_key_file
            .as_deref()
            .map(|current| crate::source::connection::SecretKeys::load(current, self.secret_key_file_previous.as_deref()))
            .transpose()
            .map_err(|e| format!("DESK_SECRET_KEY_FILE: {e}"))
    }

    pub fn azure(&self) -> Option<azure_client::Settings> {
        if self.source != contract::DataSource::Azure {
            return None;
        }
        Some(azure_client::Settings {
            token_url: self.azure_token_url.clone(),
            arm_url: self.azure_arm_url.clone(),
            partner_center_url: self.partner_center_url.clone(),
            graph_url: self.graph_url.clone(),
            client_id: self.azure_client_id.clone()?,
            client_secret: azure_client::SecretString::from(self.azure_client_secret.as_ref()?.0.clone()),
            timeout: std::time::Duration::from_secs(self.azure_timeout),
            ..azure_client::Settings::microsoft(String::new(), azure_client::SecretString::from(String::new()))
        })
    }

    /// The OpenID Connect settings, when an issuer is given (clap makes the audience come with it).
    pub fn oidc(&self) -> Option<crate::oidc::OidcSettings> {
        Some(crate::oidc::OidcSettings {
            issuer: self.oidc_issuer.clone()?,
            audience: self.oidc_audience.clone()?,
            client_id: self.oidc_client_id.clone(),
            scopes: self.oidc_scopes.clone(),
        })
    }

    /// Whether the demo tokens sign in at this configuration's address.
    pub fn demo_users(&self) -> DemoUsers {
        DemoUsers::decide(self.listen.ip(), self.demo_users, self.oidc_issuer.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn today_moves_the_whole_servers_clock_and_only_with_the_demo_users() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat());
        let demo = parse(&["--today", "2027-03-01"]).unwrap();
        assert_eq!(demo.refusal(), None);
        let now = (demo.clock())();
        assert_eq!(now.date_naive().to_string(), "2027-03-01", "the desk's day");
        assert!((now.time() - chrono::Utc::now().time()).num_seconds().abs() < 5, "the time of day runs on");
        assert_eq!((parse(&[]).unwrap().clock())().date_naive(), chrono::Utc::now().date_naive(), "unset: the calendar's day");
        let oidc = parse(&["--today", "2027-03-01", "--oidc-issuer", "https://id.example", "--oidc-audience", "api"]).unwrap();
        let refused = oidc.refusal().expect("refused without the demo users");
        assert!(refused.contains("--today") && refused.contains("demo users"), "{refused}");
        let wrong = parse(&["--today", "1 March 2027"]).unwrap_err().to_string();
        assert!(wrong.contains("YYYY-MM-DD"), "{wrong}");
    }

    #[test]
    fn the_demos_grants_are_seeded_only_where_the_demo_users_sign_in() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat()).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(parse(&[]).seed(day), Some(crate::db::Seed { day, demo_grants: true }), "the demo on loopback");
        let oidc = parse(&["--oidc-issuer", "https://id.example", "--oidc-audience", "api"]);
        assert_eq!(oidc.seed(day), Some(crate::db::Seed { day, demo_grants: false }), "a deployment signing in through an identity provider");
        let off = parse(&["--demo-users", "false"]);
        assert_eq!(off.seed(day).map(|s| s.demo_grants), Some(false));
        let azure = parse(&["--source", "azure", "--oidc-issuer", "https://id.example", "--oidc-audience", "api"]);
        assert_eq!(azure.seed(day), None, "Azure mode seeds nothing");
    }

    #[test]
    fn unset_is_on_for_loopback_only() {
        for address in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            assert_eq!(DemoUsers::decide(ip(address), None, false), DemoUsers::OnLoopback, "{address}");
        }
        for address in ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "::ffff:10.0.0.1", "2001:db8::1"] {
            assert_eq!(DemoUsers::decide(ip(address), None, false), DemoUsers::Off, "{address}");
        }
    }

    #[test]
    fn explicit_true_beyond_loopback_is_on_and_marked() {
        assert_eq!(DemoUsers::decide(ip("0.0.0.0"), Some(true), false), DemoUsers::OnExposed);
        assert_eq!(DemoUsers::decide(ip("::"), Some(true), false), DemoUsers::OnExposed);
        assert!(DemoUsers::OnExposed.sign_in() && DemoUsers::OnExposed.marks_responses());
        assert_eq!(DemoUsers::decide(ip("127.0.0.1"), Some(true), false), DemoUsers::OnLoopback);
        assert!(DemoUsers::OnLoopback.sign_in() && !DemoUsers::OnLoopback.marks_responses());
    }

    #[test]
    fn explicit_false_is_off_everywhere() {
        for address in ["127.0.0.1", "::1", "0.0.0.0"] {
            assert_eq!(DemoUsers::decide(ip(address), Some(false), false), DemoUsers::Off, "{address}");
        }
        assert!(!DemoUsers::Off.sign_in() && !DemoUsers::Off.marks_responses());
    }

    #[test]
    fn with_an_issuer_demo_users_are_off_unless_said_true() {
        for address in ["127.0.0.1", "::1", "0.0.0.0"] {
            assert_eq!(DemoUsers::decide(ip(address), None, true), DemoUsers::Off, "{address}");
            assert_eq!(DemoUsers::decide(ip(address), Some(false), true), DemoUsers::Off, "{address}");
        }
        assert_eq!(DemoUsers::decide(ip("127.0.0.1"), Some(true), true), DemoUsers::OnLoopback);
        assert_eq!(DemoUsers::decide(ip("0.0.0.0"), Some(true), true), DemoUsers::OnExposed);
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat()).unwrap();
        if ["DEMO_USERS", "LISTEN", "OIDC_ISSUER", "OIDC_AUDIENCE"].iter().all(|v| std::env::var_os(v).is_none()) {
            let issuer = ["--oidc-issuer", "https://id.example", "--oidc-audience", "api"];
            assert_eq!(parse(&issuer).demo_users(), DemoUsers::Off);
            assert_eq!(parse(&[&issuer[..], &["--demo-users", "true"]].concat()).demo_users(), DemoUsers::OnLoopback);
        }
    }

    #[test]
    fn an_audience_equal_to_the_spas_client_id_is_refused_with_what_to_change() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat()).unwrap();
        if ["OIDC_ISSUER", "OIDC_AUDIENCE", "OIDC_CLIENT_ID"].iter().any(|v| std::env::var_os(v).is_some()) {
            return; // clap would read them
        }
        let same = parse(&["--oidc-issuer", "https://id.example", "--oidc-audience", "spa", "--oidc-client-id", "spa"]);
        let message = same.refusal().expect("refused");
        assert!(message.contains("--oidc-audience") && message.contains("OIDC_CLIENT_ID") && message.contains("\"spa\""), "{message}");
        let apart = parse(&["--oidc-issuer", "https://id.example", "--oidc-audience", "api://desk", "--oidc-client-id", "spa"]);
        assert_eq!(apart.refusal(), None);
        assert_eq!(parse(&[]).refusal(), None);
    }

    #[test]
    fn azure_mode_refuses_to_start_without_sign_in_naming_what_is_missing() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat()).unwrap();
        let vars = ["DESK_SOURCE", "OIDC_ISSUER", "OIDC_AUDIENCE", "OIDC_CLIENT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "DEMO_USERS", "AZURE_ARM_URL", "AZURE_TOKEN_URL", "PARTNER_CENTER_URL", "GRAPH_URL"];
        if vars.iter().any(|v| std::env::var_os(v).is_some()) {
            return; // clap would read them
        }
        assert_eq!(parse(&[]).source, contract::DataSource::Local, "local is the default");
        assert!(parse(&[]).azure().is_none() && parse(&[]).settings().source.is_local());
        let bare = parse(&["--source", "azure"]).refusal().expect("refused");
        for named in ["--oidc-issuer (OIDC_ISSUER)", "--oidc-audience (OIDC_AUDIENCE)", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"] {
            assert!(bare.contains(named), "{named} in {bare}");
        }
        let sign_in = ["--source", "azure", "--oidc-issuer", "https://login.example/t/v2.0", "--oidc-audience", "api://desk"];
        let no_app = parse(&sign_in).refusal().expect("refused");
        assert!(no_app.contains("AZURE_CLIENT_ID") && no_app.contains("AZURE_CLIENT_SECRET") && !no_app.contains("OIDC_ISSUER"), "{no_app}");
        let complete = [&sign_in[..], &["--azure-client-id", "app", "--azure-client-secret", "s3cret-value"]].concat();
        assert_eq!(parse(&complete).refusal(), None);
        let config = parse(&complete);
        assert_eq!(config.settings().source, contract::DataSource::Azure);
        let azure = config.azure().expect("azure settings");
        assert_eq!((azure.arm_url.as_str(), azure.client_id.as_str()), ("https://management.azure.com", "app"));
        assert!(!format!("{config:?} {azure:?}").contains("s3cret-value"), "the secret is never shown");
        let demo = parse(&[&complete[..], &["--demo-users", "true"]].concat()).refusal().expect("refused");
        assert!(demo.contains("--demo-users"), "{demo}");
        let clear = parse(&[&complete[..], &["--azure-arm-url", "http://arm.example"]].concat()).refusal().expect("refused");
        assert!(clear.contains("--azure-arm-url") && clear.contains("https"), "{clear}");
        assert_eq!(parse(&[&complete[..], &["--azure-arm-url", "http://127.0.0.1:9"]].concat()).refusal(), None, "a stand-in on loopback");
        let wrong = Config::try_parse_from(["reservation-desk-server", "--source", "cloud"]).unwrap_err().to_string();
        assert!(wrong.contains("local, azure"), "{wrong}");
    }

    #[test]
    fn a_read_only_pilot_is_a_mode_of_azure_mode_off_by_default() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat()).unwrap();
        let vars = ["DESK_SOURCE", "AZURE_READ_ONLY", "OIDC_ISSUER", "OIDC_AUDIENCE", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "DEMO_USERS"];
        if vars.iter().any(|v| std::env::var_os(v).is_some()) {
            return; // clap would read them
        }
        let azure = ["--source", "azure", "--oidc-issuer", "https://login.example/t/v2.0", "--oidc-audience", "api://desk", "--azure-client-id", "app", "--azure-client-secret", "s"];
        assert!(!parse(&azure).settings().azure_read_only, "Azure mode changes Azure unless told otherwise");
        let pilot = parse(&[&azure[..], &["--azure-read-only", "true"]].concat());
        assert_eq!((pilot.refusal(), pilot.settings().azure_read_only), (None, true));
        assert!(!parse(&[&azure[..], &["--azure-read-only", "false"]].concat()).settings().azure_read_only);
        let local = parse(&["--azure-read-only", "true"]).refusal().expect("refused without Azure mode");
        assert!(local.contains("--azure-read-only") && local.contains("--source azure"), "{local}");
        let wrong = Config::try_parse_from(["reservation-desk-server", "--azure-read-only", "yes"]).unwrap_err().to_string();
        assert!(wrong.contains("true") && wrong.contains("false"), "{wrong}");
    }

    #[test]
    fn connections_have_a_first_request_limit_and_a_cap_by_default() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat());
        if ["FIRST_REQUEST_TIMEOUT", "MAX_CONNECTIONS", "READ_TIMEOUT"].iter().all(|v| std::env::var_os(v).is_none()) {
            let default = parse(&[]).unwrap().connections();
            assert_eq!(default.first_request_timeout, std::time::Duration::from_secs(10));
            assert_eq!(default.max_connections, 1024);
        }
        let set = parse(&["--first-request-timeout", "2", "--max-connections", "50"]).unwrap().connections();
        assert_eq!((set.first_request_timeout, set.max_connections), (std::time::Duration::from_secs(2), 50));
        assert!(parse(&["--first-request-timeout", "0"]).is_err());
        assert!(parse(&["--max-connections", "0"]).is_err());
    }

    #[test]
    fn the_flag_and_the_variable_are_tri_state() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat()).unwrap();
        // Only when DEMO_USERS and LISTEN are not in the environment (clap would read them).
        if std::env::var_os("DEMO_USERS").is_none() && std::env::var_os("LISTEN").is_none() {
            assert_eq!(parse(&[]).demo_users, None);
            assert_eq!(parse(&["--listen", "0.0.0.0:3000"]).demo_users(), DemoUsers::Off);
            assert_eq!(parse(&[]).demo_users(), DemoUsers::OnLoopback);
        }
        assert_eq!(parse(&["--demo-users", "true"]).demo_users, Some(true));
        assert_eq!(parse(&["--listen", "0.0.0.0:3000", "--demo-users", "true"]).demo_users(), DemoUsers::OnExposed);
        assert_eq!(parse(&["--demo-users", "false"]).demo_users(), DemoUsers::Off);
    }

    #[test]
    fn the_audit_key_makes_the_chain_keyed_and_is_never_shown() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat()).unwrap();
        let keyed = parse(&["--audit-hmac-key", "correct-horse-battery"]);
        assert_eq!(keyed.audit_key().format(), desk::audit_chain::FORMAT_KEYED);
        for shown in [format!("{keyed:?}"), format!("{:?}", keyed.audit_key())] {
            assert!(!shown.contains("correct-horse-battery"), "{shown}");
        }
        if std::env::var_os("AUDIT_HMAC_KEY").is_none() {
            assert_eq!(parse(&[]).audit_key().format(), desk::audit_chain::FORMAT_PLAIN);
        }
        assert_eq!(parse(&["--audit-hmac-key", ""]).audit_key().format(), desk::audit_chain::FORMAT_PLAIN, "empty is no key");
    }

    #[test]
    fn the_issuer_and_the_audience_come_together() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat());
        if ["OIDC_ISSUER", "OIDC_AUDIENCE", "OIDC_CLIENT_ID", "OIDC_SCOPES"].iter().any(|v| std::env::var_os(v).is_some()) {
            return; // clap would read them
        }
        assert!(parse(&[]).unwrap().oidc().is_none());
        let alone = parse(&["--oidc-issuer", "https://id.example"]).unwrap_err().to_string();
        assert!(alone.contains("--oidc-audience"), "{alone}");
        let alone = parse(&["--oidc-audience", "api"]).unwrap_err().to_string();
        assert!(alone.contains("--oidc-issuer"), "{alone}");
        let both = parse(&["--oidc-issuer", "https://id.example", "--oidc-audience", "api", "--oidc-client-id", "spa"]).unwrap();
        let settings = both.oidc().unwrap();
        assert_eq!((settings.issuer.as_str(), settings.audience.as_str()), ("https://id.example", "api"));
        assert_eq!((settings.client_id.as_deref(), settings.scopes.as_str()), (Some("spa"), "openid profile"));
    }

    #[test]
    fn the_discovery_retry_defaults_to_a_second_and_may_be_shortened() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat()).unwrap();
        if std::env::var_os("OIDC_DISCOVERY_RETRY_MS").is_none() {
            assert_eq!(parse(&[]).discovery().first_delay, std::time::Duration::from_secs(1));
        }
        let quick = parse(&["--oidc-discovery-retry-ms", "10"]).discovery();
        assert_eq!((quick.first_delay, quick.attempts), (std::time::Duration::from_millis(10), crate::oidc::Discovery::default().attempts));
    }

    #[test]
    fn the_refund_policy_is_azure_current_unless_set_and_a_wrong_name_lists_the_valid_ones() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat());
        if std::env::var_os("REFUND_POLICY").is_none() {
            assert_eq!(parse(&[]).unwrap().settings().refund_policy, quote_engine::PolicyName::AzureCurrent);
        }
        let set = parse(&["--refund-policy", "partner-center-2020"]).unwrap();
        assert_eq!(set.settings().refund_policy, quote_engine::PolicyName::PartnerCenter2020);
        assert_eq!(parse(&[]).unwrap().settings().approval_threshold, None);
        assert_eq!(parse(&[]).unwrap().settings().approval_expiry_hours, 168);
        let threshold = parse(&["--approval-threshold", "25000.5", "--approval-expiry-hours", "3"]).unwrap().settings();
        assert_eq!(threshold.approval_threshold.map(|m| m.amount.to_string()), Some("25000.50".to_owned()));
        assert_eq!(threshold.approval_expiry_hours, 3);
        assert!(parse(&["--approval-expiry-hours", "0"]).is_err());
        assert!(parse(&["--approval-threshold", "-1"]).is_err());
        assert!(parse(&["--approval-threshold", "1.001"]).is_err());
        assert!(parse(&["--approval-threshold", "lots"]).is_err());
        if std::env::var_os("REQUIRE_TICKET_REFERENCE").is_none() {
            assert!(!parse(&[]).unwrap().settings().require_ticket_reference, "a ticket reference is optional unless required");
        }
        assert!(parse(&["--require-ticket-reference", "true"]).unwrap().settings().require_ticket_reference);
        assert!(parse(&["--require-ticket-reference", "maybe"]).is_err());
        let wrong = parse(&["--refund-policy", "azure"]).unwrap_err().to_string();
        assert!(wrong.contains("partner-center-2020, azure-current") && wrong.contains("\"azure\""), "{wrong}");
    }

    #[test]
    fn smtp_settings_that_could_send_the_password_in_clear_or_cannot_be_used_stop_the_server() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat()).unwrap();
        if ["SMTP_URL", "SMTP_USER", "SMTP_PASSWORD", "SMTP_CA_FILE", "DESK_SOURCE"].iter().any(|v| std::env::var_os(v).is_some()) {
            return; // clap would read them
        }
        let login = ["--smtp-user", "alerts@partner.example", "--smtp-password", "s3cret-smtp"];
        let with = |url: &str, more: &[&str]| parse(&[&["--smtp-url", url][..], more].concat());
        let opportunistic = with("smtp://smtp.example.com:587?tls=opportunistic", &login).refusal().expect("refused");
        assert!(opportunistic.contains("tls=opportunistic") && opportunistic.contains("password") && opportunistic.contains("in clear"), "{opportunistic}");
        assert!(!opportunistic.contains("s3cret-smtp"), "{opportunistic}");
        let unknown = with("smtp://smtp.example.com:587?tls=yes", &[]).refusal().expect("refused");
        assert!(unknown.contains("\"yes\"") && unknown.contains("required, opportunistic"), "{unknown}");
        let missing = with("smtp://smtp.example.com:587", &["--smtp-ca-file", "/nonexistent/ca.pem"]).refusal().expect("refused");
        assert!(missing.contains("SMTP_CA_FILE") && missing.contains("/nonexistent/ca.pem"), "{missing}");

        for (url, tls) in [
            ("smtp://smtp.example.com:587", crate::alerts::SmtpTls::Required),
            ("smtp://smtp.example.com:587?tls=required", crate::alerts::SmtpTls::Required),
            ("smtps://smtp.example.com", crate::alerts::SmtpTls::Implicit),
        ] {
            let config = with(url, &login);
            assert_eq!(config.refusal(), None, "{url}");
            assert_eq!(config.alert_delivery().smtp.expect("set").map(|s| s.tls()), Ok(tls), "{url}");
        }
        assert_eq!(with("smtp://127.0.0.1:2525", &[]).smtp().expect("set").map(|s| s.tls()), Ok(crate::alerts::SmtpTls::Opportunistic));
        assert_eq!(with("smtp://127.0.0.1:2525", &login).smtp().expect("set").map(|s| s.tls()), Ok(crate::alerts::SmtpTls::Required));
        assert!(parse(&[]).smtp().is_none() && parse(&[]).refusal().is_none(), "no SMTP_URL: no e-mail");
    }

    #[test]
    fn the_settings_say_whether_alerts_go_by_e_mail_and_to_a_webhook() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat()).unwrap();
        if ["SMTP_URL", "ALERT_WEBHOOK_URL"].iter().any(|v| std::env::var_os(v).is_some()) {
            return; // clap would read them
        }
        let channels = |args: &[&str]| parse(args).settings().alert_delivery;
        assert!(channels(&[]).is_none(), "neither SMTP_URL nor ALERT_WEBHOOK_URL: nothing is sent");
        assert!(channels(&["--smtp-url", " "]).is_none(), "a blank SMTP_URL sends nothing");
        let email = ["--smtp-url", "smtp://127.0.0.1:2525"];
        let webhook = ["--alert-webhook-url", "https://hooks.example/alerts"];
        assert_eq!(channels(&email), contract::AlertChannels { email: true, webhook: false });
        assert_eq!(channels(&webhook), contract::AlertChannels { email: false, webhook: true });
        assert_eq!(channels(&[&email[..], &webhook[..]].concat()), contract::AlertChannels { email: true, webhook: true });
        for args in [&[][..], &email[..], &webhook[..]] {
            let (config, channels) = (parse(args), channels(args));
            assert_eq!((channels.email, channels.webhook), (config.alert_delivery().smtp.is_some(), config.alert_delivery().webhook_url.is_some()), "{args:?}");
        }
    }

    #[test]
    fn backup_is_a_command_that_takes_the_database_flag_before_or_after_it() {
        let parse = |args: &[&str]| Config::try_parse_from([&["reservation-desk-server"], args].concat());
        for args in [&["--database", "x.sqlite", "backup", "copy.sqlite"][..], &["backup", "copy.sqlite", "--database", "x.sqlite"]] {
            let config = parse(args).unwrap();
            assert_eq!(config.database_url, "x.sqlite");
            assert!(matches!(config.command, Some(Command::Backup { ref path }) if path == std::path::Path::new("copy.sqlite")));
        }
        assert!(parse(&["backup"]).is_err(), "the backup needs a path");
        assert!(parse(&["--read-timeout", "0"]).is_err(), "a zero timeout would refuse everything");
        assert_eq!(parse(&["--read-timeout", "3"]).unwrap().limits().read_timeout, std::time::Duration::from_secs(3));
    }
}
