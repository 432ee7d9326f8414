//! OMA-DM management sessions at /ManagementServer/MDM.svc: authenticate EVERY message of a
//! session (the device's certificate, or MD5 with a nonce used once — see `proof.rs`), record
//! inventory, answer every command, read the
//! Status of every command we sent (also inside Sequence), then send what is queued: remote
//! actions and configuration-profile settings. The session ends when we send no command.

use super::auth_cache::DeviceAuth;
use super::command_log;
use super::proof::{self, Proof};
use super::sessions::{Outstanding, Purpose, Session};
use super::{WindowsChannel, IDENTITY_KIND, MANAGEMENT_PATH};
use crate::app::{delivery, device_results, profiles};
use crate::channels::device_secret;
use crate::channels::CHECK_IN_RESOLUTION;
use crate::error::AppError;
use crate::peer_cert::PeerCertificate;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use pinreset_core::profile::{resolve_uri, SettingResult};
use pinreset_core::{ActionKind, Cause, Device, DeviceSecret, ErrorCode, RemoteAction, Secret};
use pinreset_windows::syncml::commands::{self, PinResetResult};
use pinreset_windows::syncml::{self, MetaFormat, OutCommand, OutItem, ReplyIndex, ServerMessage, SyncMl};
use std::sync::Arc;

const SYNCML: &str = "application/vnd.syncml.dm+xml";
const DEVICE_NAME_URI: &str = "./DevDetail/Ext/Microsoft/DeviceName";
/// OMA-DM "Already exists": the answer to an Add of a node that is there.
const ALREADY_EXISTS: u16 = 418;

fn syncml_response(msg: &ServerMessage) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, SYNCML)], msg.encode()).into_response()
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

pub async fn session(
    State(state): State<AppState>,
    Extension(channel): Extension<Arc<WindowsChannel>>,
    peer: Option<Extension<PeerCertificate>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let msg = match syncml::decode(&body) {
        Ok(m) => m,
        Err(_) => return plain(StatusCode::BAD_REQUEST, "The body is not a SyncML 1.2 message this server accepts."),
    };
    let tls = peer.and_then(|Extension(p)| p.0);
    let cert = match crate::device_trust::connection_certificate_fresh(&state, tls.as_deref().map(Vec::as_slice), &headers).await {
        Ok(c) => c,
        Err((status, text)) => return plain(status, text),
    };
    match handle(&state, &channel, cert.as_deref(), &headers, &body, &msg).await {
        Ok(resp) => resp,
        Err(e) => {
            tracing::error!(error = ?e, "windows management session failed");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "The server could not process the session; the device will retry.")
        }
    }
}

/// The device's record and DM credentials: from the cache on the hot path, else the store.
async fn device_auth(state: &AppState, channel: &WindowsChannel, device_key: &str) -> Result<Option<DeviceAuth>, AppError> {
    if let Some(a) = channel.auth.get(device_key) {
        return Ok(Some(a));
    }
    let Some(device) = state.store.device_by_identity(IDENTITY_KIND, device_key).await?.filter(|d| d.retired_at.is_none()) else {
        return Ok(None);
    };
    let Some(password) = device_secret(state, device.id, DeviceSecret::DmPassword).await? else {
        return Ok(None);
    };
    let auth = DeviceAuth { device, password, certificate: None, nonce_b64: None, settings_clean_at: None };
    channel.auth.put(device_key, auth.clone());
    Ok(Some(auth))
}

