//! Plain settings the configuration decides and every request reads: whether demo users sign
//! in, how large and slow a request may be, and where "now" comes from. They import nothing of
//! the server's, so the configuration (`config.rs`) and the state (`state.rs`) both use them
//! without depending on each other or on a handler.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Where the adapter reads "now" from; tests fix it. Nothing below the adapter reads a clock.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How much and how slowly a client may send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body read (bytes).
    pub max_body: usize,
    /// The largest upload read (bytes): a statement's reconciliation file, base64.
    pub max_upload: usize,
    /// How long the headers, and then the body, may take to arrive (an upload: this for each
    /// MiB, at least).
    pub read_timeout: Duration,
}

impl Limits {
    /// The largest body by default: 1 MiB, far above any request of the contract (the largest,
    /// an exchange of many lines, is a few KiB).
    pub const MAX_BODY: usize = 1 << 20;
    /// The largest upload by default: 48 MiB, a reconciliation file of 36 MB in base64 (a
    /// partner's month of invoice lines; gzip-compressed, several times that).
    pub const MAX_UPLOAD: usize = 48 << 20;
    /// The read timeout by default.
    pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_body: Self::MAX_BODY, max_upload: Self::MAX_UPLOAD, read_timeout: Self::READ_TIMEOUT }
    }
}

/// Whether the well-known demo tokens sign in, and whether other machines can reach them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoUsers {
    /// No demo token signs in.
    Off,
    /// The demo tokens sign in; the server listens on loopback, so only this machine can use them,
    /// and a request that shows it came from elsewhere (through a proxy, or by a host name that
    /// is not loopback's) is refused (`edge::loopback_only`).
    OnLoopback,
    /// The demo tokens sign in from other machines too, because the operator said so: the server
    /// warns at start and marks every response with [`DEMO_HEADER`].
    OnExposed,
}

/// The header every response carries while demo users are on at a non-loopback address.
pub const DEMO_HEADER: &str = "x-reservation-desk-demo";

impl DemoUsers {
    /// The decision: `explicit` (the flag, if given) wins; unset means on only when `ip` is a
    /// loopback address (127.0.0.0/8, ::1, or ::ffff:127.x.y.z) and no identity provider is
    /// configured (`oidc`), because the tokens are public: a deployment with real sign-in is
    /// not a developer's machine, and a loopback address there usually sits behind a proxy.
    pub fn decide(ip: IpAddr, explicit: Option<bool>, oidc: bool) -> Self {
        let loopback = ip.to_canonical().is_loopback();
        match (explicit, loopback) {
            (Some(false), _) | (None, false) => DemoUsers::Off,
            (None, true) if oidc => DemoUsers::Off,
            (_, true) => DemoUsers::OnLoopback,
            (Some(true), false) => DemoUsers::OnExposed,
        }
    }

    /// Whether a demo token signs in.
    pub fn sign_in(self) -> bool {
        self != DemoUsers::Off
    }

    /// Whether responses carry [`DEMO_HEADER`].
    pub fn marks_responses(self) -> bool {
        self == DemoUsers::OnExposed
    }
}
