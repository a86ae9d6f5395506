//! Money passed on: each move the desk made with Microsoft priced for the customer at the
//! partner's price, and a customer's statement for a month. Pure: the caller reads the moves and
//! the pricing history, and says which day it is.
//!
//! The rules, in one place:
//! - A move is priced by the pricing in force at its time (the last one whose `from` is not after
//!   it); none in force passes Microsoft's figure on as billed (a markup of 0 %).
//! - A fixed price for the move's SKU and term takes precedence over the markup. A purchase is
//!   charged the unit price × units. Units returned are credited the same share of what the
//!   customer paid for them as Microsoft credited of what it had charged for them.
//! - A markup multiplies Microsoft's figure, in the currency Microsoft billed it in.
//! - A credit is never more than the customer paid for the units returned (`capped`).
//! - Each line is rounded to the currency's minor unit, half to even; totals are the sums of the
//!   rounded lines, per currency, so they add up to the minor unit.
//! - A statement holds only its month's moves, each at the price in force when it happened:
//!   later moves and later price changes leave a closed month as it was.
//! - A refund on its own stays with Microsoft as a credit for the customer's next reservation
//!   purchase: the credit held is the refunds less what later purchases used of them.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate};
use contract::{Move, MoveKind, PartnerPricing, PriceBasis, ProblemCode, Statement, StatementLine, StatementTotal, UnpricedMove};
use quote_engine::{Currency, Money};
use rust_decimal::Decimal;

use crate::error::ServiceError;

