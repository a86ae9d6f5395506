//! One reservation's three options side by side — keep it, refund it today, exchange it — with
//! what each costs or returns now and over the rest of the term.
//!
//! Every figure is the portfolio's own quote of the reservation ([`portfolio`], so the
//! recommendation is the one the Portfolio tab gives, limit shared with the customer's other
//! reservations); nothing is quoted again here. The one figure added is a projection stated as
//! such: the part of the remaining commitment that goes unused if use stays at the 30-day
//! average ([`unused_at_current_use`]), taken as the whole percent the app shows
//! ([`shown_percent`]) so that the figure can be checked against the percentage next to it.

use chrono::NaiveDate;
use contract::{ProvisioningState, RefundLimit, Reservation};
use quote_engine::{Money, MoneyError, PolicyError, PolicyName};
use rust_decimal::Decimal;

use super::{is_active, portfolio, Recommendation};

/// Why a reservation has nothing to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotComparable {
    /// It is not active (cancelled, expired, split, merged, …): nothing is left to keep,
    /// refund or exchange.
    State(ProvisioningState),
    /// Still marked active, but its term ended on this day.
    Ended(NaiveDate),
    /// The engine could not quote it (malformed stored data), or it is not in the list.
    NotQuotable,
}

/// Keep it: the commitment runs on to the end of the term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeepOption {
    /// RC = C − U: the commitment still to be consumed, used or not.
    pub remaining_commitment: Money,
    /// F = C − P: what is still to be billed (zero when paid upfront).
    pub future_payments: Money,
    /// Days until the term ends.
    pub days_left: i64,
    /// The day it ends.
    pub expiry_date: NaiveDate,
    /// The 30-day average utilization as shown: a whole percent ([`shown_percent`]); `None`
    /// when Azure did not report it.
    pub utilization_30: Option<Decimal>,
    /// The part of RC that goes unused if use stays at `utilization_30`; `None` with it.
    pub unused_at_current_use: Option<Money>,
}

/// Whether the refund can go ahead today under the customer's refund limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundLimitStatus {
    /// It fits: the headroom left after it.
    Fits {
        /// Headroom after the refund (limit currency).
        headroom_after: Money,
    },
    /// The policy truncates it to the headroom; the rest is lost.
    Capped {
        /// What is lost.
        forfeited: Money,
    },
    /// The policy refuses it: the whole refund fits from `until` (`None`: not before it ends).
    Refused {
        /// The first day the whole refund fits.
        until: Option<NaiveDate>,
    },
}

/// Refund it today, by the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefundOption {
    /// The policy quoted with.
    pub policy: PolicyName,
    /// What the customer gets back (refused: what it would be).
    pub amount: Money,
    /// The early termination fee already taken off `amount`.
    pub early_termination_fee: Money,
    /// What it counts toward the refund limit (limit currency; zero when refused).
    pub counted: Money,
    /// The headroom before it (limit currency).
    pub headroom: Money,
    /// Whether and how the limit lets it through.
    pub limit: RefundLimitStatus,
}

/// Exchange it: the pro-rated value goes toward a new purchase of the same family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeOption {
    /// B: what the exchange credits toward the new purchase (never counted toward the limit).
    pub credit: Money,
    /// The least lifetime commitment the new purchase may have: the RC returned (the engine's
    /// `ExchangeCommitmentTooLow` rule).
    pub minimum_new_commitment: Money,
    /// Why it cannot be exchanged today, if it cannot (bought on or after its
    /// service's restriction date; [`crate::exchange_rights`]): the engine's refusal with its
    /// figures. The figures above then say what an exchange would have credited.
    pub refusal: Option<PolicyError>,
    /// Bought before its service's restriction date, on or after it: each unit may be exchanged
    /// one final time, and what the exchange buys cannot be exchanged; the day it started.
    pub final_exchange_from: Option<NaiveDate>,
}

/// The three options for one reservation, and which one the portfolio recommends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Keep it.
    pub keep: KeepOption,
    /// Refund it today.
    pub refund: RefundOption,
    /// Exchange it.
    pub exchange: ExchangeOption,
    /// The portfolio's recommendation for it, with the reason.
    pub recommendation: Recommendation,
}

/// The part of `remaining_commitment` that goes unused if the reservation stays used at
/// `utilization_percent` (clamped to 0–100) until it ends: RC × (100 − u) / 100, rounded to the
/// currency's minor unit as the engine rounds.
pub fn unused_at_current_use(remaining_commitment: Money, utilization_percent: Decimal) -> Result<Money, MoneyError> {
    let used = utilization_percent.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
    Ok(remaining_commitment.checked_mul(Decimal::ONE_HUNDRED - used)?.checked_div(Decimal::ONE_HUNDRED)?.round())
}

