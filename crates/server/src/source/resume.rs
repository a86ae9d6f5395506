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

/// [`resume`] in the background (the first signed-in request after start), again after
/// [`desk::desk::ASKED_GRACE_SECONDS`] while some are left unfinished (an operation still running
/// at Azure, or one whose request may still have been posting it) and the user's token lasts, at
/// most [`ROUNDS`] times.
pub fn resume_in_background(state: AppState, acting: Acting) {
    tokio::spawn(async move {
        let grace = std::time::Duration::from_secs(desk::desk::ASKED_GRACE_SECONDS.unsigned_abs());
        for _ in 0..ROUNDS {
            match resume(&state, &acting).await {
                Ok((0, 0)) => return,
                Ok((ended, 0)) => return tracing::info!(ended, "money moves through Azure left by the last run carried on"),
                Ok((ended, left)) => tracing::info!(ended, left, "money moves through Azure left by the last run carried on; some are still unfinished"),
                Err(err) => return tracing::warn!("money moves through Azure left by the last run could not be read: {err}"),
            }
            let next = state.now() + chrono::TimeDelta::from_std(grace).unwrap_or_default();
            if !acting.lasts_at(next) {
                return tracing::info!("the signed-in user's token ends before the next round: the rest is carried on after the next sign-in");
            }
            tokio::time::sleep(grace).await;
        }
    });
}

/// How many rounds one sign-in's resumer makes.
pub const ROUNDS: usize = 3;

#[cfg(test)]
mod tests {
    #[test]
    fn an_asked_operation_is_left_to_its_request_longer_than_the_longest_change_can_take() {
        let settings = azure_client::Settings::microsoft("client".into(), azure_client::SecretString::from("secret".to_owned()));
        let grace = std::time::Duration::from_secs(desk::desk::ASKED_GRACE_SECONDS.unsigned_abs());
        assert!(settings.longest_request() < grace, "{:?} must stay under {grace:?}", settings.longest_request());
        assert_eq!(settings.longest_request(), std::time::Duration::from_secs(960));
    }
}
