//! Money, percentages, counts, dates and times written the way each supported language writes
//! them, and which plural form a count takes, by the browser's own `Intl.NumberFormat`,
//! `Intl.DateTimeFormat` and `Intl.PluralRules` (no locale data in the wasm).
//!
//! Amounts stay exact: the `Decimal` is rounded here (half-even, as the engine rounds) and
//! handed to `Intl` as a decimal *string*, which `Intl.NumberFormat` formats without going
//! through a binary float. Formatters are built once per locale and options, then reused.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use js_sys::{Array, Function, Intl, Object, Reflect};
use quote_engine::Money;
use rust_decimal::{Decimal, RoundingStrategy};
use wasm_bindgen::JsValue;

use leptos_i18n::Locale as _;

use crate::i18n::Locale;

thread_local! {
    static FORMATTERS: RefCell<HashMap<String, Function>> = RefCell::new(HashMap::new());
    static PLURAL_RULES: RefCell<HashMap<&'static str, Intl::PluralRules>> = RefCell::new(HashMap::new());
}

/// The `format` function of an `Intl` formatter for `locale` with `options` (cached).
fn formatter(kind: &str, locale: Locale, options: &[(&str, JsValue)]) -> Function {
    let key = format!("{kind}|{}|{options:?}", locale.as_str());
    FORMATTERS.with(|cache| {
        cache
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| {
                let locales = Array::of1(&JsValue::from_str(locale.as_str()));
                let opts = Object::new();
                for (name, value) in options {
                    // Setting a property on a fresh plain object cannot fail.
                    let _ = Reflect::set(&opts, &JsValue::from_str(name), value);
                }
                if kind == "date" {
                    Intl::DateTimeFormat::new(&locales, &opts).format()
                } else {
                    Intl::NumberFormat::new(&locales, &opts).format()
                }
            })
            .clone()
    })
}

fn call(format: &Function, value: &JsValue) -> String {
    format.call1(&JsValue::NULL, value).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

/// `value` rounded half-even to `decimals` places, as an exact decimal string.
fn exact(value: Decimal, decimals: u32) -> String {
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointNearestEven);
    // "-0.00" would print a minus sign for nothing.
    let rounded = if rounded.is_zero() { Decimal::ZERO } else { rounded };
    format!("{:.*}", decimals as usize, rounded)
}

/// A percentage given in percent (e.g. `87.4` → `87 %` in de, `87%` in en), whole numbers.
pub fn format_percent(percent: Decimal, locale: Locale) -> String {
    let fraction = exact(percent, 0).parse::<Decimal>().unwrap_or_default() / Decimal::ONE_HUNDRED;
    let format = formatter("percent", locale, &[("style", JsValue::from_str("percent"))]);
    call(&format, &JsValue::from_str(&fraction.to_string()))
}

/// A percentage given in percent, to at most 4 decimals (a markup: `12.5` → `12.5%` in en,
/// `12,5 %` in de), exact.
pub fn format_percent_exact(percent: Decimal, locale: Locale) -> String {
    let fraction = exact(percent, 4).parse::<Decimal>().unwrap_or_default() / Decimal::ONE_HUNDRED;
    let format = formatter("percent", locale, &[("style", JsValue::from_str("percent")), ("maximumFractionDigits", JsValue::from_f64(4.0))]);
    call(&format, &JsValue::from_str(&fraction.normalize().to_string()))
}

/// An amount in its currency with the currency's minor unit, e.g. `$1,234.50` (en),
/// `1.234,50 $` (de), `1 234,50 US$` (sv), `US$ 1.234,50` (nl), `US$1,234.50` (zh-CN).
pub fn format_money(money: &Money, locale: Locale) -> String {
    let code = money.currency.code();
    let format = formatter(
        "currency",
        locale,
        &[("style", JsValue::from_str("currency")), ("currency", JsValue::from_str(code))],
    );
    call(&format, &JsValue::from_str(&exact(money.amount, money.currency.minor_units())))
}

/// A calendar date in the locale's medium style, e.g. `Nov 22, 2026` (en), `22.11.2026` (de),
/// `22 nov. 2026` (sv), `22 nov 2026` (nl), `2026年11月22日` (zh-CN).
pub fn format_date(date: NaiveDate, locale: Locale) -> String {
    let format = formatter(
        "date",
        locale,
        &[("dateStyle", JsValue::from_str("medium")), ("timeZone", JsValue::from_str("UTC"))],
    );
    // Midnight UTC of that day, formatted in UTC: the calendar date never shifts by a zone.
    // (A time in milliseconds is a float in JavaScript; no amount goes this way.)
    let first_of_month = js_sys::Date::utc(f64::from(date.year()), f64::from(date.month0()));
    let day = js_sys::Date::new(&JsValue::from_f64(first_of_month + f64::from(date.day() - 1) * 86_400_000.0));
    call(&format, &day.into())
}

