//! The deployment's refund policy governs every refund that moves money.
//! The server takes it from `REFUND_POLICY` (`--refund-policy`), `azure-current` unless set,
//! answers it at `GET /api/settings`, and quotes a request naming no policy by it; a wrong name
//! stops the server at start, naming the valid ones. (The what-if sessions' refusal on every
//! store is the contract suite's; the Azure surface's is `azure_api.rs`'s.)

use crate::server_process;

use serde_json::json;
use server_process::{get, request, Server};

/// Fabrikam (headroom under its limit), as the seed has it.
const FABRIKAM: &str = contract::seed::FABRIKAM;

fn amount(money: &serde_json::Value) -> rust_decimal::Decimal {
    money["amount"].as_str().unwrap_or_else(|| panic!("not money: {money}")).parse().unwrap()
}

#[tokio::test]
async fn a_server_started_with_refund_policy_partner_center_2020_quotes_with_the_fee_and_refunds_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/desk.sqlite", dir.path().display());
    let server = Server::spawn_with_env(&url, &[], &[("REFUND_POLICY", "partner-center-2020")]).ready();
    server.wait_for_log("refunds are carried out under the partner-center-2020 policy", std::time::Duration::from_secs(10));
    assert_eq!(get(server.port, "/api/settings").await, json!({ "refundPolicy": "partner-center-2020", "approvalExpiryHours": 168 }));

    // A request naming no policy: the 2020 preset's 12 % fee past the 5-day grace period.
    let list = get(server.port, &format!("/api/customers/{FABRIKAM}/reservations")).await;
    let mut charged = None;
    for r in list.as_array().unwrap().iter().filter(|r| r["provisioningState"] == "Succeeded") {
        let path = format!("/api/reservationOrders/{}/calculateRefund", r["reservationOrderId"].as_str().unwrap());
        let (status, calc) = request(server.port, "POST", &path, Some(&json!({ "reservationId": r["id"], "quantity": 1 }))).await;
        assert_eq!(status, 200, "{calc}");
        if !amount(&calc["quote"]["earlyTerminationFee"]).is_zero() {
            charged = Some((r.clone(), calc));
            break;
        }
    }
    let (r, calc) = charged.expect("a Fabrikam reservation past the grace period is charged the fee");
    assert_eq!((calc["policy"].as_str(), calc["whatIf"].as_bool()), (Some("partner-center-2020"), Some(false)), "{calc}");
    let order = r["reservationOrderId"].as_str().unwrap();
    let (status, done) = request(
        server.port,
        "POST",
        &format!("/api/reservationOrders/{order}/return"),
        Some(&json!({ "sessionId": calc["sessionId"], "returnReason": "No longer needed" })),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["quote"]["earlyTerminationFee"], calc["quote"]["earlyTerminationFee"], "the fee was deducted");

    // Azure's policy is the what-if on this deployment.
    let path = format!("/api/reservationOrders/{order}/calculateRefund");
    let (_, what_if) = request(server.port, "POST", &path, Some(&json!({ "reservationId": r["id"], "quantity": 1, "policy": "azure-current" }))).await;
    assert_eq!(what_if["whatIf"], true, "{what_if}");
    let (status, problem) = request(
        server.port,
        "POST",
        &format!("/api/reservationOrders/{order}/return"),
        Some(&json!({ "sessionId": what_if["sessionId"], "returnReason": "No longer needed" })),
    )
    .await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("policyNotDeployed")), "{problem}");
}

#[tokio::test]
async fn a_server_started_without_refund_policy_applies_azure_current() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/desk.sqlite", dir.path().display());
    if std::env::var_os("REFUND_POLICY").is_some() {
        return; // the server would read it
    }
    let server = Server::start(&url, &[]);
    assert_eq!(get(server.port, "/api/settings").await, json!({ "refundPolicy": "azure-current", "approvalExpiryHours": 168 }));
}

#[test]
fn an_unknown_refund_policy_stops_the_server_at_start_naming_the_valid_ones() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"))
        .args(["--listen", "127.0.0.1:0", "--database"])
        .arg(dir.path().join("desk.sqlite"))
        .env("REFUND_POLICY", "azure")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "a usage error: {stderr}");
    assert!(stderr.contains("--refund-policy") && stderr.contains("partner-center-2020, azure-current"), "{stderr}");
    assert!(!dir.path().join("desk.sqlite").exists(), "nothing was opened");
}
