//! How each OMA-DM message proves it comes from the device it names (MS-MDM; OMA-DM Security
//! 1.2). Knowing a DeviceID and a SessionID proves nothing, so every message of a session must
//! carry one of:
//! - the device's client certificate (TLS, or a configured proxy's header): its CN is the
//!   DeviceID and its serial the one we issued to this device. Checked against the store once,
//!   then remembered with the device's auth entry (dropped when the device enrolls again), so
//!   an idle session costs no database access.
//! - MD5 with the device's DM password over the current server nonce: a `Cred` in the SyncHdr,
//!   or an `x-syncml-hmac` header whose MAC also covers the message body. A nonce is good for
//!   one message: it is replaced (compare-and-set in the store, so across instances too) before
//!   the message is acted on, and the next one goes back to the device as `NextNonce` in the
//!   SyncHdr Status. A replayed `Cred` or MAC therefore fails.
//!
//! A message without either is answered 407 (or 401 for a wrong one) with the device's current
//! nonce as the challenge. Issuing that challenge writes nothing: an unauthenticated caller can
//! neither rotate a device's nonce nor make the server write.

use super::auth_cache::DeviceAuth;
use crate::error::AppError;
use crate::peer_cert::{serial_hex, subject_cn};
use crate::state::AppState;
use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use pinreset_core::Device;
use pinreset_store::{SecretKey, SecretLookup};
use pinreset_windows::syncml::auth::{parse_hmac_header, verify_hmac, verify_md5, HMAC_HEADER};
use pinreset_windows::syncml::SyncMl;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub enum Proof {
    /// The device's own client certificate (its SHA-256, remembered with the device's auth
    /// entry so the next message with it needs no store read).
    Certificate { digest: [u8; 32] },
    /// MD5 over a nonce now spent; `next_nonce_b64` must reach the device.
    Md5 { next_nonce_b64: String, by_cred: bool },
    /// No proof: answer with this status and challenge.
    Refused { code: u16, nonce_b64: String },
}

/// The device a verified client certificate speaks for: its CN must be the DeviceID named and
/// its serial one we bound to a device (the chain was checked by TLS or `DeviceTrust`).
pub(super) async fn certificate_device(
    state: &AppState,
    cert: &[u8],
    device_key: &str,
) -> Result<Option<pinreset_core::DeviceId>, pinreset_store::StoreError> {
    if subject_cn(cert).as_deref() != Some(device_key) {
        return Ok(None);
    }
    let Some(serial) = serial_hex(cert) else { return Ok(None) };
    Ok(state.store.device_by_identity(crate::channels::CERT_SERIAL_KIND, &serial).await?.map(|d| d.id))
}

async fn certificate_matches(state: &AppState, cert: &[u8], device_key: &str, device: &Device) -> Result<bool, AppError> {
    Ok(certificate_device(state, cert, device_key).await? == Some(device.id))
}

/// The device's current nonce (base64) and whether it is in the nonce table yet (devices
/// enrolled before it existed have theirs as a sealed secret until their first rotation).
async fn current_nonce(state: &AppState, device: &Device) -> Result<(String, bool), AppError> {
    if let Some(n) = state.store.dm_nonce(device.id).await? {
        return Ok((n, true));
    }
    let legacy = match state.store.secret(&SecretKey::Device(device.id, pinreset_core::DeviceSecret::DmNonce), state.clock.now()).await? {
        SecretLookup::Available { secret, .. } => secret.expose().to_string(),
        _ => String::new(),
    };
    Ok((legacy, false))
}

fn fresh_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    B64.encode(bytes)
}

pub async fn prove(
    state: &AppState,
    cert: Option<&[u8]>,
    headers: &HeaderMap,
    body: &[u8],
    msg: &SyncMl,
    device_key: &str,
    auth: &DeviceAuth,
) -> Result<Proof, AppError> {
    if let Some(cert) = cert {
        let digest: [u8; 32] = Sha256::digest(cert).into();
        // Another device's certificate proves nothing here: fall through to MD5.
        if auth.certificate == Some(digest) || certificate_matches(state, cert, device_key, &auth.device).await? {
            return Ok(Proof::Certificate { digest });
        }
    }
    let hmac = headers.get(HMAC_HEADER);
    if hmac.is_none() && msg.hdr.cred.is_none() {
        let (nonce_b64, _) = current_nonce(state, &auth.device).await?;
        return Ok(Proof::Refused { code: 407, nonce_b64 });
    }
    // The nonce this instance issued last is tried first (no read); the compare-and-set below
    // is the only judge, so a nonce another instance replaced since just means one read more.
    let mut known = auth.nonce_b64.clone().map(|n| (n, true));
    loop {
        let from_cache = known.is_some();
        let (nonce_b64, stored) = match known.take() {
            Some(k) => k,
            None => current_nonce(state, &auth.device).await?,
        };
        let nonce = B64.decode(nonce_b64.trim()).unwrap_or_default();
        let password = auth.password.expose();
        let verified = match hmac {
            Some(value) => value
                .to_str()
                .ok()
                .and_then(|v| parse_hmac_header(v).ok())
                .is_some_and(|h| verify_hmac(&h, device_key, password, &nonce, body).is_ok()),
            None => verify_md5(msg.hdr.cred.as_ref(), device_key, password, &nonce).is_ok(),
        };
        if !verified || nonce.is_empty() {
            if from_cache {
                continue;
            }
            return Ok(Proof::Refused { code: 401, nonce_b64 });
        }
        // Spend the nonce before acting on the message: whoever replaces it first wins; a copy
        // of the same credentials arriving anywhere else finds it gone.
        let next = fresh_nonce();
        if state.store.rotate_dm_nonce(auth.device.id, stored.then_some(nonce_b64.as_str()), &next).await? {
            return Ok(Proof::Md5 { next_nonce_b64: next, by_cred: hmac.is_none() });
        }
        if !from_cache {
            let (now_current, _) = current_nonce(state, &auth.device).await?;
            return Ok(Proof::Refused { code: 401, nonce_b64: now_current });
        }
    }
}
