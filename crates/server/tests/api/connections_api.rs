//! Connections cannot be held open for ever. The real server on 127.0.0.1
//! with a short first-request limit (`--first-request-timeout`) and a connection cap
//! (`--max-connections`): hundreds of idle connections and partial HTTP/2 prefaces do not keep a
//! real request waiting, and the server closes them after the limit; an HTTP/2 connection is
//! offered at most 32 streams; past the cap a new connection waits until an idle one is closed.
//! Durations are printed, not asserted against a deadline (only generous bounds and the lower
//! bound the cap guarantees).

use crate::server_process;

use std::time::{Duration, Instant};

use server_process::Server;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The client preface of HTTP/2 (RFC 9113 §3.4), and an empty SETTINGS frame.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const EMPTY_SETTINGS: [u8; 9] = [0, 0, 0, 4, 0, 0, 0, 0, 0];

/// How long the test waits for the server to close an idle connection at most (the limit is
/// 2 s): long enough that a loaded machine does not fail it, short enough to end a hung test.
const BOUND: Duration = Duration::from_secs(60);

fn start(dir: &tempfile::TempDir, extra: &[&str]) -> Server {
    let database = format!("sqlite://{}/connections.sqlite", dir.path().display());
    tokio::task::block_in_place(|| Server::start(&database, extra))
}

async fn connect(port: u16) -> TcpStream {
    TcpStream::connect(("127.0.0.1", port)).await.expect("a connection")
}

/// Reads until the server closes the connection (EOF or a reset), within [`BOUND`]: the bytes
/// read (e.g. the server's SETTINGS), or `None` when it was still open at the bound.
async fn until_closed(mut stream: TcpStream) -> Option<Vec<u8>> {
    let mut read = Vec::new();
    let mut buffer = [0u8; 4096];
    tokio::time::timeout(BOUND, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => read.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await
    .ok()
    .map(|()| read)
}

/// The SETTINGS the server sent first (RFC 9113 §6.5): identifier and value of each.
fn server_settings(bytes: &[u8]) -> Vec<(u16, u32)> {
    assert!(bytes.len() >= 9 && bytes[3] == 4, "the server's first frame is SETTINGS: {bytes:?}");
    let length = usize::from(bytes[0]) << 16 | usize::from(bytes[1]) << 8 | usize::from(bytes[2]);
    bytes[9..9 + length]
        .chunks(6)
        .map(|s| (u16::from_be_bytes([s[0], s[1]]), u32::from_be_bytes([s[2], s[3], s[4], s[5]])))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_idle_connections_do_not_keep_a_request_waiting_and_are_closed_after_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &["--first-request-timeout", "2", "--max-connections", "600"]);
    let port = server.port;
    let opened = Instant::now();
    let mut idle = Vec::new();
    for _ in 0..400 {
        idle.push(connect(port).await);
    }
    // Partial HTTP/2 prefaces: the protocol is not known yet, so no hyper timer runs.
    for cut in [3, 10, 16, 20, 23] {
        for _ in 0..4 {
            let mut stream = connect(port).await;
            stream.write_all(&PREFACE[..cut]).await.unwrap();
            idle.push(stream);
        }
    }
    // A whole HTTP/2 preface and SETTINGS, but no request.
    let mut h2 = connect(port).await;
    h2.write_all(PREFACE).await.unwrap();
    h2.write_all(&EMPTY_SETTINGS).await.unwrap();
    println!("{} idle connections opened in {:?}", idle.len() + 1, opened.elapsed());

    let asked = Instant::now();
    let me = server_process::get(port, "/api/me").await;
    println!("a real request on a new connection answered in {:?} among them", asked.elapsed());
    assert_eq!(me["role"], "GlobalAdmin");

    // The server closes every one of them.
    let count = idle.len();
    let closed = futures::future::join_all(idle.into_iter().map(until_closed)).await;
    let open = closed.iter().filter(|c| c.is_none()).count();
    assert_eq!(open, 0, "{open} of {count} idle connections still open {BOUND:?} after the limit");
    println!("{count} idle connections closed by the server {:?} after they were opened (limit 2 s)", opened.elapsed());

    let sent = until_closed(h2).await.expect("the HTTP/2 connection without a request is closed");
    let settings = server_settings(&sent);
    println!("HTTP/2 SETTINGS offered: {settings:?}; closed {:?} after opening", opened.elapsed());
    assert!(settings.contains(&(3, 32)), "SETTINGS_MAX_CONCURRENT_STREAMS is 32: {settings:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_cap_a_new_connection_waits_until_an_idle_one_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &["--first-request-timeout", "2", "--max-connections", "20"]);
    let port = server.port;
    let opened = Instant::now();
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(connect(port).await);
    }
    // The 21st connection is made by the kernel, but the server does not take it (nor read its
    // request) until one of the 20 is closed, which is not before the 2 s limit.
    let me = server_process::get(port, "/api/me").await;
    let waited = opened.elapsed();
    println!("with 20 idle connections at a cap of 20, a real request was answered {waited:?} after they were opened (limit 2 s)");
    assert_eq!(me["role"], "GlobalAdmin");
    assert!(waited >= Duration::from_secs(2), "answered after {waited:?}: past the cap, a connection must wait");
    let closed = futures::future::join_all(idle.into_iter().map(until_closed)).await;
    assert!(closed.iter().all(Option::is_some), "every idle connection is closed");
}

/// An HTTP/1 connection kept alive after its request is closed once idle for the read timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_alive_http1_connection_is_closed_when_idle() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &["--read-timeout", "2", "--first-request-timeout", "2"]);
    let mut stream = connect(server.port).await;
    let started = Instant::now();
    stream
        .write_all(b"GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer demo-global-admin\r\n\r\n")
        .await
        .unwrap();
    let read = until_closed(stream).await.expect("closed once idle");
    let text = String::from_utf8_lossy(&read);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    println!("a kept-alive connection closed {:?} after its request (read timeout 2 s)", started.elapsed());
}
