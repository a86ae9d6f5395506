use leptos::prelude::*;

use crate::api::ApiError;

/// An inline error for a failed load, with a button that tries again.
#[component]
pub fn LoadError(error: ApiError, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div class="load-error" role="alert">
            <p>{error.to_string()}</p>
            <button type="button" on:click=move |_| retry()>"Try again"</button>
        </div>
    }
}
