//! Who is calling, and when: what an adapter learns from its request and its clock.

use chrono::{DateTime, NaiveDate, Utc};
use contract::User;

use crate::upstream::OnBehalf;

/// One request to the desk: the signed-in user and the instant the adapter read from its clock.
/// The desk never reads a clock itself, so a test moves time by building another `Call`.
#[derive(Clone, Debug)]
pub struct Call {
    /// The signed-in user (the adapter authenticated them).
    pub user: User,
    /// The instant of the request.
    pub now: DateTime<Utc>,
    /// In Azure mode, the user as Azure is asked on their behalf (their token); `None` in local
    /// mode and for a user without an identity-provider ID (a demo user).
    pub on_behalf: Option<OnBehalf>,
}

impl Call {
    /// A call by `user` at `now`.
    pub fn new(user: User, now: DateTime<Utc>) -> Self {
        Self { user, now, on_behalf: None }
    }

    /// The same call acting in Azure as `on_behalf`.
    pub fn acting_as(self, on_behalf: Option<OnBehalf>) -> Self {
        Self { on_behalf, ..self }
    }

    /// The UTC calendar day of the request: the engine's "today".
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }
}
