//! The server and every command open the database in their mode (`opening.rs`): on an Azure-mode
//! desk's SQLite database, `alerts send` (what cron runs) and `backup` add no demo customer; Azure
//! mode refuses a database that holds the demo, and a static build that runs the demo in the
//! browser, each with a message that says what to do. (PostgreSQL: tests/postgres/azure_mode_postgres.rs.)

use std::process::{Command, Output};

use desk::audit_chain::ChainKey;
use desk::store::Store;
use reservation_desk_server::opening::Opening;
use reservation_desk_server::server_store::ServerStore;

/// The server binary with `args`, `env` set, and nothing of the test's own environment that
/// configures it.
pub fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"));
    for name in ["DESK_SOURCE", "DATABASE_URL", "STATIC_DIR", "OIDC_ISSUER", "OIDC_AUDIENCE", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "DEMO_USERS"] {
        command.env_remove(name);
    }
    command.args(args).envs(env.iter().copied()).env("NO_COLOR", "1").output().unwrap()
}

/// What Azure mode needs besides the database, so that a start gets as far as opening it.
pub const AZURE: &[&str] = &["--source", "azure", "--oidc-issuer", "https://id.example", "--oidc-audience", "api"];
pub const AZURE_APP: &[(&str, &str)] = &[("AZURE_CLIENT_ID", "desk-app"), ("AZURE_CLIENT_SECRET", "secret")];

/// An Azure-mode desk's database at `url`: opened as Azure mode opens it, and its start
/// recorded, as a server in Azure mode leaves it before any customer is read.
pub async fn azure_database(url: &str) {
    let store = ServerStore::open_as(url, &ChainKey::none(), Opening::Azure).await.unwrap();
    let settings = contract::Settings { source: contract::DataSource::Azure, ..Default::default() };
    let desk = desk::Desk::new(store.clone(), reservation_desk_server::state::UuidIds, settings);
    desk.record_start(chrono::Utc::now()).await.unwrap();
    store.close().await;
}

/// A database holding the demo, as local mode leaves it.
pub async fn demo_database(url: &str) {
    let seed = reservation_desk_server::db::Seed::demo(chrono::Utc::now().date_naive());
    ServerStore::open_as(url, &ChainKey::none(), Opening::Local(Some(seed))).await.unwrap().close().await;
}

/// The customers of the database at `url`, read without opening it in a mode (nothing seeded).
pub async fn customers(url: &str) -> Vec<String> {
    let store = ServerStore::open_seeding(url, &ChainKey::none(), false).await.unwrap();
    let names = store.customers().await.unwrap().into_iter().map(|c| c.name).collect();
    store.close().await;
    names
}

fn said(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_send_and_backup_leave_no_demo_customer_in_an_azure_mode_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/azure.sqlite", dir.path().display());
    azure_database(&url).await;

    // As deploy.md's cron line runs it, in Azure mode.
    let sent = run(&["--database", &url, "alerts", "send"], &[("DESK_SOURCE", "azure")]);
    assert!(sent.status.success(), "{}", said(&sent));
    assert_eq!(customers(&url).await, Vec::<String>::new(), "no demo customer after alerts send");
    let flag = run(&["--database", &url, "alerts", "send", "--source", "azure"], &[]);
    assert!(flag.status.success(), "--source after the command: {}", said(&flag));

    // Run without the mode (a cron line written before): refused, and nothing seeded.
    let unsaid = run(&["--database", &url, "alerts", "send"], &[]);
    assert!(!unsaid.status.success(), "local mode on an Azure-mode database");
    assert!(said(&unsaid).contains("DESK_SOURCE=azure"), "{}", said(&unsaid));
    assert_eq!(customers(&url).await, Vec::<String>::new(), "no demo customer after a refused alerts send");

    // A backup copies the database as it is.
    let copy = dir.path().join("copy.sqlite");
    let backup = run(&["--database", &url, "backup", copy.to_str().unwrap()], &[]);
    assert!(backup.status.success(), "{}", said(&backup));
    assert_eq!(customers(&url).await, Vec::<String>::new(), "no demo customer after backup");
    assert_eq!(customers(&format!("sqlite://{}", copy.display())).await, Vec::<String>::new(), "none in the copy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn azure_mode_refuses_a_database_holding_the_demo_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/demo.sqlite", dir.path().display());
    demo_database(&url).await;
    let before = customers(&url).await;
    assert!(before.iter().any(|c| c == "Contoso Ltd"), "{before:?}");

    let started = run(&[&["--database", &url], AZURE].concat(), AZURE_APP);
    assert!(!started.status.success(), "Azure mode on the demo's database");
    let message = said(&started);
    for words in ["demo", "--database", "delete the file"] {
        assert!(message.contains(words), "{words:?} in {message}");
    }
    let alerts = run(&["--database", &url, "alerts", "send"], &[("DESK_SOURCE", "azure")]);
    assert!(!alerts.status.success() && said(&alerts).contains("demo"), "{}", said(&alerts));
    assert_eq!(customers(&url).await, before, "nothing changed");

    // The demo itself still opens in local mode.
    let local = run(&["--database", &url, "alerts", "send"], &[]);
    assert!(local.status.success(), "{}", said(&local));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn azure_mode_refuses_to_serve_a_static_build_that_runs_the_demo_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/azure.sqlite", dir.path().display());
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html></html>").unwrap();
    std::fs::write(dist.join(reservation_desk_server::static_files::BACKEND_FILE), "in-browser\n").unwrap();
    let started = run(&[&["--database", &url, "--static-dir", dist.to_str().unwrap()], AZURE].concat(), AZURE_APP);
    assert!(!started.status.success(), "an in-browser build served in Azure mode");
    let message = said(&started);
    assert!(message.contains("in the browser") && message.contains("RESERVATION_DESK_API=/api"), "{message}");
    assert!(!dir.path().join("azure.sqlite").exists(), "refused before the database was opened");
}
