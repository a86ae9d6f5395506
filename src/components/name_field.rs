//! A display name's text field. Its `maxlength` keeps a name within the limit the backend
//! applies (`desk_service::configuration::MAX_DISPLAY_NAME`), but a browser cuts a longer paste
//! without a word: the field says how much of the pasted text it left out, and keeps the rest.

use desk_service::configuration::MAX_DISPLAY_NAME;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::*;

/// How many units of a paste `maxlength = max` leaves out, for a field holding `value_len` units
/// of which `selected` are replaced by the `pasted` ones (UTF-16 units, as `maxlength` counts).
pub fn left_out(value_len: usize, selected: usize, pasted: usize, max: usize) -> usize {
    (value_len.saturating_sub(selected) + pasted).saturating_sub(max).min(pasted)
}

/// How many units of the text pasted by `event` into its input `maxlength = max` leaves out.
fn paste_left_out(event: &web_sys::ClipboardEvent, max: usize) -> usize {
    let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return 0 };
    let Some(text) = event.clipboard_data().and_then(|d| d.get_data("text/plain").ok()) else { return 0 };
    // A one-line field drops the pasted line breaks before it counts.
    let pasted = text.encode_utf16().filter(|&u| u != u16::from(b'\n') && u != u16::from(b'\r')).count();
    let value_len = input.value().encode_utf16().count();
    let (start, end) = (input.selection_start().ok().flatten(), input.selection_end().ok().flatten());
    let selected = match (start, end) {
        (Some(s), Some(e)) => e.saturating_sub(s) as usize,
        _ => 0,
    };
    left_out(value_len, selected, pasted, max)
}

/// A display name's input (`id`), at most [`MAX_DISPLAY_NAME`] characters; after a paste that
/// did not fit, a note under it (`{id}-cut`) says how many characters were left out, until the
/// name is shorter than the limit again.
#[component]
pub fn NameField(
    /// The input's ID (its label points at it).
    #[prop(into)]
    id: String,
    /// The name as typed.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the text on every input.
    on_input: Callback<String>,
    /// Whether the name is invalid (`aria-invalid`).
    #[prop(into)]
    invalid: Signal<bool>,
    /// A placeholder.
    #[prop(optional, into)]
    placeholder: MaybeProp<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cut = RwSignal::new(0usize);
    let note_id = format!("{id}-cut");
    let described = {
        let note_id = note_id.clone();
        move || (cut.get() > 0).then(|| note_id.clone())
    };
    view! {
        <input id=id type="text" maxlength=MAX_DISPLAY_NAME placeholder=move || placeholder.get()
            prop:value=move || value.get()
            on:paste=move |e| cut.set(paste_left_out(&e, MAX_DISPLAY_NAME))
            on:input=move |e| {
                let text = event_target_value(&e);
                // Shortened again: what was left out no longer matters.
                if text.encode_utf16().count() < MAX_DISPLAY_NAME {
                    cut.set(0);
                }
                on_input.run(text);
            }
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=described />
        <span id=note_id class="hint paste-cut" role="status">
            {move || (cut.get() > 0).then(|| t_string!(i18n, name_paste_cut, max = MAX_DISPLAY_NAME, dropped = cut.get()).to_string())}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::left_out;

    #[test]
    fn a_paste_longer_than_the_room_left_loses_its_end() {
        // 186 characters into an empty field of 64: 122 left out.
        assert_eq!(left_out(0, 0, 186, 64), 122);
        // Into a field holding 10, 3 of them selected: room for 57 of the 60 pasted.
        assert_eq!(left_out(10, 3, 60, 64), 3);
        // It fits.
        assert_eq!(left_out(10, 0, 54, 64), 0);
        // A field already over the limit (set by the app, not typed) loses at most the paste.
        assert_eq!(left_out(70, 0, 5, 64), 5);
    }
}
