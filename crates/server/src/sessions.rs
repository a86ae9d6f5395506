//! What refund and exchange sessions share: their expiry, and the answer a completed session
//! gives again.

use chrono::{DateTime, SecondsFormat, Utc};
use desk_service::refund::SESSION_TTL_SECONDS;
use serde::de::DeserializeOwned;
use sqlx::SqliteConnection;

use crate::error::ApiError;

/// When a session created at `now` expires: unix seconds, and RFC 3339 for the client.
pub fn expiry(now: DateTime<Utc>) -> (i64, String) {
    let expires = now.timestamp() + SESSION_TTL_SECONDS;
    let text = DateTime::from_timestamp(expires, 0).unwrap_or(now).to_rfc3339_opts(SecondsFormat::Secs, true);
    (expires, text)
}

/// The stored answer of a completed session (`sql` selects one `response` column by session
/// ID), so a repeated submission answers it and moves nothing.
pub async fn completed<T: DeserializeOwned>(
    conn: &mut SqliteConnection,
    sql: &str,
    session_id: &str,
) -> Result<Option<T>, ApiError> {
    let row: Option<(String,)> = sqlx::query_as(sql).bind(session_id).fetch_optional(conn).await?;
    row.map(|(json,)| {
        serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(format!("stored response: {e}").into()).into())
    })
    .transpose()
}
