//! POST /android/v1/renew: the agent trades its certificate for a new one (for a new Keystore
//! key) before it expires, proven by the certificate it presents — the only way a device's
//! credential moves on. In one transaction the device's identity moves to the new certificate's
//! serial, so the old certificate stops working at once; nothing else about the device changes.
//! (Re-enrolling with a new token makes a new device: what a device owned — its escrowed reset
//! token, its history — never follows anything but this certificate.)

use super::enroll::{issue, parse_csr, CERT_DAYS};
use super::wire::{RenewRequest, RenewResponse};
use super::{command_log, identity, reply};
use crate::app::device_ca;
use crate::channels::CERT_SERIAL_KIND;
use crate::peer_cert::PeerCertificate;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use pinreset_store::EnrollmentWrite;

pub async fn renew(State(state): State<AppState>, peer: Option<Extension<PeerCertificate>>, headers: HeaderMap, body: Bytes) -> Response {
    let device = match identity::device(&state, &peer, &headers).await {
        Ok(d) => d,
        Err(refusal) => return refusal,
    };
    let req: RenewRequest = match reply::decode(&headers, &body) {
        Ok(r) => r,
        Err(refusal) => return refusal.into(),
    };
    let csr = match parse_csr(&req.csr) {
        Ok(c) => c,
        Err(e) => return reply::invalid(e),
    };
    let tenant = match state.store.tenant(device.tenant_id).await {
        Ok(Some(t)) => t,
        Ok(None) => return reply::internal("the device's tenant is gone"),
        Err(e) => return reply::internal(e),
    };
    let ca = match device_ca::load_or_create(&state, &tenant).await {
        Ok(ca) => ca,
        Err(e) => return reply::internal(e),
    };
    let issued = match issue(&state, &ca, &csr, device.id) {
        Ok(c) => c,
        Err(e) => return reply::invalid(e),
    };
    let identities = [(CERT_SERIAL_KIND, crate::peer_cert::normalize_serial(&issued.serial_hex))];
    let written = state
        .store
        .enroll(EnrollmentWrite { replace_kinds: &[CERT_SERIAL_KIND], identities: &identities, ..EnrollmentWrite::for_device(&device) })
        .await;
    if let Err(e) = written {
        return reply::internal(e);
    }
    let not_after = state.clock.now() + chrono::Duration::days(CERT_DAYS);
    if let Err(e) = command_log::event(&state, &device, format!("certificate renewed, valid until {}", not_after.date_naive())).await {
        return reply::internal(e);
    }
    tracing::info!(device_id = %device.id, "android agent certificate renewed");
    reply::json(
        StatusCode::OK,
        &RenewResponse { certificate: issued.pem, ca_certificate: ca.cert_pem(), not_after: not_after.to_rfc3339() },
    )
}
