//! The app's language: which locale a visit starts in, the choice kept across visits, and
//! `<html lang>`.
//!
//! The locale comes from, in order: `?lang=` in the URL, the saved choice (a cookie for the whole
//! app that lasts a year), the browser's `navigator.languages`, else English. A choice is what
//! the user asked for: a `?lang=` link or the language picker. It is saved, and the browser's
//! languages changing while the page is open do not override it; a locale matched from the
//! browser's languages is not saved (the next visit matches them again, as they are then), and
//! follows them while the page is open. The picker's choice also drops `?lang=` from the address,
//! so that a reload keeps what was picked. The cookie is the one leptos_i18n kept (same name and
//! value), written here so the page does not carry leptos-use's cookie jar and the `time` crate
//! (about 10 KB of gzip) for one line of text. The browser's languages are matched here too, as
//! leptos_i18n's provider matched them ([`negotiate`]), so the first module does not carry icu's
//! locale parser (vendor/README.md).

use std::cell::Cell;

use leptos::prelude::{document, on_cleanup, window, window_event_listener_untyped, Effect};
use leptos_i18n::{I18nContext, Locale as _};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use crate::i18n::Locale;
use crate::paths;

/// The cookie's name, as leptos_i18n named it (a choice saved by an earlier build still counts).
const COOKIE: &str = "i18n_pref_locale";

thread_local! {
    /// Whether the locale shown is one the user chose (a `?lang=` link, the saved choice, the
    /// picker), not one matched from the browser's languages.
    static CHOSEN: Cell<bool> = const { Cell::new(false) };
}

/// Provides the app's i18n context (leptos_i18n's `use_i18n()` finds it) on the locale a visit
/// starts in; `<html lang>` and `dir` follow the locale shown. Unless the user chose one, a
/// change of the browser's languages while the page is open ([`languagechange`]) shows the
/// language they now ask for, as leptos_i18n's provider did.
///
/// [`languagechange`]: https://developer.mozilla.org/docs/Web/API/Window/languagechange_event
pub fn provide() -> I18nContext<Locale> {
    let linked = from_url();
    if let Some(locale) = linked {
        save(locale);
    }
    let chosen = linked.or_else(saved);
    CHOSEN.with(|c| c.set(chosen.is_some()));
    let i18n = leptos_i18n::context::provide_i18n_context_with_locale(chosen.unwrap_or_else(browsers));
    Effect::new(move |_| {
        let locale = i18n.get_locale();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", locale.as_str());
            let _ = html.set_attribute("dir", locale.direction().as_str());
        }
    });
    let listener = window_event_listener_untyped("languagechange", move |_| {
        let wanted = browsers();
        if !CHOSEN.with(Cell::get) && wanted != i18n.get_locale_untracked() {
            i18n.set_locale(wanted);
        }
    });
    // Removed with the app (the browser tests mount it again and again in one page).
    let listener = SendWrapper::new(listener);
    on_cleanup(move || listener.take().remove());
    i18n
}

/// Shows `locale`, the user's choice in the language picker: saved for the next visits, kept when
/// the browser's languages change, and a `?lang=` in the address dropped (a reload shows the
/// choice, not the link's language).
pub fn choose(i18n: I18nContext<Locale>, locale: Locale) {
    CHOSEN.with(|c| c.set(true));
    i18n.set_locale(locale);
    save(locale);
    let Ok(url) = web_sys::Url::new(&window().location().href().unwrap_or_default()) else { return };
    if url.search_params().get("lang").is_some() {
        url.search_params().delete("lang");
        let history = window().history().ok();
        let state = history.as_ref().and_then(|h| h.state().ok()).unwrap_or(wasm_bindgen::JsValue::NULL);
        let _ = history.map(|h| h.replace_state_with_url(&state, "", Some(&url.href())));
    }
}

/// The locale a shared link asks for with `?lang=de` (or `zh-CN`, …), if any.
fn from_url() -> Option<Locale> {
    let search = window().location().search().ok()?;
    find(&web_sys::UrlSearchParams::new_with_str(&search).ok()?.get("lang")?)
}

/// The locale the browser's languages ask for ([`negotiate`]).
fn browsers() -> Locale {
    let languages = window().navigator().languages();
    negotiate(&languages.iter().filter_map(|language| language.as_string()).collect::<Vec<_>>())
}

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

/// The app's locale for a browser's languages (`navigator.languages`, most wanted first), as
/// leptos_i18n's `Locale::find_locale` chose it: the first language tag that one of the app's
/// locales matches decides, a locale equal to the tag before one that covers it (an app locale
/// covers a tag when each subtag it has is the tag's: `de` covers `de-AT`, `zh-CN` covers
/// `zh-Hans-CN`, neither `zh` nor `zh-TW`); a tag that is not well formed counts for nothing;
/// English when none matches.
pub fn negotiate<S: AsRef<str>>(languages: &[S]) -> Locale {
    let ours: Vec<(Locale, Tag)> = Locale::get_all().iter().filter_map(|&locale| Some((locale, Tag::parse(locale.as_str())?))).collect();
    for wanted in languages.iter().filter_map(|language| Tag::parse(language.as_ref())) {
        let equal = ours.iter().find(|(_, ours)| ours.equals(&wanted));
        if let Some((locale, _)) = equal.or_else(|| ours.iter().find(|(_, ours)| ours.covers(&wanted))) {
            return *locale;
        }
    }
    Locale::default()
}

