//! Money and dates written the way each supported language writes them.
//!
//! Amounts keep their ISO currency code (partners deal in several currencies, and a bare "$"
//! is ambiguous) and always show the currency's minor unit. Pure functions, tested natively.

use chrono::{Datelike, NaiveDate};
use quote_engine::Money;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::i18n::Locale;

/// Separators and the place of the currency code in one language.
struct NumberStyle {
    group: &'static str,
    decimal: char,
    code_first: bool,
}

fn number_style(locale: Locale) -> NumberStyle {
    match locale {
        Locale::en | Locale::zh_CN => NumberStyle { group: ",", decimal: '.', code_first: true },
        Locale::de => NumberStyle { group: ".", decimal: ',', code_first: false },
        // Swedish groups with a no-break space so an amount never wraps across lines.
        Locale::sv => NumberStyle { group: "\u{a0}", decimal: ',', code_first: false },
        Locale::nl => NumberStyle { group: ".", decimal: ',', code_first: true },
    }
}

/// A decimal with `decimals` places (half-even, as the engine rounds), grouped by thousands.
pub fn format_decimal(value: Decimal, decimals: u32, locale: Locale) -> String {
    let style = number_style(locale);
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointNearestEven);
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push_str(style.group);
        }
        grouped.push(digit);
    }
    if !fraction.is_empty() {
        grouped.push(style.decimal);
        grouped.push_str(fraction);
    }
    if rounded.is_sign_negative() && !rounded.is_zero() {
        grouped.insert(0, '-');
    }
    grouped
}

/// An amount with its currency code, e.g. `USD 1,234.50` (en) or `1.234,50 USD` (de).
pub fn format_money(money: &Money, locale: Locale) -> String {
    let number = format_decimal(money.amount, money.currency.minor_units(), locale);
    let code = money.currency.code();
    if number_style(locale).code_first {
        match number.strip_prefix('-') {
            Some(magnitude) => format!("-{code}\u{a0}{magnitude}"),
            None => format!("{code}\u{a0}{number}"),
        }
    } else {
        format!("{number}\u{a0}{code}")
    }
}

/// A calendar date, e.g. `Nov 22, 2026` (en), `22.11.2026` (de), `2026-11-22` (sv),
/// `22-11-2026` (nl), `2026年11月22日` (zh-CN).
pub fn format_date(date: NaiveDate, locale: Locale) -> String {
    let (y, m, d) = (date.year(), date.month(), date.day());
    match locale {
        Locale::en => date.format("%b %-d, %Y").to_string(),
        Locale::de => format!("{d:02}.{m:02}.{y}"),
        Locale::sv => format!("{y}-{m:02}-{d:02}"),
        Locale::nl => format!("{d:02}-{m:02}-{y}"),
        Locale::zh_CN => format!("{y}年{m}月{d}日"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote_engine::Currency;
    use rust_decimal_macros::dec;

    fn money(amount: Decimal, code: &str) -> Money {
        Money::new(amount, Currency::new(code).unwrap())
    }

    #[test]
    fn money_uses_each_languages_separators_and_code_position() {
        let m = money(dec!(1234567.5), "USD");
        assert_eq!(format_money(&m, Locale::en), "USD\u{a0}1,234,567.50");
        assert_eq!(format_money(&m, Locale::de), "1.234.567,50\u{a0}USD");
        assert_eq!(format_money(&m, Locale::sv), "1\u{a0}234\u{a0}567,50\u{a0}USD");
        assert_eq!(format_money(&m, Locale::nl), "USD\u{a0}1.234.567,50");
        assert_eq!(format_money(&m, Locale::zh_CN), "USD\u{a0}1,234,567.50");
    }

    #[test]
    fn money_shows_the_currencys_minor_unit() {
        assert_eq!(format_money(&money(dec!(125000), "JPY"), Locale::en), "JPY\u{a0}125,000");
        assert_eq!(format_money(&money(dec!(7), "EUR"), Locale::de), "7,00\u{a0}EUR");
        assert_eq!(format_money(&money(dec!(0.125), "USD"), Locale::en), "USD\u{a0}0.12");
    }

    #[test]
    fn negative_amounts_keep_their_sign_and_zero_has_none() {
        assert_eq!(format_money(&money(dec!(-1500.25), "USD"), Locale::en), "-USD\u{a0}1,500.25");
        assert_eq!(format_money(&money(dec!(-1500.25), "USD"), Locale::de), "-1.500,25\u{a0}USD");
        assert_eq!(format_money(&money(dec!(-0.001), "USD"), Locale::en), "USD\u{a0}0.00");
    }

    #[test]
    fn grouping_starts_only_above_three_digits() {
        assert_eq!(format_decimal(dec!(999.99), 2, Locale::en), "999.99");
        assert_eq!(format_decimal(dec!(1000), 0, Locale::de), "1.000");
        assert_eq!(format_decimal(dec!(100000), 0, Locale::en), "100,000");
    }

    #[test]
    fn dates_follow_each_languages_convention() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(format_date(date, Locale::en), "Mar 7, 2026");
        assert_eq!(format_date(date, Locale::de), "07.03.2026");
        assert_eq!(format_date(date, Locale::sv), "2026-03-07");
        assert_eq!(format_date(date, Locale::nl), "07-03-2026");
        assert_eq!(format_date(date, Locale::zh_CN), "2026年3月7日");
    }
}
