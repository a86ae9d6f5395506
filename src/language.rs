//! The language choice kept across visits: a cookie for the whole app that lasts a year. It is
//! the cookie leptos_i18n kept (same name and value), written here so the page does not carry
//! leptos-use's cookie jar and the `time` crate (about 10 KB of gzip) for one line of text.

use leptos::prelude::document;
use leptos_i18n::Locale as _;
use wasm_bindgen::JsCast;

use crate::i18n::Locale;
use crate::paths;

/// The cookie's name, as leptos_i18n named it (a choice saved by an earlier build still counts).
const COOKIE: &str = "i18n_pref_locale";

/// The app's locale written `name` (`de`, `zh-CN`; any case), if it has one.
pub fn find(name: &str) -> Option<Locale> {
    Locale::get_all().iter().copied().find(|l| l.as_str().eq_ignore_ascii_case(name))
}

/// The locale named by a `cookie` header's text (`a=1; i18n_pref_locale=de`), if any.
pub fn in_cookies(cookies: &str) -> Option<Locale> {
    cookies.split(';').find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('=')).and_then(find)
}

/// The saved choice, if any.
pub fn saved() -> Option<Locale> {
    in_cookies(&document().unchecked_into::<web_sys::HtmlDocument>().cookie().ok()?)
}

/// Remembers `locale` for every page of the app (the cookie's path is the app's base, not the
/// page's directory) for a year (not only this browser session).
pub fn save(locale: Locale) {
    const YEAR_SECONDS: u32 = 365 * 24 * 60 * 60;
    let cookie = format!("{COOKIE}={}; path={}; max-age={YEAR_SECONDS}", locale.as_str(), paths::href("/"));
    let _ = document().unchecked_into::<web_sys::HtmlDocument>().set_cookie(&cookie);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_saved_choice_is_read_from_among_other_cookies_in_any_case() {
        assert!(find("de").is_some() && find("zh-CN").is_some());
        assert_eq!(in_cookies("a=1; i18n_pref_locale=de; b=2"), find("de"));
        assert_eq!(in_cookies("i18n_pref_locale=ZH-cn"), find("zh-CN"));
        assert_eq!(in_cookies("x_i18n_pref_locale=de"), None);
        assert_eq!(in_cookies("i18n_pref_locale=xx"), None);
        assert_eq!(in_cookies(""), None);
    }
}
