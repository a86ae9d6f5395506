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

/// The decimal separator of a language (its BCP 47 tag): a comma in German, Swedish and Dutch,
/// a point in English and Chinese.
pub fn decimal_separator(language: &str) -> char {
    match language.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase().as_str() {
        "de" | "sv" | "nl" => ',',
        _ => '.',
    }
}

/// The decimal separator of the language shown.
pub fn locale_separator(locale: Locale) -> char {
    decimal_separator(locale.as_str())
}

/// An amount written with `separator` as its decimal separator (for a figure the app puts in
/// a field, e.g. the least commitment, so it reads as the user would type it).
pub fn write_decimal(amount: Decimal, separator: char) -> String {
    amount.to_string().replace('.', &separator.to_string())
}

/// A number of zero or more as typed: digits with at most one decimal separator (the locale's
/// `separator`, or a point), at most `max_decimals` significant decimals; surrounding spaces
/// allowed. Refuses letters, signs, exponents and grouping.
pub fn parse_decimal(text: &str, separator: char, max_decimals: u32) -> Result<Decimal, NumberProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NumberProblem::Empty);
    }
    sign_or_exponent(text)?;
    let is_separator = |c: char| c == separator || c == '.';
    let (int, frac) = match text.split_once(is_separator) {
        Some((int, frac)) => (int, frac),
        None => (text, ""),
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) || (int.is_empty() && frac.is_empty()) {
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

/// A positive amount as typed (a commitment): as [`parse_decimal`], and more than zero.
pub fn parse_positive_decimal(text: &str, separator: char, max_decimals: u32) -> Result<Decimal, NumberProblem> {
    parse_decimal(text, separator, max_decimals).and_then(|d| if d.is_zero() { Err(NumberProblem::NotPositive) } else { Ok(d) })
}

/// A whole number within `min..=max` as typed (a quantity): digits only, surrounding spaces
/// allowed. Agrees with the service's `parse_quantity` on what it accepts.
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
        return Err(NumberProblem::NotANumber);
    }
    let out_of_range = NumberProblem::OutOfRange { min, max };
    text.parse::<u32>().ok().filter(|n| (min..=max).contains(n)).ok_or(out_of_range)
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

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn each_language_has_its_decimal_separator() {
        for (tag, sep) in [("en", '.'), ("de", ','), ("sv", ','), ("nl", ','), ("zh-CN", '.'), ("de-AT", ',')] {
            assert_eq!(decimal_separator(tag), sep, "{tag}");
        }
        assert_eq!(write_decimal(dec("0.25"), ','), "0,25");
        assert_eq!(write_decimal(dec("12"), ','), "12");
    }

    #[test]
    fn a_commitment_keeps_what_is_typed_in_either_separator() {
        for tag in ["en", "de", "sv", "nl", "zh-CN"] {
            let sep = decimal_separator(tag);
            assert_eq!(parse_positive_decimal("0.25", sep, 2), Ok(dec("0.25")), "{tag}");
            assert_eq!(parse_positive_decimal("1.50", sep, 2), Ok(dec("1.5")), "{tag}");
            assert_eq!(parse_positive_decimal("12.5", sep, 2), Ok(dec("12.5")), "{tag}");
            assert_eq!(parse_positive_decimal(" 3 ", sep, 2), Ok(dec("3")), "{tag}");
            assert_eq!(parse_positive_decimal(".5", sep, 2), Ok(dec("0.5")), "{tag}");
        }
        for tag in ["de", "sv", "nl"] {
            let sep = decimal_separator(tag);
            assert_eq!(parse_positive_decimal("0,25", sep, 2), Ok(dec("0.25")), "{tag}");
            assert_eq!(parse_positive_decimal("1,50", sep, 2), Ok(dec("1.5")), "{tag}");
            assert_eq!(parse_positive_decimal("12,5", sep, 2), Ok(dec("12.5")), "{tag}");
        }
        for tag in ["en", "zh-CN"] {
            assert_eq!(parse_positive_decimal("0,25", decimal_separator(tag), 2), Err(NotANumber), "{tag}: a comma is not its separator");
        }
    }

    #[test]
    fn a_commitment_refuses_signs_exponents_letters_and_extra_decimals() {
        for sep in ['.', ','] {
            assert_eq!(parse_positive_decimal("-5", sep, 2), Err(Negative));
            assert_eq!(parse_positive_decimal("\u{2212}5", sep, 2), Err(Negative));
            assert_eq!(parse_positive_decimal("1e3", sep, 2), Err(Exponent));
            assert_eq!(parse_positive_decimal("1.5E2", sep, 2), Err(Exponent));
            assert_eq!(parse_positive_decimal("abc", sep, 2), Err(NotANumber));
            assert_eq!(parse_positive_decimal("1.2.3", sep, 2), Err(NotANumber));
            assert_eq!(parse_positive_decimal("1 000", sep, 2), Err(NotANumber));
            assert_eq!(parse_positive_decimal("+1", sep, 2), Err(NotANumber));
            assert_eq!(parse_positive_decimal(".", sep, 2), Err(NotANumber));
            assert_eq!(parse_positive_decimal("", sep, 2), Err(Empty));
            assert_eq!(parse_positive_decimal("0", sep, 2), Err(NotPositive));
            assert_eq!(parse_positive_decimal("0.00", sep, 2), Err(NotPositive));
            assert_eq!(parse_positive_decimal("0.001", sep, 2), Err(TooManyDecimals { max: 2 }));
            assert_eq!(parse_positive_decimal("3.100", sep, 2), Ok(dec("3.1")), "trailing zeros are not precision");
            assert_eq!(parse_positive_decimal("12.5", sep, 0), Err(NotWhole), "yen have no decimals");
            assert_eq!(parse_positive_decimal("99999999999999999999999999999", sep, 2), Err(NotANumber));
        }
        assert_eq!(parse_positive_decimal("1,2,3", ',', 2), Err(NotANumber));
        assert_eq!(parse_positive_decimal("1.2,3", ',', 2), Err(NotANumber));
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
        assert_eq!(parse_whole("two", 1, 4), Err(NotANumber));
        assert_eq!(parse_whole("", 1, 4), Err(Empty));
        assert_eq!(parse_whole("0", 1, 4), Err(OutOfRange { min: 1, max: 4 }));
        assert_eq!(parse_whole("5", 1, 4), Err(OutOfRange { min: 1, max: 4 }));
        assert_eq!(parse_whole("99999999999", 1, 4), Err(OutOfRange { min: 1, max: 4 }));
    }

    #[test]
    fn a_quantity_means_what_the_service_parses() {
        use desk_service::quantity::parse_quantity;
        for text in ["1", "2", "4", " 3 ", "0", "5", "-1", "1.5", "", "two", "1e2", "+2", "1,5", "01"] {
            assert_eq!(parse_whole(text, 1, 4).ok(), parse_quantity(text, 4).filter(|_| !text.trim().starts_with('+')), "{text:?}");
        }
    }
}
