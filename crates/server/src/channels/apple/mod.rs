//! Apple MDM: check-in (`PUT /mdm/apple/checkin`) and the command endpoint
//! (`PUT /mdm/apple/connect`). Devices are identified by the TLS client certificate of the
//! enrollment identity we issued (see `identity.rs`); codecs live in `crates/apple`.

pub mod apns;
mod cache;
mod checkin;
mod command_log;
mod connect;
pub mod enrollment;
mod identity;
mod inventory;

use crate::state::AppState;
use axum::routing::put;
use axum::Router;

pub const CHECKIN_PATH: &str = "/mdm/apple/checkin";
pub const CONNECT_PATH: &str = "/mdm/apple/connect";
/// Identity kind under which a device's UDID (or User Enrollment id) is bound.
pub const IDENTITY_KIND: pinreset_core::IdentityKind = pinreset_core::IdentityKind::AppleUdid;

/// What `connect::command_for` encodes. Rename needs the Settings command (DeviceName), which
/// Apple honours on supervised devices only and this server does not send: refused up front.
pub const CONTRACT: pinreset_core::ChannelDeclaration = {
    use pinreset_core::{ErrorCode, Platform, SupportKind as K};
    pinreset_core::ChannelDeclaration {
        name: "apple-mdm",
        platforms: &[Platform::Ios, Platform::Ipados, Platform::Macos],
        carries: &[K::ClearOnly, K::Lock, K::LockWithPin, K::Wipe, K::WipeWithPin, K::Retire],
        refusals: &[(K::Rename, ErrorCode::AppleRenameUnsupported)],
    }
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(CHECKIN_PATH, put(checkin::checkin))
        .route(CONNECT_PATH, put(connect::connect))
        // Devices send at most a few KiB; the codec refuses more than 1 MiB.
        .layer(axum::extract::DefaultBodyLimit::max(pinreset_apple::MAX_BODY_BYTES))
        .layer(axum::Extension(std::sync::Arc::new(cache::IdentityCache::default())))
}
