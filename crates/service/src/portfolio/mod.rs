//! The portfolio: every active reservation of one customer quoted at once, with a
//! recommendation (Keep, Exchange or Refund) and its reason as data, and the set of refunds
//! that returns the most within the customer's shared refund limit.
//!
//! Input is what the customer page already loads: the customer's reservations (with their
//! 1/7/30-day utilization) and their refund limit (with the ledger). Each reservation is quoted
//! once, for its whole quantity, by the engine's [`quote_refund`] against that ledger; every
//! figure the view shows comes from that quote:
//!
//! - refund today: the quote's `refundAmount` under the chosen policy (limit-aware: a refund
//!   refused by the limit reports what it would be, and is not allowed — [`RowQuote::allowed`]);
//! - exchange credit: the pro-rated base B = max(0, P − U), which is what an exchange returns
//!   for it (never a fee, never counted toward the limit: see the engine's "Exchange" rules);
//! - remaining commitment: RC = C − U.
//!
//! Rules, in order (the thresholds are the constants below):
//!
//! 1. a reservation that cannot be quoted: Keep (nothing is known);
//! 2. ending within [`NEAR_EXPIRY_DAYS`]: Keep (little is left to win);
//!    then, a reservation whose 7 or 30-day utilization Azure did not report: Keep, saying so
//!    (an average nobody reported is not 0 %: nothing is recommended on it);
//! 3. used at least [`WELL_USED_PERCENT`] over 30 days: Keep;
//! 4. low use over 30 days (under [`LOW_USE_PERCENT`]) but not over the last 7 days: Keep
//!    (use is rising, e.g. a workload moving onto it);
//! 5. low use over both windows: a refund candidate when the refund is allowed alone and not
//!    capped; else Exchange (the exchange credit does not count toward the limit);
//! 6. between the two thresholds: Exchange, for a size that matches the use;
//! 7. nothing would come back (refund and credit zero): Keep.
//!
//! An exchange is never recommended for a reservation the rules refuse to exchange on the day
//! ([`crate::exchange_rights`]): it is kept instead, the reason saying why
//! (`NotExchangeable`), whatever rule 5, 6 or the selection would have said.
//!
//! The limit is shared, so the candidates of rule 5 compete for the headroom: [`choose`] picks
//! the set that returns the most (see there how); the others are told to exchange.

use chrono::NaiveDate;
use contract::{ProvisioningState, RefundLimit, Reservation};
use quote_engine::{quote_refund, Money, PolicyName, ReservedResourceType};
use rust_decimal::Decimal;

mod choose;
mod compare;
mod csv;
mod table;

pub use choose::*;
pub use compare::*;
pub use csv::*;
pub use table::*;

/// Under this average utilization (percent) a reservation is in low use. 20 %: a reservation
/// used a fifth of the time costs more than pay-as-you-go would for the same hours (Azure's
/// reservation discounts are up to about 72 %, typically 30–60 %).
pub const LOW_USE_PERCENT: Decimal = Decimal::from_parts(20, 0, 0, false, 0);

/// From this 30-day average on, a reservation is well used and kept: above 60 % it saves
/// money against pay-as-you-go at the typical discount.
pub const WELL_USED_PERCENT: Decimal = Decimal::from_parts(60, 0, 0, false, 0);

/// A reservation ending in fewer days than this is kept: returning it gains little and its
/// usage may move to a new purchase anyway.
pub const NEAR_EXPIRY_DAYS: i64 = 30;

/// The largest set of non-dominated (counted, value) states the exact selection keeps; past
/// it, or past [`EXACT_MAX_STEPS`], the selection is greedy with a reported bound. 16,384: when
/// the states only grow (thousands of low-use reservations returning about what they count, a
/// subset sum), the search gives up after ~80,000 steps, ~2 ms in a browser, where 1 << 17 took
/// ~650,000 (a fifth of a 10,000-reservation portfolio's first render) to reach the same greedy
/// choice; a few hundred candidates with different values per dollar stay exact.
pub const EXACT_MAX_STATES: usize = 1 << 14;

/// The most merge steps the exact selection takes (about 50 ms in a browser).
pub const EXACT_MAX_STEPS: u64 = 1 << 24;

/// What to do with a reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Keep it as it is.
    Keep,
    /// Exchange it (the credit does not count toward the refund limit).
    Exchange,
    /// Refund it.
    Refund,
}

impl Action {
    /// Every action, in display order.
    pub const ALL: [Action; 3] = [Action::Keep, Action::Exchange, Action::Refund];

    /// A stable English name (CSV, URLs, tests).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Keep => "Keep",
            Action::Exchange => "Exchange",
            Action::Refund => "Refund",
        }
    }
}

