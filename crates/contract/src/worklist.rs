//! The partner's worklist: what needs doing across every customer the user sees, one row per
//! thing to do, ranked by the money at stake (`GET /api/worklist`), and the state the team
//! sets on a row (`PATCH /api/worklist/{workItemId}`). Which rows there are, and their figures,
//! is decided in `desk_service::worklist`; this is their shape on the wire.

use chrono::NaiveDate;
use quote_engine::{Money, Term};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Why a row is on the worklist (its kind; the figures are in [`WorkCause`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum WorkReason {
    /// Bought before 1 February 2027 for a service savings plans cover, active past that day:
    /// its unlimited exchanges end then (one final exchange per unit remains).
    ExchangeRightEnds,
    /// On or after that day: units with their one final exchange left, and low utilization.
    FinalExchange,
    /// Automatic renewal on, renewing on or after that day: what it renews into cannot be
    /// exchanged.
    RenewsIntoNoExchange,
    /// A retired VM series that cannot be renewed for its term, expiring within 12 months.
    SeriesRetiring,
    /// Expiring within 60 days without automatic renewal.
    ExpiringUncovered,
    /// 30-day utilization known and below the deployment's threshold.
    Underused,
    /// Refunds in the last 12 months leave less than 10 % of the customer's USD 50,000.
    RefundLimit,
    /// The desk may soon no longer act on the customer's reservations (a GDAP relationship
    /// ending, a tenant not ready, reservations Azure's answer could not be read).
    AccessEnds,
    /// The customer's recommendations save money each year.
    SavingsOnTheTable,
}

impl WorkReason {
    /// Every reason, in the order the console lists its filter.
    pub const ALL: [WorkReason; 9] = [
        WorkReason::ExchangeRightEnds,
        WorkReason::FinalExchange,
        WorkReason::RenewsIntoNoExchange,
        WorkReason::SeriesRetiring,
        WorkReason::ExpiringUncovered,
        WorkReason::Underused,
        WorkReason::RefundLimit,
        WorkReason::AccessEnds,
        WorkReason::SavingsOnTheTable,
    ];

    /// The name on the wire and in row IDs (`exchangeRightEnds`).
    pub fn as_str(self) -> &'static str {
        match self {
            WorkReason::ExchangeRightEnds => "exchangeRightEnds",
            WorkReason::FinalExchange => "finalExchange",
            WorkReason::RenewsIntoNoExchange => "renewsIntoNoExchange",
            WorkReason::SeriesRetiring => "seriesRetiring",
            WorkReason::ExpiringUncovered => "expiringUncovered",
            WorkReason::Underused => "underused",
            WorkReason::RefundLimit => "refundLimit",
            WorkReason::AccessEnds => "accessEnds",
            WorkReason::SavingsOnTheTable => "savingsOnTheTable",
        }
    }

    /// The reason named `text` (as [`WorkReason::as_str`] writes it).
    pub fn parse(text: &str) -> Option<WorkReason> {
        WorkReason::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Whether it belongs to the 1 February 2027 exchange campaign.
    pub fn is_campaign(self) -> bool {
        matches!(self, WorkReason::ExchangeRightEnds | WorkReason::FinalExchange | WorkReason::RenewsIntoNoExchange)
    }
}

/// What makes the desk's access end (a row of [`WorkReason::AccessEnds`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AccessEnding {
    /// The GDAP relationship that carries the customer's Azure rights ends without extending
    /// itself.
    #[serde(rename_all = "camelCase")]
    GdapRelationshipEnds {
        /// Its display name.
        relationship: String,
        /// Its last day (UTC).
        end_date: NaiveDate,
    },
    /// The customer's tenant is not ready for Azure mode (its last read failed, or it was never
    /// read): see the readiness page for what fixes it.
    #[serde(rename_all = "camelCase")]
    TenantNotReady {
        /// The readiness state's name (`notRead`, `neverTried`).
        state: String,
    },
    /// Reservations Azure's answer could not be read (or priced) in the last read.
    #[serde(rename_all = "camelCase")]
    ReservationsUnread {
        /// How many.
        count: u32,
    },
}

/// Why a row is on the worklist, with the figures its sentence needs (the console words them
/// in the user's language).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum WorkCause {
    /// See [`WorkReason::ExchangeRightEnds`].
    #[serde(rename_all = "camelCase")]
    ExchangeRightEnds {
        /// The day the restriction starts (1 February 2027).
        policy_date: NaiveDate,
        /// Days from today to that day.
        days_left: u32,
        /// The units that keep one final exchange from then on.
        units: u32,
        /// The 30-day utilization, 0–100, when Azure reported it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        utilization30: Option<Decimal>,
    },
    /// See [`WorkReason::FinalExchange`].
    #[serde(rename_all = "camelCase")]
    FinalExchange {
        /// The units with their one final exchange left.
        units: u32,
        /// The 30-day utilization, 0–100.
        utilization30: Decimal,
        /// The deployment's threshold, 0–100.
        threshold: Decimal,
    },
    /// See [`WorkReason::RenewsIntoNoExchange`].
    #[serde(rename_all = "camelCase")]
    RenewsIntoNoExchange {
        /// The day it renews (its expiry).
        renews_on: NaiveDate,
    },
    /// See [`WorkReason::SeriesRetiring`].
    #[serde(rename_all = "camelCase")]
    SeriesRetiring {
        /// The VM series, e.g. `Dv2`.
        series: String,
        /// The term that cannot be renewed.
        term: Term,
        /// The day it expires.
        expiry_date: NaiveDate,
        /// Days from today to then.
        days_left: u32,
    },
    /// See [`WorkReason::ExpiringUncovered`].
    #[serde(rename_all = "camelCase")]
    ExpiringUncovered {
        /// The day it expires.
        expiry_date: NaiveDate,
        /// Days from today to then.
        days_left: u32,
    },
    /// See [`WorkReason::Underused`].
    #[serde(rename_all = "camelCase")]
    Underused {
        /// The 30-day utilization, 0–100.
        utilization30: Decimal,
        /// The deployment's threshold, 0–100.
        threshold: Decimal,
    },
    /// See [`WorkReason::RefundLimit`].
    #[serde(rename_all = "camelCase")]
    RefundLimit {
        /// What may still be refunded (USD).
        headroom: Money,
        /// The limit (USD 50,000).
        limit: Money,
    },
    /// See [`WorkReason::AccessEnds`].
    #[serde(rename_all = "camelCase")]
    AccessEnds {
        /// What ends it.
        ending: AccessEnding,
        /// The customer's active reservations the desk could no longer act on.
        reservations: u32,
    },
    /// See [`WorkReason::SavingsOnTheTable`].
    #[serde(rename_all = "camelCase")]
    SavingsOnTheTable {
        /// How many recommendations make up the savings.
        recommendations: u32,
    },
}

