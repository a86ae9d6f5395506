//! Number fields as a partner types them: the field keeps exactly the text typed (never the
//! parsed value written back, which moved the caret and turned `0.25` into `250`), the text is
//! parsed apart from the field, and the verdict shows beside it. A native `type=number` field
//! cannot be used: browsers drop a separator they do not expect (`0,25` became `025`), so the
//! field is `type=text` with the keyboard hint, and the parsing here decides.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use rust_decimal::Decimal;

use crate::i18n::*;

/// Why a number field's text is not a number the form can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberProblem {
    /// Nothing typed.
    Empty,
    /// Letters, spaces inside, two separators: not a number.
    NotANumber,
    /// Thousands grouped otherwise than the language groups them (a group of other than three
    /// digits, a group among the decimals, or a point before three digits where it could be
    /// either a decimal point or a thousands separator): refused, never guessed.
    Grouping,
    /// Letters, spaces or signs in a whole-number field (a quantity): digits only.
    NotDigits,
    /// A minus sign where only zero or more makes sense.
    Negative,
    /// An exponent (`1e3`): a partner writes the number out.
    Exponent,
    /// More decimals than the currency has (`max` of them).
    TooManyDecimals { max: u32 },
    /// Decimals in a whole-number field (a quantity).
    NotWhole,
    /// Zero where only more than zero makes sense (a commitment).
    NotPositive,
    /// A whole number outside `min..=max`.
    OutOfRange { min: u32, max: u32 },
}

/// What groups thousands in a language's numbers (in the integer part only, three digits a
/// group).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// `1,000.50`: English and Chinese.
    Comma,
    /// `1.000,50`: German and Dutch.
    Point,
    /// `1 000,50`: Swedish (a space, a no-break space or a narrow no-break space).
    Space,
}

impl Group {
    fn is(self, c: char) -> bool {
        match self {
            Group::Comma => c == ',',
            Group::Point => c == '.',
            Group::Space => matches!(c, ' ' | '\u{a0}' | '\u{202f}'),
        }
    }
}

/// How a language writes a number: its decimal separator and what groups its thousands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumberFormat {
    /// A comma in German, Swedish and Dutch, a point in English and Chinese.
    pub decimal: char,
    /// A comma in English and Chinese, a point in German and Dutch, a space in Swedish.
    pub group: Group,
}

/// The number format of a language (its BCP 47 tag).
pub fn number_format(language: &str) -> NumberFormat {
    match language.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase().as_str() {
        "de" | "nl" => NumberFormat { decimal: ',', group: Group::Point },
        "sv" => NumberFormat { decimal: ',', group: Group::Space },
        _ => NumberFormat { decimal: '.', group: Group::Comma },
    }
}

/// The number format of the language shown.
pub fn locale_number_format(locale: Locale) -> NumberFormat {
    number_format(locale.as_str())
}

/// The decimal separator of a language (its BCP 47 tag): a comma in German, Swedish and Dutch,
/// a point in English and Chinese.
pub fn decimal_separator(language: &str) -> char {
    number_format(language).decimal
}

/// An amount written with `separator` as its decimal separator (for a figure the app puts in
/// a field, e.g. the least commitment, so it reads as the user would type it).
pub fn write_decimal(amount: Decimal, separator: char) -> String {
    amount.to_string().replace('.', &separator.to_string())
}

/// Whether `int` is digits grouped in threes by `group` (`1,000`, `12.345.678`, `1 000`): a
/// first group of one to three digits, not starting with 0, then groups of exactly three.
fn grouped(int: &str, group: Group) -> bool {
    let mut parts = int.split(|c| group.is(c));
    let first = parts.next().unwrap_or_default();
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    (1..=3).contains(&first.len()) && digits(first) && !first.starts_with('0') && parts.all(|p| p.len() == 3 && digits(p))
}

