//! The portfolio as a table: sort and filter over row positions, totals per currency, and the
//! rows a partner selects quoted together.

use std::cmp::Ordering;

use contract::{AppliedScopeType, Reservation};
use quote_engine::{Money, MoneyError};

use super::*;

/// Orders amounts that may differ in currency: by currency code, then by amount.
fn money_order(a: Money, b: Money) -> Ordering {
    a.currency.code().cmp(b.currency.code()).then_with(|| a.checked_cmp(b).unwrap_or(Ordering::Equal))
}

/// What the portfolio table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Display name.
    Name,
    /// 30-day utilization.
    Utilization,
    /// Days left.
    DaysLeft,
    /// Remaining commitment.
    RemainingCommitment,
    /// Refund today.
    Refund,
    /// Exchange credit.
    ExchangeCredit,
    /// Recommendation (Refund, Exchange, Keep).
    Recommendation,
}

/// The row indices of `portfolio` sorted by `key` (ties by name, then position); amounts in
/// different currencies sort by currency first. Unquoted rows sort last.
pub fn sorted_rows(portfolio: &Portfolio, reservations: &[Reservation], key: SortKey, descending: bool) -> Vec<usize> {
    let rows = &portfolio.rows;
    let money = |i: usize, f: fn(&RowQuote) -> Money| rows[i].quote.as_ref().map(f);
    let compare = |&i: &usize, &j: &usize| -> Ordering {
        let (a, b) = (&reservations[rows[i].position], &reservations[rows[j].position]);
        let by_money = |f: fn(&RowQuote) -> Money| match (money(i, f), money(j, f)) {
            (Some(x), Some(y)) => money_order(x, y),
            (x, y) => y.is_some().cmp(&x.is_some()),
        };
        let primary = match key {
            SortKey::Name => Ordering::Equal,
            // Not reported sorts after every reported figure, as a missing amount does.
            SortKey::Utilization => match (a.utilization.last30_days, b.utilization.last30_days) {
                (Some(x), Some(y)) => x.cmp(&y),
                (x, y) => y.is_some().cmp(&x.is_some()),
            },
            SortKey::DaysLeft => rows[i].days_left.cmp(&rows[j].days_left),
            SortKey::RemainingCommitment => by_money(|q| q.remaining_commitment),
            SortKey::Refund => by_money(|q| q.refund),
            SortKey::ExchangeCredit => by_money(|q| q.exchange_credit),
            SortKey::Recommendation => rows[j].recommendation.action.cmp(&rows[i].recommendation.action),
        };
        let primary = if descending { primary.reverse() } else { primary };
        let by_name = a.display_name.cmp(&b.display_name);
        primary.then(if key == SortKey::Name && descending { by_name.reverse() } else { by_name }).then(i.cmp(&j))
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    // The order is total (ties end on the position), so an unstable sort gives the same order,
    // faster and without a buffer.
    order.sort_unstable_by(compare);
    order
}

/// What the portfolio table is narrowed to; `None` (or empty text) means any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortfolioFilter {
    /// Product family.
    pub family: Option<String>,
    /// Applied scope type.
    pub scope: Option<AppliedScopeType>,
    /// Recommended action.
    pub action: Option<Action>,
    /// Text the name or SKU contains (case-insensitive).
    pub text: String,
}

impl PortfolioFilter {
    /// Whether `row` (of reservation `r`) passes every set criterion.
    pub fn matches(&self, r: &Reservation, row: &PortfolioRow) -> bool {
        self.matches_lowered(&self.text.trim().to_lowercase(), r, row)
    }

    /// [`Self::matches`] with the search text already trimmed and lowercased (`text`): a
    /// filter over many rows lowercases it once, not once per row.
    fn matches_lowered(&self, text: &str, r: &Reservation, row: &PortfolioRow) -> bool {
        self.family.as_ref().is_none_or(|f| &r.reserved_resource_type == f)
            && self.scope.is_none_or(|s| r.applied_scope_type == s)
            && self.action.is_none_or(|a| row.recommendation.action == a)
            && (text.is_empty() || contains_lowered(&r.display_name, text) || contains_lowered(&r.sku_name, text))
    }
}