/// A statement month, `yyyy-mm`, as its first day.
pub fn month(text: &str) -> Result<NaiveDate, ServiceError> {
    let bad = || ServiceError::invalid(ProblemCode::MalformedRequest, "month", format!("a month is written yyyy-mm, e.g. 2026-11; got {text:?}"));
    let (year, month) = text.split_once('-').ok_or_else(bad)?;
    if year.len() != 4 || month.len() != 2 {
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
        if price.amount <= Decimal::ZERO || price.amount.normalize().scale() > price.currency.minor_units() {
            return Err(ServiceError::invalid(
                ProblemCode::InvalidQuoteInput,
                &field("unitPrice.amount"),
                format!("a unit price is above zero and in whole minor units of {}; got {}", price.currency, price.amount),
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
    /// Units returned at a fixed price, without what Microsoft had charged for them.
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
}

/// What the customer is charged or credited for `m` under `pricing` (none: Microsoft's figure).
pub fn price(m: &Move, pricing: Option<&PartnerPricing>) -> Result<Priced, Unpriced> {
    let currency = m.microsoft.currency;
    // An exchange's net figure covers several SKUs: only the markup prices it.
    let fixed = pricing.filter(|_| m.kind != MoveKind::Exchange).and_then(|p| p.fixed.iter().find(|f| f.sku_name.eq_ignore_ascii_case(&m.sku_name) && f.term == m.term));
    let quantity = Decimal::from(m.quantity);
    let (amount, price, capped) = match fixed {
        Some(f) => {
            if f.unit_price.currency != currency {
                return Err(Unpriced::CurrencyMismatch);
            }
            let customer_paid = f.unit_price.amount * quantity;
            if m.kind.is_credit() {
                let paid = m.paid_for_units.ok_or(Unpriced::PaidUnknown)?;
                if paid.currency != currency {
                    return Err(Unpriced::CurrencyMismatch);
                }
                if paid.amount <= Decimal::ZERO {
                    return Err(Unpriced::PaidUnknown);
                }
                let credit = customer_paid * (-m.microsoft.amount) / paid.amount;
                let capped = credit > customer_paid;
                (-credit.min(customer_paid), PriceBasis::Fixed { unit_price: f.unit_price }, capped)
            } else {
                (customer_paid, PriceBasis::Fixed { unit_price: f.unit_price }, false)
            }
        }
        None => {
            let markup_percent = pricing.map_or(Decimal::ZERO, |p| p.markup_percent);
            let factor = Decimal::ONE + markup_percent / Decimal::ONE_HUNDRED;
            let mut amount = m.microsoft.amount * factor;
            let mut capped = false;
            if m.kind.is_credit() {
                if let Some(paid) = m.paid_for_units.filter(|p| p.currency == currency) {
                    let customer_paid = paid.amount * factor;
                    if -amount > customer_paid {
                        amount = -customer_paid;
                        capped = true;
                    }
                }
            }
            (amount, PriceBasis::Markup { markup_percent }, capped)
        }
    };
    Ok(Priced { customer: Money::new(amount, currency).round(), price, capped })
}

/// One currency's running sums.
#[derive(Default)]
struct Sums {
    microsoft: Decimal,
    customer: Decimal,
    held: Decimal,
}

/// The refund credit Microsoft holds for the customer in each currency after `moves` (in time
/// order): each refund adds what Microsoft credited, each purchase uses what it can of it. An
/// exchange settles its own return against its own purchase, so it neither adds nor uses any.
fn credit_held(moves: &[&Move]) -> BTreeMap<Currency, Decimal> {
    let mut held: BTreeMap<Currency, Decimal> = BTreeMap::new();
    for m in moves {
        let entry = held.entry(m.microsoft.currency).or_default();
        match m.kind {
            MoveKind::Refund => *entry += -m.microsoft.amount,
            MoveKind::Purchase => *entry -= m.microsoft.amount.min(*entry).max(Decimal::ZERO),
            MoveKind::ExchangeReturn | MoveKind::ExchangePurchase | MoveKind::Exchange => {}
        }
    }
    held
}

/// `customer_id`'s statement for the month starting on `first`, on `today`: every move of the
/// month priced at the pricing in force at its time, totals per currency, and the refund credit
/// Microsoft holds at the month's end (or today, in an open month).
pub fn statement(customer_id: &str, first: NaiveDate, today: NaiveDate, moves: &[Move], own: &[PartnerPricing], default: &[PartnerPricing]) -> Statement {
    let last = month_end(first);
    let mut until_end: Vec<&Move> = moves.iter().filter(|m| m.day <= last).collect();
    until_end.sort_by(|a, b| instant(&a.time).cmp(&instant(&b.time)).then_with(|| a.time.cmp(&b.time)));
    let mut lines = Vec::new();
    let mut unpriced = Vec::new();
    let mut sums: BTreeMap<Currency, Sums> = BTreeMap::new();
    for m in until_end.iter().filter(|m| m.day >= first) {
        match price(m, pricing_at(own, default, &m.time)) {
            Ok(p) => {
                let currency = m.microsoft.currency;
                let margin = Money::new(p.customer.amount - m.microsoft.amount, currency);
                let s = sums.entry(currency).or_default();
                s.microsoft += m.microsoft.amount;
                s.customer += p.customer.amount;
                lines.push(StatementLine { r#move: (*m).clone(), customer: p.customer, margin, price: p.price, capped: p.capped });
            }
            Err(why) => unpriced.push(UnpricedMove { r#move: (*m).clone(), reason: why.code().to_owned() }),
        }
    }
    for (currency, held) in credit_held(&until_end) {
        sums.entry(currency).or_default().held = held;
    }
    let totals = sums
        .into_iter()
        .map(|(currency, s)| StatementTotal {
            microsoft: Money::new(s.microsoft, currency),
            customer: Money::new(s.customer, currency),
            margin: Money::new(s.customer - s.microsoft, currency),
            refund_credit_held: Money::new(s.held, currency),
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
        }
    }

    fn markup(from: &str, percent: Decimal) -> PartnerPricing {
        PartnerPricing { from: from.into(), markup_percent: percent, fixed: vec![] }
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
        // 1,234.565 × 1.10 = 1,358.0215 → 1,358.02; the refund's credit at the same markup.
        let pricing = markup("2026-01-01T00:00:00Z", dec!(10));
        let bought = price(&mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 2, usd(dec!(1234.565)), None), Some(&pricing)).unwrap();
        assert_eq!(bought.customer, usd(dec!(1358.02)));
        assert_eq!(bought.price, PriceBasis::Markup { markup_percent: dec!(10) });
        let refunded = price(&mv("2026-11-03T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-500.25)), Some(usd(dec!(600)))), Some(&pricing)).unwrap();
        assert_eq!(refunded.customer, usd(dec!(-550.28)), "−500.25 × 1.1 = −550.275, half to even");
        assert!(!refunded.capped);
        // No pricing: Microsoft's figure as billed.
        let passed = price(&mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(99.99)), None), None).unwrap();
        assert_eq!(passed.customer, usd(dec!(99.99)));
    }

    #[test]
    fn a_fixed_price_charges_its_unit_price_and_credits_microsofts_share_of_what_the_customer_paid() {
        let pricing = PartnerPricing {
            from: "2026-01-01T00:00:00Z".into(),
            markup_percent: dec!(5),
            fixed: vec![FixedPrice { sku_name: "standard_d4s_v5".into(), term: Term::P1Y, unit_price: usd(dec!(1500)) }],
        };
        let bought = price(&mv("2026-11-02T10:00:00Z", MoveKind::ExchangePurchase, 3, usd(dec!(3600)), None), Some(&pricing)).unwrap();
        assert_eq!(bought.customer, usd(dec!(4500)));
        // Microsoft credited 600 of the 1,200 it charged for the unit: half of the customer's 1,500.
        let returned = price(&mv("2026-11-03T10:00:00Z", MoveKind::ExchangeReturn, 1, usd(dec!(-600)), Some(usd(dec!(1200)))), Some(&pricing)).unwrap();
        assert_eq!(returned.customer, usd(dec!(-750)));
        // More back than was charged (a price rise): never more than the customer paid.
        let capped = price(&mv("2026-11-03T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-1300)), Some(usd(dec!(1200)))), Some(&pricing)).unwrap();
        assert_eq!((capped.customer, capped.capped), (usd(dec!(-1500)), true));
        // What cannot be priced says why.
        assert_eq!(price(&mv("2026-11-03T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-600)), None), Some(&pricing)), Err(Unpriced::PaidUnknown));
        let euro = mv("2026-11-03T10:00:00Z", MoveKind::Purchase, 1, Money::new(dec!(1000), Currency::EUR), None);
        assert_eq!(price(&euro, Some(&pricing)), Err(Unpriced::CurrencyMismatch));
    }

    #[test]
    fn a_markup_credit_is_capped_at_what_the_customer_paid_for_the_units() {
        let pricing = markup("2026-01-01T00:00:00Z", dec!(20));
        let p = price(&mv("2026-11-03T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-130)), Some(usd(dec!(100)))), Some(&pricing)).unwrap();
        assert_eq!((p.customer, p.capped), (usd(dec!(-120)), true));
    }

    #[test]
    fn each_move_is_priced_at_the_pricing_in_force_at_its_time_and_a_closed_month_does_not_change() {
        let history = vec![markup("2026-01-01T00:00:00Z", dec!(10)), markup("2026-11-15T00:00:00Z", dec!(20))];
        let moves = vec![
            mv("2026-11-02T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100)), None),
            mv("2026-11-20T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(100)), None),
            mv("2026-10-31T23:59:59Z", MoveKind::Purchase, 1, usd(dec!(7)), None),
        ];
        let first = month("2026-11").unwrap();
        let s = statement("contoso", first, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(), &moves, &history, &[]);
        assert!(s.closed);
        assert_eq!(s.lines.iter().map(|l| l.customer.amount).collect::<Vec<_>>(), vec![dec!(110), dec!(120)]);
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
    fn a_refund_is_held_by_microsoft_until_a_later_purchase_uses_it_and_currencies_stay_apart() {
        let moves = vec![
            mv("2026-11-02T10:00:00Z", MoveKind::Refund, 1, usd(dec!(-300)), Some(usd(dec!(400)))),
            mv("2026-11-05T10:00:00Z", MoveKind::Purchase, 1, usd(dec!(120)), None),
            mv("2026-11-06T10:00:00Z", MoveKind::ExchangeReturn, 1, usd(dec!(-900)), Some(usd(dec!(1000)))),
            mv("2026-11-07T10:00:00Z", MoveKind::Refund, 1, Money::new(dec!(-80), Currency::EUR), Some(Money::new(dec!(90), Currency::EUR))),
        ];
        let s = statement("contoso", month("2026-11").unwrap(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), &moves, &[], &[]);
        let by: BTreeMap<Currency, &StatementTotal> = s.totals.iter().map(|t| (t.microsoft.currency, t)).collect();
        assert_eq!(by[&Currency::USD].refund_credit_held, usd(dec!(180)), "300 held, 120 used; the exchange settles itself");
        assert_eq!(by[&Currency::USD].microsoft, usd(dec!(-1080)));
        assert_eq!(by[&Currency::EUR].refund_credit_held, Money::new(dec!(80), Currency::EUR));
        assert_eq!(by[&Currency::EUR].customer, Money::new(dec!(-80), Currency::EUR));
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
        let net = price(&mv("2026-11-12T10:00:00Z", MoveKind::Exchange, 1, usd(dec!(-200)), None), pricing_at(&own, &default, "2026-11-12T10:00:00Z")).unwrap();
        assert_eq!((net.customer, net.price), (usd(dec!(-206)), PriceBasis::Markup { markup_percent: dec!(3) }));
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

        fn a_move() -> impl Strategy<Value = Move> {
            (0u32..60, 0usize..4, 1u32..20, -500_000i64..500_000, 0i64..1_000_000, prop::bool::ANY).prop_map(|(day, kind, quantity, cents, paid_cents, euro)| {
                let kind = [MoveKind::Purchase, MoveKind::Refund, MoveKind::ExchangeReturn, MoveKind::ExchangePurchase][kind];
                let currency = if euro { Currency::EUR } else { Currency::USD };
                let amount = Decimal::new(cents.abs(), 2) * if kind.is_credit() { Decimal::NEGATIVE_ONE } else { Decimal::ONE };
                let date = NaiveDate::from_ymd_opt(2026, 10, 15).unwrap() + chrono::Days::new(day.into());
                let mut m = mv(&format!("{date}T12:00:00Z"), kind, quantity, Money::new(amount, currency), Some(Money::new(Decimal::new(paid_cents + 1, 2), currency)));
                m.sku_name = if day % 3 == 0 { "Standard_D4s_v5".into() } else { "Standard_E8s_v5".into() };
                m
            })
        }

        fn a_pricing() -> impl Strategy<Value = Vec<PartnerPricing>> {
            prop::collection::vec((0u32..60, -10_000i64..100_000, prop::option::of(1i64..10_000_000)), 0..4).prop_map(|ps| {
                ps.into_iter()
                    .map(|(day, markup, fixed)| PartnerPricing {
                        from: format!("{}T00:00:00Z", NaiveDate::from_ymd_opt(2026, 10, 1).unwrap() + chrono::Days::new(day.into())),
                        markup_percent: Decimal::new(markup, 3),
                        fixed: fixed.map(|f| FixedPrice { sku_name: "Standard_D4s_v5".into(), term: Term::P1Y, unit_price: usd(Decimal::new(f, 2)) }).into_iter().collect(),
                    })
                    .collect()
            })
        }

        proptest! {
            /// For random moves and markups: every move of the month is a line or unpriced with a
            /// reason; each line's margin is its customer figure less Microsoft's, to the minor
            /// unit; each currency's totals are the sums of its lines; no credit exceeds what the
            /// customer paid; and a later month's moves change nothing in this one.
            #[test]
            fn totals_are_the_sums_of_the_lines(moves in prop::collection::vec(a_move(), 0..40), pricing in a_pricing()) {
                let first = month("2026-11").unwrap();
                let s = statement("contoso", first, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), &moves, &pricing, &[]);
                let in_month = moves.iter().filter(|m| m.day >= first && m.day <= month_end(first)).count();
                prop_assert_eq!(s.lines.len() + s.unpriced.len(), in_month);
                let mut sums: BTreeMap<Currency, (Decimal, Decimal, Decimal)> = BTreeMap::new();
                for l in &s.lines {
                    let c = l.r#move.microsoft.currency;
                    prop_assert_eq!(l.customer.currency, c);
                    prop_assert_eq!(l.customer.amount, l.customer.amount.round_dp(c.minor_units()));
                    prop_assert_eq!(l.margin.amount, l.customer.amount - l.r#move.microsoft.amount);
                    if l.r#move.kind.is_credit() { prop_assert!(l.customer.amount <= Decimal::ZERO); }
                    let e = sums.entry(c).or_default();
                    e.0 += l.r#move.microsoft.amount; e.1 += l.customer.amount; e.2 += l.margin.amount;
                }
                for t in &s.totals {
                    let (ms, cs, mg) = sums.get(&t.microsoft.currency).copied().unwrap_or_default();
                    prop_assert_eq!((t.microsoft.amount, t.customer.amount, t.margin.amount), (ms, cs, mg));
                    prop_assert!(t.refund_credit_held.amount >= Decimal::ZERO);
                }
                let mut later = moves.clone();
                later.push(mv("2026-12-02T00:00:00Z", MoveKind::Purchase, 1, usd(dec!(10)), None));
                prop_assert_eq!(statement("contoso", first, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), &later, &pricing, &[]), s);
            }
        }
    }
}
