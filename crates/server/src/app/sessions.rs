//! Web sessions as a service the doors share: sign in (through the sign-in gate), describe,
//! sign in again (the step-up), sign out — each audited. The doors only carry the token in a
//! cookie and the CSRF token in the page; neither is kept here except as hashes.

use super::audit;
use crate::auth::{random_token, token_hash};
use crate::error::AppError;
use crate::sign_in::Attempt;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use pinreset_core::{AuditKind, ErrorCode, NewAuditEvent, User, WebSession};

/// A new session and the two tokens only its owner will ever hold.
pub struct Started {
    pub session: WebSession,
    pub user: User,
    /// Goes into the session cookie.
    pub token: String,
    /// Goes into the page, sent back in `X-CSRF-Token`.
    pub csrf_token: String,
}

fn event(s: &WebSession, login: &str, outcome: &str, request_id: Option<String>, at: DateTime<Utc>) -> NewAuditEvent {
    audit::for_tenant(at, s.tenant_id, format!("user:{login}"), AuditKind::SignIn, outcome, request_id)
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
        AppError::with_detail(refusal.code(), refusal.detail(now))
    })
}

pub async fn start(
    state: &AppState,
    client: std::net::IpAddr,
    email: &str,
    password: &str,
    rid: Option<String>,
) -> Result<Started, AppError> {
    pinreset_core::text::check_input("email", email).map_err(AppError::invalid)?;
    let candidates = state.store.users_by_email(email).await?;
    let user = check(state, client, candidates, password, rid.clone()).await?;
    let now = state.clock.now();
    open(state, user, now, "session_started", rid).await
}

/// A new session for a user who just proved who they are at `authenticated_at` (a password
/// check now, or an OpenID provider's `auth_time`); `how` is the audit outcome.
pub(crate) async fn open(
    state: &AppState,
    user: User,
    authenticated_at: DateTime<Utc>,
    how: &str,
    rid: Option<String>,
) -> Result<Started, AppError> {
    let now = state.clock.now();
    let (token, csrf_token) = (random_token("prs_"), random_token("csrf_"));
    let mut session = WebSession::new(user.tenant_id, user.id, token_hash(&csrf_token), now);
    session.authenticated_at = authenticated_at.min(now);
    state.store.create_session(&session, &token_hash(&token)).await?;
    state.store.append_audit(&[event(&session, &user.login, how, rid, now)]).await?;
    Ok(Started { session, user, token, csrf_token })
}

/// Until when a refused sign-in must wait (this address's backoff, or the lockout of the
/// accounts the email names), for a form to say so in its own language. None: no wait.
pub async fn sign_in_wait_until(state: &AppState, client: std::net::IpAddr, email: &str) -> Result<Option<DateTime<Utc>>, AppError> {
    let now = state.clock.now();
    let throttle = state.sign_in.throttle();
    let mut until = throttle.address_blocked(client, now);
    for (user, _) in state.store.users_by_email(email).await? {
        let key = crate::sign_in::throttle::AccountKey { tenant_id: user.tenant_id, login: user.login };
        until = until.max(throttle.account_locked(&key, client, now));
    }
    Ok(until)
}

/// The session's user and the tenant's step-up window (minutes).
pub async fn describe(state: &AppState, session: &WebSession) -> Result<(User, u16), AppError> {
    let user = state.store.user(session.tenant_id, session.user_id).await?.ok_or_else(|| AppError::code(ErrorCode::Unauthenticated))?;
    let window = state
        .store
        .tenant(session.tenant_id)
        .await?
        .map_or(pinreset_core::session::DEFAULT_REAUTH_WINDOW_MINUTES, |t| t.settings.reauth_window_minutes);
    Ok((user, window))
}

/// The user proves who they are again: the session is fresh from now.
pub async fn reauthenticate(
    state: &AppState,
    client: std::net::IpAddr,
    session: &WebSession,
    password: &str,
    rid: Option<String>,
) -> Result<WebSession, AppError> {
    let (user, _) = describe(state, session).await?;
    let Some((user, hash)) = state.store.user_by_login(session.tenant_id, &user.login).await? else {
        return Err(AppError::code(ErrorCode::Unauthenticated));
    };
    let user = check(state, client, vec![(user, hash)], password, rid.clone()).await?;
    let now = state.clock.now();
    state.store.reauthenticated(session.id, now).await?;
    state.store.append_audit(&[event(session, &user.login, "reauthenticated", rid, now)]).await?;
    Ok(WebSession { authenticated_at: now, ..session.clone() })
}

pub async fn end(state: &AppState, session: &WebSession, login: &str, rid: Option<String>) -> Result<(), AppError> {
    let now = state.clock.now();
    state.store.revoke_session(session.id, now).await?;
    state.store.append_audit(&[event(session, login, "session_ended", rid, now)]).await?;
    Ok(())
}
