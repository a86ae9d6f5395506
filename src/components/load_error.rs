use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::problem_text::failure_text;
use crate::i18n::*;
use crate::split::problems::problem_texts;

/// An inline error for a failed load, with a button that tries again where trying again can
/// help (a server error or a network failure; never a refusal or something that does not exist).
///
/// The customer list shows it from the first module, which does not hold the problems' texts:
/// a problem's words come from [`problem_texts`] (fetched then on the customer list; on
/// every other page a small module beside the texts its own module already holds), and if that
/// fetch fails the server's own detail is shown.
#[component]
pub fn LoadError(error: ApiError, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let may_retry = error.may_retry();
    // A signal set by a task, not a resource: one more resource type would compile another
    // copy of the async machinery into the first module.
    let texts = RwSignal::new(None);
    if failure_text(i18n, &error).is_err() {
        leptos::task::spawn_local(async move { texts.set(Some(problem_texts().await)) });
    }
    let message = move || match failure_text(i18n, &error) {
        Ok(text) => text,
        Err(problem) => match texts.get() {
            Some(Ok(problem_text)) => problem_text(i18n, problem),
            Some(Err(_)) => problem.detail.clone(),
            None => String::new(),
        },
    };
    view! {
        <div class="load-error" role="alert">
            <p>{message}</p>
            {may_retry.then(|| view! { <button type="button" on:click=move |_| retry()>{t!(i18n, try_again)}</button> })}
        </div>
    }
}
