//! PUT /mdm/apple/connect: the device reports the result of the last command (or Idle) and
//! gets the next one. Each command's UUID is `<action id>.<step>`, so a result finds its action
//! without session state; secrets (UnlockToken, macOS PIN) are filled in only here.

use super::checkin::plain;
use super::{command_log, identity, inventory};
use crate::app::{delivery, device_results};
use crate::channels::device_secret;
use crate::error::AppError;
use crate::peer_cert::PeerCertificate;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use base64::Engine;
use pinreset_apple::command::{Command, Request};
use pinreset_apple::{CommandResult, ResultStatus};
use pinreset_core::device::Platform;
use pinreset_core::passcode::{generate, PasscodeStyle};
use pinreset_core::{ActionId, ActionKind, ActionState, Cause, Device, DeviceSecret, ErrorCode, RemoteAction};
use pinreset_store::{NewSecret, SecretKey};

use crate::api::enrollment::PROFILE_IDENTIFIER;
use crate::channels::CHECK_IN_RESOLUTION;

/// Send `cmd` as the answer, in the device's command history first.
async fn send(state: &AppState, device: &Device, cmd: &Command) -> Result<Response, AppError> {
    command_log::sent(state, device, cmd).await?;
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/xml")], cmd.encode()).into_response())
}

fn uuid(action: ActionId, step: &str) -> String {
    format!("{action}.{step}")
}

pub async fn connect(
    State(state): State<AppState>,
    Extension(cache): Extension<std::sync::Arc<super::cache::IdentityCache>>,
    peer: Option<Extension<PeerCertificate>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let cert = match identity::presented(&state, &peer, &headers, &body).await {
        Ok(c) => c,
        Err(refusal) => return refusal,
    };
    let result = match CommandResult::decode(&body) {
        Ok(r) => r,
        Err(_) => return plain(StatusCode::BAD_REQUEST, "The body is not a command result this server accepts."),
    };
    let handled = async {
        let caller = identity::caller(&state, &cache, cert.as_deref()).await?;
        let Some(mut device) = identity::cached_device_for(&caller, &result.udid) else {
            return Ok(plain(StatusCode::FORBIDDEN, "The client certificate does not belong to this device."));
        };
        record_seen(&state, &cache, &mut device).await?;
        let logged = command_log::answered(&state, &device, &result);
        let answer = answer(&state, &cache, device, &result).await;
        // Committed by now when the answer wrote anything (the queue keeps its order).
        logged.await?;
        answer
    };
    match handled.await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = ?e, "apple command endpoint failed");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "The server could not process the result; the device will retry.")
        }
    }
}

/// What the device gets for `result`: the next step of the action it answered, an inventory
/// question, or its next command.
async fn answer(
    state: &AppState,
    cache: &super::cache::IdentityCache,
    mut device: Device,
    result: &CommandResult,
) -> Result<Response, AppError> {
    if inventory::record(state, &device, result).await? {
        // The next request reads the updated device; this one asks nothing more of it.
        cache.forget_device(device.id);
        device.inventoried_at = Some(state.clock.now());
    } else if let Some(next) = apply_result(state, &device, result).await? {
        return send(state, &device, &next).await;
    }
    if result.status == ResultStatus::NotNow {
        // The device is busy (e.g. locked): it comes back later; the command stays delivered.
        return Ok(StatusCode::OK.into_response());
    }
    if let Some(ask) = inventory::wanted(&device) {
        return send(state, &device, &ask).await;
    }
    next_command(state, &device).await
}

/// Every connection to the command endpoint is a sign of life: record it (coalesced), and drop
/// the cached identity so the next connection sees the new time.
async fn record_seen(state: &AppState, cache: &super::cache::IdentityCache, device: &mut Device) -> Result<(), AppError> {
    let now = state.clock.now();
    let fresh_enough = |d: &Device| d.last_check_in.is_some_and(|t| now - t < CHECK_IN_RESOLUTION);
    if fresh_enough(device) {
        return Ok(());
    }
    // Re-read before writing: the cached record may predate a rename or another change.
    let Some(mut fresh) = state.store.device(device.tenant_id, device.id).await? else { return Ok(()) };
    if fresh.retired_at.is_none() && !fresh_enough(&fresh) {
        fresh.last_check_in = Some(now);
        state.store.upsert_device(&fresh).await?;
    }
    cache.forget_device(device.id);
    *device = fresh;
    Ok(())
}

