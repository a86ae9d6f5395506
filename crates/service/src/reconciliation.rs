//! A customer's statement matched to Microsoft's invoice reconciliation lines. Pure: the caller
//! gives the file's bytes (uploaded, or downloaded from Microsoft Graph's export) and the
//! statement.
//!
//! **Reading the file.** Partner Center gives the lines as CSV (a header row of Microsoft's
//! column names) and Microsoft Graph's export as gzip-compressed JSON lines ("Each blob is a
//! compressed file and data in the file is in JSON lines format"). Microsoft documents the
//! attribute names (`CustomerId`, `ChargeType`, `ReservationOrderId`, `Subtotal`, …) but not their
//! casing in the JSON, the value types, nor the date format, so each is read tolerantly: a name
//! matches whatever its case and punctuation, a number may be a JSON number or a string, a date
//! ISO 8601 (`2026-11-02`, with or without a time) or as the CSV writes it (`11/2/2026`). Any
//! property may be missing; a line without a customer, a currency or an amount cannot be matched
//! and is listed as unreadable, with why.
//!
//! **A line's amount** is its `Subtotal` (before tax), as Microsoft billed it. Without one, it is
//! worked out as the file's page documents for a license-based line,
//! `ROUNDDOWN(EffectiveUnitPrice × PCToBCExchangeRate, 2) × BillableQuantity` (ROUNDDOWN toward
//! zero, as the spreadsheet function the page names).
//!
//! **Matching** (the customer's lines only, by `CustomerId`): each statement line takes the
//! lines of its reservation order: a purchase its charges (amount above zero), a refund its
//! credits, an exchange every line of the orders it returned and bought. Where several moves of
//! the month share an order and a kind, each takes the one line closest to its own figure.
//! Taken lines add up and are compared with the move's Microsoft figure: within one minor unit
//! per line (Microsoft rounds each line) and with the move's units, it is matched; else
//! differing, by how much; with no line, missing. The customer's lines of a reservation order
//! that no move took are listed as unexplained. Nothing is changed by a mismatch.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;

use chrono::NaiveDate;
use contract::{InvoiceLine, LineMatch, MatchState, MoveKind, ProblemCode, Statement};
use quote_engine::{Currency, Money};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::value::RawValue;

use crate::error::ServiceError;

/// The largest file read, decompressed: a partner's month for every customer fits well within it.
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;
/// The largest amount or quantity a line may hold: far above any invoice line, and small enough
/// that sums and differences of them stay exact.
const MAX_FIGURE: i64 = 1_000_000_000_000_000;
/// Unreadable lines listed, at most (the count says how many more).
const MAX_UNREADABLE_LISTED: usize = 20;

/// The lines a file holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvoiceLines {
    /// Every line read.
    pub lines: Vec<InvoiceLine>,
    /// How many records the file holds in all (read or not).
    pub records: u32,
    /// Why records could not be read (the first few).
    pub unreadable: Vec<String>,
}

fn invalid(message: impl Into<String>) -> ServiceError {
    ServiceError::invalid(ProblemCode::MalformedRequest, "file", message)
}

/// A column or property name compared without case and punctuation: `PCToBCExchangeRate`,
/// `pcToBCExchangeRate` and `pc_to_bc_exchange_rate` are one name.
fn key(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// One record: its values by [`key`], as text (absent and empty are the same).
type Record = HashMap<String, String>;

/// The file's bytes, decompressed when gzip.
fn decompressed(bytes: &[u8]) -> Result<Vec<u8>, ServiceError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    let mut reader = flate2::read::MultiGzDecoder::new(bytes).take(MAX_FILE_BYTES as u64 + 1);
    reader.read_to_end(&mut out).map_err(|e| invalid(format!("the file looks gzip-compressed but cannot be decompressed: {e}")))?;
    if out.len() > MAX_FILE_BYTES {
        return Err(invalid(format!("the file is larger than {} MB decompressed", MAX_FILE_BYTES / 1024 / 1024)));
    }
    Ok(out)
}

/// A JSON object's properties as a record, each value's text as written (a string unquoted, a
/// number with its exact digits, `null` as absent); `Err` when it is not an object.
fn json_record(raw: &str) -> Result<Record, String> {
    let map: HashMap<String, &RawValue> = serde_json::from_str(raw).map_err(|e| format!("it is not a JSON object: {e}"))?;
    let mut out = Record::new();
    for (k, v) in map {
        let text = v.get();
        let value = if text.starts_with('"') { serde_json::from_str::<String>(text).map_err(|e| format!("its {k} is not a string: {e}"))? } else { text.to_owned() };
        if text != "null" {
            out.insert(key(&k), value);
        }
    }
    Ok(out)
}

