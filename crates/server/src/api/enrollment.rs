//! Enrollment profiles for Apple devices: the `.mobileconfig` a user installs, carrying the
//! device identity (PKCS#12 from the tenant's device CA) and the MDM payload.

use super::devices::parse_id;
use crate::app::enrollment_profile::{self, UserRef};
use crate::app::view::IssueEnrollmentProfiles;
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pinreset_core::{Detail, DetailCode, UserId};
use serde::Deserialize;

/// PayloadIdentifier of our profile (RemoveProfile with it unenrolls the device).
pub use crate::app::enrollment_profile::PROFILE_IDENTIFIER;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// The user the device will belong to, by id …
    user_id: Option<String>,
    /// … or by sign-in name (give one of the two).
    login: Option<String>,
}

/// Whom a profile or token is for: a user id or a login, exactly one of the two.
fn user_ref(user_id: Option<String>, login: Option<String>) -> Result<UserRef, AppError> {
    match (user_id, login) {
        (Some(id), None) => Ok(UserRef::Id(parse_id::<UserId>("user", &id)?)),
        (None, Some(login)) => Ok(UserRef::Login(login)),
        _ => Err(AppError::invalid(Detail::new(DetailCode::EitherField, [("first", "user_id".into()), ("second", "login".into())]))),
    }
}

#[utoipa::path(post, path = "/api/v1/enrollment/apple/profiles", tag = "enrollment", request_body = ProfileRequest,
    responses((status = 200, content_type = "application/x-apple-aspen-config", description = "The enrollment profile (.mobileconfig)"),
              (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn apple_profile(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    body: Result<Json<ProfileRequest>, JsonRejection>,
) -> Result<Response, AppError> {
    let Json(req) = body.map_err(|e| AppError::invalid(Detail::body_shape("{\"user_id\": …} or {\"login\": …}", e.body_text())))?;
    let who = user_ref(req.user_id, req.login)?;
    let bytes = enrollment_profile::issue(&state.view(actor).grant::<IssueEnrollmentProfiles>()?, who, request_id).await?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/x-apple-aspen-config"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"pinreset-enrollment.mobileconfig\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AndroidTokenRequest {
    /// The user the device will belong to, by id …
    user_id: Option<String>,
    /// … or by sign-in name (give one of the two).
    login: Option<String>,
    /// `corporate` (default) or `personal`.
    ownership: Option<pinreset_core::Ownership>,
    /// 1 to 168 hours; 24 by default.
    valid_hours: Option<u32>,
}

/// A one-time Android enrollment token: shown once, as text and as the QR code's payload.
#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AndroidTokenView {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user_id: UserId,
    pub ownership: pinreset_core::Ownership,
    /// JSON to encode in the QR code the device scans (Android's provisioning keys; the agent
    /// reads its server and token from the admin extras bundle).
    #[schema(value_type = Object)]
    pub qr_payload: serde_json::Value,
}

#[utoipa::path(post, path = "/api/v1/enrollment/android/tokens", tag = "enrollment", request_body = AndroidTokenRequest,
    responses((status = 201, body = AndroidTokenView, description = "The token, shown only in this answer"),
              (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn android_token(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    body: Result<Json<AndroidTokenRequest>, JsonRejection>,
) -> Result<Response, AppError> {
    let Json(req) = body.map_err(|e| AppError::invalid(Detail::body_shape("{\"user_id\": …} or {\"login\": …}", e.body_text())))?;
    let who = user_ref(req.user_id, req.login)?;
    let ownership = req.ownership.unwrap_or(pinreset_core::Ownership::Corporate);
    let valid_hours = req.valid_hours.unwrap_or(crate::app::android_enrollment::DEFAULT_VALID_HOURS);
    let grant = state.view(actor);
    let issued =
        crate::app::android_enrollment::issue(&grant.grant::<IssueEnrollmentProfiles>()?, who, ownership, valid_hours, request_id).await?;
    let view = AndroidTokenView {
        token: issued.token.expose().to_string(),
        expires_at: issued.expires_at,
        user_id: issued.user.id,
        ownership: issued.ownership,
        qr_payload: issued.qr_payload,
    };
    Ok((StatusCode::CREATED, [(header::CACHE_CONTROL, "no-store")], Json(view)).into_response())
}
