//! Money passed on: each move the desk made with Microsoft priced for the customer at the
//! partner's price, and a customer's statement for a month. Pure: the caller reads the moves and
//! the pricing history, and says which day it is.
//!
//! The rules, in one place:
//! - A move is priced by the partner's price recorded with it when the money moved (a move
//!   recorded before the desk kept it: the pricing in force at its time, the last whose `from` is
//!   not after it); none passes Microsoft's figure on as billed (a markup of 0 %).
//! - A fixed price for the move's SKU and term takes precedence over the markup. A purchase is
//!   charged the unit price × units (billed monthly: the first instalment of that, by the
//!   engine's schedule); a markup multiplies Microsoft's figure, in the currency Microsoft billed.
//! - A purchase billed monthly is charged again each month, on its day of the month, for the
//!   units still held: Microsoft's instalment and the customer's at the price of the purchase.
//! - What the customer was charged for each reservation order's units of a SKU and term is kept
//!   (in the order the moves were recorded). Units returned take their share of it; the credit is
//!   that share in the proportion Microsoft credited of what it had charged for them, **never
//!   more than the share** (`capped`). So no credit exceeds what the customer was charged for
//!   those units, less what earlier credits took, whatever the price is on the day of the credit.
//!   Units the desk never charged (bought before or outside it) are credited at the price
//!   recorded with the credit, capped at what Microsoft had charged for them at that price.
//! - Each line is rounded to the currency's minor unit, half to even; totals are the sums of the
//!   rounded lines, per currency, so they add up to the minor unit.
//! - A statement reads only what was recorded: its month's lines, and the moves before it for
//!   what credits are capped by. Later moves, renames and price changes leave a month as it was.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate};
use contract::{Move, MoveKind, PartnerPricing, PriceBasis, PriceInForce, ProblemCode, Statement, StatementLine, StatementTotal, UnpricedMove};
use quote_engine::{installment_schedule, BillingPlan, Currency, Money, Term};
use rust_decimal::Decimal;

use crate::error::ServiceError;

/// A statement month, `yyyy-mm`, as its first day.
pub fn month(text: &str) -> Result<NaiveDate, ServiceError> {
    let bad = || ServiceError::invalid(ProblemCode::MalformedRequest, "month", format!("a month is written yyyy-mm, e.g. 2026-11; got {text:?}"));
    let (year, month) = text.split_once('-').ok_or_else(bad)?;
    if year.len() != 4 || month.len() != 2 || !year.bytes().chain(month.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (year, month) = (year.parse::<i32>().map_err(|_| bad())?, month.parse::<u32>().map_err(|_| bad())?);
    NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)
}

/// The last day of the month that starts on `first`.
fn month_end(first: NaiveDate) -> NaiveDate {
    let next = if first.month() == 12 { NaiveDate::from_ymd_opt(first.year() + 1, 1, 1) } else { NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1) };
    next.and_then(|d| d.pred_opt()).unwrap_or(first)
}

fn instant(time: &str) -> Option<DateTime<chrono::FixedOffset>> {
    DateTime::parse_from_rfc3339(time).ok()
}

/// The last of `history` whose `from` is not after `time`.
fn latest_at<'a>(history: &'a [PartnerPricing], time: &str) -> Option<&'a PartnerPricing> {
    let at = instant(time)?;
    history.iter().filter(|p| instant(&p.from).is_some_and(|from| from <= at)).max_by_key(|p| instant(&p.from))
}

/// The pricing in force for a customer at `time`: its own once one is set (the last whose `from`
/// is not after `time`), else the default's.
pub fn pricing_at<'a>(own: &'a [PartnerPricing], default: &'a [PartnerPricing], time: &str) -> Option<&'a PartnerPricing> {
    latest_at(own, time).or_else(|| latest_at(default, time))
}

/// Fixed prices a customer may hold, at most.
pub const MAX_FIXED_PRICES: usize = 200;

/// The largest fixed price of one unit over a term: far above any reservation's, and small enough
/// that units × price and every figure worked out from it stay exact.
pub const MAX_FIXED_UNIT_PRICE: i64 = 1_000_000_000;

/// The pricing a Global admin asked for, in force from `from` (the adapter's clock, RFC 3339):
/// a markup from −100 % to 1,000 % with at most 4 decimals; fixed prices positive, one per SKU
/// and term, each amount within its currency's minor unit.
pub fn pricing(request: &contract::PricingRequest, from: String) -> Result<PartnerPricing, ServiceError> {
    let m = request.markup_percent;
    if m < -Decimal::ONE_HUNDRED || m > Decimal::from(1000) || m.normalize().scale() > 4 {
        return Err(ServiceError::invalid(ProblemCode::InvalidQuoteInput, "markupPercent", format!("a markup is a percent from -100 to 1000 with at most 4 decimals; got {m}")));
    }
    if request.fixed.len() > MAX_FIXED_PRICES {
        return Err(ServiceError::invalid(ProblemCode::TooManyLines, "fixed", format!("at most {MAX_FIXED_PRICES} fixed prices; got {}", request.fixed.len())));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, f) in request.fixed.iter().enumerate() {
        let field = |name: &str| format!("fixed[{i}].{name}");
        if f.sku_name.trim().is_empty() || f.sku_name.len() > 100 || f.sku_name.chars().any(char::is_control) {
            return Err(ServiceError::invalid(ProblemCode::InvalidSkuName, &field("skuName"), "a SKU name is one line of at most 100 characters, e.g. Standard_D4s_v5"));
        }
        let price = f.unit_price;
        if price.amount <= Decimal::ZERO || price.amount > Decimal::from(MAX_FIXED_UNIT_PRICE) || price.amount.normalize().scale() > price.currency.minor_units() {
            return Err(ServiceError::invalid(
                ProblemCode::InvalidQuoteInput,
                &field("unitPrice.amount"),
                format!("a unit price is above zero, at most {MAX_FIXED_UNIT_PRICE}, and in whole minor units of {}; got {}", price.currency, price.amount),
            ));
        }
        if !seen.insert((f.sku_name.to_ascii_lowercase(), f.term)) {
            return Err(ServiceError::invalid(ProblemCode::ListedTwice, &field("skuName"), format!("{} for {:?} has a fixed price already", f.sku_name, f.term)));
        }
    }
    Ok(PartnerPricing { from, markup_percent: m.normalize(), fixed: request.fixed.clone() })
}