/// How the money at stake was found, when it is not the plain figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum StakeNote {
    /// The desk cannot price pay-as-you-go: the figure is the reservation's yearly cost, which
    /// running on demand after expiry exceeds.
    AtLeast,
    /// Azure gave no price for the reservation: nothing is at stake that the desk can count.
    PriceUnknown,
    /// Billed in another currency with no USD figure: ranked after every row with one.
    NoUsdFigure,
}

/// The panel that does what a row asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum WorkAction {
    /// The reservation's Exchange panel.
    Exchange,
    /// The reservation's Refund panel.
    Refund,
    /// The reservation's Configuration (automatic renewal).
    Renewal,
    /// The customer's Buy panel (a replacement, or what the recommendations propose).
    Buy,
    /// The customer's Portfolio (refunds within what the limit leaves).
    Portfolio,
    /// The readiness page (the tenant, its GDAP relationship).
    Readiness,
}

/// Where the team stands on a row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum WorkState {
    /// To do (a row nobody marked, and a snoozed row past its day).
    #[default]
    Open,
    /// Out of the way until `snoozedUntil`.
    Snoozed,
    /// Done: it stays done while its cause stands, and leaves with it.
    Done,
}

impl WorkState {
    /// Every state.
    pub const ALL: [WorkState; 3] = [WorkState::Open, WorkState::Snoozed, WorkState::Done];

