//! The server binary as a process, for the tests and benchmarks that need one (crashes, signals,
//! several processes on one database): started on a loopback port it picks, its log kept, and
//! HTTP/1.1 requests sent by hand, each on its own connection, as the Global admin.

#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What a server process logged so far, and a signal for each new line.
type Log = Arc<(Mutex<String>, Condvar)>;

/// A server process on a loopback port it chose, with its log.
pub struct Server {
    pub child: Child,
    pub port: u16,
    log: Log,
}

/// A server started but not yet listening (so several can start at once).
pub struct Starting {
    child: Child,
    log: Log,
    port: Receiver<u16>,
}

/// The binary to run: cargo's for this target, or `BENCH_SERVER_BIN` (e.g. a release build).
pub fn binary() -> String {
    std::env::var("BENCH_SERVER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_reservation-desk-server").to_owned())
}

impl Server {
    /// Starts the server on `database` (a URL) with `extra` flags; [`Starting::ready`] waits for it.
    pub fn spawn(database: &str, extra: &[&str]) -> Starting {
        Self::spawn_with_env(database, extra, &[])
    }

    /// [`Server::spawn`] with environment variables `env` set (a setting given as operators do).
    pub fn spawn_with_env(database: &str, extra: &[&str], env: &[(&str, &str)]) -> Starting {
        let mut child = Command::new(binary())
            .args(["--listen", "127.0.0.1:0", "--database", database])
            .args(extra)
            .envs(env.iter().copied())
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let log: Log = Arc::default();
        let (port_tx, port) = std::sync::mpsc::channel();
        for stream in [Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>, Box::new(child.stderr.take().unwrap())] {
            let (log, port_tx) = (log.clone(), port_tx.clone());
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
                        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                        let _ = port_tx.send(digits.parse::<u16>().unwrap());
                    }
                    log.0.lock().unwrap().push_str(&(line + "\n"));
                    log.1.notify_all();
                }
            });
        }
        Starting { child, log, port }
    }

    /// Starts the server on `database` with `extra` flags and waits until it listens.
    pub fn start(database: &str, extra: &[&str]) -> Server {
        Self::spawn(database, extra).ready()
    }

    /// Everything it logged so far.
    pub fn log(&self) -> String {
        self.log.0.lock().unwrap().clone()
    }

    /// Waits (blocking the thread, up to `limit`) until the log holds `text`, woken by each line
    /// the server writes; fails the test if it never does.
    pub fn wait_for_log(&self, text: &str, limit: Duration) {
        let (log, written) = &*self.log;
        let log = written.wait_timeout_while(log.lock().unwrap(), limit, |log| !log.contains(text)).unwrap().0;
        assert!(log.contains(text), "the server did not log {text:?} within {limit:?}; log:\n{log}");
    }

    /// Sends `signal` (e.g. "KILL", "TERM") with kill(1).
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill").arg(format!("-{signal}")).arg(self.child.id().to_string()).status().unwrap();
        assert!(status.success());
    }

    /// Waits up to `limit` for the process to exit.
    pub fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < limit, "the server did not exit within {limit:?}; log:\n{}", self.log());
            // The standard library has no wait with a time limit: look again shortly.
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Starting {
    /// Waits (up to a minute) until the server says which port it listens on.
    pub fn ready(mut self) -> Server {
        let port = self.port.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
            let _ = self.child.kill();
            panic!("the server did not say its port; log:\n{}", self.log.0.lock().unwrap())
        });
        Server { child: self.child, port, log: self.log }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("server log:\n{}", self.log());
        }
    }
}

/// One request on its own connection as the Global admin: the status and JSON body, or the I/O
/// error of a connection that was cut (e.g. the server was killed).
pub async fn send(port: u16, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer demo-global-admin\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(format!("{head}{body}").as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    parse(&answer)
}

/// [`send`] that must get an answer.
pub async fn request(port: u16, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    send(port, method, path, body).await.unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// A GET that must answer 200.
pub async fn get(port: u16, path: &str) -> Value {
    let (status, body) = request(port, "GET", path, None).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// The status and JSON body of a whole HTTP/1.1 answer (an error when it was cut short).
pub fn parse(answer: &[u8]) -> std::io::Result<(u16, Value)> {
    let text = String::from_utf8_lossy(answer);
    let broken = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, format!("not a whole answer: {text:?}"));
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(broken)?;
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(broken)?;
    let length: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
        .unwrap_or(0);
    if body.len() < length {
        return Err(broken());
    }
    Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}