/// Why a move could not be priced for the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unpriced {
    /// A fixed price in another currency than Microsoft billed the move in.
    CurrencyMismatch,
    /// Units returned at a fixed price, without what Microsoft or the customer had paid for them.
    PaidUnknown,
}

impl Unpriced {
    /// The code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Unpriced::CurrencyMismatch => "currencyMismatch",
            Unpriced::PaidUnknown => "paidUnknown",
        }
    }
}

/// A move priced for the customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Priced {
    /// Charged (positive) or credited (negative), rounded.
    pub customer: Money,
    /// How.
    pub price: PriceBasis,
    /// The credit was cut to what the customer paid for the units.
    pub capped: bool,
    /// A credit: what the customer had been charged for the units returned, when the desk
    /// charged them (rounded).
    pub customer_paid_for_units: Option<Money>,
}

/// The price a move is priced at: the one recorded with it, else (a move recorded before the
/// desk kept it) the history's at its time.
fn price_of(m: &Move, own: &[PartnerPricing], default: &[PartnerPricing]) -> PriceInForce {
    match &m.price_in_force {
        Some(p) => p.clone(),
        None => PriceInForce::of(pricing_at(own, default, &m.time), [(m.sku_name.as_str(), m.term)]),
    }
}

/// The markup's factor, 1 + markup ÷ 100.
fn factor(p: &PriceInForce) -> Decimal {
    Decimal::ONE + p.markup_percent / Decimal::ONE_HUNDRED
}

/// What the customer is charged for a purchase, an exchange's purchase or a legacy exchange's
/// net: the fixed unit price × units (billed monthly: its first instalment), else Microsoft's
/// figure with the markup. An exchange's net covers several SKUs: only the markup prices it.
fn charge(m: &Move, p: &PriceInForce) -> Result<(Decimal, PriceBasis), Unpriced> {
    let currency = m.microsoft.currency;
    match p.fixed_for(&m.sku_name, m.term).filter(|_| m.kind != MoveKind::Exchange) {
        Some(f) if f.unit_price.currency != currency => Err(Unpriced::CurrencyMismatch),
        Some(f) => {
            let commitment = Money::new(f.unit_price.amount * Decimal::from(m.quantity), currency).round();
            let amount = match m.billing_plan {
                BillingPlan::Upfront => commitment.amount,
                BillingPlan::Monthly => first_instalment(commitment, m.day, m.term),
            };
            Ok((amount, PriceBasis::Fixed { unit_price: f.unit_price }))
        }
        None => Ok((m.microsoft.amount * factor(p), PriceBasis::Markup { markup_percent: p.markup_percent })),
    }
}

/// The first of the monthly instalments of `commitment` (the engine's schedule).
fn first_instalment(commitment: Money, day: NaiveDate, term: Term) -> Decimal {
    installment_schedule(commitment, day, term).ok().and_then(|s| s.first().map(|i| i.amount.amount)).unwrap_or(commitment.amount)
}

/// What the desk charged the customer, and Microsoft the partner, for the units of one SKU and
/// term in one reservation order, and what credits have given back of it: what later credits are
/// capped by.
#[derive(Clone, Debug)]
struct Held {
    currency: Currency,
    /// Units held now.
    units: u32,
    /// Units bought, in all (later instalments are billed for the share still held).
    bought: u32,
    /// The held units' share of what the customer was charged (exact: each credit takes its
    /// units' share).
    share: Decimal,
    /// What the customer was charged, in all (the sum of the rounded lines).
    charged: Decimal,
    /// What Microsoft charged, in all.
    microsoft: Decimal,
    /// What credits gave the customer back, in all (rounded lines, positive).
    given: Decimal,
    /// What Microsoft credited, in all (positive).
    credited: Decimal,
}

impl Held {
    fn new(currency: Currency) -> Self {
        Self { currency, units: 0, bought: 0, share: Decimal::ZERO, charged: Decimal::ZERO, microsoft: Decimal::ZERO, given: Decimal::ZERO, credited: Decimal::ZERO }
    }

    /// A charge for `units` more units (a purchase), or for the units held (an instalment: 0).
    fn charge(&mut self, units: u32, customer: Decimal, microsoft: Decimal) {
        self.units += units;
        self.bought += units;
        self.share += customer;
        self.charged += customer;
        self.microsoft += microsoft;
    }
}

/// A reservation order's units of one SKU and term.
type HeldKey = (String, String, Term);