/// Whether `haystack` lowercased contains `needle` (already lowercased), as
/// `haystack.to_lowercase().contains(needle)`; an ASCII haystack (names and SKUs usually are)
/// is compared in place, without lowercasing a copy of it.
pub(super) fn contains_lowered(haystack: &str, needle: &str) -> bool {
    if !haystack.is_ascii() {
        return haystack.to_lowercase().contains(needle);
    }
    // An ASCII text lowercases to ASCII: it cannot contain anything else.
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || (needle.is_ascii() && hay.windows(needle.len()).any(|w| w.iter().zip(needle).all(|(a, b)| a.to_ascii_lowercase() == *b)))
}

/// The entries of `order` (row indices) whose rows pass `filter`, in that order: positions over
/// the quoted rows, so a keystroke re-quotes nothing and clones no reservation.
pub fn visible_rows(portfolio: &Portfolio, reservations: &[Reservation], order: &[usize], filter: &PortfolioFilter) -> Vec<usize> {
    let text = filter.text.trim().to_lowercase();
    order
        .iter()
        .copied()
        .filter(|&i| {
            let row = &portfolio.rows[i];
            filter.matches_lowered(&text, &reservations[row.position], row)
        })
        .collect()
}

/// The sums of some rows in one billing currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurrencyTotals {
    /// Remaining commitment.
    pub remaining_commitment: Money,
    /// Refunds today (allowed ones only: a refused refund returns nothing).
    pub refund: Money,
    /// Exchange credit.
    pub exchange_credit: Money,
}

/// Totals of `rows` (row indices) per billing currency, in currency-code order.
pub fn totals(portfolio: &Portfolio, rows: &[usize]) -> Result<Vec<CurrencyTotals>, MoneyError> {
    let mut out: Vec<CurrencyTotals> = Vec::new();
    for &i in rows {
        let Some(q) = portfolio.rows.get(i).and_then(|r| r.quote) else { continue };
        let currency = q.refund.currency;
        let at = match out.iter().position(|t| t.refund.currency == currency) {
            Some(at) => at,
            None => {
                let zero = Money::zero(currency).round();
                out.push(CurrencyTotals { remaining_commitment: zero, refund: zero, exchange_credit: zero });
                out.len() - 1
            }
        };
        let t = &mut out[at];
        t.remaining_commitment = t.remaining_commitment.checked_add(q.remaining_commitment)?;
        if q.allowed {
            t.refund = t.refund.checked_add(q.refund)?;
        }
        t.exchange_credit = t.exchange_credit.checked_add(q.exchange_credit)?;
    }
    out.sort_by(|a, b| a.refund.currency.code().cmp(b.refund.currency.code()));
    Ok(out)
}

/// The selected rows quoted together: their refunds against the shared limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectionQuote {
    /// How many rows were selected.
    pub selected: usize,
    /// Totals of the selected rows whose refund is allowed alone, per currency.
    pub totals: Vec<CurrencyTotals>,
    /// What those refunds count toward the limit together.
    pub counted: Money,
    /// Whether they all fit the headroom together.
    pub fits: bool,
    /// Headroom left after them (zero when they do not fit).
    pub headroom_after: Money,
    /// By how much they exceed the headroom (zero when they fit).
    pub over_by: Money,
    /// Selected rows whose refund is refused (or capped) even alone.
    pub refused: Vec<usize>,
    /// When they do not all fit: the best set among them within the headroom.
    pub best: Option<RefundSelection>,
}

/// Quotes the refunds of `selected` (row indices) together within the customer's `headroom`.
pub fn quote_selection(portfolio: &Portfolio, selected: &[usize], headroom: Money) -> Result<SelectionQuote, MoneyError> {
    let zero = Money::zero(headroom.currency).round();
    let (mut ok, mut refused) = (Vec::new(), Vec::new());
    for &i in selected {
        match portfolio.rows.get(i).and_then(|r| r.quote) {
            Some(q) if q.allowed && q.forfeited.is_zero() => ok.push(i),
            Some(_) => refused.push(i),
            None => {}
        }
    }
    let counted = Money::checked_sum(zero.currency, ok.iter().filter_map(|&i| portfolio.rows[i].quote).map(|q| q.counted))?;
    let fits = counted.checked_cmp(headroom)? != Ordering::Greater;
    let best = (!fits).then(|| select(&portfolio.rows, &ok, headroom));
    Ok(SelectionQuote {
        selected: selected.len(),
        totals: totals(portfolio, &ok)?,
        counted,
        fits,
        headroom_after: if fits { headroom.checked_sub(counted)? } else { zero },
        over_by: if fits { zero } else { counted.checked_sub(headroom)? },
        refused,
        best,
    })
}

