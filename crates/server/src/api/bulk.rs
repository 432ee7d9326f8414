//! Bulk actions over the API: start one, follow its progress, cancel it.

use super::devices::parse_id;
use super::extract::ApiPath;
use crate::app::bulk::{self, BulkInput, BulkView};
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pinreset_core::Detail;

#[utoipa::path(post, path = "/api/v1/actions/bulk", tag = "actions", request_body = BulkInput,
    responses((status = 202, body = BulkView, description = "Started: devices are handled in the background; follow the job"),
              (status = 400, body = Problem), (status = 403, body = Problem, description = "The role may not take this action"),
              (status = 404, body = Problem, description = "No such group")),
    security(("bearer" = [])))]
pub async fn start(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    body: Result<Json<BulkInput>, JsonRejection>,
) -> Result<(StatusCode, Json<BulkView>), AppError> {
    let expected = "{\"action\", and one of \"device_ids\", \"group_id\", \"filter\"}";
    let Json(input) = body.map_err(|e| AppError::invalid(Detail::body_shape(expected, e.body_text())))?;
    let view = state.view(actor);
    Ok((StatusCode::ACCEPTED, Json(bulk::start(&view, &state, input, rid).await?)))
}

#[utoipa::path(get, path = "/api/v1/actions/bulk/{id}", tag = "actions",
    params(("id" = String, Path, description = "Bulk job id")),
    responses((status = 200, body = BulkView), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<BulkView>, AppError> {
    let id = parse_id::<uuid::Uuid>("bulk job", &id)?;
    Ok(Json(bulk::show(&state.view(actor), &state, id).await?))
}

#[utoipa::path(post, path = "/api/v1/actions/bulk/{id}/cancel", tag = "actions",
    params(("id" = String, Path, description = "Bulk job id")),
    responses((status = 200, body = BulkView, description = "Cancelled: no more devices are handled and actions no device has received are cancelled"),
              (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<BulkView>, AppError> {
    let id = parse_id::<uuid::Uuid>("bulk job", &id)?;
    Ok(Json(bulk::cancel(&state.view(actor), &state, id).await?))
}