/// Move the action the result belongs to; a reset continues with its verification.
async fn apply_result(state: &AppState, device: &Device, r: &CommandResult) -> Result<Option<Command>, AppError> {
    let Some((action_id, step)) = r.command_uuid.as_deref().and_then(|u| u.split_once('.')) else { return Ok(None) };
    let Ok(action_id) = action_id.parse::<ActionId>() else { return Ok(None) };
    let Some(action) = state.store.action(device.tenant_id, action_id).await? else { return Ok(None) };
    if action.device_id != device.id || !action.state.is_pending() {
        return Ok(None);
    }
    let (t, cause) = (device.tenant_id, Cause::Device { device_id: device.id });
    match r.status {
        ResultStatus::Idle => Ok(None),
        ResultStatus::NotNow => {
            device_results::deferred(state, t, action.id, cause).await?;
            Ok(None)
        }
        ResultStatus::Error | ResultStatus::CommandFormatError => {
            // A refused ClearPasscode means the escrowed UnlockToken no longer opens the device.
            let code = if step == "clear" && r.status == ResultStatus::Error {
                ErrorCode::IosUnlockTokenRejected
            } else {
                ErrorCode::DeviceRejected
            };
            device_results::failed(state, t, action.id, cause, code, Some(command_log::error_text(r))).await?;
            Ok(None)
        }
        ResultStatus::Acknowledged => match step {
            "clear" => {
                if action.state != ActionState::Acknowledged {
                    device_results::acknowledged(state, t, action.id, cause).await?;
                }
                // Only the device's own word that no passcode is set any more makes it a success.
                Ok(Some(Command { uuid: uuid(action.id, "verify"), request: Request::SecurityInfo }))
            }
            "verify" => {
                match r.security_info().and_then(|s| s.passcode_present) {
                    Some(false) => {
                        device_results::succeeded(state, t, action.id, cause, device_results::DeviceOutcome::PasscodeRemoved).await?;
                    }
                    _ => {
                        let detail = Some("SecurityInfo still reports a passcode".to_string());
                        device_results::failed(state, t, action.id, cause, ErrorCode::DeviceRejected, detail).await?;
                    }
                }
                Ok(None)
            }
            _ => {
                // Only a Mac's lock or erase has a PIN to show (read only then: a fleet of
                // iPhones answering a lock costs no secret read).
                let mac_pin = device.platform == Platform::Macos && (step == "lock" || step == "erase");
                let pin = if mac_pin { device_secret(state, device.id, DeviceSecret::LockPin).await? } else { None };
                let outcome = match pin {
                    Some(pin) => device_results::DeviceOutcome::LockPin(pin),
                    None => device_results::DeviceOutcome::Done,
                };
                // The action read above: one read fewer per acknowledgement (compare-and-set).
                device_results::succeeded_as_read(state, action, cause, outcome).await?;
                Ok(None)
            }
        },
    }
}

/// A 6-digit PIN for a Mac, sealed until the action succeeds and shows it.
async fn mac_pin(state: &AppState, device: &Device) -> Result<Option<String>, AppError> {
    if device.platform != Platform::Macos {
        return Ok(None);
    }
    let pin = generate(PasscodeStyle::Numeric, 6, &mut rand::rngs::OsRng);
    // Kept only until the device answers; the purge worker removes it after the retention time.
    let expires_at = Some(state.clock.now() + chrono::Duration::days(7));
    state.store.put_secret(NewSecret { key: SecretKey::Device(device.id, DeviceSecret::LockPin), secret: &pin, expires_at }).await?;
    Ok(Some(pin.expose().to_string()))
}

async fn command_for(state: &AppState, device: &Device, action: &RemoteAction) -> Result<Option<Command>, AppError> {
    let cmd = |step: &str, request| Some(Command { uuid: uuid(action.id, step), request });
    Ok(match action.kind {
        // Cleared, and the device has not yet said it has no passcode (its SecurityInfo answer
        // was put off, lost, or the server restarted): ask again until it answers or expires.
        ActionKind::ResetPasscode if action.state == ActionState::Acknowledged => cmd("verify", Request::SecurityInfo),
        ActionKind::ResetPasscode => match device_secret(state, device.id, DeviceSecret::UnlockToken).await? {
            Some(token) => {
                let bytes = base64::engine::general_purpose::STANDARD.decode(token.expose()).unwrap_or_default();
                cmd("clear", Request::ClearPasscode { unlock_token: bytes })
            }
            None => {
                let cause = Cause::System { component: "apple-connect".into() };
                device_results::failed(state, device.tenant_id, action.id, cause, ErrorCode::IosNoUnlockToken, None).await?;
                None
            }
        },
        ActionKind::RemoteLock => {
            let pin = mac_pin(state, device).await?;
            cmd(
                "lock",
                Request::DeviceLock { message: action.params.message.clone(), phone_number: action.params.phone_number.clone(), pin },
            )
        }
        ActionKind::ResetDevice => {
            let pin = mac_pin(state, device).await?;
            cmd("erase", Request::EraseDevice { pin })
        }
        ActionKind::Remove => cmd("remove", Request::RemoveProfile { identifier: PROFILE_IDENTIFIER.into() }),
        // Not in CONTRACT (renaming needs the Settings command, on supervised devices only):
        // refused at request time, and failed by `take_deliverable` if one was stored anyway.
        ActionKind::Rename => None,
    })
}

/// One command per answer, oldest action first; an empty 200 when nothing is queued.
async fn next_command(state: &AppState, device: &Device) -> Result<Response, AppError> {
    for action in delivery::take_deliverable(state, device).await? {
        if let Some(cmd) = command_for(state, device, &action).await? {
            return send(state, device, &cmd).await;
        }
    }
    Ok(StatusCode::OK.into_response())
}
