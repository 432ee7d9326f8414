//! PUT /mdm/apple/checkin: Authenticate, TokenUpdate, CheckOut.

use super::identity::{self, Caller, SERIAL_KIND};
use super::IDENTITY_KIND;
use crate::app::device_results;
use crate::app::reenrollment::{self, Admission};
use crate::error::AppError;
use crate::peer_cert::PeerCertificate;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use base64::Engine;
use pinreset_apple::checkin::{Authenticate, TokenUpdate};
use pinreset_apple::CheckinMessage;
use pinreset_core::device::{JoinType, ManagementMode, OsVersion, Ownership, Platform};
use pinreset_core::{Cause, Device, DeviceId, DeviceSecret, ErrorCode, Secret};
use pinreset_store::{EnrollmentWrite, NewSecret, SecretKey};

const CHECKIN_CONTENT_TYPE: &str = "application/x-apple-aspen-mdm-checkin";

pub fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

pub async fn checkin(
    State(state): State<AppState>,
    Extension(cache): Extension<std::sync::Arc<super::cache::IdentityCache>>,
    peer: Option<Extension<PeerCertificate>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ctype.starts_with(CHECKIN_CONTENT_TYPE) {
        return plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Check-in messages are sent as application/x-apple-aspen-mdm-checkin.");
    }
    let msg = match CheckinMessage::decode(&body) {
        Ok(m) => m,
        Err(_) => return plain(StatusCode::BAD_REQUEST, "The body is not a check-in message this server accepts."),
    };
    let cert = match identity::presented(&state, &peer, &headers, &body).await {
        Ok(c) => c,
        Err(refusal) => return refusal,
    };
    let result = async {
        let caller = identity::caller(&state, &cache, cert.as_deref()).await?;
        match msg {
            CheckinMessage::Authenticate(a) => authenticate(&state, &cache, caller, a).await,
            CheckinMessage::TokenUpdate(t) => token_update(&state, caller, t).await,
            CheckinMessage::CheckOut { udid, .. } => check_out(&state, &cache, caller, &udid).await,
            CheckinMessage::Unsupported { .. } => Ok(plain(StatusCode::BAD_REQUEST, "This check-in message type is not supported.")),
        }
    };
    match result.await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = ?e, "apple check-in failed");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "The server could not process the check-in; the device will retry.")
        }
    }
}

fn forbidden() -> Response {
    plain(StatusCode::FORBIDDEN, "The client certificate does not belong to this device.")
}

fn platform_of(product: &str) -> Platform {
    if product.starts_with("iPad") {
        Platform::Ipados
    } else if product.starts_with("iPhone") || product.starts_with("iPod") {
        Platform::Ios
    } else if product.contains("Mac") {
        Platform::Macos
    } else {
        Platform::Ios
    }
}