    /// Its name on the wire (`open`, `snoozed`, `done`).
    pub fn as_str(self) -> &'static str {
        match self {
            WorkState::Open => "open",
            WorkState::Snoozed => "snoozed",
            WorkState::Done => "done",
        }
    }

    /// The state named `text` on the wire.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// One thing to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WorkItem {
    /// Stable: the reason, the customer and what it is about ([`WorkItem::id_of`]).
    pub id: String,
    /// Why, as a kind.
    pub reason: WorkReason,
    /// Why, with its figures.
    pub cause: WorkCause,
    /// The customer.
    pub customer_id: String,
    /// The customer's name.
    pub customer_name: String,
    /// The reservation it is about, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_id: Option<String>,
    /// Its order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_order_id: Option<String>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_name: Option<String>,
    /// Its SKU and region (`Standard_D4s_v5 · westeurope`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// The money at stake, in the currency it is billed in; absent when unknown (`stakeNote`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_stake: Option<Money>,
    /// The same in USD, for ranking across currencies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_stake_usd: Option<Money>,
    /// How the money at stake was found, when it is not the plain figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stake_note: Option<StakeNote>,
    /// What the list ranks by (USD): the money at stake, weighted up to twice for a
    /// reservation losing its free exchange by how little of it was used over 30 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_usd: Option<Money>,
    /// The day by which it must be done.
    pub due: NaiveDate,
    /// The panel that does it.
    pub action: WorkAction,
    /// The console path of that panel.
    pub link: String,
    /// Where the team stands on it.
    pub state: WorkState,
    /// Until when it is snoozed (`state` `snoozed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snoozed_until: Option<NaiveDate>,
    /// Who took it (a sign-in name or a name the team uses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The team's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who set the state last, and when (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marked: Option<WorkMarked>,
}

impl WorkItem {
    /// A row's ID: `{reason}:{customerId}` for a row about the customer, and
    /// `{reason}:{customerId}:{about}` for one about a reservation (its ID) or something else of
    /// the customer's (`gdap-{relationshipId}`, `tenant`, `unread`). Stable across reads, so the
    /// team's state stays with the row.
    pub fn id_of(reason: WorkReason, customer_id: &str, about: Option<&str>) -> String {
        match about {
            Some(about) => format!("{}:{customer_id}:{about}", reason.as_str()),
            None => format!("{}:{customer_id}", reason.as_str()),
        }
    }

    /// The customer a row ID names (`None` when it is not one [`WorkItem::id_of`] writes).
    pub fn customer_of(id: &str) -> Option<&str> {
        let mut parts = id.splitn(3, ':');
        WorkReason::parse(parts.next()?)?;
        parts.next().filter(|c| !c.is_empty())
    }
}

/// Who set a row's state, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WorkMarked {
    /// Their sign-in name.
    pub by: String,
    /// When (RFC 3339, UTC).
    pub at: String,
}

/// The 1 February 2027 exchange campaign over the rows the user sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Campaign {
    /// The day exchanges become one final exchange per unit (1 February 2027).
    pub policy_date: NaiveDate,
    /// Days from today to that day (negative after it).
    pub days_left: i64,
    /// Reservations losing their free exchange ([`WorkReason::ExchangeRightEnds`] rows).
    pub reservations: u32,
    /// The customers they belong to.
    pub customers: u32,
    /// Their remaining commitment in USD (rows without a USD figure are counted apart).
    pub remaining_commitment_usd: Money,
    /// Rows whose remaining commitment has no USD figure.
    pub without_usd: u32,
    /// Per customer, most at stake first.
    pub per_customer: Vec<CampaignCustomer>,
}

/// One customer's part of the campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CampaignCustomer {
    /// The customer.
    pub customer_id: String,
    /// Its name.
    pub customer_name: String,
    /// Its reservations losing their free exchange.
    pub reservations: u32,
    /// Their remaining commitment in USD.
    pub remaining_commitment_usd: Money,
}

