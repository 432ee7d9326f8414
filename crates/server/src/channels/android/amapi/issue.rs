//! `enterprises.devices.issueCommand`: each queued action of a woken AMAPI device becomes one
//! command; Google answers with a long-running operation, remembered until the outcome arrives.
//! The temporary passcode goes out only here, in `newPassword` (generated once per action and
//! sealed, so a command issued again after a lost answer carries the same one).

use super::binding::Bound;
use super::google::{google, CallError};
use super::settle;
use crate::app::{audit, delivery};
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{ActionKind, AuditKind, Device, ErrorCode, RemoteAction};
use pinreset_store::AmapiOperation;
use serde_json::{json, Value};

/// Why a wake-up did not get every command out.
pub enum NotIssued {
    /// Google or the network failed for now: the outbox tries again.
    Retry(String),
}

/// The command body for an action, or why AMAPI has no command for it.
pub fn command_for(action: &RemoteAction, passcode: Option<&str>, duration_seconds: u32) -> Result<Value, &'static str> {
    let duration = format!("{duration_seconds}s");
    Ok(match action.kind {
        ActionKind::ResetPasscode => json!({
            "type": "RESET_PASSWORD",
            "newPassword": passcode.ok_or("no passcode")?,
            "resetPasswordFlags": ["REQUIRE_ENTRY", "LOCK_NOW"],
            "duration": duration,
        }),
        ActionKind::RemoteLock => json!({ "type": "LOCK", "duration": duration }),
        // WIPE is a command of its own (with an operation to follow), unlike
        // `enterprises.devices.delete`, which answers at once and only attempts a wipe.
        ActionKind::ResetDevice => json!({ "type": "WIPE", "duration": duration }),
        ActionKind::Remove => return Err("removing a device through the Android Management API also wipes it; use Wipe, or the agent"),
        ActionKind::Rename => return Err("the Android Management API cannot rename a device"),
    })
}

pub async fn issue_queued(state: &AppState, bound: &Bound, device: &Device) -> Result<(), NotIssued> {
    let actions = delivery::take_deliverable(state, device).await?;
    for action in actions {
        issue_one(state, bound, device, &action).await?;
    }
    Ok(())
}

impl From<AppError> for NotIssued {
    fn from(e: AppError) -> Self {
        NotIssued::Retry(e.to_string())
    }
}

async fn issue_one(state: &AppState, bound: &Bound, device: &Device, action: &RemoteAction) -> Result<(), NotIssued> {
    let Some(amapi_name) = device.amapi_name.as_deref() else { return Ok(()) };
    // Delivered already, with its operation remembered: a wake-up again, not a new command.
    if state.store.amapi_operation_of_action(action.id).await.map_err(AppError::from)?.is_some() {
        return Ok(());
    }
    let passcode = match action.kind {
        ActionKind::ResetPasscode => Some(crate::channels::android::commands::passcode_for(state, device, action).await?),
        _ => None,
    };
    let duration = bound.settings.command_duration_seconds;
    let body = match command_for(action, passcode.as_ref().map(|p| p.expose()), duration) {
        Ok(b) => b,
        Err(why) => {
            settle::fail(state, action, ErrorCode::ChannelCannotDeliver, why.into()).await?;
            return Ok(());
        }
    };
    let url = format!("{}:issueCommand", bound.amapi(amapi_name));
    let answer = google().call(&bound.key, reqwest::Method::POST, &url, &[], Some(&body)).await;
    drop(body);
    let operation = match answer {
        Ok(op) => op,
        Err(CallError { status, message }) if status == 0 || status == 429 || status >= 500 => {
            return Err(NotIssued::Retry(format!("issueCommand: {status} {message}")));
        }
        Err(CallError { status, message }) => {
            // Google refused this command (a device it no longer manages, a bad request): it
            // will refuse it again, so the action fails with Google's answer.
            let said = format!("issueCommand was refused: {status} {message}");
            settle::fail(state, action, ErrorCode::GoogleUnreachable, said).await?;
            return Ok(());
        }
    };
    let Some(name) = operation["name"].as_str() else {
        return Err(NotIssued::Retry("issueCommand answered without an operation name".into()));
    };
    let now = state.clock.now();
    let check = chrono::Duration::seconds(bound.settings.operation_check_seconds.into());
    let op = AmapiOperation {
        action_id: action.id,
        tenant_id: action.tenant_id,
        device_id: device.id,
        name: name.to_string(),
        issued_at: now,
        give_up_at: now + chrono::Duration::seconds(duration.into()),
        next_check_at: now + check,
    };
    state.store.record_amapi_operation(&op).await.map_err(AppError::from)?;
    let command_type = if let Some(t) = operation["metadata"]["type"].as_str() { t.to_string() } else { action.kind.as_str().to_string() };
    let e = audit::for_action(now, format!("system:{}", settle::COMPONENT), AuditKind::CommandSent, action, command_type, None);
    state.store.append_audit(&[e]).await.map_err(AppError::from)?;
    // Google may already know the outcome (a device that answered at once).
    if operation["done"].as_bool() == Some(true) {
        settle::from_operation(state, &op, &operation).await?;
    }
    Ok(())
}
