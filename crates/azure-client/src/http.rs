//! One request to Azure: sent again after a `429` or `503` once its `Retry-After` has passed
//! (seconds, or an HTTP date read by the injected clock), within the client's limits. Each
//! call carries an ID of the desk's own (the same on every retry): ARM's
//! `x-ms-client-request-id`, Partner Center's `MS-RequestId` and `MS-CorrelationId`, Microsoft
//! Graph's `client-request-id`; Azure's own IDs are read back from the answer (Graph's
//! `request-id` header, else its error's `innerError`), so that a failed call can be traced by
//! Microsoft.
//!
//! Microsoft Graph throttles per service, not with ARM's per-tenant limits: its calls wait at a
//! gate of their own per tenant (`graph:{tenant}`), so a Graph `429` pauses neither ARM nor
//! Partner Center there. A call someone is waiting on ([`Service::GraphAtOnce`]: Access
//! control's people picker and names) is not sent again: a `429` is the answer at once, with its
//! `Retry-After`, and while Graph's pause lasts such a call is answered so without asking.
use crate::error::AzureRequestIds;

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::{AzureClient, AzureError};

/// A successful answer: its status, headers and body.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The headers (`Location`, `Azure-AsyncOperation`, `Retry-After` for a `202`).
    pub headers: reqwest::header::HeaderMap,
    /// The body.
    pub body: Vec<u8>,
    /// The call's IDs: the desk's and Azure's.
    pub request: AzureRequestIds,
}

impl Answer {
    /// An answer that is not what Microsoft documents, `what` naming it.
    pub(crate) fn unreadable(&self, what: &str, err: impl std::fmt::Display) -> AzureError {
        AzureError::unreadable(self.status, what, err).with_request(self.request.clone())
    }
}

/// The first of `names` the answer carries.
fn header(headers: &reqwest::header::HeaderMap, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned))
}

/// Where a call goes, as far as sending it goes: the gate it waits at, the request-ID headers
/// it sends and reads, and whether a throttled answer is waited out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Service {
    /// ARM, the token endpoint, Partner Center: the tenant's gate (ARM throttles each tenant).
    Azure,
    /// Microsoft Graph: its own gate per tenant; a `429` waited out as any other.
    Graph,
    /// Microsoft Graph for someone waiting on the answer: a `429` is the answer at once.
    GraphAtOnce,
}

impl Service {
    /// The key of the gate a call to `tenant` waits at.
    pub(crate) fn gate(self, tenant: &str) -> String {
        match self {
            Self::Azure => tenant.to_owned(),
            Self::Graph | Self::GraphAtOnce => format!("graph:{tenant}"),
        }
    }

    fn is_graph(self) -> bool {
        self != Self::Azure
    }
}

/// The call's IDs: `sent` (the desk's) and those Azure answered with (Graph's `request-id`
/// first for a call to Graph).
pub(crate) fn request_ids(service: Service, sent: &str, headers: &reqwest::header::HeaderMap) -> AzureRequestIds {
    let request_id = if service.is_graph() { header(headers, &["request-id", "x-ms-request-id"]) } else { header(headers, &["x-ms-request-id", "ms-requestid"]) };
    AzureRequestIds {
        client_request_id: Some(sent.to_owned()),
        request_id,
        correlation_id: header(headers, &["x-ms-correlation-request-id", "ms-correlationid"]),
    }
}

