//! Against real servers: `alerts send` (as cron runs it) delivers the digest
//! to a real SMTP server (aiosmtpd) for ALERT_EMAIL_TO and a subscriber, and to a webhook with
//! a body Teams and Slack take and an HMAC-SHA256 signature; run again (a restart) or twice at
//! once (two processes on one SQLite file) it sends nothing twice; a failed delivery is
//! recorded, retried after its backoff and then recorded as sent. E-mail with a login goes only
//! over TLS: STARTTLS to a server a private certificate authority vouches for (SMTP_CA_FILE), and
//! nothing at all to a server that offers no STARTTLS; settings that could send the password in
//! clear stop the server and `alerts send` at start.

use crate::alert_receivers;

use alert_receivers::{alerts_send, expected_signature, private_ca, settings, SmtpSink, Webhook, SECRET, SUBSCRIBER};
use serde_json::Value;

/// A new SQLite database, migrated and seeded (a run with nowhere to send), with `SUBSCRIBER`
/// subscribed to Contoso.
async fn database(dir: &std::path::Path) -> String {
    let url = format!("sqlite://{}", dir.join("alerts.sqlite").display());
    let (ok, log) = alerts_send(&url, &[]).await;
    assert!(ok, "{log}");
    assert!(log.contains("0 delivered, 0 failed"), "{log}");
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("INSERT INTO alert_subscriptions (user_name, customer_id, created_at) VALUES ($1, $2, 0)")
        .bind(SUBSCRIBER)
        .bind(contract::seed::CONTOSO)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    url
}

async fn deliveries(url: &str) -> Vec<(String, String, String, i64, Option<String>)> {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let rows = sqlx::query_as("SELECT alert_key, recipient, status, attempts, last_error FROM alert_deliveries ORDER BY alert_key, recipient")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    rows
}

