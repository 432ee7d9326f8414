//! Device channels mounted into the server: each speaks one platform's protocol on the wire
//! (codecs in its own crate) and talks to the spine only through `app::delivery`,
//! `app::device_results`, `app::profiles` and the store's identity and secret ports.
//!
//! The channel contract (docs/ARCHITECTURE.md, "Channel contract"): each channel declares what
//! it can encode (`CONTRACT`, read by the capability matrix so nothing else is ever queued) and
//! how its devices are woken (`Waker`, or none when its devices poll).

pub mod android;
pub mod apple;
mod registry;
pub mod windows;

pub use registry::{Registry, Waker, CONTRACTS};

use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{DeviceId, DeviceSecret, IdentityKind, Secret};
use pinreset_store::{SecretKey, SecretLookup};

/// Identity kind under which a certificate we issued is bound to its device (its serial, lower
/// case hex without leading zeros): how every channel recognises a device by its certificate.
pub const CERT_SERIAL_KIND: IdentityKind = IdentityKind::CertSerial;

/// A device's sealed secret, if it is there and not expired (every channel reads them so).
pub async fn device_secret(state: &AppState, device: DeviceId, purpose: DeviceSecret) -> Result<Option<Secret>, AppError> {
    Ok(match state.store.secret(&SecretKey::Device(device, purpose), state.clock.now()).await? {
        SecretLookup::Available { secret, .. } => Some(secret),
        _ => None,
    })
}
