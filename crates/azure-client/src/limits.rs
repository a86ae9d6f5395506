//! How many requests the client has in flight: at most [`Limits::in_flight`] across every
//! tenant (one bound for the whole client, whatever reads run), and at most
//! [`Limits::per_tenant`] in one tenant, since Azure Resource Manager throttles each tenant
//! (and each principal in it) on its own. A tenant that answers `429` is paused until its
//! `Retry-After` has passed and then sent one request at a time for a while, and so is a
//! tenant whose `x-ms-ratelimit-remaining-*` headers run low: the other tenants go on at full
//! speed. Microsoft Graph, which throttles per service, has a gate of its own in each tenant
//! (`graph:{tenant}`, `http.rs`). Time is the client's injected clock and sleep.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The client's bounds on requests in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Requests in flight at most, across every tenant and service.
    pub in_flight: usize,
    /// Requests in flight at most in one tenant (its token endpoint and ARM, or Partner Center
    /// and Graph for the partner's own tenant).
    pub per_tenant: usize,
}

impl Default for Limits {
    /// 128 in flight, 8 per tenant: 500 customers read in about 7 s at 100 ms a request
    /// (`docs/performance.md`), and no tenant sent more than 8 at once.
    fn default() -> Self {
        Self { in_flight: 128, per_tenant: 8 }
    }
}

/// A tenant whose remaining requests (`x-ms-ratelimit-remaining-*`) fall to this is slowed.
pub const LOW_REMAINING: u64 = 20;
/// How long a tenant stays at one request at a time after a `429` or a low remaining count.
pub const SLOW_FOR: TimeDelta = TimeDelta::seconds(30);

/// One tenant's gate: its share of requests, the single lane it is held to while slowed, and
/// until when it is paused or slowed.
struct TenantGate {
    permits: Arc<Semaphore>,
    single: Arc<Semaphore>,
    pace: Mutex<Pace>,
}

#[derive(Default)]
struct Pace {
    resume_at: Option<DateTime<Utc>>,
    slow_until: Option<DateTime<Utc>>,
}

/// The gates of one client.
pub(crate) struct Gates {
    limits: Limits,
    global: Arc<Semaphore>,
    tenants: Mutex<HashMap<String, Arc<TenantGate>>>,
    now: AtomicUsize,
    peak: AtomicUsize,
}

/// A request's place in flight: held while it is sent and answered.
pub(crate) struct InFlight<'a> {
    gates: &'a Gates,
    _permits: Vec<OwnedSemaphorePermit>,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.gates.now.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gates {
    pub(crate) fn new(limits: Limits) -> Self {
        let limits = Limits { in_flight: limits.in_flight.max(1), per_tenant: limits.per_tenant.max(1) };
        Self { limits, global: Arc::new(Semaphore::new(limits.in_flight)), tenants: Mutex::default(), now: AtomicUsize::new(0), peak: AtomicUsize::new(0) }
    }

    pub(crate) fn limits(&self) -> Limits {
        self.limits
    }

    fn gate(&self, tenant: &str) -> Arc<TenantGate> {
        let mut tenants = self.tenants.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        tenants
            .entry(tenant.to_ascii_lowercase())
            .or_insert_with(|| {
                Arc::new(TenantGate { permits: Arc::new(Semaphore::new(self.limits.per_tenant)), single: Arc::new(Semaphore::new(1)), pace: Mutex::default() })
            })
            .clone()
    }

    /// How long `tenant` is still paused at `now`, and whether it is slowed.
    fn pace(&self, tenant: &str, now: DateTime<Utc>) -> (Option<Duration>, bool) {
        let gate = self.gate(tenant);
        let pace = gate.pace.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let paused = pace.resume_at.filter(|at| *at > now).and_then(|at| (at - now).to_std().ok());
        (paused, pace.slow_until.is_some_and(|until| until > now))
    }

    /// How long `tenant` (a gate's key) is still paused at `now`, if it is.
    pub(crate) fn paused(&self, tenant: &str, now: DateTime<Utc>) -> Option<Duration> {
        self.pace(tenant, now).0
    }

    /// A place in flight for a request to `tenant`: after its pause, if it has one (waited
    /// once: the caller's sleep; not by the request that waited its own `Retry-After`,
    /// `waited`), its tenant's share, its single lane while slowed, then the client's.
    pub(crate) async fn enter(&self, tenant: &str, now: impl Fn() -> DateTime<Utc>, sleep: &crate::Sleep, waited: bool) -> InFlight<'_> {
        let (paused, _) = self.pace(tenant, now());
        if let Some(wait) = paused.filter(|_| !waited) {
            sleep(wait).await;
        }
        let gate = self.gate(tenant);
        let mut permits = Vec::with_capacity(3);
        if let Ok(p) = gate.permits.clone().acquire_owned().await {
            permits.push(p);
        }
        if self.pace(tenant, now()).1 {
            if let Ok(p) = gate.single.clone().acquire_owned().await {
                permits.push(p);
            }
        }
        if let Ok(p) = self.global.clone().acquire_owned().await {
            permits.push(p);
        }
        let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(n, Ordering::SeqCst);
        InFlight { gates: self, _permits: permits }
    }

    /// `tenant` answered `429` at `now`, asking to wait `wait`: paused until then, then slowed.
    pub(crate) fn throttled(&self, tenant: &str, now: DateTime<Utc>, wait: Duration) {
        let gate = self.gate(tenant);
        let mut pace = gate.pace.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let resume = now + TimeDelta::from_std(wait).unwrap_or(TimeDelta::zero());
        pace.resume_at = Some(pace.resume_at.map_or(resume, |at| at.max(resume)));
        pace.slow_until = Some(resume + SLOW_FOR);
    }

    /// `tenant` has `remaining` requests left (the least of its `x-ms-ratelimit-remaining-*`
    /// headers): slowed while that is low.
    pub(crate) fn remaining(&self, tenant: &str, now: DateTime<Utc>, remaining: u64) {
        if remaining <= LOW_REMAINING {
            let gate = self.gate(tenant);
            let mut pace = gate.pace.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            pace.slow_until = Some(now + SLOW_FOR);
        }
    }

    /// The most requests that were in flight at once since the client was built.
    pub(crate) fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