fn to(message: &str) -> &str {
    message.lines().next().unwrap().trim_start_matches("Envelope-To: ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_digest_reaches_smtp_and_the_signed_webhook_once_across_restarts_and_two_processes() {
    let dir = tempfile::tempdir().unwrap();
    let url = database(dir.path()).await;
    let smtp = SmtpSink::start();
    let hook = Webhook::start(0).await;
    let env = settings(&smtp, &hook);

    // Two processes at once, then a third run (a restart): each digest once.
    let (a, b) = tokio::join!(alerts_send(&url, &env), alerts_send(&url, &env));
    assert!(a.0 && b.0, "{a:?} {b:?}");
    let (ok, log) = alerts_send(&url, &env).await;
    assert!(ok && log.contains("0 delivered, 0 failed"), "{log}");

    let messages = smtp.messages();
    let mut recipients: Vec<&str> = messages.iter().map(|m| to(m)).collect();
    recipients.sort();
    assert_eq!(recipients, ["gina.admin@partner.example", "ops@example.com"], "one digest each");
    let ops = messages.iter().find(|m| to(m) == "ops@example.com").unwrap();
    assert!(ops.contains("Subject: Reservation Desk:"), "{ops}");
    assert!(ops.contains("From: \"Reservation Desk\" <alerts@desk.example>"), "{ops}");
    let unfolded = ops.replace("=\r\n", "").replace("=\n", "");
    assert!(unfolded.contains("expires on"), "an expiring reservation of the demo data: {unfolded}");
    assert!(unfolded.contains("https://desk.example/customers/"), "{unfolded}");
    assert!(unfolded.contains("Contoso Ltd: refund headroom under the USD 50,000 limit is USD 3500.00"), "{unfolded}");
    assert!(unfolded.contains("Worklist: the 5 most at stake of "), "the worklist's section: {unfolded}");
    assert!(unfolded.contains("https://desk.example/worklist"), "{unfolded}");
    let gina = messages.iter().find(|m| to(m) == SUBSCRIBER).unwrap().replace("=\r\n", "").replace("=\n", "");
    assert!(gina.contains("Contoso Ltd:") && !gina.contains("Fabrikam"), "only the subscribed customer: {gina}");
    assert!(gina.contains("Worklist: the ") && gina.contains("\n- Contoso Ltd ") && !gina.contains("- Fabrikam"), "the subscribed customer's worklist rows: {gina}");

    let bodies = hook.bodies();
    assert_eq!(bodies.len(), 1, "one webhook call");
    let body: Value = serde_json::from_str(&bodies[0].body).unwrap();
    assert!(body["text"].as_str().unwrap().starts_with("Reservation Desk: "), "{body}");
    assert!(body["alerts"].as_array().unwrap().iter().any(|a| a["kind"]["type"] == "expiring"));
    let top = body["worklist"].as_array().unwrap();
    assert_eq!(top.len(), 5, "{body}");
    let ranks: Vec<f64> = top.iter().map(|r| r["rankUsd"]["amount"].as_str().unwrap().parse().unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "most at stake first: {ranks:?}");
    assert_eq!(bodies[0].signature.as_deref(), Some(expected_signature(SECRET, &bodies[0].body).as_str()));

    let rows = deliveries(&url).await;
    assert!(rows.iter().all(|(_, _, status, attempts, _)| status == "sent" && *attempts == 1), "{rows:?}");
    let webhook_rows = rows.iter().filter(|r| r.1 == "webhook").count();
    assert_eq!(webhook_rows, body["alerts"].as_array().unwrap().len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_delivery_is_recorded_retried_after_its_backoff_and_sent_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = database(dir.path()).await;
    let smtp = SmtpSink::start();
    let hook = Webhook::start(1).await; // the first call answers 503
    let mut env = settings(&smtp, &hook);
    env.retain(|(k, _)| *k != "ALERT_EMAIL_TO");
    env.push(("ALERT_EMAIL_TO", "reject@example.com".into())); // refused by the SMTP server

    let (ok, log) = alerts_send(&url, &env).await;
    assert!(!ok && log.contains("failed"), "a failure is not silent: {log}");
    let rows = deliveries(&url).await;
    let failed: Vec<_> = rows.iter().filter(|r| r.2 == "failed").collect();
    assert!(failed.iter().any(|r| r.1 == "webhook" && r.4.as_deref().is_some_and(|e| e.contains("503"))), "{rows:?}");
    assert!(failed.iter().any(|r| r.1 == "mailto:reject@example.com" && r.4.as_deref().is_some_and(|e| e.contains("550"))), "{rows:?}");
    assert!(rows.iter().any(|r| r.1 == "mailto:gina.admin@partner.example" && r.2 == "sent"), "the other recipients still get theirs");
    assert_eq!(hook.bodies().len(), 0);

    // Past the first retry's delay (ALERT_RETRY_SECONDS=1): the webhook now answers.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, log) = alerts_send(&url, &env).await;
    assert_eq!(hook.bodies().len(), 1, "{log}");
    let rows = deliveries(&url).await;
    assert!(rows.iter().filter(|r| r.1 == "webhook").all(|r| r.2 == "sent" && r.3 == 2), "{rows:?}");
    assert!(rows.iter().filter(|r| r.1 == "mailto:reject@example.com").all(|r| r.2 == "failed" && r.3 == 2), "{rows:?}");
    let subscriber_mails = smtp.messages().iter().filter(|m| to(m) == SUBSCRIBER).count();
    assert_eq!(subscriber_mails, 1, "what was sent is not sent again with the retries");
}

/// The requester is told the outcome. An approval request that expired unanswered
/// reaches its requester (at their sign-in name) by e-mail once, however many `alerts send` run
/// at once or after, with the amount and a console link; the desk-wide address is told too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_approval_request_is_told_to_its_requester_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = database(dir.path()).await;
    let expired = chrono::Utc::now() - chrono::Duration::hours(1);
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let body = serde_json::json!({
        "id": "ap-expired-1", "status": "pending", "kind": "exchange", "customerId": contract::seed::CONTOSO,
        "sessionId": "xs-1", "reservationIds": [],
        "amount": { "amount": "31234.56", "currencyCode": "USD" },
        "requestedBy": { "userPrincipalName": "adam.agent@partner.example", "displayName": "Adam Agent" },
        "requestedAt": stamp(expired - chrono::Duration::days(7)), "expiresAt": stamp(expired)
    });
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("INSERT INTO approvals (id, kind, session_id, customer_id, status, created_at, body) VALUES ($1, 'exchange', 'xs-1', $2, 'pending', 0, $3)")
        .bind("ap-expired-1")
        .bind(contract::seed::CONTOSO)
        .bind(body.to_string())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let smtp = SmtpSink::start();
    let hook = Webhook::start(0).await;
    let env = settings(&smtp, &hook);

    let (a, b) = tokio::join!(alerts_send(&url, &env), alerts_send(&url, &env));
    assert!(a.0 && b.0, "{a:?} {b:?}");
    let (ok, log) = alerts_send(&url, &env).await;
    assert!(ok && log.contains("0 delivered, 0 failed"), "{log}");

    let messages = smtp.messages();
    let adam: Vec<String> =
        messages.iter().filter(|m| to(m) == "adam.agent@partner.example").map(|m| m.replace("=\r\n", "").replace("=\n", "")).collect();
    assert_eq!(adam.len(), 1, "once to the requester: {messages:?}");
    assert!(adam[0].contains("your exchange crediting 31234.56 USD for the returns (approval request ap-expired-1) expired without a decision"), "{}", adam[0]);
    assert!(adam[0].contains("https://desk.example/approvals"), "{}", adam[0]);
    assert!(!adam[0].contains("expires on"), "the requester gets the outcome, not the digest: {}", adam[0]);
    // Two senders at once: the outcome rides in the ops digest or, when the other sender queued
    // it after the digest was claimed, in an e-mail of its own; once either way (the rows below).
    let ops: Vec<String> =
        messages.iter().filter(|m| to(m) == "ops@example.com").map(|m| m.replace("=\r\n", "").replace("=\n", "")).collect();
    assert_eq!(ops.iter().filter(|m| m.contains("approval request ap-expired-1")).count(), 1, "{ops:?}");
    let rows = deliveries(&url).await;
    let outcome: Vec<_> = rows.iter().filter(|r| r.0 == "approvalOutcome/ap-expired-1/expired").collect();
    assert_eq!(outcome.len(), 3, "the requester, ALERT_EMAIL_TO and the webhook: {rows:?}");
    assert!(outcome.iter().all(|r| r.2 == "sent" && r.3 == 1), "{outcome:?}");
}

/// The settings of a run that e-mails ops@example.com (and the subscriber) through `smtp_url`,
/// and nothing else.
fn email_only(smtp_url: String) -> Vec<(&'static str, String)> {
    vec![
        ("SMTP_URL", smtp_url),
        ("ALERT_EMAIL_FROM", "Reservation Desk <alerts@desk.example>".into()),
        ("ALERT_EMAIL_TO", "ops@example.com".into()),
        ("ALERT_DESK_URL", "https://desk.example".into()),
        ("ALERT_RETRY_SECONDS", "1".into()),
    ]
}

/// The login the SMTP tests use.
const SMTP_USER: &str = "alerts@desk.example";
const SMTP_PASSWORD: &str = "s3cret-smtp-password";

fn with_login(mut env: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    env.push(("SMTP_USER", SMTP_USER.into()));
    env.push(("SMTP_PASSWORD", SMTP_PASSWORD.into()));
    env
}

fn sorted_recipients(messages: &[String]) -> Vec<&str> {
    let mut recipients: Vec<&str> = messages.iter().map(|m| to(m)).collect();
    recipients.sort();
    recipients
}

/// How the sink says a message's connection was protected (`TLSv1.3`, `none`).
fn tls_of(message: &str) -> &str {
    message.lines().nth(1).unwrap_or_default().trim_start_matches("Envelope-TLS: ")
}

/// E-mail with a login goes over STARTTLS to a server whose certificate a private certificate
/// authority issued, trusted through SMTP_CA_FILE (a file with two CA certificates): without the
/// file the certificate is not trusted and the server gets nothing; with it the digests and the
/// login arrive over TLS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_certificate_authority_in_smtp_ca_file_carries_the_digest_and_the_login_over_starttls() {
    let dir = tempfile::tempdir().unwrap();
    let url = database(dir.path()).await;
    let ca = private_ca(dir.path());
    let (cert, key) = (ca.cert.display().to_string(), ca.key.display().to_string());
    let smtp = SmtpSink::start_with(&["--tls", &cert, &key, "--login", SMTP_USER, SMTP_PASSWORD]);
    let mut env = with_login(email_only(smtp.url()));

    let (ok, log) = alerts_send(&url, &env).await;
    assert!(!ok, "a certificate no trusted root issued: {log}");
    assert!(smtp.messages().is_empty() && smtp.logins().is_empty(), "{:?} {:?}", smtp.messages(), smtp.logins());
    let rows = deliveries(&url).await;
    assert!(!rows.is_empty() && rows.iter().all(|r| r.2 == "failed" && r.4.as_deref().is_some_and(|e| e.contains("certificate"))), "{rows:?}");

    env.push(("SMTP_CA_FILE", ca.ca_file.display().to_string()));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await; // the retry's backoff
    let (ok, log) = alerts_send(&url, &env).await;
    assert!(ok, "{log}");
    let messages = smtp.messages();
    assert_eq!(sorted_recipients(&messages), ["gina.admin@partner.example", "ops@example.com"], "{log}");
    assert!(messages.iter().all(|m| tls_of(m).starts_with("TLSv1.")), "over TLS: {messages:?}");
    let logins = smtp.logins();
    assert!(!logins.is_empty() && logins.iter().all(|l| l.starts_with(&format!("{SMTP_USER} TLSv1."))), "the login over TLS: {logins:?}");
    let rows = deliveries(&url).await;
    assert!(rows.iter().all(|r| r.2 == "sent" && r.3 == 2), "{rows:?}");
}

