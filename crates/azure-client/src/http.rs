//! One request to Azure: sent again after a `429` or `503` once its `Retry-After` has passed
//! (seconds, or an HTTP date read by the injected clock), within the client's limits. Each
//! call carries an ID of the desk's own (the same on every retry): ARM's
//! `x-ms-client-request-id`, Partner Center's `MS-RequestId` and `MS-CorrelationId`; Azure's
//! own IDs are read back from the answer, so that a failed call can be traced by Microsoft.

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

/// The call's IDs: `sent` (the desk's) and those Azure answered with.
pub(crate) fn request_ids(sent: &str, headers: &reqwest::header::HeaderMap) -> AzureRequestIds {
    AzureRequestIds {
        client_request_id: Some(sent.to_owned()),
        request_id: header(headers, &["x-ms-request-id", "ms-requestid"]),
        correlation_id: header(headers, &["x-ms-correlation-request-id", "ms-correlationid"]),
    }
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

    /// [`send`](Self::send) with the call's ID given: the caller keeps it (Partner Center takes
    /// `MS-RequestId` for idempotency, so a call asked again later carries the same one).
    /// A throttled try pauses its tenant until `Retry-After` has passed (every other request to
    /// that tenant waits for it too) and slows it; its place in flight is given up while it
    /// waits.
    pub(crate) async fn send_as(&self, tenant: &str, what: &str, sent: String, build: impl Fn() -> reqwest::RequestBuilder) -> Result<Answer, AzureError> {
        let mut tries = 0;
        let unanswered = || AzureRequestIds { client_request_id: Some(sent.clone()), ..AzureRequestIds::default() };
        loop {
            let in_flight = self.gates.enter(tenant, || (self.clock)(), &self.sleep, tries > 0).await;
            let request = build().header("x-ms-client-request-id", &sent).header("MS-RequestId", &sent).header("MS-CorrelationId", &sent);
            let response = request.send().await.map_err(|e| AzureError::transport(what, &e).with_request(unanswered()))?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let ids = request_ids(&sent, &headers);
            let now = (self.clock)();
            let wait = retry_after(response.headers().get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()), now);
            if let Some(remaining) = crate::limits::least_remaining(&headers) {
                self.gates.remaining(tenant, now, remaining);
            }
            let body = response.bytes().await.map_err(|e| AzureError::transport(what, &e).with_request(ids.clone()))?.to_vec();
            drop(in_flight);
            if (200..300).contains(&status) {
                return Ok(Answer { status, headers, body, request: ids });
            }
            let throttled = status == 429 || status == 503;
            if throttled && tries < self.settings.retries && wait <= self.settings.longest_wait {
                tries += 1;
                self.gates.throttled(tenant, now, wait);
                (self.sleep)(wait).await;
                continue;
            }
            let mut error = AzureError::from_answer(status, what, &body).with_request(ids);
            if throttled && error.code == "HttpStatus" {
                error.code = "Throttled".into();
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
}