async fn handle(
    state: &AppState,
    channel: &WindowsChannel,
    cert: Option<&[u8]>,
    headers: &HeaderMap,
    body: &[u8],
    msg: &SyncMl,
) -> Result<Response, AppError> {
    let Some(device_key) = msg.hdr.source.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(plain(StatusCode::BAD_REQUEST, "The SyncHdr has no Source LocURI (the device id)."));
    };
    let Some(mut auth) = device_auth(state, channel, device_key).await? else {
        return Ok(plain(StatusCode::FORBIDDEN, "This device is not enrolled; enroll it again."));
    };
    // The configured public URL, never the request's Host header (the sender chooses that).
    let server_url = format!("{}{MANAGEMENT_PATH}", state.public_url);

    // Every message — not only a session's first — proves it comes from the device; the
    // session's memory is keyed by the device so proven, never by ids in the body alone.
    let proof = match proof::prove(state, cert, headers, body, msg, device_key, &auth).await? {
        Proof::Refused { code, nonce_b64 } => {
            let mut out = ServerMessage::reply_to(&msg.hdr, 1, &server_url, code);
            out.challenge_md5(&nonce_b64);
            tracing::warn!(device_id = %auth.device.id, code, "windows session message refused: no proof of the device");
            return Ok(syncml_response(&out));
        }
        p => p,
    };
    let msg_id: u32 = msg.hdr.msg_id.trim().parse().unwrap_or(0);
    let mut session = channel.sessions.take(state, auth.device.id, &msg.hdr.session_id, msg_id).await?;
    if msg_id <= session.last_device_msg_id {
        // A message of this session seen before (or out of order): answered by nothing, and
        // the saved session is left as it was.
        return Ok(plain(StatusCode::BAD_REQUEST, "The MsgID does not follow the session's previous message."));
    }
    session.last_device_msg_id = msg_id;
    let hdr_code = match proof {
        Proof::Md5 { by_cred: true, .. } => 212,
        _ => 200,
    };
    if let Proof::Certificate { digest } = proof {
        auth.certificate = Some(digest);
    }
    let mut out = ServerMessage::reply_to(&msg.hdr, session.next_msg_id, &server_url, hdr_code);
    if let Proof::Md5 { next_nonce_b64, .. } = &proof {
        // The nonce just used is spent: the next message (or session) uses this one.
        out.challenge_md5(next_nonce_b64);
        auth.nonce_b64 = Some(next_nonce_b64.clone());
    }
    session.next_msg_id += 1;
    out.ack_all(msg, 200);

    if msg.unenrollment_alert().is_some() {
        // The user removed the work account: the device leaves management, its secrets go.
        let mut device = state.store.device(auth.device.tenant_id, auth.device.id).await?.unwrap_or(auth.device.clone());
        device.retired_at = Some(state.clock.now());
        state.store.retire_device(&device, &[]).await?;
        channel.auth.forget(device_key);
        tracing::info!(device_id = %device.id, "windows device unenrolled itself");
        return Ok(syncml_response(&out));
    }

    record_inventory(state, &mut auth.device, msg).await?;
    let index = ReplyIndex::new(msg);
    let answered = std::mem::take(&mut session.outstanding);
    command_log::answered(state, &auth.device, &index, &answered).await?;
    for o in answered {
        // A setting whose Add found the node already there is sent again as a Replace.
        if let Some(retry) = apply_reply(state, &auth.device, &index, &o).await? {
            let sent = out.push(retry);
            session.outstanding.push(Outstanding { msg_id: out.msg_id(), sent, purpose: o.purpose.clone() });
        }
    }
    queue_actions(state, &auth.device, &mut out, &mut session).await?;
    let generation = state.profiles_generation.load(std::sync::atomic::Ordering::Acquire);
    if auth.settings_clean_at != Some(generation) {
        let queued = queue_settings(state, &auth.device, &mut out, &mut session).await?;
        // Nothing to send at this generation: later idle sessions skip the profile reads.
        auth.settings_clean_at = (queued == 0).then_some(generation);
    }
    command_log::sent(state, &auth.device, &session.outstanding).await?;
    let device_id = auth.device.id;
    channel.auth.put(device_key, auth);
    if out.has_commands() {
        channel.sessions.put(state, device_id, &msg.hdr.session_id, &mut session).await?;
    } else {
        channel.sessions.end(state, device_id, &msg.hdr.session_id, &session).await?;
    }
    Ok(syncml_response(&out))
}

