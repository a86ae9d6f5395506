//! The refunds that return the most within the shared headroom: an exact 0/1 knapsack in cents
//! over the non-dominated states, or, past a bound, greedy by value per counted dollar.

use quote_engine::{Currency, Money};
use rust_decimal::Decimal;

use super::*;

/// Minor units of a rounded, non-negative amount (`None` if negative or too large).
fn minor_units(m: Money) -> Option<u64> {
    let mut amount = m.round().amount;
    amount.rescale(m.currency.minor_units());
    u64::try_from(amount.mantissa()).ok()
}

fn from_minor_units(units: u64, currency: Currency) -> Money {
    Money::new(Decimal::new(i64::try_from(units).unwrap_or(i64::MAX), currency.minor_units()), currency)
}

/// The best set among `rows[candidates]` within `headroom`: weights are what each refund counts
/// toward the limit, values what it returns (limit currency). The rows must be allowed alone.
pub fn select(rows: &[PortfolioRow], candidates: &[usize], headroom: Money) -> RefundSelection {
    let currency = headroom.currency;
    let mut items = Vec::new();
    let mut item_rows = Vec::new();
    for &i in candidates {
        let Some(q) = rows.get(i).and_then(|r| r.quote) else { continue };
        if !q.allowed || q.counted.currency != currency || q.refund_in_limit_currency.currency != currency {
            continue;
        }
        if let (Some(weight), Some(value)) = (minor_units(q.counted), minor_units(q.refund_in_limit_currency)) {
            items.push(Item { weight, value });
            item_rows.push(i);
        }
    }
    let capacity = minor_units(headroom).unwrap_or(0);
    let choice = choose(&items, capacity);
    let counted: u64 = choice.items.iter().map(|&k| items[k].weight).sum();
    let value: u64 = choice.items.iter().map(|&k| items[k].value).fold(0, u64::saturating_add);
    let mut chosen: Vec<usize> = choice.items.iter().map(|&k| item_rows[k]).collect();
    chosen.sort_unstable();
    RefundSelection {
        rows: chosen,
        candidates: items.len(),
        method: match choice.upper_bound {
            None => SelectionMethod::Exact,
            Some(bound) => SelectionMethod::Greedy { upper_bound: from_minor_units(bound, currency) },
        },
        value: from_minor_units(value, currency),
        counted: from_minor_units(counted, currency),
        headroom,
        headroom_after: from_minor_units(capacity.saturating_sub(counted), currency),
    }
}

/// One thing to pack: what it uses of the capacity and what it is worth (minor units).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    /// Counted toward the limit.
    pub weight: u64,
    /// Returned.
    pub value: u64,
}

/// The items chosen and, when the choice is greedy, the bound on the best possible value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Indices into the items, ascending.
    pub items: Vec<usize>,
    /// `None`: exact (no set is worth more); `Some(b)`: greedy, and no set is worth more than `b`.
    pub upper_bound: Option<u64>,
}

/// The 0/1 knapsack: the subset of `items` of greatest value with total weight ≤ `capacity`.
///
/// Exact by dynamic programming over non-dominated states (Nemhauser–Ullmann): after each item
/// the list holds, for each reachable weight, the best value, dropping any state another beats
/// with no more weight. Its size is at most min(2ⁿ, capacity + 1) and in practice far smaller
/// (states with equal value per dollar collapse only when weights repeat), so it is exact for
/// any 14 candidates and usually for hundreds, in cents and without scaling. When the list
/// passes [`EXACT_MAX_STATES`] or the work [`EXACT_MAX_STEPS`], the choice is greedy by value
/// per counted cent, filling in whatever still fits, or the single most valuable item if that
/// is worth more — never less than half the best — and reports the fractional (LP) bound.
pub fn choose(items: &[Item], capacity: u64) -> Choice {
    choose_bounded(items, capacity, EXACT_MAX_STATES, EXACT_MAX_STEPS)
}

pub(super) fn choose_bounded(items: &[Item], capacity: u64, max_states: usize, max_steps: u64) -> Choice {
    exact(items, capacity, max_states, max_steps).unwrap_or_else(|| greedy(items, capacity))
}

