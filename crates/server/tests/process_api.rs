//! Issue 17: the server as a process. Killed with SIGKILL in the middle of a burst of returns and
//! started again on the same file, every return it answered 200 is applied, none twice, and the
//! database opens cleanly; SIGTERM stops it gracefully (no new connections, the request in
//! flight answered, exit 0); a client that sends its headers a byte at a time is dropped.

mod server_process;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use server_process::{get, parse, request, send, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The server on the SQLite file `database` with `extra` flags, listening.
fn start(database: &Path, extra: &[&str]) -> Server {
    Server::start(&format!("sqlite://{}", database.display()), extra)
}

/// Every reservation of every customer: `(orderId, id) → quantity`, and the active ones.
async fn holdings(port: u16) -> (HashMap<(String, String), u64>, Vec<Value>) {
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
async fn recorded_refunds(database: &Path) -> Vec<(String, String, String, i64, String)> {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(database).read_only(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
    assert_eq!(check, "ok", "the database is not intact after the crash");
    let rows = sqlx::query_as("SELECT session_id, reservation_order_id, reservation_id, quantity, response FROM refunds")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_mid_burst_every_answered_return_is_applied_once_and_the_database_opens_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("crash.sqlite");
    let mut server = start(&database, &[]);
    let (original, _) = holdings(server.port).await;
    let mut answered_ok: HashMap<String, Value> = HashMap::new();
    let mut kills = 0;
    for round in 0..3 {
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
        let answers = Arc::new(AtomicUsize::new(0));
        let kill_after = sessions.len() / 2;
        let port = server.port;
        let mut burst = Vec::new();
        for (order, session) in sessions.iter().chain(sessions.iter()) {
            let (order, session, answers) = (order.clone(), session.clone(), answers.clone());
            burst.push(tokio::spawn(async move {
                let body = json!({ "sessionId": session, "returnReason": "No longer needed" });
                let result = send(port, "POST", &format!("/api/reservationOrders/{order}/return"), Some(&body)).await;
                answers.fetch_add(1, Ordering::SeqCst);
                (session, result)
            }));
        }
        let started = Instant::now();
        while answers.load(Ordering::SeqCst) < kill_after && started.elapsed() < Duration::from_secs(60) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
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
        server = start(&database, &[]);
        let refunds = recorded_refunds(&database).await;
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
            assert_eq!(recorded_refunds(&database).await.len(), refunds.len());
        }
    }
    assert_eq!(kills, 3);
    assert!(!answered_ok.is_empty(), "no return was answered before the kills");
    println!("crashes survived: {kills}; returns answered 200 before a kill: {}", answered_ok.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_refuses_new_connections_answers_the_request_in_flight_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(&dir.path().join("term.sqlite"), &[]);
    let port = server.port;
    // A request whose body is half sent when the signal comes.
    let body = json!({
        "policy": "azure-current", "asOf": "2025-03-01", "quantity": 1,
        "reservation": { "reservationId": "r", "reservationOrderId": "o", "quantity": 1, "term": "P1Y", "billingPlan": "Upfront",
                         "purchaseDate": "2024-09-01", "billingCurrency": "USD",
                         "unitPrice": { "amount": "1200.00", "currencyCode": "USD" } }
    })
    .to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head = format!(
        "POST /api/quotes/refund HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer demo-admin-agent\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let (first, rest) = body.split_at(body.len() / 2);
    stream.write_all(format!("{head}{first}").as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    server.signal("TERM");
    let started = Instant::now();
    while !server.log().contains("shutting down") && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(server.log().contains("SIGTERM received"), "{}", server.log());
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err(), "a new connection was accepted after SIGTERM");

    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let (status, quote) = parse(&answer).unwrap();
    assert!(status == 200 || status == 400, "the request in flight was answered {status}: {quote}");
    assert!(quote.is_object(), "{quote}");
    let exit = server.wait(Duration::from_secs(10));
    assert!(exit.success(), "exit {exit:?}; log:\n{}", server.log());
    assert!(server.log().contains("every connection closed"), "{}", server.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sending_its_headers_a_byte_at_a_time_is_dropped_and_others_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("slow.sqlite"), &["--read-timeout", "1"]);
    let mut slow = TcpStream::connect(("127.0.0.1", server.port)).await.unwrap();
    let started = Instant::now();
    let mut dropped = false;
    for byte in b"GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n" {
        if slow.write_all(&[*byte]).await.is_err() {
            dropped = true;
            break;
        }
        let mut buffer = [0u8; 256];
        match tokio::time::timeout(Duration::from_millis(500), slow.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                dropped = true;
                break;
            }
            Ok(Ok(_)) => {} // hyper may answer 408 before closing
            Err(_) => {}    // nothing yet: send the next byte
        }
        if started.elapsed() > Duration::from_secs(20) {
            break;
        }
    }
    assert!(dropped, "the slow client was still connected after {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(5), "dropped only after {:?}", started.elapsed());
    assert_eq!(get(server.port, "/api/me").await["role"], "GlobalAdmin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_backup_command_copies_a_live_database_that_a_server_then_opens() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("live.sqlite");
    let server = start(&database, &[]);
    let (_, active) = holdings(server.port).await;
    let r = &active[0];
    let path = format!("/api/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let (status, _) = request(server.port, "PATCH", &path, Some(&json!({ "displayName": "before-the-backup" }))).await;
    assert_eq!(status, 200);

    let copy = dir.path().join("copy.sqlite");
    let run = |target: &Path| {
        Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"))
            .arg("--database")
            .arg(format!("sqlite://{}", database.display()))
            .arg("backup")
            .arg(target)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let done = run(&copy);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let again = run(&copy);
    assert!(!again.status.success(), "a backup must not overwrite a file");
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"), "{}", String::from_utf8_lossy(&again.stderr));

    let restored = start(&copy, &[]);
    let (status, reservation) = request(restored.port, "GET", &path, None).await;
    assert_eq!((status, reservation["displayName"].as_str()), (200, Some("before-the-backup")), "{reservation}");
    assert_eq!(get(restored.port, "/api/audit/verify").await["intact"], true);
    drop(server);
}
