//! ARM's long-running operations: a change ARM accepts with `202 Accepted` names where to ask how
//! it goes, in `Azure-AsyncOperation` (a status document: `InProgress` until `Succeeded`,
//! `Failed` or `Canceled`) or in `Location` (`202` while running, then the result). Each poll
//! waits the `Retry-After` the last answer asked for. One step ([`AzureClient::poll`]) is public
//! so that a caller can store the URL before following it and follow it again after a restart;
//! [`AzureClient::follow`] loops over it. A polling URL is followed only on ARM's own origin (a
//! token is never sent elsewhere).

use std::time::Duration;

use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::http::{retry_after, Answer};
use crate::{AzureClient, AzureError, OnBehalfOf, ARM_SCOPE};

/// Where a long-running operation is followed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Poll {
    /// The URL to GET.
    pub url: String,
    /// What it answers.
    pub kind: PollKind,
}

/// The two ways ARM names a running operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PollKind {
    /// `Azure-AsyncOperation`: a status document.
    AsyncOperation,
    /// `Location`: `202` while running, then the result.
    Location,
}

/// The first answer to a change.
#[derive(Clone, Debug)]
pub struct Started {
    /// ARM's answer (`200`/`201` done at once, `202` accepted).
    pub answer: Answer,
    /// Where to follow it when it was accepted and not done.
    pub poll: Option<Poll>,
    /// How long ARM asked to wait before the first poll.
    pub wait: Duration,
}

/// One poll's outcome.
#[derive(Clone, Debug)]
pub enum Step {
    /// Still running: ask again after `wait`.
    Running {
        /// The `Retry-After` asked for (one second when absent).
        wait: Duration,
    },
    /// Done: the final answer (the result document, or the status document when ARM gives no
    /// other).
    Succeeded(Answer),
}

#[derive(Deserialize)]
struct Status {
    #[serde(default)]
    status: String,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// The most polls [`AzureClient::follow`] makes before it gives up (the operation may still be
/// running: the caller keeps the URL and follows it again later).
pub const MOST_POLLS: usize = 120;

pub(crate) fn same_origin(link: &str, base: &str) -> bool {
    match (url::Url::parse(link), url::Url::parse(base)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

fn header(answer: &Answer, name: &str) -> Option<String> {
    answer.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

impl AzureClient {
    /// Sends a change (`method` on `url`, on ARM, with a JSON `body`) in `tenant` on behalf of
    /// `user`, and says where it is followed if ARM accepted it without finishing.
    pub async fn start(
        &self,
        user: &OnBehalfOf,
        tenant: &str,
        method: reqwest::Method,
        url: &str,
        body: &serde_json::Value,
    ) -> Result<Started, AzureError> {
        let token = self.token(user, tenant, ARM_SCOPE).await?;
        let what = format!("Azure Resource Manager in tenant {tenant}");
        let answer = self.send(tenant, &what, || self.http.request(method.clone(), url).bearer_auth(token.expose_secret()).json(body)).await?;
        let wait = retry_after(header(&answer, "retry-after").as_deref(), (self.clock)());
        let poll = if answer.status == 202 {
            let poll = match (header(&answer, "azure-asyncoperation"), header(&answer, "location")) {
                (Some(url), _) => Poll { url, kind: PollKind::AsyncOperation },
                (None, Some(url)) => Poll { url, kind: PollKind::Location },
                (None, None) => {
                    return Err(answer.unreadable("ARM's accepted change", "it names no Azure-AsyncOperation or Location"))
                }
            };
            if !same_origin(&poll.url, &self.settings.arm_url) {
                return Err(AzureError { retry_after: None, request: Box::new(answer.request.clone()), status: Some(202), code: "UnexpectedLink".into(), message: "ARM's operation URL points at another host".into() });
            }
            Some(poll)
        } else {
            None
        };
        Ok(Started { answer, poll, wait })
    }

    /// Asks once how the operation at `poll` goes. A failed or canceled operation is `Err` with
    /// ARM's error.
    pub async fn poll(&self, user: &OnBehalfOf, tenant: &str, poll: &Poll) -> Result<Step, AzureError> {
        if !same_origin(&poll.url, &self.settings.arm_url) {
            return Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "UnexpectedLink".into(), message: "the operation URL is not on ARM".into() });
        }
        let token = self.token(user, tenant, ARM_SCOPE).await?;
        let what = format!("Azure Resource Manager's operation in tenant {tenant}");
        let answer = self.send(tenant, &what, || self.http.get(&poll.url).bearer_auth(token.expose_secret())).await?;
        let wait = retry_after(header(&answer, "retry-after").as_deref(), (self.clock)());
        match poll.kind {
            PollKind::Location if answer.status == 202 => Ok(Step::Running { wait }),
            PollKind::Location => Ok(Step::Succeeded(answer)),
            PollKind::AsyncOperation => {
                let status: Status = serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable("ARM's operation status", e))?;
                match status.status.as_str() {
                    "Succeeded" => Ok(Step::Succeeded(answer)),
                    "Failed" | "Canceled" | "Cancelled" => {
                        let body = serde_json::json!({ "error": status.error.unwrap_or_default() });
                        let mut error = AzureError::from_answer(answer.status, &what, body.to_string().as_bytes()).with_request(answer.request.clone());
                        if error.code == "HttpStatus" {
                            error.code = format!("Operation{}", status.status);
                            error.message = format!("The operation ended {}", status.status.to_lowercase());
                        }
                        Err(error)
                    }
                    _ => Ok(Step::Running { wait }),
                }
            }
        }
    }

    /// Follows `poll` until the operation ends, waiting between polls, at most [`MOST_POLLS`]
    /// times (then `Err` with code `StillRunning`: the operation may yet finish).
    pub async fn follow(&self, user: &OnBehalfOf, tenant: &str, poll: &Poll, first_wait: Duration) -> Result<Answer, AzureError> {
        let mut wait = first_wait;
        for _ in 0..MOST_POLLS {
            (self.sleep)(wait.min(self.settings.longest_wait)).await;
            match self.poll(user, tenant, poll).await? {
                Step::Succeeded(answer) => return Ok(answer),
                Step::Running { wait: next } => wait = next,
            }
        }
        Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "StillRunning".into(), message: format!("Azure's operation was still running after {MOST_POLLS} polls") })
    }
}
