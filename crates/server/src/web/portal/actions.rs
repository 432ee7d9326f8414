//! The portal's actions through the engine's one pipeline: Remote lock, Rename, Remove and
//! Reset device each behind their own confirmation; Reset passcode behind the step-up (sign
//! out, sign in again) and the warning; and showing a temporary passcode (an audited read that
//! needs a recent sign-in).

use super::super::devices::when;
use super::super::i18n;
use super::super::labels;
use super::super::page::{self, Chrome, ErrorView};
use super::devices::{self, Extra, Revealed};
use super::sign_in::{end_session, step_up_cookie};
use super::user::{sign_in_href, PortalUser};
use crate::app::step_up::{self, Origin};
use crate::auth::RequestId;
use crate::sign_in::ClientAddr;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::Form;
use pinreset_core::{ActionKind, ActionParams, Capability, Device, ErrorCode};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct ConfirmPage {
    #[serde(flatten)]
    chrome: Chrome,
    device_id: String,
    device_name: String,
    action_label: String,
    /// What will happen, said plainly.
    consequence: String,
    /// The second paragraph of a warning (who can reach the data, what is lost).
    caution: Option<String>,
    post_to: String,
    needs_name: bool,
    lock_fields: bool,
    destructive: bool,
    /// The reset passcode warning: until when the sign-in still counts.
    deadline: Option<String>,
}

/// The device, if the user owns it and the portal offers `kind` on it now; else the page
/// that says why (404 for anything not theirs).
async fn offered(state: &AppState, user: &PortalUser, id: &str, kind: ActionKind) -> Result<Device, Response> {
    let Ok(device_id) = id.parse() else { return Err(page::problem(&user.chrome, ErrorCode::NotFound)) };
    let view = state.view(user.actor.clone());
    let device = view.device(device_id).await.map_err(|e| page::error(&user.chrome, &e))?;
    let caps = view.capabilities(&device).await.map_err(|e| page::error(&user.chrome, &e))?;
    match caps.get(kind.as_str()) {
        Some(Capability::Supported { .. }) => Ok(device),
        Some(c) => Err(page::problem(&user.chrome, c.refusal().unwrap_or(ErrorCode::ActionNotSupported))),
        None => Err(page::problem(&user.chrome, ErrorCode::ActionNotSupported)),
    }
}

fn confirm_page(user: &PortalUser, device: &Device, kind: ActionKind, deadline: Option<String>) -> Response {
    let lang = user.lang();
    let name = device.name.clone();
    let t = |k: &str| i18n::text(lang, k, &[("device", name.clone().into())]);
    let (consequence, caution) = match kind {
        ActionKind::ResetPasscode => (t("portal-warn-reset-passcode"), Some(t("portal-warn-reset-passcode-holder"))),
        ActionKind::RemoteLock => (t("portal-warn-lock"), None),
        ActionKind::Rename => (t("portal-warn-rename"), None),
        ActionKind::Remove => (t("portal-warn-remove"), Some(t("portal-warn-remove-data"))),
        ActionKind::ResetDevice => (t("portal-warn-reset-device"), Some(t("portal-warn-reset-device-erase"))),
    };
    let post_to = if kind == ActionKind::ResetPasscode {
        format!("/portal/devices/{}/reset-passcode", device.id)
    } else {
        format!("/portal/devices/{}/{}", device.id, kind.slug())
    };
    let ctx = ConfirmPage {
        chrome: user.chrome("devices"),
        device_id: device.id.to_string(),
        device_name: device.name.clone(),
        action_label: i18n::text(lang, &labels::action_kind(kind), &[]),
        consequence,
        caution,
        post_to,
        needs_name: kind == ActionKind::Rename,
        lock_fields: kind == ActionKind::RemoteLock,
        destructive: matches!(kind, ActionKind::ResetPasscode | ActionKind::ResetDevice | ActionKind::Remove),
        deadline,
    };
    page::render(StatusCode::OK, "portal_confirm.html", ctx)
}

fn kind_of(slug: &str) -> Option<ActionKind> {
    ActionKind::from_slug(slug).filter(|k| *k != ActionKind::ResetPasscode)
}

