//! The tenant's mail server for notification e-mail: `/api/v1/tenant/mail`.

use crate::app::mail::{self, MailInput, MailTestInput, MailView};
use crate::app::view::ManageTenant;
use crate::auth::{Authenticated, RequestId};
use crate::error::AppError;
use crate::error::Problem;
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pinreset_core::{Detail, DetailCode, ErrorCode};

#[utoipa::path(get, path = "/api/v1/tenant/mail", tag = "tenant",
    responses((status = 200, body = MailView), (status = 403, body = Problem), (status = 404, body = Problem, description = "No mail server is set up")),
    security(("bearer" = [])))]
pub async fn show(State(state): State<AppState>, Authenticated(actor): Authenticated) -> Result<Json<MailView>, AppError> {
    mail::show(&state.view(actor).grant::<ManageTenant>()?)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::with_detail(ErrorCode::NotFound, Detail::plain(DetailCode::MailNotSetUp)))
}

/// Set up the SMTP server notification e-mail goes through (nothing is sent: `POST …/test`).
#[utoipa::path(put, path = "/api/v1/tenant/mail", tag = "tenant", request_body = MailInput,
    responses((status = 200, body = MailView), (status = 400, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn set(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    body: Result<Json<MailInput>, JsonRejection>,
) -> Result<Json<MailView>, AppError> {
    let shape = "{\"host\", \"port\", \"security\", \"from\", \"username\", \"password\", \"language\"}";
    let Json(input) = body.map_err(|e| AppError::invalid(Detail::body_shape(shape, e.body_text())))?;
    Ok(Json(mail::configure(&state.view(actor).grant::<ManageTenant>()?, input, request_id).await?))
}

#[utoipa::path(delete, path = "/api/v1/tenant/mail", tag = "tenant",
    responses((status = 204, description = "No more notification e-mail; the SMTP password is destroyed"), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn remove(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
) -> Result<StatusCode, AppError> {
    mail::remove(&state.view(actor).grant::<ManageTenant>()?, request_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Send a test message through the mail server now.
#[utoipa::path(post, path = "/api/v1/tenant/mail/test", tag = "tenant", request_body = MailTestInput,
    responses((status = 204, description = "The mail server took the message"), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem, description = "No mail server is set up"),
        (status = 502, body = Problem, description = "The mail server refused it or could not be reached; its answer is in the detail")),
    security(("bearer" = [])))]
pub async fn test(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    body: Result<Json<MailTestInput>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let Json(input) = body.map_err(|e| AppError::invalid(Detail::body_shape("{\"to\"}", e.body_text())))?;
    mail::send_test(&state.view(actor).grant::<ManageTenant>()?, input).await?;
    Ok(StatusCode::NO_CONTENT)
}
