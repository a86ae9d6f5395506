use leptos::prelude::*;

use crate::i18n::*;

/// The header's language switcher; the choice is remembered (`crate::language`).
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    let options = Locale::get_all()
        .iter()
        .map(|&locale| {
            view! {
                <option value=locale.as_str() selected=move || i18n.get_locale() == locale>
                    // Each language named in itself (its own `language_endonym`), so a user
                    // who cannot read the current one finds their own.
                    {td_string!(locale, language_endonym)}
                </option>
            }
        })
        .collect_view();
    let on_change = move |event| {
        if let Ok(locale) = event_target_value(&event).parse::<Locale>() {
            crate::language::choose(i18n, locale);
        }
    };
    view! {
        <label class="language-picker">
            <span class="visually-hidden">{t!(i18n, language)}</span>
            <select on:change=on_change>{options}</select>
        </label>
    }
}
