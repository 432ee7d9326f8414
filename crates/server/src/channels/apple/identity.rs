//! Who is calling: the device certificate's serial names either an enrollment grant (first
//! Authenticate) or the device it was bound to. A message whose UDID is not the certificate's
//! device is refused and changes nothing.
//!
//! The certificate comes from the TLS handshake, or from the `Mdm-Signature` header (a detached
//! CMS signature over the body, sent when the profile says `SignMessage`), or from a configured
//! header of a TLS-terminating proxy. Whatever its way in, it must chain to a device CA.

use super::cache::IdentityCache;
use super::IDENTITY_KIND;
use crate::error::AppError;
use crate::peer_cert::serial_hex;
use crate::peer_cert::PeerCertificate;
use crate::state::AppState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use base64::Engine;
use pinreset_core::{Device, User};
use pinreset_pki::cms;
use sha2::{Digest, Sha256};

pub use crate::channels::CERT_SERIAL_KIND as SERIAL_KIND;

const MDM_SIGNATURE: &str = "mdm-signature";
/// How far a signature's signing time may be from the server's clock.
const MAX_SIGNATURE_AGE_SECS: u64 = 15 * 60;

fn refused(status: StatusCode, text: &'static str) -> Response {
    super::checkin::plain(status, text)
}

/// The device certificate this request presents (DER), if any. A signature or proxy header that
/// is present but does not hold up is refused here, before anything is read or changed.
pub async fn presented(
    state: &AppState,
    peer: &Option<Extension<PeerCertificate>>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Option<Vec<u8>>, Response> {
    if let Some(Extension(PeerCertificate(Some(cert)))) = peer {
        return Ok(Some(cert.to_vec()));
    }
    if let Some(signature) = headers.get(MDM_SIGNATURE) {
        return signed_by(state, signature, body).await.map(Some);
    }
    crate::device_trust::connection_certificate_fresh(state, None, headers).await.map_err(|(status, text)| refused(status, text))
}

/// The signer of an `Mdm-Signature` over `body`, once: the signature must verify, come from a
/// device certificate, say when it was made (within the window), and not have been seen before.
async fn signed_by(state: &AppState, signature: &axum::http::HeaderValue, body: &[u8]) -> Result<Vec<u8>, Response> {
    let now = state.clock.now();
    let der = signature
        .to_str()
        .ok()
        .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s.trim()).ok())
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "The Mdm-Signature header is not base64."))?;
    let signed =
        cms::verify(&der, Some(body)).map_err(|_| refused(StatusCode::FORBIDDEN, "The Mdm-Signature does not verify over this body."))?;
    if !state.device_trust.verifies(&signed.signer, now) {
        return Err(refused(StatusCode::FORBIDDEN, "The Mdm-Signature was made by a certificate this server did not issue."));
    }
    // Without a signing time a copy of the message would be good forever.
    let Some(signed_at) = signed.signing_time else {
        return Err(refused(StatusCode::FORBIDDEN, "The Mdm-Signature has no signing time; a signed message must say when it was made."));
    };
    if now.timestamp().abs_diff(signed_at as i64) > MAX_SIGNATURE_AGE_SECS {
        return Err(refused(StatusCode::FORBIDDEN, "The Mdm-Signature is too old (or dated in the future); check the device's clock."));
    }
    // Remembered for as long as the signature would be accepted, in the store so that a copy
    // sent to another instance is refused too. Keyed by the signature's canonical identity (its
    // re-encodings and ECDSA twin included), not by what was signed: a device may sign the same
    // Idle twice within one second, and each of its signatures is new.
    let digest = {
        let mut h = Sha256::new();
        h.update(&signed.signer);
        h.update(&signed.signature_id);
        hex::encode(h.finalize())
    };
    let until = chrono::DateTime::from_timestamp(signed_at as i64 + MAX_SIGNATURE_AGE_SECS as i64, 0).unwrap_or(now);
    match state.store.remember_message(&digest, until).await {
        Ok(true) => Ok(signed.signer),
        Ok(false) => {
            tracing::warn!("a replayed Mdm-Signature was refused");
            Err(refused(StatusCode::FORBIDDEN, "This signed message was received before; a replayed message changes nothing."))
        }
        Err(e) => {
            tracing::error!(error = %e, "could not record a signed message");
            Err(refused(StatusCode::SERVICE_UNAVAILABLE, "The server could not check the message; the device will retry."))
        }
    }
}

pub enum Caller {
    /// A certificate from a grant not yet used by a device (Authenticate only).
    Grant { serial: String, user: User },
    /// The device this certificate belongs to.
    Device { serial: String, device: Device },
    /// No certificate, or one we never issued.
    Unknown,
}

pub async fn caller(state: &AppState, cache: &IdentityCache, cert: Option<&[u8]>) -> Result<Caller, AppError> {
    let Some(serial) = cert.and_then(serial_hex) else { return Ok(Caller::Unknown) };
    if let Some(device) = cache.get(&serial) {
        return Ok(Caller::Device { serial, device });
    }
    if let Some(device) = state.store.device_by_identity(SERIAL_KIND, &serial).await? {
        cache.put(&serial, device.clone());
        return Ok(Caller::Device { serial, device });
    }
    // A grant counts until an enrollment spends it (then the serial is bound to the device).
    Ok(match state.store.enrollment_grant(&serial).await? {
        Some(grant) => Caller::Grant { serial, user: grant.user },
        None => Caller::Unknown,
    })
}

/// The device a UDID names, if the caller's certificate is that device's, as cached with the
/// certificate (enough to route a command; read `device_for` before writing the record).
pub fn cached_device_for(caller: &Caller, udid: &str) -> Option<Device> {
    match caller {
        Caller::Device { device, .. } if device.udid.as_deref() == Some(udid) && device.retired_at.is_none() => Some(device.clone()),
        _ => None,
    }
}

/// The device a UDID names, read from the store, if the caller's certificate is that device's.
pub async fn device_for(state: &AppState, caller: &Caller, udid: &str) -> Result<Option<Device>, AppError> {
    let by_udid = state.store.device_by_identity(IDENTITY_KIND, udid).await?;
    Ok(match (caller, by_udid) {
        (Caller::Device { device, .. }, Some(d)) if d.id == device.id && d.retired_at.is_none() => Some(d),
        _ => None,
    })
}
