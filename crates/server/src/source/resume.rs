//! After a restart: every return or exchange through Azure the last run left `asked` or `sent` is carried on
//! by the desk (`desk::Desk::resume_upstream`): a `sent` one followed to its end, an `asked` one
//! reconciled by reading its reservations from ARM (never posted again). Asking Azure needs a
//! user's token, which is never stored: the resumer runs with the first signed-in user's after
//! the server starts (`auth.rs`), as the first read of Azure does.

use desk::upstream::UpstreamState;

use super::Acting;
use crate::state::AppState;

/// Carries on every unfinished return and exchange on behalf of `acting`: how many ended (succeeded or
/// failed) and how many are still unfinished.
pub async fn resume(state: &AppState, acting: &Acting) -> Result<(usize, usize), desk::DeskError> {
    let results = state.desk.resume_upstream(state.now(), &acting.on_behalf()).await?;
    let mut ended = 0;
    for (id, result) in &results {
        match result {
            Ok(UpstreamState::Succeeded | UpstreamState::Failed) => ended += 1,
            Ok(left) => tracing::info!(operation = %id, state = left.as_str(), "a money move through Azure is still unfinished"),
            Err(err) => tracing::warn!(operation = %id, "a money move through Azure could not be carried on: {}", err.problem().detail),
        }
    }
    Ok((ended, results.len() - ended))
}

/// [`resume`] in the background (the first signed-in request after start).
pub fn resume_in_background(state: AppState, acting: Acting) {
    tokio::spawn(async move {
        match resume(&state, &acting).await {
            Ok((0, 0)) => {}
            Ok((ended, left)) => tracing::info!(ended, left, "money moves through Azure left by the last run carried on"),
            Err(err) => tracing::warn!("money moves through Azure left by the last run could not be read: {err}"),
        }
    });
}