/// A percentage as the app shows it: a whole percent, rounded half to even (the SPA's
/// `format_percent` rounds the same way).
pub fn shown_percent(percent: Decimal) -> Decimal {
    percent.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointNearestEven)
}

/// Whether `r` has anything to compare today.
pub fn comparable(r: &Reservation, today: NaiveDate) -> Result<(), NotComparable> {
    if r.provisioning_state != ProvisioningState::Succeeded {
        return Err(NotComparable::State(r.provisioning_state));
    }
    if !is_active(r, today) {
        return Err(NotComparable::Ended(r.expiry_date));
    }
    Ok(())
}

/// Keep, refund and exchange compared for the reservation `reservation_id` among the customer's
/// `reservations` (all of them: the recommendation weighs the shared limit), today, under
/// `policy`.
pub fn compare_options(
    reservations: &[Reservation],
    limit: &RefundLimit,
    reservation_id: &str,
    today: NaiveDate,
    policy: PolicyName,
) -> Result<Comparison, NotComparable> {
    let position = reservations.iter().position(|r| r.id == reservation_id).ok_or(NotComparable::NotQuotable)?;
    let r = &reservations[position];
    comparable(r, today)?;
    let p = portfolio(reservations, limit, today, policy);
    let row = p.rows.into_iter().find(|row| row.position == position).ok_or(NotComparable::NotQuotable)?;
    let q = row.quote.ok_or(NotComparable::NotQuotable)?;
    let utilization_30 = r.utilization.last30_days.map(shown_percent);
    let unused = utilization_30
        .map(|u| unused_at_current_use(q.remaining_commitment, u))
        .transpose()
        .map_err(|_| NotComparable::NotQuotable)?;
    let status = if !q.allowed {
        RefundLimitStatus::Refused { until: q.fits_on }
    } else if !q.forfeited.is_zero() {
        RefundLimitStatus::Capped { forfeited: q.forfeited }
    } else {
        let left = limit.headroom.checked_sub(q.counted).map_err(|_| NotComparable::NotQuotable)?;
        RefundLimitStatus::Fits { headroom_after: left }
    };
    Ok(Comparison {
        keep: KeepOption {
            remaining_commitment: q.remaining_commitment,
            future_payments: q.future_payments,
            days_left: row.days_left,
            expiry_date: r.expiry_date,
            utilization_30,
            unused_at_current_use: unused,
        },
        refund: RefundOption {
            policy,
            amount: q.refund,
            early_termination_fee: q.early_termination_fee,
            counted: q.counted,
            headroom: limit.headroom,
            limit: status,
        },
        exchange: ExchangeOption {
            credit: q.exchange_credit,
            minimum_new_commitment: q.remaining_commitment,
            refusal: crate::exchange_rights::exchange_refusal(r, today),
            final_exchange_from: match crate::exchange_rights::exchange_right(r, today) {
                Some(quote_engine::ExchangeRight::FinalExchange { from, .. }) => Some(from),
                _ => None,
            },
        },
        recommendation: row.recommendation,
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{self as fixtures, limit_with_headroom, today, usd};
    use super::super::{quote_row, Action, RecommendationReason};
    use super::*;
    use crate::limit::refund_limit;
    use crate::seed::demo_data;
    use crate::utilization::with_aggregates;
    use quote_engine::{BillingPlan, Term};
    use rust_decimal_macros::dec;

    /// A USD reservation of one unit (3 years) bought `age` days ago for `price`, used `u30` %
    /// over 30 days and 7 days: the portfolio tests' reservation, on `plan`.
    fn reservation(name: &str, price: Decimal, age: u64, plan: BillingPlan, u30: Decimal) -> Reservation {
        let mut r = fixtures::reservation(name, price, age, Term::P3Y, u30, u30);
        r.billing_plan = plan;
        r
    }

    #[test]
    fn unused_value_is_the_unused_share_of_the_remaining_commitment_rounded_half_even() {
        let rc = usd(dec!(8175.18));
        assert_eq!(unused_at_current_use(rc, dec!(0)).unwrap(), rc, "unused: all of it");
        assert_eq!(unused_at_current_use(rc, dec!(100)).unwrap(), usd(dec!(0)), "fully used: nothing");
        // 8,175.18 × 0.75 = 6,131.385: half-even to 6,131.38.
        assert_eq!(unused_at_current_use(rc, dec!(25)).unwrap(), usd(dec!(6131.38)));
        // 8,175.18 × 0.333 = 2,722.33494 → 2,722.33.
        assert_eq!(unused_at_current_use(rc, dec!(66.7)).unwrap(), usd(dec!(2722.33)));
        assert_eq!(unused_at_current_use(rc, dec!(130)).unwrap(), usd(dec!(0)), "clamped to 100 %");
        assert_eq!(unused_at_current_use(rc, dec!(-5)).unwrap(), rc, "clamped to 0 %");
    }

    #[test]
    fn the_projection_uses_the_30_day_average_as_shown() {
        // 35.2 % is shown as 35 %: RC × 65 %, which the partner can check on screen.
        let list = vec![reservation("part", dec!(6732), 0, BillingPlan::Upfront, dec!(35.2))];
        let c = compare_options(&list, &limit_with_headroom(dec!(50000)), "id-part", today(), PolicyName::AzureCurrent).unwrap();
        assert_eq!(c.keep.utilization_30, Some(dec!(35)));
        assert_eq!(c.keep.unused_at_current_use, Some(unused_at_current_use(c.keep.remaining_commitment, dec!(35)).unwrap()));
        assert_eq!(shown_percent(dec!(34.5)), dec!(34), "half to even");
        assert_eq!(shown_percent(dec!(35.5)), dec!(36));
        assert_eq!(shown_percent(dec!(35.49)), dec!(35));
    }

    #[test]
    fn an_idle_reservation_compares_the_portfolio_quote_and_is_told_to_refund() {
        let list = vec![
            reservation("busy", dec!(5000), 300, BillingPlan::Upfront, dec!(90)),
            reservation("idle", dec!(10000), 200, BillingPlan::Upfront, dec!(4)),
        ];
        let limit = limit_with_headroom(dec!(20000));
        let c = compare_options(&list, &limit, "id-idle", today(), PolicyName::AzureCurrent).unwrap();
        let q = quote_row(&list[1], &limit.prior_refunds(), today(), &PolicyName::AzureCurrent.policy()).unwrap();
        // Upfront, 200 of 1,096 days used: RC = B = 8,175.18, nothing more to bill.
        assert_eq!(c.keep.remaining_commitment, q.remaining_commitment);
        assert_eq!(c.keep.remaining_commitment.amount, dec!(8175.18));
        assert_eq!(c.keep.future_payments.amount, dec!(0));
        assert_eq!(c.keep.days_left, (list[1].expiry_date - today()).num_days());
        assert_eq!(c.keep.unused_at_current_use.unwrap().amount, dec!(7848.17), "8,175.18 × 0.96 = 7,848.1728");
        assert_eq!(c.refund.amount, q.refund);
        assert_eq!(c.refund.counted, q.counted);
        assert_eq!(c.refund.limit, RefundLimitStatus::Fits { headroom_after: usd(dec!(20000) - dec!(8175.18)) });
        assert_eq!(c.exchange.credit, q.exchange_credit);
        assert_eq!(c.exchange.minimum_new_commitment, q.remaining_commitment);
        assert_eq!(c.recommendation.action, Action::Refund);
    }

    #[test]
    fn a_monthly_plan_still_has_payments_to_bill_and_the_fee_comes_off_the_refund() {
        let list = vec![reservation("monthly", dec!(36000), 200, BillingPlan::Monthly, dec!(50))];
        let limit = limit_with_headroom(dec!(50000));
        let c = compare_options(&list, &limit, "id-monthly", today(), PolicyName::PartnerCenter2020).unwrap();
        let q = quote_row(&list[0], &limit.prior_refunds(), today(), &PolicyName::PartnerCenter2020.policy()).unwrap();
        assert!(!c.keep.future_payments.is_zero(), "monthly: installments still to come");
        assert_eq!(c.keep.future_payments, q.future_payments);
        assert_eq!(c.refund.early_termination_fee, q.early_termination_fee);
        assert!(!c.refund.early_termination_fee.is_zero(), "Partner Center 2020 takes a fee");
        assert_eq!(c.recommendation.action, Action::Exchange, "partly used");
    }

    #[test]
    fn the_limit_refuses_or_caps_the_refund_and_says_so() {
        let list = vec![reservation("idle", dec!(10000), 200, BillingPlan::Upfront, dec!(4))];
        let limit = limit_with_headroom(dec!(3500));
        let refused = compare_options(&list, &limit, "id-idle", today(), PolicyName::AzureCurrent).unwrap();
        let q = quote_row(&list[0], &limit.prior_refunds(), today(), &PolicyName::AzureCurrent.policy()).unwrap();
        assert_eq!(refused.refund.limit, RefundLimitStatus::Refused { until: q.fits_on });
        assert!(q.fits_on.is_some());
        assert_eq!(refused.refund.amount.amount, dec!(8175.18), "what it would be");
        assert!(matches!(refused.recommendation.reason, RecommendationReason::LowUseOverLimit { .. }));
        let capped = compare_options(&list, &limit, "id-idle", today(), PolicyName::PartnerCenter2020).unwrap();
        let RefundLimitStatus::Capped { forfeited } = capped.refund.limit else { panic!("{:?}", capped.refund.limit) };
        assert!(!forfeited.is_zero());
    }

    /// On 1 March 2027 a VM reservation bought on 1 February 2027 cannot be
    /// exchanged: the Exchange column carries the engine's refusal and the recommendation is
    /// not Exchange; one bought on 31 January has its final exchange; an AVS reservation neither.
    #[test]
    fn an_ineligible_reservation_says_why_it_cannot_be_exchanged() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let bought = |name: &str, family: &str, on: &str| {
            let mut r = reservation(name, dec!(10000), 0, BillingPlan::Upfront, dec!(40));
            (r.reserved_resource_type, r.purchase_date) = (family.into(), day(on));
            r.expiry_date = quote_engine::expiry_date(r.purchase_date, r.term).unwrap();
            r
        };
        let list = vec![bought("after", "VirtualMachines", "2027-02-01"), bought("before", "VirtualMachines", "2027-01-31"), bought("avs", "AVS", "2027-02-01")];
        let limit = limit_with_headroom(dec!(50000));
        let on = day("2027-03-01");
        let after = compare_options(&list, &limit, "id-after", on, PolicyName::AzureCurrent).unwrap();
        let refusal = after.exchange.refusal.expect("not exchangeable");
        assert_eq!(refusal.code, quote_engine::PolicyErrorCode::ReservationNotExchangeable);
        assert_eq!(
            refusal.detail,
            Some(quote_engine::PolicyErrorDetail::NotExchangeable { reserved_resource_type: "VirtualMachines".into(), from: day("2027-02-01"), renewal: false })
        );
        assert_ne!(after.recommendation.action, Action::Exchange, "partly used, but it cannot be exchanged");
        let before = compare_options(&list, &limit, "id-before", on, PolicyName::AzureCurrent).unwrap();
        assert_eq!((before.exchange.refusal, before.exchange.final_exchange_from), (None, Some(day("2027-02-01"))));
        assert_eq!(before.recommendation.action, Action::Exchange);
        let avs = compare_options(&list, &limit, "id-avs", on, PolicyName::AzureCurrent).unwrap();
        assert_eq!((avs.exchange.refusal, avs.exchange.final_exchange_from), (None, None));
    }

    #[test]
    fn an_inactive_reservation_has_nothing_to_compare_and_says_why() {
        let mut list = vec![reservation("gone", dec!(10000), 200, BillingPlan::Upfront, dec!(4))];
        let limit = limit_with_headroom(dec!(50000));
        for state in [ProvisioningState::Cancelled, ProvisioningState::Expired, ProvisioningState::Split, ProvisioningState::Merged] {
            list[0].provisioning_state = state;
            assert_eq!(compare_options(&list, &limit, "id-gone", today(), PolicyName::AzureCurrent), Err(NotComparable::State(state)));
        }
        list[0].provisioning_state = ProvisioningState::Succeeded;
        let ended = list[0].expiry_date;
        assert_eq!(
            compare_options(&list, &limit, "id-gone", ended, PolicyName::AzureCurrent),
            Err(NotComparable::Ended(ended)),
            "active in the data, but the term is over"
        );
        assert_eq!(compare_options(&list, &limit, "nope", today(), PolicyName::AzureCurrent), Err(NotComparable::NotQuotable));
    }

    #[test]
    fn every_seeded_active_reservation_compares() {
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
            for r in &list {
                let c = compare_options(&list, &limit, &r.id, today(), PolicyName::PartnerCenter2020);
                assert_eq!(c.is_ok(), is_active(r, today()), "{}: {c:?}", r.display_name);
            }
        }
    }
}