/// Graph's request ID in an error body (`error.innerError["request-id"]`), for an answer that
/// carried no `request-id` header.
pub(crate) fn inner_request_id(body: &[u8]) -> Option<String> {
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    let inner = json.get("error")?;
    let inner = inner.get("innerError").or_else(|| inner.get("innererror"))?;
    inner.get("request-id").and_then(serde_json::Value::as_str).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// Whole seconds of `wait`, rounded up (a `Retry-After` of 0.4 s is "1 s", never "0 s").
fn seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// How long `Retry-After` asks to wait at `now`: delta-seconds or an HTTP date (RFC 9110
/// §10.2.3); absent or unreadable, one second.
pub(crate) fn retry_after(value: Option<&str>, now: DateTime<Utc>) -> Duration {
    let Some(value) = value.map(str::trim) else { return Duration::from_secs(1) };
    if let Ok(seconds) = value.parse::<u64>() {
        return Duration::from_secs(seconds);
    }
    match DateTime::parse_from_rfc2822(value) {
        Ok(at) => (at.with_timezone(&Utc) - now).to_std().unwrap_or(Duration::ZERO),
        Err(_) => Duration::from_secs(1),
    }
}

impl AzureClient {
    /// Sends what `build` makes (built again for each try) to a service of `tenant`, within
    /// the client's bounds on requests in flight (`limits.rs`), waiting out throttling.
    pub(crate) async fn send(&self, tenant: &str, what: &str, build: impl Fn() -> reqwest::RequestBuilder) -> Result<Answer, AzureError> {
        // One ID for the call, whichever service it goes to (each reads its own header).
        self.send_as(tenant, what, uuid::Uuid::new_v4().to_string(), build).await
    }

    /// [`send`](Self::send) to Microsoft Graph (`service`: [`Service::Graph`] or
    /// [`Service::GraphAtOnce`]), at Graph's gate of `tenant`.
    pub(crate) async fn send_graph(&self, service: Service, tenant: &str, what: &str, build: impl Fn() -> reqwest::RequestBuilder) -> Result<Answer, AzureError> {
        self.send_to(service, tenant, what, uuid::Uuid::new_v4().to_string(), build).await
    }

    /// [`send`](Self::send) with the call's ID given: the caller keeps it (Partner Center takes
    /// `MS-RequestId` for idempotency, so a call asked again later carries the same one).
    /// A throttled try pauses its tenant until `Retry-After` has passed (every other request to
    /// that tenant waits for it too) and slows it; its place in flight is given up while it
    /// waits.
    pub(crate) async fn send_as(&self, tenant: &str, what: &str, sent: String, build: impl Fn() -> reqwest::RequestBuilder) -> Result<Answer, AzureError> {
        self.send_to(Service::Azure, tenant, what, sent, build).await
    }

    /// [`send_as`](Self::send_as) to `service`.
    async fn send_to(&self, service: Service, tenant: &str, what: &str, sent: String, build: impl Fn() -> reqwest::RequestBuilder) -> Result<Answer, AzureError> {
        let gate = service.gate(tenant);
        let mut tries = 0;
        let unanswered = || AzureRequestIds { client_request_id: Some(sent.clone()), ..AzureRequestIds::default() };
        loop {
            if service == Service::GraphAtOnce {
                // Graph asked this tenant to wait: said at once, Graph not asked meanwhile.
                if let Some(wait) = self.gates.paused(&gate, (self.clock)()) {
                    let n = seconds(wait);
                    let mut error = AzureError::new("Throttled", format!("{what} is busy: Microsoft Graph asked to wait (Retry-After: {n} s)")).with_request(unanswered());
                    error.retry_after = Some(n);
                    return Err(error);
                }
            }
            let in_flight = self.gates.enter(&gate, || (self.clock)(), &self.sleep, tries > 0).await;
            let mut request = build().header("x-ms-client-request-id", &sent).header("MS-RequestId", &sent).header("MS-CorrelationId", &sent);
            if service.is_graph() {
                request = request.header("client-request-id", &sent);
            }
            let response = request.send().await.map_err(|e| AzureError::transport(what, &e).with_request(unanswered()))?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let mut ids = request_ids(service, &sent, &headers);
            let now = (self.clock)();
            let wait = retry_after(response.headers().get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()), now);
            if let Some(remaining) = crate::limits::least_remaining(&headers) {
                self.gates.remaining(&gate, now, remaining);
            }
            let body = response.bytes().await.map_err(|e| AzureError::transport(what, &e).with_request(ids.clone()))?.to_vec();
            drop(in_flight);
            if (200..300).contains(&status) {
                return Ok(Answer { status, headers, body, request: ids });
            }
            let throttled = status == 429 || status == 503;
            let waits_out = service != Service::GraphAtOnce && tries < self.settings.retries && wait <= self.settings.longest_wait;
            if throttled && waits_out {
                tries += 1;
                self.gates.throttled(&gate, now, wait);
                (self.sleep)(wait).await;
                continue;
            }
            if throttled && service == Service::GraphAtOnce {
                // Not waited here; Graph's other calls in the tenant wait it out.
                self.gates.throttled(&gate, now, wait);
            }
            if service.is_graph() && ids.request_id.is_none() {
                ids.request_id = inner_request_id(&body);
            }
            let mut error = AzureError::from_answer(status, what, &body).with_request(ids);
            if throttled {
                if error.code == "HttpStatus" {
                    error.code = "Throttled".into();
                }
                error.retry_after = Some(seconds(wait));
                if service.is_graph() {
                    error.message = format!("{} (Retry-After: {} s)", error.message, seconds(wait));
                }
            }
            return Err(error);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        let now = DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(retry_after(Some("30"), now), Duration::from_secs(30));
        assert_eq!(retry_after(Some("Wed, 25 Nov 2026 10:00:07 GMT"), now), Duration::from_secs(7));
        assert_eq!(retry_after(Some("Wed, 25 Nov 2026 09:00:00 GMT"), now), Duration::ZERO, "a date passed: at once");
        assert_eq!(retry_after(None, now), Duration::from_secs(1));
        assert_eq!(retry_after(Some("soon"), now), Duration::from_secs(1));
    }

    #[test]
    fn graph_has_a_gate_of_its_own_per_tenant_and_reads_its_request_id_header_or_its_errors() {
        assert_eq!(Service::Azure.gate("t"), "t");
        assert_eq!(Service::Graph.gate("t"), "graph:t");
        assert_eq!(Service::GraphAtOnce.gate("t"), "graph:t");
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("request-id", "r-9".parse().unwrap());
        assert_eq!(request_ids(Service::Graph, "c-1", &h).request_id.as_deref(), Some("r-9"));
        assert_eq!(request_ids(Service::Azure, "c-1", &h).request_id, None, "ARM's is x-ms-request-id");
        let body = br#"{"error": {"code": "Authorization_RequestDenied", "message": "no", "innerError": {"request-id": "r-10", "date": "2026-11-26T08:00:00"}}}"#;
        assert_eq!(inner_request_id(body).as_deref(), Some("r-10"));
        assert_eq!(inner_request_id(b"<html>"), None);
        assert_eq!(seconds(Duration::from_millis(400)), 1);
        assert_eq!(seconds(Duration::from_secs(120)), 120);
    }
}
