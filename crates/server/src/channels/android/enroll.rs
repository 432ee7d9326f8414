//! POST /android/v1/enroll: the agent presents the one-time enrollment token from the QR code,
//! a certificate request for its Keystore key and its state (and its reset-password token when
//! it already set one). The answer is its client certificate from the tenant's device CA: the
//! credential of every later request. Everything is checked before anything is written; the
//! token is spent (compare-and-set) right before the one transaction that records the device.

use super::reply;
use super::reset_token::{self, decide, escrowed_state, uses_tokens};
use super::wire::{self, EnrollRequest, EnrollResponse, TokenReport};
use crate::app::device_ca;
use crate::auth::token_hash;
use crate::channels::CERT_SERIAL_KIND;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine;
use pinreset_core::{Device, DeviceId, JoinType, Platform, ResetTokenState, Secret};
use pinreset_store::EnrollmentWrite;
use rand::RngCore;

/// Agent certificates last two years; the agent renews within the last 30 days (`renew.rs`).
pub const CERT_DAYS: i64 = 365 * 2;
/// How often an agent checks in when nothing changes.
pub const CHECKIN_INTERVAL_SECONDS: u32 = 15 * 60;

/// The agent's certificate request (base64 DER), or what is wrong with it.
pub(super) fn parse_csr(b64: &str) -> Result<pinreset_pki::LenientCsr, String> {
    let der = base64::engine::general_purpose::STANDARD.decode(b64.trim()).map_err(|_| "\"csr\" is not base64".to_string())?;
    pinreset_pki::parse_csr_leniently(&der).map_err(|e| format!("\"csr\" is not a certificate request: {e}"))
}

/// A client certificate for `device`'s key, from the tenant's device CA, with a fresh serial.
pub(super) fn issue(
    state: &AppState,
    ca: &pinreset_pki::DeviceCa,
    csr: &pinreset_pki::LenientCsr,
    device: DeviceId,
) -> Result<pinreset_pki::IssuedCertificate, String> {
    let serial = rand::rngs::OsRng.next_u64() >> 1;
    ca.issue_client_cert(&csr.spki_der, &format!("pinreset-android-{device}"), serial, device_ca::now_offset(state), CERT_DAYS)
        .map_err(|e| format!("\"csr\" was refused: {e}"))
}

fn token_refused() -> Response {
    reply::refuse(
        StatusCode::FORBIDDEN,
        "enrollment_token_invalid",
        "The enrollment token is unknown, expired or already used: ask your administrator for a new enrollment QR code.",
    )
}

pub async fn enroll(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let req: EnrollRequest = match reply::decode(&headers, &body) {
        Ok(r) => r,
        Err(refusal) => return refusal.into(),
    };
    // All input first: a bad request is refused before the token is even looked at.
    let checked = match req.device.check() {
        Ok(c) => c,
        Err(e) => return reply::invalid(e.0),
    };
    let report = &checked.report;
    let csr = match parse_csr(&req.csr) {
        Ok(c) => c,
        Err(e) => return reply::invalid(e),
    };
    let tokens = uses_tokens(report.management_mode, report.api_level);
    let token = match req.reset_token.as_deref().map(wire::reset_token_bytes).transpose() {
        Ok(t) => t.map(|b| Secret::new(base64::engine::general_purpose::STANDARD.encode(b))),
        Err(e) => return reply::invalid(e.0),
    };
    if token.is_some() && (!tokens || report.reset_token == TokenReport::None) {
        return reply::invalid(
            "\"reset_token\" was sent, but the device reports no token or cannot have one (device admin, or Android before 8.0)",
        );
    }
    if pinreset_core::text::check_input("enrollment_token", &req.enrollment_token).is_err() || req.enrollment_token.len() > 128 {
        return token_refused();
    }
    let hash = token_hash(req.enrollment_token.trim());
    let now = state.clock.now();
    let grant = match state.store.android_enrollment_token(&hash, now).await {
        Ok(Some(g)) => g,
        Ok(None) => return token_refused(),
        Err(e) => return reply::internal(e),
    };
    let (tenant, user) = match (state.store.tenant(grant.tenant_id).await, state.store.user(grant.tenant_id, grant.user_id).await) {
        (Ok(Some(t)), Ok(Some(u))) => (t, u),
        (Err(e), _) | (_, Err(e)) => return reply::internal(e),
        _ => return token_refused(),
    };
    let ca = match device_ca::load_or_create(&state, &tenant).await {
        Ok(ca) => ca,
        Err(e) => return reply::internal(e),
    };
    let id = DeviceId::new();
    let issued = match issue(&state, &ca, &csr, id) {
        Ok(c) => c,
        Err(e) => return reply::invalid(e),
    };
    let token_state = if token.is_some() { escrowed_state(report.reset_token) } else { ResetTokenState::None };
    let decision = decide(token_state, report.reset_token, tokens);
    let mut device = Device {
        id,
        tenant_id: tenant.id,
        name: checked.name.clone().unwrap_or_else(|| checked.model.clone()),
        platform: Platform::Android,
        os_version: checked.os_version.clone(),
        os_build: Some(checked.os_build.clone()),
        model: Some(checked.model.clone()),
        serial_number: checked.serial_number.clone(),
        udid: None,
        imei: None,
        ownership: grant.ownership,
        management_mode: report.management_mode.management_mode(),
        join_type: JoinType::NotJoined,
        primary_user_id: Some(user.id),
        unlock_token_escrowed: false,
        reset_token: decision.state,
        enrolled_at: now,
        last_check_in: Some(now),
        retired_at: None,
        inventoried_at: Some(now),
        amapi_name: None,
    };
    pinreset_core::text::clean_device_record(&mut device);
    // Spent first (of two agents presenting one token, one gets here); if the write below then
    // fails, the token is gone and the admin issues another — it never enrolls two devices.
    match state.store.spend_android_enrollment_token(&hash, id, now).await {
        Ok(true) => {}
        Ok(false) => return token_refused(),
        Err(e) => return reply::internal(e),
    }
    let identities = [(CERT_SERIAL_KIND, crate::peer_cert::normalize_serial(&issued.serial_hex))];
    let secrets: Vec<_> = token.iter().map(|t| reset_token::new_secret(id, t)).collect();
    let written = state
        .store
        .enroll(EnrollmentWrite {
            replace_kinds: &[CERT_SERIAL_KIND],
            identities: &identities,
            secrets,
            ..EnrollmentWrite::for_device(&device)
        })
        .await;
    if let Err(e) = written {
        return reply::internal(e);
    }
    tracing::info!(device_id = %device.id, mode = ?report.management_mode, api_level = report.api_level, "android agent enrolled");
    reply::json(
        StatusCode::OK,
        &EnrollResponse {
            device_id: id.to_string(),
            certificate: issued.pem,
            ca_certificate: ca.cert_pem(),
            checkin: super::checkin::answer(&state, decision.instruction, false),
        },
    )
}
