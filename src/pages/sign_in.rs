use contract::DEMO_USERS;
use leptos::prelude::*;

use crate::i18n::*;
use crate::user::role_text;
use crate::{paths, session};

/// Demo sign-in: pick one of the seeded partner users.
#[component]
pub fn SignInPage() -> impl IntoView {
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
                        <span class="sub">{move || role_text(i18n, role)} " · " {upn}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>{t!(i18n, sign_in)}</h1>
        <p>{t!(i18n, sign_in_intro)}</p>
        <ul class="user-list">{users}</ul>
    }
}
