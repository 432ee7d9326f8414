//! Row <-> domain mapping shared by the concern modules: times are BIGINT unix milliseconds,
//! ids TEXT uuids, aggregates a JSON document (`doc`) next to the columns queries need.

use super::db_err;
use crate::ports::{OutboxEntry, StoreError, StoreResult};
use chrono::{DateTime, TimeZone, Utc};
use pinreset_core::{AuditEvent, AuditKind, NewAuditEvent};
use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_ms(v: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(v).single().unwrap_or_default()
}

/// `($1, …, $cols), ($cols+1, …), …` for a multi-row INSERT of `rows` rows of `cols` binds, for
/// a statement whose only parameters these are. SQLite gets anonymous `?` markers instead: it
/// resolves a `$N` marker by searching the statement's list of names, so binding the 900
/// parameters of a large insert that way cost a search per parameter (a few percent of the
/// server's time under load, in `sqlite3_bind_parameter_name`).
pub(crate) fn placeholders(conn: &sqlx::AnyConnection, rows: usize, cols: usize) -> String {
    let anonymous = conn.backend_name().eq_ignore_ascii_case("sqlite");
    let marker = |n: usize| if anonymous { "?".to_string() } else { format!("${n}") };
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| marker(r * cols + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn to_doc<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("domain types serialize")
}

pub(crate) fn doc<T: serde::de::DeserializeOwned>(row: &AnyRow) -> StoreResult<T> {
    doc_in(row, "doc")
}

/// The document in column `col` (a join selects two: `doc` and another).
pub(crate) fn doc_in<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> StoreResult<T> {
    let text: String = row.try_get(col).map_err(db_err)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Backend(format!("stored document does not decode: {}", e.classify() as u8)))
}

pub(crate) fn docs<T: serde::de::DeserializeOwned>(rows: &[AnyRow]) -> StoreResult<Vec<T>> {
    rows.iter().map(doc).collect()
}

/// A stored id that no longer parses is corruption, reported without the value.
pub(crate) fn id<T: std::str::FromStr>(row: &AnyRow, col: &str) -> StoreResult<T> {
    let text: String = row.try_get(col).map_err(db_err)?;
    text.parse().map_err(|_| StoreError::Backend(format!("stored {col} is not an id")))
}

fn opt_id<T: std::str::FromStr>(row: &AnyRow, col: &str) -> StoreResult<Option<T>> {
    let text: Option<String> = row.try_get(col).map_err(db_err)?;
    text.map(|t| t.parse().map_err(|_| StoreError::Backend(format!("stored {col} is not an id")))).transpose()
}

pub(crate) fn outbox_entry(r: &AnyRow) -> StoreResult<OutboxEntry> {
    Ok(OutboxEntry {
        id: r.try_get("id").map_err(db_err)?,
        tenant_id: id(r, "tenant_id")?,
        device_id: id(r, "device_id")?,
        action_id: id(r, "action_id")?,
        created_at: from_ms(r.try_get("created_at").map_err(db_err)?),
        attempts: u32::try_from(r.try_get::<i64, _>("attempts").map_err(db_err)?).unwrap_or(u32::MAX),
        // 0 (never failed) reads as "due since it was created".
        next_attempt_at: match r.try_get::<i64, _>("next_attempt_at").map_err(db_err)? {
            0 => from_ms(r.try_get("created_at").map_err(db_err)?),
            at => from_ms(at),
        },
    })
}

pub(crate) fn audit_event(row: &AnyRow) -> StoreResult<AuditEvent> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    let opt_text = |c: &str| row.try_get::<Option<String>, _>(c).map_err(db_err);
    let kind = text("kind")?;
    Ok(AuditEvent {
        seq: row.try_get("seq").map_err(db_err)?,
        event: NewAuditEvent {
            at: from_ms(row.try_get("at").map_err(db_err)?),
            tenant_id: id(row, "tenant_id")?,
            actor: text("actor")?,
            kind: AuditKind::parse(&kind).ok_or_else(|| StoreError::Backend(format!("unknown audit kind {kind}")))?,
            device_id: opt_id(row, "device_id")?,
            action_id: opt_id(row, "action_id")?,
            action: opt_text("action")?,
            outcome: text("outcome")?,
            request_id: opt_text("request_id")?,
            origin: opt_text("origin")?,
        },
    })
}
