//! Daily utilization: the demo has no usage feed, so each reservation's history is a
//! deterministic function of its ID and dates — identical on the server and in the browser.

use chrono::{Days, NaiveDate};
use contract::{DailyUtilization, UtilizationAggregates};
use rust_decimal::Decimal;

use crate::hash;

/// How a reservation is used: `level` is the typical percent; `None` means never used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UsageProfile {
    /// Typical utilization, 0–100, or `None` for an unused reservation.
    pub level: Option<u8>,
    /// The averages as Azure reported them (Azure mode): shown and used as they are, and no
    /// daily history is drawn (Azure reports averages, not days). Absent for the desk's own
    /// reservations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<UtilizationAggregates>,
}

impl UsageProfile {
    /// A reservation Azure has not reported on yet (one just bought or exchanged into through
    /// Azure): no average known, no day drawn, until the next read brings Azure's.
    pub const NOT_YET_REPORTED: Self = Self { level: None, read: Some(UtilizationAggregates { last1_day: None, last7_days: None, last30_days: None }) };

    /// Whether the figures are Azure's: then there is no history to draw. Azure reports
    /// averages, not days, so every day's figure would be made up (a reservation Azure reports at
    /// 0 % would get days above zero and count as used).
    fn is_azures(self) -> bool {
        self.read.is_some()
    }
}

/// One entry per day from `purchase` up to the day before `until` (today's figure is not in
/// yet), never past `end` (expiry or cancellation).
pub fn history(
    reservation_id: &str,
    profile: UsageProfile,
    purchase: NaiveDate,
    until: NaiveDate,
    end: NaiveDate,
) -> Vec<DailyUtilization> {
    history_from(reservation_id, profile, purchase, purchase, until.min(end))
}

