//! Re-enrollment requests: enrollments that named an already-enrolled device without proving
//! they are it. A tenant admin approves (the user may then enroll the device once, within 24
//! hours) or rejects them.

use crate::app::reenrollment;
use crate::app::view::{DecideReenrollments, ReadReenrollments};
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use pinreset_core::{Detail, DetailCode, Reenrollment};

#[utoipa::path(get, path = "/api/v1/reenrollments", tag = "devices",
    responses((status = 200, body = Vec<Reenrollment>), (status = 403, body = Problem)), security(("bearer" = [])))]
pub async fn list(State(state): State<AppState>, Authenticated(actor): Authenticated) -> Result<Json<Vec<Reenrollment>>, AppError> {
    Ok(Json(reenrollment::list(&state.view(actor).grant::<ReadReenrollments>()?).await?))
}

fn request_id(id: &str) -> Result<uuid::Uuid, AppError> {
    id.parse().map_err(|_| {
        AppError::invalid(Detail::new(
            DetailCode::FieldNotAnId,
            [("field", "re-enrollment request".into()), ("value", id.chars().take(40).collect())],
        ))
    })
}

#[utoipa::path(post, path = "/api/v1/reenrollments/{id}/approve", tag = "devices",
    responses((status = 200, body = Reenrollment), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
pub async fn approve(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Result<Json<Reenrollment>, AppError> {
    Ok(Json(reenrollment::decide(&state.view(actor).grant::<DecideReenrollments>()?, request_id(&id)?, true, rid).await?))
}

#[utoipa::path(post, path = "/api/v1/reenrollments/{id}/reject", tag = "devices",
    responses((status = 200, body = Reenrollment), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
pub async fn reject(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Result<Json<Reenrollment>, AppError> {
    Ok(Json(reenrollment::decide(&state.view(actor).grant::<DecideReenrollments>()?, request_id(&id)?, false, rid).await?))
}
