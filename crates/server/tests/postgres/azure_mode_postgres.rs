//! The server and its commands open a PostgreSQL database in their mode (`opening.rs`), as a
//! SQLite one (tests/api/azure_mode_store_api.rs): `alerts send` leaves no demo customer in an
//! Azure-mode desk's database, and Azure mode refuses a database holding the demo.

use std::process::{Command, Output};

use desk::audit_chain::ChainKey;
use desk::store::Store;
use reservation_desk_server::opening::Opening;
use reservation_desk_server::server_store::ServerStore;

use crate::common_postgres;

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"));
    for name in ["DESK_SOURCE", "DATABASE_URL", "STATIC_DIR", "OIDC_ISSUER", "OIDC_AUDIENCE", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "DEMO_USERS"] {
        command.env_remove(name);
    }
    command.args(args).envs(env.iter().copied()).env("NO_COLOR", "1").output().unwrap()
}

async fn customers(url: &str) -> Vec<String> {
    let store = ServerStore::open_seeding(url, &ChainKey::none(), false).await.unwrap();
    let names = store.customers().await.unwrap().into_iter().map(|c| c.name).collect();
    store.close().await;
    names
}

fn said(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn alerts_send_leaves_no_demo_customer_in_an_azure_mode_database() {
    let url = common_postgres::fresh_database().await;
    let store = ServerStore::open_as(&url, &ChainKey::none(), Opening::Azure).await.unwrap();
    let settings = contract::Settings { source: contract::DataSource::Azure, ..Default::default() };
    desk::Desk::new(store.clone(), reservation_desk_server::state::UuidIds, settings).record_start(chrono::Utc::now()).await.unwrap();
    store.close().await;

    let sent = run(&["--database", &url, "alerts", "send"], &[("DESK_SOURCE", "azure")]);
    assert!(sent.status.success(), "{}", said(&sent));
    assert_eq!(customers(&url).await, Vec::<String>::new(), "no demo customer after alerts send");
    let unsaid = run(&["--database", &url, "alerts", "send"], &[]);
    assert!(!unsaid.status.success() && said(&unsaid).contains("DESK_SOURCE=azure"), "{}", said(&unsaid));
    assert_eq!(customers(&url).await, Vec::<String>::new(), "no demo customer after a refused alerts send");
}

#[tokio::test]
async fn azure_mode_refuses_a_postgres_database_holding_the_demo() {
    let url = common_postgres::fresh_database().await;
    let seed = reservation_desk_server::db::Seed::demo(chrono::Utc::now().date_naive());
    ServerStore::open_as(&url, &ChainKey::none(), Opening::Local(Some(seed))).await.unwrap().close().await;
    let started = run(
        &["--database", &url, "--source", "azure", "--oidc-issuer", "https://id.example", "--oidc-audience", "api"],
        &[("AZURE_CLIENT_ID", "desk-app"), ("AZURE_CLIENT_SECRET", "secret")],
    );
    assert!(!started.status.success(), "Azure mode on the demo's database");
    assert!(said(&started).contains("demo") && said(&started).contains("--database"), "{}", said(&started));
    let alerts = run(&["--database", &url, "alerts", "send"], &[("DESK_SOURCE", "azure")]);
    assert!(!alerts.status.success() && said(&alerts).contains("demo"), "{}", said(&alerts));
}
