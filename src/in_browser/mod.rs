//! The in-browser backend: the same HTTP contract answered inside the page, for static hosting
//! (GitHub Pages) where there is no server. It is an adapter of the same [`desk::Desk`] as the
//! server, over the memory store persisted in `localStorage` ([`storage`]), so it survives a
//! reload and [`reset`] puts the demo data back. Like the server's adapter, it reads the clock
//! ([`clock`]) and the randomness for new IDs, and passes them down.

mod clock;
mod storage;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use contract::{Problem, ProblemCode};
use desk::memory::MemoryStore;
use desk::operation::Operation;
use desk::{Call, Desk};
use desk_service::access;
use quote_engine::PolicyName;
use serde_json::Value;

use crate::split::ChunkError;

#[doc(hidden)]
pub use clock::set_clock_offset_for_tests;
pub use storage::reset;

/// This build's refund policy (`RESERVATION_DESK_REFUND_POLICY` when it was built, else
/// `azure-current`): the one that governs the refunds the in-browser desk carries out, as
/// `REFUND_POLICY` does the server's. A name that is not a preset's fails the build.
pub const REFUND_POLICY: PolicyName = match option_env!("RESERVATION_DESK_REFUND_POLICY") {
    None => PolicyName::DEFAULT,
    Some(name) if name.is_empty() => PolicyName::DEFAULT,
    Some(name) => match PolicyName::from_wire_name(name) {
        Some(policy) => policy,
        None => panic!("RESERVATION_DESK_REFUND_POLICY must be partner-center-2020 or azure-current"),
    },
};

/// This build's approval threshold (`RESERVATION_DESK_APPROVAL_THRESHOLD` when it was built, an
/// amount in USD; unset or empty: none), as `APPROVAL_THRESHOLD` is the server's. In the page
/// another demo user (signed in on the same browser) approves. A value that is not an amount
/// fails the build (build.rs), so the fallback below (USD 0.00: every refund waits, the safe
/// side) is never reached.
const APPROVAL_THRESHOLD: Option<&str> = option_env!("RESERVATION_DESK_APPROVAL_THRESHOLD");

/// The deployment's settings of this build.
fn settings() -> contract::Settings {
    let threshold = APPROVAL_THRESHOLD.map(str::trim).filter(|t| !t.is_empty()).map(|text| {
        let amount = text.parse::<rust_decimal::Decimal>().ok().filter(|a| !a.is_sign_negative()).unwrap_or_default();
        quote_engine::Money::new(amount, quote_engine::Currency::USD).round()
    });
    contract::Settings { refund_policy: REFUND_POLICY, approval_threshold: threshold, ..contract::Settings::default() }
}

/// New IDs from the browser's `Math.random` (demo data only; nothing here is a secret).
#[derive(Clone, Copy, Debug, Default)]
struct BrowserIds;

impl desk::Ids for BrowserIds {
    fn next_bits(&self) -> u128 {
        (0..4).fold(0u128, |bits, _| (bits << 32) | (js_sys::Math::random() * 4_294_967_296.0) as u128)
    }
}

/// The memory store's futures never wait: polled once, they are done.
fn now_or_never<T>(future: impl Future<Output = T>) -> Option<T> {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => Some(value),
        Poll::Pending => None,
    }
}

/// Answers `method path?query` with `body` as the server would: the JSON on success (`null`
/// for 204), the problem document on failure. For tests: the whole desk, at once.
pub fn handle(
    token: Option<&str>,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Value, Problem> {
    let text = answer_any(token, method, path, query, body)?;
    text.map_or(Ok(Value::Null), |text| {
        serde_json::from_str(&text).map_err(|e| Problem::new(ProblemCode::Internal, e.to_string(), None))
    })
}

/// The answer as the desk wrote it: JSON text (`None` for 204), which the API client reads with
/// the same `from_str` as an HTTP answer (no `Value` in between: see `desk::Reply`).
///
/// Nothing of the in-browser backend is in the page's first module, which the server's build
/// shares: the first screen's reads (who is signed in, the customer list) are answered by a
/// small module of their own (`backend_first_screen`, src/split/), every other operation by
/// [`answer_any`] in the module of the whole desk (`backend`), each fetched the first time it is
/// needed. The server's build leaves both modules out (scripts/select-backend.sh).
pub async fn answer(
    token: Option<&str>,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Result<Option<String>, Problem>, ChunkError> {
    if let Some(answer) = crate::split::backend_first_screen(token, method, path, query).await? {
        return Ok(answer);
    }
    crate::split::backend(token, method, path, query, body).await
}

/// The first screen's reads, by the small part of the desk that answers them; `None` for any
/// other request.
pub(crate) fn answer_first_screen(
    token: Option<&str>,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
) -> Option<Result<Option<String>, Problem>> {
    let (op, _) = Operation::find(method, path).ok()?;
    let (desk, call) = match open(token) {
        Ok(opened) => opened,
        Err(problem) => return Some(Err(problem)),
    };
    let pairs = pairs(query);
    let answer = desk.handle_first_screen(&call, op, &pairs);
    match now_or_never(answer) {
        Some(Some(answer)) => Some(answer.map(|reply| reply.body).map_err(|e| e.problem())),
        Some(None) => None,
        None => Some(Err(not_at_once())),
    }
}

/// The desk over the browser's storage, and the call of whoever `token` signs in, now.
fn open(token: Option<&str>) -> Result<(Desk<MemoryStore<storage::WebStorage>, BrowserIds>, Call), Problem> {
    let user = access::authenticate(token, true)?;
    let now = clock::now();
    Ok((Desk::new(MemoryStore::new(storage::WebStorage, now.date_naive()), BrowserIds, settings()), Call::new(user, now)))
}

fn pairs(query: &[(&str, &str)]) -> Vec<(String, String)> {
    query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// Any operation, by the whole desk.
pub(crate) fn answer_any(
    token: Option<&str>,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Option<String>, Problem> {
    let (desk, call) = open(token)?;
    let pairs = pairs(query);
    let answer = desk.answer(&call, method, path, &pairs, body);
    match now_or_never(answer) {
        Some(Ok(reply)) => Ok(reply.body),
        Some(Err(e)) => Err(e.problem()),
        None => Err(not_at_once()),
    }
}

fn not_at_once() -> Problem {
    Problem::new(ProblemCode::Internal, "The in-browser store did not answer at once.", None)
}
