//! Azure mode that runs by itself: a Global admin connects the desk once (`PUT
//! /api/source/connection`), the refresh token Entra gives is stored sealed, and the book is read
//! with it after a restart with nobody signed in; Entra's rotated tokens replace it; a revoked
//! grant stops the reads with the remedy shown and its alert claimed once. Reads of the book are
//! jobs (`POST /api/source/refresh` answers 202), one at a time across servers on one database,
//! and a later read of an unchanged book reads no order again.

use crate::alert_receivers;
use crate::azure_desk;
use crate::azure_stand_ins;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::*;
use reservation_desk_server::reads_store::ReadStore;
use serde_json::{json, Value};

/// Waits until the newest read of the book ended: that read.
async fn newest_read_ended(d: &Desk) -> Value {
    for _ in 0..400 {
        let (status, read) = d.call("GET", "/api/source/reads/latest", None).await;
        if status == StatusCode::OK && read["state"] != "reading" {
            return read;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no read ended in ten seconds");
}

/// Every byte of the database's files (the SQLite file and its write-ahead log).
fn database_bytes(d: &Desk) -> Vec<u8> {
    let file = d.database_url.trim_start_matches("sqlite://").to_owned();
    [file.clone(), format!("{file}-wal")].iter().filter_map(|f| std::fs::read(f).ok()).flatten().collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

async fn sealed(d: &Desk) -> String {
    d.state.desk.store().connection().await.unwrap().expect("connected").sealed
}

#[tokio::test]
async fn a_connected_desk_reads_after_a_restart_with_nobody_signed_in_and_never_shows_its_token() {
    let mut d = desk().await;
    let admin = d.global_admin();
    // An Admin agent may not connect the desk.
    let (status, problem) = d.call("PUT", "/api/source/connection", None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("roleForbids")), "{problem}");
    let (status, connection) = d.call_as(&admin, "PUT", "/api/source/connection", None).await;
    assert_eq!(status, StatusCode::OK, "{connection}");
    assert_eq!((&connection["state"], &connection["connectedBy"], &connection["canConnect"]), (&json!("connected"), &json!("Gina Global"), &json!(true)));
    // Connecting reads the book with the connection at once.
    let first = newest_read_ended(&d).await;
    assert_eq!((&first["state"], &first["unattended"], &first["read"], &first["failed"]), (&json!("done"), &json!(true), &json!(3), &json!(2)), "{first}");
    let issued = d.stand_ins.refresh_tokens();
    assert!(issued.len() >= 2, "the connection's token, and rotated ones: {issued:?}");

    // The server stops; it starts again and nobody signs in: the background reads with the
    // stored connection, sealed under the key on disk.
    let before_restart = sealed(&d).await;
    let partner_refreshed = d.stand_ins.record(|r| r.refreshed.get(PARTNER_TENANT).copied().unwrap_or(0));
    d.restart().await;
    reservation_desk_server::source::background(d.state.clone());
    let mut after = newest_read_ended(&d).await;
    for _ in 0..200 {
        if after["id"] != first["id"] {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        after = newest_read_ended(&d).await;
    }
    assert_ne!(after["id"], first["id"], "a read after the restart");
    assert_eq!((&after["state"], &after["unattended"], &after["startedBy"]), (&json!("done"), &json!(true), &json!("Gina Global")), "{after}");
    d.stand_ins.record(|r| assert!(r.refreshed[PARTNER_TENANT] > partner_refreshed, "Partner Center's token from the stored grant"));
    // Each rotated refresh token Entra returned replaced the stored one (sealed as the token
    // comes back, which on a busy machine may be a moment after the read says it is done).
    let mut now_sealed = sealed(&d).await;
    for _ in 0..200 {
        if now_sealed != before_restart {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        now_sealed = sealed(&d).await;
    }
    assert_ne!(now_sealed, before_restart, "the rotated token was sealed in place of the stored one");
    // The daily digest is built from that read: the stand-ins' reservations end on 10 January
    // 2027, within 90 days.
    let hook = alert_receivers::Webhook::start(0).await;
    let config = <reservation_desk_server::config::Config as clap::Parser>::try_parse_from([
        "reservation-desk-server",
        "--alert-webhook-url",
        &hook.url,
        "--alert-desk-url",
        "https://desk.example",
    ])
    .unwrap();
    let report = reservation_desk_server::alerts::send_due(&d.state.desk, &config.alert_delivery(), d.state.now()).await.unwrap();
    assert!(report.sent > 0 && report.failed == 0 && !report.postponed, "{report:?}");
    assert_eq!(hook.bodies().len(), 1, "one digest to the webhook");
    let digest = &hook.bodies()[0].body;
    assert!(digest.contains("contoso vm 1") && digest.contains("fabrikam sql"), "{digest}");

    // The refresh token is nowhere in clear: not in the database's files, not in an answer.
    let bytes = database_bytes(&d);
    for token in d.stand_ins.refresh_tokens() {
        assert!(!contains(&bytes, &token), "{token} is in the database in clear");
    }
    let (_, connection) = d.call("GET", "/api/source/connection", None).await;
    assert!(!connection.to_string().contains("rt."), "{connection}");

    // Money and changes move only on behalf of the signed-in user who asked: the reads with the
    // stored grant sent ARM no change (today's price, `calculatePrice`, is a POST that changes
    // nothing), and a change now goes with the user's own token.
    d.stand_ins.record(|r| {
        assert!(r.changes_by_grant.iter().all(|(path, _)| path == "/providers/Microsoft.Capacity/calculatePrice"), "{:?}", r.changes_by_grant)
    });
    let (status, changed) = d.call("PATCH", "/api/reservationOrders/order-c/reservations/res-c1", Some(json!({"displayName": "renamed"}))).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    d.stand_ins.record(|r| {
        let changes: Vec<_> = r.changes_by_grant.iter().filter(|(path, _)| path != "/providers/Microsoft.Capacity/calculatePrice").collect();
        assert!(!changes.is_empty() && changes.iter().all(|(_, via)| via == "obo"), "{:?}", r.changes_by_grant);
    });
}

#[tokio::test]
async fn a_revoked_grant_stops_the_reads_with_the_remedy_and_its_alert_is_claimed_once() {
    let mut d = desk().await;
    let admin = d.global_admin();
    assert_eq!(d.call_as(&admin, "PUT", "/api/source/connection", None).await.0, StatusCode::OK);
    newest_read_ended(&d).await;
    // An administrator revokes the user's sessions in Entra; the access tokens held in memory
    // are gone with a restart, and the stored grant is refused when the next read redeems it.
    d.stand_ins.revoke_grants();
    d.restart().await;
    let who = reservation_desk_server::source::reads::background_reader(&d.state).await;
    assert!(matches!(who, Some(reservation_desk_server::source::reads::ReadFor::Connection(_))));
    let started = reservation_desk_server::source::reads::start(&d.state, who.unwrap()).await.unwrap();
    let failed = follow(&d, &started.id).await;
    assert_eq!((&failed["state"], &failed["error"]["code"]), (&json!("failed"), &json!("invalid_grant")), "{failed}");
    // The connection shows it lost, with Entra's reason: connect again.
    let (_, connection) = d.call("GET", "/api/source/connection", None).await;
    assert_eq!((&connection["state"], &connection["error"]["code"]), (&json!("lost"), &json!("invalid_grant")), "{connection}");
    assert!(connection["error"]["message"].as_str().unwrap().contains("AADSTS50173"), "{connection}");
    // The background stops cleanly: no stored grant to read with, and nobody signed in here.
    assert!(reservation_desk_server::source::reads::background_reader(&d.state).await.is_none());
    // One alert: the first sender claims it, nobody after.
    let store = d.state.desk.store();
    assert!(store.claim_connection_alert().await.unwrap().is_some_and(|c| c.user_name == "Gina Global"));
    assert!(store.claim_connection_alert().await.unwrap().is_none());
    // The digest sends no alert built on a failed read; one notice says why, once.
    assert_eq!(reservation_desk_server::alerts::book(&d.state.desk).await.unwrap(), reservation_desk_server::alerts::Book::Unread(Box::new(serde_json::from_value(failed.clone()).unwrap())));
    let (subject, text) = reservation_desk_server::alerts::unread_notice(&serde_json::from_value(failed.clone()).unwrap(), "https://desk.example");
    assert!(subject.contains("could not be read") && text.contains("AADSTS50173") && text.contains("connect the desk again"), "{text}");
    let hook = alert_receivers::Webhook::start(0).await;
    let config = <reservation_desk_server::config::Config as clap::Parser>::try_parse_from([
        "reservation-desk-server",
        "--alert-webhook-url",
        &hook.url,
        "--alert-desk-url",
        "https://desk.example",
    ])
    .unwrap();
    for _ in 0..2 {
        reservation_desk_server::alerts::send_due(&d.state.desk, &config.alert_delivery(), d.state.now()).await.unwrap();
    }
    let sent = hook.bodies();
    assert_eq!(sent.len(), 1, "one notice, once: {sent:?}");
    assert!(sent[0].body.contains("could not be read") && !sent[0].body.contains("contoso vm"), "no alert built on the read before: {}", sent[0].body);
    // Connecting again works.
    let (status, connection) = d.call_as(&admin, "PUT", "/api/source/connection", None).await;
    assert_eq!((status, &connection["state"]), (StatusCode::OK, &json!("connected")), "{connection}");
    let read = newest_read_ended(&d).await;
    assert_eq!(read["state"], "done", "{read}");
}

#[tokio::test]
async fn two_servers_on_one_database_read_one_at_a_time_and_both_show_the_progress() {
    let d = desk().await;
    let second = d.second_server().await;
    let (status, started) = d.call("POST", "/api/source/refresh", None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let asked = {
        use axum::body::Body;
        use axum::http::{header, Request};
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let request = Request::builder().method("POST").uri("/api/source/refresh").header(header::AUTHORIZATION, format!("Bearer {}", d.token)).body(Body::empty()).unwrap();
        let response = second.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        let location = response.headers()[header::LOCATION].to_str().unwrap().to_owned();
        let body: Value = serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
        (location, body)
    };
    let ended = follow(&d, started["id"].as_str().unwrap()).await;
    if started["state"] == "reading" && ended["finishedAt"].as_str() > asked.1["startedAt"].as_str() {
        // Asked while the first ran: the second server answered the same read.
        assert_eq!(asked.1["id"], started["id"], "one read at a time: {} {}", asked.1, started);
        assert_eq!(asked.0, format!("/api/source/reads/{}", started["id"].as_str().unwrap()));
    }
    d.stand_ins.record(|r| assert_eq!(r.partner_center_pages, if asked.1["id"] == started["id"] { 3 } else { 6 }, "Partner Center read once per read"));
    assert_eq!((&ended["total"], &ended["read"], &ended["failed"]), (&json!(5), &json!(3), &json!(2)), "{ended}");
}

#[tokio::test]
async fn a_later_read_reads_no_order_again_unless_its_reservations_changed() {
    let d = desk().await;
    read(&d).await;
    let first = d.stand_ins.record(|r| (r.orders.clone(), r.requests));
    assert_eq!((first.0["order-c"], first.0["order-f"]), (1, 1));
    read(&d).await;
    let second = d.stand_ins.record(|r| (r.orders.clone(), r.requests));
    assert_eq!(second.0, first.0, "no order read again: their prices never change");
    // A split in Azure changes what the list says of order-c: it alone is read again.
    d.stand_ins.tenant("tenant-contoso", |t| {
        let Some(Tenant::Reservations(all)) = t else { panic!() };
        all[0]["properties"]["quantity"] = json!(0);
        all.push(reservation("order-c", "res-c9", "contoso vm 9", 1, 80.0));
    });
    read(&d).await;
    d.stand_ins.record(|r| assert_eq!((r.orders["order-c"], r.orders["order-f"]), (2, 1), "{:?}", r.orders));
}
