//! The app shell: header, navigation and the routed page.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::pages::{customers::CustomersPage, not_found::NotFound};

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/customers" /> } />
                    <Route path=path!("/customers") view=CustomersPage />
                </Routes>
            </Shell>
        </Router>
    }
}

/// Moves keyboard focus to the main landmark. The router would otherwise treat `#main` as a
/// navigation and focus would stay on the link.
fn skip_to_content(event: leptos::ev::MouseEvent) {
    event.prevent_default();
    if let Some(main) = document().get_element_by_id("main") {
        let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}

/// Header, navigation and the main landmark around the page content.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_content>"Skip to content"</a>
        <header class="app-header">
            <span class="brand">"Reservation Desk"</span>
            <nav aria-label="Main">
                <A href="/customers">"Customers"</A>
            </nav>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
    }
}
