//! How a customer's reservations are listed: one order for the server, the in-browser backend
//! and the table.

use std::cmp::Ordering;

use contract::Reservation;

/// Soonest expiry first; reservations expiring the same day by name.
pub fn display_order(a: &Reservation, b: &Reservation) -> Ordering {
    a.expiry_date.cmp(&b.expiry_date).then_with(|| a.display_name.cmp(&b.display_name))
}

/// Sorts `list` in [`display_order`].
pub fn sort_for_display(list: &mut [Reservation]) {
    list.sort_by(display_order);
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::seed::demo_data;

    #[test]
    fn soonest_expiry_first_then_by_name() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let mut list: Vec<Reservation> = demo_data(today).reservations.into_iter().map(|s| s.reservation).take(12).collect();
        // Two with the same expiry, names in reverse, to see the tie broken by name.
        list[1].expiry_date = list[0].expiry_date;
        list[0].display_name = "b".into();
        list[1].display_name = "a".into();
        sort_for_display(&mut list);
        assert!(list.windows(2).all(|w| (w[0].expiry_date, &w[0].display_name) <= (w[1].expiry_date, &w[1].display_name)));
        let tied: Vec<&str> = list.iter().filter(|r| r.display_name.len() == 1).map(|r| r.display_name.as_str()).collect();
        assert_eq!(tied, ["a", "b"]);
    }
}
