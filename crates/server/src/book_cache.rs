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
//! A customer no longer listed leaves the cache. The worklist of 500 customers × 20 reservations
//! read 10,000 rows on every call; now it reads 500 counters.

use std::collections::{HashMap, HashSet};
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

    /// Files `reservations` (every one of the customer's) under `version`, read before them.
    pub(crate) fn put(&self, customer_id: &str, version: i64, reservations: Vec<Stored>) {
        let mut customers = self.customers.lock().unwrap_or_else(PoisonError::into_inner);
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

    /// The book of the customers of `versions`, in their order; customers not listed are
    /// forgotten. Each customer's reservations are as cached: [`BookCache::stale`] says which
    /// must be read first.
    pub(crate) fn book(&self, versions: &[(String, i64)]) -> Vec<Stored> {
        let listed: HashSet<&str> = versions.iter().map(|(id, _)| id.as_str()).collect();
        let shared: Vec<Arc<Vec<Stored>>> = {
            let mut customers = self.customers.lock().unwrap_or_else(PoisonError::into_inner);
            customers.retain(|id, _| listed.contains(id.as_str()));
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
    fn a_customer_is_read_again_only_when_its_counter_moved_and_one_no_longer_listed_is_forgotten() {
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
        assert_eq!(ids(&cache.book(&without_a)), ["c1"]);
        assert_eq!(cache.stale(&moved), ["a"], "a customer no longer listed was forgotten");
    }
}
