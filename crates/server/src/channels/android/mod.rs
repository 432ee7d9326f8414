//! Android: the channel serving Android devices, behind one `AndroidBackend` interface. Today
//! its one backend is our own agent (a device policy controller speaking the protocol of
//! docs/android-agent-protocol.md); the Android Management API backend plugs in beside it.
//!
//! The agent enrolls with a one-time token an admin shows as a QR code (`enroll.rs`), gets a
//! client certificate from the tenant's device CA (renewed before it expires: `renew.rs`) — the same device trust as Apple and Windows,
//! so every later request is proven by mutual TLS (`identity.rs`) — reports its state
//! (`checkin.rs`), escrows its reset-password token (`reset_token.rs`, sealed as
//! `DeviceSecret::ResetToken`), long-polls for commands (`commands.rs`, woken by `waiters.rs`)
//! and answers each with a real outcome (`results.rs`). With a broker configured, an agent may
//! instead be woken over MQTT (`mqtt.rs`, its login from `mqtt_login.rs`).

pub mod amapi;
pub mod backend;
mod checkin;
mod command_log;
mod commands;
pub mod enroll;
mod identity;
pub mod mqtt;
mod mqtt_login;
mod renew;
mod reply;
pub mod reset_token;
mod results;
pub mod waiters;
/// The agent's messages live in their own crate (fuzzed there); the channel reads them as `wire`.
pub use pinreset_android::wire;

pub use amapi::AmapiBackend;
pub use backend::{AgentBackend, AndroidBackend, AndroidChannel};

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;
use pinreset_core::capability::PasscodeScope;
use pinreset_core::{ChannelDeclaration, Platform, SupportKind as K};

/// Where the agent talks to the server (the version is part of the path).
pub const BASE_PATH: &str = "/android/v1";
pub const ENROLL_PATH: &str = "/android/v1/enroll";
pub const CHECKIN_PATH: &str = "/android/v1/checkin";
pub const RESET_TOKEN_PATH: &str = "/android/v1/reset-token";
pub const COMMANDS_PATH: &str = "/android/v1/commands";
pub const MQTT_PATH: &str = "/android/v1/mqtt";
pub const RENEW_PATH: &str = "/android/v1/renew";

/// What `commands::command_for` encodes: a reset with the server's temporary passcode (for the
/// whole device, or the work profile of a profile owner), lock, wipe, retire and rename.
pub const CONTRACT: ChannelDeclaration = ChannelDeclaration {
    name: "android",
    platforms: &[Platform::Android],
    carries: &[
        K::TempAlphanumeric { scope: PasscodeScope::Device },
        K::TempAlphanumeric { scope: PasscodeScope::WorkProfile },
        K::Lock,
        K::Wipe,
        K::Retire,
        K::Rename,
    ],
    refusals: &[],
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(ENROLL_PATH, post(enroll::enroll))
        .route(CHECKIN_PATH, post(checkin::checkin))
        .route(RESET_TOKEN_PATH, post(checkin::reset_token))
        .route(COMMANDS_PATH, get(commands::poll))
        .route(MQTT_PATH, post(mqtt_login::mqtt_login))
        .route(RENEW_PATH, post(renew::renew))
        .route("/android/v1/commands/{id}/result", post(results::result))
        // An agent's messages are a few hundred bytes (a CSR is the largest): 16 KiB is plenty.
        .layer(axum::extract::DefaultBodyLimit::max(wire::MAX_BODY_BYTES))
}
