//! The admin REST API under /api/v1, plus /healthz.

pub mod actions;
pub mod android_enterprise;
pub mod audit;
pub mod bulk;
pub mod devices;
pub mod enrollment;
pub mod extract;
pub mod groups;
pub mod mail;
pub mod openapi;
pub mod profiles;
pub mod readiness;
pub mod reenrollments;
pub mod sessions;
pub mod sign_in;
pub mod tenant;
pub mod users;
pub mod views;

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderName, Request};
use axum::routing::{get, post};
use axum::{Json, Router};
use pinreset_core::ErrorCode;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

/// Bodies larger than this are refused before a handler sees them.
const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/devices", get(devices::list))
        .route("/devices/{id}", get(devices::show))
        .route("/devices/{id}/actions", get(devices::history))
        .route("/devices/{id}/commands", get(devices::commands))
        .route("/devices/{id}/sync", post(devices::sync))
        .route("/devices/{id}/actions/{action}", post(devices::request_action))
        .route("/actions/bulk", post(bulk::start))
        .route("/actions/bulk/{id}", get(bulk::show))
        .route("/actions/bulk/{id}/cancel", post(bulk::cancel))
        .route("/actions/{id}", get(actions::show))
        .route("/actions/{id}/passcode", get(actions::passcode))
        .route("/audit", get(audit::list))
        .route("/readiness", get(readiness::report))
        .route("/enrollment/apple/profiles", post(enrollment::apple_profile))
        .route("/enrollment/android/tokens", post(enrollment::android_token))
        .route("/groups", get(profiles::groups).post(groups::create))
        .route("/groups/{id}", get(groups::show))
        .route("/groups/{id}/members/{member}", axum::routing::put(groups::add_member).delete(groups::remove_member))
        .route("/profiles", get(profiles::list).post(profiles::create))
        .route("/profiles/{id}", get(profiles::show).put(profiles::update))
        .route("/profiles/{id}/assignments", axum::routing::put(profiles::assign))
        .route("/profiles/{id}/status", get(profiles::status))
        .route("/sessions", post(sessions::sign_in))
        .route("/sessions/current", get(sessions::current).delete(sessions::sign_out))
        .route("/sessions/current/reauthenticate", post(sessions::reauthenticate))
        .route("/reenrollments", get(reenrollments::list))
        .route("/reenrollments/{id}/approve", post(reenrollments::approve))
        .route("/reenrollments/{id}/reject", post(reenrollments::reject))
        .route("/sign-in/lockouts", get(sign_in::lockouts))
        .route("/sign-in/lockouts/{login}", axum::routing::delete(sign_in::unlock))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", get(users::show).patch(users::update).delete(users::delete))
        .route("/users/{id}/tokens", get(users::list_tokens).post(users::create_token))
        .route("/users/{id}/tokens/{token}", axum::routing::delete(users::revoke_token))
        .route("/tenant", get(tenant::show))
        .route("/tenant/pin-reset-consent", post(tenant::set_consent))
        .route("/tenant/settings", axum::routing::put(tenant::update_settings))
        .route("/tenant/apns", axum::routing::put(tenant::set_apns))
        .route("/tenant/sso", get(tenant::show_sso).put(tenant::set_sso).delete(tenant::remove_sso))
        .route("/tenant/mail", get(mail::show).put(mail::set).delete(mail::remove))
        .route("/tenant/mail/test", post(mail::test))
        .route("/tenant/android-enterprise", get(android_enterprise::show).put(android_enterprise::set).delete(android_enterprise::remove))
        .route("/tenant/android-enterprise/sync", post(android_enterprise::sync))
        .route("/openapi.json", get(|| async { Json(openapi::ApiDoc::openapi()) }))
        .fallback(|| async {
            AppError::with_detail(ErrorCode::NotFound, pinreset_core::Detail::plain(pinreset_core::DetailCode::NoSuchEndpoint))
        });
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(health))
        .nest("/api/v1", api)
        .merge(crate::web::routes())
        .merge(crate::channels::windows::routes())
        .merge(crate::channels::apple::routes())
        .merge(crate::channels::android::routes())
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A span per request carries the request id into every event logged inside it; the
        // layer's own per-request events stay at debug (the hot path must not log at info).
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        // Outermost: before the id is kept, logged, echoed and audited.
        .layer(axum::middleware::map_request(drop_unsafe_request_id))
}

/// A client-supplied `x-request-id` is kept only when it is a plain short token (see
/// `pinreset_core::text::is_sane_request_id`); anything else — a 10 KB header, a forged log
/// line, markup — is removed, so the request-id layer gives the request a fresh UUID instead.
async fn drop_unsafe_request_id(mut req: axum::extract::Request) -> axum::extract::Request {
    let ids = req.headers().get_all("x-request-id");
    let sane = ids.iter().count() == 1 && ids.iter().all(|v| v.to_str().is_ok_and(pinreset_core::text::is_sane_request_id));
    if !sane {
        req.headers_mut().remove("x-request-id");
    }
    req
}

async fn health(State(state): State<AppState>) -> Json<views::Health> {
    Json(views::Health { status: "ok".into(), backend: state.backend().into() })
}

#[cfg(test)]
mod tests {
    /// The API layer is a door: its handlers hold a view of the application (`AppState::view`),
    /// never the store, so no handler can skip the checks the views make.
    #[test]
    fn handlers_never_reach_the_store() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            // Spelled in pieces so that this test's own text does not match.
            for needle in [concat!(".", "store."), concat!("authz", "::require"), concat!("app", "::scope")] {
                assert!(!text.contains(needle), "{} uses {needle}: go through the view instead", path.display());
            }
        }
    }
}
