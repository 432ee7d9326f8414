//! Sign-in lockouts, for admins: which accounts of the tenant are locked after failed
//! sign-ins (kept in this server instance's memory), and an early unlock.

use crate::app::view::{ReadSignInLockouts, UnlockAccounts};
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LockoutView {
    pub login: String,
    /// Sign-ins are refused until then, even with the right password.
    pub locked_until: DateTime<Utc>,
    /// Failed sign-ins that caused the lockout, plus attempts refused during it.
    pub failures: u32,
    /// The address of the latest attempt.
    pub last_address: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/sign-in/lockouts", tag = "sign-in",
    responses((status = 200, body = Vec<LockoutView>, description = "Locked accounts of the tenant, soonest unlock first"), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn lockouts(State(state): State<AppState>, Authenticated(actor): Authenticated) -> Result<Json<Vec<LockoutView>>, AppError> {
    let list = state.view(actor).grant::<ReadSignInLockouts>()?.lockouts();
    Ok(Json(
        list.into_iter()
            .map(|l| LockoutView {
                login: l.login,
                locked_until: l.locked_until,
                failures: l.failures,
                last_address: l.last_address.map(|a| a.to_string()),
            })
            .collect(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/sign-in/lockouts/{login}", tag = "sign-in",
    params(("login" = String, Path, description = "The locked account's login")),
    responses((status = 204, description = "Unlocked (audited)"), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn unlock(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    Path(login): Path<String>,
) -> Result<StatusCode, AppError> {
    state.view(actor).grant::<UnlockAccounts>()?.unlock(login, request_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
