//! Signing in and out of a web session (the admin center and the portal use the same), and
//! signing in again to prove who you are before an operation that needs it (the step-up rule).
//! The session token travels only in a `Secure; HttpOnly; SameSite=Lax` cookie; the CSRF token
//! is handed out once, in the sign-in answer, for the page (or script) to send back.

use crate::auth::{token_hash, Principal, RequestId, SESSION_COOKIE};
use crate::error::{AppError, Problem};
use crate::sign_in::{Attempt, ClientAddr};
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use chrono::{DateTime, Utc};
use pinreset_core::{AuditKind, ErrorCode, NewAuditEvent, Role, User, WebSession};
use rand::RngCore;
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

fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

fn session_cookie(value: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}"))
        .expect("token characters are header-safe")
}

async fn view(state: &AppState, user: &User, s: &WebSession, csrf_token: Option<String>) -> Result<SessionView, AppError> {
    let window = state.store.tenant(s.tenant_id).await?.map(|t| t.settings.reauth_window_minutes).unwrap_or(5);
    Ok(SessionView {
        login: user.login.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        authenticated_at: s.authenticated_at,
        expires_at: s.expires_at,
        fresh_until: s.authenticated_at + chrono::Duration::minutes(window.into()),
        csrf_token,
    })
}

fn event(s: &WebSession, login: &str, outcome: &str, request_id: Option<String>, at: DateTime<Utc>) -> NewAuditEvent {
    crate::app::audit::for_tenant(at, s.tenant_id, format!("user:{login}"), AuditKind::SignIn, outcome, request_id)
}

/// Check a password through the sign-in gate (throttled, locked out, hashed off the workers).
async fn check(
    state: &AppState,
    client: std::net::IpAddr,
    candidates: Vec<(User, Option<String>)>,
    password: &str,
    rid: Option<String>,
) -> Result<User, AppError> {
    crate::sign_in::verify(state, Attempt { client, candidates, password, request_id: rid }).await.map_err(|refusal| {
        let now = state.clock.now();
        AppError::with_detail(refusal.code(), refusal.message(now))
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
    let Json(body) = body.map_err(|e| AppError::invalid(format!("Expected {{\"email\", \"password\"}}: {}", e.body_text())))?;
    pinreset_core::text::check_input("email", &body.email).map_err(AppError::invalid)?;
    let candidates = state.store.users_by_email(&body.email).await?;
    let user = check(&state, client, candidates, &body.password, rid.clone()).await?;
    let now = state.clock.now();
    let (token, csrf) = (random_token("prs_"), random_token("csrf_"));
    let session = WebSession::new(user.tenant_id, user.id, token_hash(&csrf), now);
    state.store.create_session(&session, &token_hash(&token)).await?;
    state.store.append_audit(&[event(&session, &user.login, "session_started", rid, now)]).await?;
    let max_age = (session.expires_at - now).num_seconds();
    let body = view(&state, &user, &session, Some(csrf)).await?;
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    response.headers_mut().insert(header::SET_COOKIE, session_cookie(&token, max_age));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn session_of(principal: &Principal) -> Result<&WebSession, AppError> {
    principal
        .session
        .as_ref()
        .ok_or_else(|| AppError::with_detail(ErrorCode::NotFound, "This request came with an API token, not a session."))
}

#[utoipa::path(get, path = "/api/v1/sessions/current", tag = "sessions",
    responses((status = 200, body = SessionView), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn current(State(state): State<AppState>, principal: Principal) -> Result<Json<SessionView>, AppError> {
    let session = session_of(&principal)?;
    let user = state.store.user(session.tenant_id, session.user_id).await?.ok_or_else(|| AppError::code(ErrorCode::Unauthenticated))?;
    Ok(Json(view(&state, &user, session, None).await?))
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
    let Json(body) = body.map_err(|e| AppError::invalid(format!("Expected {{\"password\"}}: {}", e.body_text())))?;
    let Some((user, hash)) = state.store.user_by_login(session.tenant_id, &principal.actor.login).await? else {
        return Err(AppError::code(ErrorCode::Unauthenticated));
    };
    let user = check(&state, client, vec![(user, hash)], &body.password, rid.clone()).await?;
    let now = state.clock.now();
    state.store.reauthenticated(session.id, now).await?;
    state.store.append_audit(&[event(&session, &user.login, "reauthenticated", rid, now)]).await?;
    let fresh = WebSession { authenticated_at: now, ..session };
    Ok(Json(view(&state, &user, &fresh, None).await?))
}

#[utoipa::path(delete, path = "/api/v1/sessions/current", tag = "sessions", responses((status = 204, description = "Signed out")))]
pub async fn sign_out(State(state): State<AppState>, RequestId(rid): RequestId, principal: Principal) -> Result<Response, AppError> {
    let session = session_of(&principal)?;
    let now = state.clock.now();
    state.store.revoke_session(session.id, now).await?;
    state.store.append_audit(&[event(session, &principal.actor.login, "session_ended", rid, now)]).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, session_cookie("", 0));
    Ok(response)
}