/// Every record of a file: JSON lines, a JSON array, or CSV with a header row. `Err` per
/// record that is not one.
fn records(text: &str) -> Result<Vec<Result<Record, String>>, ServiceError> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let values: Vec<&RawValue> = serde_json::from_str(trimmed).map_err(|e| invalid(format!("the file starts as a JSON array but is not one: {e}")))?;
        return Ok(values.into_iter().map(|v| json_record(v.get())).collect());
    }
    if trimmed.starts_with('{') {
        // JSON Lines: one object per line.
        return Ok(text.lines().filter(|l| !l.trim().is_empty()).map(json_record).collect());
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().map_err(|e| invalid(format!("the file is neither JSON nor CSV with a header row: {e}")))?.iter().map(key).collect();
    if !headers.iter().any(|h| h == "customerid") {
        return Err(invalid("the file has no CustomerId column: it is not an invoice reconciliation file (CSV with Microsoft's column names, or JSON lines)"));
    }
    Ok(reader
        .records()
        .map(|r| r.map_err(|e| format!("it is not a CSV row: {e}")).map(|row| headers.iter().zip(row.iter()).filter(|(_, v)| !v.is_empty()).map(|(h, v)| (h.clone(), v.to_owned())).collect()))
        .collect())
}

/// A decimal as Microsoft's files write it (Learn's examples, the en-us locale): digits with a
/// point for decimals, an optional sign, or with an exponent. Anything else, a comma above all
/// (`1.234,56` and `12,50` as another locale writes them), is not read: a guess could be off by
/// a factor of a thousand.
fn decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let digits = mantissa.strip_prefix(['-', '+']).unwrap_or(mantissa);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !plain(whole) || !plain(fraction) {
        return None;
    }
    match exponent {
        None => t.parse::<Decimal>().ok(),
        Some(e) if !e.is_empty() && plain(e.strip_prefix(['-', '+']).unwrap_or(e)) => Decimal::from_scientific(t).ok(),
        Some(_) => None,
    }
}

/// A date: ISO 8601 (with or without a time) or month/day/year as Partner Center's CSV writes it.
fn date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let day = t.split(['T', ' ']).next().unwrap_or(t);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().or_else(|| NaiveDate::parse_from_str(day, "%m/%d/%Y").ok())
}

/// `ROUNDDOWN(x, 2)`: toward zero, to two decimals.
fn round_down_2(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, RoundingStrategy::ToZero)
}

/// One record as an invoice line; `Err` with why it cannot be matched.
fn line(number: u32, r: &Record) -> Result<InvoiceLine, String> {
    let text = |names: &[&str]| names.iter().find_map(|n| r.get(*n).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()));
    let number_of = |names: &[&str]| -> Result<Option<Decimal>, String> {
        match names.iter().find_map(|n| r.get(*n).map(|v| (*n, v.trim())).filter(|(_, v)| !v.is_empty())) {
            None => Ok(None),
            Some((n, v)) => match decimal(v) {
                Some(d) if d.abs() <= Decimal::from(MAX_FIGURE) => Ok(Some(d)),
                Some(_) => Err(format!("its {n} {v:?} is out of range")),
                None => Err(format!("its {n} {v:?} is not a number")),
            },
        }
    };
    let customer_id = text(&["customerid"]).ok_or("it has no CustomerId")?;
    let code = text(&["currency"]).ok_or("it has no Currency")?;
    let currency = Currency::new(&code).map_err(|_| format!("its Currency {code:?} is not a currency code"))?;
    let quantity = number_of(&["billablequantity", "quantity"])?;
    let amount = match number_of(&["subtotal"])? {
        Some(subtotal) => subtotal,
        None => {
            let price = number_of(&["effectiveunitprice"])?.ok_or("it has neither Subtotal nor EffectiveUnitPrice")?;
            let rate = number_of(&["pctobcexchangerate"])?.ok_or("it has no Subtotal, and no PCToBCExchangeRate to work one out from EffectiveUnitPrice")?;
            let q = quantity.ok_or("it has neither Subtotal nor BillableQuantity")?;
            price
                .checked_mul(rate)
                .map(round_down_2)
                .and_then(|unit| unit.checked_mul(q))
                .filter(|amount| amount.abs() <= Decimal::from(MAX_FIGURE))
                .ok_or("its EffectiveUnitPrice × PCToBCExchangeRate × BillableQuantity is out of range")?
        }
    };
    Ok(InvoiceLine {
        number,
        invoice_number: text(&["invoicenumber", "invoiceid"]),
        customer_id,
        customer_name: text(&["customername"]),
        charge_type: text(&["chargetype"]).unwrap_or_default(),
        reservation_order_id: text(&["reservationorderid"]),
        product: text(&["productname", "skuname"]),
        quantity: quantity.unwrap_or(Decimal::ZERO),
        amount: Money::new(amount, currency),
        date: text(&["chargestartdate", "orderdate"]).and_then(|d| date(&d)),
    })
}

/// Every line of a reconciliation file (CSV, JSON lines or a JSON array; gzip-compressed or
/// not). `Err` only when the file as a whole is not one.
pub fn read_file(bytes: &[u8]) -> Result<InvoiceLines, ServiceError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(invalid(format!("the file is larger than {} MB", MAX_FILE_BYTES / 1024 / 1024)));
    }
    let bytes = decompressed(bytes)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| invalid("the file is not UTF-8 text (CSV or JSON lines), nor gzip"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(invalid("the file is empty"));
    }
    let mut out = InvoiceLines::default();
    let mut unreadable = 0usize;
    for (i, record) in records(text)?.into_iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        out.records = number;
        match record.and_then(|r| line(number, &r)) {
            Ok(l) => out.lines.push(l),
            Err(why) => {
                unreadable += 1;
                if out.unreadable.len() < MAX_UNREADABLE_LISTED {
                    out.unreadable.push(format!("line {number}: {why}"));
                }
            }
        }
    }
    if unreadable > MAX_UNREADABLE_LISTED {
        out.unreadable.push(format!("and {} more lines", unreadable - MAX_UNREADABLE_LISTED));
    }
    Ok(out)
}

