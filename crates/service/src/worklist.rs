//! The partner's worklist: what needs doing across every customer, one row per thing to do,
//! with the money at stake, the day by which it must be done and the panel that does it. Pure:
//! the desk hands each customer's book as the store keeps it (in Azure mode, the last read:
//! nothing here asks Azure) and the day; the rules are here, once.
//!
//! The rows, per active reservation (provisioning succeeded, not archived, not past expiry):
//!
//! - **exchange right ends**: of a service savings plans cover, bought before 1 February 2027
//!   and expiring after it (the engine's `exchange_right` answers `BeforeRestriction` today and
//!   `FinalExchange` on that day): at stake its remaining commitment today, due 31 January
//!   2027. Ranked by that figure weighted by how little of it was used over 30 days
//!   ([`rank_weight`]): an idle reservation is the first to exchange while it is free;
//! - **final exchange**: on or after that day, units that keep their one final exchange, with a
//!   known 30-day utilization below the threshold: at stake its remaining commitment, due the
//!   day before it expires;
//! - **renews into no exchange**: automatic renewal on, of such a service, renewing on or after
//!   that day (the renewal is a purchase of its day, `check_exchange` refuses it) and within
//!   [`RENEWAL_DAYS`] (a renewal further out is listed as it comes within the year, so the top of
//!   the list is what must be decided now): at stake the renewal's commitment (quantity ×
//!   today's price: Azure's when it gave one), due the day before it renews;
//! - **series retiring**: a VM series that cannot be renewed for its term on the day it would
//!   renew (`configuration::renewal_retirement`), expiring within [`RETIRING_DAYS`]: at stake
//!   at least its yearly cost (the desk does not price pay-as-you-go, which costs more), due
//!   the day before it expires;
//! - **expiring uncovered**: expiring within [`UNCOVERED_DAYS`] without automatic renewal: at
//!   stake the monthly commitment it covers, due the day before it expires;
//! - **underused**: 30-day utilization reported and below the threshold: at stake the
//!   commitment unused per month (monthly cost × (1 − utilization)), due the last day of the
//!   month (each month's unused share is lost then). Never on utilization Azure did not report.
//!
//! And per customer:
//!
//! - **refund limit**: refunds in the last 12 months leave less than [`REFUND_HEADROOM_SHARE`]
//!   of the USD 50,000: at stake the headroom left, due the day the oldest counted refund stops
//!   counting (until then, only the headroom can be refunded);
//! - **access ends**: a GDAP relationship carrying its Azure rights ends within 30 days without
//!   extending itself (due its last day); in Azure mode, a tenant not ready, or reservations the
//!   last read could not read (due today): at stake the remaining commitment of the customer's
//!   active reservations, which the desk could no longer act on;
//! - **savings on the table**: its recommendations' yearly savings, when there are any, due the
//!   last day of the month (each month without them is a twelfth lost).
//!
//! A row's ID is its reason and what it is about, so the team's state for it (open, snoozed
//! until a day, done) stays with it across reads ([`apply_marks`]); a row whose cause is gone is
//! no longer listed, and the desk forgets its state ([`orphaned_marks`]), so a cause that
//! returns starts open.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Days, NaiveDate};
use contract::gdap::GdapStatus;
use contract::source::{CustomerReadiness, ReadinessState};
use contract::{
    AccessEnding, Campaign, CampaignCustomer, Customer, ProblemCode, ProvisioningState, RefundLimit, Reservation, StakeNote, WorkAction, WorkCause,
    WorkItem, WorkItemPatch, WorkMark, WorkMarked, WorkReason, WorkState, Worklist, WorklistQuery,
};
use quote_engine::{check_exchange, exchange_right, remaining_commitment, Currency, ExchangeRight, ExchangeRightInput, Money, ReservedResourceType, EXCHANGE_POLICY_DATE};
use rust_decimal::Decimal;

use crate::error::ServiceError;

/// A retired series' reservation is listed from this many days before it expires (Microsoft:
/// plan the move 6 to 12 months ahead).
pub const RETIRING_DAYS: i64 = 365;

/// An automatic renewal into a reservation that cannot be exchanged is listed from this many
/// days before it renews.
pub const RENEWAL_DAYS: i64 = 365;

/// A reservation expiring within this many days without automatic renewal is listed.
pub const UNCOVERED_DAYS: i64 = 60;

/// A customer is listed when its refund headroom is below this share of the limit (10 %).
pub const REFUND_HEADROOM_SHARE: Decimal = Decimal::from_parts(10, 0, 0, false, 2);

/// The longest note a row keeps.
pub const NOTE_MAX_CHARS: usize = 2000;

/// The longest owner name a row keeps.
pub const OWNER_MAX_CHARS: usize = 200;

/// One customer's book as the store keeps it, for the worklist.
pub struct CustomerBook<'a> {
    /// The customer.
    pub customer: &'a Customer,
    /// Its reservations as the desk lists them (with their utilization aggregates).
    pub reservations: &'a [Reservation],
    /// Its refund limit today.
    pub limit: &'a RefundLimit,
    /// Its GDAP relationships as Graph last listed them (Azure mode).
    pub gdap: Option<&'a GdapStatus>,
    /// Its readiness for Azure mode (Azure mode only).
    pub readiness: Option<&'a CustomerReadiness>,
    /// Its recommendations' yearly savings and how many make them up; `None` when not counted.
    pub savings: Option<(Money, u32)>,
}

/// Whether `r` is active on `today`: the rows about a reservation are only of these.
fn active(r: &Reservation, today: NaiveDate) -> bool {
    r.provisioning_state == ProvisioningState::Succeeded && !r.archived && r.expiry_date >= today
}

fn day_before(day: NaiveDate) -> NaiveDate {
    day.pred_opt().unwrap_or(day)
}

fn last_of_month(day: NaiveDate) -> NaiveDate {
    let first_next = if day.month() == 12 {
        NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(day.year(), day.month() + 1, 1)
    };
    first_next.and_then(|d| d.pred_opt()).unwrap_or(day)
}

fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days()).unwrap_or(0)
}

fn overflow(e: quote_engine::MoneyError) -> ServiceError {
    ServiceError::new(ProblemCode::NotQuotable, format!("A figure of the worklist is out of range: {e}"))
}

/// A figure of `r` in its billing currency and in USD: `f` of its unit price, and of its USD
/// unit price (the same when billed in USD; none when billed in another currency without one).
fn both(r: &Reservation, f: impl Fn(Money) -> Result<Money, quote_engine::MoneyError>) -> Result<(Money, Option<Money>), ServiceError> {
    let own = f(r.unit_price).map_err(overflow)?;
    let usd = if r.unit_price.currency == Currency::USD {
        Some(own)
    } else {
        r.pricing_unit_price.filter(|p| p.currency == Currency::USD).map(&f).transpose().map_err(overflow)?
    };
    Ok((own, usd))
}

/// The remaining commitment of `r` on `today`, in its currency and USD.
fn remaining(r: &Reservation, today: NaiveDate) -> Result<(Money, Option<Money>), ServiceError> {
    both(r, |price| remaining_commitment(price, r.quantity, r.purchase_date, r.expiry_date, today))
}

/// Whole commitment divided by `parts` (months or years of the term), rounded to the minor unit.
fn commitment_share(r: &Reservation, parts: u32) -> Result<(Money, Option<Money>), ServiceError> {
    both(r, |price| {
        let whole = price.checked_mul(Decimal::from(r.quantity))?;
        Ok(Money::new(whole.amount / Decimal::from(parts.max(1)), whole.currency).round())
    })
}

/// The commitment of renewing `r` at `price` (one unit's whole-term price in its billing
/// currency), and in USD at the purchase's ratio of USD to billing currency.
fn renewal_commitment(r: &Reservation, price: Money) -> Result<(Money, Option<Money>), ServiceError> {
    let own = price.checked_mul(Decimal::from(r.quantity)).map_err(overflow)?.round();
    let usd = if own.currency == Currency::USD { Some(own) } else { in_usd(own, &[r]) };
    Ok((own, usd))
}