/// DevInfo / DevDetail values the device reports update its record; every session is a check-in.
/// Written only when something changed or the last recorded check-in is older than
/// `CHECK_IN_RESOLUTION`, so idle sessions cost no write (last-seen times are coalesced).
async fn record_inventory(state: &AppState, cached: &mut Device, msg: &SyncMl) -> Result<(), AppError> {
    let now = state.clock.now();
    let version =
        msg.item_data("./DevDetail/SwV").and_then(|v| pinreset_core::OsVersion::parse(v).ok()).filter(|v| *v != cached.os_version);
    let model = msg.item_data("./DevInfo/Mod").filter(|m| !m.is_empty() && cached.model.as_deref() != Some(*m)).map(str::to_owned);
    let stale = cached.last_check_in.is_none_or(|t| now - t >= CHECK_IN_RESOLUTION);
    if version.is_none() && model.is_none() && !stale {
        return Ok(());
    }
    // Re-read before writing: the cached record may predate a rename or another change.
    let mut device = state.store.device(cached.tenant_id, cached.id).await?.unwrap_or_else(|| cached.clone());
    if let Some(v) = version {
        device.os_build = Some(v.part(2).to_string());
        device.os_version = v;
    }
    if let Some(m) = model {
        device.model = Some(m);
    }
    device.last_check_in = Some(now);
    state.store.upsert_device(&device).await?;
    *cached = device;
    Ok(())
}

fn command_for(action: &RemoteAction) -> Option<OutCommand> {
    match action.kind {
        ActionKind::ResetPasscode => Some(commands::lock_and_reset_pin()),
        ActionKind::RemoteLock => Some(commands::lock()),
        ActionKind::ResetDevice => Some(commands::remote_wipe()),
        ActionKind::Rename => {
            action.params.name.as_ref().map(|n| OutCommand::Replace(vec![OutItem::with_data(DEVICE_NAME_URI, MetaFormat::Chr, n)]))
        }
        // Server-initiated unenrollment; its success retires the device (device_results).
        ActionKind::Remove => Some(commands::unenroll(super::enrollment::PROVIDER_ID)),
    }
}

async fn queue_actions(state: &AppState, device: &Device, out: &mut ServerMessage, session: &mut Session) -> Result<(), AppError> {
    for action in delivery::take_deliverable(state, device).await? {
        if let Some(cmd) = command_for(&action) {
            let sent = out.push(cmd);
            session.outstanding.push(Outstanding {
                msg_id: out.msg_id(),
                sent,
                purpose: Purpose::Action { id: action.id, kind: action.kind },
            });
        }
    }
    Ok(())
}

/// Settings of the profiles targeting this device that it has not applied in their current version.
/// Returns how many settings were queued.
async fn queue_settings(state: &AppState, device: &Device, out: &mut ServerMessage, session: &mut Session) -> Result<usize, AppError> {
    let mut queued = 0;
    let Some(tenant) = state.store.tenant(device.tenant_id).await? else { return Ok(queued) };
    for profile in profiles::targeted_profiles(state, device).await? {
        let answered = state.store.setting_results(profile.id).await?;
        for setting in profile.settings.iter().filter(|s| s.applies_to(device.platform)) {
            let done =
                answered.iter().any(|(d, r)| *d == device.id && r.profile_version == profile.version && r.oma_uri == setting.oma_uri);
            if done {
                continue;
            }
            let format = match setting.data_type {
                pinreset_core::profile::OmaDataType::Boolean => MetaFormat::Bool,
                pinreset_core::profile::OmaDataType::Integer => MetaFormat::Int,
                pinreset_core::profile::OmaDataType::Float => MetaFormat::Float,
                pinreset_core::profile::OmaDataType::Base64 => MetaFormat::B64,
                pinreset_core::profile::OmaDataType::StringXml => MetaFormat::Xml,
                pinreset_core::profile::OmaDataType::DateTime => MetaFormat::Date,
                pinreset_core::profile::OmaDataType::String => MetaFormat::Chr,
            };
            let uri = resolve_uri(&setting.oma_uri, tenant.directory_id);
            // Add creates the node; a node that already exists (418) gets a Replace next.
            let item = OutItem::with_data(uri, format, setting.value.clone());
            let sent = out.push(OutCommand::Add(vec![item.clone()]));
            queued += 1;
            session.outstanding.push(Outstanding {
                msg_id: out.msg_id(),
                sent,
                purpose: Purpose::Setting { profile: profile.id, version: profile.version, oma_uri: setting.oma_uri.clone(), item },
            });
        }
    }
    Ok(queued)
}

