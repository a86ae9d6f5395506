//! The app shell: header, navigation and the routed page.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::components::language_picker::LanguagePicker;
use crate::i18n::*;
use crate::{language, paths};
use crate::user::{role_text, CurrentUser};
use crate::{api, session};
use crate::components::lazy_view::LazyView;
use crate::pages::{customers::CustomersPage, not_found::NotFound};
use crate::split;

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    // The language (src/language.rs): leptos_i18n's context on the locale this visit starts in.
    language::provide();
    view! {
        <Router base=paths::base()>
            <Shell>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path=paths::customers() /> } />
                    // The customer list is in the first load; every other page is fetched on demand
                    // (src/split/).
                    <Route path=path!("/sign-in") view=|| view! { <LazyView load=split::views::sign_in_page /> } />
                    <Route path=path!("/customers") view=CustomersPage />
                    <Route path=path!("/audit") view=|| view! { <LazyView load=split::views::audit_page /> } />
                    <Route path=path!("/alerts") view=|| view! { <LazyView load=split::views::alerts_page /> } />
                    <Route path=path!("/worklist") view=|| view! { <LazyView load=split::views::worklist_page /> } />
                    <Route path=path!("/access") view=|| view! { <LazyView load=split::views::access_page /> } />
                    <Route path=path!("/approvals") view=|| view! { <LazyView load=split::views::approvals_page /> } />
                    <Route path=path!("/readiness") view=|| view! { <LazyView load=split::views::readiness_page /> } />
                    // The customer page's tabs, each its own URL: `support`, `portfolio`.
                    <Route path=path!("/customers/:customer_id/:tab?") view=|| view! { <LazyView load=split::views::customer_page /> } />
                    <Route path=path!("/customers/:customer_id/support/:request_id") view=|| view! { <LazyView load=split::views::support_request_page /> } />
                    <ParentRoute
                        path=path!("/customers/:customer_id/reservations/:reservation_id")
                        view=|| view! { <LazyView load=split::views::reservation_page /> }
                    >
                        <Route path=path!("") view=|| view! { <LazyView load=split::views::overview_panel /> } />
                        <Route path=path!("access-control") view=|| view! { <LazyView load=split::views::access_control_panel /> } />
                        <Route path=path!("properties") view=|| view! { <LazyView load=split::views::properties_panel /> } />
                        <Route path=path!("configuration") view=|| view! { <LazyView load=split::views::configuration_panel /> } />
                        <Route path=path!("refund") view=|| view! { <LazyView load=split::views::refund_panel /> } />
                        <Route path=path!("exchange") view=|| view! { <LazyView load=split::views::exchange_panel /> } />
                        <Route path=path!("support") view=|| view! { <LazyView load=split::views::support_panel /> } />
                        <Route path=path!("split-merge") view=|| view! { <LazyView load=split::views::split_merge_panel /> } />
                        <Route path=path!("history") view=|| view! { <LazyView load=split::views::history_panel /> } />
                    </ParentRoute>
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

