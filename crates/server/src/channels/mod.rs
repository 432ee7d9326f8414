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

/// Last-seen times are coalesced on every channel: a check-in, poll or session records
/// `last_check_in` only when the recorded one is at least this old (or something else about
/// the device changed), so an idle device checking in every few seconds costs no write. The
/// device view's last check-in is accurate to this interval.
pub const CHECK_IN_RESOLUTION: chrono::Duration = chrono::Duration::minutes(5);

/// A device's sealed secret, if it is there and not expired (every channel reads them so).
pub async fn device_secret(state: &AppState, device: DeviceId, purpose: DeviceSecret) -> Result<Option<Secret>, AppError> {
    Ok(match state.store.secret(&SecretKey::Device(device, purpose), state.clock.now()).await? {
        SecretLookup::Available { secret, .. } => Some(secret),
        _ => None,
    })
}
