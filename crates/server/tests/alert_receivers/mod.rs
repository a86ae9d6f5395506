//! Real receivers for the alert tests: an SMTP server (Python's aiosmtpd, `smtp_sink.py`, from
//! the project's test environment tools/.venv) that writes each message to a folder, with
//! STARTTLS and a login when asked, and a webhook receiver (axum, in the test) that keeps each
//! body with its signature header; a private certificate authority made with `openssl`; and
//! `alerts send` run as operators run it, a process with its settings in the environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// The Python of the project's test environment (scripts/setup.sh installs aiosmtpd there), or
/// `ALERT_TEST_PYTHON`.
fn python() -> PathBuf {
    std::env::var_os("ALERT_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/.venv/bin/python"))
}

/// aiosmtpd on a free loopback port, writing what it accepts to a folder (each message's
/// second line, `Envelope-TLS:`, says how its connection was protected).
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    folder: tempfile::TempDir,
}

impl SmtpSink {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// With `smtp_sink.py`'s options: `--tls CERT KEY` (STARTTLS), `--login USER PASSWORD`,
    /// `--login-in-clear`.
    pub fn start_with(options: &[&str]) -> Self {
        let folder = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/alert_receivers/smtp_sink.py");
        let mut child = Command::new(python())
            .arg(script)
            .arg(folder.path())
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("{} (aiosmtpd: scripts/setup.sh, or set ALERT_TEST_PYTHON): {e}", python().display()));
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
        let port = line.trim().strip_prefix("port ").and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("smtp_sink.py said {line:?}"));
        Self { child, port, folder }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, in order (each: an `Envelope-To:` line, then the message).
    pub fn messages(&self) -> Vec<String> {
        let mut names: Vec<(u32, PathBuf)> = std::fs::read_dir(self.folder.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter_map(|p| Some((p.file_stem()?.to_str()?.parse().ok()?, p.clone())).filter(|_| p.extension().is_some_and(|x| x == "eml")))
            .collect();
        names.sort();
        names.into_iter().map(|(_, p)| std::fs::read_to_string(p).unwrap()).collect()
    }

    /// The logins tried so far, each `USER TLS` (`none` when in clear).
    pub fn logins(&self) -> Vec<String> {
        std::fs::read_to_string(self.folder.path().join("logins")).unwrap_or_default().lines().map(str::to_owned).collect()
    }
}

/// A private certificate authority's file and a server certificate it issued, for 127.0.0.1
/// and localhost, made with `openssl` (no certificate of Mozilla's roots).
pub struct PrivateCa {
    /// The CA file to trust: another private CA's certificate, then the issuer's.
    pub ca_file: PathBuf,
    /// The server's certificate (PEM).
    pub cert: PathBuf,
    /// The server's key (PEM).
    pub key: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").current_dir(dir).args(args).output().unwrap_or_else(|e| panic!("openssl: {e}"));
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Makes a [`PrivateCa`] in `dir`.
pub fn private_ca(dir: &Path) -> PrivateCa {
    let new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    for (name, subject) in [("other-ca", "/CN=Another private CA"), ("ca", "/CN=Reservation Desk test CA")] {
        let (key, pem) = (format!("{name}.key"), format!("{name}.pem"));
        openssl(dir, &[&["req", "-x509"][..], &new_key, &["-keyout", &key, "-out", &pem, "-subj", subject, "-days", "2"]].concat());
    }
    openssl(dir, &[&["req"][..], &new_key, &["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]].concat());
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "2", "-days", "2", "-extfile", "server.ext", "-out", "server.pem"],
    );
    let both = [std::fs::read_to_string(dir.join("other-ca.pem")).unwrap(), std::fs::read_to_string(dir.join("ca.pem")).unwrap()].concat();
    std::fs::write(dir.join("trusted.pem"), both).unwrap();
    PrivateCa { ca_file: dir.join("trusted.pem"), cert: dir.join("server.pem"), key: dir.join("server.key") }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One webhook request: its signature header and body.
#[derive(Clone, Debug)]
pub struct Received {
    pub signature: Option<String>,
    pub body: String,
}

/// A webhook receiver on a free loopback port that answers 503 to its first `failing` requests.
pub struct Webhook {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl Webhook {
    pub async fn start(failing: usize) -> Self {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let kept = received.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
                let (kept, calls) = (kept.clone(), calls.clone());
                async move {
                    if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < failing {
                        return axum::http::StatusCode::SERVICE_UNAVAILABLE;
                    }
                    let signature = headers.get("x-reservation-desk-signature").and_then(|v| v.to_str().ok()).map(str::to_owned);
                    kept.lock().unwrap().push(Received { signature, body });
                    axum::http::StatusCode::OK
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, received }
    }

    pub fn bodies(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// Runs `reservation-desk-server --database URL alerts send` with `env`: whether it exited 0,
/// and what it wrote.
pub async fn alerts_send(database: &str, env: &[(&str, String)]) -> (bool, String) {
    let database = database.to_owned();
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    tokio::task::spawn_blocking(move || {
        let out = Command::new(env!("CARGO_BIN_EXE_reservation-desk-server"))
            .args(["--database", &database, "alerts", "send"])
            .envs(env)
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    })
    .await
    .unwrap()
}

/// The settings of a run that sends to `smtp` (ops@example.com) and `hook` (signed).
pub fn settings(smtp: &SmtpSink, hook: &Webhook) -> Vec<(&'static str, String)> {
    vec![
        ("SMTP_URL", smtp.url()),
        ("ALERT_EMAIL_FROM", "Reservation Desk <alerts@desk.example>".into()),
        ("ALERT_EMAIL_TO", "ops@example.com".into()),
        ("ALERT_WEBHOOK_URL", hook.url.clone()),
        ("ALERT_WEBHOOK_SECRET", SECRET.into()),
        ("ALERT_DESK_URL", "https://desk.example".into()),
        ("ALERT_RETRY_SECONDS", "1".into()),
    ]
}

/// The webhook secret of the tests.
pub const SECRET: &str = "webhook-secret-for-tests";

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`, computed here independently of
/// the server (sha2 by hand: HMAC's two passes).
pub fn expected_signature(secret: &str, body: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut key = [0u8; 64];
    key[..secret.len()].copy_from_slice(secret.as_bytes());
    let pad = |byte: u8| key.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(body.as_bytes()).finalize();
    let outer = Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize();
    format!("sha256={}", outer.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// The subscriber of the tests: the demo Global admin's sign-in name.
pub const SUBSCRIBER: &str = "gina.admin@partner.example";
