//! The server as a process. Killed with SIGKILL in the middle of a burst of returns and
//! started again on the same file, every return it answered 200 is applied, none twice, and the
//! database opens cleanly; SIGTERM stops it gracefully (no new connections, the request in
//! flight answered, exit 0); a client that sends its headers a byte at a time is dropped.

use crate::crash_scenario;
use crate::server_process;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;
use crash_scenario::holdings;
use server_process::{get, parse, request, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The server on the SQLite file `database` with `extra` flags, listening.
fn start(database: &Path, extra: &[&str]) -> Server {
    Server::start(&format!("sqlite://{}", database.display()), extra)
}

async fn recorded_refunds(database: &Path) -> Vec<crash_scenario::RefundRow> {
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
    let url = format!("sqlite://{}", database.display());
    let (kills, _) = crash_scenario::killed_mid_burst(&url, 3, || recorded_refunds(&database)).await;
    assert_eq!(kills, 3);
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
    // `Expect: 100-continue`: the server says "100 Continue" once the request is in flight (the
    // handler has begun reading the body), which is the moment the signal must find.
    let head = format!(
        "POST /api/quotes/refund HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer demo-admin-agent\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let interim = tokio::time::timeout(Duration::from_secs(10), read_head(&mut stream)).await.expect("an interim answer within 10 s");
    assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");
    let (first, rest) = body.split_at(body.len() / 2);
    stream.write_all(first.as_bytes()).await.unwrap();

    server.signal("TERM");
    server.wait_for_log("shutting down", Duration::from_secs(10));
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

/// Reads an answer's head (up to the blank line) from `stream`, byte by byte.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8];
        assert_eq!(stream.read(&mut byte).await.unwrap(), 1, "the connection closed after {:?}", String::from_utf8_lossy(&head));
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap()
}

/// The slowness is what is tested here: the client sends one byte, then waits up to half a
/// second for the server to drop it, byte after byte, and the server must drop it within its
/// one-second header read timeout (not after the 20 s the whole head would take).
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_with_an_audit_key_links_keyed_entries_and_never_shows_the_key() {
    // Finding 7: AUDIT_HMAC_KEY makes the chain an HMAC chain; the key is never logged.
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("keyed.sqlite");
    let secret = "process-test-secret-3f9a0c";
    let server = start(&database, &["--audit-hmac-key", secret]);
    let (_, active) = holdings(server.port).await;
    let r = &active[0];
    let path = format!("/api/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let (status, _) = request(server.port, "PATCH", &path, Some(&json!({ "displayName": "keyed-rename" }))).await;
    assert_eq!(status, 200);
    assert_eq!(get(server.port, "/api/audit/verify").await["intact"], true);
    drop(server);

    // Without the key, the same database's keyed entries cannot be checked, and it says so.
    let unkeyed = start(&database, &[]);
    let report = get(unkeyed.port, "/api/audit/verify").await;
    assert_eq!((report["intact"].as_bool(), report["brokenBecause"].as_str()), (Some(false), Some("keyNeeded")), "{report}");
    drop(unkeyed);
    let again = start(&database, &["--audit-hmac-key", secret]);
    assert_eq!(get(again.port, "/api/audit/verify").await["intact"], true);
    assert!(!again.log().contains(secret), "the key is never logged:\n{}", again.log());

    // Nor shown by --help when it comes from the environment.
    let help = Command::new(env!("CARGO_BIN_EXE_reservation-desk-server")).arg("--help").env("AUDIT_HMAC_KEY", secret).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("AUDIT_HMAC_KEY") && !help.contains(secret), "{help}");
}