fn held_key(m: &Move) -> Option<HeldKey> {
    Some((m.reservation_order_id.clone()?, m.sku_name.to_ascii_lowercase(), m.term))
}

/// A credit priced. Units the desk charged the customer for (`held`): Microsoft's credits so far
/// in the proportion the customer paid of what Microsoft charged (worked out on the running
/// totals, so credits that give everything back add up to the cent), never more than the returned
/// units' share of what the customer was charged, nor than what earlier credits left; units no
/// longer held are credited nothing. Else (a reservation the desk did not sell) at the price
/// recorded with the credit, capped at what Microsoft had charged for the units at that price.
fn credit(m: &Move, p: &PriceInForce, held: Option<&mut Held>) -> Result<Priced, Unpriced> {
    let currency = m.microsoft.currency;
    let back = -m.microsoft.amount;
    let basis = match p.fixed_for(&m.sku_name, m.term) {
        Some(f) => PriceBasis::Fixed { unit_price: f.unit_price },
        None => PriceBasis::Markup { markup_percent: p.markup_percent },
    };
    let round = |d: Decimal| Money::new(d, currency).round().amount;
    if let Some(h) = held.filter(|h| h.currency == currency) {
        let returned = m.quantity.min(h.units);
        let share = if returned == 0 { Decimal::ZERO } else { h.share * Decimal::from(returned) / Decimal::from(h.units) };
        // The units' share to the minor unit (a third of a cent is a cent: rounded up), never more
        // than what earlier credits left of what the customer was charged.
        let up = share.round_dp_with_strategy(currency.minor_units(), rust_decimal::RoundingStrategy::AwayFromZero);
        let cap = up.min(h.charged - h.given).max(Decimal::ZERO);
        let natural = if h.microsoft > Decimal::ZERO {
            round((h.credited + back) * h.charged / h.microsoft) - h.given
        } else {
            // What Microsoft charged is not known: the credit's own record of it.
            let paid = m.paid_for_units.filter(|paid| paid.currency == currency && paid.amount > Decimal::ZERO).ok_or(Unpriced::PaidUnknown)?;
            round(cap * back / paid.amount)
        };
        let given = natural.clamp(Decimal::ZERO, cap);
        // The credit at the price recorded with it (Microsoft's credit with the day's markup, or
        // the day's fixed price in the proportion Microsoft credited): above what the customer
        // paid for the units (a price raised since the purchase), the cap is what cut it.
        let at_days_price = match p.fixed_for(&m.sku_name, m.term) {
            Some(f) if f.unit_price.currency == currency => m
                .paid_for_units
                .filter(|paid| paid.currency == currency && paid.amount > Decimal::ZERO)
                .and_then(|paid| f.unit_price.amount.checked_mul(Decimal::from(m.quantity))?.checked_mul(back)?.checked_div(paid.amount)),
            Some(_) => None,
            None => back.checked_mul(factor(p)),
        };
        let capped = natural > cap || at_days_price.is_some_and(|d| round(d) > cap);
        h.units -= returned;
        h.share -= share;
        h.given += given;
        h.credited += back;
        return Ok(Priced { customer: Money::new(-given, currency).round(), price: basis, capped, customer_paid_for_units: Some(Money::new(cap, currency)) });
    }
    // What Microsoft had charged for the units: zero or another currency is not known.
    let microsoft_paid = m.paid_for_units.filter(|paid| paid.currency == currency && paid.amount > Decimal::ZERO).map(|paid| paid.amount);
    let (natural, customer_paid) = match p.fixed_for(&m.sku_name, m.term) {
        Some(f) if f.unit_price.currency != currency => return Err(Unpriced::CurrencyMismatch),
        Some(f) => {
            let customer_paid = f.unit_price.amount * Decimal::from(m.quantity);
            let microsoft_paid = microsoft_paid.ok_or(Unpriced::PaidUnknown)?;
            (customer_paid * back / microsoft_paid, Some(customer_paid))
        }
        None => (back * factor(p), microsoft_paid.map(|paid| paid * factor(p))),
    };
    let capped = customer_paid.is_some_and(|paid| natural > paid);
    let amount = customer_paid.map_or(natural, |paid| natural.min(paid));
    Ok(Priced { customer: Money::new(-amount, currency).round(), price: basis, capped, customer_paid_for_units: None })
}

/// One currency's running sums.
#[derive(Default)]
struct Sums {
    microsoft: Decimal,
    customer: Decimal,
    charged: Decimal,
    credited: Decimal,
}

/// A later instalment of a purchase billed monthly, due on `due`: Microsoft's and the
/// customer's figures for the whole quantity bought (scaled to the units still held when due).
struct Due {
    due: NaiveDate,
    purchase: Move,
    microsoft: Decimal,
    customer: Decimal,
    price: PriceBasis,
}

