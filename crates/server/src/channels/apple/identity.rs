//! Who is calling: the verified TLS client certificate's serial names either an enrollment
//! grant (first Authenticate) or the device it was bound to. A message whose UDID is not the
//! certificate's device is refused and changes nothing.

use super::cache::IdentityCache;
use super::IDENTITY_KIND;
use crate::error::AppError;
use crate::peer_cert::serial_hex;
use crate::state::AppState;
use pinreset_core::{Device, User};

pub const SERIAL_KIND: &str = "cert-serial";

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
    Ok(match state.store.enrollment_grant(&serial).await? {
        Some(user) => Caller::Grant { serial, user },
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