/// Why, with the figures the sentence needs; the SPA words it in each language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecommendationReason {
    /// Used at least [`WELL_USED_PERCENT`] over 30 days.
    WellUsed {
        /// 30-day average, percent.
        utilization_30: Decimal,
    },
    /// Low use over 30 days, but not over the last 7.
    UseRising {
        /// 7-day average, percent.
        utilization_7: Decimal,
        /// 30-day average, percent.
        utilization_30: Decimal,
    },
    /// Ends in fewer than [`NEAR_EXPIRY_DAYS`] days.
    EndsSoon {
        /// Days until expiry.
        days_left: i64,
    },
    /// Between the thresholds: exchange for a size that matches the use.
    PartlyUsed {
        /// 30-day average, percent.
        utilization_30: Decimal,
        /// What the exchange returns.
        credit: Money,
    },
    /// Low use, and the refund is in the set chosen for the headroom.
    LowUseRefundFits {
        /// 30-day average, percent.
        utilization_30: Decimal,
        /// What the refund returns.
        refund: Money,
    },
    /// Low use; the refund would fit alone, but the headroom returns more spent on others.
    LowUseHeadroomTaken {
        /// 30-day average, percent.
        utilization_30: Decimal,
        /// What an exchange returns instead.
        credit: Money,
    },
    /// Low use, but the refund is over the limit (refused or capped) until `until`
    /// (`None`: not before expiry, or the policy caps instead of refusing).
    LowUseOverLimit {
        /// 30-day average, percent.
        utilization_30: Decimal,
        /// The first day the whole refund fits, when the engine knows one.
        until: Option<NaiveDate>,
        /// What an exchange returns instead.
        credit: Money,
    },
    /// The rules above would recommend an exchange, but the reservation cannot be exchanged on
    /// the portfolio's day (bought on or after its service's restriction
    /// date, [`crate::exchange_rights`]): kept instead, with why; a refund stays possible.
    NotExchangeable {
        /// The product family, e.g. `VirtualMachines`.
        reserved_resource_type: String,
        /// The day its service's restriction started.
        from: NaiveDate,
        /// 30-day average, percent.
        utilization_30: Decimal,
    },
    /// Neither a refund nor an exchange would return anything.
    NothingToReturn,
    /// Azure did not report its 7 or 30-day utilization: kept, since nothing is known of its
    /// use (an average not reported is not 0 %).
    UtilizationNotReported,
    /// The engine could not quote it (malformed stored data).
    NotQuotable,
}

/// An action and its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommendation {
    /// What to do.
    pub action: Action,
    /// Why.
    pub reason: RecommendationReason,
}

/// The figures of one reservation's refund quote (whole quantity, today, chosen policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowQuote {
    /// Refund today (billing currency); when not allowed, what it would be.
    pub refund: Money,
    /// Whether the policy lets the refund go ahead today (`RefundQuote::is_allowed`).
    pub allowed: bool,
    /// The part lost to a truncating cap.
    pub forfeited: Money,
    /// What it adds to the refund-limit window (limit currency, USD).
    pub counted: Money,
    /// The exchange credit: B, what an exchange returns.
    pub exchange_credit: Money,
    /// RC = C − U.
    pub remaining_commitment: Money,
    /// Refused by the limit: the first day the whole quantity fits.
    pub fits_on: Option<NaiveDate>,
    /// The refund in the limit currency (at the reservation's own USD price ratio): the value
    /// the selection maximizes, comparable across billing currencies.
    pub refund_in_limit_currency: Money,
    /// F = C − P: payments still to be billed if it is kept (zero for upfront).
    pub future_payments: Money,
    /// The early termination fee the refund pays (zero when none applies).
    pub early_termination_fee: Money,
}

/// One active reservation in the portfolio.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortfolioRow {
    /// Its index in the reservation list given to [`portfolio`].
    pub position: usize,
    /// Days until expiry.
    pub days_left: i64,
    /// The quote, or `None` when the engine refused the stored data.
    pub quote: Option<RowQuote>,
    /// What to do and why.
    pub recommendation: Recommendation,
}

/// How a set of refunds was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectionMethod {
    /// The best of every combination (exact 0/1 knapsack over non-dominated states).
    Exact,
    /// Greedy by value per counted dollar; the best possible is at most `upper_bound`.
    Greedy {
        /// The fractional (LP) bound on the best possible value.
        upper_bound: Money,
    },
}

/// A set of refunds within the headroom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundSelection {
    /// Row indices (into [`Portfolio::rows`]) of the refunds in the set.
    pub rows: Vec<usize>,
    /// How many refunds competed.
    pub candidates: usize,
    /// How it was chosen.
    pub method: SelectionMethod,
    /// What the set returns, in the limit currency.
    pub value: Money,
    /// What the set counts toward the limit.
    pub counted: Money,
    /// The headroom before.
    pub headroom: Money,
    /// The headroom left after the set.
    pub headroom_after: Money,
}

/// A customer's portfolio on one day under one policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Portfolio {
    /// The policy quoted with.
    pub policy: PolicyName,
    /// The day.
    pub as_of: NaiveDate,
    /// One row per active reservation, in the order given.
    pub rows: Vec<PortfolioRow>,
    /// The recommended refunds.
    pub selection: RefundSelection,
}

/// Whether a reservation belongs in the portfolio: active (Succeeded) and not yet expired.
pub fn is_active(r: &Reservation, today: NaiveDate) -> bool {
    r.provisioning_state == ProvisioningState::Succeeded && today < r.expiry_date
}

/// The reservation as the engine takes it, from the list's figures. The list has the 1/7/30-day
/// averages, not the daily history: within the 5-day grace period (the only time usage matters)
/// the history is at most 5 days, all inside the averages, so an average above zero means usage.
/// (A history whose average rounds to 0.0 reads as unused; the server's Review, with the whole
/// history, decides.) Refunds are at the lower of its purchase price and today's catalog price
/// ([`crate::current_price`]), as a refund session quotes them.
pub fn to_engine(r: &Reservation) -> Option<quote_engine::Reservation> {
    // A price Azure did not give is not quoted (its zero stands for nothing).
    if r.price_unknown.is_some() {
        return None;
    }
    Some(crate::current_price::with_current_price(r, quote_engine::Reservation {
        reserved_resource_type: ReservedResourceType::new(&r.reserved_resource_type).ok()?,
        term: r.term,
        billing_plan: r.billing_plan,
        purchase_date: r.purchase_date,
        quantity: r.quantity,
        unit_price: r.unit_price,
        pricing_unit_price: r.pricing_unit_price,
        // The refund quote's rule (`ReservationDetail::has_usage`) from the averages the list has.
        has_usage: r.utilization.may_show_use(),
        current_unit_price: None,
        sku_name: None,
        expiry_date: Some(r.expiry_date),
    }))
}