/// The least of the answer's `x-ms-ratelimit-remaining-*` counts (a plain number, or, for the
/// resource-specific ones, the number after the last `;`).
pub(crate) fn least_remaining(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers
        .iter()
        .filter(|(name, _)| name.as_str().starts_with("x-ms-ratelimit-remaining-"))
        .filter_map(|(_, value)| value.to_str().ok())
        .flat_map(|v| v.split(',').map(|part| part.rsplit(';').next().unwrap_or_default().trim().parse::<u64>().ok()).collect::<Vec<_>>())
        .flatten()
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_least_remaining_count_is_read_from_every_ratelimit_header() {
        let mut h = reqwest::header::HeaderMap::new();
        assert_eq!(least_remaining(&h), None);
        h.insert("x-ms-ratelimit-remaining-tenant-reads", "11999".parse().unwrap());
        h.insert("x-ms-ratelimit-remaining-subscription-reads", "250".parse().unwrap());
        h.insert("x-ms-ratelimit-remaining-resource", "Microsoft.Compute/HighCostGet3Min;107,Microsoft.Compute/HighCostGet30Min;17".parse().unwrap());
        h.insert("x-ms-request-id", "5".parse().unwrap());
        assert_eq!(least_remaining(&h), Some(17));
    }

    #[tokio::test]
    async fn a_throttled_tenant_is_paused_then_held_to_one_request_and_the_others_are_not() {
        let gates = Gates::new(Limits { in_flight: 10, per_tenant: 3 });
        let t0 = at("2026-11-26T10:00:00Z");
        let waits = Arc::new(Mutex::new(Vec::new()));
        let recorded = waits.clone();
        let sleep: crate::Sleep = Arc::new(move |d| {
            recorded.lock().unwrap().push(d);
            Box::pin(async {})
        });
        gates.throttled("Slow", t0, Duration::from_secs(30));
        let first = gates.enter("slow", || t0, &sleep, false).await;
        assert_eq!(*waits.lock().unwrap(), vec![Duration::from_secs(30)], "paused until Retry-After has passed, whatever the case of its ID");
        // Slowed: a second request to the same tenant waits for the first.
        let later = t0 + TimeDelta::seconds(31);
        let second = tokio::time::timeout(Duration::from_millis(50), gates.enter("slow", || later, &sleep, false)).await;
        assert!(second.is_err(), "one request at a time while slowed");
        // Another tenant goes on with its full share.
        let others = [gates.enter("fast", || later, &sleep, false).await, gates.enter("fast", || later, &sleep, false).await, gates.enter("fast", || later, &sleep, false).await];
        assert_eq!(gates.peak(), 4);
        drop(first);
        let second = gates.enter("slow", || later, &sleep, false).await;
        drop((second, others));
        // Once the slow spell is over, the tenant has its share again.
        let after = t0 + TimeDelta::seconds(30) + SLOW_FOR + TimeDelta::seconds(1);
        let three = [gates.enter("slow", || after, &sleep, false).await, gates.enter("slow", || after, &sleep, false).await, gates.enter("slow", || after, &sleep, false).await];
        assert_eq!(three.len(), 3);
    }

    #[tokio::test]
    async fn requests_in_flight_are_bounded_per_tenant_and_for_the_whole_client() {
        let gates = Arc::new(Gates::new(Limits { in_flight: 5, per_tenant: 2 }));
        let sleep: crate::Sleep = Arc::new(|_| Box::pin(async {}));
        let t0 = at("2026-11-26T10:00:00Z");
        let a = [gates.enter("a", || t0, &sleep, false).await, gates.enter("a", || t0, &sleep, false).await];
        assert!(tokio::time::timeout(Duration::from_millis(30), gates.enter("a", || t0, &sleep, false)).await.is_err(), "two per tenant");
        let b = [gates.enter("b", || t0, &sleep, false).await, gates.enter("b", || t0, &sleep, false).await, gates.enter("c", || t0, &sleep, false).await];
        assert!(tokio::time::timeout(Duration::from_millis(30), gates.enter("d", || t0, &sleep, false)).await.is_err(), "five in all");
        gates.remaining("e", t0, 3);
        assert!(gates.pace("e", t0).1 && !gates.pace("a", t0).1, "a low remaining count slows that tenant alone");
        drop((a, b));
        assert_eq!(gates.peak(), 5);
    }
}