/// The later instalments of `m` (a purchase billed monthly, with its commitment recorded) due on
/// or before `last`, priced at the price recorded with it.
fn instalments(m: &Move, p: &PriceInForce, last: NaiveDate) -> Vec<Due> {
    let (BillingPlan::Monthly, Some(commitment)) = (m.billing_plan, m.commitment) else { return Vec::new() };
    if !matches!(m.kind, MoveKind::Purchase | MoveKind::ExchangePurchase) || commitment.currency != m.microsoft.currency {
        return Vec::new();
    }
    let Ok(microsoft) = installment_schedule(commitment.round(), m.day, m.term) else { return Vec::new() };
    let fixed = p.fixed_for(&m.sku_name, m.term).filter(|f| f.unit_price.currency == commitment.currency);
    let customer = fixed.and_then(|f| installment_schedule(Money::new(f.unit_price.amount * Decimal::from(m.quantity), commitment.currency).round(), m.day, m.term).ok());
    microsoft
        .iter()
        .enumerate()
        .skip(1)
        .take_while(|(_, i)| i.due <= last)
        .map(|(k, i)| {
            let (customer, price) = match (&customer, fixed) {
                (Some(c), Some(f)) => (c[k].amount.amount, PriceBasis::Fixed { unit_price: f.unit_price }),
                _ => (i.amount.amount * factor(p), PriceBasis::Markup { markup_percent: p.markup_percent }),
            };
            Due { due: i.due, purchase: m.clone(), microsoft: i.amount.amount, customer, price }
        })
        .collect()
}

