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
use pinreset_core::{ActionId, AuditEvent, Detail, DetailCode, DeviceId};
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
    /// 1..=1000, default 100.
    limit: Option<u32>,
}

fn parse_time(what: &str, s: &str) -> Result<DateTime<Utc>, AppError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        AppError::invalid(Detail::new(DetailCode::FieldNotATime, [("field", what.into()), ("value", s.chars().take(40).collect())]))
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
        limit,
    };
    Ok(Json(audit.events(&filter).await?))
}
