//! The per-device command history: every command the server sends an Apple device and every
//! answer it gets, as audit events of the device (`command_sent`, `command_result`). Only the
//! request type and status are written — never a command's secrets (UnlockToken, PIN). Idle
//! requests with nothing to send write nothing. Appended through the group commit
//! (`app/batched_writes.rs`): committed before the device gets its answer, shared with the other
//! devices' writes of the moment.

use crate::error::AppError;
use crate::state::AppState;
use pinreset_apple::command::Command;
use pinreset_apple::{CommandResult, ResultStatus};
use pinreset_core::{ActionId, AuditKind, Device, NewAuditEvent};

/// The request type a command UUID of ours stands for (`<action id>.<step>`, `inventory.<nonce>`).
fn request_type_of(uuid: &str) -> Option<&'static str> {
    Some(match uuid.split_once('.')?.1 {
        "clear" => "ClearPasscode",
        "verify" => "SecurityInfo",
        "lock" => "DeviceLock",
        "erase" => "EraseDevice",
        "remove" => "RemoveProfile",
        _ if uuid.starts_with("inventory.") => "DeviceInformation",
        _ => return None,
    })
}

fn event(state: &AppState, device: &Device, kind: AuditKind, actor: String, uuid: &str, outcome: String) -> NewAuditEvent {
    let action = uuid.split_once('.').and_then(|(a, _)| a.parse::<ActionId>().ok());
    crate::app::audit::for_device(state.clock.now(), device, actor, kind, action, outcome)
}

/// What a refusing device said: its ErrorChain (`domain code: description; …`), else the status.
pub fn error_text(r: &CommandResult) -> String {
    let chain: Vec<String> =
        r.error_chain.iter().map(|e| format!("{} {}: {}", e.domain, e.code, e.description.as_deref().unwrap_or(""))).collect();
    // Written by the device: bounded and cleaned before it reaches an action or the audit.
    pinreset_core::text::bounded_device_text(&if chain.is_empty() { format!("{:?}", r.status) } else { chain.join("; ") })
}

pub async fn sent(state: &AppState, device: &Device, cmd: &Command) -> Result<(), AppError> {
    let e = event(state, device, AuditKind::CommandSent, "system:apple-connect".into(), &cmd.uuid, cmd.request.request_type().into());
    state.writes.append_audit(vec![e]).await
}

/// A device's answer to one of our commands (answers to other servers' commands are not ours to
/// log), queued at once: the write the answer causes (the action's transition) commits with it
/// or after it, so the device's request waits for one commit, not two. Await it before
/// answering the device.
pub fn answered(state: &AppState, device: &Device, r: &CommandResult) -> impl std::future::Future<Output = Result<(), AppError>> + Send {
    let event = answer_event(state, device, r);
    let queued = event.map(|e| state.writes.queue_audit(vec![e]));
    async move {
        match queued {
            Some(committed) => committed.await,
            None => Ok(()),
        }
    }
}

fn answer_event(state: &AppState, device: &Device, r: &CommandResult) -> Option<NewAuditEvent> {
    let uuid = r.command_uuid.as_deref()?;
    let request_type = request_type_of(uuid)?;
    let mut outcome = format!("{request_type}: {}", r.status.as_str());
    if matches!(r.status, ResultStatus::Error | ResultStatus::CommandFormatError) && !r.error_chain.is_empty() {
        outcome.push_str(&format!(" ({})", error_text(r)));
    }
    Some(event(state, device, AuditKind::CommandResult, format!("device:{}", device.id), uuid, outcome))
}