/// A number of zero or more as typed in a language written as `format`: digits with at most
/// one decimal separator, thousands grouped the language's way or not at all, at most
/// `max_decimals` significant decimals; surrounding spaces allowed. Where the decimal separator
/// is a comma, a point is taken as one too (`0.25`), but never a point before exactly three
/// digits: in German and Dutch that point groups thousands (`1.000` is 1000, `1.000,50` is
/// 1000.5) and, where it cannot (`0.250`) or is not the language's group (Swedish), it is
/// refused as ambiguous. A group has exactly three digits and stands in the integer part only
/// (`1,00` and `1,000.000,5` are refused in English). Refuses letters, signs and exponents.
pub fn parse_decimal(text: &str, format: NumberFormat, max_decimals: u32) -> Result<Decimal, NumberProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NumberProblem::Empty);
    }
    sign_or_exponent(text)?;
    let is_group = |c: char| format.group.is(c);
    if !text.chars().all(|c| c.is_ascii_digit() || c == format.decimal || c == '.' || is_group(c)) {
        return Err(NumberProblem::NotANumber);
    }
    let (int, frac) = split_decimal(text, format)?;
    if frac.contains(|c: char| !c.is_ascii_digit()) {
        // A separator among the decimals: a second decimal separator, or a group there.
        return Err(if frac.contains(is_group) { NumberProblem::Grouping } else { NumberProblem::NotANumber });
    }
    let int: String = if int.contains(is_group) {
        if !grouped(&int, format.group) {
            return Err(NumberProblem::Grouping);
        }
        int.chars().filter(char::is_ascii_digit).collect()
    } else if int.bytes().all(|b| b.is_ascii_digit()) {
        int
    } else {
        // A point grouping thousands where the language groups with a space (`1.000,50` in Swedish).
        return Err(NumberProblem::Grouping);
    };
    if int.is_empty() && frac.is_empty() {
        return Err(NumberProblem::NotANumber);
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > max_decimals as usize {
        return Err(if max_decimals == 0 { NumberProblem::NotWhole } else { NumberProblem::TooManyDecimals { max: max_decimals } });
    }
    let int = int.trim_start_matches('0');
    // Decimal holds 28 digits; a longer figure is no commitment anyone types.
    if int.len() + frac.len() > 28 {
        return Err(NumberProblem::NotANumber);
    }
    let written = format!("{}.{}", if int.is_empty() { "0" } else { int }, if frac.is_empty() { "0" } else { frac });
    written.parse::<Decimal>().map(|d| d.normalize()).map_err(|_| NumberProblem::NotANumber)
}

/// `text` (only digits and separators) split at its decimal separator into the integer part
/// (groups still in it) and the decimals (empty when none).
fn split_decimal(text: &str, format: NumberFormat) -> Result<(String, String), NumberProblem> {
    let owned = |(int, frac): (&str, &str)| (int.to_owned(), frac.to_owned());
    // The language's own decimal separator, where there is one.
    if let Some(parts) = text.split_once(format.decimal) {
        return Ok(owned(parts));
    }
    if format.decimal == '.' {
        return Ok((text.to_owned(), String::new()));
    }
    // A comma language with no comma: its points are groups, or one point is the decimal point.
    let points = text.matches('.').count();
    if points == 0 {
        return Ok((text.to_owned(), String::new()));
    }
    if format.group == Group::Point && grouped(text, Group::Point) {
        return Ok((text.to_owned(), String::new()));
    }
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let three_after = frac.len() == 3 && frac.bytes().all(|b| b.is_ascii_digit());
    if points > 1 || three_after {
        // `0.250`, `1.2.3` in German; `1.000` in Swedish: thousands or decimals cannot be told.
        return Err(if three_after || format.group == Group::Point { NumberProblem::Grouping } else { NumberProblem::NotANumber });
    }
    Ok(owned((int, frac)))
}

/// A positive amount as typed (a commitment): as [`parse_decimal`], and more than zero.
pub fn parse_positive_decimal(text: &str, format: NumberFormat, max_decimals: u32) -> Result<Decimal, NumberProblem> {
    parse_decimal(text, format, max_decimals).and_then(|d| if d.is_zero() { Err(NumberProblem::NotPositive) } else { Ok(d) })
}

