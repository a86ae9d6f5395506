//! Money, percentages and dates written the way each supported language writes them, by the
//! browser's own `Intl.NumberFormat` / `Intl.DateTimeFormat` (no locale data in the wasm).
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
