use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::*;

/// An inline error for a failed load, with a button that tries again.
#[component]
pub fn LoadError(error: ApiError, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || match &error {
        ApiError::Network(_) => t_string!(i18n, error_network).to_string(),
        ApiError::Unexpected(_) => t_string!(i18n, error_unexpected).to_string(),
        // The server's English detail until problem types get their own translations.
        ApiError::Problem(problem) => problem.detail.clone(),
    };
    view! {
        <div class="load-error" role="alert">
            <p>{message}</p>
            <button type="button" on:click=move |_| retry()>{t!(i18n, try_again)}</button>
        </div>
    }
}
