//! Rows to contract types and back: the only place that knows the table layout.

use std::str::FromStr;

use chrono::NaiveDate;
use contract::{AppliedScopeProperties, Reservation, UtilizationAggregates};
use desk_service::limit::LedgerEntry;
use desk_service::utilization::UsageProfile;
use quote_engine::{Currency, Money};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::{Sqlite, SqliteConnection};

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

fn parse_money(amount: &str, currency: &str) -> Result<Money, sqlx::Error> {
    let amount = Decimal::from_str(amount).map_err(|_| corrupt("amount", amount))?;
    let currency = Currency::new(currency).map_err(|_| corrupt("currency", currency))?;
    Ok(Money::new(amount, currency))
}

/// One `reservations` row.
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
}

/// The `SELECT` list matching [`ReservationRow`].
pub const RESERVATION_COLUMNS: &str = "id, reservation_order_id, customer_id, display_name, sku_name, location, \
    reserved_resource_type, quantity, term, billing_plan, purchase_date, expiry_date, unit_price, currency, \
    pricing_unit_price_usd, applied_scope_type, applied_scope_properties, provisioning_state, renew, usage_level, \
    archived, split_properties, merge_properties";

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
            utilization: UtilizationAggregates {
                last1_day: Decimal::ZERO,
                last7_days: Decimal::ZERO,
                last30_days: Decimal::ZERO,
            },
            archived: self.archived,
            split_properties: parse_json("split properties", self.split_properties.as_deref())?,
            merge_properties: parse_json("merge properties", self.merge_properties.as_deref())?,
        };
        let usage = UsageProfile { level: self.usage_level.and_then(|l| u8::try_from(l).ok()) };
        Ok((reservation, usage))
    }
}

/// Inserts a reservation (used by the seed and by exchanges); one that exists is left as it is.
pub async fn insert_reservation(
    conn: &mut SqliteConnection,
    r: &Reservation,
    usage: UsageProfile,
) -> Result<(), sqlx::Error> {
    write_reservation(conn, "INSERT OR IGNORE", r, usage).await
}

/// Writes a reservation whole: inserted, or replacing the row of the same ID.
pub async fn save_reservation(conn: &mut SqliteConnection, r: &Reservation, usage: UsageProfile) -> Result<(), sqlx::Error> {
    write_reservation(conn, "INSERT OR REPLACE", r, usage).await
}

async fn write_reservation(
    conn: &mut SqliteConnection,
    verb: &str,
    r: &Reservation,
    usage: UsageProfile,
) -> Result<(), sqlx::Error> {
    sqlx::query::<Sqlite>(&format!(
        "{verb} INTO reservations ({RESERVATION_COLUMNS}) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&r.id)
    .bind(&r.reservation_order_id)
    .bind(&r.customer_id)
    .bind(&r.display_name)
    .bind(&r.sku_name)
    .bind(&r.location)
    .bind(&r.reserved_resource_type)
    .bind(i64::from(r.quantity))
    .bind(enum_text(&r.term))
    .bind(enum_text(&r.billing_plan))
    .bind(r.purchase_date.to_string())
    .bind(r.expiry_date.to_string())
    .bind(r.unit_price.amount.to_string())
    .bind(r.unit_price.currency.code())
    .bind(r.pricing_unit_price.map(|p| p.amount.to_string()))
    .bind(enum_text(&r.applied_scope_type))
    .bind(r.applied_scope_properties.as_ref().map(|p| serde_json::to_string(p).unwrap_or_default()))
    .bind(enum_text(&r.provisioning_state))
    .bind(r.renew)
    .bind(usage.level.map(i64::from))
    .bind(r.archived)
    .bind(json_text(r.split_properties.as_ref()))
    .bind(json_text(r.merge_properties.as_ref()))
    .execute(conn)
    .await?;
    Ok(())
}

/// One `refund_ledger` row.
#[derive(sqlx::FromRow)]
struct LedgerRow {
    customer_id: String,
    date: String,
    amount: String,
    currency: String,
    reservation_id: String,
    reservation_order_id: String,
}

/// A customer's refund ledger, oldest first.
pub async fn ledger(conn: &mut SqliteConnection, customer_id: &str) -> Result<Vec<LedgerEntry>, sqlx::Error> {
    let rows: Vec<LedgerRow> = sqlx::query_as(
        "SELECT customer_id, date, amount, currency, reservation_id, reservation_order_id \
         FROM refund_ledger WHERE customer_id = ? ORDER BY date, id",
    )
    .bind(customer_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(LedgerEntry {
                date: parse_date(&row.date)?,
                amount: parse_money(&row.amount, &row.currency)?,
                customer_id: row.customer_id,
                reservation_id: row.reservation_id,
                reservation_order_id: row.reservation_order_id,
            })
        })
        .collect()
}

/// Adds an entry to a customer's ledger.
pub async fn insert_ledger_entry(conn: &mut SqliteConnection, e: &LedgerEntry) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO refund_ledger (customer_id, date, amount, currency, reservation_id, reservation_order_id) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&e.customer_id)
    .bind(e.date.to_string())
    .bind(e.amount.amount.to_string())
    .bind(e.amount.currency.code())
    .bind(&e.reservation_id)
    .bind(&e.reservation_order_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every reservation of an order.
pub async fn reservations_of_order(
    conn: &mut SqliteConnection,
    order_id: &str,
) -> Result<Vec<(Reservation, UsageProfile)>, sqlx::Error> {
    let rows: Vec<ReservationRow> =
        sqlx::query_as(&format!("SELECT {RESERVATION_COLUMNS} FROM reservations WHERE reservation_order_id = ? ORDER BY id"))
            .bind(order_id)
            .fetch_all(conn)
            .await?;
    rows.into_iter().map(ReservationRow::into_reservation).collect()
}

/// A reservation by order and ID; `None` when the pair does not belong together.
pub async fn reservation(
    conn: &mut SqliteConnection,
    order_id: &str,
    reservation_id: &str,
) -> Result<Option<(Reservation, UsageProfile)>, sqlx::Error> {
    let row: Option<ReservationRow> = sqlx::query_as(&format!(
        "SELECT {RESERVATION_COLUMNS} FROM reservations WHERE reservation_order_id = ? AND id = ?"
    ))
    .bind(order_id)
    .bind(reservation_id)
    .fetch_optional(conn)
    .await?;
    row.map(ReservationRow::into_reservation).transpose()
}
