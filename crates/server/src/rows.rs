//! The stored rows of both SQL stores (`sqlite/`, `postgres/`) and their encoding: contract
//! types to column values and back (amounts as decimal text, dates as `YYYY-MM-DD`, enums by
//! their wire names, JSON columns as the desk wrote them). No SQL runs here; each store reads
//! its columns back as text (PostgreSQL casts its `NUMERIC` and `DATE` columns) and decodes
//! them with these.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use contract::{AppliedScopeProperties, Customer, Reservation, Scope, UtilizationAggregates};
use desk::store::{ExchangeSession, RefundSession, StoreResult};
use desk::StoreError;
use desk_service::limit::LedgerEntry;
use desk_service::utilization::UsageProfile;
use quote_engine::{Currency, Money};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A database failure as the desk sees it (the adapter logs it; the client gets a 500).
pub(crate) fn db(e: sqlx::Error) -> StoreError {
    StoreError(e.to_string())
}

/// A JSON column read back.
pub(crate) fn decode<T: DeserializeOwned>(what: &str, json: &str) -> StoreResult<T> {
    serde_json::from_str(json).map_err(|e| StoreError::corrupt(what, e))
}

/// A value written as a JSON column.
pub(crate) fn encode<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError(e.to_string()))
}

/// A stored value that does not parse: the database was written by something else.
fn corrupt(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} '{value}' is not valid").into())
}

/// An enum's wire name (`P1Y`, `Upfront`, …), as stored.
pub fn enum_text<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn parse_enum<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| corrupt(what, text))
}

/// An enum stored by its wire name, read back.
pub(crate) fn decode_enum<T: DeserializeOwned>(what: &str, text: String) -> StoreResult<T> {
    decode(what, &serde_json::Value::String(text).to_string())
}

fn parse_json<T: DeserializeOwned>(what: &str, text: Option<&str>) -> Result<Option<T>, sqlx::Error> {
    text.map(|json| serde_json::from_str(json).map_err(|_| corrupt(what, json))).transpose()
}

/// An optional JSON column's text.
pub fn json_text<T: Serialize>(value: Option<&T>) -> Option<String> {
    value.map(|v| serde_json::to_string(v).unwrap_or_default())
}

fn parse_date(text: &str) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt("date", text))
}

pub(crate) fn parse_money(amount: &str, currency: &str) -> Result<Money, sqlx::Error> {
    let amount = Decimal::from_str(amount).map_err(|_| corrupt("amount", amount))?;
    let currency = Currency::new(currency).map_err(|_| corrupt("currency", currency))?;
    Ok(Money::new(amount, currency))
}

/// An instant stored as unix seconds.
pub(crate) fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// One `reservations` row, every column as text, integer or flag (both stores' `SELECT` lists
/// name these columns: `sqlite/`'s [`RESERVATION_COLUMNS`], `postgres/`'s with its casts).
#[derive(sqlx::FromRow)]
pub struct ReservationRow {
    id: String,
    reservation_order_id: String,
    customer_id: String,
    display_name: String,
    sku_name: String,
    location: String,
    reserved_resource_type: String,
    quantity: i64,
    term: String,
    billing_plan: String,
    purchase_date: String,
    expiry_date: String,
    unit_price: String,
    currency: String,
    pricing_unit_price_usd: Option<String>,
    applied_scope_type: String,
    applied_scope_properties: Option<String>,
    provisioning_state: String,
    renew: bool,
    usage_level: Option<i64>,
    archived: bool,
    split_properties: Option<String>,
    merge_properties: Option<String>,
    azure_utilization: Option<String>,
    price_unknown: Option<String>,
    today_price: Option<String>,
}

/// The columns of [`ReservationRow`], in order (SQLite's `SELECT` list, and both stores' `INSERT`
/// list).
pub const RESERVATION_COLUMNS: &str = "id, reservation_order_id, customer_id, display_name, sku_name, location, \
    reserved_resource_type, quantity, term, billing_plan, purchase_date, expiry_date, unit_price, currency, \
    pricing_unit_price_usd, applied_scope_type, applied_scope_properties, provisioning_state, renew, usage_level, \
    archived, split_properties, merge_properties, azure_utilization, price_unknown, today_price";

impl ReservationRow {
    /// The reservation (aggregates still zero) and its usage profile.
    pub fn into_reservation(self) -> Result<(Reservation, UsageProfile), sqlx::Error> {
        let properties = match &self.applied_scope_properties {
            Some(json) => Some(
                serde_json::from_str::<AppliedScopeProperties>(json).map_err(|_| corrupt("scope", json))?,
            ),
            None => None,
        };
        let reservation = Reservation {
            unit_price: parse_money(&self.unit_price, &self.currency)?,
            pricing_unit_price: match &self.pricing_unit_price_usd {
                Some(usd) => Some(parse_money(usd, "USD")?),
                None => None,
            },
            term: parse_enum("term", &self.term)?,
            billing_plan: parse_enum("billing plan", &self.billing_plan)?,
            purchase_date: parse_date(&self.purchase_date)?,
            expiry_date: parse_date(&self.expiry_date)?,
            applied_scope_type: parse_enum("scope type", &self.applied_scope_type)?,
            applied_scope_properties: properties,
            provisioning_state: parse_enum("provisioning state", &self.provisioning_state)?,
            quantity: u32::try_from(self.quantity).map_err(|_| corrupt("quantity", &self.quantity.to_string()))?,
            id: self.id,
            reservation_order_id: self.reservation_order_id,
            customer_id: self.customer_id,
            display_name: self.display_name,
            sku_name: self.sku_name,
            location: self.location,
            reserved_resource_type: self.reserved_resource_type,
            renew: self.renew,
            utilization: UtilizationAggregates::zero(),
            archived: self.archived,
            split_properties: parse_json("split properties", self.split_properties.as_deref())?,
            merge_properties: parse_json("merge properties", self.merge_properties.as_deref())?,
            price_unknown: parse_json("unknown price", self.price_unknown.as_deref())?,
            today_price: parse_json("today's price", self.today_price.as_deref())?,
        };
        let usage = UsageProfile {
            level: self.usage_level.and_then(|l| u8::try_from(l).ok()),
            read: parse_json("Azure's utilization", self.azure_utilization.as_deref())?,
        };
        Ok((reservation, usage))
    }
}

