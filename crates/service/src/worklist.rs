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
//!   that day (the renewal is a purchase of its day, `check_exchange` refuses it): at stake the
//!   renewal's commitment (quantity × today's price: Azure's when it gave one), due the day
//!   before it renews;
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
    WorkItem, WorkItemPatch, WorkMark, WorkMarked, WorkReason, WorkState, Worklist,
};
use quote_engine::{check_exchange, exchange_right, remaining_commitment, Currency, ExchangeRight, ExchangeRightInput, Money, ReservedResourceType, EXCHANGE_POLICY_DATE};
use rust_decimal::Decimal;

use crate::error::ServiceError;

/// A retired series' reservation is listed from this many days before it expires (Microsoft:
/// plan the move 6 to 12 months ahead).
pub const RETIRING_DAYS: i64 = 365;

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
    let usd = if own.currency == Currency::USD {
        Some(own)
    } else {
        r.pricing_unit_price
            .filter(|p| p.currency == Currency::USD && !r.unit_price.amount.is_zero())
            .map(|p| Money::new(own.amount * p.amount / r.unit_price.amount, Currency::USD).round())
    };
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
        if r.renew && check_exchange(&family_input(&family, r, renews_on), renews_on, 1).is_err() {
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
        if savings.currency == Currency::USD {
            (item.at_stake_usd, item.rank_usd) = (Some(savings), Some(savings));
        } else {
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
    items.sort_by(|a, b| {
        let key = |i: &WorkItem| i.rank_usd.map(|m| m.amount);
        match (key(a), key(b)) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(a.due.cmp(&b.due))
        .then_with(|| a.id.cmp(&b.id))
    });
}

/// The 2027 exchange campaign's totals over `items` (its [`WorkReason::ExchangeRightEnds`]
/// rows, whatever their state): the reservations, their customers and their remaining
/// commitment in USD, for the book and per customer (most first). Each total is the sum of
/// its rows.
pub fn campaign(items: &[WorkItem], today: NaiveDate) -> Result<Campaign, ServiceError> {
    let zero = Money::new(Decimal::ZERO, Currency::USD).round();
    let mut per_customer: Vec<CampaignCustomer> = Vec::new();
    let (mut total, mut reservations, mut without_usd) = (zero, 0u32, 0u32);
    for item in items.iter().filter(|i| i.reason == WorkReason::ExchangeRightEnds) {
        reservations += 1;
        let usd = item.at_stake_usd.unwrap_or(zero);
        if item.at_stake_usd.is_none() {
            without_usd += 1;
        }
        total = total.checked_add(usd).map_err(overflow)?;
        match per_customer.iter_mut().find(|c| c.customer_id == item.customer_id) {
            Some(c) => {
                c.reservations += 1;
                c.remaining_commitment_usd = c.remaining_commitment_usd.checked_add(usd).map_err(overflow)?;
            }
            None => per_customer.push(CampaignCustomer {
                customer_id: item.customer_id.clone(),
                customer_name: item.customer_name.clone(),
                reservations: 1,
                remaining_commitment_usd: zero.checked_add(usd).map_err(overflow)?,
            }),
        }
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

/// The whole worklist from every customer's rows: the team's state applied, ranked, with the
/// campaign's totals.
pub fn worklist(mut items: Vec<WorkItem>, marks: &HashMap<String, WorkMark>, today: NaiveDate, savings_counted: bool) -> Result<Worklist, ServiceError> {
    apply_marks(&mut items, marks, today);
    rank(&mut items);
    let campaign = campaign(&items, today)?;
    Ok(Worklist { as_of: today, items, campaign, savings_counted })
}

fn text_field(value: Option<&str>, field: &str, max: usize) -> Result<Option<String>, ServiceError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > max {
        return Err(ServiceError::invalid(ProblemCode::TooLong, field, format!("{field} is at most {max} characters.")));
    }
    let one_line = field == "owner";
    if text.chars().any(|c| crate::configuration::is_control_character(c) && !(c == '\n' && !one_line)) {
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
