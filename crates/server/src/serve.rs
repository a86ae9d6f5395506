//! The accept loop: HTTP/1 and HTTP/2 through hyper, with what `axum::serve` does not offer.
//!
//! - A client must send its request headers within the read timeout, or the connection is
//!   closed (hyper's `header_read_timeout`): a client sending one byte a second holds nothing.
//!   The body's own timeout is the edge's (`edge::read_body`).
//! - Graceful shutdown: when `shutdown` resolves (SIGTERM or Ctrl-C in `main`), the listener is
//!   closed at once (new connections are refused), requests in flight are finished and answered,
//!   idle keep-alive connections are closed, and the loop returns; connections still busy after
//!   [`GRACE`] are dropped.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a graceful shutdown waits for requests in flight.
pub const GRACE: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` resolves, then finishes what is in flight.
pub async fn serve(listener: TcpListener, app: Router, read_timeout: Duration, shutdown: impl Future<Output = ()>) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
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
                let connection = builder
                    .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(app.clone()))
                    .into_owned();
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(err) = connection.await {
                        tracing::debug!(error = %err, "connection ended with an error");
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
