//! The audit trail.

use super::devices::parse_id;
use super::extract::ApiQuery;
use crate::app::view::ReadAudit;
use crate::auth::Authenticated;
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use pinreset_core::{ActionId, ActionKind, AuditEvent, AuditKind, Detail, DetailCode, DeviceId};
use pinreset_store::AuditFilter;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    device: Option<String>,
    action: Option<String>,
    /// e.g. `user:admin`, `system:expiry-worker`.
    actor: Option<String>,
    /// RFC 3339 time, inclusive.
    since: Option<String>,
    /// RFC 3339 time, exclusive.
    until: Option<String>,
    /// Event kind, e.g. `passcode_read` (every passcode reveal).
    kind: Option<String>,
    /// Action kind the event is about, e.g. `reset_passcode`.
    action_kind: Option<String>,
    /// Only events older than this sequence number (the next page: the last `seq` seen).
    before: Option<i64>,
    /// 1..=1000, default 100.
    limit: Option<u32>,
}

fn parse_time(what: &str, s: &str) -> Result<DateTime<Utc>, AppError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        AppError::invalid(Detail::new(DetailCode::FieldNotATime, [("field", what.into()), ("value", s.chars().take(40).collect())]))
    })
}

/// A value of one of the engine's string enums, or `field_unknown_value` listing the allowed ones.
pub fn parse_enum<T>(
    what: &str,
    s: &str,
    parse: fn(&str) -> Option<T>,
    allowed: impl Iterator<Item = &'static str>,
) -> Result<T, AppError> {
    parse(s).ok_or_else(|| {
        AppError::invalid(Detail::new(
            DetailCode::FieldUnknownValue,
            [("field", what.into()), ("value", s.chars().take(40).collect()), ("allowed", allowed.collect::<Vec<_>>().join(", "))],
        ))
    })
}

#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery), tag = "audit",
    responses((status = 200, body = Vec<AuditEvent>, description = "Newest first"), (status = 400, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEvent>>, AppError> {
    let view = state.view(actor);
    let audit = view.grant::<ReadAudit>()?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(AppError::invalid(Detail::out_of_range("limit", 1, 1000)));
    }
    let filter = AuditFilter {
        device_id: q.device.as_deref().map(|s| parse_id::<DeviceId>("device", s)).transpose()?,
        action_id: q.action.as_deref().map(|s| parse_id::<ActionId>("action", s)).transpose()?,
        actor: q.actor,
        since: q.since.as_deref().map(|s| parse_time("since", s)).transpose()?,
        until: q.until.as_deref().map(|s| parse_time("until", s)).transpose()?,
        kind: q.kind.as_deref().map(|s| parse_enum("kind", s, AuditKind::parse, AuditKind::ALL.iter().map(|k| k.as_str()))).transpose()?,
        action: q
            .action_kind
            .as_deref()
            .map(|s| parse_enum("action_kind", s, ActionKind::from_slug, ActionKind::ALL.iter().map(|k| k.as_str())))
            .transpose()?,
        before_seq: q.before,
        limit,
    };
    Ok(Json(audit.events(&filter).await?))
}
