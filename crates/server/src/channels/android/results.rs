//! POST /android/v1/commands/{id}/result: the agent's real outcome of one command. Only a
//! `success` from the device the command was handed to makes the action succeed; a failure
//! fails it with the catalogue reason for the agent's code. An answer for another device's
//! command, for a command not handed out yet, or for one already finished (a replay, or an
//! answer arriving after another) changes nothing.

use super::wire::{FailureCode, ResultRequest, ResultStatus};
use super::{command_log, identity, reply};
use crate::app::device_results::{self, DeviceOutcome};
use crate::error::AppError;
use crate::peer_cert::PeerCertificate;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use pinreset_core::{ActionId, ActionKind, ActionState, Cause, Device, ErrorCode, RemoteAction, ResetTokenState};
use pinreset_store::{SecretKey, SecretLookup, StoreError};

fn not_pending() -> Response {
    reply::refuse(StatusCode::CONFLICT, "not_pending", "The command has already finished; this answer changes nothing.")
}

/// The catalogue reason for an agent's failure code.
pub fn catalogue_code(kind: ActionKind, code: FailureCode) -> ErrorCode {
    match (kind, code) {
        (ActionKind::ResetPasscode, FailureCode::TokenInactive) => ErrorCode::AndroidNoResetToken,
        (ActionKind::ResetPasscode, FailureCode::PasswordRejectedByPolicy) => ErrorCode::AndroidPasscodeRejected,
        (ActionKind::ResetPasscode, FailureCode::ApiLevel | FailureCode::ManagementMode) => ErrorCode::AndroidUnsupportedMode,
        _ => ErrorCode::DeviceRejected,
    }
}

fn code_str(code: FailureCode) -> &'static str {
    match code {
        FailureCode::TokenInactive => "token_inactive",
        FailureCode::PasswordRejectedByPolicy => "password_rejected_by_policy",
        FailureCode::ApiLevel => "api_level",
        FailureCode::ManagementMode => "management_mode",
        FailureCode::Unknown => "unknown",
    }
}

pub async fn result(
    State(state): State<AppState>,
    peer: Option<Extension<PeerCertificate>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Response {
    let device = match identity::device(&state, &peer, &headers).await {
        Ok(d) => d,
        Err(refusal) => return refusal,
    };
    let req: ResultRequest = match reply::decode(&headers, &body) {
        Ok(r) => r,
        Err(refusal) => return refusal.into(),
    };
    let Some(action_id) = id.ok().and_then(|Path(id)| id.parse::<ActionId>().ok()) else {
        return reply::invalid("The command id in the path is not one this server sent (a UUID).");
    };
    match (req.status, req.code) {
        (ResultStatus::Success, Some(_)) => return reply::invalid("A \"success\" carries no \"code\"."),
        (ResultStatus::Failure, None) => return reply::invalid("A \"failure\" needs a \"code\"."),
        _ => {}
    }
    // Scoped to the certificate's device: another device's command is simply not found.
    let action = match state.store.action(device.tenant_id, action_id).await {
        Ok(Some(a)) if a.device_id == device.id => a,
        Ok(_) => return reply::refuse(StatusCode::NOT_FOUND, "not_found", "This device has no such command."),
        Err(e) => return reply::internal(e),
    };
    if !action.state.is_pending() {
        return not_pending();
    }
    if action.state == ActionState::Queued {
        return reply::refuse(
            StatusCode::CONFLICT,
            "not_delivered",
            "The command was not handed to this device yet; this answer changes nothing.",
        );
    }
    let recorded = match req.code {
        None => succeed(&state, &device, &action).await,
        Some(code) => fail(&state, &device, &action, code, req.detail.as_deref()).await,
    };
    match recorded {
        Ok(done) => reply::json(StatusCode::OK, &serde_json::json!({ "state": done.state.as_str() })),
        // Another answer to the same command got there first (compare-and-set on the state).
        Err(AppError::Store(StoreError::Conflict(_))) => not_pending(),
        Err(AppError::Catalogued { code: ErrorCode::ActionNotPending, .. }) => not_pending(),
        Err(e) => reply::internal(e),
    }
}

async fn succeed(state: &AppState, device: &Device, action: &RemoteAction) -> Result<RemoteAction, AppError> {
    let (t, cause) = (device.tenant_id, Cause::Device { device_id: device.id });
    let outcome = if action.kind == ActionKind::ResetPasscode {
        // The passcode this action sent: what the device now unlocks with.
        match state.store.secret(&SecretKey::ActionPasscode(action.id), state.clock.now()).await? {
            SecretLookup::Available { secret, .. } => DeviceOutcome::TemporaryPasscode(secret),
            _ => {
                let detail = Some("the device reported success, but the passcode sent is no longer held".to_string());
                return device_results::failed(state, t, action.id, cause, ErrorCode::DeviceRejected, detail).await;
            }
        }
    } else {
        DeviceOutcome::Done
    };
    command_log::answered(state, device, action.id, format!("{}: success", action.kind.as_str())).await?;
    device_results::acknowledged_and_succeeded(state, t, action.id, cause, outcome).await
}

async fn fail(
    state: &AppState,
    device: &Device,
    action: &RemoteAction,
    code: FailureCode,
    detail: Option<&str>,
) -> Result<RemoteAction, AppError> {
    let said = match detail.map(pinreset_core::text::bounded_device_text).filter(|d| !d.is_empty()) {
        Some(d) => format!("the device answered {}: {d}", code_str(code)),
        None => format!("the device answered {}", code_str(code)),
    };
    command_log::answered(state, device, action.id, format!("{}: failure {}", action.kind.as_str(), code_str(code))).await?;
    let cause = Cause::Device { device_id: device.id };
    let failed = device_results::failed(state, device.tenant_id, action.id, cause, catalogue_code(action.kind, code), Some(said)).await?;
    // The passcode it refused never unlocks anything: not kept.
    state.store.delete_secret(&SecretKey::ActionPasscode(action.id)).await?;
    if code == FailureCode::TokenInactive && device.reset_token == ResetTokenState::Active {
        // The device's word: its token is not active (a new screen lock deactivates it).
        if let Some(mut fresh) = state.store.device(device.tenant_id, device.id).await? {
            fresh.reset_token = ResetTokenState::Inactive;
            state.store.upsert_device(&fresh).await?;
        }
    }
    Ok(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_code_has_its_reason() {
        let reset = ActionKind::ResetPasscode;
        assert_eq!(catalogue_code(reset, FailureCode::TokenInactive), ErrorCode::AndroidNoResetToken);
        assert_eq!(catalogue_code(reset, FailureCode::PasswordRejectedByPolicy), ErrorCode::AndroidPasscodeRejected);
        assert_eq!(catalogue_code(reset, FailureCode::ApiLevel), ErrorCode::AndroidUnsupportedMode);
        assert_eq!(catalogue_code(reset, FailureCode::Unknown), ErrorCode::DeviceRejected);
        assert_eq!(catalogue_code(ActionKind::RemoteLock, FailureCode::ManagementMode), ErrorCode::DeviceRejected);
    }
}