/// A whole number within `min..=max` as typed (a quantity): digits only, surrounding spaces
/// allowed; a separator is said to be decimals, anything else not a digit ([`NumberProblem::NotDigits`]).
/// Agrees with the service's `parse_quantity` on what it accepts.
pub fn parse_whole(text: &str, min: u32, max: u32) -> Result<u32, NumberProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NumberProblem::Empty);
    }
    sign_or_exponent(text)?;
    if text.contains(['.', ',']) {
        return Err(NumberProblem::NotWhole);
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberProblem::NotDigits);
    }
    let out_of_range = NumberProblem::OutOfRange { min, max };
    text.parse::<u32>().ok().filter(|n| (min..=max).contains(n)).ok_or(out_of_range)
}

/// A whole number within `min..=max` as typed in a language written as `format` (a quantity):
/// as [`parse_whole`], but thousands grouped the language's way are read as such (`1.000` in
/// German, `1,000` in English, `1 000` in Swedish are one thousand), so a number too large is
/// said to be out of range, never to have decimals. A separator that groups no thousands
/// (`1.5`, `1.00` in German) is still decimals.
pub fn parse_whole_in(text: &str, min: u32, max: u32, format: NumberFormat) -> Result<u32, NumberProblem> {
    let trimmed = text.trim();
    if trimmed.contains(|c| format.group.is(c)) && grouped(trimmed, format.group) {
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        return parse_whole(&digits, min, max);
    }
    parse_whole(text, min, max)
}

/// A leading sign or an exponent among digits: what a native number field let through.
fn sign_or_exponent(text: &str) -> Result<(), NumberProblem> {
    if text.starts_with(['-', '\u{2212}']) {
        return Err(NumberProblem::Negative);
    }
    let starts_numeric = text.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    if starts_numeric && text.contains(['e', 'E']) {
        return Err(NumberProblem::Exponent);
    }
    Ok(())
}

/// The verdict on a number field in the user's language.
pub fn number_problem_text(i18n: I18nContext<Locale>, problem: NumberProblem) -> String {
    match problem {
        NumberProblem::Empty => t_string!(i18n, number_empty).to_string(),
        NumberProblem::NotANumber => t_string!(i18n, number_not_a_number).to_string(),
        NumberProblem::Grouping => t_string!(i18n, number_grouping).to_string(),
        NumberProblem::NotDigits => t_string!(i18n, number_not_digits).to_string(),
        NumberProblem::Negative => t_string!(i18n, number_negative).to_string(),
        NumberProblem::Exponent => t_string!(i18n, number_exponent).to_string(),
        NumberProblem::TooManyDecimals { max } => t_string!(i18n, number_too_many_decimals, max = max).to_string(),
        NumberProblem::NotWhole => t_string!(i18n, number_not_whole).to_string(),
        NumberProblem::NotPositive => t_string!(i18n, number_not_positive).to_string(),
        NumberProblem::OutOfRange { min, max } => t_string!(i18n, number_out_of_range, min = min, max = max).to_string(),
    }
}

