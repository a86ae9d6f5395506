//! Daily utilization: the demo has no usage feed, so each reservation's history is a
//! deterministic function of its ID and dates — identical on the server and in the browser.

use chrono::{Days, NaiveDate};
use contract::{DailyUtilization, UtilizationAggregates};
use rust_decimal::Decimal;

use crate::hash;

/// How a reservation is used: `level` is the typical percent; `None` means never used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UsageProfile {
    /// Typical utilization, 0–100, or `None` for an unused reservation.
    pub level: Option<u8>,
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
    let last = until.min(end);
    let mut days = Vec::new();
    let mut day = purchase;
    let seed = hash::of_str(reservation_id);
    let mut i: u64 = 0;
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
    UtilizationAggregates {
        last1_day: average_of_last(days, 1),
        last7_days: average_of_last(days, 7),
        last30_days: average_of_last(days, 30),
    }
}

/// A stored reservation as the contract shows it: aggregates computed from its history.
pub fn with_aggregates(
    mut reservation: contract::Reservation,
    profile: UsageProfile,
    today: NaiveDate,
) -> contract::Reservation {
    let days = history(&reservation.id, profile, reservation.purchase_date, today, reservation.expiry_date);
    reservation.utilization = aggregates(&days);
    reservation
}

/// A stored reservation with its daily history since purchase.
pub fn detail(reservation: contract::Reservation, profile: UsageProfile, today: NaiveDate) -> contract::ReservationDetail {
    let days = history(&reservation.id, profile, reservation.purchase_date, today, reservation.expiry_date);
    let mut reservation = reservation;
    reservation.utilization = aggregates(&days);
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
        let used = UsageProfile { level: Some(80) };
        let h = history("r1", used, day(2026, 1, 1), day(2026, 1, 11), day(2027, 1, 1));
        assert_eq!(h.len(), 10);
        assert_eq!(h[0].date, day(2026, 1, 1));
        assert_eq!(h[9].date, day(2026, 1, 10));
        assert!(h.iter().all(|d| d.utilization_percent >= Decimal::ZERO && d.utilization_percent <= Decimal::from(100)));
        let expired = history("r1", used, day(2025, 1, 1), day(2026, 6, 1), day(2026, 1, 1));
        assert_eq!(expired.last().unwrap().date, day(2025, 12, 31));
    }

    #[test]
    fn the_same_reservation_has_the_same_history_everywhere() {
        let p = UsageProfile { level: Some(60) };
        let a = history("abc", p, day(2026, 1, 1), day(2026, 3, 1), day(2027, 1, 1));
        let b = history("abc", p, day(2026, 1, 1), day(2026, 3, 1), day(2027, 1, 1));
        let c = history("abd", p, day(2026, 1, 1), day(2026, 3, 1), day(2027, 1, 1));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn an_unused_reservation_is_all_zero_and_aggregates_average_the_tail() {
        let h = history("x", UsageProfile { level: None }, day(2026, 1, 1), day(2026, 1, 4), day(2027, 1, 1));
        assert!(h.iter().all(|d| d.utilization_percent.is_zero()));
        let days: Vec<DailyUtilization> = [10, 20, 30]
            .iter()
            .enumerate()
            .map(|(i, p)| DailyUtilization { date: day(2026, 1, 1 + i as u32), utilization_percent: Decimal::from(*p) })
            .collect();
        let a = aggregates(&days);
        assert_eq!(a.last1_day, Decimal::from(30));
        assert_eq!(a.last7_days, Decimal::from(20));
        assert_eq!(aggregates(&[]).last30_days, Decimal::ZERO);
    }
}
