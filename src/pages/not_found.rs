use leptos::prelude::*;
use leptos_router::components::A;

/// Shown for a URL no route matches.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is nothing at this address. " <A href="/customers">"Go to the customers"</A></p>
    }
}
