//! The device's command history for Windows, like Apple's: every command we send a device in a
//! session and every Status it answers, as audit events of the device (`command_sent`,
//! `command_result`), served at `GET /api/v1/devices/{id}/commands`. Only command names, their
//! target URIs and status codes are written — never a value: not the PIN a Get of NewPINValue
//! returns, nor a setting's data. Idle sessions (nothing sent, nothing answered) write nothing.

use super::sessions::{Outstanding, Purpose};
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{AuditKind, Device, NewAuditEvent};
use pinreset_windows::syncml::{ReplyIndex, SentCommand};

/// `Exec ./Vendor/MSFT/RemoteLock/Lock`, or a container with what it holds:
/// `Sequence(Exec ./Vendor/MSFT/RemoteLock/LockAndResetPIN, Get ./Vendor/MSFT/RemoteLock/NewPINValue)`.
fn describe(c: &SentCommand) -> String {
    if c.children.is_empty() {
        std::iter::once(c.name.to_string()).chain(c.targets.iter().cloned()).collect::<Vec<_>>().join(" ")
    } else {
        format!("{}({})", c.name, c.children.iter().map(describe).collect::<Vec<_>>().join(", "))
    }
}

fn event(state: &AppState, device: &Device, kind: AuditKind, actor: String, o: &Outstanding, outcome: String) -> NewAuditEvent {
    let action = match &o.purpose {
        Purpose::Action { id, .. } => Some(*id),
        Purpose::Setting { .. } => None,
    };
    crate::app::audit::for_device(state.clock.now(), device, actor, kind, action, outcome)
}

/// The commands just put on the wire, in one write.
pub async fn sent(state: &AppState, device: &Device, sent: &[Outstanding]) -> Result<(), AppError> {
    if sent.is_empty() {
        return Ok(());
    }
    let events: Vec<_> =
        sent.iter().map(|o| event(state, device, AuditKind::CommandSent, "system:windows-session".into(), o, describe(&o.sent))).collect();
    Ok(state.store.append_audit(&events).await?)
}

/// What the device answered to commands of an earlier message: each command's status code,
/// nested ones included (`Get …NewPINValue: 200 (result received)`, never the result itself).
pub async fn answered(state: &AppState, device: &Device, index: &ReplyIndex<'_>, answered: &[Outstanding]) -> Result<(), AppError> {
    let mut events = Vec::new();
    for o in answered {
        for reply in index.walk(o.msg_id, &o.sent) {
            let code = reply.status.as_ref().and_then(|s| s.code()).map_or("no status".to_string(), |c| c.to_string());
            let target = reply.targets.first().map(|t| format!(" {t}")).unwrap_or_default();
            let received = if reply.results.is_empty() { "" } else { " (result received)" };
            let outcome = format!("{}{target}: {code}{received}", reply.name);
            if reply.status.as_ref().and_then(|s| s.code()).is_some_and(|c| !(200..300).contains(&c)) {
                tracing::info!(device_id = %device.id, answer = %outcome, "the device refused a command");
            }
            events.push(event(state, device, AuditKind::CommandResult, format!("device:{}", device.id), o, outcome));
        }
    }
    if events.is_empty() {
        return Ok(());
    }
    Ok(state.store.append_audit(&events).await?)
}
