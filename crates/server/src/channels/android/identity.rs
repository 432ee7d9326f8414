//! Who is calling: every agent request after enrollment presents the client certificate the
//! tenant's device CA issued for its Keystore key (mutual TLS, or a TLS-terminating proxy's
//! configured header checked against the same roots). Its serial names the device; there is
//! no device id in any path or body to disagree with it, so one device's credential can only
//! ever speak for that device.

use super::reply;
use crate::channels::CERT_SERIAL_KIND;
use crate::peer_cert::{serial_hex, PeerCertificate};
use crate::state::AppState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use pinreset_core::{Device, Platform};

fn unknown() -> Response {
    reply::refuse(
        StatusCode::UNAUTHORIZED,
        "unknown_device",
        "Present the client certificate this server issued at enrollment; a retired or re-enrolled device must enroll again.",
    )
}

/// The enrolled, managed Android device whose certificate this request presents.
pub async fn device(state: &AppState, peer: &Option<Extension<PeerCertificate>>, headers: &HeaderMap) -> Result<Device, Response> {
    let tls = peer.as_ref().and_then(|Extension(p)| p.0.clone());
    let cert = crate::device_trust::connection_certificate(state, tls.as_deref().map(Vec::as_slice), headers)
        .map_err(|(status, text)| reply::refuse(status, "unknown_device", text))?;
    let Some(serial) = cert.as_deref().and_then(serial_hex) else { return Err(unknown()) };
    match state.store.device_by_identity(CERT_SERIAL_KIND, &serial).await {
        Ok(Some(d)) if d.platform == Platform::Android && d.retired_at.is_none() => Ok(d),
        Ok(_) => Err(unknown()),
        Err(e) => Err(reply::internal(e)),
    }
}
