//! Reads of the whole book as the console, a sign-in and the background start them: one at a
//! time across every server on the database (a lease in the store: `reads_store.rs`), run in
//! the background, their progress written on the read as it goes so that any server shows it
//! (`POST /api/source/refresh` answers `202` at once). A read with the stored connection that
//! Entra refuses marks the connection lost (its alert is sent once by the alerts task) and stops
//! there; a rotated refresh token is sealed in place of the stored one.

use std::time::Duration;

use azure_client::{AzureError, Reader};
use chrono::TimeDelta;
use contract::source::{SourceError, SourceRead, SourceReadState};

use super::connection::{self, Connected};
use super::read::{self, Progress};
use super::Acting;
use crate::reads_store::{NewRead, ReadStore};
use crate::state::AppState;

/// A read's lease: renewed with its progress; a server that stops leaves it to run out.
pub const LEASE: TimeDelta = TimeDelta::minutes(2);
/// Progress is written at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// Who a read of the book is for.
#[derive(Clone, Debug)]
pub enum ReadFor {
    /// A signed-in user, on their behalf.
    User(Acting),
    /// The stored connection, with nobody signed in.
    Connection(Connected),
}

impl ReadFor {
    fn reader(&self) -> Reader {
        match self {
            ReadFor::User(a) => Reader::User(a.obo.clone()),
            ReadFor::Connection(c) => Reader::Stored(c.grant.clone()),
        }
    }
}

/// Why a read did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Azure cannot be read: the desk does not read Azure, or the partner's tenant is not known.
    #[error("{0}")]
    Azure(AzureError),
    /// The store failed.
    #[error("{0}")]
    Store(#[from] desk::StoreError),
}

fn source_error(err: &AzureError, at: chrono::DateTime<chrono::Utc>) -> SourceError {
    SourceError { code: err.code.clone(), message: err.message.clone(), status: err.status, at: desk::source::instant_text(at), request: *err.request.clone() }
}

/// Starts a read of the book for `who`, or, when one is running on any server, answers that
/// one.
pub async fn start(state: &AppState, who: ReadFor) -> Result<SourceRead, StartError> {
    let Some(source) = state.source.clone() else {
        return Err(StartError::Azure(AzureError::new("NotAzureMode", "This desk is not reading Azure (start it with --source azure).")));
    };
    let (partner, unattended, started_by) = match &who {
        ReadFor::User(a) => (source.partner_tenant.clone().or_else(|| a.tenant.clone()), false, a.name.clone()),
        ReadFor::Connection(c) => (Some(c.stored.tenant_id.clone()), true, c.stored.user_name.clone()),
    };
    let partner = partner.ok_or_else(|| {
        StartError::Azure(AzureError::new("NoPartnerTenant", "The signed-in user's token names no tenant (tid); set AZURE_PARTNER_TENANT_ID."))
    })?;
    let now = state.now();
    let id = uuid::Uuid::new_v4().to_string();
    let store = state.desk.store();
    let new = NewRead { id: id.clone(), unattended, started_by, at: now, lease_until: now + LEASE };
    if let Some(running) = store.begin_read(&new).await? {
        return Ok(running);
    }
    let running = store.source_read(&id).await?.ok_or_else(|| desk::StoreError("the read just started is not stored".into()))?;
    tokio::spawn(run(state.clone(), who, partner, id));
    Ok(running)
}

/// Carries out read `id`, writing its progress, then its end.
async fn run(state: AppState, who: ReadFor, partner: String, id: String) {
    let (tell, mut told) = tokio::sync::watch::channel(Progress::default());
    let writer = {
        let (state, id) = (state.clone(), id.clone());
        tokio::spawn(async move {
            while told.changed().await.is_ok() {
                let p = *told.borrow_and_update();
                match state.desk.store().read_progress(&id, p.total, p.read, p.failed, state.now() + LEASE).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(read = %id, "this read's lease was taken over: another server read meanwhile"),
                    Err(e) => tracing::error!(read = %id, error = %e, "writing the read's progress failed"),
                }
                tokio::time::sleep(PROGRESS_EVERY).await;
            }
        })
    };
    let reader = who.reader();
    let outcome = read::read_all(&state, &reader, &partner, &move |p| {
        let _ = tell.send(p);
    })
    .await;
    let _ = writer.await;
    let now = state.now();
    let store = state.desk.store();
    let ended = match &outcome {
        Ok(summary) => {
            tracing::info!(read = summary.read, failed = summary.failed, unattended = matches!(who, ReadFor::Connection(_)), "read from Azure");
            store.finish_read(&id, SourceReadState::Done, None, now).await
        }
        Err(err) => {
            tracing::warn!(code = %err.code, request = %err.request, "reading Azure failed: {}", err.message);
            let error = source_error(err, now);
            if let ReadFor::Connection(connected) = &who {
                if azure_client::grant_lost(&err.code, &err.message) {
                    connection::lost(state.desk.store(), connected, &error, now).await;
                }
            }
            store.finish_read(&id, SourceReadState::Failed, Some(&error), now).await
        }
    };
    if let Err(e) = ended {
        tracing::error!(read = %id, error = %e, "recording the read's end failed");
    }
    if let (ReadFor::Connection(connected), Some(keys)) = (&who, state.source.as_ref().and_then(|s| s.keys.clone())) {
        connection::keep_rotated(state.desk.store(), &keys, connected).await;
    }
}

/// The stored connection, opened, when one works (and this server holds its key).
pub async fn stored_connection(state: &AppState) -> Option<Connected> {
    let source = state.source.clone()?;
    let keys = source.keys.clone()?;
    let held = source.connected.lock().ok().and_then(|h| h.clone());
    match connection::connected(state.desk.store(), &keys, held).await {
        Ok(found) => {
            if let Ok(mut h) = source.connected.lock() {
                h.clone_from(&found);
            }
            found
        }
        Err(why) => {
            tracing::error!("the stored connection cannot be used: {why}");
            None
        }
    }
}

/// Who the background reads for now: the stored connection when one works, else the signed-in
/// user whose token lasts.
pub async fn background_reader(state: &AppState) -> Option<ReadFor> {
    if let Some(connected) = stored_connection(state).await {
        return Some(ReadFor::Connection(connected));
    }
    let source = state.source.clone()?;
    source.acting_at(state.now()).map(ReadFor::User)
}