/// GET: the confirmation of lock, rename, remove or reset device.
pub async fn confirm(State(state): State<AppState>, user: PortalUser, Path((id, slug)): Path<(String, String)>) -> Response {
    let Some(kind) = kind_of(&slug) else { return page::problem(&user.chrome, ErrorCode::NotFound) };
    match offered(&state, &user, &id, kind).await {
        Ok(device) => confirm_page(&user, &device, kind, None),
        Err(page) => page,
    }
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    name: Option<String>,
    message: Option<String>,
    phone_number: Option<String>,
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

async fn request(state: &AppState, user: &PortalUser, id: &str, kind: ActionKind, params: ActionParams, rid: Option<String>) -> Response {
    let Ok(device_id) = id.parse() else { return page::problem(&user.chrome, ErrorCode::NotFound) };
    match state.view(user.actor.clone()).request_action(device_id, kind, params, rid).await {
        // Remove ends management: the device leaves the list once it answers.
        Ok(_) => page::see_other(&format!("/portal/devices/{id}?requested={}", kind.slug())),
        Err(e) if e.error_code() == ErrorCode::NotFound => page::error(&user.chrome, &e),
        Err(e) => devices::render(state, user, id, Extra { error: Some(ErrorView::of(user.lang(), &e)), ..Extra::default() }).await,
    }
}

/// POST: lock, rename, remove or reset device.
pub async fn submit(
    State(state): State<AppState>,
    RequestId(rid): RequestId,
    user: PortalUser,
    Path((id, slug)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> Response {
    let Some(kind) = kind_of(&slug) else { return page::problem(&user.chrome, ErrorCode::NotFound) };
    let params = match kind {
        ActionKind::Rename => ActionParams { name: Some(f.name.unwrap_or_default()), ..ActionParams::default() },
        ActionKind::RemoteLock => {
            ActionParams { message: non_empty(f.message), phone_number: non_empty(f.phone_number), ..ActionParams::default() }
        }
        _ => ActionParams::default(),
    };
    request(&state, &user, &id, kind, params, rid).await
}

#[derive(Serialize)]
struct StepUpPage {
    #[serde(flatten)]
    chrome: Chrome,
    device_id: String,
    device_name: String,
    window_minutes: u16,
}

/// GET reset passcode: the warning when this session just proved it is the owner (for this
/// device), else the page explaining the sign out and sign in again.
pub async fn reset_passcode(State(state): State<AppState>, user: PortalUser, Path(id): Path<String>) -> Response {
    let device = match offered(&state, &user, &id, ActionKind::ResetPasscode).await {
        Ok(d) => d,
        Err(page) => return page,
    };
    let window = match state.view(user.actor.clone()).tenant().await {
        Ok(t) => t.settings.reauth_window_minutes,
        Err(e) => return page::error(&user.chrome, &e),
    };
    let fresh = pinreset_core::session::require_fresh_authentication(user.actor.authenticated_at, state.clock.now(), window).is_ok();
    match step_up::granted_until(&state, &user.actor, device.id).await {
        Ok(Some(until)) if fresh => confirm_page(&user, &device, ActionKind::ResetPasscode, Some(when(until))),
        Ok(_) => {
            let ctx = StepUpPage {
                chrome: user.chrome("devices"),
                device_id: device.id.to_string(),
                device_name: device.name,
                window_minutes: window,
            };
            page::render(StatusCode::OK, "portal_step_up.html", ctx)
        }
        Err(e) => page::error(&user.chrome, &e),
    }
}

/// POST sign in again: the ask is recorded, the session ends, the sign-in page follows.
pub async fn sign_in_again(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    RequestId(rid): RequestId,
    user: PortalUser,
    Path(id): Path<String>,
) -> Response {
    let device = match offered(&state, &user, &id, ActionKind::ResetPasscode).await {
        Ok(d) => d,
        Err(page) => return page,
    };
    let origin = Origin { session: Some(user.session.id), client, request_id: rid.clone() };
    let ticket = match step_up::ask(&state, &user.actor, device.id, &origin).await {
        Ok(t) => t,
        Err(e) => return page::error(&user.chrome, &e),
    };
    let back = format!("/portal/devices/{}/reset-passcode", device.id);
    let mut response = end_session(&state, &user, rid, &sign_in_href(&back)).await;
    let max_age = step_up::TICKET_MINUTES * 60;
    response.headers_mut().append(header::SET_COOKIE, step_up_cookie(&ticket.to_string(), max_age));
    response
}

/// POST reset passcode: the warning was accepted (audited), the reset is requested; the
/// engine checks the sign-in is recent and spends this session's grant for the device.
pub async fn reset_passcode_submit(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    RequestId(rid): RequestId,
    user: PortalUser,
    Path(id): Path<String>,
) -> Response {
    let Ok(device_id) = id.parse() else { return page::problem(&user.chrome, ErrorCode::NotFound) };
    let origin = Origin { session: Some(user.session.id), client, request_id: rid.clone() };
    if let Err(e) = step_up::warning_accepted(&state, &user.actor, device_id, &origin).await {
        return page::error(&user.chrome, &e);
    }
    request(&state, &user, &id, ActionKind::ResetPasscode, ActionParams::default(), rid).await
}

/// POST show: the temporary passcode, read through the engine (audited; a recent sign-in).
pub async fn reveal(State(state): State<AppState>, RequestId(rid): RequestId, user: PortalUser, Path(id): Path<String>) -> Response {
    let Ok(action_id) = id.parse() else { return page::problem(&user.chrome, ErrorCode::NotFound) };
    let view = state.view(user.actor.clone());
    let device = match view.action(action_id).await {
        Ok((_, device)) => device.id.to_string(),
        Err(e) => return page::error(&user.chrome, &e),
    };
    let extra = match view.read_passcode(action_id, rid).await {
        Ok(r) => Extra {
            revealed: Some(Revealed { passcode: r.passcode.expose().to_string(), expires_at: when(r.expires_at) }),
            ..Extra::default()
        },
        Err(e) => Extra { error: Some(ErrorView::of(user.lang(), &e)), ..Extra::default() },
    };
    devices::render(&state, &user, &device, extra).await
}