/// `customer_id`'s statement for the month starting on `first`, on `today`, from `moves` in the
/// order they were recorded: every move of the month priced at the price recorded with it (or,
/// recorded before the desk kept it, the one in force at its time), the later instalments of
/// what was bought monthly, and totals per currency (a refund is a credit on Microsoft's invoice:
/// nothing is held back). Everything before the month is read too, for what credits are capped by.
pub fn statement(customer_id: &str, first: NaiveDate, today: NaiveDate, moves: &[Move], own: &[PartnerPricing], default: &[PartnerPricing]) -> Statement {
    let last = month_end(first);
    let mut lines = Vec::new();
    let mut unpriced = Vec::new();
    let mut sums: BTreeMap<Currency, Sums> = BTreeMap::new();
    let mut held: HashMap<HeldKey, Held> = HashMap::new();
    let mut pending: Vec<Due> = Vec::new();
    let mut record = |m: Move, priced: Result<Priced, Unpriced>, lines: &mut Vec<StatementLine>, unpriced: &mut Vec<UnpricedMove>| {
        if m.day < first || m.day > last {
            return;
        }
        match priced {
            Ok(p) => {
                let currency = m.microsoft.currency;
                let margin = Money::new(p.customer.amount - m.microsoft.amount, currency);
                let s = sums.entry(currency).or_default();
                s.microsoft += m.microsoft.amount;
                s.customer += p.customer.amount;
                if p.customer.amount < Decimal::ZERO {
                    s.credited += p.customer.amount;
                } else {
                    s.charged += p.customer.amount;
                }
                lines.push(StatementLine { r#move: m, customer: p.customer, margin, price: p.price, capped: p.capped, customer_paid_for_units: p.customer_paid_for_units });
            }
            Err(why) => unpriced.push(UnpricedMove { r#move: m, reason: why.code().to_owned() }),
        }
    };
    let moves_until_end = moves.iter().filter(|m| m.day <= last);
    for m in moves_until_end.map(Some).chain(std::iter::once(None)) {
        // The instalments due before this move (all that are left, at the end).
        pending.sort_by_key(|d| d.due);
        let due_now = pending.iter().take_while(|d| m.is_none_or(|m| d.due <= m.day)).count();
        for d in pending.drain(..due_now).collect::<Vec<_>>() {
            let Some(h) = held_key(&d.purchase).and_then(|k| held.get_mut(&k)) else { continue };
            if h.units == 0 || h.bought == 0 {
                continue;
            }
            let share = Decimal::from(h.units) / Decimal::from(h.bought);
            let currency = d.purchase.microsoft.currency;
            let microsoft = Money::new(d.microsoft * share, currency).round();
            let customer = Money::new(d.customer * share, currency).round();
            h.charge(0, customer.amount, microsoft.amount);
            let instalment = Move {
                time: format!("{}T00:00:00Z", d.due),
                day: d.due,
                kind: MoveKind::Instalment,
                quantity: h.units,
                microsoft,
                paid_for_units: None,
                ticket_reference: None,
                commitment: None,
                ..d.purchase
            };
            record(instalment, Ok(Priced { customer, price: d.price, capped: false, customer_paid_for_units: None }), &mut lines, &mut unpriced);
        }
        let Some(m) = m else { break };
        let p = price_of(m, own, default);
        let priced = match m.kind {
            MoveKind::Refund | MoveKind::ExchangeReturn => credit(m, &p, held_key(m).and_then(|k| held.get_mut(&k))),
            MoveKind::Purchase | MoveKind::ExchangePurchase | MoveKind::Exchange | MoveKind::Instalment => charge(m, &p).map(|(amount, price)| {
                let customer = Money::new(amount, m.microsoft.currency).round();
                if m.kind != MoveKind::Exchange {
                    if let Some(key) = held_key(m) {
                        let h = held.entry(key).or_insert_with(|| Held::new(m.microsoft.currency));
                        if h.currency == m.microsoft.currency {
                            h.charge(m.quantity, customer.amount, m.microsoft.amount);
                        }
                    }
                    if m.price_in_force.is_some() {
                        pending.extend(instalments(m, &p, last));
                    }
                }
                Priced { customer, price, capped: false, customer_paid_for_units: None }
            }),
        };
        record(m.clone(), priced, &mut lines, &mut unpriced);
    }
    let totals = sums
        .into_iter()
        .map(|(currency, s)| StatementTotal {
            microsoft: Money::new(s.microsoft, currency),
            customer: Money::new(s.customer, currency),
            margin: Money::new(s.customer - s.microsoft, currency),
            charged: Money::new(s.charged, currency),
            credited: Money::new(s.credited, currency),
        })
        .collect();
    Statement { customer_id: customer_id.to_owned(), month: format!("{:04}-{:02}", first.year(), first.month()), closed: today > last, lines, totals, unpriced }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::FixedPrice;
    use quote_engine::Term;
    use rust_decimal_macros::dec;

    fn usd(a: Decimal) -> Money {
        Money::new(a, Currency::USD)
    }

    /// A move of order-1's D4s_v5 for a year, as an older desk recorded it (no price with it).
    fn mv(time: &str, kind: MoveKind, quantity: u32, microsoft: Money, paid: Option<Money>) -> Move {
        let day = DateTime::parse_from_rfc3339(time).unwrap().date_naive();
        Move {
            time: time.to_owned(),
            day,
            kind,
            reservation_order_id: Some("order-1".into()),
            reservation_id: Some("res-1".into()),
            orders: vec![],
            name: "VM_RI_D4s".into(),
            sku_name: "Standard_D4s_v5".into(),
            term: Term::P1Y,
            quantity,
            microsoft,
            paid_for_units: paid,
            ticket_reference: None,
            billing_plan: BillingPlan::Upfront,
            commitment: None,
            price_in_force: None,
        }
    }

    /// The same move recorded with the price in force when the money moved.
    fn at(m: Move, markup: Decimal, fixed: Option<Money>) -> Move {
        let sku = m.sku_name.clone();
        Move { price_in_force: Some(PriceInForce { set_at: Some("2026-01-01T00:00:00Z".into()), markup_percent: markup, fixed: fixed.map(|unit_price| FixedPrice { sku_name: sku, term: m.term, unit_price }).into_iter().collect() }), ..m }
    }

    fn markup(from: &str, percent: Decimal) -> PartnerPricing {
        PartnerPricing { from: from.into(), markup_percent: percent, fixed: vec![] }
    }

    fn november(moves: &[Move], own: &[PartnerPricing]) -> Statement {
        statement("contoso", month("2026-11").unwrap(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), moves, own, &[])
    }

    fn customer(s: &Statement) -> Vec<Decimal> {
        s.lines.iter().map(|l| l.customer.amount).collect()
    }

    #[test]
    fn a_month_is_written_yyyy_mm() {
        assert_eq!(month("2026-11").unwrap(), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "november", "2026-00"] {
            assert_eq!(month(bad).unwrap_err().field(), Some("month"), "{bad}");
        }
        assert_eq!(month_end(month("2026-12").unwrap()), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(month_end(month("2028-02").unwrap()), NaiveDate::from_ymd_opt(2028, 2, 29).unwrap());
    }

    #[test]
    fn a_markup_prices_a_purchase_and_a_refund_in_microsofts_currency_rounded_half_even() {
        // 1,234.565 × 1.10 = 1,358.0215 → 1,358.02; a refund of a reservation the desk did not
        // sell at the same markup: −500.25 × 1.1 = −550.275, half to even.
        let history = [markup("2026-01-01T00:00:00Z", dec!(10))];
        let mut refunded = mv("2026-11-03T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-500.25)), Some(usd(dec!(600))));
        refunded.reservation_order_id = Some("order-2".into());
        let s = november(&[mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 2, usd(dec!(1234.565)), None), refunded], &history);
        assert_eq!(customer(&s), vec![dec!(1358.02), dec!(-550.28)]);
        assert_eq!(s.lines[0].price, PriceBasis::Markup { markup_percent: dec!(10) });
        assert!(!s.lines[1].capped);
        assert_eq!(s.lines[1].customer_paid_for_units, None, "the desk never charged the customer for order-2");
        assert_eq!((s.totals[0].charged.amount, s.totals[0].credited.amount, s.totals[0].customer.amount), (dec!(1358.02), dec!(-550.28), dec!(807.74)));
        // No pricing: Microsoft's figure as billed.
        assert_eq!(customer(&november(&[mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(99.99)), None)], &[])), vec![dec!(99.99)]);
    }

    #[test]
    fn a_fixed_price_charges_its_unit_price_and_a_return_credits_microsofts_share_of_what_the_customer_paid() {
        let fixed = Some(usd(dec!(1500)));
        let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::ExchangePurchase, 3, usd(dec!(3600)), None), dec!(5), fixed);
        // Microsoft credited 600 of the 1,200 it charged for the unit: half of the customer's 1,500.
        let returned = at(mv("2026-11-03T10:00:00Z", MoveKind::ExchangeReturn, 1, usd(dec!(-600)), Some(usd(dec!(1200)))), dec!(5), fixed);
        // More back than Microsoft charged for the unit: never more than the customer paid.
        let more = at(mv("2026-11-04T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-1300)), Some(usd(dec!(1200)))), dec!(5), fixed);
        let s = november(&[bought, returned, more], &[]);
        assert_eq!(customer(&s), vec![dec!(4500), dec!(-750), dec!(-1500)]);
        assert_eq!(s.lines.iter().map(|l| l.capped).collect::<Vec<_>>(), vec![false, false, true]);
        assert_eq!(s.lines[2].customer_paid_for_units, Some(usd(dec!(1500))));
        // What cannot be priced says why: a credit at a fixed price for units the desk did not
        // sell, without Microsoft's figure for them; a fixed price in another currency.
        let mut unknown = at(mv("2026-11-05T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-600)), None), dec!(0), fixed);
        unknown.reservation_order_id = Some("order-9".into());
        let euro = at(mv("2026-11-05T10:00:00Z", MoveKind::Purchase, 1, Money::new(dec!(1000), Currency::EUR), None), dec!(0), fixed);
        let s = november(&[unknown, euro], &[]);
        assert_eq!(s.unpriced.iter().map(|u| u.reason.as_str()).collect::<Vec<_>>(), vec!["paidUnknown", "currencyMismatch"]);
    }

    #[test]
    fn a_credit_is_capped_by_what_the_customer_was_charged_at_the_purchases_price_whatever_the_price_later() {
        // Bought at 0 % (the customer paid 1,000), the markup then raised to 50 %: a whole refund
        // of Microsoft's 1,000 credits 1,000, not 1,500.
        let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 2, usd(dec!(1000)), None), dec!(0), None);
        let whole = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 2, usd(dec!(-1000)), Some(usd(dec!(1000)))), dec!(50), None);
        let s = november(&[bought.clone(), whole], &[]);
        assert_eq!(customer(&s), vec![dec!(1000), dec!(-1000)]);
        assert_eq!(s.lines[1].customer_paid_for_units, Some(usd(dec!(1000))));
        // In two steps, each unit's share: 500 and 500, never 1,000 twice over.
        let first = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-700)), Some(usd(dec!(500)))), dec!(50), None);
        let second = at(mv("2026-11-21T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-700)), Some(usd(dec!(500)))), dec!(50), None);
        let s = november(&[bought.clone(), first, second], &[]);
        assert_eq!(customer(&s), vec![dec!(1000), dec!(-500), dec!(-500)]);
        assert!(s.lines[1].capped && s.lines[2].capped);
        // A fixed price added after the purchase does not raise what the customer gets back.
        let fixed_later = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 2, usd(dec!(-800)), Some(usd(dec!(1000)))), dec!(0), Some(usd(dec!(5000))));
        let s = november(&[bought, fixed_later], &[]);
        assert_eq!(customer(&s), vec![dec!(1000), dec!(-800)], "800 of 1,000 back: 80 % of what the customer paid");
    }

    #[test]
    fn a_fixed_price_on_a_monthly_purchase_charges_one_instalment_a_month_and_caps_credits_at_the_instalments_paid() {
        // 1 unit for a year, monthly: Microsoft's 1,200 in twelve 100s; the customer's fixed
        // 2,400 in twelve 200s, each month on the purchase's day while the unit is held.
        let mut bought = at(mv("2026-09-15T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100)), None), dec!(0), Some(usd(dec!(2400))));
        bought.billing_plan = BillingPlan::Monthly;
        bought.commitment = Some(usd(dec!(1200)));
        let september = statement("contoso", month("2026-09").unwrap(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), std::slice::from_ref(&bought), &[], &[]);
        assert_eq!(customer(&september), vec![dec!(200)], "the first instalment, not the whole term");
        let refund = at(mv("2026-11-20T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-900)), Some(usd(dec!(1200)))), dec!(0), Some(usd(dec!(2400))));
        let s = november(&[bought.clone(), refund], &[]);
        assert_eq!(s.lines.iter().map(|l| (l.r#move.kind, l.r#move.day.to_string(), l.r#move.microsoft.amount, l.customer.amount)).collect::<Vec<_>>(), vec![
            (MoveKind::Instalment, "2026-11-15".to_owned(), dec!(100), dec!(200)),
            (MoveKind::Refund, "2026-11-20".to_owned(), dec!(-900), dec!(-600)),
        ]);
        assert!(s.lines[1].capped, "Microsoft gave back more than it was paid (300): the customer gets what it paid, 600");
        // Nothing is due after the whole refund.
        let december = statement("contoso", month("2026-12").unwrap(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), &[bought], &[], &[]);
        assert_eq!(customer(&december), vec![dec!(200)], "held: December's instalment");
    }

    #[test]
    fn each_sku_an_exchange_buys_is_priced_at_its_own_price() {
        let fixed = PriceInForce { set_at: None, markup_percent: dec!(10), fixed: vec![FixedPrice { sku_name: "Standard_D4s_v5".into(), term: Term::P1Y, unit_price: usd(dec!(1500)) }] };
        let d4 = Move { price_in_force: Some(fixed.clone()), ..mv("2026-11-02T10:00:00Z", MoveKind::ExchangePurchase, 2, usd(dec!(2400)), None) };
        let e8 = Move { sku_name: "Standard_E8s_v5".into(), price_in_force: Some(fixed), ..mv("2026-11-02T10:00:00Z", MoveKind::ExchangePurchase, 3, usd(dec!(6000)), None) };
        assert_eq!(customer(&november(&[d4, e8], &[])), vec![dec!(3000), dec!(6600)]);
    }

    #[test]
    fn a_move_is_priced_at_the_price_recorded_with_it_not_one_set_in_the_same_second() {
        let bought = at(mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(1000)), None), dec!(0), None);
        let raised = [markup("2026-11-02T10:00:00Z", dec!(50))];
        assert_eq!(customer(&november(&[bought], &raised)), vec![dec!(1000)]);
        // Recorded before the desk kept the price: the history at its time.
        assert_eq!(customer(&november(&[mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(1000)), None)], &raised)), vec![dec!(1500)]);
    }

    #[test]
    fn each_move_is_priced_at_the_pricing_in_force_at_its_time_and_a_closed_month_does_not_change() {
        let history = vec![markup("2026-01-01T00:00:00Z", dec!(10)), markup("2026-11-15T00:00:00Z", dec!(20))];
        let moves = vec![
            mv("2026-10-31T23:59:59Z", MoveKind::Purchase, 1, usd(dec!(7)), None),
            mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100)), None),
            mv("2026-11-20T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100)), None),
        ];
        let first = month("2026-11").unwrap();
        let s = statement("contoso", first, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(), &moves, &history, &[]);
        assert!(s.closed);
        assert_eq!(customer(&s), vec![dec!(110), dec!(120)]);
        assert_eq!(s.totals[0].customer, usd(dec!(230)));
        assert_eq!(s.totals[0].margin, usd(dec!(30)));
        // December's move and a January price change leave November as it was.
        let mut later = moves.clone();
        later.push(mv("2026-12-01T00:00:00Z", MoveKind::Refund, 1, usd(dec!(-50)), Some(usd(dec!(100)))));
        let mut later_history = history.clone();
        later_history.push(markup("2027-01-01T00:00:00Z", dec!(50)));
        assert_eq!(statement("contoso", first, NaiveDate::from_ymd_opt(2027, 1, 3).unwrap(), &later, &later_history, &[]), s);
        // In an open month it says so.
        assert!(!statement("contoso", first, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), &moves, &history, &[]).closed);
    }

    #[test]
    fn the_customers_own_pricing_wins_over_the_default_from_its_time_and_an_exchange_net_takes_the_markup() {
        let default = vec![markup("2026-01-01T00:00:00Z", dec!(10))];
        let own = vec![PartnerPricing {
            from: "2026-11-10T00:00:00Z".into(),
            markup_percent: dec!(3),
            fixed: vec![FixedPrice { sku_name: "Standard_D4s_v5".into(), term: Term::P1Y, unit_price: usd(dec!(1500)) }],
        }];
        assert_eq!(pricing_at(&own, &default, "2026-11-09T23:59:59Z").unwrap().markup_percent, dec!(10));
        assert_eq!(pricing_at(&own, &default, "2026-11-10T00:00:00Z").unwrap().markup_percent, dec!(3));
        assert!(pricing_at(&own, &default, "2025-12-31T00:00:00Z").is_none());
        let s = statement("contoso", month("2026-11").unwrap(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), &[mv("2026-11-12T10:00:00Z", MoveKind::Exchange, 1, usd(dec!(-200)), None)], &own, &default);
        assert_eq!((s.lines[0].customer, &s.lines[0].price), (usd(dec!(-206)), &PriceBasis::Markup { markup_percent: dec!(3) }));
    }

    #[test]
    fn a_pricing_request_is_checked_field_by_field() {
        let ok = contract::PricingRequest { markup_percent: dec!(12.50), fixed: vec![FixedPrice { sku_name: "Standard_D4s_v5".into(), term: Term::P3Y, unit_price: usd(dec!(2999.99)) }] };
        let p = pricing(&ok, "2026-11-27T10:00:00Z".into()).unwrap();
        assert_eq!((p.markup_percent, p.from.as_str()), (dec!(12.5), "2026-11-27T10:00:00Z"));
        let field = |r: contract::PricingRequest| pricing(&r, "2026-11-27T10:00:00Z".into()).unwrap_err().field().map(str::to_owned);
        assert_eq!(field(contract::PricingRequest { markup_percent: dec!(-100.01), fixed: vec![] }).as_deref(), Some("markupPercent"));
        assert_eq!(field(contract::PricingRequest { markup_percent: dec!(1.00001), fixed: vec![] }).as_deref(), Some("markupPercent"));
        let mut cents = ok.clone();
        cents.fixed[0].unit_price = usd(dec!(10.001));
        assert_eq!(field(cents).as_deref(), Some("fixed[0].unitPrice.amount"));
        let mut twice = ok.clone();
        twice.fixed.push(FixedPrice { sku_name: "standard_d4s_v5".into(), term: Term::P3Y, unit_price: usd(dec!(1)) });
        assert_eq!(field(twice).as_deref(), Some("fixed[1].skuName"));
        let mut blank = ok;
        blank.fixed[0].sku_name = " ".into();
        assert_eq!(field(blank).as_deref(), Some("fixed[0].skuName"));
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;

        /// A move of one of three orders (two SKUs), recorded with a price (markup, maybe a fixed
        /// price) or, one in four, as an older desk recorded it; upfront or monthly.
        fn a_move() -> impl Strategy<Value = Move> {
            (0u32..90, 0usize..4, 1u32..6, 1i64..500_000, 0usize..3, prop::bool::ANY, 0u8..4, -5_000i64..50_000, prop::option::of(1i64..1_000_000))
                .prop_map(|(day, kind, quantity, cents, order, monthly, recorded, markup, fixed)| {
                    let kind = [MoveKind::Purchase, MoveKind::Refund, MoveKind::ExchangeReturn, MoveKind::ExchangePurchase][kind];
                    let amount = Decimal::new(cents, 2) * if kind.is_credit() { Decimal::NEGATIVE_ONE } else { Decimal::ONE };
                    let date = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(day.into());
                    let mut m = mv(&format!("{date}T12:00:00Z"), kind, quantity, usd(amount), Some(usd(Decimal::new(cents, 2))));
                    m.reservation_order_id = Some(format!("order-{order}"));
                    m.sku_name = if order == 0 { "Standard_E8s_v5".into() } else { "Standard_D4s_v5".into() };
                    if monthly && !kind.is_credit() {
                        m.billing_plan = BillingPlan::Monthly;
                        m.commitment = Some(usd(Decimal::new(cents * 12, 2)));
                    }
                    if recorded > 0 {
                        m = at(m, Decimal::new(markup, 3), fixed.map(|f| usd(Decimal::new(f, 2))));
                    }
                    m
                })
        }

        fn a_pricing() -> impl Strategy<Value = Vec<PartnerPricing>> {
            prop::collection::vec((0u32..90, -10_000i64..100_000, prop::option::of(1i64..10_000_000)), 0..4).prop_map(|ps| {
                let mut ps: Vec<PartnerPricing> = ps
                    .into_iter()
                    .map(|(day, markup, fixed)| PartnerPricing {
                        from: format!("{}T00:00:00Z", NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(day.into())),
                        markup_percent: Decimal::new(markup, 3),
                        fixed: fixed.map(|f| FixedPrice { sku_name: "Standard_D4s_v5".into(), term: Term::P1Y, unit_price: usd(Decimal::new(f, 2)) }).into_iter().collect(),
                    })
                    .collect();
                ps.sort_by(|a, b| a.from.cmp(&b.from));
                ps
            })
        }

        fn sorted(mut moves: Vec<Move>) -> Vec<Move> {
            moves.sort_by(|a, b| a.time.cmp(&b.time));
            moves
        }

        proptest! {
            /// For random moves and prices: every move of the month is a line or unpriced with a
            /// reason; each line's margin is its customer figure less Microsoft's, to the minor
            /// unit; each currency's totals are the sums of its lines (charged and credited
            /// apart); no credit exceeds what the customer was charged for its units, and over
            /// every month up to this one the credits of an order's SKU never exceed what it was
            /// charged; a closed month reads the same after any later move or price change.
            #[test]
            fn totals_are_the_sums_of_the_lines_and_no_credit_exceeds_what_was_charged(moves in prop::collection::vec(a_move(), 0..40), pricing in a_pricing(), later in prop::collection::vec(a_move(), 0..5), later_price in -10_000i64..100_000) {
                let moves = sorted(moves);
                let first = month("2026-11").unwrap();
                let s = statement("contoso", first, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), &moves, &pricing, &[]);
                let in_month = moves.iter().filter(|m| m.day >= first && m.day <= month_end(first)).count();
                let instalments = s.lines.iter().filter(|l| l.r#move.kind == MoveKind::Instalment).count();
                prop_assert_eq!(s.lines.len() + s.unpriced.len(), in_month + instalments);
                let mut sums: BTreeMap<Currency, (Decimal, Decimal, Decimal, Decimal, Decimal)> = BTreeMap::new();
                for l in &s.lines {
                    let c = l.r#move.microsoft.currency;
                    prop_assert_eq!(l.customer.currency, c);
                    prop_assert_eq!(l.customer.amount, l.customer.amount.round_dp(c.minor_units()));
                    prop_assert_eq!(l.margin.amount, l.customer.amount - l.r#move.microsoft.amount);
                    if l.r#move.kind.is_credit() {
                        prop_assert!(l.customer.amount <= Decimal::ZERO);
                        if let Some(paid) = l.customer_paid_for_units {
                            prop_assert!(-l.customer.amount <= paid.amount, "credit {} above the {} paid for its units", l.customer, paid);
                        }
                    }
                    let e = sums.entry(c).or_default();
                    e.0 += l.r#move.microsoft.amount; e.1 += l.customer.amount; e.2 += l.margin.amount;
                    if l.customer.amount < Decimal::ZERO { e.4 += l.customer.amount } else { e.3 += l.customer.amount }
                }
                for t in &s.totals {
                    let (ms, cs, mg, charged, credited) = sums.get(&t.microsoft.currency).copied().unwrap_or_default();
                    prop_assert_eq!((t.microsoft.amount, t.customer.amount, t.margin.amount, t.charged.amount, t.credited.amount), (ms, cs, mg, charged, credited));
                }
                // Over every month from September: an order's SKU is never credited more than it was
                // charged, counting only the credits the desk capped by what it charged.
                let mut by_order: HashMap<(Option<String>, String), (Decimal, Decimal, u32)> = HashMap::new();
                for m in ["2026-09", "2026-10", "2026-11"] {
                    for l in statement("contoso", month(m).unwrap(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), &moves, &pricing, &[]).lines {
                        let e = by_order.entry((l.r#move.reservation_order_id.clone(), l.r#move.sku_name.to_ascii_lowercase())).or_default();
                        if !l.r#move.kind.is_credit() && l.r#move.kind != MoveKind::Exchange { e.0 += l.customer.amount }
                        if l.customer_paid_for_units.is_some() { e.1 -= l.customer.amount; e.2 += 1 }
                        prop_assert!(e.1 <= e.0, "credited {} of {} charged", e.1, e.0);
                    }
                }
                // Later moves and a later price leave the closed month as it was.
                let mut after = moves.clone();
                after.extend(later.into_iter().map(|m| Move { time: m.time.replace("2026-09", "2026-12").replace("2026-10", "2026-12").replace("2026-11", "2026-12"), day: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), ..m }));
                let mut priced_later = pricing.clone();
                priced_later.push(markup("2026-12-01T00:00:00Z", Decimal::new(later_price, 3)));
                prop_assert_eq!(statement("contoso", first, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), &after, &priced_later, &[]), s);
            }
        }
    }
}
