//! The step-up before an end user's passcode reset: whoever holds a signed-in browser must not
//! be able to hand themselves a device. The user asks (`ask`: a one-use ticket naming the device
//! and the moment), is signed out, and signs in again; that sign-in must have happened after the
//! ask and within the tenant's window (`redeem`: for OpenID Connect the provider's own
//! `auth_time`, so a provider that ignored `prompt=login`, or an older sign-in replayed into the
//! callback, does not pass). Only then does the new session get a grant — bound to the session
//! and the device, spent by one reset (`spend`, called by `actions::request`). Refreshing or
//! using a session never creates one.

use super::{audit, scope};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use pinreset_core::{Actor, AuditKind, Detail, DetailCode, DeviceId, ErrorCode, NewAuditEvent, Secret, TenantId, UserId, WebSession};
use pinreset_store::{NewSecret, SecretKey, SecretLookup};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// How long the user has, after asking, to sign in again.
pub const TICKET_MINUTES: i64 = 10;

/// What the user asked for, sealed until the sign-in that follows spends it.
#[derive(Serialize, Deserialize)]
pub struct Ticket {
    tenant_id: TenantId,
    user_id: UserId,
    pub device_id: DeviceId,
    requested_at: DateTime<Utc>,
}

/// A session's leave to reset one device's passcode once.
#[derive(Serialize, Deserialize)]
struct Grant {
    device_id: DeviceId,
    authenticated_at: DateTime<Utc>,
}

/// Where a step happened, for the audit trail (the session id is not a secret; its token is).
pub struct Origin {
    pub session: Option<uuid::Uuid>,
    pub client: IpAddr,
    pub request_id: Option<String>,
}

fn event(
    now: DateTime<Utc>,
    tenant: TenantId,
    actor: String,
    kind: AuditKind,
    device: DeviceId,
    outcome: &str,
    origin: &Origin,
) -> NewAuditEvent {
    NewAuditEvent {
        at: now,
        tenant_id: tenant,
        actor,
        kind,
        device_id: Some(device),
        action_id: None,
        action: Some("reset_passcode".into()),
        outcome: outcome.into(),
        request_id: origin.request_id.clone(),
        origin: audit::origin_of(origin.session, Some(origin.client)),
    }
}

fn refusal(detail: Detail) -> AppError {
    AppError::with_detail(ErrorCode::ReauthRequired, detail)
}

fn sealed<T: Serialize>(value: &T) -> Result<Secret, AppError> {
    Ok(Secret::new(serde_json::to_string(value).map_err(|e| AppError::internal("step-up record", e))?))
}

async fn window_minutes(state: &AppState, tenant: TenantId) -> Result<u16, AppError> {
    Ok(state
        .store
        .tenant(tenant)
        .await?
        .map_or(pinreset_core::session::DEFAULT_REAUTH_WINDOW_MINUTES, |t| t.settings.reauth_window_minutes))
}

/// The user asks to reset `device`'s passcode: a ticket for the sign-in that must follow.
pub async fn ask(state: &AppState, actor: &Actor, device: DeviceId, origin: &Origin) -> Result<uuid::Uuid, AppError> {
    let device = scope::visible_device(state, actor, device).await?;
    let now = state.clock.now();
    let ticket = Ticket { tenant_id: actor.tenant_id, user_id: actor.user_id, device_id: device.id, requested_at: now };
    let id = uuid::Uuid::new_v4();
    let expires_at = Some(now + Duration::minutes(TICKET_MINUTES));
    state.store.put_secret(NewSecret { key: SecretKey::StepUpTicket(id), secret: &sealed(&ticket)?, expires_at }).await?;
    let e = event(now, actor.tenant_id, audit::actor_label(actor), AuditKind::StepUpRequested, device.id, "asked", origin);
    state.store.append_audit(&[e]).await?;
    Ok(id)
}

