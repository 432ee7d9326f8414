//! Windows: MS-MDE2 enrollment and OMA-DM management sessions.

mod auth_cache;
mod command_log;
pub mod enrollment;
pub mod federated;
mod proof;
pub mod session;
pub mod sessions;
mod soap;

use crate::state::AppState;
use axum::routing::get;
use axum::Router;

pub const DISCOVERY_PATH: &str = "/EnrollmentServer/Discovery.svc";
pub const POLICY_PATH: &str = "/EnrollmentServer/Policy.svc";
pub const ENROLLMENT_PATH: &str = "/EnrollmentServer/Enrollment.svc";
pub const MANAGEMENT_PATH: &str = "/ManagementServer/MDM.svc";

/// Identity kind under which a device's Windows DeviceID is bound.
pub const IDENTITY_KIND: pinreset_core::IdentityKind = pinreset_core::IdentityKind::WindowsDeviceId;

/// What `session::command_for` encodes: the PIN reset of Windows 10 Mobile (alphanumeric) and
/// Windows Phone 8.1 (numeric), lock, wipe, rename, and retiring (DMClient Unenroll).
pub const CONTRACT: pinreset_core::ChannelDeclaration = {
    use pinreset_core::capability::PasscodeScope;
    use pinreset_core::{Platform, SupportKind as K};
    pinreset_core::ChannelDeclaration {
        name: "windows-oma-dm",
        platforms: &[Platform::Windows, Platform::WindowsMobile, Platform::WindowsPhone],
        carries: &[K::TempAlphanumeric { scope: PasscodeScope::Device }, K::TempNumeric, K::Lock, K::Wipe, K::Retire, K::Rename],
        refusals: &[],
    }
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(DISCOVERY_PATH, get(enrollment::discovery_probe).post(enrollment::discovery))
        .route(federated::AUTH_PATH, get(federated::page).post(federated::sign_in))
        .route(POLICY_PATH, axum::routing::post(enrollment::policy))
        .route(ENROLLMENT_PATH, axum::routing::post(enrollment::enroll))
        .route(MANAGEMENT_PATH, axum::routing::post(session::session))
        .layer(axum::Extension(std::sync::Arc::new(WindowsChannel::default())))
}

/// What the Windows channel keeps in memory on this instance.
#[derive(Default)]
pub struct WindowsChannel {
    pub sessions: sessions::Sessions,
    auth: auth_cache::AuthCache,
}
