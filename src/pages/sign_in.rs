use contract::SignInConfig;
use desk_service::access::{DEMO_LIMITED_TOKEN, DEMO_USERS};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::load_error::LoadError;
use crate::i18n::*;
use crate::session::{self, SignInError};
use crate::user::role_text;
use crate::{oidc, paths};

/// Where a sign-in through the provider stands on this page.
#[derive(Clone, Debug, PartialEq)]
enum Progress {
    Idle,
    Working,
    Failed(SignInError),
}

/// Sign-in: the demo users, or "Sign in with your organization" (OpenID Connect), as
/// `GET /api/config` says (when the server cannot be asked, why, with Try again). Back from the
/// provider, this page completes the sign-in.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = LocalResource::new(session::config);
    view! {
        <h1>{t!(i18n, sign_in)}</h1>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, sign_in_loading)}</p> }>
            {move || config.get().map(|answer| match answer {
                Ok(SignInConfig::Demo) => view! { <DemoSignIn /> }.into_any(),
                Ok(SignInConfig::Oidc { issuer, client_id, scopes }) => {
                    view! { <OrganizationSignIn issuer client_id=client_id.unwrap_or_default() scopes /> }.into_any()
                }
                Err(why) => view! { <LoadError error=ApiError::Network(why) retry=move || config.refetch() /> }.into_any(),
            })}
        </Suspense>
    }
}

/// Demo sign-in: pick one of the seeded partner users.
#[component]
fn DemoSignIn() -> impl IntoView {
    let i18n = use_i18n();
    let users = DEMO_USERS
        .iter()
        .map(|&(token, upn, name, role)| {
            view! {
                <li>
                    <button type="button" class="user-choice" on:click=move |_| {
                        session::sign_in(token);
                        // A full load, so every resource starts with the new identity.
                        let _ = window().location().set_href(&paths::customers());
                    }>
                        <strong>{name}</strong>
                        <span class="sub">
                            {move || role_text(i18n, role)} " · " {upn}
                            {(token == DEMO_LIMITED_TOKEN).then(|| view! { " · " {t!(i18n, demo_limited_note)} })}
                        </span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <p>{t!(i18n, sign_in_intro)}</p>
        <ul class="user-list">{users}</ul>
    }
}

/// OpenID Connect: a button that goes to the provider; back from it (a `code` and `state` in
/// the URL), the exchange, then the page the user came from. A failure shows inline with a retry.
#[component]
fn OrganizationSignIn(issuer: String, client_id: String, scopes: String) -> impl IntoView {
    let i18n = use_i18n();
    let progress = RwSignal::new(Progress::Idle);
    let search = window().location().search().unwrap_or_default();
    if oidc::parse_callback(&search).is_some() {
        progress.set(Progress::Working);
        // The code is used once: a reload must not send it again.
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&paths::sign_in()));
        }
        let (issuer, client_id) = (issuer.clone(), client_id.clone());
        leptos::task::spawn_local(async move {
            match session::complete_sign_in(&issuer, &client_id, &search).await {
                // A full load, so every resource starts with the new identity.
                Ok(next) => {
                    let _ = window().location().replace(&next);
                }
                Err(error) => progress.set(Progress::Failed(error)),
            }
        });
    }
    let start = move || {
        progress.set(Progress::Working);
        let (issuer, client_id, scopes) = (issuer.clone(), client_id.clone(), scopes.clone());
        leptos::task::spawn_local(async move {
            if let Err(error) = session::start_sign_in(&issuer, &client_id, &scopes).await {
                progress.set(Progress::Failed(error));
            }
        });
    };
    let start_again = start.clone();
    view! {
        <p>{t!(i18n, sign_in_organization_intro)}</p>
        {move || match progress.get() {
            Progress::Idle => {
                let start = start.clone();
                view! {
                    <button type="button" on:click=move |_| start()>{t!(i18n, sign_in_organization)}</button>
                }.into_any()
            }
            Progress::Working => view! { <p role="status">{t!(i18n, signing_in)}</p> }.into_any(),
            Progress::Failed(error) => {
                let start = start_again.clone();
                let message = match error {
                    SignInError::BadState => t_string!(i18n, sign_in_bad_state).to_string(),
                    SignInError::Failed(detail) => t_string!(i18n, sign_in_failed, detail = detail).to_string(),
                };
                view! {
                    <div class="load-error" role="alert">
                        <p>{message}</p>
                        <button type="button" on:click=move |_| start()>{t!(i18n, try_again)}</button>
                    </div>
                }.into_any()
            }
        }}
    }
}