/// A language tag's subtags as icu reads a language identifier from a locale (what
/// leptos_i18n matched): the language (2–3 letters), then an optional script (4 letters), an
/// optional region (2 letters or 3 digits) and variants (5–8 letters or digits, or 4 of them
/// starting with a digit), `-` between them; a one-character subtag starts the extensions,
/// which are not read. Compared without regard to case.
struct Tag<'a> {
    language: &'a str,
    script: Option<&'a str>,
    region: Option<&'a str>,
    variants: Vec<&'a str>,
}

impl<'a> Tag<'a> {
    /// `tag`'s subtags, or `None` if it is not well formed (`de_DE`, `en-`, `german`).
    fn parse(tag: &'a str) -> Option<Self> {
        let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let mut subtags = tag.split('-');
        let language = subtags.next().filter(|s| (2..=3).contains(&s.len()) && alpha(s))?;
        let mut parsed = Tag { language, script: None, region: None, variants: Vec::new() };
        for subtag in subtags {
            let len = subtag.len();
            let variant = subtag.bytes().all(|b| b.is_ascii_alphanumeric())
                && ((5..=8).contains(&len) || (len == 4 && subtag.as_bytes()[0].is_ascii_digit()));
            if len == 1 {
                break;
            } else if parsed.script.is_none() && parsed.region.is_none() && parsed.variants.is_empty() && len == 4 && alpha(subtag) {
                parsed.script = Some(subtag);
            } else if parsed.region.is_none() && parsed.variants.is_empty() && ((len == 2 && alpha(subtag)) || (len == 3 && digits(subtag))) {
                parsed.region = Some(subtag);
            } else if variant && !parsed.variants.iter().any(|v| v.eq_ignore_ascii_case(subtag)) {
                parsed.variants.push(subtag);
            } else {
                return None;
            }
        }
        Some(parsed)
    }

    /// Whether `self` and `other` are the same identifier.
    fn equals(&self, other: &Tag) -> bool {
        let same = |a: Option<&str>, b: Option<&str>| match (a, b) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => a.is_none() && b.is_none(),
        };
        self.language.eq_ignore_ascii_case(other.language)
            && same(self.script, other.script)
            && same(self.region, other.region)
            && self.same_variants(other)
    }

    /// Whether `self`, as a range, covers `other`: each subtag `self` has is `other`'s (an
    /// undetermined language, `und`, covers any).
    fn covers(&self, other: &Tag) -> bool {
        let covered = |a: Option<&str>, b: Option<&str>| a.is_none_or(|a| b.is_some_and(|b| a.eq_ignore_ascii_case(b)));
        (self.language.eq_ignore_ascii_case("und") || self.language.eq_ignore_ascii_case(other.language))
            && covered(self.script, other.script)
            && covered(self.region, other.region)
            && (self.variants.is_empty() || self.same_variants(other))
    }

    /// Whether the two have the same variants (in any order: icu sorts them).
    fn same_variants(&self, other: &Tag) -> bool {
        self.variants.len() == other.variants.len() && self.variants.iter().all(|v| other.variants.iter().any(|o| o.eq_ignore_ascii_case(v)))
    }
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

    #[test]
    fn the_browsers_languages_choose_as_leptos_i18n_chose() {
        let chosen = |languages: &[&str]| negotiate(languages).as_str();
        // A language, with or without its country, in any case.
        assert_eq!(chosen(&["de"]), "de");
        assert_eq!(chosen(&["de-DE"]), "de");
        assert_eq!(chosen(&["de-AT", "en"]), "de");
        assert_eq!(chosen(&["SV-se"]), "sv");
        assert_eq!(chosen(&["nl-BE"]), "nl");
        assert_eq!(chosen(&["en-GB", "de"]), "en");
        // The first language the app has decides, not the first the list names.
        assert_eq!(chosen(&["fr-FR", "fr", "nl-NL", "de"]), "nl");
        // Chinese: only mainland China's, with or without its script.
        assert_eq!(chosen(&["zh-CN"]), "zh-CN");
        assert_eq!(chosen(&["zh-cn"]), "zh-CN");
        assert_eq!(chosen(&["zh-Hans-CN"]), "zh-CN");
        assert_eq!(chosen(&["zh"]), "en");
        assert_eq!(chosen(&["zh-TW", "sv"]), "sv");
        assert_eq!(chosen(&["zh-Hans", "nl"]), "nl");
        // Variants and extensions: the language still counts.
        assert_eq!(chosen(&["de-1996"]), "de");
        assert_eq!(chosen(&["de-CH-1901"]), "de");
        assert_eq!(chosen(&["de-DE-u-co-phonebk"]), "de");
        assert_eq!(chosen(&["sv-x-private"]), "sv");
        // Not well formed: skipped (icu 2 reads `-` only between subtags).
        assert_eq!(chosen(&["de_DE", "sv"]), "sv");
        assert_eq!(chosen(&["", "de-", "german", "d", "nl"]), "nl");
        assert_eq!(chosen(&["de-DE-DE", "sv"]), "sv");
        assert_eq!(chosen(&["de-1996-1996", "sv"]), "sv");
        assert_eq!(chosen(&["*", "de"]), "de");
        // Nothing the app has, or nothing at all: English.
        assert_eq!(chosen(&["fr", "ja-JP"]), "en");
        assert_eq!(chosen(&[]), "en");
    }
}