/// Quotes returning all of `r` today; `None` when the engine refuses the data.
pub fn quote_row(
    r: &Reservation,
    prior: &[quote_engine::PriorRefund],
    today: NaiveDate,
    policy: &quote_engine::Policy,
) -> Option<RowQuote> {
    let engine = to_engine(r)?;
    let q = quote_refund(policy, today, &engine, r.quantity, prior).ok()?;
    let limit_currency = policy.refund_limit.currency;
    let refund_in_limit_currency = match r.pricing_unit_price {
        _ if q.refund_amount.currency == limit_currency => q.refund_amount,
        Some(usd) if usd.currency == limit_currency && !r.unit_price.is_zero() => q
            .refund_amount
            .checked_mul(usd.amount)
            .and_then(|m| m.checked_div(r.unit_price.amount))
            .ok()
            .map(|m| Money::new(m.amount, limit_currency).round())?,
        _ => return None,
    };
    Some(RowQuote {
        refund: q.refund_amount,
        allowed: q.is_allowed(),
        forfeited: q.forfeited_amount,
        counted: q.policy_result.counted_toward_limit,
        exchange_credit: q.pro_rated_base,
        remaining_commitment: q.remaining_commitment,
        fits_on: q.fits_on,
        refund_in_limit_currency,
        future_payments: q.canceled_future_payments,
        early_termination_fee: q.early_termination_fee,
    })
}

/// The rules 1–7 of the module, before the shared limit: `None` marks a refund candidate.
fn rule(r: &Reservation, days_left: i64, quote: Option<&RowQuote>) -> Option<Recommendation> {
    let keep = |reason| Some(Recommendation { action: Action::Keep, reason });
    let exchange = |reason| Some(Recommendation { action: Action::Exchange, reason });
    let Some(q) = quote else { return keep(RecommendationReason::NotQuotable) };
    if days_left < NEAR_EXPIRY_DAYS {
        return keep(RecommendationReason::EndsSoon { days_left });
    }
    let (Some(u7), Some(u30)) = (r.utilization.last7_days, r.utilization.last30_days) else {
        return keep(RecommendationReason::UtilizationNotReported);
    };
    if u30 >= WELL_USED_PERCENT {
        return keep(RecommendationReason::WellUsed { utilization_30: u30 });
    }
    if q.refund.is_zero() && q.exchange_credit.is_zero() {
        return keep(RecommendationReason::NothingToReturn);
    }
    if u30 < LOW_USE_PERCENT {
        if u7 >= LOW_USE_PERCENT {
            return keep(RecommendationReason::UseRising { utilization_7: u7, utilization_30: u30 });
        }
        if !q.allowed || !q.forfeited.is_zero() || q.refund.is_zero() {
            return exchange(RecommendationReason::LowUseOverLimit {
                utilization_30: u30,
                until: q.fits_on,
                credit: q.exchange_credit,
            });
        }
        return None;
    }
    exchange(RecommendationReason::PartlyUsed { utilization_30: u30, credit: q.exchange_credit })
}

/// `recommendation`, unless it is an exchange the rules refuse on `today`: then Keep, saying why.
fn unless_refused(r: &Reservation, today: NaiveDate, recommendation: Recommendation) -> Recommendation {
    // An exchange is recommended only on a reported 30-day average (rule 2).
    let (Action::Exchange, Some(utilization_30)) = (recommendation.action, r.utilization.last30_days) else {
        return recommendation;
    };
    match crate::exchange_rights::exchange_right(r, today) {
        Some(quote_engine::ExchangeRight::NotExchangeable { from, .. }) => Recommendation {
            action: Action::Keep,
            reason: RecommendationReason::NotExchangeable {
                reserved_resource_type: r.reserved_resource_type.clone(),
                from,
                utilization_30,
            },
        },
        _ => recommendation,
    }
}

