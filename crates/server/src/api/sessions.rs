//! Signing in and out of a web session (the admin center and the portal use the same), and
//! signing in again to prove who you are before an operation that needs it (the step-up rule).
//! The session token travels only in a `Secure; HttpOnly; SameSite=Lax` cookie; the CSRF token
//! is handed out once, in the sign-in answer, for the page (or script) to send back.

use crate::app::sessions;
use crate::auth::{Principal, RequestId, SESSION_COOKIE};
use crate::error::{AppError, Problem};
use crate::sign_in::ClientAddr;
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use pinreset_core::{Detail, DetailCode, ErrorCode, Role, WebSession};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInBody {
    /// The work email address.
    email: String,
    password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReauthenticateBody {
    password: String,
    /// The device whose passcode this session will reset: the proof is bound to the session and
    /// this device and spent by one reset (end users need it for `reset-passcode`).
    #[serde(default)]
    device_id: Option<pinreset_core::DeviceId>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SessionView {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub authenticated_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Until when operations that need a fresh sign-in are allowed.
    pub fresh_until: DateTime<Utc>,
    /// Only in the sign-in answer: send it back in `X-CSRF-Token` with every change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

/// Also set by the admin center's sign-in form, so both doors make the same cookie.
pub(crate) fn session_cookie(value: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}"))
        .expect("token characters are header-safe")
}

async fn view(state: &AppState, s: &WebSession, csrf_token: Option<String>) -> Result<SessionView, AppError> {
    let (user, window) = sessions::describe(state, s).await?;
    Ok(SessionView {
        login: user.login,
        display_name: user.display_name,
        role: user.role,
        authenticated_at: s.authenticated_at,
        expires_at: s.expires_at,
        fresh_until: s.authenticated_at + chrono::Duration::minutes(window.into()),
        csrf_token,
    })
}

#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions", request_body = SignInBody,
    responses((status = 201, body = SessionView, description = "Signed in; the session cookie is set"), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    RequestId(rid): RequestId,
    body: Result<Json<SignInBody>, JsonRejection>,
) -> Result<Response, AppError> {
    let Json(body) = body.map_err(|e| AppError::invalid(Detail::body_shape("{\"email\", \"password\"}", e.body_text())))?;
    let started = sessions::start(&state, client, &body.email, &body.password, rid).await?;
    let max_age = (started.session.expires_at - state.clock.now()).num_seconds();
    let body = view(&state, &started.session, Some(started.csrf_token)).await?;
    let token = started.token;
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    response.headers_mut().insert(header::SET_COOKIE, session_cookie(&token, max_age));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn session_of(principal: &Principal) -> Result<&WebSession, AppError> {
    principal.session.as_ref().ok_or_else(|| AppError::with_detail(ErrorCode::NotFound, Detail::plain(DetailCode::NotASession)))
}

#[utoipa::path(get, path = "/api/v1/sessions/current", tag = "sessions",
    responses((status = 200, body = SessionView), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn current(State(state): State<AppState>, principal: Principal) -> Result<Json<SessionView>, AppError> {
    Ok(Json(view(&state, session_of(&principal)?, None).await?))
}

#[utoipa::path(post, path = "/api/v1/sessions/current/reauthenticate", tag = "sessions", request_body = ReauthenticateBody,
    responses((status = 200, body = SessionView, description = "Fresh for the tenant's step-up window"), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn reauthenticate(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    RequestId(rid): RequestId,
    principal: Principal,
    body: Result<Json<ReauthenticateBody>, JsonRejection>,
) -> Result<Json<SessionView>, AppError> {
    let session = session_of(&principal)?.clone();
    let Json(body) = body.map_err(|e| AppError::invalid(Detail::body_shape("{\"password\"}", e.body_text())))?;
    if let Some(device) = body.device_id {
        // Only a device the user may see; refused before the password is even checked.
        state.view(principal.actor.clone()).device(device).await?;
    }
    let fresh = sessions::reauthenticate(&state, client, &session, &body.password, rid.clone()).await?;
    if let Some(device) = body.device_id {
        let origin = crate::app::step_up::Origin { session: Some(fresh.id), client, request_id: rid };
        crate::app::step_up::grant_for(&state, &fresh, device, &principal.actor.login, &origin).await?;
    }
    Ok(Json(view(&state, &fresh, None).await?))
}

#[utoipa::path(delete, path = "/api/v1/sessions/current", tag = "sessions", responses((status = 204, description = "Signed out")))]
pub async fn sign_out(State(state): State<AppState>, RequestId(rid): RequestId, principal: Principal) -> Result<Response, AppError> {
    sessions::end(&state, session_of(&principal)?, &principal.actor.login, rid).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, session_cookie("", 0));
    Ok(response)
}
