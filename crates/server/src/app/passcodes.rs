//! Reading a temporary passcode: allowed roles only, audited every time, never after expiry.

use super::{audit, scope};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use pinreset_core::{ActionId, ActionResult, Actor, AuditKind, ErrorCode, Secret};
use pinreset_store::{SecretKey, SecretLookup};

pub struct RevealedPasscode {
    pub passcode: Secret,
    pub expires_at: DateTime<Utc>,
}

pub async fn read(state: &AppState, actor: &Actor, id: ActionId, request_id: Option<String>) -> Result<RevealedPasscode, AppError> {
    let (action, _device) = scope::visible_action(state, actor, id).await?;
    let now = state.clock.now();
    let refuse = |code: ErrorCode| {
        let event = audit::for_action(
            now,
            audit::by(actor),
            AuditKind::PasscodeReadRefused,
            &action,
            format!("refused:{}", code.code()),
            request_id.clone(),
        );
        (code, event)
    };
    let window = if actor.role.needs_fresh_authentication_to_read_passcodes() {
        Some(scope::tenant_of(state, actor).await?.settings.reauth_window_minutes)
    } else {
        None
    };
    let outcome = if !actor.role.may_read_passcode() {
        Err(refuse(ErrorCode::RoleForbidden))
    } else if let Some(Err(code)) = window.map(|w| pinreset_core::session::require_fresh_authentication(actor.authenticated_at, now, w)) {
        Err(refuse(code))
    } else if !matches!(action.result, Some(ActionResult::TemporaryPasscode { .. } | ActionResult::LockPin { .. })) {
        Err(refuse(ErrorCode::PasscodeNotAvailable))
    } else {
        match state.store.secret(&SecretKey::ActionPasscode(action.id), now).await? {
            SecretLookup::Available { secret, expires_at } => {
                Ok(RevealedPasscode { passcode: secret, expires_at: expires_at.unwrap_or(now) })
            }
            SecretLookup::Expired { .. } => Err(refuse(ErrorCode::PasscodeExpired)),
            SecretLookup::Missing => Err(refuse(ErrorCode::PasscodeNotAvailable)),
        }
    };
    match outcome {
        Ok(revealed) => {
            let event = audit::for_action(now, audit::by(actor), AuditKind::PasscodeRead, &action, "ok", request_id);
            state.store.append_audit(&[event]).await?;
            Ok(revealed)
        }
        Err((code, event)) => {
            state.store.append_audit(&[event]).await?;
            Err(AppError::code(code))
        }
    }
}