/// What the list ranks a row by: the money at stake in USD, weighted for a reservation losing
/// its free exchange by its unused share over 30 days: × (2 − utilization / 100), so an idle
/// one counts twice, a fully used one once (unreported utilization: once).
pub fn rank_weight(utilization30: Option<Decimal>) -> Decimal {
    let used = utilization30.unwrap_or(Decimal::ONE_HUNDRED).clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
    Decimal::TWO - used / Decimal::ONE_HUNDRED
}

fn row(customer: &Customer, reason: WorkReason, about: Option<&str>, cause: WorkCause, due: NaiveDate, action: WorkAction, link: String) -> WorkItem {
    WorkItem {
        id: WorkItem::id_of(reason, &customer.id, about),
        reason,
        cause,
        customer_id: customer.id.clone(),
        customer_name: customer.name.clone(),
        reservation_id: None,
        reservation_order_id: None,
        reservation_name: None,
        sku: None,
        at_stake: None,
        at_stake_usd: None,
        stake_note: None,
        rank_usd: None,
        due,
        action,
        link,
        state: WorkState::Open,
        snoozed_until: None,
        owner: None,
        note: None,
        marked: None,
    }
}

fn reservation_row(customer: &Customer, r: &Reservation, reason: WorkReason, cause: WorkCause, due: NaiveDate, action: WorkAction) -> WorkItem {
    let panel = match action {
        WorkAction::Exchange => "exchange",
        WorkAction::Refund => "refund",
        WorkAction::Renewal => "configuration",
        _ => "",
    };
    let link = match action {
        WorkAction::Buy => format!("/customers/{}/buy", customer.id),
        _ => format!("/customers/{}/reservations/{}/{panel}", customer.id, r.id),
    };
    WorkItem {
        reservation_id: Some(r.id.clone()),
        reservation_order_id: Some(r.reservation_order_id.clone()),
        reservation_name: Some(r.display_name.clone()),
        sku: Some(format!("{} · {}", r.sku_name, r.location)),
        ..row(customer, reason, Some(&r.id), cause, due, action, link)
    }
}

/// Sets the money at stake of `item` (a price Azure did not give is unknown, said so).
fn at_stake(mut item: WorkItem, r: &Reservation, figures: Result<(Money, Option<Money>), ServiceError>, weight: Decimal) -> Result<WorkItem, ServiceError> {
    if r.price_unknown.is_some() {
        item.stake_note = Some(StakeNote::PriceUnknown);
        return Ok(item);
    }
    let (own, usd) = figures?;
    item.at_stake = Some(own);
    item.at_stake_usd = usd;
    item.rank_usd = usd.map(|u| Money::new(u.amount * weight, u.currency).round());
    if usd.is_none() {
        item.stake_note = Some(StakeNote::NoUsdFigure);
    }
    Ok(item)
}

fn family_input<'a>(family: &'a ReservedResourceType, r: &Reservation, purchase_date: NaiveDate) -> ExchangeRightInput<'a> {
    ExchangeRightInput { reserved_resource_type: family, purchase_date, quantity: r.quantity, final_exchange_units_used: 0, renewal: false }
}

/// The rows about one active reservation of `customer` on `today`.
fn reservation_rows(customer: &Customer, r: &Reservation, today: NaiveDate, threshold: Decimal) -> Result<Vec<WorkItem>, ServiceError> {
    let mut rows = Vec::new();
    let u30 = r.utilization.last30_days;
    if let Ok(family) = ReservedResourceType::new(&r.reserved_resource_type) {
        let input = family_input(&family, r, r.purchase_date);
        match exchange_right(&input, today) {
            ExchangeRight::BeforeRestriction { from } if r.expiry_date > from => {
                if let ExchangeRight::FinalExchange { units_with_right, .. } = exchange_right(&input, from) {
                    let cause = WorkCause::ExchangeRightEnds { policy_date: from, days_left: days_between(today, from), units: units_with_right, utilization30: u30 };
                    let item = reservation_row(customer, r, WorkReason::ExchangeRightEnds, cause, day_before(from), WorkAction::Exchange);
                    rows.push(at_stake(item, r, remaining(r, today), rank_weight(u30))?);
                }
            }
            ExchangeRight::FinalExchange { units_with_right, .. } if units_with_right > 0 => {
                if let Some(u) = u30.filter(|u| *u < threshold) {
                    let cause = WorkCause::FinalExchange { units: units_with_right, utilization30: u, threshold };
                    let item = reservation_row(customer, r, WorkReason::FinalExchange, cause, day_before(r.expiry_date).max(today), WorkAction::Exchange);
                    rows.push(at_stake(item, r, remaining(r, today), Decimal::ONE)?);
                }
            }
            _ => {}
        }
        // A renewal is a purchase of its day: refused an exchange when that day is restricted.
        let renews_on = r.expiry_date;
        if r.renew && (renews_on - today).num_days() <= RENEWAL_DAYS && check_exchange(&family_input(&family, r, renews_on), renews_on, 1).is_err() {
            let cause = WorkCause::RenewsIntoNoExchange { renews_on };
            let item = reservation_row(customer, r, WorkReason::RenewsIntoNoExchange, cause, day_before(renews_on).max(today), WorkAction::Renewal);
            // Today's price (Azure's in Azure mode) when known, else the purchase price.
            let price = crate::current_price::current_unit_price(r).unwrap_or(r.unit_price);
            let renewal = renewal_commitment(r, price);
            rows.push(at_stake(item, r, renewal, Decimal::ONE)?);
        }
    }
    let days_left = (r.expiry_date - today).num_days();
    if let Some(retired) = crate::configuration::renewal_retirement(r, today).filter(|_| days_left <= RETIRING_DAYS) {
        let cause = WorkCause::SeriesRetiring { series: retired.series.to_owned(), term: r.term, expiry_date: r.expiry_date, days_left: days_between(today, r.expiry_date) };
        let mut item = reservation_row(customer, r, WorkReason::SeriesRetiring, cause, day_before(r.expiry_date).max(today), WorkAction::Buy);
        item = at_stake(item, r, commitment_share(r, r.term.years()), Decimal::ONE)?;
        if item.stake_note.is_none() {
            item.stake_note = Some(StakeNote::AtLeast);
        }
        rows.push(item);
    }
    if !r.renew && days_left <= UNCOVERED_DAYS {
        let cause = WorkCause::ExpiringUncovered { expiry_date: r.expiry_date, days_left: days_between(today, r.expiry_date) };
        let item = reservation_row(customer, r, WorkReason::ExpiringUncovered, cause, day_before(r.expiry_date).max(today), WorkAction::Renewal);
        rows.push(at_stake(item, r, commitment_share(r, r.term.months()), Decimal::ONE)?);
    }
    // Not reported by Azure is not unused: no row on it.
    if let Some(u) = u30.filter(|u| *u < threshold) {
        let cause = WorkCause::Underused { utilization30: u, threshold };
        let item = reservation_row(customer, r, WorkReason::Underused, cause, last_of_month(today), WorkAction::Exchange);
        let unused = (Decimal::ONE_HUNDRED - u.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)) / Decimal::ONE_HUNDRED;
        let monthly = commitment_share(r, r.term.months()).map(|(own, usd)| {
            (Money::new(own.amount * unused, own.currency).round(), usd.map(|u| Money::new(u.amount * unused, u.currency).round()))
        });
        rows.push(at_stake(item, r, monthly, Decimal::ONE)?);
    }
    Ok(rows)
}

