//! The audit log: written in the same transaction as the change it records.

use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, SecondsFormat, Utc};
use contract::{AuditEntry, User};
use serde::Deserialize;
use sqlx::SqliteConnection;

use crate::error::ApiError;
use crate::state::AppState;

/// Records `action` on `target` by `user` (inside the caller's transaction).
pub async fn record(
    conn: &mut SqliteConnection,
    now: DateTime<Utc>,
    user: &User,
    action: &str,
    target: String,
    customer_id: Option<&str>,
    change: String,
) -> Result<(), sqlx::Error> {
    let entry = AuditEntry {
        time: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        actor: user.user_principal_name.clone(),
        action: action.to_owned(),
        target,
        customer_id: customer_id.map(str::to_owned),
        change,
    };
    sqlx::query("INSERT INTO audit (at, customer_id, body) VALUES (?, ?, ?)")
        .bind(now.timestamp())
        .bind(customer_id)
        .bind(serde_json::to_string(&entry).unwrap_or_default())
        .execute(conn)
        .await?;
    Ok(())
}

/// Query of the audit log.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditQuery {
    /// Only this customer's entries.
    #[serde(default)]
    customer_id: Option<String>,
}

/// `GET /api/audit?customerId=`: newest first, at most 500.
pub async fn list(State(state): State<AppState>, Query(query): Query<AuditQuery>) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM audit WHERE ?1 IS NULL OR customer_id = ?1 ORDER BY id DESC LIMIT 500")
            .bind(query.customer_id)
            .fetch_all(&state.db)
            .await?;
    rows.iter()
        .map(|(b,)| serde_json::from_str(b).map_err(|e| sqlx::Error::Decode(e.to_string().into()).into()))
        .collect::<Result<_, ApiError>>()
        .map(Json)
}
