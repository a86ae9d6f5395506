use leptos::prelude::*;

use crate::i18n::*;

/// Each language named in itself, so a user who cannot read the current one finds their own.
fn endonym(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "English",
        Locale::de => "Deutsch",
        Locale::sv => "Svenska",
        Locale::nl => "Nederlands",
        Locale::zh_CN => "简体中文",
    }
}

/// The header's language switcher; the choice is remembered (leptos_i18n's cookie).
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    let options = Locale::get_all()
        .iter()
        .map(|&locale| {
            view! {
                <option value=locale.as_str() selected=move || i18n.get_locale() == locale>
                    {endonym(locale)}
                </option>
            }
        })
        .collect_view();
    let on_change = move |event| {
        if let Ok(locale) = event_target_value(&event).parse::<Locale>() {
            i18n.set_locale(locale);
        }
    };
    view! {
        <label class="language-picker">
            <span class="visually-hidden">{t!(i18n, language)}</span>
            <select on:change=on_change>{options}</select>
        </label>
    }
}