/// The days of [`history`] from `first` on (the same figures: each day's is a function of its
/// distance from `purchase`), before `last`.
fn history_from(
    reservation_id: &str,
    profile: UsageProfile,
    purchase: NaiveDate,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<DailyUtilization> {
    let mut days = Vec::new();
    if profile.is_azures() {
        return days;
    }
    let mut day = first.max(purchase);
    let seed = hash::of_str(reservation_id);
    let mut i = u64::try_from((day - purchase).num_days()).unwrap_or(0);
    while day < last {
        let percent = match profile.level {
            None => Decimal::ZERO,
            Some(level) => {
                // ±12 points of day-to-day noise, lower on weekends-like every 7th pair.
                let noise = (hash::mix(seed ^ i) % 25) as i64 - 12;
                let dip = if i % 7 >= 5 { 15 } else { 0 };
                let value = (i64::from(level) + noise - dip).clamp(0, 100);
                Decimal::new(value * 10 + (hash::mix(seed.wrapping_add(i)) % 10) as i64, 1)
                    .min(Decimal::from(100))
            }
        };
        days.push(DailyUtilization { date: day, utilization_percent: percent });
        i += 1;
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    days
}

/// Average of the last `n` days (all of them when fewer), rounded to one decimal.
fn average_of_last(days: &[DailyUtilization], n: usize) -> Decimal {
    let tail = &days[days.len().saturating_sub(n)..];
    if tail.is_empty() {
        return Decimal::ZERO;
    }
    (tail.iter().map(|d| d.utilization_percent).sum::<Decimal>() / Decimal::from(tail.len())).round_dp(1)
}

/// The 1, 7 and 30-day averages of a history.
pub fn aggregates(days: &[DailyUtilization]) -> UtilizationAggregates {
    UtilizationAggregates::known(average_of_last(days, 1), average_of_last(days, 7), average_of_last(days, AGGREGATE_DAYS as usize))
}

/// A stored reservation as the contract shows it: aggregates computed from its history.
pub fn with_aggregates(
    mut reservation: contract::Reservation,
    profile: UsageProfile,
    today: NaiveDate,
) -> contract::Reservation {
    if let Some(read) = profile.read {
        reservation.utilization = read;
        return reservation;
    }
    // The aggregates need the last 30 days only, not years of history (the list endpoint
    // computes them for every reservation of a customer).
    let last = today.min(reservation.expiry_date);
    let first = last.checked_sub_days(Days::new(AGGREGATE_DAYS)).unwrap_or(last);
    let days = history_from(&reservation.id, profile, reservation.purchase_date, first, last);
    reservation.utilization = aggregates(&days);
    reservation
}

/// The longest window of [`aggregates`].
const AGGREGATE_DAYS: u64 = 30;

/// A stored reservation with its daily history since purchase.
pub fn detail(reservation: contract::Reservation, profile: UsageProfile, today: NaiveDate) -> contract::ReservationDetail {
    let days = history(&reservation.id, profile, reservation.purchase_date, today, reservation.expiry_date);
    let mut reservation = reservation;
    // Azure's averages, where they were read, are the figures shown (and no day is drawn).
    reservation.utilization = match profile.read {
        Some(read) => read,
        None => aggregates(&days),
    };
    contract::ReservationDetail { reservation, utilization_history: days }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn one_entry_per_day_before_today_within_the_term() {
        let used = UsageProfile { level: Some(80), read: None };
        let h = history("r1", used, day(2026, 1, 1), day(2026, 1, 11), day(2027, 1, 1));
        assert_eq!(h.len(), 10);
        assert_eq!(h[0].date, day(2026, 1, 1));
        assert_eq!(h[9].date, day(2026, 1, 10));
        assert!(h.iter().all(|d| d.utilization_percent >= Decimal::ZERO && d.utilization_percent <= Decimal::from(100)));
        let expired = history("r1", used, day(2025, 1, 1), day(2026, 6, 1), day(2026, 1, 1));
        assert_eq!(expired.last().unwrap().date, day(2025, 12, 31));
    }

    #[test]
    fn histories_equal_the_pinned_golden_values() {
        // Known inputs, known outputs; the same table is checked in a browser by tests/browser/golden.rs.
        crate::golden::check_utilization();
    }

    fn reservation(id: &str, purchase: NaiveDate) -> contract::Reservation {
        use contract::{AppliedScopeType, ProvisioningState, Reservation};
        use quote_engine::{BillingPlan, Currency, Money, Term};
        Reservation {
            id: id.into(),
            reservation_order_id: "o".into(),
            customer_id: "c".into(),
            display_name: "vm".into(),
            sku_name: "Standard_D2s_v5".into(),
            location: "westeurope".into(),
            reserved_resource_type: "VirtualMachines".into(),
            quantity: 1,
            term: Term::P3Y,
            billing_plan: BillingPlan::Upfront,
            purchase_date: purchase,
            expiry_date: day(2026, 2, 10),
            unit_price: Money::new(Decimal::ONE_HUNDRED, Currency::new("USD").unwrap()),
            pricing_unit_price: None,
            applied_scope_type: AppliedScopeType::Shared,
            applied_scope_properties: None,
            provisioning_state: ProvisioningState::Succeeded,
            renew: false,
            utilization: aggregates(&[]),
            archived: false,
            split_properties: None,
            merge_properties: None,
            price_unknown: None,
            today_price: None,
        }
    }

    #[test]
    fn the_list_aggregates_equal_those_of_the_whole_history() {
        let reservation = reservation("r-aggregates", day(2023, 2, 10));
        let profile = UsageProfile { level: Some(70), read: None };
        // Mid-term, days into the term, and after expiry.
        for today in [day(2025, 6, 15), day(2023, 2, 14), day(2026, 5, 1)] {
            let whole = detail(reservation.clone(), profile, today).reservation.utilization;
            assert_eq!(with_aggregates(reservation.clone(), profile, today).utilization, whole, "{today}");
        }
        assert_ne!(with_aggregates(reservation.clone(), profile, day(2025, 6, 15)).utilization.last30_days, Some(Decimal::ZERO));
        assert!(with_aggregates(reservation, profile, day(2025, 6, 15)).utilization.last30_days.is_some());
    }

    #[test]
    fn an_unused_reservation_is_all_zero_and_aggregates_average_the_tail() {
        let h = history("x", UsageProfile { level: None, read: None }, day(2026, 1, 1), day(2026, 1, 4), day(2027, 1, 1));
        assert!(h.iter().all(|d| d.utilization_percent.is_zero()));
        let days: Vec<DailyUtilization> = [10, 20, 30]
            .iter()
            .enumerate()
            .map(|(i, p)| DailyUtilization { date: day(2026, 1, 1 + i as u32), utilization_percent: Decimal::from(*p) })
            .collect();
        let a = aggregates(&days);
        assert_eq!(a.last1_day, Some(Decimal::from(30)));
        assert_eq!(a.last7_days, Some(Decimal::from(20)));
        assert_eq!(aggregates(&[]).last30_days, Some(Decimal::ZERO));
    }

    #[test]
    fn averages_azure_did_not_report_stay_unknown_and_draw_no_days() {
        let read = UtilizationAggregates { last1_day: None, last7_days: Some(Decimal::from(40)), last30_days: None };
        let profile = UsageProfile { level: None, read: Some(read) };
        assert!(history("azure", profile, day(2026, 1, 1), day(2026, 3, 1), day(2027, 1, 1)).is_empty(), "no day at 0 %");
        // Azure's averages are never turned into days: a reservation reported at 0 % has no day
        // above zero, and one reported at 55 % no made-up day around it.
        for percent in [0, 55] {
            let reported = UtilizationAggregates::known(Decimal::from(percent), Decimal::from(percent), Decimal::from(percent));
            let profile = UsageProfile { level: Some(percent), read: Some(reported) };
            assert!(history("azure", profile, day(2026, 1, 1), day(2026, 1, 11), day(2027, 1, 1)).is_empty(), "{percent} %");
            let r = detail(reservation("r-azure", day(2026, 1, 1)), profile, day(2026, 1, 11));
            assert_eq!(r.reservation.utilization, reported, "Azure's averages as reported");
            assert_eq!(r.has_usage(), percent > 0, "{percent} %: used only when Azure reports use");
        }
        let just_bought = detail(reservation("r-new", day(2026, 1, 1)), UsageProfile::NOT_YET_REPORTED, day(2026, 1, 11));
        assert_eq!(just_bought.reservation.utilization, UtilizationAggregates::not_reported());
        assert!(just_bought.utilization_history.is_empty() && just_bought.has_usage(), "not reported: never taken for unused");
        assert_eq!((read.last1_day, read.last7_days, read.last30_days), (None, Some(Decimal::from(40)), None));
        let json = serde_json::to_value(read).unwrap();
        assert_eq!(json, serde_json::json!({ "last7Days": "40" }), "a window not reported is absent, not 0");
    }
}