/// Spend the ticket for a sign-in by `user` proven at `signed_in`: it must be theirs, after the
/// ask (to the second, the resolution of an ID token's `auth_time`) and inside the window.
/// Refusals are audited; the ticket is spent either way.
pub async fn check(
    state: &AppState,
    ticket: uuid::Uuid,
    user: &pinreset_core::User,
    signed_in: DateTime<Utc>,
    origin: &Origin,
) -> Result<Ticket, AppError> {
    let now = state.clock.now();
    let taken = state.store.take_secret(&SecretKey::StepUpTicket(ticket), now).await?;
    let ticket: Ticket =
        taken.and_then(|s| serde_json::from_str(s.expose()).ok()).ok_or_else(|| refusal(Detail::plain(DetailCode::StepUpNotAsked)))?;
    let window = window_minutes(state, user.tenant_id).await?;
    let stamp = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let problem = if (ticket.tenant_id, ticket.user_id) != (user.tenant_id, user.id) {
        // Someone else signed in on this browser: their sign-in proves nothing about the asker.
        Some(Detail::plain(DetailCode::StepUpNotAsked))
    } else if signed_in.timestamp() < ticket.requested_at.timestamp() {
        Some(Detail::new(DetailCode::StepUpBeforeRequest, [("signed_in", stamp(signed_in)), ("asked", stamp(ticket.requested_at))]))
    } else if pinreset_core::session::require_fresh_authentication(Some(signed_in.min(now)), now, window).is_err() {
        Some(Detail::new(DetailCode::StepUpTooOld, [("signed_in", stamp(signed_in)), ("minutes", window.to_string())]))
    } else {
        None
    };
    if let Some(detail) = problem {
        let label = format!("user:{}", user.login);
        let e = event(
            now,
            ticket.tenant_id,
            label,
            AuditKind::StepUpRefused,
            ticket.device_id,
            &format!("refused:{}", detail.code.code()),
            origin,
        );
        state.store.append_audit(&[e]).await?;
        return Err(refusal(detail));
    }
    Ok(ticket)
}

/// Spend a ticket that cannot be honoured (the sign-in gave no time to check).
pub async fn discard(state: &AppState, ticket: uuid::Uuid) -> Result<(), AppError> {
    state.store.take_secret(&SecretKey::StepUpTicket(ticket), state.clock.now()).await?;
    Ok(())
}

/// Give the new session its grant for the ticket's device.
pub async fn grant(state: &AppState, ticket: &Ticket, session: &WebSession, login: &str, origin: &Origin) -> Result<DeviceId, AppError> {
    grant_for(state, session, ticket.device_id, login, origin).await
}

/// A grant for a session that proved itself just now (a password check in this request).
pub async fn grant_for(
    state: &AppState,
    session: &WebSession,
    device: DeviceId,
    login: &str,
    origin: &Origin,
) -> Result<DeviceId, AppError> {
    let window = window_minutes(state, session.tenant_id).await?;
    let value = Grant { device_id: device, authenticated_at: session.authenticated_at };
    let expires_at = Some(session.authenticated_at + Duration::minutes(window.into()));
    state.store.put_secret(NewSecret { key: SecretKey::StepUpGrant(session.id), secret: &sealed(&value)?, expires_at }).await?;
    let e = event(state.clock.now(), session.tenant_id, format!("user:{login}"), AuditKind::StepUpGranted, device, "granted", origin);
    state.store.append_audit(&[e]).await?;
    Ok(device)
}

/// The user read the warning before a reset of `device` and went on.
pub async fn warning_accepted(state: &AppState, actor: &Actor, device: DeviceId, origin: &Origin) -> Result<(), AppError> {
    let device = scope::visible_device(state, actor, device).await?;
    let e = event(state.clock.now(), actor.tenant_id, audit::actor_label(actor), AuditKind::WarningAccepted, device.id, "accepted", origin);
    state.store.append_audit(&[e]).await?;
    Ok(())
}

/// Until when this actor's session may reset `device`'s passcode (None: it must step up).
pub async fn granted_until(state: &AppState, actor: &Actor, device: DeviceId) -> Result<Option<DateTime<Utc>>, AppError> {
    let Some(session) = actor.session_id else { return Ok(None) };
    match state.store.secret(&SecretKey::StepUpGrant(session), state.clock.now()).await? {
        SecretLookup::Available { secret, expires_at } => {
            let grant: Option<Grant> = serde_json::from_str(secret.expose()).ok();
            Ok(grant.filter(|g| g.device_id == device).and(expires_at))
        }
        _ => Ok(None),
    }
}

/// Spend this session's grant on `device` (one reset per step-up). Without one: refused.
pub async fn spend(state: &AppState, actor: &Actor, device: DeviceId) -> Result<(), AppError> {
    let not_asked = || refusal(Detail::plain(DetailCode::StepUpNotAsked));
    if granted_until(state, actor, device).await?.is_none() {
        return Err(not_asked());
    }
    let session = actor.session_id.ok_or_else(not_asked)?;
    // Two requests racing with one grant: the store hands it to one of them.
    state.store.take_secret(&SecretKey::StepUpGrant(session), state.clock.now()).await?.ok_or_else(not_asked)?;
    Ok(())
}
