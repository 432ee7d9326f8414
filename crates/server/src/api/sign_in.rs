//! Sign-in lockouts, for admins: which accounts of the tenant are locked after failed
//! sign-ins (kept in this server instance's memory), and an early unlock.

use crate::app::audit;
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::sign_in::throttle::AccountKey;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use pinreset_core::{AuditKind, ErrorCode};
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
    crate::app::authz::require(&actor, pinreset_core::Permission::ReadSignInLockouts)?;
    let list = state.sign_in.throttle().lockouts(actor.tenant_id, state.clock.now());
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
    crate::app::authz::require(&actor, pinreset_core::Permission::UnlockAccounts)?;
    let now = state.clock.now();
    let key = AccountKey { tenant_id: actor.tenant_id, login };
    let throttle = state.sign_in.throttle();
    if !throttle.lockouts(actor.tenant_id, now).iter().any(|l| l.login == key.login) {
        return Err(AppError::with_detail(ErrorCode::NotFound, "That account is not locked."));
    }
    // Audited first: an unlock that cannot be recorded does not happen.
    let outcome = format!("unlocked:{}", key.login);
    let event = audit::for_tenant(now, actor.tenant_id, audit::actor_label(&actor), AuditKind::AccountUnlocked, outcome, request_id);
    state.store.append_audit(&[event]).await?;
    throttle.unlock(&key, now);
    Ok(StatusCode::NO_CONTENT)
}
