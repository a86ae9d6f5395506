//! The portfolio as CSV: RFC 4180, a UTF-8 BOM and CRLF so that Excel opens it cleanly, amounts
//! as plain decimals with a point, dates in ISO 8601, and no cell a spreadsheet would run as a
//! formula ([`neutralised`]).

use std::borrow::Cow;

use super::*;

/// The characters a spreadsheet reads as the start of a formula (or, tab and CR, as a cell
/// break before one): OWASP's "CSV Injection" list.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `field` as a spreadsheet shows it and never runs it (OWASP "CSV Injection"): a text starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which Excel,
/// LibreOffice and Google Sheets read as "this is text". A plain number (`-12.50`, `3`) is left as
/// it is, so a negative amount stays a number; no formula is a plain number.
pub fn neutralised(field: &str) -> Cow<'_, str> {
    if field.starts_with(FORMULA_START) && !is_plain_number(field) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// Digits with an optional leading minus and an optional decimal point between digits: how this
/// file writes every number (`Decimal` and integers), and nothing a spreadsheet evaluates.
fn is_plain_number(field: &str) -> bool {
    let digits = field.strip_prefix('-').unwrap_or(field);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

/// One CSV field, [`neutralised`], then quoted by RFC 4180 when it holds a comma, a quote, CR or
/// LF (quotes doubled).
fn csv_field(out: &mut String, field: &str) {
    let field = &*neutralised(field);
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// A CSV document: UTF-8 byte-order mark (so Excel reads the text as UTF-8), the header, then
/// one record per line; CRLF line ends and RFC 4180 quoting.
pub fn csv<I, R, S>(header: &[&str], records: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::from('\u{feff}');
    let mut line = |fields: &mut dyn Iterator<Item = String>| {
        for (k, field) in fields.enumerate() {
            if k > 0 {
                out.push(',');
            }
            csv_field(&mut out, &field);
        }
        out.push_str("\r\n");
    };
    line(&mut header.iter().map(|h| (*h).to_owned()));
    for record in records {
        line(&mut record.into_iter().map(|s| s.as_ref().to_owned()));
    }
    out
}

/// The columns of the portfolio CSV, in order (the SPA passes their names in the user's language).
pub const CSV_COLUMNS: usize = 19;

/// The portfolio as CSV: `header` names the [`CSV_COLUMNS`] columns; `words` gives a row's
/// recommendation and reason in the user's language. IDs as they are, amounts as plain
/// decimals with a point (`4210.00`), percentages as numbers, dates ISO (`2027-03-04`).
pub fn portfolio_csv(
    portfolio: &Portfolio,
    reservations: &[Reservation],
    rows: &[usize],
    header: &[&str; CSV_COLUMNS],
    words: &dyn Fn(&PortfolioRow) -> (String, String),
) -> String {
    let plain = |m: Option<Money>| m.map(|m| m.round().amount.to_string()).unwrap_or_default();
    let records = rows.iter().filter_map(|&i| portfolio.rows.get(i)).map(|row| {
        let r = &reservations[row.position];
        let q = row.quote;
        let (action, reason) = words(row);
        vec![
            r.id.clone(),
            r.reservation_order_id.clone(),
            r.display_name.clone(),
            r.sku_name.clone(),
            r.reserved_resource_type.clone(),
            format!("{:?}", r.applied_scope_type),
            r.quantity.to_string(),
            // Not reported: an empty cell, never 0.
            r.utilization.last7_days.map(|u| u.to_string()).unwrap_or_default(),
            r.utilization.last30_days.map(|u| u.to_string()).unwrap_or_default(),
            r.expiry_date.to_string(),
            row.days_left.to_string(),
            r.unit_price.currency.code().to_owned(),
            plain(q.map(|q| q.remaining_commitment)),
            plain(q.map(|q| q.refund)),
            q.map(|q| if q.allowed { "yes" } else { "no" }).unwrap_or_default().to_owned(),
            plain(q.map(|q| q.counted)),
            plain(q.map(|q| q.exchange_credit)),
            action,
            reason,
        ]
    });
    csv(header, records)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_a_spreadsheet_would_run_gets_a_leading_apostrophe() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://evil.example\",\"Click\")", "'=HYPERLINK(\"http://evil.example\",\"Click\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("1e5", "1e5"),
            ("web tier = prod", "web tier = prod"),
            ("", ""),
        ] {
            assert_eq!(neutralised(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn numbers_are_left_as_they_are_negative_ones_too() {
        for number in ["0", "3", "4210.00", "-12.50", "-3", "100.125"] {
            assert_eq!(neutralised(number), number);
        }
    }

    #[test]
    fn a_neutralised_cell_is_still_quoted_by_rfc_4180() {
        let text = csv(&["Name", "Refund"], [["=HYPERLINK(\"http://x\",\"y\")", "-12.50"], ["@a,b", "7"]]);
        assert_eq!(text, "\u{feff}Name,Refund\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-12.50\r\n\"'@a,b\",7\r\n");
    }
}
