use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::problem_text::error_text;
use crate::i18n::*;

/// An inline error for a failed load, with a button that tries again where trying again can
/// help (a server error or a network failure; never a refusal or something that does not exist).
#[component]
pub fn LoadError(error: ApiError, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let may_retry = error.may_retry();
    let message = move || error_text(i18n, &error);
    view! {
        <div class="load-error" role="alert">
            <p>{message}</p>
            {may_retry.then(|| view! { <button type="button" on:click=move |_| retry()>{t!(i18n, try_again)}</button> })}
        </div>
    }
}
