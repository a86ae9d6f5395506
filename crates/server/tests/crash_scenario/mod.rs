//! The crash scenario every store must survive (`process_api.rs` on SQLite,
//! `process_postgres.rs` on PostgreSQL).

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::time::Duration;

use serde_json::{json, Value};

use crate::server_process::{get, request, send, Server};

/// A refund as recorded: `(sessionId, orderId, reservationId, quantity, response JSON)`.
pub type RefundRow = (String, String, String, i64, String);

/// Every reservation of every customer: `(orderId, id) → quantity`, and the active ones.
pub async fn holdings(port: u16) -> (HashMap<(String, String), u64>, Vec<Value>) {
    let mut quantities = HashMap::new();
    let mut active = Vec::new();
    for customer in get(port, "/api/customers").await.as_array().unwrap() {
        let id = customer["id"].as_str().unwrap();
        for r in get(port, &format!("/api/customers/{id}/reservations")).await.as_array().unwrap() {
            let key = (r["reservationOrderId"].as_str().unwrap().to_owned(), r["id"].as_str().unwrap().to_owned());
            quantities.insert(key, r["quantity"].as_u64().unwrap());
            if r["provisioningState"] == "Succeeded" && r["quantity"].as_u64().unwrap() > 0 {
                active.push(r.clone());
            }
        }
    }
    (quantities, active)
}

/// The refunds recorded in the file: `(sessionId, orderId, reservationId, quantity, response)`.
/// SIGKILL in the middle of a burst of returns, `rounds` times, the server restarted on the same
/// database each time: every return answered 200 is recorded once with the very answer given
/// (`recorded` reads the refunds straight from the database, after checking it opens cleanly),
/// each reservation's quantity is its original less its refunds, the audit chain is intact,
/// every customer is within the limit, and a replay on the new process answers the same and
/// moves nothing. Returns the kills survived and the returns answered 200 before a kill.
pub async fn killed_mid_burst<F, Fut>(database: &str, rounds: usize, recorded: F) -> (usize, usize)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Vec<RefundRow>>,
{
    let mut server = Server::start(database, &[]);
    let (original, _) = holdings(server.port).await;
    let mut answered_ok: HashMap<String, Value> = HashMap::new();
    let mut kills = 0;
    for round in 0..rounds {
        // Quote one unit of up to 40 active reservations, then submit each session twice at once.
        let (_, active) = holdings(server.port).await;
        let mut sessions = Vec::new();
        for r in active.iter().take(40) {
            let order = r["reservationOrderId"].as_str().unwrap();
            let path = format!("/api/reservationOrders/{order}/calculateRefund");
            let (status, quote) = request(server.port, "POST", &path, Some(&json!({ "reservationId": r["id"], "quantity": 1 }))).await;
            assert_eq!(status, 200, "{quote}");
            sessions.push((order.to_owned(), quote["sessionId"].as_str().unwrap().to_owned()));
        }
        assert!(sessions.len() >= 20, "round {round}: only {} sessions", sessions.len());
        // Each request of the burst says when it is answered; the kill comes after half of them.
        let (answered, mut answers) = tokio::sync::mpsc::unbounded_channel::<()>();
        let kill_after = sessions.len() / 2;
        let port = server.port;
        let mut burst = Vec::new();
        for (order, session) in sessions.iter().chain(sessions.iter()) {
            let (order, session, answered) = (order.clone(), session.clone(), answered.clone());
            burst.push(tokio::spawn(async move {
                let body = json!({ "sessionId": session, "returnReason": "No longer needed" });
                let result = send(port, "POST", &format!("/api/reservationOrders/{order}/return"), Some(&body)).await;
                let _ = answered.send(());
                (session, result)
            }));
        }
        let half = async {
            for _ in 0..kill_after {
                answers.recv().await;
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(60), half).await;
        server.signal("KILL");
        let status = server.wait(Duration::from_secs(10));
        assert!(!status.success(), "killed, not exited: {status:?}");
        kills += 1;
        let mut lost = 0;
        for task in burst {
            match task.await.unwrap() {
                (session, Ok((200, body))) => {
                    if let Some(first) = answered_ok.insert(session.clone(), body.clone()) {
                        assert_eq!(first, body, "the same session answered two different results");
                    }
                }
                (_, Ok((409 | 503, _))) => {}
                (_, Ok((status, body))) => panic!("round {round}: unexpected {status}: {body}"),
                (_, Err(_)) => lost += 1,
            }
        }
        assert!(lost > 0, "round {round}: the kill came after the burst; nothing was cut off");

        // Started again on the same file: every answered return is there, once.
        server = Server::start(database, &[]);
        let refunds = recorded().await;
        let sessions_recorded: HashSet<&str> = refunds.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(sessions_recorded.len(), refunds.len(), "a session refunded twice");
        for (session, body) in &answered_ok {
            let row = refunds.iter().find(|r| &r.0 == session).unwrap_or_else(|| panic!("answered 200 but not applied: {session}"));
            assert_eq!(&serde_json::from_str::<Value>(&row.4).unwrap(), body, "the stored answer differs from the one given");
        }
        let (now, _) = holdings(server.port).await;
        for ((order, id), before) in &original {
            let returned: i64 = refunds.iter().filter(|r| &r.1 == order && &r.2 == id).map(|r| r.3).sum();
            let after = now.get(&(order.clone(), id.clone())).copied().unwrap_or(0);
            assert_eq!(*before as i64 - returned, after as i64, "{order}/{id}: quantity does not match its refunds");
        }
        let chain = get(server.port, "/api/audit/verify").await;
        assert_eq!(chain["intact"], true, "{chain}");
        for customer in get(server.port, "/api/customers").await.as_array().unwrap() {
            let limit = get(server.port, &format!("/api/customers/{}/refundLimit", customer["id"].as_str().unwrap())).await;
            let consumed: rust_decimal::Decimal = limit["consumed"]["amount"].as_str().unwrap().parse().unwrap();
            assert!(consumed <= rust_decimal::Decimal::from(50_000), "{limit}");
        }
        // A replay on the new process answers what the old one answered, and moves nothing.
        if let Some((session, body)) = answered_ok.iter().next() {
            let row = refunds.iter().find(|r| &r.0 == session).unwrap();
            let path = format!("/api/reservationOrders/{}/return", row.1);
            let replay = request(server.port, "POST", &path, Some(&json!({ "sessionId": session, "returnReason": "again" }))).await;
            assert_eq!(&replay, &(200, body.clone()));
            assert_eq!(recorded().await.len(), refunds.len());
        }
    }
    assert_eq!(kills, rounds);
    assert!(!answered_ok.is_empty(), "no return was answered before the kills");
    println!("crashes survived: {kills}; returns answered 200 before a kill: {}", answered_ok.len());
    (kills, answered_ok.len())
}

