//! `/api/customers`: the partner's customers.

use axum::extract::{Path, Query, State};
use axum::Json;
use contract::Customer;
use serde::Deserialize;
use sqlx::SqlitePool;

use crate::error::ApiError;

/// Query string of the customer list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// Case-insensitive substring of the name or domain.
    #[serde(default)]
    search: Option<String>,
}

const SELECT: &str = "SELECT id, name, domain, \
    (SELECT COUNT(*) FROM reservations r WHERE r.customer_id = customers.id) AS reservation_count FROM customers";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    domain: String,
    reservation_count: i64,
}

impl From<Row> for Customer {
    fn from(row: Row) -> Self {
        Customer {
            id: row.id,
            name: row.name,
            domain: row.domain,
            reservation_count: u32::try_from(row.reservation_count).unwrap_or(u32::MAX),
        }
    }
}

/// `GET /api/customers?search=`: customers sorted by name.
pub async fn list(State(db): State<SqlitePool>, Query(query): Query<ListQuery>) -> Result<Json<Vec<Customer>>, ApiError> {
    let pattern = format!("%{}%", query.search.unwrap_or_default().trim());
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE name LIKE ?1 OR domain LIKE ?1 ORDER BY name"))
        .bind(pattern)
        .fetch_all(&db)
        .await?;
    Ok(Json(rows.into_iter().map(Customer::from).collect()))
}

/// `GET /api/customers/{customerId}`.
pub async fn get(State(db): State<SqlitePool>, Path(id): Path<String>) -> Result<Json<Customer>, ApiError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE id = ?1")).bind(&id).fetch_optional(&db).await?;
    row.map(|row| Json(row.into()))
        .ok_or_else(|| ApiError::NotFound(format!("No customer has the ID '{id}'.")))
}
