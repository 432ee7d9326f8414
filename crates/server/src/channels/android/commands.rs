//! GET /android/v1/commands?wait=N: the agent's long-poll. It answers at once when commands
//! wait, else when one is queued (the channel's waker notifies the poll, or the pending index
//! shows it within a second when another instance queued it), else after `wait` seconds with
//! none. Secrets go on the wire only here: the temporary passcode (generated once per action and
//! sealed, so a command sent again carries the same one) and the escrowed reset token.

use super::wire::{Command, Commands, ResetFlags};
use super::{command_log, identity, reply};
use crate::app::{delivery, device_results};
use crate::channels::CHECK_IN_RESOLUTION;
use crate::error::AppError;
use crate::peer_cert::PeerCertificate;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use pinreset_core::capability::PasscodeScope;
use pinreset_core::passcode::{generate, PasscodeStyle};
use pinreset_core::{ActionKind, Cause, Device, ErrorCode, ManagementMode, RemoteAction, SupportKind};
use pinreset_store::{NewSecret, SecretKey, SecretLookup};
use serde::Deserialize;
use std::time::Duration;

pub const DEFAULT_WAIT_SECONDS: u32 = 30;
/// Below the server's idle and proxies' usual 60-second timeouts.
pub const MAX_WAIT_SECONDS: u32 = 55;
/// How often a waiting poll looks at the pending index (actions queued on other instances).
const RECHECK: Duration = Duration::from_secs(1);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PollQuery {
    wait: Option<u32>,
}

pub async fn poll(
    State(state): State<AppState>,
    peer: Option<Extension<PeerCertificate>>,
    headers: HeaderMap,
    query: Result<Query<PollQuery>, QueryRejection>,
) -> Response {
    let device = match identity::device(&state, &peer, &headers).await {
        Ok(d) => d,
        Err(refusal) => return refusal,
    };
    let wait = match query {
        Ok(Query(q)) => q.wait.unwrap_or(DEFAULT_WAIT_SECONDS),
        Err(e) => return reply::invalid(format!("The query string is not valid: {}", e.body_text())),
    };
    if wait > MAX_WAIT_SECONDS {
        return reply::invalid(format!("\"wait\" must be at most {MAX_WAIT_SECONDS} seconds"));
    }
    match long_poll(&state, device, Duration::from_secs(wait.into())).await {
        Ok(answer) => reply::json(StatusCode::OK, &answer),
        Err(e) => reply::internal(e),
    }
}

async fn long_poll(state: &AppState, mut device: Device, wait: Duration) -> Result<Commands, AppError> {
    record_seen(state, &mut device).await?;
    let waiting = state.channels.android().waiters.enter(device.id);
    let deadline = tokio::time::Instant::now() + wait;
    let mut woken = false;
    loop {
        // Armed before looking, so a wake-up between the look and the wait is not lost.
        let notified = waiting.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let commands = next_commands(state, &device).await?;
        if !commands.is_empty() || woken || tokio::time::Instant::now() >= deadline {
            // Woken with nothing queued: an admin's sync asks for a check-in.
            let check_in = woken && commands.is_empty();
            return Ok(Commands { commands, check_in });
        }
        tokio::select! {
            _ = &mut notified => woken = true,
            _ = tokio::time::sleep(RECHECK) => {}
            _ = tokio::time::sleep_until(deadline) => {}
        }
    }
}

async fn record_seen(state: &AppState, device: &mut Device) -> Result<(), AppError> {
    let now = state.clock.now();
    if device.last_check_in.is_some_and(|t| now - t < CHECK_IN_RESOLUTION) {
        return Ok(());
    }
    device.last_check_in = Some(now);
    Ok(state.store.upsert_device(device).await?)
}

/// Everything deliverable, encoded; each command written to the device's history.
async fn next_commands(state: &AppState, device: &Device) -> Result<Vec<Command>, AppError> {
    let mut out = Vec::new();
    for action in delivery::take_deliverable(state, device).await? {
        if let Some(cmd) = command_for(state, device, &action).await? {
            command_log::sent(state, device, action.id, &cmd.kind).await?;
            out.push(cmd);
        }
    }
    Ok(out)
}

fn command(action: &RemoteAction, kind: &str) -> Command {
    Command {
        id: action.id.to_string(),
        kind: kind.into(),
        new_passcode: None,
        reset_token: None,
        scope: None,
        flags: None,
        name: None,
        message: None,
    }
}

async fn command_for(state: &AppState, device: &Device, action: &RemoteAction) -> Result<Option<Command>, AppError> {
    Ok(Some(match action.kind {
        ActionKind::ResetPasscode => return reset(state, device, action).await,
        ActionKind::RemoteLock => Command { message: action.params.message.clone(), ..command(action, "lock") },
        ActionKind::ResetDevice => command(action, "wipe"),
        ActionKind::Remove => command(action, "retire"),
        ActionKind::Rename => Command { name: action.params.name.clone(), ..command(action, "rename") },
    }))
}

/// The temporary passcode of this action: the one already sent, if any (the agent may have
/// applied it before its answer was lost), else a new one by the tenant's rules, sealed until
/// the action's end (a success keeps it for the retention time, a failure destroys it).
pub(super) async fn passcode_for(state: &AppState, device: &Device, action: &RemoteAction) -> Result<pinreset_core::Secret, AppError> {
    let key = SecretKey::ActionPasscode(action.id);
    if let SecretLookup::Available { secret, .. } = state.store.secret(&key, state.clock.now()).await? {
        return Ok(secret);
    }
    let settings = state.store.tenant(device.tenant_id).await?.map(|t| t.settings).unwrap_or_default();
    let passcode = generate(PasscodeStyle::Alphanumeric, settings.alphanumeric_length, &mut rand::rngs::OsRng);
    state.store.put_secret(NewSecret { key, secret: &passcode, expires_at: Some(action.expires_at) }).await?;
    Ok(passcode)
}

async fn reset(state: &AppState, device: &Device, action: &RemoteAction) -> Result<Option<Command>, AppError> {
    let scope = match action.support {
        Some(SupportKind::TempAlphanumeric { scope: PasscodeScope::WorkProfile }) => "work_profile",
        _ => "device",
    };
    // Device and profile owners reset with the escrowed token; a device admin (Android 6 and
    // earlier) with `resetPassword`, which needs none.
    let reset_token = if matches!(device.management_mode, ManagementMode::DeviceOwner | ManagementMode::WorkProfile) {
        match super::reset_token::escrowed(state, device).await? {
            Some(token) => Some(token.expose().to_string()),
            None => {
                let cause = Cause::System { component: "android-agent".into() };
                device_results::failed(state, device.tenant_id, action.id, cause, ErrorCode::AndroidNoResetToken, None).await?;
                return Ok(None);
            }
        }
    } else {
        None
    };
    let passcode = passcode_for(state, device, action).await?;
    Ok(Some(Command {
        new_passcode: Some(passcode.expose().to_string()),
        reset_token,
        scope: Some(scope.into()),
        flags: Some(ResetFlags { require_entry: true, lock_now: true }),
        ..command(action, "reset_passcode")
    }))
}