/// A (re-)enrollment. An enrollment identity (grant) enrolls the first UDID it authenticates
/// and no other; a UDID already enrolled is taken only by that device's current certificate or
/// with a tenant admin's approval — otherwise the request waits for one and nothing changes.
/// Anything of a previous enrollment of this UDID — queued commands, its UnlockToken — is
/// dropped: a stale token must never clear a new passcode.
async fn authenticate(
    state: &AppState,
    cache: &super::cache::IdentityCache,
    caller: Caller,
    a: Authenticate,
) -> Result<Response, AppError> {
    let (serial, admission, grant, enrolling) = match caller {
        Caller::Grant { serial, user } => {
            if !state.store.claim_enrollment_grant(&serial, &a.udid).await? {
                return Ok(refusal(ErrorCode::EnrollmentIdentitySpent));
            }
            match reenrollment::admit(state, IDENTITY_KIND, &a.udid, &user, None).await? {
                Ok(admission) => (serial.clone(), admission, Some(serial), Some(user)),
                Err(refused) => return Ok(text(StatusCode::FORBIDDEN, refused.message())),
            }
        }
        // The device's own current certificate: the same enrollment authenticating again.
        Caller::Device { serial, device } if device.udid.as_deref() == Some(a.udid.as_str()) => {
            let Some(current) = identity::device_for(state, &Caller::Device { serial: serial.clone(), device }, &a.udid).await? else {
                return Ok(forbidden());
            };
            (serial, Admission::Proven(current), None, None)
        }
        _ => return Ok(forbidden()),
    };
    let (previous, approval) = match admission {
        Admission::New => (None, None),
        Admission::Proven(d) => (Some(d), None),
        Admission::Approved(d, r) => (Some(d), Some(r)),
    };
    let (tenant_id, owner) = match (&enrolling, &previous) {
        (Some(u), _) => (u.tenant_id, Some(u.id)),
        (None, Some(d)) => (d.tenant_id, d.primary_user_id),
        (None, None) => return Ok(forbidden()),
    };
    let now = state.clock.now();
    let product = a.product_name.clone().unwrap_or_default();
    let user_enrollment = a.enrollment_id.is_some();
    let mut device = Device {
        id: previous.as_ref().map(|d| d.id).unwrap_or_else(DeviceId::new),
        tenant_id,
        name: a.device_name.clone().or(a.model_name.clone()).unwrap_or_else(|| product.clone()),
        platform: platform_of(&product),
        os_version: a
            .os_version
            .as_deref()
            .and_then(|v| OsVersion::parse(v).ok())
            .unwrap_or_else(|| OsVersion::parse("0").expect("literal")),
        os_build: a.build_version.clone(),
        model: Some(product),
        serial_number: a.serial_number.clone(),
        udid: Some(a.udid.clone()),
        imei: a.imei.clone(),
        ownership: if user_enrollment { Ownership::Personal } else { Ownership::Corporate },
        management_mode: if user_enrollment { ManagementMode::UserEnrollment } else { ManagementMode::Mdm },
        join_type: JoinType::NotJoined,
        primary_user_id: owner,
        unlock_token_escrowed: false,
        reset_token: pinreset_core::ResetTokenState::None,
        enrolled_at: now,
        last_check_in: Some(now),
        retired_at: None,
        inventoried_at: None,
        amapi_name: None,
    };
    pinreset_core::text::clean_device_record(&mut device);
    let audit: Vec<_> = previous
        .iter()
        .map(|old| {
            let by = enrolling.as_ref().map(|u| format!("user:{}", u.login)).unwrap_or_else(|| format!("device:{}", old.id));
            let how = approval.as_ref().map(|r| format!("approved:{}", r.id)).unwrap_or_else(|| "certificate".into());
            reenrollment::reenrolled_event(state, old, by, &how)
        })
        .collect();
    let identities = [(IDENTITY_KIND, a.udid.clone()), (SERIAL_KIND, serial)];
    let written = state
        .store
        .enroll(EnrollmentWrite {
            device: &device,
            replace_kinds: &[SERIAL_KIND],
            identities: &identities,
            drop_device_secrets: previous.is_some(),
            secrets: vec![],
            dm_nonce: None,
            spend_grant: grant.as_deref(),
            complete_reenrollment: approval.as_ref(),
            audit: &audit,
        })
        .await;
    match written {
        Ok(()) => {}
        // Another enrollment bound the UDID (or used the approval) a moment earlier.
        Err(pinreset_store::StoreError::Conflict(_)) => return Ok(refusal(ErrorCode::DeviceAlreadyEnrolled)),
        Err(e) => return Err(e.into()),
    }
    if let Some(old) = &previous {
        // The certificates of the previous enrollment no longer speak for this device, and what
        // was queued for it is dropped.
        cache.forget_device(old.id);
        for action in state.store.deliverable_actions(old.id).await? {
            let cause = Cause::System { component: "apple-checkin".into() };
            device_results::failed(state, tenant_id, action.id, cause, ErrorCode::DeviceReenrolled, None).await?;
        }
    }
    tracing::info!(device_id = %device.id, platform = device.platform.as_str(), "apple device authenticated");
    Ok(StatusCode::OK.into_response())
}

fn text(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// A refusal in the catalogue's words (the device shows the profile installation failing).
fn refusal(code: ErrorCode) -> Response {
    text(StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::FORBIDDEN), format!("{} {}", code.reason(), code.remedy()))
}

async fn put(state: &AppState, device: DeviceId, purpose: DeviceSecret, value: String) -> Result<(), AppError> {
    let secret = Secret::new(value);
    Ok(state.store.put_secret(NewSecret { key: SecretKey::Device(device, purpose), secret: &secret, expires_at: None }).await?)
}

async fn token_update(state: &AppState, caller: Caller, t: TokenUpdate) -> Result<Response, AppError> {
    let Some(mut device) = identity::device_for(state, &caller, &t.udid).await? else { return Ok(forbidden()) };
    if t.user_id.is_some() {
        // The user channel (macOS): we manage the device channel only.
        return Ok(StatusCode::OK.into_response());
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    put(state, device.id, DeviceSecret::PushToken, b64.encode(&t.token)).await?;
    put(state, device.id, DeviceSecret::PushMagic, t.push_magic.clone()).await?;
    // A TokenUpdate without an UnlockToken keeps the one escrowed before.
    if let Some(unlock) = &t.unlock_token {
        put(state, device.id, DeviceSecret::UnlockToken, b64.encode(unlock)).await?;
        device.unlock_token_escrowed = true;
    }
    device.last_check_in = Some(state.clock.now());
    state.store.upsert_device(&device).await?;
    Ok(StatusCode::OK.into_response())
}

async fn check_out(state: &AppState, cache: &super::cache::IdentityCache, caller: Caller, udid: &str) -> Result<Response, AppError> {
    let Some(mut device) = identity::device_for(state, &caller, udid).await? else {
        // The CheckOut that follows our own RemoveProfile finds the device already retired.
        let already_gone = matches!(&caller, Caller::Device { device, .. } if device.udid.as_deref() == Some(udid));
        return Ok(if already_gone { StatusCode::OK.into_response() } else { forbidden() });
    };
    cache.forget_device(device.id);
    device.retired_at = Some(state.clock.now());
    device.unlock_token_escrowed = false;
    // Unbound as it leaves: its certificate can never check it in again.
    state.store.retire_device(&device, &[]).await?;
    tracing::info!(device_id = %device.id, "apple device checked out");
    Ok(StatusCode::OK.into_response())
}
