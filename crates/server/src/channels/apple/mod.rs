//! Apple MDM: check-in (`PUT /mdm/apple/checkin`) and the command endpoint
//! (`PUT /mdm/apple/connect`). Devices are identified by the TLS client certificate of the
//! enrollment identity we issued (see `identity.rs`); codecs live in `crates/apple`.

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
pub const IDENTITY_KIND: &str = "apple-udid";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(CHECKIN_PATH, put(checkin::checkin))
        .route(CONNECT_PATH, put(connect::connect))
        // Devices send at most a few KiB; the codec refuses more than 1 MiB.
        .layer(axum::extract::DefaultBodyLimit::max(pinreset_apple::MAX_BODY_BYTES))
        .layer(axum::Extension(std::sync::Arc::new(cache::IdentityCache::default())))
}