/// `GET /api/worklist`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Worklist {
    /// The day the rows are for.
    pub as_of: NaiveDate,
    /// The rows asked for (every row, or those of the `state` asked), most at stake first
    /// (`rankUsd`, then the due date): the page `skip` and `top` cut from them.
    pub items: Vec<WorkItem>,
    /// How many rows the page was cut from: all of them when `items` holds all.
    pub total: u32,
    /// The 2027 exchange campaign's totals.
    pub campaign: Campaign,
    /// Whether the recommendations' savings were counted: in Azure mode they are read from
    /// Azure on a customer's page, not kept, so the worklist (which never asks Azure) has none.
    pub savings_counted: bool,
}

/// `GET /api/worklist`'s query: the rows of one state, and a page of them. A console shows the
/// first hundred open rows at once and reads the rest after; the book of a large partner is
/// some 12,000 rows (10 MB of JSON).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorklistQuery {
    /// Only the rows in this state (`state`); every row when absent.
    pub state: Option<WorkState>,
    /// How many rows of the ranking to pass over first (`skip`; none when absent).
    pub skip: u32,
    /// How many rows to answer at most (`top`, 1 to [`WorklistQuery::MAX_TOP`]); all when absent.
    pub top: Option<u32>,
}

impl WorklistQuery {
    /// The largest page asked for by `top`.
    pub const MAX_TOP: u32 = 10_000;

    /// The query's pairs as a client sends them (absent parts left out).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(state) = self.state {
            pairs.push(("state", state.as_str().to_owned()));
        }
        if self.skip > 0 {
            pairs.push(("skip", self.skip.to_string()));
        }
        if let Some(top) = self.top {
            pairs.push(("top", top.to_string()));
        }
        pairs
    }

    /// The query read from `state`, `skip` and `top`, or the parameter that is wrong and why.
    pub fn parse(state: Option<&str>, skip: Option<&str>, top: Option<&str>) -> Result<Self, (&'static str, String)> {
        let state = match state {
            None => None,
            Some(text) => Some(WorkState::parse(text).ok_or_else(|| ("state", format!("state {text:?} is not a row's state: open, snoozed or done.")))?),
        };
        // Digits only: `u32`'s parser also takes a leading `+`.
        let number = |name: &'static str, text: &str| {
            Some(text)
                .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|t| t.parse::<u32>().ok())
                .ok_or_else(|| (name, format!("{name} {text:?} is not a whole number of rows.")))
        };
        let skip = skip.map(|t| number("skip", t)).transpose()?.unwrap_or(0);
        let top = top.map(|t| number("top", t)).transpose()?;
        if let Some(top) = top.filter(|t| !(1..=Self::MAX_TOP).contains(t)) {
            return Err(("top", format!("top {top} is outside 1 to {} rows.", Self::MAX_TOP)));
        }
        Ok(Self { state, skip, top })
    }

    /// Whether `state` is one of the rows asked for.
    pub fn admits(&self, state: WorkState) -> bool {
        self.state.is_none_or(|s| s == state)
    }
}

/// `PATCH /api/worklist/{workItemId}`: the team's state for a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkItemPatch {
    /// Open, snoozed or done.
    pub state: WorkState,
    /// Required when snoozed: a day after today.
    #[serde(default)]
    pub snoozed_until: Option<NaiveDate>,
    /// Who takes it (at most 200 characters); absent or empty for nobody.
    #[serde(default)]
    pub owner: Option<String>,
    /// A note (at most 2,000 characters).
    #[serde(default)]
    pub note: Option<String>,
}

/// What the desk keeps of the team's state for a row (the store's record).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkMark {
    /// The row's ID.
    pub id: String,
    /// Its customer (a user sees the marks of the customers it sees).
    pub customer_id: String,
    /// The state set.
    pub state: WorkState,
    /// Until when, when snoozed.
    pub snoozed_until: Option<NaiveDate>,
    /// Who takes it.
    pub owner: Option<String>,
    /// The note.
    pub note: Option<String>,
    /// Who set it, and when.
    pub marked: WorkMarked,
}