/// The customer's active reservations' remaining commitment in USD (those with a USD figure),
/// and in the currency they are billed in when there is one.
fn book_at_stake(reservations: &[&Reservation], today: NaiveDate) -> Result<(Option<Money>, Option<Money>), ServiceError> {
    let (mut own, mut usd, mut mixed): (Option<Money>, Option<Money>, bool) = (None, None, false);
    for r in reservations.iter().filter(|r| r.price_unknown.is_none()) {
        let (o, u) = remaining(r, today)?;
        match own {
            None => own = Some(o),
            Some(sum) if sum.currency == o.currency => own = Some(sum.checked_add(o).map_err(overflow)?),
            // Mixed currencies have no sum in one: the USD figure stands alone.
            Some(_) => mixed = true,
        }
        if let Some(u) = u {
            usd = Some(match usd {
                None => u,
                Some(sum) => sum.checked_add(u).map_err(overflow)?,
            });
        }
    }
    Ok((own.filter(|_| !mixed), usd))
}

/// `amount` in USD at the ratio of USD to its currency that one of `reservations` was bought at
/// (its USD unit price over its unit price), if one was bought in that currency with a USD figure.
fn in_usd(amount: Money, reservations: &[&Reservation]) -> Option<Money> {
    let r = reservations.iter().find(|r| {
        r.unit_price.currency == amount.currency && !r.unit_price.amount.is_zero() && r.pricing_unit_price.is_some_and(|p| p.currency == Currency::USD)
    })?;
    let usd = r.pricing_unit_price?;
    Some(Money::new(amount.amount * usd.amount / r.unit_price.amount, Currency::USD).round())
}

/// Every row of one customer's book on `today` (all open: the team's state is [`apply_marks`]).
/// `threshold` is the deployment's utilization threshold (percent).
pub fn customer_rows(book: &CustomerBook<'_>, today: NaiveDate, threshold: Decimal) -> Result<Vec<WorkItem>, ServiceError> {
    let customer = book.customer;
    let live: Vec<&Reservation> = book.reservations.iter().filter(|r| r.customer_id == customer.id && active(r, today)).collect();
    let mut rows = Vec::new();
    for r in &live {
        rows.extend(reservation_rows(customer, r, today, threshold)?);
    }

    let limit = book.limit;
    if limit.limit.amount > Decimal::ZERO && limit.headroom.amount < limit.limit.amount * REFUND_HEADROOM_SHARE {
        // The headroom grows the day the oldest refund still counting stops counting.
        let due = limit.entries.iter().filter(|e| e.counts).map(|e| e.released_on).min().unwrap_or(today);
        let cause = WorkCause::RefundLimit { headroom: limit.headroom, limit: limit.limit };
        let mut item = row(customer, WorkReason::RefundLimit, None, cause, due, WorkAction::Portfolio, format!("/customers/{}/portfolio", customer.id));
        item.at_stake = Some(limit.headroom);
        item.at_stake_usd = Some(limit.headroom);
        item.rank_usd = Some(limit.headroom);
        rows.push(item);
    }

    let mut access: Vec<(String, AccessEnding, NaiveDate)> = Vec::new();
    if let Some(gdap) = book.gdap {
        for relationship in &gdap.relationships {
            if let (Some(_), Some(end_date)) = (crate::gdap::ends_soon(relationship, today), crate::gdap::end_date(relationship)) {
                let ending = AccessEnding::GdapRelationshipEnds { relationship: relationship.display_name.clone(), end_date };
                access.push((format!("gdap-{}", relationship.id), ending, end_date));
            }
        }
    }
    if let Some(readiness) = book.readiness {
        match readiness.state {
            ReadinessState::NotRead | ReadinessState::NeverTried => {
                let state = if readiness.state == ReadinessState::NotRead { "notRead" } else { "neverTried" };
                access.push(("tenant".to_owned(), AccessEnding::TenantNotReady { state: state.to_owned() }, today));
            }
            ReadinessState::ReadNotQuotable if readiness.unread + readiness.unpriced > 0 => {
                let count = readiness.unread + readiness.unpriced;
                access.push(("unread".to_owned(), AccessEnding::ReservationsUnread { count }, today));
            }
            _ => {}
        }
    }
    if !access.is_empty() {
        let (own, usd) = book_at_stake(&live, today)?;
        let count = u32::try_from(live.len()).unwrap_or(u32::MAX);
        for (about, ending, due) in access {
            let cause = WorkCause::AccessEnds { ending, reservations: count };
            let mut item = row(customer, WorkReason::AccessEnds, Some(&about), cause, due, WorkAction::Readiness, "/readiness".to_owned());
            (item.at_stake, item.at_stake_usd, item.rank_usd) = (own.or(usd), usd, usd);
            rows.push(item);
        }
    }

    if let Some((savings, count)) = book.savings.filter(|(s, n)| s.amount > Decimal::ZERO && *n > 0) {
        let cause = WorkCause::SavingsOnTheTable { recommendations: count };
        let mut item = row(customer, WorkReason::SavingsOnTheTable, None, cause, last_of_month(today), WorkAction::Buy, format!("/customers/{}/buy", customer.id));
        item.at_stake = Some(savings);
        let usd = if savings.currency == Currency::USD { Some(savings) } else { in_usd(savings, &live) };
        (item.at_stake_usd, item.rank_usd) = (usd, usd);
        if usd.is_none() {
            item.stake_note = Some(StakeNote::NoUsdFigure);
        }
        rows.push(item);
    }
    Ok(rows)
}

/// Sets each row's state from the team's marks (by row ID) as of `today`: a snooze past its day
/// is open again (its owner and note kept).
pub fn apply_marks(items: &mut [WorkItem], marks: &HashMap<String, WorkMark>, today: NaiveDate) {
    for item in items {
        let Some(mark) = marks.get(&item.id) else { continue };
        item.state = match (mark.state, mark.snoozed_until) {
            (WorkState::Snoozed, Some(until)) if until > today => WorkState::Snoozed,
            (WorkState::Snoozed, _) => WorkState::Open,
            (state, _) => state,
        };
        item.snoozed_until = mark.snoozed_until.filter(|_| item.state == WorkState::Snoozed);
        item.owner = mark.owner.clone();
        item.note = mark.note.clone();
        item.marked = Some(mark.marked.clone());
    }
}

/// The marks of `customers` whose row is no longer listed: their cause is gone, so the desk
/// forgets them (a cause that returns starts open).
pub fn orphaned_marks<'a>(items: &[WorkItem], marks: impl IntoIterator<Item = &'a WorkMark>, customers: &HashSet<&str>) -> Vec<String> {
    let listed: HashSet<&str> = items.iter().map(|i| i.id.as_str()).collect();
    marks.into_iter().filter(|m| customers.contains(m.customer_id.as_str()) && !listed.contains(m.id.as_str())).map(|m| m.id.clone()).collect()
}

/// Most at stake first (`rankUsd`, rows without one last), then the earliest due, then the ID.
pub fn rank(items: &mut [WorkItem]) {
    items.sort_by(ranked);
}

/// The order [`rank`] sorts by.
fn ranked(a: &WorkItem, b: &WorkItem) -> std::cmp::Ordering {
    let key = |i: &WorkItem| i.rank_usd.map(|m| m.amount);
    match (key(a), key(b)) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then(a.due.cmp(&b.due))
    .then_with(|| a.id.cmp(&b.id))
}

/// The 2027 exchange campaign's totals over `items` (its [`WorkReason::ExchangeRightEnds`]
/// rows, whatever their state): the reservations, their customers and their remaining
/// commitment in USD, for the book and per customer (most first). Each total is the sum of
/// its rows.
pub fn campaign(items: &[WorkItem], today: NaiveDate) -> Result<Campaign, ServiceError> {
    let zero = Money::new(Decimal::ZERO, Currency::USD).round();
    let mut per_customer: Vec<CampaignCustomer> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let (mut total, mut reservations, mut without_usd) = (zero, 0u32, 0u32);
    for item in items.iter().filter(|i| i.reason == WorkReason::ExchangeRightEnds) {
        reservations += 1;
        let usd = item.at_stake_usd.unwrap_or(zero);
        if item.at_stake_usd.is_none() {
            without_usd += 1;
        }
        total = total.checked_add(usd).map_err(overflow)?;
        let at = *index.entry(item.customer_id.as_str()).or_insert_with(|| {
            per_customer.push(CampaignCustomer {
                customer_id: item.customer_id.clone(),
                customer_name: item.customer_name.clone(),
                reservations: 0,
                remaining_commitment_usd: zero,
            });
            per_customer.len() - 1
        });
        let c = &mut per_customer[at];
        c.reservations += 1;
        c.remaining_commitment_usd = c.remaining_commitment_usd.checked_add(usd).map_err(overflow)?;
    }
    per_customer.sort_by(|a, b| b.remaining_commitment_usd.amount.cmp(&a.remaining_commitment_usd.amount).then_with(|| a.customer_name.cmp(&b.customer_name)));
    Ok(Campaign {
        policy_date: EXCHANGE_POLICY_DATE,
        days_left: (EXCHANGE_POLICY_DATE - today).num_days(),
        reservations,
        customers: u32::try_from(per_customer.len()).unwrap_or(u32::MAX),
        remaining_commitment_usd: total,
        without_usd,
        per_customer,
    })
}

