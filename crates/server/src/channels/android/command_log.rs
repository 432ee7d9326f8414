//! The Android device's command history, as audit events of the device (`command_sent`,
//! `command_result`), served at `GET /api/v1/devices/{id}/commands` like Apple's: the command
//! type and the outcome only — never a passcode or a reset token. Escrowing or dropping the
//! reset token is recorded the same way, since it decides what the device can do.

use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{ActionId, AuditKind, Device};

async fn write(
    state: &AppState,
    device: &Device,
    kind: AuditKind,
    actor: String,
    action: Option<ActionId>,
    outcome: String,
) -> Result<(), AppError> {
    let e = crate::app::audit::for_device(state.clock.now(), device, actor, kind, action, outcome);
    Ok(state.store.append_audit(&[e]).await?)
}

pub async fn sent(state: &AppState, device: &Device, action: ActionId, command_type: &str) -> Result<(), AppError> {
    write(state, device, AuditKind::CommandSent, "system:android-agent".into(), Some(action), command_type.into()).await
}

/// `outcome` is built from our own enums and the device's bounded, cleaned detail.
pub async fn answered(state: &AppState, device: &Device, action: ActionId, outcome: String) -> Result<(), AppError> {
    write(state, device, AuditKind::CommandResult, format!("device:{}", device.id), Some(action), outcome).await
}

pub async fn token(state: &AppState, device: &Device, what: &str) -> Result<(), AppError> {
    event(state, device, format!("reset_token: {what}")).await
}

/// Something the device did that is not an answer to a command (its token, its MQTT login).
pub async fn event(state: &AppState, device: &Device, what: String) -> Result<(), AppError> {
    write(state, device, AuditKind::CommandResult, format!("device:{}", device.id), None, what).await
}
