use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::paths;

/// Shown for a URL no route matches.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, page_not_found)}</h1>
        <p>{t!(i18n, nothing_here)} " " <A href=paths::customers()>{t!(i18n, go_to_customers)}</A></p>
    }
}