/// The worklist from every customer's rows: the team's state applied, ranked, with the
/// campaign's totals (over every row); then the rows of the state `query` asks for, and its page
/// of them.
pub fn worklist(
    mut items: Vec<WorkItem>,
    marks: &HashMap<String, WorkMark>,
    today: NaiveDate,
    savings_counted: bool,
    query: WorklistQuery,
) -> Result<Worklist, ServiceError> {
    apply_marks(&mut items, marks, today);
    let campaign = campaign(&items, today)?;
    // Row numbers are ranked, not the rows (each is hundreds of bytes: sorting 12,000 of them
    // moved megabytes), and only as far as the page reaches: the rows past it are counted, not
    // ordered. The row number breaks ties the ID cannot (none should), so the order is total and
    // a page is the same slice of the whole list whatever `top` asked.
    let mut order: Vec<usize> = (0..items.len()).filter(|&i| query.admits(items[i].state)).collect();
    let total = u32::try_from(order.len()).unwrap_or(u32::MAX);
    let skip = usize::try_from(query.skip).unwrap_or(usize::MAX).min(order.len());
    let end = query.top.map_or(order.len(), |top| skip.saturating_add(usize::try_from(top).unwrap_or(usize::MAX)).min(order.len()));
    let by_rank = |a: &usize, b: &usize| ranked(&items[*a], &items[*b]).then(a.cmp(b));
    if end < order.len() {
        // The first `end` in rank, unordered among themselves.
        order.select_nth_unstable_by(end, by_rank);
        order.truncate(end);
    }
    order.sort_unstable_by(by_rank);
    let mut rows: Vec<Option<WorkItem>> = items.into_iter().map(Some).collect();
    let page = order[skip..].iter().filter_map(|&i| rows[i].take()).collect();
    Ok(Worklist { as_of: today, items: page, total, campaign, savings_counted })
}

/// One row in English for the alerts digest (e-mail and webhook): the customer, what it is
/// about, why, the money at stake and the due day.
pub fn sentence(item: &WorkItem) -> String {
    let about = item.reservation_name.as_deref().map(|n| format!(" · {n}")).unwrap_or_default();
    let why = match &item.cause {
        WorkCause::ExchangeRightEnds { policy_date, units, .. } => format!("free exchanges end on {policy_date}; {units} unit(s) keep one final exchange"),
        WorkCause::FinalExchange { units, utilization30, .. } => format!("{units} unit(s) keep their final exchange; used {} % over 30 days", utilization30.round_dp(1).normalize()),
        WorkCause::RenewsIntoNoExchange { renews_on } => format!("renews on {renews_on} into a reservation that cannot be exchanged"),
        WorkCause::SeriesRetiring { series, expiry_date, .. } => format!("the {series} series cannot be renewed for its term; expires {expiry_date}"),
        WorkCause::ExpiringUncovered { expiry_date, .. } => format!("expires {expiry_date} without renewal"),
        WorkCause::Underused { utilization30, .. } => format!("used {} % over 30 days", utilization30.round_dp(1).normalize()),
        WorkCause::RefundLimit { .. } => "less than a tenth of the USD 50,000 refund limit is left".to_owned(),
        WorkCause::AccessEnds { ending: AccessEnding::GdapRelationshipEnds { relationship, end_date }, .. } => {
            format!("GDAP relationship {relationship} ends {end_date}")
        }
        WorkCause::AccessEnds { ending: AccessEnding::TenantNotReady { .. }, .. } => "the tenant could not be read".to_owned(),
        WorkCause::AccessEnds { ending: AccessEnding::ReservationsUnread { count }, .. } => format!("{count} reservation(s) could not be read"),
        WorkCause::SavingsOnTheTable { .. } => "its recommendations save money each year".to_owned(),
    };
    let stake = match (item.at_stake, item.stake_note) {
        (Some(m), Some(StakeNote::AtLeast)) => format!("at least {} {} at stake", m.currency.code(), m.amount.round_dp(2)),
        (Some(m), _) => format!("{} {} at stake", m.currency.code(), m.amount.round_dp(2)),
        (None, _) => "at stake unknown (Azure gave no price)".to_owned(),
    };
    format!("{}{about}: {why}. {stake}; due {}.", item.customer_name, item.due)
}

fn text_field(value: Option<&str>, field: &str, max: usize) -> Result<Option<String>, ServiceError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > max {
        return Err(ServiceError::invalid(ProblemCode::TooLong, field, format!("{field} is at most {max} characters.")));
    }
    let one_line = field == "owner";
    if text.chars().any(|c| (one_line || c != '\n') && crate::configuration::is_control_character(c)) {
        return Err(ServiceError::invalid(ProblemCode::ControlCharacter, field, format!("{field} holds a control character.")));
    }
    Ok(Some(text.to_owned()))
}