/// A number field: a text input that keeps what is typed, with the keyboard hint for decimals
/// or whole numbers, and the verdict beside it (tied by `aria-describedby`, with
/// `aria-invalid`). The caller keeps the text and parses it.
#[component]
pub fn NumberField(
    /// The input's id; the verdict's is this with `-verdict`.
    #[prop(into)]
    id: String,
    /// The text as typed.
    #[prop(into)]
    value: Signal<String>,
    /// Keeps the text as typed (called on every input).
    on_input: Callback<String>,
    /// The verdict in the user's language while the text is not usable, else `None`.
    #[prop(into)]
    verdict: Signal<Option<String>>,
    /// Whole numbers only (a quantity): the numeric keyboard; else the decimal one.
    #[prop(optional)]
    whole: bool,
    /// Other elements that describe the field (a hint), by id, space-separated.
    #[prop(optional, into)]
    described_by: Option<String>,
    /// Whether the field is invalid for a reason shown elsewhere (e.g. a quote's refusal).
    #[prop(optional, into)]
    invalid: Option<Signal<bool>>,
) -> impl IntoView {
    let verdict_id = format!("{id}-verdict");
    let describedby = {
        let verdict_id = verdict_id.clone();
        move || {
            let mut ids: Vec<String> = described_by.iter().cloned().collect();
            if verdict.with(Option::is_some) {
                ids.push(verdict_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let flagged = move || verdict.with(Option::is_some) || invalid.is_some_and(|s| s.get());
    view! {
        <input id=id type="text" class="qty" inputmode=if whole { "numeric" } else { "decimal" } autocomplete="off"
            prop:value=move || value.get()
            on:input=move |e| on_input.run(event_target_value(&e))
            on:keydown=move |e| {
                // A whole number steps by one with the arrow keys, as a keyboard user expects of a
                // quantity (never below zero; the verdict says what else is out of range).
                let step: i64 = match e.key().as_str() {
                    "ArrowUp" if whole => 1,
                    "ArrowDown" if whole => -1,
                    _ => return,
                };
                if let Ok(n) = value.get_untracked().trim().parse::<u32>() {
                    e.prevent_default();
                    let next = (i64::from(n) + step).clamp(0, i64::from(u32::MAX));
                    on_input.run(next.to_string());
                }
            }
            aria-invalid=move || flagged().to_string()
            aria-describedby=describedby />
        {move || verdict.get().map(|text| view! { <span class="field-error" id=verdict_id.clone() aria-live="polite">{text}</span> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumberProblem::*;

    const LANGUAGES: [&str; 5] = ["en", "de", "sv", "nl", "zh-CN"];

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn parse(text: &str, language: &str) -> Result<Decimal, NumberProblem> {
        parse_positive_decimal(text, number_format(language), 2)
    }

    #[test]
    fn each_language_has_its_decimal_separator_and_its_thousands_group() {
        for (tag, sep, group) in [
            ("en", '.', Group::Comma),
            ("de", ',', Group::Point),
            ("sv", ',', Group::Space),
            ("nl", ',', Group::Point),
            ("zh-CN", '.', Group::Comma),
            ("de-AT", ',', Group::Point),
        ] {
            assert_eq!(decimal_separator(tag), sep, "{tag}");
            assert_eq!(number_format(tag), NumberFormat { decimal: sep, group }, "{tag}");
        }
        assert_eq!(write_decimal(dec("0.25"), ','), "0,25");
        assert_eq!(write_decimal(dec("12"), ','), "12");
    }

    #[test]
    fn a_commitment_keeps_what_is_typed_in_either_separator() {
        for tag in LANGUAGES {
            assert_eq!(parse("0.25", tag), Ok(dec("0.25")), "{tag}");
            assert_eq!(parse("1.50", tag), Ok(dec("1.5")), "{tag}");
            assert_eq!(parse("12.5", tag), Ok(dec("12.5")), "{tag}");
            assert_eq!(parse(" 3 ", tag), Ok(dec("3")), "{tag}");
            assert_eq!(parse(".5", tag), Ok(dec("0.5")), "{tag}");
            assert_eq!(parse("1000", tag), Ok(dec("1000")), "{tag}: no grouping at all");
            assert_eq!(parse("1234567.5", tag), Ok(dec("1234567.5")), "{tag}");
        }
        for tag in ["de", "sv", "nl"] {
            assert_eq!(parse("0,25", tag), Ok(dec("0.25")), "{tag}");
            assert_eq!(parse("1,50", tag), Ok(dec("1.5")), "{tag}");
            assert_eq!(parse("12,5", tag), Ok(dec("12.5")), "{tag}");
            assert_eq!(parse("1,000", tag), Ok(dec("1")), "{tag}: a comma there is the decimal comma");
            assert_eq!(parse("1000,5", tag), Ok(dec("1000.5")), "{tag}");
        }
    }

    #[test]
    fn english_and_chinese_group_thousands_with_a_comma() {
        for tag in ["en", "zh-CN"] {
            assert_eq!(parse("1,000", tag), Ok(dec("1000")), "{tag}");
            assert_eq!(parse("1,000.50", tag), Ok(dec("1000.5")), "{tag}");
            assert_eq!(parse("12,345,678", tag), Ok(dec("12345678")), "{tag}");
            assert_eq!(parse("999,999.99", tag), Ok(dec("999999.99")), "{tag}");
            // A comma is not their decimal separator, and a group has exactly three digits.
            for refused in ["0,25", "1,5", "1,00", "1,0000", "12,34,567", ",500", "0,500", "01,000", "1,000,", "1.000,5", "1.5,000"] {
                assert_eq!(parse(refused, tag), Err(Grouping), "{tag}: {refused}");
            }
            assert_eq!(parse("1.000", tag), Ok(dec("1")), "{tag}: the point is the decimal point");
            assert_eq!(parse("1 000", tag), Err(NotANumber), "{tag}: a space does not group here");
            assert_eq!(parse("1.000.000", tag), Err(NotANumber), "{tag}: two decimal points");
        }
    }

    #[test]
    fn german_and_dutch_read_a_point_before_three_digits_as_thousands_never_as_decimals() {
        for tag in ["de", "nl"] {
            assert_eq!(parse("1.000", tag), Ok(dec("1000")), "{tag}");
            assert_eq!(parse("1.000,50", tag), Ok(dec("1000.5")), "{tag}");
            assert_eq!(parse("12.345.678", tag), Ok(dec("12345678")), "{tag}");
            assert_eq!(parse("1.500", tag), Ok(dec("1500")), "{tag}: one thousand five hundred, not one and a half");
            assert_eq!(parse("999.999,99", tag), Ok(dec("999999.99")), "{tag}");
            // A point before exactly three digits that cannot be a group is not read as a decimal
            // point either: refused as ambiguous. So are groups of other than three digits.
            for refused in ["0.250", "0.001", "1234.567", ".500", "1.000.5", "1.2.3", "1.00,5", "12.34.567", "1,000.5", "01.000", "1.2,3"] {
                assert_eq!(parse(refused, tag), Err(Grouping), "{tag}: {refused}");
            }
            assert_eq!(parse("1 000", tag), Err(NotANumber), "{tag}: a space does not group here");
            assert_eq!(parse("1,2,3", tag), Err(NotANumber), "{tag}: two decimal commas");
        }
    }

    #[test]
    fn swedish_groups_thousands_with_a_space_and_never_reads_a_point_before_three_digits() {
        for typed in ["1 000", "1\u{a0}000", "1\u{202f}000"] {
            assert_eq!(parse(typed, "sv"), Ok(dec("1000")), "{typed:?}");
        }
        assert_eq!(parse("1 000,50", "sv"), Ok(dec("1000.5")));
        assert_eq!(parse("12 345 678", "sv"), Ok(dec("12345678")));
        assert_eq!(parse("1 000.50", "sv"), Ok(dec("1000.5")), "a point as the decimal point");
        // A point is not Swedish grouping: before three digits it is refused as ambiguous.
        for refused in ["1.000", "0.250", "1.000,50", "1 00", "1  000", "1 000 0", " 1 0000"] {
            assert_eq!(parse(refused, "sv"), Err(Grouping), "{refused:?}");
        }
        assert_eq!(parse("1.2.3", "sv"), Err(NotANumber));
    }

    #[test]
    fn a_commitment_refuses_signs_exponents_letters_and_extra_decimals() {
        for tag in LANGUAGES {
            assert_eq!(parse("-5", tag), Err(Negative), "{tag}");
            assert_eq!(parse("\u{2212}5", tag), Err(Negative), "{tag}");
            assert_eq!(parse("1e3", tag), Err(Exponent), "{tag}");
            assert_eq!(parse("1.5E2", tag), Err(Exponent), "{tag}");
            assert_eq!(parse("abc", tag), Err(NotANumber), "{tag}");
            assert_eq!(parse("+1", tag), Err(NotANumber), "{tag}");
            assert_eq!(parse(".", tag), Err(NotANumber), "{tag}");
            assert_eq!(parse("", tag), Err(Empty), "{tag}");
            assert_eq!(parse("0", tag), Err(NotPositive), "{tag}");
            assert_eq!(parse("0.00", tag), Err(NotPositive), "{tag}");
            assert_eq!(parse_positive_decimal("12.5", number_format(tag), 0), Err(NotWhole), "{tag}: yen have no decimals");
            assert_eq!(parse("99999999999999999999999999999", tag), Err(NotANumber), "{tag}");
        }
        for tag in ["en", "zh-CN"] {
            assert_eq!(parse("0.001", tag), Err(TooManyDecimals { max: 2 }), "{tag}");
            assert_eq!(parse("3.100", tag), Ok(dec("3.1")), "{tag}: trailing zeros are not precision");
            assert_eq!(parse("1.2.3", tag), Err(NotANumber), "{tag}");
        }
        for tag in ["de", "sv", "nl"] {
            assert_eq!(parse("0,001", tag), Err(TooManyDecimals { max: 2 }), "{tag}");
            assert_eq!(parse("3,100", tag), Ok(dec("3.1")), "{tag}: trailing zeros are not precision");
            assert_eq!(parse("0.00", tag), Err(NotPositive), "{tag}");
        }
        assert_eq!(parse_positive_decimal("1.000", number_format("de"), 0), Ok(dec("1000")), "yen in German");
    }

    #[test]
    fn a_quantity_is_a_whole_number_in_range_and_says_why_not() {
        assert_eq!(parse_whole("2", 1, 4), Ok(2));
        assert_eq!(parse_whole(" 4 ", 1, 4), Ok(4));
        assert_eq!(parse_whole("0", 0, 4), Ok(0));
        assert_eq!(parse_whole("1.5", 1, 4), Err(NotWhole));
        assert_eq!(parse_whole("1,5", 1, 4), Err(NotWhole));
        assert_eq!(parse_whole("-5", 1, 4), Err(Negative));
        assert_eq!(parse_whole("1e3", 1, 4), Err(Exponent));
        assert_eq!(parse_whole("", 1, 4), Err(Empty));
        assert_eq!(parse_whole("0", 1, 4), Err(OutOfRange { min: 1, max: 4 }));
        assert_eq!(parse_whole("5", 1, 4), Err(OutOfRange { min: 1, max: 4 }));
        assert_eq!(parse_whole("99999999999", 1, 4), Err(OutOfRange { min: 1, max: 4 }));
        // Letters, spaces and signs: digits only (not a word about decimal separators).
        for typed in ["two", "abc", "2x", "+2", "1 2"] {
            assert_eq!(parse_whole(typed, 1, 4), Err(NotDigits), "{typed:?}");
        }
    }

    #[test]
    fn a_quantity_grouped_the_languages_way_is_read_and_then_held_to_its_range() {
        let (de, en, sv) = (number_format("de"), number_format("en"), number_format("sv"));
        // One thousand as German, English and Swedish write it: the most a purchase may buy.
        assert_eq!(parse_whole_in("1.000", 1, 1000, de), Ok(1000));
        assert_eq!(parse_whole_in(" 1,000 ", 1, 1000, en), Ok(1000));
        assert_eq!(parse_whole_in("1 000", 1, 1000, sv), Ok(1000));
        // More than that: too many, in the range's own words (never "no decimals").
        assert_eq!(parse_whole_in("2.000", 1, 1000, de), Err(OutOfRange { min: 1, max: 1000 }));
        assert_eq!(parse_whole_in("1.000.000.000.000", 1, 1000, de), Err(OutOfRange { min: 1, max: 1000 }));
        // A separator that groups no thousands, or another language's group: decimals, as before.
        for (typed, format) in [("1.5", de), ("1.00", de), ("1,5", de), ("1.000", en), ("1,000", de), ("1.000", sv)] {
            assert_eq!(parse_whole_in(typed, 1, 1000, format), Err(NotWhole), "{typed:?}");
        }
        assert_eq!(parse_whole_in("12", 1, 1000, de), Ok(12));
        assert_eq!(parse_whole_in("two", 1, 1000, de), Err(NotDigits));
    }

    #[test]
    fn a_quantity_means_what_the_service_parses() {
        use desk_service::quantity::parse_quantity;
        for text in ["1", "2", "4", " 3 ", "0", "5", "-1", "1.5", "", "two", "1e2", "+2", "1,5", "01"] {
            assert_eq!(parse_whole(text, 1, 4).ok(), parse_quantity(text, 4).filter(|_| !text.trim().starts_with('+')), "{text:?}");
        }
    }
}
