//! Reset readiness: the devices that could not have their passcode reset right now, and why.

use super::extract::ApiQuery;
use crate::app::readiness::{Readiness, DEFAULT_STALE_DAYS};
use crate::app::view::ReadAllDevices;
use crate::auth::Authenticated;
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use pinreset_core::{Detail, DeviceGroupId};
use serde::Deserialize;
use utoipa::IntoParams;

/// Longest check-in window a report may ask for (ten years).
pub const MAX_STALE_DAYS: u32 = 3650;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadinessQuery {
    /// Limit the report to one device group.
    group: Option<String>,
    /// Days without a check-in after which a device counts as unreachable; 1..=3650, default 30.
    stale_days: Option<u32>,
    /// `json` (default) or `csv` (RFC 4180, English, one row per device and reason).
    format: Option<String>,
}

/// Parse the query's group and window, shared with the admin center's page.
pub fn parse(group: Option<&str>, stale_days: Option<u32>) -> Result<(Option<DeviceGroupId>, u32), AppError> {
    let group = group.filter(|g| !g.is_empty()).map(|g| super::devices::parse_id::<DeviceGroupId>("group", g)).transpose()?;
    let days = stale_days.unwrap_or(DEFAULT_STALE_DAYS);
    if !(1..=MAX_STALE_DAYS).contains(&days) {
        return Err(AppError::invalid(Detail::out_of_range("stale_days", 1, MAX_STALE_DAYS)));
    }
    Ok((group, days))
}

/// A CSV download with its file name.
pub fn csv_download(body: String, file: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        body,
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/readiness", params(ReadinessQuery), tag = "readiness",
    responses((status = 200, body = Readiness, description = "Devices that could not be reset now, with reason and fix; `format=csv` answers text/csv"),
        (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn report(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(q): ApiQuery<ReadinessQuery>,
) -> Result<Response, AppError> {
    let view = state.view(actor);
    let devices = view.grant::<ReadAllDevices>()?;
    let (group, days) = parse(q.group.as_deref(), q.stale_days)?;
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            let args = [("field", "format".into()), ("value", other.chars().take(40).collect()), ("allowed", "json, csv".into())];
            return Err(AppError::invalid(Detail::new(pinreset_core::DetailCode::FieldUnknownValue, args)));
        }
    };
    let report = devices.readiness(group, days).await?;
    if csv {
        return Ok(csv_download(crate::export::readiness_csv(&report), "readiness.csv"));
    }
    Ok(Json(report).into_response())
}