/// The mark `patch` sets on row `item` on `today`, by `marked`, or why not: a snooze needs a
/// day after today (and only a snooze takes one); the owner is one line of at most
/// [`OWNER_MAX_CHARS`], the note at most [`NOTE_MAX_CHARS`].
pub fn mark(item: &WorkItem, patch: &WorkItemPatch, today: NaiveDate, marked: WorkMarked) -> Result<WorkMark, ServiceError> {
    let snoozed_until = match (patch.state, patch.snoozed_until) {
        (WorkState::Snoozed, None) => {
            return Err(ServiceError::invalid(ProblemCode::Required, "snoozedUntil", "A snooze needs snoozedUntil: the day the row comes back."));
        }
        (WorkState::Snoozed, Some(day)) if day <= today => {
            return Err(ServiceError::invalid(ProblemCode::MalformedRequest, "snoozedUntil", format!("snoozedUntil must be after today ({today}).")));
        }
        (WorkState::Snoozed, Some(day)) if day > today.checked_add_days(Days::new(366)).unwrap_or(today) => {
            return Err(ServiceError::invalid(ProblemCode::MalformedRequest, "snoozedUntil", "A row is snoozed for a year at most."));
        }
        (WorkState::Snoozed, Some(day)) => Some(day),
        (_, Some(_)) => {
            return Err(ServiceError::invalid(ProblemCode::MalformedRequest, "snoozedUntil", "Only a snoozed row takes snoozedUntil."));
        }
        (_, None) => None,
    };
    Ok(WorkMark {
        id: item.id.clone(),
        customer_id: item.customer_id.clone(),
        state: patch.state,
        snoozed_until,
        owner: text_field(patch.owner.as_deref(), "owner", OWNER_MAX_CHARS)?,
        note: text_field(patch.note.as_deref(), "note", NOTE_MAX_CHARS)?,
        marked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::gdap::GdapRelationship;
    use contract::UtilizationAggregates;
    use quote_engine::Term;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn usd(amount: &str) -> Money {
        Money::new(amount.parse().unwrap(), Currency::USD)
    }

    const TODAY: &str = "2026-11-27";

    fn customer() -> Customer {
        Customer { id: "c1".into(), name: "Contoso Ltd".into(), domain: "contoso.example".into(), reservation_count: 1 }
    }

    /// A VM reservation of `quantity` units at USD 1,200 a unit, bought `bought` for `term`.
    fn reservation(id: &str, bought: &str, term: Term, quantity: u32, renew: bool, utilization30: Option<&str>) -> Reservation {
        let mut r = crate::seed::demo_data(d(TODAY)).reservations.remove(0).reservation;
        r.id = id.into();
        r.customer_id = "c1".into();
        r.reserved_resource_type = "VirtualMachines".into();
        r.sku_name = "Standard_D4s_v5".into();
        r.term = term;
        r.purchase_date = d(bought);
        r.expiry_date = quote_engine::expiry_date(d(bought), term).unwrap();
        r.quantity = quantity;
        r.unit_price = usd("1200.00");
        r.pricing_unit_price = None;
        r.renew = renew;
        r.provisioning_state = ProvisioningState::Succeeded;
        r.archived = false;
        r.price_unknown = None;
        r.today_price = None;
        r.utilization = UtilizationAggregates { last1_day: None, last7_days: None, last30_days: utilization30.map(|u| u.parse().unwrap()) };
        r
    }

    fn no_limit() -> RefundLimit {
        crate::limit::refund_limit(&[], d(TODAY)).unwrap()
    }

    fn rows_on(reservations: &[Reservation], today: &str) -> Vec<WorkItem> {
        let c = customer();
        let limit = crate::limit::refund_limit(&[], d(today)).unwrap();
        let book = CustomerBook { customer: &c, reservations, limit: &limit, gdap: None, readiness: None, savings: None };
        customer_rows(&book, d(today), Decimal::from(50)).unwrap()
    }

    fn of(rows: &[WorkItem], reason: WorkReason) -> Vec<&WorkItem> {
        rows.iter().filter(|r| r.reason == reason).collect()
    }

    #[test]
    fn a_reservation_bought_before_the_date_and_active_past_it_loses_its_free_exchange_at_its_remaining_commitment() {
        let idle = reservation("r-idle", "2025-06-01", Term::P3Y, 4, false, Some("0"));
        let busy = reservation("r-busy", "2025-06-01", Term::P3Y, 4, false, Some("100"));
        let rows = rows_on(&[idle.clone(), busy], TODAY);
        let ends = of(&rows, WorkReason::ExchangeRightEnds);
        assert_eq!(ends.len(), 2);
        let row = ends.iter().find(|r| r.reservation_id.as_deref() == Some("r-idle")).unwrap();
        let remaining = remaining_commitment(idle.unit_price, 4, idle.purchase_date, idle.expiry_date, d(TODAY)).unwrap();
        assert_eq!((row.at_stake, row.at_stake_usd), (Some(remaining), Some(remaining)));
        assert_eq!(row.due, d("2027-01-31"));
        assert_eq!(row.id, "exchangeRightEnds:c1:r-idle");
        assert_eq!(row.link, "/customers/c1/reservations/r-idle/exchange");
        assert_eq!(row.cause, WorkCause::ExchangeRightEnds { policy_date: EXCHANGE_POLICY_DATE, days_left: 66, units: 4, utilization30: Some(Decimal::ZERO) });
        // Unused, it ranks at twice its figure; fully used, at its figure.
        assert_eq!(row.rank_usd.unwrap().amount, remaining.amount * Decimal::TWO);
        let busy_row = ends.iter().find(|r| r.reservation_id.as_deref() == Some("r-busy")).unwrap();
        assert_eq!(busy_row.rank_usd, busy_row.at_stake_usd);
    }

    #[test]
    fn no_free_exchange_row_for_one_ending_before_the_date_or_of_a_service_savings_plans_do_not_cover() {
        let ends_before = reservation("r-1", "2026-01-15", Term::P1Y, 2, false, None);
        assert_eq!(ends_before.expiry_date, d("2027-01-15"));
        let mut redis = reservation("r-2", "2025-06-01", Term::P3Y, 2, false, None);
        redis.reserved_resource_type = "RedisCache".into();
        let rows = rows_on(&[ends_before, redis], TODAY);
        assert!(of(&rows, WorkReason::ExchangeRightEnds).is_empty(), "{rows:?}");
    }

    #[test]
    fn after_the_date_a_unit_with_its_final_exchange_and_low_use_is_listed_never_on_unreported_use() {
        let low = reservation("r-low", "2025-06-01", Term::P3Y, 3, false, Some("20"));
        let unreported = reservation("r-unknown", "2025-06-01", Term::P3Y, 3, false, None);
        let bought_after = reservation("r-new", "2027-02-10", Term::P3Y, 3, false, Some("10"));
        let rows = rows_on(&[low, unreported, bought_after], "2027-03-01");
        let finals = of(&rows, WorkReason::FinalExchange);
        assert_eq!(finals.iter().map(|r| r.reservation_id.as_deref().unwrap()).collect::<Vec<_>>(), ["r-low"]);
        assert_eq!(finals[0].cause, WorkCause::FinalExchange { units: 3, utilization30: Decimal::from(20), threshold: Decimal::from(50) });
        assert!(of(&rows, WorkReason::Underused).iter().all(|r| r.reservation_id.as_deref() != Some("r-unknown")), "unreported is not unused");
    }

    #[test]
    fn an_automatic_renewal_on_or_after_the_date_within_a_year_is_listed_at_the_renewals_commitment() {
        let renews_in_june = reservation("r-june", "2026-06-01", Term::P1Y, 5, true, None);
        let renews_in_january = reservation("r-jan", "2026-01-20", Term::P1Y, 5, true, None);
        let renews_in_2029 = reservation("r-2029", "2026-03-01", Term::P3Y, 5, true, None);
        let rows = rows_on(&[renews_in_june, renews_in_january, renews_in_2029], TODAY);
        let renewals = of(&rows, WorkReason::RenewsIntoNoExchange);
        assert_eq!(renewals.len(), 1, "{renewals:?}");
        let row = renewals[0];
        assert_eq!(row.reservation_id.as_deref(), Some("r-june"));
        assert_eq!(row.due, d("2027-05-31"));
        // Today's demo catalog price of the SKU × 5 units (or the purchase price where it has none).
        let unit = crate::current_price::current_unit_price(&reservation("r-june", "2026-06-01", Term::P1Y, 5, true, None)).unwrap_or(usd("1200.00"));
        assert_eq!(row.at_stake, Some(Money::new(unit.amount * Decimal::from(5), Currency::USD).round()));
        assert_eq!(row.link, "/customers/c1/reservations/r-june/configuration");
    }

    #[test]
    fn expiring_without_renewal_within_60_days_puts_the_monthly_commitment_at_stake() {
        let soon = reservation("r-soon", "2026-01-10", Term::P1Y, 2, false, None);
        let later = reservation("r-later", "2026-03-10", Term::P1Y, 2, false, None);
        let renews = reservation("r-renews", "2026-01-10", Term::P1Y, 2, true, None);
        let rows = rows_on(&[soon, later, renews], TODAY);
        let expiring = of(&rows, WorkReason::ExpiringUncovered);
        assert_eq!(expiring.len(), 1);
        assert_eq!(expiring[0].at_stake, Some(usd("200.00")), "2 × 1,200 over 12 months");
        assert_eq!(expiring[0].due, d("2027-01-09"));
        assert_eq!(expiring[0].cause, WorkCause::ExpiringUncovered { expiry_date: d("2027-01-10"), days_left: 44 });
    }

    #[test]
    fn underused_puts_the_unused_share_of_a_months_commitment_at_stake_due_at_the_months_end() {
        let r = reservation("r-u", "2026-01-10", Term::P3Y, 3, false, Some("30"));
        let rows = rows_on(&[r], TODAY);
        let under = of(&rows, WorkReason::Underused);
        // 3 × 1,200 = 3,600 over 36 months = 100 a month; 70 % unused.
        assert_eq!(under[0].at_stake, Some(usd("70.00")));
        assert_eq!(under[0].due, d("2026-11-30"));
        let well_used = rows_on(&[reservation("r-w", "2026-01-10", Term::P3Y, 3, false, Some("50"))], TODAY);
        assert!(of(&well_used, WorkReason::Underused).is_empty(), "at the threshold is not below it");
    }

    #[test]
    fn a_retired_series_that_cannot_renew_within_a_year_puts_at_least_its_yearly_cost_at_stake() {
        let mut r = reservation("r-fsv2", "2026-06-30", Term::P1Y, 2, false, None);
        r.sku_name = "Standard_F4s_v2".into();
        assert!(crate::configuration::renewal_retirement(&r, d(TODAY)).is_some(), "Fsv2 one-year renewals are retired by then");
        let rows = rows_on(&[r], TODAY);
        let retiring = of(&rows, WorkReason::SeriesRetiring);
        assert_eq!(retiring.len(), 1);
        assert_eq!((retiring[0].at_stake, retiring[0].stake_note), (Some(usd("2400.00")), Some(StakeNote::AtLeast)));
        assert_eq!(retiring[0].action, WorkAction::Buy);
    }

    #[test]
    fn a_price_azure_did_not_give_is_unknown_said_so_and_ranked_last() {
        let mut r = reservation("r-p", "2025-06-01", Term::P3Y, 4, false, Some("0"));
        r.price_unknown = Some(contract::source::PriceUnknown { code: "OrderNotRead".into(), message: "no order".into() });
        let mut rows = rows_on(&[r, reservation("r-k", "2025-06-01", Term::P3Y, 1, false, Some("90"))], TODAY);
        rank(&mut rows);
        let last = rows.last().unwrap();
        assert_eq!((last.reservation_id.as_deref(), last.at_stake, last.stake_note), (Some("r-p"), None, Some(StakeNote::PriceUnknown)));
    }

    #[test]
    fn a_customer_with_less_than_a_tenth_of_its_limit_left_is_listed_until_the_oldest_refund_stops_counting() {
        let entry = |date: &str, amount: &str| crate::limit::LedgerEntry {
            customer_id: "c1".into(),
            date: d(date),
            amount: usd(amount),
            reservation_id: "r".into(),
            reservation_order_id: "o".into(),
        };
        let c = customer();
        let limit = crate::limit::refund_limit(&[entry("2026-03-01", "20000"), entry("2026-09-01", "25500")], d(TODAY)).unwrap();
        let book = CustomerBook { customer: &c, reservations: &[], limit: &limit, gdap: None, readiness: None, savings: None };
        let rows = customer_rows(&book, d(TODAY), Decimal::from(50)).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].reason, rows[0].at_stake, rows[0].due), (WorkReason::RefundLimit, Some(usd("4500.00")), d("2027-03-01")));
        let roomy = crate::limit::refund_limit(&[entry("2026-09-01", "44999")], d(TODAY)).unwrap();
        let book = CustomerBook { customer: &c, reservations: &[], limit: &roomy, gdap: None, readiness: None, savings: None };
        assert!(customer_rows(&book, d(TODAY), Decimal::from(50)).unwrap().is_empty(), "5,001 left is more than a tenth");
    }

    #[test]
    fn a_gdap_relationship_ending_puts_the_customers_remaining_commitment_at_stake() {
        let relationship = GdapRelationship {
            id: "rel-1".into(),
            display_name: "Contoso Azure".into(),
            customer_tenant_id: "t1".into(),
            status: "active".into(),
            end_date_time: Some("2026-12-10T00:00:00Z".into()),
            duration: Some("P730D".into()),
            auto_extend_duration: Some("PT0S".into()),
            roles: vec!["62e90394-69f5-4237-9190-012177145e10".into()],
        };
        let gdap = GdapStatus { customer_id: "c1".into(), relationships: vec![relationship], read_at: None, error: None };
        let reservations = [reservation("r-a", "2026-01-10", Term::P3Y, 3, true, Some("90")), reservation("r-b", "2026-02-10", Term::P1Y, 1, true, Some("90"))];
        let c = customer();
        let limit = no_limit();
        let book = CustomerBook { customer: &c, reservations: &reservations, limit: &limit, gdap: Some(&gdap), readiness: None, savings: None };
        let rows = customer_rows(&book, d(TODAY), Decimal::from(50)).unwrap();
        let access = of(&rows, WorkReason::AccessEnds);
        assert_eq!(access.len(), 1);
        let sum = reservations.iter().map(|r| remaining_commitment(r.unit_price, r.quantity, r.purchase_date, r.expiry_date, d(TODAY)).unwrap().amount).sum::<Decimal>();
        assert_eq!(access[0].at_stake_usd.map(|m| m.amount), Some(sum));
        assert_eq!(access[0].due, d("2026-12-10"));
        assert_eq!(access[0].id, "accessEnds:c1:gdap-rel-1");
        assert_eq!(WorkItem::customer_of(&access[0].id), Some("c1"));
    }

    #[test]
    fn the_teams_marks_stay_with_their_rows_a_snooze_ends_on_its_day_and_marks_of_gone_rows_are_found() {
        let rows = rows_on(&[reservation("r-u", "2026-01-10", Term::P3Y, 3, false, Some("30"))], TODAY);
        let id = of(&rows, WorkReason::Underused)[0].id.clone();
        let by = WorkMarked { by: "adam.agent@partner.example".into(), at: "2026-11-27T10:00:00Z".into() };
        let item = rows.iter().find(|r| r.id == id).unwrap();
        let patch = WorkItemPatch { state: WorkState::Snoozed, snoozed_until: Some(d("2026-12-04")), owner: Some(" Adam ".into()), note: Some("asked\nthe customer".into()) };
        let snooze = mark(item, &patch, d(TODAY), by.clone()).unwrap();
        assert_eq!(snooze.owner.as_deref(), Some("Adam"));
        let gone = WorkMark { id: "underused:c1:r-gone".into(), ..snooze.clone() };
        let other_customer = WorkMark { id: "underused:c2:r-x".into(), customer_id: "c2".into(), ..snooze.clone() };
        let marks = HashMap::from([(snooze.id.clone(), snooze.clone()), (gone.id.clone(), gone.clone())]);
        let list = worklist(rows.clone(), &marks, d("2026-12-03"), true, WorklistQuery::default()).unwrap();
        let shown = list.items.iter().find(|r| r.id == id).unwrap();
        assert_eq!((shown.state, shown.snoozed_until, shown.owner.as_deref()), (WorkState::Snoozed, Some(d("2026-12-04")), Some("Adam")));
        let list = worklist(rows.clone(), &marks, d("2026-12-04"), true, WorklistQuery::default()).unwrap();
        let shown = list.items.iter().find(|r| r.id == id).unwrap();
        assert_eq!((shown.state, shown.snoozed_until, shown.note.as_deref()), (WorkState::Open, None, Some("asked\nthe customer")), "open again on its day, the note kept");
        let customers = HashSet::from(["c1"]);
        assert_eq!(orphaned_marks(&rows, [&snooze, &gone, &other_customer], &customers), vec![gone.id.clone()], "another customer's marks are not this list's");
    }

    #[test]
    fn a_mark_is_refused_with_why_when_its_snooze_or_text_is_wrong() {
        let rows = rows_on(&[reservation("r-u", "2026-01-10", Term::P3Y, 3, false, Some("30"))], TODAY);
        let by = WorkMarked { by: "a".into(), at: "2026-11-27T10:00:00Z".into() };
        let try_mark = |state, until: Option<&str>, owner: Option<&str>, note: Option<String>| {
            mark(&rows[0], &WorkItemPatch { state, snoozed_until: until.map(d), owner: owner.map(str::to_owned), note }, d(TODAY), by.clone())
        };
        let field = |e: ServiceError| e.to_string();
        assert!(field(try_mark(WorkState::Snoozed, None, None, None).unwrap_err()).contains("snoozedUntil"));
        assert!(field(try_mark(WorkState::Snoozed, Some(TODAY), None, None).unwrap_err()).contains("after today"));
        assert!(try_mark(WorkState::Snoozed, Some("2026-11-28"), None, None).is_ok());
        assert!(try_mark(WorkState::Snoozed, Some("2027-12-01"), None, None).is_err(), "more than a year");
        assert!(try_mark(WorkState::Done, Some("2026-12-01"), None, None).is_err(), "only a snooze takes a day");
        assert_eq!(try_mark(WorkState::Done, None, Some("a\u{202e}b"), None).unwrap_err().code(), ProblemCode::ControlCharacter);
        assert_eq!(try_mark(WorkState::Done, None, Some("two\nlines"), None).unwrap_err().code(), ProblemCode::ControlCharacter);
        assert_eq!(try_mark(WorkState::Done, None, None, Some("x".repeat(NOTE_MAX_CHARS + 1))).unwrap_err().code(), ProblemCode::TooLong);
        let done = try_mark(WorkState::Done, None, Some(""), Some("  ".into())).unwrap();
        assert_eq!((done.owner, done.note), (None, None), "blank is none");
    }

    /// Over the whole demo book on several days: the campaign's totals are the sums of its rows,
    /// every row has a due day on or after today (or the policy's eve), and the ranking never
    /// puts a row with less at stake above one with more.
    #[test]
    fn the_campaigns_totals_are_the_sums_of_its_rows_and_the_list_is_ranked() {
        for today in ["2026-11-27", "2027-01-15", "2027-03-01"] {
            let data = crate::seed::demo_data(d(TODAY));
            let mut items = Vec::new();
            for c in &data.customers {
                let listed: Vec<Reservation> = data.reservations.iter().filter(|s| s.reservation.customer_id == c.id).map(|s| s.reservation.clone()).collect();
                let ledger: Vec<_> = data.ledger.iter().filter(|e| e.customer_id == c.id).cloned().collect();
                let limit = crate::limit::refund_limit(&ledger, d(today)).unwrap();
                let book = CustomerBook { customer: c, reservations: &listed, limit: &limit, gdap: None, readiness: None, savings: None };
                items.extend(customer_rows(&book, d(today), Decimal::from(50)).unwrap());
            }
            let list = worklist(items.clone(), &HashMap::new(), d(today), true, WorklistQuery::default()).unwrap();
            assert_eq!(list.total as usize, list.items.len(), "{today}: every row answered");
            // A page is the ranking's rows from `skip`, at most `top`, with the campaign of all.
            let page = worklist(items.clone(), &HashMap::new(), d(today), true, WorklistQuery { state: None, skip: 2, top: Some(3) }).unwrap();
            assert_eq!(page.items, list.items.iter().skip(2).take(3).cloned().collect::<Vec<_>>(), "{today}");
            assert_eq!((page.total, &page.campaign), (list.total, &list.campaign), "{today}");
            // The whole list is the rows sorted by `rank`, and every page (cut before the rest
            // is ordered) the same slice of it.
            let mut sorted = items.clone();
            rank(&mut sorted);
            assert_eq!(list.items, sorted, "{today}");
            let n = list.items.len();
            for skip in [0, 1, 5, n / 2, n - 1, n] {
                for top in [1, 2, 7, n / 3, n] {
                    let query = WorklistQuery { state: None, skip: u32::try_from(skip).unwrap(), top: Some(u32::try_from(top.max(1)).unwrap()) };
                    let page = worklist(items.clone(), &HashMap::new(), d(today), true, query).unwrap();
                    let expected: Vec<&WorkItem> = list.items.iter().skip(skip).take(top.max(1)).collect();
                    assert_eq!(page.items.iter().collect::<Vec<_>>(), expected, "{today}: skip {skip}, top {top}");
                }
            }
            let past = worklist(items.clone(), &HashMap::new(), d(today), true, WorklistQuery { state: None, skip: u32::MAX, top: None }).unwrap();
            assert!(past.items.is_empty() && past.total == list.total, "{today}: a page past the end is empty");
            let campaign_rows: Vec<&WorkItem> = list.items.iter().filter(|i| i.reason == WorkReason::ExchangeRightEnds).collect();
            assert_eq!(list.campaign.reservations as usize, campaign_rows.len(), "{today}");
            let sum: Decimal = campaign_rows.iter().filter_map(|i| i.at_stake_usd).map(|m| m.amount).sum();
            assert_eq!(list.campaign.remaining_commitment_usd.amount, sum, "{today}");
            let per_customer: Decimal = list.campaign.per_customer.iter().map(|c| c.remaining_commitment_usd.amount).sum();
            assert_eq!(per_customer, sum, "{today}");
            assert_eq!(list.campaign.per_customer.iter().map(|c| c.reservations).sum::<u32>(), list.campaign.reservations);
            if today == TODAY {
                assert!(list.campaign.reservations > 0 && list.campaign.customers > 1, "the demo shows the campaign");
            } else if today == "2027-03-01" {
                assert_eq!(list.campaign.reservations, 0, "after the date no free exchange is left to lose");
            }
            let ranks: Vec<Option<Decimal>> = list.items.iter().map(|i| i.rank_usd.map(|m| m.amount)).collect();
            for pair in ranks.windows(2) {
                match (pair[0], pair[1]) {
                    (Some(a), Some(b)) => assert!(a >= b, "{today}: {a} before {b}"),
                    (None, Some(_)) => panic!("{today}: a row without a USD figure ranked above one with"),
                    _ => {}
                }
            }
        }
    }

    /// The rows of one state are those the team left in it, ranked as in the whole list, and
    /// `total` counts them; the campaign still counts every row.
    #[test]
    fn the_rows_of_one_state_are_ranked_as_in_the_whole_list_and_counted() {
        let rows = rows_on(
            &[reservation("r-u", "2026-01-10", Term::P3Y, 3, false, Some("30")), reservation("r-v", "2026-02-10", Term::P3Y, 5, false, Some("20"))],
            TODAY,
        );
        let by = WorkMarked { by: "a".into(), at: "2026-11-27T10:00:00Z".into() };
        let done = mark(&rows[0], &WorkItemPatch { state: WorkState::Done, snoozed_until: None, owner: None, note: None }, d(TODAY), by).unwrap();
        let marks = HashMap::from([(done.id.clone(), done.clone())]);
        let all = worklist(rows.clone(), &marks, d(TODAY), true, WorklistQuery::default()).unwrap();
        for state in WorkState::ALL {
            let query = WorklistQuery { state: Some(state), skip: 0, top: None };
            let some = worklist(rows.clone(), &marks, d(TODAY), true, query).unwrap();
            let expected: Vec<WorkItem> = all.items.iter().filter(|i| i.state == state).cloned().collect();
            assert_eq!(some.items, expected, "{state:?}");
            assert_eq!(some.total as usize, expected.len(), "{state:?}");
            assert_eq!(some.campaign, all.campaign, "{state:?}");
        }
        assert!(all.items.iter().any(|i| i.id == done.id && i.state == WorkState::Done) && all.items.len() > 1);
    }

    /// The worklist as it was before pages were cut before ranking: every row's state applied,
    /// the campaign over all, the rows of the state kept, stably sorted by `rank`, then the page.
    fn reference(mut items: Vec<WorkItem>, marks: &HashMap<String, WorkMark>, today: NaiveDate, query: WorklistQuery) -> Worklist {
        apply_marks(&mut items, marks, today);
        let campaign = campaign(&items, today).unwrap();
        items.retain(|i| query.admits(i.state));
        rank(&mut items);
        let total = u32::try_from(items.len()).unwrap();
        let skip = usize::try_from(query.skip).unwrap().min(items.len());
        items.drain(..skip);
        if let Some(top) = query.top {
            items.truncate(usize::try_from(top).unwrap());
        }
        Worklist { as_of: today, items, total, campaign, savings_counted: true }
    }

    /// `n` rows full of ties: a few rank figures (the same amount at two scales, none), a few
    /// due days, a few IDs (so some rows share one: only their place tells them apart, kept in
    /// `link`), some of the campaign; and marks that close, snooze, snoozed until today (open
    /// again), until yesterday, or leave open.
    fn tied_rows(seed: u64, n: usize) -> (Vec<WorkItem>, HashMap<String, WorkMark>) {
        let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let mut next = |below: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        };
        let template = rows_on(&[reservation("r-u", "2026-01-10", Term::P3Y, 3, false, Some("30"))], TODAY).remove(0);
        let ranks = [None, Some("100"), Some("100.00"), Some("250.5"), Some("0")];
        let dues = ["2026-11-30", "2026-12-31", "2027-01-31"];
        let mut items = Vec::new();
        let mut marks = HashMap::new();
        let by = WorkMarked { by: "a".into(), at: "2026-11-27T10:00:00Z".into() };
        for i in 0..n {
            let mut item = template.clone();
            item.id = format!("underused:c{}:r{}", next(2), next(4));
            item.customer_id = item.id.split(':').nth(1).unwrap().to_owned();
            item.rank_usd = ranks[usize::try_from(next(5)).unwrap()].map(usd);
            item.due = d(dues[usize::try_from(next(3)).unwrap()]);
            item.link = format!("row-{i}");
            if next(3) == 0 {
                item.reason = WorkReason::ExchangeRightEnds;
                item.at_stake_usd = item.rank_usd;
            }
            let (state, until) = match next(6) {
                0 => (WorkState::Done, None),
                1 => (WorkState::Snoozed, Some(d("2026-12-04"))),
                2 => (WorkState::Snoozed, Some(d(TODAY))),
                3 => (WorkState::Snoozed, Some(d("2026-11-26"))),
                4 => (WorkState::Open, None),
                _ => {
                    items.push(item);
                    continue;
                }
            };
            let mark = WorkMark { id: item.id.clone(), customer_id: item.customer_id.clone(), state, snoozed_until: until, owner: None, note: None, marked: by.clone() };
            marks.insert(item.id.clone(), mark);
            items.push(item);
        }
        (items, marks)
    }

    /// Every page (any state, skip and top, past the end, larger than what is left, zero, the
    /// largest) is the old list's page and the same slice of the whole ranked list, ties and
    /// rows sharing an ID included; `total` and the campaign do not depend on the page.
    #[test]
    fn every_page_of_every_state_is_the_same_slice_of_the_whole_ranked_list_ties_included() {
        let today = d(TODAY);
        for seed in 0..48u64 {
            let n = usize::try_from(seed % 24).unwrap();
            let (items, marks) = tied_rows(seed, n);
            for state in [None, Some(WorkState::Open), Some(WorkState::Snoozed), Some(WorkState::Done)] {
                let whole = worklist(items.clone(), &marks, today, true, WorklistQuery { state, skip: 0, top: None }).unwrap();
                assert_eq!(whole, reference(items.clone(), &marks, today, WorklistQuery { state, skip: 0, top: None }), "seed {seed}, {state:?}");
                let len = whole.items.len();
                let mut skips: Vec<u32> = (0..=u32::try_from(len).unwrap() + 2).collect();
                skips.extend([u32::MAX - 1, u32::MAX]);
                let mut tops: Vec<Option<u32>> = (0..=u32::try_from(len).unwrap() + 2).map(Some).collect();
                tops.extend([None, Some(WorklistQuery::MAX_TOP), Some(u32::MAX - 1), Some(u32::MAX)]);
                for &skip in &skips {
                    for &top in &tops {
                        let query = WorklistQuery { state, skip, top };
                        let page = worklist(items.clone(), &marks, today, true, query).unwrap();
                        let context = format!("seed {seed}, n {n}, {state:?}, skip {skip}, top {top:?}");
                        let from = usize::try_from(skip).unwrap().min(len);
                        let to = top.map_or(len, |t| from.saturating_add(usize::try_from(t).unwrap()).min(len));
                        assert_eq!(page.items, whole.items[from..to], "{context}");
                        assert_eq!((page.total, &page.campaign, page.as_of), (whole.total, &whole.campaign, whole.as_of), "{context}");
                        assert_eq!(page, reference(items.clone(), &marks, today, query), "{context}");
                    }
                }
            }
        }
    }

    /// Rows that tie on everything, their ID too, keep the order they came in, on a page cut
    /// inside them as in the whole list; an empty list answers every page empty.
    #[test]
    fn rows_tied_on_everything_keep_their_order_and_an_empty_list_pages_without_panicking() {
        let today = d(TODAY);
        let template = rows_on(&[reservation("r-u", "2026-01-10", Term::P3Y, 3, false, Some("30"))], TODAY).remove(0);
        for rank_usd in [None, Some(usd("10"))] {
            let items: Vec<WorkItem> = (0..9).map(|i| WorkItem { link: format!("row-{i}"), rank_usd, ..template.clone() }).collect();
            for skip in 0..11u32 {
                for top in 1..11u32 {
                    let page = worklist(items.clone(), &HashMap::new(), today, true, WorklistQuery { state: None, skip, top: Some(top) }).unwrap();
                    let links: Vec<&str> = page.items.iter().map(|i| i.link.as_str()).collect();
                    let expected: Vec<String> = (skip..(skip + top).min(9)).map(|i| format!("row-{i}")).collect();
                    assert_eq!(links, expected, "skip {skip}, top {top}");
                }
            }
        }
        for state in [None, Some(WorkState::Open), Some(WorkState::Done)] {
            for (skip, top) in [(0, None), (0, Some(0)), (0, Some(1)), (u32::MAX, Some(u32::MAX)), (1, Some(u32::MAX)), (u32::MAX, None)] {
                let page = worklist(Vec::new(), &HashMap::new(), today, true, WorklistQuery { state, skip, top }).unwrap();
                assert!(page.items.is_empty() && page.total == 0 && page.campaign.reservations == 0, "{state:?}, skip {skip}, top {top:?}");
            }
        }
    }

    /// The alerts digest's view: the first rows of the whole open list are the open list's page
    /// of as many rows, and its count the page's total.
    #[test]
    fn the_digests_first_open_rows_are_the_open_pages_rows() {
        let today = d(TODAY);
        for seed in 100..120u64 {
            let (items, marks) = tied_rows(seed, 30);
            let open = WorklistQuery { state: Some(WorkState::Open), ..WorklistQuery::default() };
            let all = worklist(items.clone(), &marks, today, true, open).unwrap();
            assert!(all.items.iter().all(|i| i.state == WorkState::Open), "seed {seed}: a snooze ending today is open");
            for top in [1usize, 3, 10, 100] {
                let page = worklist(items.clone(), &marks, today, true, WorklistQuery { top: Some(u32::try_from(top).unwrap()), ..open }).unwrap();
                assert_eq!(page.items, all.items.iter().take(top).cloned().collect::<Vec<_>>(), "seed {seed}, top {top}");
                assert_eq!(page.total as usize, all.items.len(), "seed {seed}");
            }
        }
    }

    #[test]
    fn a_query_is_read_as_a_client_writes_it_and_a_wrong_one_says_which_parameter() {
        let query = WorklistQuery { state: Some(WorkState::Snoozed), skip: 100, top: Some(100) };
        let pairs = query.pairs();
        let get = |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str());
        assert_eq!(WorklistQuery::parse(get("state"), get("skip"), get("top")), Ok(query));
        assert_eq!(WorklistQuery::parse(None, None, None), Ok(WorklistQuery::default()));
        assert!(WorklistQuery::default().pairs().is_empty());
        assert_eq!(WorklistQuery::parse(Some("Open"), None, None).unwrap_err().0, "state");
        assert_eq!(WorklistQuery::parse(None, Some("-1"), None).unwrap_err().0, "skip");
        assert_eq!(WorklistQuery::parse(None, None, Some("0")).unwrap_err().0, "top");
        assert_eq!(WorklistQuery::parse(None, None, Some("10001")).unwrap_err().0, "top");
        assert_eq!(WorklistQuery::parse(None, None, Some("1.5")).unwrap_err().0, "top");
        assert_eq!(WorklistQuery::parse(None, None, Some("10000")).map(|q| q.top), Ok(Some(10_000)));
    }
}