/// Quotes every active reservation in `reservations` once and recommends what to do with it.
pub fn portfolio(reservations: &[Reservation], limit: &RefundLimit, today: NaiveDate, policy: PolicyName) -> Portfolio {
    let engine_policy = policy.policy();
    let prior = limit.prior_refunds();
    let mut rows = Vec::new();
    let mut candidates = Vec::new();
    for (position, r) in reservations.iter().enumerate().filter(|(_, r)| is_active(r, today)) {
        let days_left = (r.expiry_date - today).num_days();
        let quote = quote_row(r, &prior, today, &engine_policy);
        let recommendation = rule(r, days_left, quote.as_ref()).map(|rec| unless_refused(r, today, rec)).unwrap_or_else(|| {
            candidates.push(rows.len());
            // Provisional: settled by the selection below.
            Recommendation { action: Action::Exchange, reason: RecommendationReason::NothingToReturn }
        });
        rows.push(PortfolioRow { position, days_left, quote, recommendation });
    }
    let selection = select(&rows, &candidates, limit.headroom);
    for &i in &candidates {
        let row = &mut rows[i];
        // A candidate of rule 5 has a quote and a reported 30-day average.
        let (Some(q), Some(utilization_30)) = (row.quote, reservations[row.position].utilization.last30_days) else { continue };
        row.recommendation = if selection.rows.binary_search(&i).is_ok() {
            Recommendation { action: Action::Refund, reason: RecommendationReason::LowUseRefundFits { utilization_30, refund: q.refund } }
        } else {
            unless_refused(&reservations[row.position], today, Recommendation {
                action: Action::Exchange,
                reason: RecommendationReason::LowUseHeadroomTaken { utilization_30, credit: q.exchange_credit },
            })
        };
    }
    Portfolio { policy, as_of: today, rows, selection }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::*;
    use super::choose::{choose_bounded, greedy};
    use contract::AppliedScopeType;
    use quote_engine::Currency;
    use crate::limit::refund_limit;
    use crate::seed::demo_data;
    use crate::utilization::with_aggregates;
    use contract::UtilizationAggregates;
    use quote_engine::{BillingPlan, Term};
    use rust_decimal_macros::dec;

    pub(super) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    pub(super) fn usd(amount: Decimal) -> Money {
        Money::new(amount, Currency::new("USD").unwrap())
    }

    /// An upfront USD reservation bought `age` days ago for `price` per unit.
    pub(super) fn reservation(name: &str, price: Decimal, age: u64, term: Term, u7: Decimal, u30: Decimal) -> Reservation {
        let purchase = today().checked_sub_days(chrono::Days::new(age)).unwrap();
        Reservation {
            id: format!("id-{name}"),
            reservation_order_id: format!("order-{name}"),
            customer_id: "c".into(),
            display_name: name.into(),
            // Not sold by the demo catalog: no current price, so refunds are at `price`.
            sku_name: "Standard_D2s_v4".into(),
            location: "westeurope".into(),
            reserved_resource_type: "VirtualMachines".into(),
            quantity: 1,
            term,
            billing_plan: BillingPlan::Upfront,
            purchase_date: purchase,
            expiry_date: quote_engine::expiry_date(purchase, term).unwrap(),
            unit_price: usd(price),
            pricing_unit_price: None,
            applied_scope_type: AppliedScopeType::Shared,
            applied_scope_properties: None,
            provisioning_state: ProvisioningState::Succeeded,
            renew: false,
            utilization: UtilizationAggregates::known(u7, u7, u30),
            archived: false,
            split_properties: None,
            merge_properties: None,
            price_unknown: None,
            today_price: None,
        }
    }

    pub(super) fn limit_with_headroom(headroom: Decimal) -> RefundLimit {
        let ledger = [crate::limit::LedgerEntry {
            customer_id: "c".into(),
            date: today().checked_sub_days(chrono::Days::new(10)).unwrap(),
            amount: usd(dec!(50000) - headroom),
            reservation_id: "old".into(),
            reservation_order_id: "old-order".into(),
        }];
        refund_limit(&ledger, today()).unwrap()
    }

    fn reason_of<'a>(p: &'a Portfolio, list: &[Reservation], name: &str) -> &'a Recommendation {
        &p.rows.iter().find(|r| list[r.position].display_name == name).unwrap().recommendation
    }

    #[test]
    fn each_rule_gives_its_action_and_reason_with_the_figures() {
        let list = vec![
            reservation("busy", dec!(10000), 200, Term::P3Y, dec!(85), dec!(82)),
            reservation("rising", dec!(10000), 200, Term::P3Y, dec!(45), dec!(12)),
            reservation("half", dec!(10000), 200, Term::P3Y, dec!(40), dec!(40)),
            reservation("idle", dec!(10000), 200, Term::P3Y, dec!(3), dec!(4)),
            reservation("ending", dec!(10000), 360, Term::P1Y, dec!(0), dec!(0)),
        ];
        let p = portfolio(&list, &limit_with_headroom(dec!(20000)), today(), PolicyName::AzureCurrent);
        assert_eq!(p.rows.len(), 5);
        assert_eq!(reason_of(&p, &list, "busy").reason, RecommendationReason::WellUsed { utilization_30: dec!(82) });
        assert_eq!(reason_of(&p, &list, "rising").action, Action::Keep);
        assert!(matches!(reason_of(&p, &list, "rising").reason, RecommendationReason::UseRising { .. }));
        assert_eq!(reason_of(&p, &list, "ending").reason, RecommendationReason::EndsSoon { days_left: 5 });
        let half = p.rows.iter().find(|r| list[r.position].display_name == "half").unwrap();
        let credit = half.quote.unwrap().exchange_credit;
        assert_eq!(half.recommendation.reason, RecommendationReason::PartlyUsed { utilization_30: dec!(40), credit });
        // Idle, 200 of 1,096 days used: B = 10,000 − round(10,000 × 200 / 1,096) = 8,175.18;
        // under azure-current the refund is B and it counts RC = B (upfront), within 20,000.
        let idle = p.rows.iter().find(|r| list[r.position].display_name == "idle").unwrap();
        let q = idle.quote.unwrap();
        assert_eq!(q.refund.amount, dec!(8175.18));
        assert_eq!(q.exchange_credit.amount, dec!(8175.18));
        assert_eq!(q.counted.amount, dec!(8175.18));
        assert_eq!(
            idle.recommendation,
            Recommendation { action: Action::Refund, reason: RecommendationReason::LowUseRefundFits { utilization_30: dec!(4), refund: q.refund } }
        );
        assert_eq!(p.selection.method, SelectionMethod::Exact);
        assert_eq!(p.selection.headroom_after.amount, dec!(20000) - dec!(8175.18));
    }

    #[test]
    fn utilization_azure_did_not_report_is_kept_never_refunded_and_an_empty_csv_cell() {
        // The same idle reservation as above, refunded when its use is known, is kept when Azure
        // reported no 30-day (or no 7-day) average: not reported is not 0 %.
        let mut list = vec![
            reservation("idle", dec!(10000), 200, Term::P3Y, dec!(3), dec!(4)),
            reservation("unreported", dec!(10000), 200, Term::P3Y, dec!(3), dec!(4)),
            reservation("seven-only", dec!(10000), 200, Term::P3Y, dec!(3), dec!(4)),
            reservation("thirty-only", dec!(10000), 200, Term::P3Y, dec!(3), dec!(4)),
        ];
        list[1].utilization = UtilizationAggregates::not_reported();
        list[2].utilization.last30_days = None;
        list[3].utilization.last7_days = None;
        let p = portfolio(&list, &limit_with_headroom(dec!(50000)), today(), PolicyName::AzureCurrent);
        assert_eq!(reason_of(&p, &list, "idle").action, Action::Refund);
        for name in ["unreported", "seven-only", "thirty-only"] {
            assert_eq!(
                reason_of(&p, &list, name).clone(),
                Recommendation { action: Action::Keep, reason: RecommendationReason::UtilizationNotReported },
                "{name}"
            );
        }
        let header = [""; CSV_COLUMNS];
        let text = portfolio_csv(&p, &list, &[1], &header, &|_| (String::new(), String::new()));
        let row = text.trim_start_matches('\u{feff}').split("\r\n").nth(1).unwrap().to_owned();
        assert!(row.starts_with("id-unreported,order-unreported,unreported,Standard_D2s_v4,VirtualMachines,Shared,1,,,"), "{row}");
        let c = compare_options(&list, &limit_with_headroom(dec!(50000)), "id-unreported", today(), PolicyName::AzureCurrent).unwrap();
        assert_eq!((c.keep.utilization_30, c.keep.unused_at_current_use), (None, None), "no projection on an unknown use");
    }

    #[test]
    fn a_refund_over_the_limit_is_told_to_exchange_until_the_day_it_fits() {
        let list = vec![reservation("idle", dec!(10000), 200, Term::P3Y, dec!(3), dec!(4))];
        let p = portfolio(&list, &limit_with_headroom(dec!(3500)), today(), PolicyName::AzureCurrent);
        let row = &p.rows[0];
        let q = row.quote.unwrap();
        assert!(!q.allowed, "refused by the limit");
        assert_eq!(q.refund.amount, dec!(8175.18), "a refused quote still says what it would be (engine, 841f3bf)");
        let until = q.fits_on.expect("the ledger entry is released within the term");
        assert_eq!(
            row.recommendation,
            Recommendation {
                action: Action::Exchange,
                reason: RecommendationReason::LowUseOverLimit { utilization_30: dec!(4), until: Some(until), credit: q.exchange_credit },
            }
        );
        assert!(p.selection.rows.is_empty());
        assert_eq!(p.selection.headroom_after.amount, dec!(3500));

        // Partner Center 2020 caps instead of refusing: a capped refund is not recommended either.
        let p = portfolio(&list, &limit_with_headroom(dec!(3500)), today(), PolicyName::PartnerCenter2020);
        let q = p.rows[0].quote.unwrap();
        assert!(q.allowed && !q.forfeited.is_zero());
        assert_eq!(p.rows[0].recommendation.action, Action::Exchange);
    }

    /// On 1 March 2027, a partly used VM reservation bought on 1 February 2027
    /// is kept (not exchangeable), saying why; one bought on 31 January is still told to
    /// exchange (its units keep a final exchange); an idle one bought after the date whose refund
    /// does not fit is kept, not told to exchange; an AVS reservation bought after the date is
    /// told to exchange (savings plans do not cover it).
    #[test]
    fn an_exchange_the_rules_refuse_is_never_recommended() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let bought = |name: &str, family: &str, on: &str, u30: Decimal| {
            let mut r = reservation(name, dec!(10000), 0, Term::P3Y, u30, u30);
            (r.reserved_resource_type, r.purchase_date) = (family.into(), day(on));
            r.expiry_date = quote_engine::expiry_date(r.purchase_date, r.term).unwrap();
            r
        };
        let list = vec![
            bought("after", "VirtualMachines", "2027-02-01", dec!(40)),
            bought("before", "VirtualMachines", "2027-01-31", dec!(40)),
            bought("idle-after", "VirtualMachines", "2027-02-01", dec!(2)),
            bought("avs", "AVS", "2027-02-01", dec!(40)),
        ];
        let on = day("2027-03-01");
        // No headroom: the idle one's refund is refused by the limit (rule 5 would say Exchange).
        let p = portfolio(&list, &limit_with_headroom(dec!(0)), on, PolicyName::AzureCurrent);
        let not_exchangeable = |u30| Recommendation {
            action: Action::Keep,
            reason: RecommendationReason::NotExchangeable { reserved_resource_type: "VirtualMachines".into(), from: day("2027-02-01"), utilization_30: u30 },
        };
        assert_eq!(reason_of(&p, &list, "after"), &not_exchangeable(dec!(40)));
        assert_eq!(reason_of(&p, &list, "idle-after"), &not_exchangeable(dec!(2)));
        assert_eq!(reason_of(&p, &list, "before").action, Action::Exchange);
        assert_eq!(reason_of(&p, &list, "avs").action, Action::Exchange);
        for row in &p.rows {
            let r = &list[row.position];
            if row.recommendation.action == Action::Exchange {
                assert!(crate::exchange_rights::may_exchange(r, on), "{} is recommended an exchange it cannot make", r.display_name);
            }
        }
        // The day before the rule, the same reservations (bought "in the future" aside) are
        // judged by use alone: the quote's date decides.
        let before_rule = portfolio(&list[1..2], &limit_with_headroom(dec!(0)), day("2027-01-31"), PolicyName::AzureCurrent);
        assert_eq!(before_rule.rows[0].recommendation.action, Action::Exchange);
    }

    /// On 1 March 2027, a partly used database reservation of each type savings plans cover,
    /// bought on 1 February 2027, is kept (not exchangeable) saying why, and one bought on
    /// 31 January is still told to exchange.
    #[test]
    fn a_refused_exchange_of_a_database_reservation_is_never_recommended() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let on = day("2027-03-01");
        for family in ["SqlDatabases", "PostgreSql", "MySql", "CosmosDb"] {
            let bought = |name: &str, purchase: &str| {
                let mut r = reservation(name, dec!(10000), 0, Term::P3Y, dec!(40), dec!(40));
                (r.reserved_resource_type, r.purchase_date) = (family.into(), day(purchase));
                r.expiry_date = quote_engine::expiry_date(r.purchase_date, r.term).unwrap();
                r
            };
            let list = vec![bought("after", "2027-02-01"), bought("before", "2027-01-31")];
            let p = portfolio(&list, &limit_with_headroom(dec!(0)), on, PolicyName::AzureCurrent);
            assert_eq!(
                reason_of(&p, &list, "after"),
                &Recommendation {
                    action: Action::Keep,
                    reason: RecommendationReason::NotExchangeable { reserved_resource_type: family.into(), from: day("2027-02-01"), utilization_30: dec!(40) },
                },
                "{family}"
            );
            assert_eq!(reason_of(&p, &list, "before").action, Action::Exchange, "{family}");
            for row in &p.rows {
                if row.recommendation.action == Action::Exchange {
                    assert!(crate::exchange_rights::may_exchange(&list[row.position], on), "{family}: {}", list[row.position].display_name);
                }
            }
        }
    }

    /// A reservation of a catalog SKU bought above today's catalog price is
    /// quoted at the catalog's price: less back, and the same figure a refund session gives.
    #[test]
    fn the_portfolio_refunds_at_the_lower_current_price() {
        let mut r = reservation("dearer", dec!(2500), 200, Term::P3Y, dec!(3), dec!(4));
        let engine_policy = PolicyName::AzureCurrent.policy();
        let at_purchase = quote_row(&r, &[], today(), &engine_policy).unwrap();
        r.sku_name = "Standard_D2s_v5".into(); // in the catalog: 876.00 × 2.4 = 2,102.40 for 3 years
        let at_current = quote_row(&r, &[], today(), &engine_policy).unwrap();
        assert!(at_current.refund.amount < at_purchase.refund.amount, "{at_current:?} vs {at_purchase:?}");
        let direct = quote_refund(&engine_policy, today(), &quote_engine::Reservation { unit_price: usd(dec!(2102.40)), current_unit_price: None, ..to_engine(&r).unwrap() }, 1, &[]).unwrap();
        assert_eq!(at_current.refund, direct.refund_amount, "refunded as if bought at the current price");
        // A purchase price below today's price changes nothing.
        r.unit_price = usd(dec!(2000));
        let cheaper = quote_row(&r, &[], today(), &engine_policy).unwrap();
        r.sku_name = "Standard_D2s_v4".into();
        assert_eq!(cheaper, quote_row(&r, &[], today(), &engine_policy).unwrap());
    }

    #[test]
    fn the_shared_headroom_goes_to_the_set_that_returns_the_most() {
        // Three idle reservations whose refunds count about 4,000 / 5,000 / 6,000 under
        // azure-current (10 days old, upfront: B = RC, value = weight); headroom 10,000:
        // {a, c} returns 9,945.23, more than {a, b} (8,950.71), which is what taking them in
        // list order (or greedy by value per dollar, all equal here) would give.
        let list = vec![
            reservation("a", dec!(4000), 10, Term::P5Y, dec!(1), dec!(1)),
            reservation("b", dec!(5000), 10, Term::P5Y, dec!(1), dec!(1)),
            reservation("c", dec!(6000), 10, Term::P5Y, dec!(1), dec!(1)),
        ];
        let p = portfolio(&list, &limit_with_headroom(dec!(10000)), today(), PolicyName::AzureCurrent);
        let refunded: Vec<&str> =
            p.selection.rows.iter().map(|&i| list[p.rows[i].position].display_name.as_str()).collect();
        assert_eq!(refunded, ["a", "c"]);
        let counted = |name: &str| p.rows.iter().find(|r| list[r.position].display_name == name).unwrap().quote.unwrap().counted;
        let total = counted("a").checked_add(counted("c")).unwrap();
        assert_eq!(p.selection.counted, total);
        assert_eq!(p.selection.headroom_after, usd(dec!(10000)).checked_sub(total).unwrap());
        assert!(matches!(reason_of(&p, &list, "b").reason, RecommendationReason::LowUseHeadroomTaken { .. }));
        assert_eq!(reason_of(&p, &list, "b").action, Action::Exchange);
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, below: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % below
        }
    }

    fn brute_force(items: &[Item], capacity: u64) -> u64 {
        (0u32..1 << items.len())
            .filter_map(|mask| {
                let set = (0..items.len()).filter(|k| mask & (1 << k) != 0);
                let weight: u64 = set.clone().map(|k| items[k].weight).sum();
                (weight <= capacity).then(|| set.map(|k| items[k].value).sum())
            })
            .max()
            .unwrap_or(0)
    }

    fn check(items: &[Item], capacity: u64, choice: &Choice) -> u64 {
        let weight: u64 = choice.items.iter().map(|&k| items[k].weight).sum();
        assert!(weight <= capacity, "over capacity: {choice:?}");
        let mut unique = choice.items.clone();
        unique.dedup();
        assert_eq!(unique, choice.items, "an item chosen twice");
        choice.items.iter().map(|&k| items[k].value).sum()
    }

    #[test]
    fn the_exact_choice_equals_brute_force_on_generated_sets() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..600 {
            let n = (case % 13) as usize;
            let capacity = rng.next(5_000_001);
            // Weights around the capacity's scale; values correlated with them (as refunds
            // are with what they count) or not, and some zero weights.
            let items: Vec<Item> = (0..n)
                .map(|_| {
                    let weight = if rng.next(10) == 0 { 0 } else { rng.next(capacity / 2 + 2) };
                    let value = if case % 2 == 0 { weight * 9 / 10 + rng.next(1000) } else { rng.next(3_000_000) };
                    Item { weight, value }
                })
                .collect();
            let choice = choose(&items, capacity);
            assert_eq!(choice.upper_bound, None, "small sets are exact");
            assert_eq!(check(&items, capacity, &choice), brute_force(&items, capacity), "case {case}: {items:?} in {capacity}");
        }
    }

    #[test]
    fn past_the_state_limit_the_greedy_choice_is_within_its_bound_and_half_the_best() {
        let mut rng = Rng(42);
        for case in 0..300 {
            let n = 1 + (case % 12) as usize;
            let capacity = 1 + rng.next(100_000);
            let items: Vec<Item> =
                (0..n).map(|_| Item { weight: rng.next(capacity + capacity / 3), value: rng.next(50_000) }).collect();
            let choice = choose_bounded(&items, capacity, 0, u64::MAX);
            let best = brute_force(&items, capacity);
            let value = check(&items, capacity, &choice);
            // (Exact only when no item fits at all: the state list never grew.)
            let bound = choice.upper_bound.unwrap_or_else(|| {
                assert!(items.iter().all(|i| i.weight > capacity), "case {case}: exact past the limit");
                best
            });
            assert!(value <= best && best <= bound, "case {case}: {value} ≤ {best} ≤ {bound}");
            assert!(2 * value >= best, "case {case}: greedy {value} under half of {best}");
        }
    }

    #[test]
    fn a_few_hundred_candidates_are_chosen_exactly_and_fast() {
        // 300 refunds with different value per counted dollar (monthly plans, fees): exact.
        let mut rng = Rng(7);
        let items: Vec<Item> = (0..300)
            .map(|_| {
                let weight = 50_000 + rng.next(2_000_000);
                Item { weight, value: weight * (50 + rng.next(50)) / 100 }
            })
            .collect();
        let started = std::time::Instant::now();
        let choice = choose(&items, 5_000_000);
        let elapsed = started.elapsed();
        let value = check(&items, 5_000_000, &choice);
        let greedy_value = check(&items, 5_000_000, &greedy(&items, 5_000_000));
        println!("300 candidates: {:?}, {:?} ms, value {value} (greedy {greedy_value})", choice.upper_bound, elapsed.as_millis());
        assert!(value >= greedy_value);
        if let Some(bound) = choice.upper_bound {
            assert!(value <= bound);
        }
    }

    #[test]
    fn quoting_a_selection_together_sums_the_refunds_against_the_shared_headroom() {
        let list = vec![
            reservation("a", dec!(4000), 10, Term::P5Y, dec!(1), dec!(1)),
            reservation("b", dec!(5000), 10, Term::P5Y, dec!(1), dec!(1)),
            reservation("c", dec!(6000), 10, Term::P5Y, dec!(1), dec!(1)),
        ];
        let limit = limit_with_headroom(dec!(10000));
        let p = portfolio(&list, &limit, today(), PolicyName::AzureCurrent);
        let counted = |i: usize| p.rows[i].quote.unwrap().counted;
        let two = quote_selection(&p, &[0, 1], limit.headroom).unwrap();
        assert!(two.fits);
        assert_eq!(two.counted, counted(0).checked_add(counted(1)).unwrap());
        assert_eq!(two.headroom_after, limit.headroom.checked_sub(two.counted).unwrap());
        assert_eq!(two.totals.len(), 1);
        assert_eq!(two.totals[0].refund, p.rows[0].quote.unwrap().refund.checked_add(p.rows[1].quote.unwrap().refund).unwrap());
        let all = quote_selection(&p, &[0, 1, 2], limit.headroom).unwrap();
        assert!(!all.fits);
        assert_eq!(all.over_by, all.counted.checked_sub(limit.headroom).unwrap());
        assert_eq!(all.best.unwrap().rows, [0, 2]);
    }

    #[test]
    fn sorting_and_filtering_work_on_positions_and_money_never_compares_across_currencies() {
        let mut list = vec![
            reservation("web", dec!(9000), 200, Term::P3Y, dec!(3), dec!(4)),
            reservation("db", dec!(3000), 200, Term::P3Y, dec!(90), dec!(90)),
            reservation("api", dec!(6000), 200, Term::P3Y, dec!(40), dec!(40)),
        ];
        list[1].reserved_resource_type = "SqlDatabases".into();
        let mut eur = reservation("eur", dec!(100000), 200, Term::P3Y, dec!(90), dec!(90));
        eur.unit_price = Money::new(dec!(100000), Currency::new("EUR").unwrap());
        eur.pricing_unit_price = Some(usd(dec!(108695.65)));
        list.push(eur);
        let p = portfolio(&list, &limit_with_headroom(dec!(50000)), today(), PolicyName::AzureCurrent);
        let names = |rows: &[usize]| rows.iter().map(|&i| list[p.rows[i].position].display_name.clone()).collect::<Vec<_>>();
        // EUR sorts before USD, whatever the amounts (EUR 100,000 is not "more" than USD 9,000).
        assert_eq!(names(&sorted_rows(&p, &list, SortKey::RemainingCommitment, false)), ["eur", "db", "api", "web"]);
        assert_eq!(names(&sorted_rows(&p, &list, SortKey::Name, false)), ["api", "db", "eur", "web"]);
        assert_eq!(names(&sorted_rows(&p, &list, SortKey::Utilization, true)), ["db", "eur", "api", "web"]);
        let order = sorted_rows(&p, &list, SortKey::Name, false);
        let vms = PortfolioFilter { family: Some("VirtualMachines".into()), ..Default::default() };
        assert_eq!(names(&visible_rows(&p, &list, &order, &vms)), ["api", "eur", "web"]);
        let keep = PortfolioFilter { action: Some(Action::Keep), text: "E".into(), ..Default::default() };
        assert_eq!(names(&visible_rows(&p, &list, &order, &keep)), ["eur"]);
        let t = totals(&p, &order).unwrap();
        assert_eq!(t.iter().map(|t| t.refund.currency.code()).collect::<Vec<_>>(), ["EUR", "USD"]);
        assert!(usd(dec!(1)).checked_cmp(Money::new(dec!(1), Currency::new("EUR").unwrap())).is_err());
    }

    #[test]
    fn the_search_text_matches_as_lowercasing_both_would() {
        let texts = ["Web farm 42", "web-FARM", "Standard_D2s_v5", "Ünïcode Straße", "ΟΔΟΣ", "\u{212a}elvin", "İstanbul", ""];
        let searches = ["", "web", "FARM", "d2s", "42", "ü", "strasse", "straße", "οδος", "οδοσ", "k", "kelvin", "i̇", "i", "x"];
        for text in texts {
            for search in searches {
                let lowered = search.trim().to_lowercase();
                assert_eq!(
                    super::table::contains_lowered(text, &lowered),
                    text.to_lowercase().contains(&lowered),
                    "{text:?} searched for {search:?}"
                );
            }
        }
    }

    #[test]
    fn the_seeded_customers_portfolios_quote_every_active_reservation() {
        let data = demo_data(today());
        for customer in &data.customers {
            let list: Vec<Reservation> = data
                .reservations
                .iter()
                .filter(|s| s.reservation.customer_id == customer.id)
                .map(|s| with_aggregates(s.reservation.clone(), s.usage, today()))
                .collect();
            let ledger: Vec<_> = data.ledger.iter().filter(|e| e.customer_id == customer.id).cloned().collect();
            let limit = refund_limit(&ledger, today()).unwrap();
            for policy in PolicyName::ALL {
                let p = portfolio(&list, &limit, today(), policy);
                assert_eq!(p.rows.len(), list.iter().filter(|r| is_active(r, today())).count());
                assert!(p.rows.iter().all(|r| r.quote.is_some()), "{}: every seeded reservation quotes", customer.name);
                assert!(p.selection.counted.checked_cmp(limit.headroom).unwrap() != Ordering::Greater);
            }
        }
    }

    #[test]
    fn csv_has_a_bom_a_header_plain_amounts_iso_dates_and_rfc_4180_quoting() {
        let mut list = vec![reservation("idle", dec!(10000), 200, Term::P3Y, dec!(3), dec!(4))];
        list[0].display_name = "web, \"blue\"\nfarm".into();
        let p = portfolio(&list, &limit_with_headroom(dec!(20000)), today(), PolicyName::AzureCurrent);
        let header: [&str; CSV_COLUMNS] = [
            "Reservation ID", "Order ID", "Name", "SKU", "Family", "Scope", "Quantity", "Utilization 7 days (%)",
            "Utilization 30 days (%)", "Expires", "Days left", "Currency", "Remaining commitment", "Refund today",
            "Refund allowed", "Counted toward limit (USD)", "Exchange credit", "Recommendation", "Reason",
        ];
        let text = portfolio_csv(&p, &list, &[0], &header, &|row| (row.recommendation.action.as_str().into(), "fits, \"yes\"".into()));
        assert!(text.starts_with('\u{feff}'), "BOM");
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], header.join(","));
        let expiry = list[0].expiry_date.to_string();
        assert_eq!(
            lines[1..].join("\r\n"),
            format!(
                "id-idle,order-idle,\"web, \"\"blue\"\"\nfarm\",Standard_D2s_v4,VirtualMachines,Shared,1,3,4,{expiry},{},USD,8175.18,8175.18,yes,8175.18,8175.18,Refund,\"fits, \"\"yes\"\"\"\r\n",
                p.rows[0].days_left
            )
        );
        assert_eq!(expiry.len(), 10, "ISO date");
    }
}