/// The lines of every file of one export (Graph splits a large one into parts), numbered on from
/// one file to the next.
pub fn read_files(files: &[Vec<u8>]) -> Result<InvoiceLines, ServiceError> {
    let mut all = InvoiceLines::default();
    for file in files {
        let mut read = read_file(file)?;
        for line in &mut read.lines {
            line.number += all.records;
        }
        all.records += read.records;
        all.lines.extend(read.lines);
        all.unreadable.extend(read.unreadable);
    }
    Ok(all)
}

/// An uploaded file's lines: its base64 decoded, then read as [`read_file`].
pub fn read_base64(base64: &str) -> Result<InvoiceLines, ServiceError> {
    use base64::Engine;
    if base64.len() > MAX_FILE_BYTES / 3 * 4 + 4 {
        return Err(invalid(format!("the file is larger than {} MB", MAX_FILE_BYTES / 1024 / 1024)));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64.trim())
        .map_err(|e| ServiceError::invalid(ProblemCode::MalformedRequest, "file.base64", format!("the file's content is not base64: {e}")))?;
    read_file(&bytes)
}

/// A statement matched to the lines read from Microsoft's file, the customer known there by any
/// of `known_as` (its ID, and its tenant's when another).
pub fn reconciliation(statement: Statement, known_as: &[&str], source: contract::InvoiceSource, read: InvoiceLines) -> contract::Reconciliation {
    let (matches, unexplained, instalments) = reconcile(&statement, known_as, &read.lines);
    let customer_lines = read.lines.iter().filter(|l| known_as.iter().any(|k| l.customer_id.eq_ignore_ascii_case(k))).count();
    contract::Reconciliation {
        statement,
        source,
        matches,
        unexplained,
        instalments,
        lines_read: read.records,
        customer_lines: u32::try_from(customer_lines).unwrap_or(u32::MAX),
        unreadable: read.unreadable,
    }
}

/// What an invoice line is, by its `ChargeType` (Learn, *Charge types*: new commerce's `new`,
/// `cycleCharge`, `cancelImmediate`; the older one-time file's `New`, `Cancel`; the invoice line
/// items API's `Purchase` and `Refund`), any case; a type the desk does not know goes by the
/// amount's sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Charge {
    /// Bought: a purchase's charge.
    Purchase,
    /// A monthly instalment of what was bought earlier.
    Instalment,
    /// Given back: a refund's or an exchange return's credit.
    Credit,
}

fn charge_of(l: &InvoiceLine) -> Charge {
    match key(&l.charge_type).as_str() {
        "new" | "purchase" => Charge::Purchase,
        "cyclecharge" | "cyclefee" => Charge::Instalment,
        "cancelimmediate" | "cancel" | "refund" | "cancelfee" => Charge::Credit,
        _ if l.amount.amount < Decimal::ZERO => Charge::Credit,
        _ => Charge::Purchase,
    }
}

/// The lines a move takes: of its own reservation order, of its kind (an exchange recorded with
/// its net only: every line of its orders).
fn wanted(kind: MoveKind) -> Option<Charge> {
    match kind {
        MoveKind::Purchase | MoveKind::ExchangePurchase => Some(Charge::Purchase),
        MoveKind::Instalment => Some(Charge::Instalment),
        MoveKind::Refund | MoveKind::ExchangeReturn => Some(Charge::Credit),
        MoveKind::Exchange => None,
    }
}

/// The reservation orders a move's lines are filed under, lowercased: its own (each side of an
/// exchange recorded line by line has its own), else every order of an exchange recorded as one.
fn orders_of(m: &contract::Move) -> BTreeSet<String> {
    match (&m.reservation_order_id, m.kind) {
        (Some(order), kind) if kind != MoveKind::Exchange => std::iter::once(order.to_ascii_lowercase()).collect(),
        _ => m.reservation_order_id.iter().chain(m.orders.iter()).map(|o| o.to_ascii_lowercase()).collect(),
    }
}

/// One minor unit of `currency`.
fn minor_unit(currency: Currency) -> Decimal {
    Decimal::new(1, currency.minor_units())
}

/// How far apart two amounts are (the largest decimal when too far to say).
fn gap(a: Decimal, b: Decimal) -> Decimal {
    a.checked_sub(b).map_or(Decimal::MAX, |d| d.abs())
}

