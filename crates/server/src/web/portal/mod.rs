//! The self-service portal: server-rendered pages under `/portal` for the people whose devices
//! these are, phone-sized first. Same engine, sessions, languages and templates as the admin
//! center; every handler acts through the view of the signed-in user as an end user
//! (`user.rs`), so a device that is not theirs does not exist (404).
//!
//! `sign_in` (sign in/out, the step-up's sign-in, language), `devices` (tiles, details),
//! `actions` (confirmations, the reset passcode flow, showing the passcode), `notifications`,
//! `help` (support contact, adding a device).

mod actions;
mod devices;
mod help;
mod notifications;
pub mod sign_in;
mod user;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(devices::list))
        .route("/portal/sign-in", get(sign_in::show).post(sign_in::submit))
        .route("/portal/sign-out", post(sign_in::sign_out))
        .route("/portal/language", get(sign_in::switch_language))
        .route("/portal/devices/{id}", get(devices::show))
        .route("/portal/devices/{id}/reset-passcode", get(actions::reset_passcode).post(actions::reset_passcode_submit))
        .route("/portal/devices/{id}/reset-passcode/sign-in-again", post(actions::sign_in_again))
        .route("/portal/devices/{id}/{action}", get(actions::confirm).post(actions::submit))
        .route("/portal/actions/{id}/passcode", post(actions::reveal))
        .route("/portal/notifications", get(notifications::list))
        .route("/portal/notifications/{id}", get(notifications::open))
        .route("/portal/support", get(help::support))
        .route("/portal/enroll", get(help::enroll))
        .route("/portal/enroll/apple", post(help::apple_profile))
}
