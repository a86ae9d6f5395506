//! A row's Remove button that asks before it removes: the question, **Yes, remove** and
//! **Cancel** take the button's place in the row (the Access page's grants, the Access control
//! panel's role assignments).

use leptos::prelude::*;

use crate::i18n::*;

/// Remove with confirmation for the row `id`. Only one row of a table asks at a time: `confirming`
/// holds the id of the row that asks. `allowed` false disables Remove, with `why_not` as its title.
#[component]
pub fn ConfirmRemove(
    /// The row's id, passed to `on_remove`.
    id: String,
    /// The id of the row that asks, shared by the table's rows.
    confirming: RwSignal<Option<String>>,
    /// Whether the user may remove.
    #[prop(into)]
    allowed: Signal<bool>,
    /// Why not, when the user may not.
    #[prop(into)]
    why_not: Signal<Option<String>>,
    /// The question, naming what is removed.
    #[prop(into)]
    question: Signal<String>,
    /// Removes the row (the caller resets `confirming` when done).
    on_remove: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let asking = move || id.with_value(|id| confirming.get().as_deref() == Some(id.as_str()));
    view! {
        <Show
            when=asking
            fallback=move || view! {
                <button type="button" class="secondary" disabled=move || !allowed.get() title=move || why_not.get()
                    on:click=move |_| confirming.set(Some(id.get_value()))>{t!(i18n, remove)}</button>
            }
        >
            <span role="alert">{move || question.get()}</span>
            " "
            <button type="button" on:click=move |_| on_remove.run(id.get_value())>{t!(i18n, yes_remove)}</button>
            " "
            <button type="button" class="secondary" on:click=move |_| confirming.set(None)>{t!(i18n, cancel)}</button>
        </Show>
    }
}