fn status_detail(step: &str, code: u16, reason: &str) -> String {
    format!("{step}: SyncML status {code} ({reason})")
}

/// Turn the device's answer to one command into the action's or the setting's outcome.
/// Returns a command to send again (a setting's Replace after its Add met an existing node).
async fn apply_reply(state: &AppState, device: &Device, index: &ReplyIndex<'_>, o: &Outstanding) -> Result<Option<OutCommand>, AppError> {
    let cause = Cause::Device { device_id: device.id };
    match &o.purpose {
        Purpose::Setting { profile, version, oma_uri, item } => {
            let replies = index.walk(o.msg_id, &o.sent);
            let Some(status) = replies.first().and_then(|r| r.outcome()) else { return Ok(None) };
            if o.sent.name == "Add" && status.code() == ALREADY_EXISTS {
                return Ok(Some(OutCommand::Replace(vec![item.clone()])));
            }
            let result =
                SettingResult { oma_uri: oma_uri.clone(), status: status.code(), profile_version: *version, at: state.clock.now() };
            profiles::record_results(state, device.id, *profile, &[result]).await.map(|_| None)
        }
        Purpose::Action { id, kind } => {
            let (t, id) = (device.tenant_id, *id);
            if *kind == ActionKind::ResetPasscode {
                return match commands::pin_reset_result(index, o.msg_id, &o.sent) {
                    PinResetResult::Reset { new_pin } => {
                        // Sealed at once: the plaintext lives only in this scope, and the PIN is
                        // written in the same transaction as the acknowledgement.
                        let pin = Secret::new(new_pin.expose());
                        device_results::acknowledged_and_succeeded(
                            state,
                            t,
                            id,
                            cause,
                            device_results::DeviceOutcome::TemporaryPasscode(pin),
                        )
                        .await
                        .map(|_| None)
                    }
                    PinResetResult::Failed { step, outcome } => {
                        let detail = status_detail(&step, outcome.code(), outcome.reason());
                        device_results::failed(state, t, id, cause, ErrorCode::DeviceRejected, Some(detail)).await.map(|_| None)
                    }
                    PinResetResult::LockedWithoutPin => device_results::failed(
                        state,
                        t,
                        id,
                        cause,
                        ErrorCode::DeviceNoPasscodeReturned,
                        Some("NewPINValue was empty".into()),
                    )
                    .await
                    .map(|_| None),
                    PinResetResult::NoAnswer => device_results::failed(
                        state,
                        t,
                        id,
                        cause,
                        ErrorCode::DeviceRejected,
                        Some("the device did not answer every command".into()),
                    )
                    .await
                    .map(|_| None),
                };
            }
            let replies = index.walk(o.msg_id, &o.sent);
            match replies.first().and_then(|r| r.outcome()) {
                Some(s) if s.is_success() => {
                    device_results::succeeded(state, t, id, cause, device_results::DeviceOutcome::Done).await.map(|_| None)
                }
                Some(s) => {
                    let code = if *kind == ActionKind::RemoteLock && s.code() == 405 {
                        ErrorCode::DeviceNoPinSet
                    } else {
                        ErrorCode::DeviceRejected
                    };
                    let step = o.sent.targets.first().cloned().unwrap_or_else(|| o.sent.name.to_string());
                    device_results::failed(state, t, id, cause, code, Some(status_detail(&step, s.code(), s.reason()))).await.map(|_| None)
                }
                None => device_results::failed(state, t, id, cause, ErrorCode::DeviceRejected, Some("no status for the command".into()))
                    .await
                    .map(|_| None),
            }
        }
    }
}
