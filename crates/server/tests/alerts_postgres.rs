//! Issue 32, part 1, with several senders on one PostgreSQL database: four `alerts send`
//! processes at once and then a fifth (a restart) deliver each digest once to the real SMTP
//! server (aiosmtpd) and the webhook; a failed webhook delivery retried by three processes at
//! once is delivered once.

mod alert_receivers;
mod common_postgres;

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
    env.push(("ALERT_RETRY_SECONDS", "3".into())); // longer than the runs below take
    let runs = futures::future::join_all((0..4).map(|_| alerts_send(&url, &env))).await;
    let failures = runs.iter().filter(|(ok, _)| !ok).count();
    assert_eq!(failures, 1, "only the process that claimed the webhook's alerts saw it fail: {runs:?}");
    let (_, log) = alerts_send(&url, &env).await;
    assert!(log.contains("0 delivered"), "a restart within the backoff sends nothing: {log}");

    let mut recipients: Vec<String> = smtp.messages().iter().map(|m| m.lines().next().unwrap().to_owned()).collect();
    recipients.sort();
    assert_eq!(recipients, ["Envelope-To: gina.admin@partner.example", "Envelope-To: ops@example.com"]);
    assert_eq!(hook.bodies().len(), 0);

    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
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
