//! POST /android/v1/checkin (the device's state) and POST /android/v1/reset-token (escrow of a
//! token the server asked for). The answer to a check-in tells the agent what to do about its
//! reset-password token (`reset_token::decide`) and whether commands wait.

use super::reset_token::{self, decide, escrowed_state, uses_tokens};
use super::wire::{self, CheckedReport, CheckinResponse, DeviceReport, ResetTokenRequest, TokenReport};
use super::{command_log, commands, identity, reply};
use crate::peer_cert::PeerCertificate;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use base64::Engine;
use pinreset_core::{Device, DeviceSecret, ManagementMode, ResetTokenState, Secret};
use pinreset_store::SecretKey;

/// What a report changes on the record (the name is the admin's once enrolled: rename).
fn apply(device: &mut Device, checked: &CheckedReport) {
    device.os_version = checked.os_version.clone();
    device.os_build = Some(checked.os_build.clone());
    device.model = Some(checked.model.clone());
    if checked.serial_number.is_some() {
        device.serial_number = checked.serial_number.clone();
    }
    device.management_mode = checked.report.management_mode.management_mode();
    pinreset_core::text::clean_device_record(device);
}

pub async fn checkin(State(state): State<AppState>, peer: Option<Extension<PeerCertificate>>, headers: HeaderMap, body: Bytes) -> Response {
    let mut device = match identity::device(&state, &peer, &headers).await {
        Ok(d) => d,
        Err(refusal) => return refusal,
    };
    let report: DeviceReport = match reply::decode(&headers, &body) {
        Ok(r) => r,
        Err(refusal) => return refusal.into(),
    };
    let checked = match report.check() {
        Ok(c) => c,
        Err(e) => return reply::invalid(e.0),
    };
    let report = &checked.report;
    let decision = decide(device.reset_token, report.reset_token, uses_tokens(report.management_mode, report.api_level));
    let handled = async {
        if decision.drop_escrowed {
            state.store.delete_secret(&SecretKey::Device(device.id, DeviceSecret::ResetToken)).await?;
            command_log::token(&state, &device, "dropped: the device no longer has it").await?;
        }
        let recorded = device.clone();
        apply(&mut device, &checked);
        device.reset_token = decision.state;
        // Written only when the report changed something or last-seen is due: an idle fleet's
        // check-ins are reads.
        let now = state.clock.now();
        let seen_due = device.last_check_in.is_none_or(|t| now - t >= crate::channels::CHECK_IN_RESOLUTION);
        if device != recorded || seen_due {
            device.last_check_in = Some(now);
            state.store.upsert_device(&device).await?;
        }
        Ok::<_, crate::error::AppError>(())
    };
    if let Err(e) = handled.await {
        return reply::internal(e);
    }
    reply::json(StatusCode::OK, &answer(&state, decision.instruction, state.pending.has_pending(device.id)))
}

/// What every check-in (and the enrollment, and a token escrow) answers.
pub fn answer(state: &AppState, reset_token: wire::TokenInstruction, commands_pending: bool) -> CheckinResponse {
    CheckinResponse {
        reset_token,
        commands_pending,
        poll_wait_seconds: commands::DEFAULT_WAIT_SECONDS,
        checkin_interval_seconds: super::enroll::CHECKIN_INTERVAL_SECONDS,
        mqtt_offered: state.channels.android().mqtt().is_some(),
    }
}

/// Whether the device, as recorded, is one that uses reset-password tokens.
fn takes_tokens(device: &Device) -> bool {
    matches!(device.management_mode, ManagementMode::DeviceOwner | ManagementMode::WorkProfile) && device.os_version.at_least(&[8])
}

pub async fn reset_token(
    State(state): State<AppState>,
    peer: Option<Extension<PeerCertificate>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut device = match identity::device(&state, &peer, &headers).await {
        Ok(d) => d,
        Err(refusal) => return refusal,
    };
    let req: ResetTokenRequest = match reply::decode(&headers, &body) {
        Ok(r) => r,
        Err(refusal) => return refusal.into(),
    };
    let bytes = match wire::reset_token_bytes(&req.reset_token) {
        Ok(b) => b,
        Err(e) => return reply::invalid(e.0),
    };
    if req.state == TokenReport::None {
        return reply::invalid("\"state\" must be inactive or active: the token was just set");
    }
    if !takes_tokens(&device) {
        return reply::refuse(
            StatusCode::CONFLICT,
            "management_mode",
            "Only a device owner or profile owner on Android 8.0 or later has a reset-password token; check in first if that changed.",
        );
    }
    // Never replaced while held: a second token would take another secure-storage slot. The
    // agent learns at check-in when the server wants a new one (`rotate`).
    if device.reset_token != ResetTokenState::None {
        return reply::refuse(
            StatusCode::CONFLICT,
            "token_held",
            "The server already holds this device's reset token; it is never replaced while held. Clear the token you just set.",
        );
    }
    let token = Secret::new(base64::engine::general_purpose::STANDARD.encode(bytes));
    let handled = async {
        state.store.put_secret(reset_token::new_secret(device.id, &token)).await?;
        device.reset_token = escrowed_state(req.state);
        device.last_check_in = Some(state.clock.now());
        state.store.upsert_device(&device).await?;
        command_log::token(&state, &device, &format!("escrowed ({})", device.reset_token.as_str())).await?;
        Ok::<_, crate::error::AppError>(())
    };
    if let Err(e) = handled.await {
        return reply::internal(e);
    }
    tracing::info!(device_id = %device.id, state = device.reset_token.as_str(), "android reset token escrowed");
    reply::json(StatusCode::OK, &answer(&state, wire::TokenInstruction::Keep, state.pending.has_pending(device.id)))
}
