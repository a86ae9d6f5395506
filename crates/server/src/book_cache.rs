//! The whole book (every customer's reservations with their usage, as the worklist and the
//! alerts read them) kept in memory per customer, safe with several server processes on one
//! database, as the reservation list's cache is (`list_cache.rs`).
//!
//! Each customer row carries `reservations_version`, a counter that triggers bump in the
//! transaction of every change of the customer's reservations, whoever makes it. A read of the
//! book reads every customer's counter first (one query of one row per customer), then reads
//! again only the reservations of the customers whose counter is not the one cached (all of them
//! in one query when many are), and files what it read under the counter read *before*. The
//! counter only grows, so what is cached is at least as new as its counter: a later read that
//! finds the same counter knows nothing was committed for that customer since, in any process.
//! Reads overlap (two users, the alerts sender): a slower read never files its older book over a
//! newer one, and a read answers from what is filed (at least as new as the counter it read), so
//! one read cannot drop or age another's customers. The desk never deletes a customer; one
//! deleted by hand stays cached until the process restarts, unused. The worklist of 500
//! customers × 20 reservations read 10,000 rows on every call; now it reads 500 counters.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use desk::store::Stored;

/// Each customer's reservations, under the counter they were read after.
#[derive(Debug, Default)]
pub struct BookCache {
    customers: Mutex<HashMap<String, Cached>>,
}

#[derive(Debug)]
struct Cached {
    version: i64,
    reservations: Arc<Vec<Stored>>,
}

impl BookCache {
    /// The customers of `versions` whose reservations are not cached under their counter.
    pub(crate) fn stale<'a>(&self, versions: &'a [(String, i64)]) -> Vec<&'a str> {
        let customers = self.customers.lock().unwrap_or_else(PoisonError::into_inner);
        versions.iter().filter(|(id, version)| customers.get(id).is_none_or(|c| c.version != *version)).map(|(id, _)| id.as_str()).collect()
    }

    /// Files `reservations` (every one of the customer's) under `version`, read before them,
    /// unless what is filed was read under a newer counter (an overlapping read that finished
    /// first).
    pub(crate) fn put(&self, customer_id: &str, version: i64, reservations: Vec<Stored>) {
        let mut customers = self.customers.lock().unwrap_or_else(PoisonError::into_inner);
        if customers.get(customer_id).is_some_and(|c| c.version > version) {
            return;
        }
        customers.insert(customer_id.to_owned(), Cached { version, reservations: Arc::new(reservations) });
    }

    /// Files a whole book read after `versions` were: each listed customer's reservations (none
    /// for a customer without any).
    pub(crate) fn put_all(&self, versions: &[(String, i64)], book: Vec<Stored>) {
        let mut by_customer: HashMap<String, Vec<Stored>> = HashMap::new();
        for stored in book {
            by_customer.entry(stored.0.customer_id.clone()).or_default().push(stored);
        }
        for (id, version) in versions {
            self.put(id, *version, by_customer.remove(id).unwrap_or_default());
        }
    }

    /// The book of the customers of `versions`, in their order, each customer's reservations as
    /// filed (under its counter or a newer one): [`BookCache::stale`] says which must be read
    /// and filed first. A customer of `versions` with nothing filed has no reservation here.
    pub(crate) fn book(&self, versions: &[(String, i64)]) -> Vec<Stored> {
        let shared: Vec<Arc<Vec<Stored>>> = {
            let customers = self.customers.lock().unwrap_or_else(PoisonError::into_inner);
            versions.iter().filter_map(|(id, _)| customers.get(id).map(|c| Arc::clone(&c.reservations))).collect()
        };
        let mut book = Vec::with_capacity(shared.iter().map(|r| r.len()).sum());
        for reservations in shared {
            book.extend(reservations.iter().cloned());
        }
        book
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(customer: &str, id: &str) -> Stored {
        let data = desk_service::seed::demo_data(chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("a day"));
        let seed = &data.reservations[0];
        let mut r = seed.reservation.clone();
        r.id = id.to_owned();
        r.customer_id = customer.to_owned();
        (r, seed.usage)
    }

    fn ids(book: &[Stored]) -> Vec<&str> {
        book.iter().map(|(r, _)| r.id.as_str()).collect()
    }

    #[test]
    fn a_customer_is_read_again_only_when_its_counter_moved_and_the_book_lists_only_the_customers_asked_for() {
        let cache = BookCache::default();
        let versions = vec![("a".to_owned(), 1), ("b".to_owned(), 4)];
        assert_eq!(cache.stale(&versions), ["a", "b"], "nothing cached");
        cache.put_all(&versions, vec![stored("b", "b1"), stored("a", "a1"), stored("a", "a2"), stored("x", "x1")]);
        assert!(cache.stale(&versions).is_empty());
        assert_eq!(ids(&cache.book(&versions)), ["a1", "a2", "b1"], "in the customers' order; one not listed left out");
        let moved = vec![("a".to_owned(), 1), ("b".to_owned(), 5), ("c".to_owned(), 0)];
        assert_eq!(cache.stale(&moved), ["b", "c"]);
        cache.put("b", 5, Vec::new());
        cache.put("c", 0, vec![stored("c", "c1")]);
        assert_eq!(ids(&cache.book(&moved)), ["a1", "a2", "c1"], "b's reservations gone with its new counter");
        let without_a = vec![("b".to_owned(), 5), ("c".to_owned(), 0)];
        assert_eq!(ids(&cache.book(&without_a)), ["c1"], "only the customers listed");
        assert!(cache.stale(&moved).is_empty(), "a read that did not list a customer leaves it filed for the reads that do");
    }

    #[test]
    fn an_older_read_finishing_last_does_not_file_its_book_over_a_newer_one() {
        let cache = BookCache::default();
        // Read A saw b at 4 and read b1; b changed (b2 added, counter 5); read B saw 5, read
        // b1 and b2 and filed them; A files last.
        cache.put("b", 5, vec![stored("b", "b1"), stored("b", "b2")]);
        cache.put("b", 4, vec![stored("b", "b1")]);
        assert_eq!(ids(&cache.book(&[("b".to_owned(), 5)])), ["b1", "b2"], "B answers what it read");
        assert_eq!(ids(&cache.book(&[("b".to_owned(), 4)])), ["b1", "b2"], "A answers the newer book, not an older one");
        assert!(cache.stale(&[("b".to_owned(), 5)]).is_empty());
    }
}