/// Where TLS is required, a server that offers no STARTTLS (though it would take a password in
/// clear) gets nothing, neither the message nor the login, and each delivery is recorded as
/// failed saying so: `?tls=required`, and `smtp://` with a login even to this machine. Without a
/// login, `smtp://` to this machine still falls back to clear (the demo's local sink).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_starttls_gets_nothing_where_tls_is_required() {
    let smtp = SmtpSink::start_with(&["--login", SMTP_USER, SMTP_PASSWORD, "--login-in-clear"]);
    for env in [email_only(format!("{}?tls=required", smtp.url())), with_login(email_only(smtp.url()))] {
        let dir = tempfile::tempdir().unwrap();
        let url = database(dir.path()).await;
        let (ok, log) = alerts_send(&url, &env).await;
        assert!(!ok, "{log}");
        let rows = deliveries(&url).await;
        let refused = |e: &str| e.contains("offered no STARTTLS") && e.contains("TLS is required") && e.contains("nothing was sent in clear");
        assert!(!rows.is_empty() && rows.iter().all(|r| r.2 == "failed" && r.4.as_deref().is_some_and(refused)), "{env:?}: {rows:?}");
        assert!(smtp.messages().is_empty(), "{env:?}: {:?}", smtp.messages());
        assert!(smtp.logins().is_empty(), "the password never went out: {:?}", smtp.logins());
    }

    let dir = tempfile::tempdir().unwrap();
    let url = database(dir.path()).await;
    let (ok, log) = alerts_send(&url, &email_only(smtp.url())).await;
    assert!(ok, "{log}");
    let messages = smtp.messages();
    assert_eq!(sorted_recipients(&messages), ["gina.admin@partner.example", "ops@example.com"]);
    assert!(messages.iter().all(|m| tls_of(m) == "none"), "{messages:?}");
}

