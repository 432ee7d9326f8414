//! Settling an action from its operation, whoever saw the outcome first (a Pub/Sub
//! notification or the reconciler, on any instance): the state change is a compare-and-set, so
//! a second settler finds the action finished and only forgets the operation.

use super::outcome::{outcome, Outcome};
use crate::app::audit;
use crate::app::device_results::{self, DeviceOutcome};
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{ActionKind, AuditKind, Cause, ErrorCode, RemoteAction};
use pinreset_store::{AmapiOperation, SecretKey, SecretLookup, StoreError};
use serde_json::Value;

/// Who settles, in the audit.
pub const COMPONENT: &str = "android-management-api";

/// Whether the action is settled now (by this call or earlier).
pub async fn from_operation(state: &AppState, op: &AmapiOperation, operation: &Value) -> Result<bool, AppError> {
    let Some(action) = state.store.action(op.tenant_id, op.action_id).await? else {
        state.store.forget_amapi_operation(op.action_id).await?;
        return Ok(true);
    };
    if !action.state.is_pending() {
        state.store.forget_amapi_operation(op.action_id).await?;
        return Ok(true);
    }
    let settled = match outcome(action.kind, operation) {
        Outcome::Pending => return Ok(false),
        Outcome::Succeeded => succeed(state, &action).await,
        Outcome::Failed { code, said } => fail(state, &action, code, said).await,
    };
    match settled {
        Ok(()) => {}
        // Another settler got there first.
        Err(AppError::Store(StoreError::Conflict(_))) | Err(AppError::Catalogued { code: ErrorCode::ActionNotPending, .. }) => {}
        Err(e) => return Err(e),
    }
    state.store.forget_amapi_operation(op.action_id).await?;
    Ok(true)
}

async fn history(state: &AppState, action: &RemoteAction, outcome: String) -> Result<(), AppError> {
    let e = audit::for_action(state.clock.now(), format!("device:{}", action.device_id), AuditKind::CommandResult, action, outcome, None);
    Ok(state.store.append_audit(&[e]).await?)
}

async fn succeed(state: &AppState, action: &RemoteAction) -> Result<(), AppError> {
    let cause = Cause::Device { device_id: action.device_id };
    let result = if action.kind == ActionKind::ResetPasscode {
        // The passcode this action sent in `newPassword`: what the device now unlocks with.
        match state.store.secret(&SecretKey::ActionPasscode(action.id), state.clock.now()).await? {
            SecretLookup::Available { secret, .. } => DeviceOutcome::TemporaryPasscode(secret),
            _ => {
                let detail = Some("the command succeeded, but the passcode sent is no longer held".to_string());
                device_results::failed(state, action.tenant_id, action.id, cause, ErrorCode::DeviceRejected, detail).await?;
                return Ok(());
            }
        }
    } else {
        DeviceOutcome::Done
    };
    history(state, action, format!("{}: success", action.kind.as_str())).await?;
    device_results::acknowledged_and_succeeded(state, action.tenant_id, action.id, cause, result).await?;
    Ok(())
}

/// Failed with the catalogue's reason; a passcode the device never took is not kept.
pub async fn fail(state: &AppState, action: &RemoteAction, code: ErrorCode, said: String) -> Result<(), AppError> {
    history(state, action, format!("{}: failure {}", action.kind.as_str(), code.code())).await?;
    let cause = if code == ErrorCode::AmapiCommandGaveUp {
        Cause::System { component: COMPONENT.into() }
    } else {
        Cause::Device { device_id: action.device_id }
    };
    device_results::failed(state, action.tenant_id, action.id, cause, code, Some(said)).await?;
    state.store.delete_secret(&SecretKey::ActionPasscode(action.id)).await?;
    Ok(())
}
