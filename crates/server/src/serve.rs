//! The accept loop: HTTP/1 and HTTP/2 through hyper, with what `axum::serve` does not offer.
//!
//! - A connection must bring its first whole request within [`Connections::first_request_timeout`],
//!   whatever it speaks: one that sends nothing, a partial HTTP/2 preface, or an HTTP/2
//!   connection that opens no stream is closed then (hyper's own timers start only once the
//!   protocol is known). The first request counts when it reaches the app, i.e. its headers
//!   have all arrived.
//! - HTTP/1: a client must send each request's headers within the read timeout, also between
//!   requests on a kept-alive connection (hyper's `header_read_timeout`): a client sending one
//!   byte a second holds nothing. The body's own timeout is the edge's (`edge::read_body`).
//! - HTTP/2: at most [`Connections::MAX_STREAMS`] requests at once per connection, and a ping
//!   every [`Connections::KEEP_ALIVE`] that must be answered within as long, so a peer that went
//!   away is noticed.
//! - At most [`Connections::max_connections`] connections are open at once. Past the cap the loop
//!   stops accepting: new connections wait in the kernel's listen queue (and are accepted, in
//!   order, as others close) rather than being refused; the first-request limit bounds how long
//!   idle ones can keep a real client waiting.
//! - Graceful shutdown: when `shutdown` resolves (SIGTERM or Ctrl-C in `main`), the listener is
//!   closed at once (new connections are refused), requests in flight are finished and answered,
//!   idle keep-alive connections are closed, and the loop returns; connections still busy after
//!   [`GRACE`] are dropped.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::service::Service as _;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a graceful shutdown waits for requests in flight.
pub const GRACE: Duration = Duration::from_secs(30);

/// How the accept loop treats connections (`--read-timeout`, `--first-request-timeout`,
/// `--max-connections`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connections {
    /// How long the headers of each HTTP/1 request may take to arrive.
    pub read_timeout: Duration,
    /// How long a new connection may go without a whole first request.
    pub first_request_timeout: Duration,
    /// The most connections open at once.
    pub max_connections: u32,
}

impl Connections {
    /// The cap on open connections by default: far above what the partners of one desk open
    /// (a browser keeps about six), below the 1024 open files a process usually may hold.
    pub const MAX_CONNECTIONS: u32 = 1024;
    /// The first-request limit by default.
    pub const FIRST_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
    /// Concurrent HTTP/2 streams per connection (hyper's default is 200): the SPA has a few
    /// requests in flight at a time.
    pub const MAX_STREAMS: u32 = 32;
    /// The HTTP/2 ping interval, and how long its answer may take.
    pub const KEEP_ALIVE: Duration = Duration::from_secs(20);
}

impl Default for Connections {
    fn default() -> Self {
        Self {
            read_timeout: crate::settings::Limits::READ_TIMEOUT,
            first_request_timeout: Self::FIRST_REQUEST_TIMEOUT,
            max_connections: Self::MAX_CONNECTIONS,
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then finishes what is in flight.
pub async fn serve(listener: TcpListener, app: Router, connections: Connections, shutdown: impl Future<Output = ()>) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(connections.read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(Connections::MAX_STREAMS)
        .keep_alive_interval(Connections::KEEP_ALIVE)
        .keep_alive_timeout(Connections::KEEP_ALIVE);
    let open = Arc::new(Semaphore::new(connections.max_connections as usize));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A place for one more connection first: at the cap, nothing is accepted until one closes.
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_closed) => break,
            },
            () = &mut shutdown => break,
        };
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _peer)) => stream,
                    Err(err) => {
                        // E.g. too many open files: wait a moment rather than spin.
                        tracing::warn!(error = %err, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                // Set by the first request that reaches the app.
                let asked = Arc::new(AtomicBool::new(false));
                let service = TowerToHyperService::new(app.clone());
                let first = asked.clone();
                let service = hyper::service::service_fn(move |request| {
                    first.store(true, Ordering::Relaxed);
                    service.call(request)
                });
                let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
                let connection = graceful.watch(connection);
                let limit = connections.first_request_timeout;
                tokio::spawn(async move {
                    let _permit = permit;
                    tokio::select! {
                        ended = connection => if let Err(err) = ended {
                            tracing::debug!(error = %err, "connection ended with an error");
                        },
                        () = unless_asked_within(&asked, limit) => {
                            // Dropping the connection closes it.
                            tracing::debug!("no request within {limit:?}: connection closed");
                        }
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: no new connections; finishing the requests in flight");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("every connection closed; exiting"),
        () = tokio::time::sleep(GRACE) => tracing::warn!("connections still open after {GRACE:?}; exiting anyway"),
    }
}

/// Resolves after `limit` when no request has come by then; never otherwise.
async fn unless_asked_within(asked: &AtomicBool, limit: Duration) {
    tokio::time::sleep(limit).await;
    if asked.load(Ordering::Relaxed) {
        std::future::pending::<()>().await;
    }
}

/// Resolves on SIGTERM (what service managers and container runtimes send) or Ctrl-C.
pub async fn termination() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM; only Ctrl-C stops the server gracefully");
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = term.recv() => tracing::info!("SIGTERM received"),
            _ = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C received"),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