/// A `refund_ledger` row as text: `(customer ID, date, amount, currency, reservation ID, order ID)`.
pub(crate) type LedgerText = (String, String, String, String, String, String);

/// A ledger entry read back.
pub(crate) fn ledger_entry(
    (customer_id, date, amount, currency, reservation_id, reservation_order_id): LedgerText,
) -> StoreResult<LedgerEntry> {
    Ok(LedgerEntry {
        date: parse_date(&date).map_err(db)?,
        amount: parse_money(&amount, &currency).map_err(db)?,
        customer_id,
        reservation_id,
        reservation_order_id,
    })
}

/// A customer row: `(ID, name, domain, reservation count)`.
pub(crate) fn customer((id, name, domain, count): (String, String, String, i64)) -> Customer {
    Customer { id, name, domain, reservation_count: u32::try_from(count).unwrap_or(u32::MAX) }
}

/// A `customer_scopes` row: `(scope type, properties)`.
pub(crate) fn scope((kind, properties): (String, String)) -> StoreResult<Scope> {
    Ok(Scope { applied_scope_type: decode_enum("scope type", kind)?, applied_scope_properties: decode("scope", &properties)? })
}

/// A `refund_sessions` row but its ID: `(order ID, reservation ID, policy, quote, created, expires)`.
pub(crate) type RefundSessionRow = (String, String, String, String, i64, i64);

/// A refund session read back.
pub(crate) fn refund_session(
    session_id: &str,
    (order_id, reservation_id, policy, quote, created_at, expires_at): RefundSessionRow,
) -> StoreResult<RefundSession> {
    Ok(RefundSession {
        id: session_id.to_owned(),
        order_id,
        reservation_id,
        policy: decode_enum("policy", policy)?,
        quote: decode("quote", &quote)?,
        created_at: instant(created_at),
        expires_at: instant(expires_at),
    })
}

/// An `exchange_sessions` row but its ID: `(request, quote, offers, created, expires)`.
pub(crate) type ExchangeSessionRow = (String, String, Option<String>, i64, i64);

/// An exchange session read back.
pub(crate) fn exchange_session(
    session_id: &str,
    (request, quote, offers, created_at, expires_at): ExchangeSessionRow,
) -> StoreResult<ExchangeSession> {
    Ok(ExchangeSession {
        id: session_id.to_owned(),
        request: decode("exchange request", &request)?,
        quote: decode("exchange quote", &quote)?,
        offers: offers.map(|o| decode("exchange offers", &o)).transpose()?.unwrap_or_default(),
        created_at: instant(created_at),
        expires_at: instant(expires_at),
    })
}

/// One `savings_plans` row, every column as text (PostgreSQL's `SELECT` casts its numbers and
/// dates to text).
#[derive(sqlx::FromRow)]
pub struct SavingsPlanRow {
    id: String,
    savings_plan_order_id: String,
    customer_id: String,
    display_name: String,
    sku_name: String,
    term: String,
    billing_plan: String,
    commitment_amount: String,
    currency: String,
    commitment_grain: String,
    lifetime_commitment: String,
    applied_scope_type: String,
    applied_scope_properties: Option<String>,
    start_date: String,
    expiry_date: String,
    exchange_session_id: String,
}

/// The columns of [`SavingsPlanRow`], in order (SQLite's `SELECT` list, and both stores' `INSERT` list).
pub const SAVINGS_PLAN_COLUMNS: &str = "id, savings_plan_order_id, customer_id, display_name, sku_name, term, billing_plan, \
    commitment_amount, currency, commitment_grain, lifetime_commitment, applied_scope_type, applied_scope_properties, \
    start_date, expiry_date, exchange_session_id";

/// A savings plan read back.
pub(crate) fn savings_plan(row: SavingsPlanRow) -> StoreResult<contract::SavingsPlan> {
    let commitment = parse_money(&row.commitment_amount, &row.currency).map_err(db)?;
    Ok(contract::SavingsPlan {
        id: row.id,
        savings_plan_order_id: row.savings_plan_order_id,
        customer_id: row.customer_id,
        display_name: row.display_name,
        sku_name: row.sku_name,
        term: decode_enum("term", row.term)?,
        billing_plan: decode_enum("billing plan", row.billing_plan)?,
        commitment: contract::SavingsPlanCommitment {
            currency_code: commitment.currency,
            amount: commitment.amount,
            grain: decode_enum("commitment grain", row.commitment_grain)?,
        },
        lifetime_commitment: parse_money(&row.lifetime_commitment, &row.currency).map_err(db)?,
        applied_scope_type: decode_enum("scope type", row.applied_scope_type)?,
        applied_scope_properties: row.applied_scope_properties.map(|p| decode("scope", &p)).transpose()?,
        start_date: parse_date(&row.start_date).map_err(db)?,
        expiry_date: parse_date(&row.expiry_date).map_err(db)?,
        exchange_session_id: row.exchange_session_id,
    })
}
