//! The portfolio as CSV: RFC 4180, a UTF-8 BOM and CRLF so that Excel opens it cleanly, amounts
//! as plain decimals with a point, dates in ISO 8601.

use super::*;

/// One CSV field, quoted by RFC 4180 when it holds a comma, a quote, CR or LF (quotes doubled).
fn csv_field(out: &mut String, field: &str) {
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
            r.utilization.last7_days.to_string(),
            r.utilization.last30_days.to_string(),
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