/// Starts the server with `env` and answers what it said when it stopped; panics if it is still
/// running after 30 s (it started).
fn refused_at_start(database: &str, env: &[(&str, String)]) -> String {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"))
        .args(["--database", database, "--listen", "127.0.0.1:0"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("the server started with {env:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// SMTP settings that could send the password in clear (`tls=opportunistic` with a login), or
/// that cannot be used (an unknown `tls=`, a CA file that cannot be read or holds no
/// certificate), stop the server at start and `alerts send` before anything is claimed, each
/// saying why; nothing reaches the SMTP server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsafe_or_unusable_smtp_settings_stop_the_server_and_alerts_send_saying_why() {
    let dir = tempfile::tempdir().unwrap();
    let url = database(dir.path()).await;
    let smtp = SmtpSink::start_with(&["--login", SMTP_USER, SMTP_PASSWORD, "--login-in-clear"]);
    let not_pem = dir.path().join("not-a-certificate.pem");
    std::fs::write(&not_pem, "this file holds no certificate\n").unwrap();
    let with_ca = |path: &std::path::Path| {
        let mut env = email_only(smtp.url());
        env.push(("SMTP_CA_FILE", path.display().to_string()));
        env
    };
    // The settings, and what the refusal must say.
    type Case = (Vec<(&'static str, String)>, &'static [&'static str]);
    let cases: [Case; 4] = [
        (with_login(email_only(format!("{}?tls=opportunistic", smtp.url()))), &["tls=opportunistic", "password", "in clear"]),
        (email_only(format!("{}?tls=always", smtp.url())), &["tls=\"always\"", "required, opportunistic"]),
        (with_ca(&dir.path().join("missing.pem")), &["SMTP_CA_FILE", "missing.pem", "cannot be read"]),
        (with_ca(&not_pem), &["SMTP_CA_FILE", "holds no certificate"]),
    ];
    for (env, why) in &cases {
        let (ok, log) = alerts_send(&url, env).await;
        assert!(!ok && why.iter().all(|w| log.contains(w)), "alerts send with {env:?}: {log}");
        let said = tokio::task::spawn_blocking({
            let (url, env) = (url.clone(), env.clone());
            move || refused_at_start(&url, &env)
        })
        .await
        .unwrap();
        assert!(why.iter().all(|w| said.contains(w)), "serving with {env:?}: {said}");
        assert!(!said.contains(SMTP_PASSWORD) && !log.contains(SMTP_PASSWORD), "the password is never shown");
    }
    assert!(smtp.messages().is_empty() && smtp.logins().is_empty());
    assert!(deliveries(&url).await.is_empty(), "nothing was claimed");
}
