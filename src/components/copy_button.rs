use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::*;

/// Whether the last copy worked, for the confirmation next to the button.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

/// A button that copies `text` to the clipboard and confirms it (politely announced).
#[component]
pub fn CopyButton(
    /// What is copied.
    text: String,
    /// What it is, for the button's accessible name ("Copy Reservation ID to the clipboard").
    what: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(CopyState::Idle);
    let copy = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move {
            let clipboard = window().navigator().clipboard();
            let done = JsFuture::from(clipboard.write_text(&text)).await;
            state.set(if done.is_ok() { CopyState::Copied } else { CopyState::Failed });
        });
    };
    view! {
        <button
            type="button"
            class="copy"
            aria-label=move || t_string!(i18n, copy_label, what = what.get()).to_string()
            on:click=copy
        >
            {t!(i18n, copy)}
        </button>
        <span class="copy-status" role="status">
            {move || match state.get() {
                CopyState::Idle => String::new(),
                CopyState::Copied => t_string!(i18n, copied).to_string(),
                CopyState::Failed => t_string!(i18n, copy_failed).to_string(),
            }}
        </span>
    }
}
