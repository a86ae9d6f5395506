//! The reservation list (`GET /api/customers/{customerId}/reservations`) cached per customer as
//! the JSON the desk answered, safe with several server processes on one database.
//!
//! Each customer row carries `reservations_version`, a counter that triggers bump in the
//! transaction of every change of the customer's reservations, whoever makes it (migrations
//! `0009_reservations_version.sql` and `migrations-postgres/0003_reservations_version.sql`). A
//! request reads that counter (one indexed row, one round trip) and answers the cached text when
//! the counter and the day are the ones it was cached with; otherwise the desk answers as
//! always and the answer is cached under the counter read *before* the desk read the list. That
//! order makes it safe: the counter only grows, so the cached list is at least as new as the
//! counter it is filed under, and a later request that reads the same counter knows nothing
//! committed since, in any process: the list is the one cached. The day is part of the key
//! because the list's utilization figures are as of the call's day.
//!
//! Requests for one customer that wait at the same time share one read of the counter: a read
//! that *started* after a request arrived is as good for it as its own (it sees everything
//! committed before the request arrived), so a request reuses the newest such read and only
//! starts one when there is none (`Flight`). Under load that is one query per customer in flight,
//! not one per request.
//!
//! The grant and permission check is the desk's own (`Desk::authorize`, as `Desk::handle` does
//! it), made before the cache is looked at: a customer the caller is not granted is a 404.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use chrono::NaiveDate;

/// Customers whose list is kept at most; past it the cache starts again empty.
const MAX_CUSTOMERS: usize = 4096;

/// One list per customer: the newest answered.
#[derive(Debug, Default)]
pub struct ListCache {
    lists: Mutex<HashMap<String, Cached>>,
    flights: Mutex<HashMap<String, Arc<Flight>>>,
}

/// The reads of one customer's counter: how many were started, and the newest one's number and
/// answer; one at a time (`gate`).
#[derive(Debug, Default)]
struct Flight {
    started: AtomicU64,
    newest: Mutex<(u64, Option<i64>)>,
    gate: tokio::sync::Mutex<()>,
}

#[derive(Debug)]
struct Cached {
    today: NaiveDate,
    version: i64,
    body: Bytes,
}

impl ListCache {
    pub(crate) fn get(&self, customer_id: &str, today: NaiveDate, version: i64) -> Option<Bytes> {
        let lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        lists.get(customer_id).filter(|c| c.today == today && c.version == version).map(|c| c.body.clone())
    }

    /// The customer's counter as read by a query that started after this call did.
    pub(crate) async fn version(&self, store: &crate::server_store::ServerStore, customer_id: &str) -> desk::store::StoreResult<Option<i64>> {
        let flight = {
            let mut flights = self.flights.lock().unwrap_or_else(PoisonError::into_inner);
            if flights.len() >= MAX_CUSTOMERS && !flights.contains_key(customer_id) {
                flights.clear();
            }
            flights.entry(customer_id.to_owned()).or_default().clone()
        };
        let arrived = flight.started.load(Ordering::SeqCst);
        let _turn = flight.gate.lock().await;
        let (number, version) = *flight.newest.lock().unwrap_or_else(PoisonError::into_inner);
        if number > arrived {
            // Read number `number` started after this request arrived.
            return Ok(version);
        }
        let number = flight.started.fetch_add(1, Ordering::SeqCst) + 1;
        let version = store.reservations_version(customer_id).await?;
        *flight.newest.lock().unwrap_or_else(PoisonError::into_inner) = (number, version);
        Ok(version)
    }

    pub(crate) fn put(&self, customer_id: &str, today: NaiveDate, version: i64, body: Bytes) {
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        if lists.len() >= MAX_CUSTOMERS && !lists.contains_key(customer_id) {
            lists.clear();
        }
        lists.insert(customer_id.to_owned(), Cached { today, version, body });
    }
}