/// Each statement line matched against the customer's invoice lines (those whose `CustomerId` is
/// one of `known_as`); the customer's reservation lines no move took, apart from the monthly
/// instalments of reservations the statement holds none of (see the module's comment).
pub fn reconcile(statement: &Statement, known_as: &[&str], lines: &[InvoiceLine]) -> (Vec<LineMatch>, Vec<InvoiceLine>, Vec<InvoiceLine>) {
    let mine: Vec<&InvoiceLine> = lines.iter().filter(|l| known_as.iter().any(|k| l.customer_id.eq_ignore_ascii_case(k))).collect();
    let mut used = vec![false; mine.len()];
    let order_of = |i: usize| mine[i].reservation_order_id.as_ref().map(|o| o.to_ascii_lowercase());
    let candidates = |m: &contract::Move, used: &[bool]| -> Vec<usize> {
        let orders = orders_of(m);
        (0..mine.len())
            .filter(|&i| !used[i] && order_of(i).is_some_and(|o| orders.contains(&o)) && wanted(m.kind).is_none_or(|c| charge_of(mine[i]) == c))
            .collect()
    };
    // A move shares its lines when another move of the month may take lines of one of its orders
    // of its kind (an exchange recorded as its net takes every kind): it then takes one line.
    let overlaps = |a: &contract::Move, b: &contract::Move| {
        !orders_of(a).is_disjoint(&orders_of(b)) && (wanted(a.kind).is_none() || wanted(b.kind).is_none() || wanted(a.kind) == wanted(b.kind))
    };
    let shared: Vec<bool> = statement
        .lines
        .iter()
        .enumerate()
        .map(|(i, a)| a.r#move.kind != MoveKind::Exchange && statement.lines.iter().enumerate().any(|(j, b)| i != j && overlaps(&a.r#move, &b.r#move)))
        .collect();
    let fits = |m: &contract::Move, l: &InvoiceLine| {
        l.amount.currency == m.microsoft.currency && gap(l.amount.amount, m.microsoft.amount) <= minor_unit(m.microsoft.currency) && l.quantity.abs() == Decimal::from(m.quantity)
    };
    let mut taken: Vec<Option<Vec<usize>>> = vec![None; statement.lines.len()];
    // Moves sharing lines: first each takes a line that fits it exactly (amount within a minor
    // unit, the same units), the move with the fewest such lines first; then what is left goes to
    // the closest.
    loop {
        let fewest = (0..statement.lines.len())
            .filter(|&index| shared[index] && taken[index].is_none())
            .filter_map(|index| {
                let m = &statement.lines[index].r#move;
                let exact: Vec<usize> = candidates(m, &used).into_iter().filter(|&i| fits(m, mine[i])).collect();
                exact.first().map(|&first| (exact.len(), index, first))
            })
            .min();
        let Some((_, index, i)) = fewest else { break };
        used[i] = true;
        taken[index] = Some(vec![i]);
    }
    for (index, sl) in statement.lines.iter().enumerate() {
        let m = &sl.r#move;
        if taken[index].is_some() || !shared[index] {
            continue;
        }
        let pick = candidates(m, &used)
            .into_iter()
            .min_by_key(|&i| ((mine[i].quantity.abs() != Decimal::from(m.quantity)), gap(mine[i].amount.amount, m.microsoft.amount)));
        if let Some(i) = pick {
            used[i] = true;
        }
        taken[index] = Some(pick.into_iter().collect());
    }
    // A move alone on its lines takes them all; an exchange recorded as its net takes, last, every
    // line of its orders no other move took.
    for exchange_net in [false, true] {
        for (index, sl) in statement.lines.iter().enumerate() {
            if taken[index].is_none() && (sl.r#move.kind == MoveKind::Exchange) == exchange_net {
                let all = candidates(&sl.r#move, &used);
                for &i in &all {
                    used[i] = true;
                }
                taken[index] = Some(all);
            }
        }
    }
    let mut matches = Vec::with_capacity(statement.lines.len());
    for (index, sl) in statement.lines.iter().enumerate() {
        let m = &sl.r#move;
        let line = u32::try_from(index).unwrap_or(u32::MAX);
        let orders = orders_of(m);
        if orders.is_empty() {
            matches.push(LineMatch {
                line,
                state: MatchState::Missing,
                invoice_lines: vec![],
                invoiced: None,
                difference: None,
                invoiced_quantity: None,
                check: Some("The desk recorded no reservation order for this move, so no line of Microsoft's file can be matched to it.".into()),
            });
            continue;
        }
        let took: Vec<&InvoiceLine> = taken[index].iter().flatten().map(|&i| mine[i]).collect();
        matches.push(judge(line, m, &took, &orders));
    }
    let (instalments, unexplained): (Vec<InvoiceLine>, Vec<InvoiceLine>) = mine
        .iter()
        .zip(&used)
        .filter(|(l, used)| !**used && l.reservation_order_id.is_some())
        .map(|(l, _)| (*l).clone())
        .partition(|l| charge_of(l) == Charge::Instalment);
    (matches, unexplained, instalments)
}

/// A move against the invoice lines it took.
fn judge(line: u32, m: &contract::Move, taken: &[&InvoiceLine], orders: &BTreeSet<String>) -> LineMatch {
    let numbers: Vec<u32> = taken.iter().map(|l| l.number).collect();
    let mut out = LineMatch { line, state: MatchState::Missing, invoice_lines: numbers, invoiced: None, difference: None, invoiced_quantity: None, check: None };
    if taken.is_empty() {
        let orders: Vec<&str> = orders.iter().map(String::as_str).collect();
        let what = if m.kind.is_credit() { "credit" } else if m.kind == MoveKind::Exchange { "line" } else { "charge" };
        out.check = Some(format!(
            "Microsoft's file has no {what} for reservation order {} of this customer: check that the file is the invoice of {} (a move late in a month may be billed on the next invoice), and that Microsoft recorded the move.",
            orders.join(", "),
            m.day.format("%Y-%m")
        ));
        return out;
    }
    let currency = m.microsoft.currency;
    if let Some(other) = taken.iter().find(|l| l.amount.currency != currency) {
        out.state = MatchState::Differing;
        out.check = Some(format!("Microsoft billed this move in {}, the desk recorded it in {currency}: check the customer's billing currency.", other.amount.currency));
        return out;
    }
    let invoiced = taken.iter().try_fold(Decimal::ZERO, |a, l| a.checked_add(l.amount.amount));
    let quantity = taken.iter().try_fold(Decimal::ZERO, |a, l| a.checked_add(l.quantity.abs()));
    let (Some(invoiced), Some(quantity)) = (invoiced, quantity) else {
        out.state = MatchState::Differing;
        out.check = Some("Microsoft's lines for this move add up to more than can be counted: check the file's amounts.".into());
        return out;
    };
    let Some(difference) = invoiced.checked_sub(m.microsoft.amount) else {
        out.state = MatchState::Differing;
        out.invoiced = Some(Money::new(invoiced, currency));
        out.check = Some(format!("Microsoft's lines add up to {invoiced} {currency}, far from the {} {currency} the desk recorded: check the file's amounts.", m.microsoft.amount));
        return out;
    };
    let tolerance = minor_unit(currency) * Decimal::from(taken.len());
    out.invoiced = Some(Money::new(invoiced, currency));
    // An exchange's lines count both what it returned and what it bought: only its amount is compared.
    let quantity_differs = m.kind != MoveKind::Exchange && quantity != Decimal::from(m.quantity);
    if quantity_differs {
        out.invoiced_quantity = Some(quantity.normalize());
    }
    let amount_differs = difference.abs() > tolerance;
    if amount_differs {
        out.difference = Some(Money::new(difference, currency));
    }
    out.state = if amount_differs || quantity_differs { MatchState::Differing } else { MatchState::Matched };
    out.check = match (amount_differs, quantity_differs) {
        (false, false) => None,
        (true, false) => Some(format!(
            "Microsoft's lines add up to {invoiced} {currency}, the desk recorded {} {currency}: check the price Microsoft billed (a price change, an exchange rate) against the desk's quote.",
            m.microsoft.amount
        )),
        (false, true) => Some(format!("Microsoft's lines are for {} units, the desk moved {}: check the quantity in Partner Center.", quantity.normalize(), m.quantity)),
        (true, true) => Some(format!(
            "Microsoft's lines are for {} units and {invoiced} {currency}, the desk moved {} units for {} {currency}: check the order in Partner Center.",
            quantity.normalize(),
            m.quantity,
            m.microsoft.amount
        )),
    };
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::{Move, PriceBasis, StatementLine};
    use quote_engine::Term;
    use rust_decimal_macros::dec;

    const CUSTOMER: &str = "196e2273-9651-43a3-ba7e-7cbcd918fc40";

    fn usd(a: Decimal) -> Money {
        Money::new(a, Currency::USD)
    }

    fn statement_of(moves: Vec<Move>) -> Statement {
        let lines = moves
            .into_iter()
            .map(|m| StatementLine {
                customer: m.microsoft,
                margin: usd(Decimal::ZERO),
                price: PriceBasis::Markup { markup_percent: Decimal::ZERO },
                capped: false,
                customer_paid_for_units: None,
                r#move: m,
            })
            .collect();
        Statement { customer_id: CUSTOMER.into(), month: "2026-11".into(), closed: false, lines, totals: vec![], unpriced: vec![] }
    }

    fn mv(kind: MoveKind, order: &str, quantity: u32, microsoft: Decimal) -> Move {
        Move {
            time: "2026-11-02T10:00:00Z".into(),
            day: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            kind,
            reservation_order_id: Some(order.into()),
            reservation_id: None,
            orders: vec![],
            name: "VM_RI".into(),
            sku_name: "Standard_D4s_v5".into(),
            term: Term::P1Y,
            quantity,
            microsoft: usd(microsoft),
            paid_for_units: None,
            ticket_reference: None,
            billing_plan: quote_engine::BillingPlan::Upfront,
            commitment: None,
            price_in_force: None,
        }
    }

    /// A CSV file with Microsoft's column names (the attribute set's, in its order).
    fn csv_file(rows: &[(&str, &str, &str, &str, &str)]) -> String {
        let mut s = String::from("PartnerId,CustomerId,CustomerName,InvoiceNumber,OrderDate,ProductName,ChargeType,UnitPrice,Quantity,Subtotal,TaxTotal,Total,Currency,ChargeStartDate,EffectiveUnitPrice,BillableQuantity,PricingCurrency,PCToBCExchangeRate,ReservationOrderId\n");
        for (customer, charge, quantity, subtotal, order) in rows {
            s.push_str(&format!("0e195b37-4574-4539-bc42-0e539b9684c0,{customer},Contoso,G002297372,11/2/2026,Reserved VM Instance,{charge},100,{quantity},{subtotal},0,{subtotal},USD,11/2/2026,100,{quantity},USD,1,{order}\n"));
        }
        s
    }

    #[test]
    fn a_csv_file_with_microsofts_columns_is_read_line_by_line() {
        let file = csv_file(&[(CUSTOMER, "New", "2", "1234.56", "ORDER-1"), ("other", "Cancel", "-1", "-99.99", "ORDER-2")]);
        let read = read_file(file.as_bytes()).unwrap();
        assert_eq!((read.records, read.unreadable.len()), (2, 0));
        let l = &read.lines[0];
        assert_eq!((l.number, l.customer_id.as_str(), l.charge_type.as_str(), l.reservation_order_id.as_deref()), (1, CUSTOMER, "New", Some("ORDER-1")));
        assert_eq!((l.quantity, l.amount), (dec!(2), usd(dec!(1234.56))));
        assert_eq!(l.date, NaiveDate::from_ymd_opt(2026, 11, 2));
        assert_eq!(l.invoice_number.as_deref(), Some("G002297372"));
        assert_eq!(read.lines[1].amount, usd(dec!(-99.99)));
    }

    #[test]
    fn json_lines_gzip_compressed_keep_each_amounts_exact_text_whatever_the_casing() {
        // Microsoft documents neither the casing nor the value types: both spellings, a number and
        // a string, read alike; a long decimal is not rounded through a float.
        let text = format!(
            "{{\"customerId\":\"{CUSTOMER}\",\"chargeType\":\"New\",\"reservationOrderId\":\"o-1\",\"billableQuantity\":3,\"subtotal\":1234.567890123456789,\"currency\":\"EUR\",\"chargeStartDate\":\"2026-11-02T00:00:00Z\"}}\n\
             {{\"CustomerId\":\"{CUSTOMER}\",\"ChargeType\":\"Cancel\",\"ReservationOrderId\":\"o-1\",\"BillableQuantity\":\"-1\",\"Subtotal\":\"-10.5\",\"Currency\":\"EUR\",\"Note\":\"a \\\"quoted\\\" 12\"}}\n"
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, text.as_bytes()).unwrap();
        let read = read_file(&gz.finish().unwrap()).unwrap();
        assert_eq!(read.unreadable, Vec::<String>::new());
        assert_eq!(read.lines[0].amount, Money::new(dec!(1234.567890123456789), Currency::EUR));
        assert_eq!(read.lines[0].quantity, dec!(3));
        assert_eq!(read.lines[0].date, NaiveDate::from_ymd_opt(2026, 11, 2));
        assert_eq!(read.lines[1].amount, Money::new(dec!(-10.5), Currency::EUR));
    }

    #[test]
    fn without_a_subtotal_the_amount_is_rounded_down_unit_price_in_billing_currency_times_quantity() {
        // ROUNDDOWN(123.456789 × 0.846202666, 2) × 2 = ROUNDDOWN(104.4688…, 2) × 2 = 104.46 × 2.
        let line = format!("{{\"CustomerId\":\"{CUSTOMER}\",\"Currency\":\"EUR\",\"EffectiveUnitPrice\":\"123.456789\",\"PCToBCExchangeRate\":\"0.846202666\",\"BillableQuantity\":\"2\",\"ReservationOrderId\":\"o\"}}");
        let read = read_file(line.as_bytes()).unwrap();
        assert_eq!(read.lines[0].amount, Money::new(dec!(208.92), Currency::EUR));
        // A credit rounds toward zero too.
        let credit = line.replace("\"2\"", "\"-1\"");
        assert_eq!(read_file(credit.as_bytes()).unwrap().lines[0].amount, Money::new(dec!(-104.46), Currency::EUR));
    }

    #[test]
    fn each_property_missing_in_turn_leaves_the_line_read_unless_it_cannot_be_matched_without_it() {
        let full = serde_json::json!({
            "CustomerId": CUSTOMER, "CustomerName": "Contoso", "InvoiceNumber": "G1", "ChargeType": "New", "ReservationOrderId": "o",
            "ProductName": "Reserved VM Instance", "BillableQuantity": "1", "Quantity": "1", "Subtotal": "10", "EffectiveUnitPrice": "10",
            "PCToBCExchangeRate": "1", "Currency": "USD", "ChargeStartDate": "2026-11-02", "OrderDate": "2026-11-01"
        });
        for name in full.as_object().unwrap().keys() {
            let mut one = full.clone();
            one.as_object_mut().unwrap().remove(name);
            let read = read_file(one.to_string().as_bytes()).unwrap();
            let needed = matches!(name.as_str(), "CustomerId" | "Currency");
            assert_eq!(read.lines.len(), usize::from(!needed), "without {name}: {:?}", read.unreadable);
            assert_eq!(read.unreadable.len(), usize::from(needed), "without {name}");
        }
        // Without both ways to an amount, the line cannot be matched.
        let mut none = full.clone();
        for n in ["Subtotal", "EffectiveUnitPrice"] {
            none.as_object_mut().unwrap().remove(n);
        }
        assert!(read_file(none.to_string().as_bytes()).unwrap().unreadable[0].contains("neither Subtotal nor EffectiveUnitPrice"));
    }

    #[test]
    fn what_is_not_a_reconciliation_file_is_refused_as_a_whole_or_line_by_line() {
        assert!(read_file(b"").is_err());
        assert!(read_file(b"a,b\n1,2\n").unwrap_err().to_string().contains("CustomerId"));
        assert!(read_file(&[0x1f, 0x8b, 0, 1, 2]).is_err());
        assert!(read_file(&[0xff, 0xfe, 0x00]).is_err());
        let read = read_file(format!("{{\"CustomerId\":\"{CUSTOMER}\",\"Currency\":\"USD\",\"Subtotal\":\"ten\"}}\nnot json\n").as_bytes()).unwrap();
        assert_eq!(read.records, 2);
        assert!(read.unreadable[0].contains("not a number"), "{:?}", read.unreadable);
        assert!(read.unreadable[1].contains("not a JSON object"));
    }

    #[test]
    fn a_purchase_and_a_refund_match_their_orders_lines_and_the_rest_is_unexplained() {
        let statement = statement_of(vec![mv(MoveKind::Purchase, "order-1", 2, dec!(1234.56)), mv(MoveKind::Refund, "ORDER-2", 1, dec!(-100))]);
        let file = csv_file(&[
            (CUSTOMER, "New", "2", "1234.56", "ORDER-1"),
            (CUSTOMER, "Cancel", "-1", "-100.01", "order-2"),
            (CUSTOMER, "New", "1", "50", "ORDER-9"),
            ("another-customer", "New", "1", "1234.56", "ORDER-1"),
        ]);
        let read = read_file(file.as_bytes()).unwrap();
        let (matches, unexplained, _) = reconcile(&statement, &[CUSTOMER], &read.lines);
        assert_eq!(matches[0].state, MatchState::Matched);
        assert_eq!(matches[0].invoice_lines, vec![1]);
        // One cent off on one line: within the tolerance.
        assert_eq!((matches[1].state, matches[1].invoiced), (MatchState::Matched, Some(usd(dec!(-100.01)))));
        assert_eq!(unexplained.iter().map(|l| l.number).collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn a_move_off_by_more_than_the_tolerance_or_in_units_is_differing_and_one_without_lines_missing() {
        let statement = statement_of(vec![
            mv(MoveKind::Purchase, "o-1", 2, dec!(1000)),
            mv(MoveKind::Purchase, "o-2", 3, dec!(300)),
            mv(MoveKind::Purchase, "o-3", 1, dec!(10)),
        ]);
        let file = csv_file(&[(CUSTOMER, "New", "2", "1000.02", "o-1"), (CUSTOMER, "New", "2", "300", "o-2")]);
        let (matches, unexplained, _) = reconcile(&statement, &[CUSTOMER], &read_file(file.as_bytes()).unwrap().lines);
        assert_eq!((matches[0].state, matches[0].difference), (MatchState::Differing, Some(usd(dec!(0.02)))));
        assert!(matches[0].check.as_deref().unwrap().contains("1000.02"));
        assert_eq!((matches[1].state, matches[1].invoiced_quantity, matches[1].difference), (MatchState::Differing, Some(dec!(2)), None));
        assert_eq!((matches[2].state, matches[2].invoiced), (MatchState::Missing, None));
        assert!(matches[2].check.as_deref().unwrap().contains("o-3"));
        assert!(unexplained.is_empty());
    }

    #[test]
    fn two_refunds_of_one_order_each_take_the_line_closest_to_their_figure() {
        let statement = statement_of(vec![mv(MoveKind::Refund, "o", 1, dec!(-200)), mv(MoveKind::Refund, "o", 1, dec!(-100))]);
        let file = csv_file(&[(CUSTOMER, "Cancel", "-1", "-100", "o"), (CUSTOMER, "Cancel", "-1", "-200", "o"), (CUSTOMER, "New", "1", "300", "o")]);
        let (matches, unexplained, _) = reconcile(&statement, &[CUSTOMER], &read_file(file.as_bytes()).unwrap().lines);
        assert_eq!(matches.iter().map(|m| (m.state, m.invoice_lines.clone())).collect::<Vec<_>>(), vec![(MatchState::Matched, vec![2]), (MatchState::Matched, vec![1])]);
        // The charge on the same order is no refund's: unexplained.
        assert_eq!(unexplained.iter().map(|l| l.number).collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn an_exchange_takes_the_return_and_the_purchase_of_its_orders_and_compares_the_net() {
        let mut exchange = mv(MoveKind::Exchange, "returned", 1, dec!(150));
        exchange.reservation_order_id = None;
        exchange.orders = vec!["returned".into(), "bought".into()];
        let statement = statement_of(vec![exchange]);
        let file = csv_file(&[(CUSTOMER, "Cancel", "-1", "-850", "returned"), (CUSTOMER, "New", "2", "1000", "bought")]);
        let (matches, unexplained, _) = reconcile(&statement, &[CUSTOMER], &read_file(file.as_bytes()).unwrap().lines);
        assert_eq!((matches[0].state, matches[0].invoiced), (MatchState::Matched, Some(usd(dec!(150)))));
        assert!(unexplained.is_empty());
        // A move without any order cannot be matched, and says so.
        let mut orphan = mv(MoveKind::Exchange, "x", 1, dec!(1));
        orphan.reservation_order_id = None;
        let (matches, _, _) = reconcile(&statement_of(vec![orphan]), &[CUSTOMER], &[]);
        assert_eq!(matches[0].state, MatchState::Missing);
    }

    #[test]
    fn a_line_in_another_currency_than_the_move_is_differing() {
        let statement = statement_of(vec![mv(MoveKind::Purchase, "o", 1, dec!(10))]);
        let file = csv_file(&[(CUSTOMER, "New", "1", "10", "o")]).replace(",USD,11/2", ",EUR,11/2");
        let (matches, _, _) = reconcile(&statement, &[CUSTOMER], &read_file(file.as_bytes()).unwrap().lines);
        assert_eq!(matches[0].state, MatchState::Differing);
        assert!(matches[0].check.as_deref().unwrap().contains("EUR"));
    }

    #[test]
    fn a_number_is_read_as_microsoft_writes_it_or_not_at_all() {
        for (text, read) in [("1234.56", Some(dec!(1234.56))), ("-0.5", Some(dec!(-0.5))), ("+3", Some(dec!(3))), ("1.5E2", Some(dec!(150))), ("12", Some(dec!(12)))] {
            assert_eq!(decimal(text), read, "{text}");
        }
        // Another locale's writing is never guessed at: 1.234,56 is not 1.23456, 12,50 not 1250.
        for text in ["1.234,56", "12,50", "1,234.50", "1 234", "ten", "", "-", ".", "1e", "0x10", "1.2.3"] {
            assert_eq!(decimal(text), None, "{text}");
        }
        let line = format!("{{\"CustomerId\":\"{CUSTOMER}\",\"Currency\":\"EUR\",\"Subtotal\":\"1.234,56\",\"ReservationOrderId\":\"o\"}}");
        let read = read_file(line.as_bytes()).unwrap();
        assert!(read.lines.is_empty() && read.unreadable[0].contains("\"1.234,56\" is not a number"), "{:?}", read.unreadable);
        // Without a Subtotal, the formula needs the exchange rate: without one, the line is unreadable, not priced at 1.
        let formula = format!("{{\"CustomerId\":\"{CUSTOMER}\",\"Currency\":\"EUR\",\"EffectiveUnitPrice\":\"10\",\"BillableQuantity\":\"1\",\"ReservationOrderId\":\"o\"}}");
        assert!(read_file(formula.as_bytes()).unwrap().unreadable[0].contains("PCToBCExchangeRate"));
    }

    #[test]
    fn a_refund_and_an_exchange_return_on_one_order_each_take_their_own_credit_and_the_purchase_not_the_instalment() {
        // Order A: a refund of 1 unit (−300) and, the same month, an exchange returning 2 units of A
        // (−700) and 1 of B (−400), buying order C (1,500). A's monthly instalment is billed too.
        let refund = mv(MoveKind::Refund, "A", 1, dec!(-300));
        let return_a = Move { orders: vec!["A".into(), "B".into(), "C".into()], ..mv(MoveKind::ExchangeReturn, "A", 2, dec!(-700)) };
        let return_b = Move { orders: vec!["A".into(), "B".into(), "C".into()], ..mv(MoveKind::ExchangeReturn, "B", 1, dec!(-400)) };
        let bought = Move { orders: vec!["A".into(), "B".into(), "C".into()], ..mv(MoveKind::ExchangePurchase, "C", 3, dec!(1500)) };
        let statement = statement_of(vec![refund, return_a, return_b, bought]);
        let file = csv_file(&[
            (CUSTOMER, "cancelImmediate", "-2", "-700", "A"),
            (CUSTOMER, "cancelImmediate", "-1", "-300", "A"),
            (CUSTOMER, "cancelImmediate", "-1", "-400", "B"),
            (CUSTOMER, "new", "3", "1500", "C"),
            (CUSTOMER, "cycleCharge", "3", "250", "A"),
        ]);
        let (matches, unexplained, instalments) = reconcile(&statement, &[CUSTOMER], &read_file(file.as_bytes()).unwrap().lines);
        assert_eq!(
            matches.iter().map(|m| (m.state, m.invoice_lines.clone())).collect::<Vec<_>>(),
            vec![(MatchState::Matched, vec![2]), (MatchState::Matched, vec![1]), (MatchState::Matched, vec![3]), (MatchState::Matched, vec![4])]
        );
        assert!(unexplained.is_empty(), "{unexplained:?}");
        assert_eq!(instalments.iter().map(|l| l.number).collect::<Vec<_>>(), vec![5], "a monthly instalment is explained as one");
        // The statement's own instalment of A takes it.
        let with_instalment = statement_of(vec![mv(MoveKind::Instalment, "A", 3, dec!(250))]);
        let (matches, _, instalments) = reconcile(&with_instalment, &[CUSTOMER], &read_file(file.as_bytes()).unwrap().lines);
        assert_eq!((matches[0].state, matches[0].invoice_lines.clone()), (MatchState::Matched, vec![5]));
        assert!(instalments.is_empty());
    }
}