/// A whole number with the locale's grouping, e.g. `26,280` (en), `26.280` (de), `26 280` (sv).
pub fn format_count(count: i64, locale: Locale) -> String {
    let format = formatter("count", locale, &[("maximumFractionDigits", JsValue::from_f64(0.0))]);
    // As a decimal string: exact for every i64, not only below 2^53.
    call(&format, &JsValue::from_str(&count.to_string()))
}

/// A quantity that may have decimals (Microsoft's invoice lines bill fractions of a unit), with
/// the locale's grouping and up to 6 decimals, exact: `1,234.5` (en), `1.234,5` (de).
pub fn format_decimal(value: Decimal, locale: Locale) -> String {
    let format = formatter("decimal", locale, &[("maximumFractionDigits", JsValue::from_f64(6.0))]);
    call(&format, &JsValue::from_str(&exact(value, 6).parse::<Decimal>().unwrap_or_default().normalize().to_string()))
}

/// A moment given as RFC 3339 (`2026-08-07T14:03:00Z`, as the backends write every time): its
/// date in the locale's medium style and its time to the minute, in UTC and saying so, e.g.
/// `Aug 7, 2026, 2:03 PM UTC` (en), `7. Aug. 2026, 14:03 UTC` (de), `2026年8月7日 UTC 14:03`
/// (zh-CN). A text that is not such a moment is returned as it is.
pub fn format_time(rfc3339: &str, locale: Locale) -> String {
    let millis = js_sys::Date::parse(rfc3339);
    // `Date.parse` also reads forms RFC 3339 does not have ("Aug 7"); only a date with a time is one.
    if millis.is_nan() || rfc3339.len() < 20 || rfc3339.as_bytes().get(10) != Some(&b'T') {
        return rfc3339.to_owned();
    }
    let numeric = || JsValue::from_str("numeric");
    let format = formatter(
        "date",
        locale,
        &[
            ("year", numeric()),
            ("month", JsValue::from_str("short")),
            ("day", numeric()),
            ("hour", numeric()),
            ("minute", JsValue::from_str("2-digit")),
            ("timeZone", JsValue::from_str("UTC")),
            ("timeZoneName", JsValue::from_str("short")),
        ],
    );
    call(&format, &js_sys::Date::new(&JsValue::from_f64(millis)).into())
}

/// The plural forms a count's text takes in the app's languages (CLDR's cardinal categories;
/// English, German, Dutch and Swedish use these two, Chinese only `Other`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    /// Exactly one (`1 row`).
    One,
    /// Every other count (`0 rows`, `2 rows`).
    Other,
}

/// Which plural form `count` takes in `locale`.
pub fn plural(count: i64, locale: Locale) -> Plural {
    let category = PLURAL_RULES.with(|cache| {
        cache
            .borrow_mut()
            .entry(locale.as_str())
            .or_insert_with(|| Intl::PluralRules::new(&Array::of1(&JsValue::from_str(locale.as_str())), &Object::new()))
            .select(count as f64)
    });
    if category == "one" {
        Plural::One
    } else {
        Plural::Other
    }
}

/// A translated text about a count in its plural form: `t_count!(i18n, key, count, var = value…)`
/// picks `key.one` or `key.other` (a locale entry with these two texts) for `count` in the
/// context's language, with `{{ count }}` written by [`format_count`].
#[macro_export]
macro_rules! t_count {
    ($i18n:expr, $key:ident, $count:expr $(, $name:ident = $value:expr)* $(,)?) => {{
        let i18n = $i18n;
        // Any integer: a count beyond i64 (none is) would read as the largest.
        let count: i64 = ::core::convert::TryInto::try_into($count).unwrap_or(i64::MAX);
        let locale = i18n.get_locale();
        let shown = $crate::format::format_count(count, locale);
        match $crate::format::plural(count, locale) {
            $crate::format::Plural::One => $crate::i18n::t_string!(i18n, $key.one, count = shown $(, $name = $value)*).to_string(),
            $crate::format::Plural::Other => $crate::i18n::t_string!(i18n, $key.other, count = shown $(, $name = $value)*).to_string(),
        }
    }};
}
