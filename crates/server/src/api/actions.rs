//! One action: status, and its temporary passcode.

use super::devices::parse_id;
use super::extract::ApiPath;
use super::views::{ActionView, PasscodeView};
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use pinreset_core::ActionId;

#[utoipa::path(get, path = "/api/v1/actions/{id}", tag = "actions",
    params(("id" = String, Path, description = "Action id")),
    responses((status = 200, body = ActionView), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ActionView>, AppError> {
    let (action, _) = state.view(actor).action(parse_id::<ActionId>("action", &id)?).await?;
    Ok(Json(ActionView::new(action, state.clock.now(), false)))
}

#[utoipa::path(get, path = "/api/v1/actions/{id}/passcode", tag = "actions",
    params(("id" = String, Path, description = "Action id of a succeeded reset-passcode (or macOS lock)")),
    responses((status = 200, body = PasscodeView, description = "Audited read"),
              (status = 403, body = Problem), (status = 404, body = Problem, description = "No passcode for this action"),
              (status = 410, body = Problem, description = "Expired after 7 days and deleted")),
    security(("bearer" = [])))]
pub async fn passcode(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    ApiPath(id): ApiPath<String>,
) -> Result<impl IntoResponse, AppError> {
    let revealed = state.view(actor).read_passcode(parse_id::<ActionId>("action", &id)?, request_id).await?;
    let body = PasscodeView { passcode: revealed.passcode.expose().to_string(), expires_at: revealed.expires_at };
    // The value must not linger in shared caches or the browser's history.
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(body)))
}