/// Puts keyboard focus on the main landmark if it was lost: following a link that the new page
/// replaced leaves focus nowhere (the document), so the next Tab would start again at the top
/// of the page and a screen reader would announce nothing. A link that is still there (a panel
/// tab, an action) keeps focus.
fn focus_main_if_lost() {
    let document = document();
    let lost = match (document.active_element(), document.body()) {
        (None, _) => true,
        (Some(active), body) => !active.is_connected() || body.is_some_and(|b| b.is_same_node(Some(&active))),
    };
    if lost {
        if let Some(main) = document.get_element_by_id("main") {
            let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    }
}

/// Whether the deployment reads Azure, and as a read-only pilot, from its settings; the desk's own
/// data in the static build, whose in-browser backend does not read Azure (and whose settings are
/// not a first-screen answer: asking would fetch the whole desk's module on the customer list).
async fn deployment_mode() -> api::DeploymentMode {
    if crate::api::base::api_base().is_none() {
        return api::DeploymentMode::default();
    }
    api::deployment_mode().await.unwrap_or_default()
}

/// Header, navigation and the main landmark around the page content.
///
/// The cookie keeps whichever language is shown (the one the visit started in: `?lang=` in the
/// URL, else the saved choice, else the browser's, else English; see [`language::provide`]).
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::new();
    provide_context(user);
    // Whether the deployment reads Azure: the readiness page is in the menu only then.
    let reads_azure = RwSignal::new(false);
    crate::deployment::Deployment::provide();
    // Signed out: every page but the sign-in page sends you there, and shows nothing meanwhile
    // (no menu, no page asking the backend for what a signed-out user may not read).
    let signed_in = session::token().is_some();
    let on_sign_in_page = window().location().pathname().unwrap_or_default().ends_with("/sign-in");
    match session::token() {
        None => {
            let location = window().location();
            let path = location.pathname().unwrap_or_default();
            if !on_sign_in_page {
                // Come back here after signing in; renew first when the provider allows it.
                session::remember_return_to(&format!("{path}{}", location.search().unwrap_or_default()));
                if session::can_renew() {
                    leptos::task::spawn_local(async move {
                        // Renewing is the sign-in page's code, fetched on demand (src/split/).
                        let renewed = match split::renewal().await {
                            Ok(renewal) => renewal.await,
                            Err(_) => false,
                        };
                        if renewed {
                            let _ = window().location().reload();
                        } else {
                            let _ = window().location().replace(&paths::sign_in());
                        }
                    });
                } else {
                    let _ = location.replace(&paths::sign_in());
                }
            }
        }
        Some(_) => leptos::task::spawn_local(async move {
            if let Ok(me) = api::me().await {
                user.0.set(Some(me));
                // Whether this desk reads Azure, and every change is refused here (a read-only
                // pilot of Azure mode), asked once the user is known, after the first screen's
                // own requests.
                let mode = deployment_mode().await;
                user.1.set(mode.read_only_pilot());
                reads_azure.set(mode.source == contract::DataSource::Azure);
            }
        }),
    }
    let sign_out = move |_| {
        let next = session::sign_out();
        let _ = window().location().set_href(&next);
    };
    // After each navigation (not the first load), once the new page is rendered.
    let location = use_location();
    // The header's menu on a narrow screen: folded behind the Menu button, and folded again
    // after each navigation (a link was chosen) or Escape.
    let menu_open = RwSignal::new(false);
    let menu_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            menu_open.set(false);
            request_animation_frame(focus_main_if_lost);
        }
        path
    });
    let close_on_escape = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" && menu_open.get_untracked() {
            menu_open.set(false);
            if let Some(button) = menu_button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_content>{t!(i18n, skip_to_content)}</a>
        <header class="app-header" on:keydown=close_on_escape>
            <span class="brand">{t!(i18n, app_name)}</span>
            <Show when=move || user.read_only_pilot()>
                <span class="pilot-badge" title=move || t_string!(i18n, read_only_pilot_refusal)>{t!(i18n, read_only_pilot_badge)}</span>
            </Show>
            // Signed in only: the menu leads to pages a signed-out user may not see.
            {signed_in.then(|| view! {
                <button type="button" class="menu-toggle" node_ref=menu_button
                    aria-controls="header-menu"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|open| *open = !*open)>
                    {t!(i18n, menu)}
                </button>
            })}
            // On a wide screen its content sits in the bar; on a narrow one it folds under the
            // Menu button (style/main.css).
            <div id="header-menu" class="header-menu" class:folds=signed_in class:open=move || menu_open.get()>
                {signed_in.then(|| view! {
                    <nav aria-label=move || t_string!(i18n, main_navigation)>
                        <A href=paths::customers()>{t!(i18n, customers)}</A>
                        <A href=paths::alerts()>{t!(i18n, alerts_page)}</A>
                        <A href=paths::worklist()>{t!(i18n, worklist_page)}</A>
                        <A href=paths::audit()>{t!(i18n, audit_log)}</A>
                        <A href=paths::approvals()>{t!(i18n, approvals)}</A>
                        <Show when=move || user.may(desk_service::access::Permission::ManageGrants)>
                            <A href=paths::access()>{t!(i18n, access_page)}</A>
                        </Show>
                        <Show when=move || reads_azure.get() && user.may(desk_service::access::Permission::ReadReadiness)>
                            <A href=paths::readiness()>{t!(i18n, readiness_page)}</A>
                        </Show>
                    </nav>
                })}
                <div class="header-account">
                    <LanguagePicker />
                    {move || user.0.get().map(|me| {
                        let role = me.role;
                        view! {
                            // The name over the role, so the bar keeps one line at a laptop's
                            // width in German (the separator read, not shown).
                            <span class="signed-in">
                                <span class="signed-in-name">{me.display_name.clone()}</span>
                                <span class="signed-in-separator">" · "</span>
                                <span class="signed-in-role">{move || role_text(i18n, role)}</span>
                            </span>
                            <button type="button" class="sign-out" on:click=sign_out>{t!(i18n, sign_out)}</button>
                        }
                    })}
                </div>
            </div>
        </header>
        <main id="main" tabindex="-1">{(signed_in || on_sign_in_page).then(children)}</main>
        <Show when=|| crate::api::base::api_base().is_none()>
            <footer class="app-footer">
                <span>{t!(i18n, demo_in_browser)}</span>
                <button type="button" class="secondary" on:click=|_| {
                    crate::in_browser::reset();
                    let _ = window().location().reload();
                }>
                    {t!(i18n, reset_demo_data)}
                </button>
            </footer>
        </Show>
    }
}
