//! With several senders on one PostgreSQL database: four `alerts send`
//! processes at once and then a fifth (a restart) deliver each digest once to the real SMTP
//! server (aiosmtpd) and the webhook; a failed webhook delivery retried by three processes at
//! once is delivered once; a sender whose lease ran out, and whose deliveries another sender took
//! over, cannot overwrite that sender's outcome.

use crate::alert_receivers;
use crate::common_postgres;

use alert_receivers::{alerts_send, settings, SmtpSink, Webhook, SUBSCRIBER};
use sqlx::{Connection, PgConnection};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_senders_on_one_database_send_each_alert_once_and_retry_a_failure_once() {
    let url = common_postgres::fresh_database().await;
    let (ok, log) = alerts_send(&url, &[]).await;
    assert!(ok, "{log}");
    let mut conn = PgConnection::connect(&url).await.unwrap();
    sqlx::query("INSERT INTO alert_subscriptions (user_name, customer_id, created_at) VALUES ($1, $2, 0)")
        .bind(SUBSCRIBER)
        .bind(contract::seed::CONTOSO)
        .execute(&mut conn)
        .await
        .unwrap();

    let smtp = SmtpSink::start();
    let hook = Webhook::start(1).await; // the first call answers 503
    let mut env = settings(&smtp, &hook);
    env.retain(|(k, _)| *k != "ALERT_RETRY_SECONDS");
    // Far longer than the runs below take, even with a clean clone's builds on both cores (at
    // 3 s, five processes of a loaded machine once outlasted it and the restart retried).
    const BACKOFF: std::time::Duration = std::time::Duration::from_secs(15);
    env.push(("ALERT_RETRY_SECONDS", BACKOFF.as_secs().to_string()));
    let first_runs = std::time::Instant::now();
    let runs = futures::future::join_all((0..4).map(|_| alerts_send(&url, &env))).await;
    let first_runs_done = std::time::Instant::now(); // the webhook failed before this
    let failures = runs.iter().filter(|(ok, _)| !ok).count();
    assert_eq!(failures, 1, "only the process that claimed the webhook's alerts saw it fail: {runs:?}");
    let (_, log) = alerts_send(&url, &env).await;
    let elapsed = first_runs.elapsed();
    assert!(elapsed < BACKOFF, "the runs outlasted the backoff ({elapsed:?}): the restart below would check nothing");
    assert!(log.contains("0 delivered"), "a restart within the backoff ({elapsed:?} after the first runs) sends nothing: {log}");

    let mut recipients: Vec<String> = smtp.messages().iter().map(|m| m.lines().next().unwrap().to_owned()).collect();
    recipients.sort();
    assert_eq!(recipients, ["Envelope-To: gina.admin@partner.example", "Envelope-To: ops@example.com"]);
    assert_eq!(hook.bodies().len(), 0);

    tokio::time::sleep_until((first_runs_done + BACKOFF + std::time::Duration::from_millis(100)).into()).await;
    let runs = futures::future::join_all((0..3).map(|_| alerts_send(&url, &env))).await;
    assert!(runs.iter().all(|(ok, _)| *ok), "{runs:?}");
    assert_eq!(hook.bodies().len(), 1, "the retry is claimed by one process");
    assert_eq!(smtp.messages().len(), 2, "nothing sent twice");
    let (sent, attempts): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*) FILTER (WHERE status = 'sent'), MAX(attempts) FROM alert_deliveries WHERE recipient = 'webhook'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    let (all,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM alert_deliveries WHERE recipient = 'webhook'").fetch_one(&mut conn).await.unwrap();
    assert_eq!((sent, attempts), (all, 2));
    conn.close().await.ok();
}

/// Two senders on one database (each its own connection pool): the first claims the digest to
/// the webhook, its lease (`ALERT_LEASE_SECONDS`) runs out before it records anything, and the
/// second takes every delivery over. Whether the first one records its failure before or after
/// the second records its success, the first writes nothing (and is told so) and the second's
/// outcome stands: sent, one attempt, no error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_past_its_lease_cannot_overwrite_the_outcome_of_the_sender_that_took_over() {
    use reservation_desk_server::server_store::ServerStore;
    let url = common_postgres::fresh_database().await;
    let key = desk::audit_chain::ChainKey::none();
    let sender = |store: ServerStore| desk::Desk::new(store, reservation_desk_server::state::UuidIds, contract::Settings::default());
    let first = sender(ServerStore::open(&url, &key).await.unwrap());
    let second = sender(ServerStore::open(&url, &key).await.unwrap());
    let webhook = desk::desk::Recipients { emails: vec![], webhook: true, email: false };

    let now = chrono::Utc::now();
    let claimed = first.claim_due_alerts(now, &webhook).await.unwrap();
    assert!(claimed.len() >= 2, "the demo data's alerts: {claimed:?}");
    let later = now + chrono::Duration::seconds(desk::desk::ALERT_LEASE_SECONDS + 1);
    let taken = second.claim_alert_retries(later).await.unwrap();
    assert_eq!(taken.len(), claimed.len(), "the second sender takes over every delivery whose lease ran out");

    let (before, after) = claimed.split_at(claimed.len() / 2);
    for c in before {
        let recorded = first.alert_failed(c, "webhook: timed out", 60, later).await.unwrap();
        assert!(!recorded, "the first sender no longer holds {}", c.alert.key);
    }
    for c in &taken {
        assert!(second.alert_sent(c, later).await.unwrap(), "the second sender holds {}", c.alert.key);
    }
    for c in after {
        let recorded = first.alert_failed(c, "webhook: timed out", 60, later).await.unwrap();
        assert!(!recorded, "the first sender no longer holds {}", c.alert.key);
    }

    let mut conn = PgConnection::connect(&url).await.unwrap();
    type Row = (String, String, i64, Option<String>, Option<i64>);
    let rows: Vec<Row> =
        sqlx::query_as("SELECT alert_key, status, attempts, last_error, next_attempt_at FROM alert_deliveries WHERE recipient = 'webhook' ORDER BY alert_key")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(rows.len(), claimed.len());
    for (key, status, attempts, error, next) in rows {
        assert_eq!((status.as_str(), attempts, error, next), ("sent", 1, None, None), "{key}: the second sender's outcome stands");
    }
    conn.close().await.ok();
    first.store().close().await;
    second.store().close().await;
}