/// A non-dominated state: total weight, total value, and the arena node of its last item.
#[derive(Clone, Copy)]
struct State {
    weight: u64,
    value: u64,
    node: u32,
}

const ROOT: u32 = u32::MAX;

fn exact(items: &[Item], capacity: u64, max_states: usize, max_steps: u64) -> Option<Choice> {
    // arena[n] = (item, parent node): the chosen items of a state, as a linked list.
    let mut arena: Vec<(u32, u32)> = Vec::new();
    let mut frontier = vec![State { weight: 0, value: 0, node: ROOT }];
    let mut next = Vec::new();
    let mut steps = 0u64;
    for (k, item) in items.iter().enumerate() {
        if item.weight > capacity {
            continue;
        }
        next.clear();
        let (mut a, mut b) = (0, 0);
        // Merge the states without the item (a) and with it (b), by weight; keep a state only
        // when it is worth more than every lighter one.
        loop {
            let without = frontier.get(a).copied();
            let with = frontier.get(b).and_then(|s| {
                let weight = s.weight.checked_add(item.weight).filter(|w| *w <= capacity)?;
                Some(State { weight, value: s.value.saturating_add(item.value), node: s.node })
            });
            let (state, added) = match (without, with) {
                (None, None) => break,
                (Some(x), None) => (x, false),
                (None, Some(y)) => (y, true),
                (Some(x), Some(y)) => {
                    if (x.weight, std::cmp::Reverse(x.value)) <= (y.weight, std::cmp::Reverse(y.value)) {
                        (x, false)
                    } else {
                        (y, true)
                    }
                }
            };
            if added {
                b += 1;
            } else {
                a += 1;
            }
            steps += 1;
            if next.last().is_some_and(|last: &State| last.value >= state.value) {
                continue;
            }
            let state = if added {
                arena.push((u32::try_from(k).ok()?, state.node));
                State { node: u32::try_from(arena.len() - 1).ok()?, ..state }
            } else {
                state
            };
            next.push(state);
        }
        std::mem::swap(&mut frontier, &mut next);
        if frontier.len() > max_states || arena.len() > 4 * max_states || steps > max_steps {
            return None;
        }
    }
    let best = frontier.last()?;
    let mut chosen = Vec::new();
    let mut node = best.node;
    while node != ROOT {
        let (item, parent) = arena[node as usize];
        chosen.push(item as usize);
        node = parent;
    }
    chosen.sort_unstable();
    Some(Choice { items: chosen, upper_bound: None })
}

/// Items by value per unit of weight, best first (weightless items first).
fn by_density(items: &[Item]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (items[i], items[j]);
        // a.value / a.weight > b.value / b.weight  ⇔  a.value × b.weight > b.value × a.weight
        (u128::from(b.value) * u128::from(a.weight)).cmp(&(u128::from(a.value) * u128::from(b.weight))).then(i.cmp(&j))
    });
    order
}

pub(super) fn greedy(items: &[Item], capacity: u64) -> Choice {
    let order = by_density(items);
    let (mut chosen, mut room, mut value) = (Vec::new(), capacity, 0u64);
    for &i in &order {
        if items[i].weight <= room {
            room -= items[i].weight;
            value = value.saturating_add(items[i].value);
            chosen.push(i);
        }
    }
    if let Some(best) = (0..items.len()).filter(|&i| items[i].weight <= capacity).max_by_key(|&i| items[i].value) {
        if items[best].value > value {
            chosen = vec![best];
        }
    }
    chosen.sort_unstable();
    // Dantzig's bound: whole items by density while they fit, then the fraction of the next.
    let (mut bound, mut room) = (0u64, capacity);
    for &i in &order {
        let item = items[i];
        if item.weight <= room {
            room -= item.weight;
            bound = bound.saturating_add(item.value);
        } else {
            let part = (u128::from(item.value) * u128::from(room)).div_ceil(u128::from(item.weight));
            bound = bound.saturating_add(u64::try_from(part).unwrap_or(u64::MAX));
            break;
        }
    }
    Choice { items: chosen, upper_bound: Some(bound) }
}

