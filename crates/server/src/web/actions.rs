//! Remote actions from the admin center: a confirmation page naming the device and what will
//! happen, then the same engine call the REST API makes (`View::request_action`: role rules,
//! capability, step-up, audit, one pending action per kind), and "Sync".

use super::device::parse_device_id;
use super::i18n;
use super::labels;
use super::page::{self, Chrome, ErrorView};
use super::principal::AdminUser;
use crate::auth::RequestId;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use pinreset_core::capability::SupportKind;
use pinreset_core::{ActionKind, ActionParams, Capability, ErrorCode};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct ConfirmPage {
    #[serde(flatten)]
    chrome: Chrome,
    device_href: String,
    device_name: String,
    action_label: String,
    /// What will happen on this device, in the page's language.
    consequence: String,
    post_to: String,
    destructive: bool,
    needs_name: bool,
    /// The name field's value (the device's name, or what was entered).
    name: String,
    /// Remote lock on an Apple device: lock-screen message and phone number.
    takes_message: bool,
    message: String,
    phone_number: String,
    max_message: usize,
    max_phone: usize,
    #[serde(skip)]
    status: StatusCode,
    error: Option<ErrorView>,
}

/// The lengths the engine accepts, as the fields' `maxlength`.
use crate::app::actions::{MAX_LOCK_MESSAGE as MAX_MESSAGE, MAX_LOCK_PHONE as MAX_PHONE};

/// The message key saying what an action will do, refined by how this device carries it out.
fn consequence_key(kind: ActionKind, support: Option<&SupportKind>) -> &'static str {
    match (kind, support) {
        (ActionKind::ResetPasscode, Some(SupportKind::ClearOnly)) => "confirm-reset-passcode-clear",
        (ActionKind::ResetPasscode, _) => "confirm-reset-passcode-temporary",
        (ActionKind::RemoteLock, Some(SupportKind::LockWithPin)) => "confirm-remote-lock-pin",
        (ActionKind::RemoteLock, _) => "confirm-remote-lock",
        (ActionKind::ResetDevice, _) => "confirm-reset-device",
        (ActionKind::Remove, _) => "confirm-remove",
        (ActionKind::Rename, _) => "confirm-rename",
    }
}

/// Every key `consequence_key` can return (for the key test).
pub const CONSEQUENCE_KEYS: &[&str] = &[
    "confirm-reset-passcode-clear",
    "confirm-reset-passcode-temporary",
    "confirm-remote-lock-pin",
    "confirm-remote-lock",
    "confirm-reset-device",
    "confirm-remove",
    "confirm-rename",
];

/// What the form sent, shown again with its error when the engine refuses it.
#[derive(Deserialize, Default)]
pub struct ActionForm {
    /// Rename: the new name.
    name: Option<String>,
    /// Remote lock (Apple): shown on the lock screen.
    message: Option<String>,
    /// Remote lock (Apple): a number the lock screen offers to call.
    phone_number: Option<String>,
}

/// An optional text field: blank means "not given".
fn given(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// Apple's DeviceLock command carries a lock-screen message and phone number; the other
/// channels' locks have nowhere to show them, so the fields are offered only there.
fn lock_takes_message(device: &pinreset_core::Device, kind: ActionKind) -> bool {
    use pinreset_core::device::Platform;
    kind == ActionKind::RemoteLock && matches!(device.platform, Platform::Ios | Platform::Ipados | Platform::Macos)
}

/// The confirmation page, first empty, or again with what was entered and why it was refused.
async fn confirm_page(
    state: &AppState,
    user: &AdminUser,
    device_id: pinreset_core::DeviceId,
    kind: ActionKind,
    entered: &ActionForm,
    error: Option<ErrorView>,
) -> Response {
    let lang = user.lang();
    let chrome = user.chrome("devices");
    let view = state.view(user.actor.clone());
    let device = match view.device(device_id).await {
        Ok(d) => d,
        Err(e) => return page::error(&chrome, &e),
    };
    if !view.actor().role.may_request(kind) {
        return page::problem(&chrome, ErrorCode::RoleForbidden);
    }
    let support = match view.capabilities(&device).await.map(|mut caps| caps.remove(kind.as_str())) {
        Ok(Some(Capability::Supported { kind })) => kind,
        Ok(Some(refused)) => return page::problem(&chrome, refused.refusal().unwrap_or(ErrorCode::ActionNotSupported)),
        Ok(None) => return page::problem(&chrome, ErrorCode::ActionNotSupported),
        Err(e) => return page::error(&chrome, &e),
    };
    let ctx = ConfirmPage {
        device_href: format!("/admin/devices/{}", device.id),
        consequence: i18n::text(lang, consequence_key(kind, Some(&support)), &[("device", device.name.clone().into())]),
        name: entered.name.clone().unwrap_or_else(|| device.name.clone()),
        takes_message: lock_takes_message(&device, kind),
        message: entered.message.clone().unwrap_or_default(),
        phone_number: entered.phone_number.clone().unwrap_or_default(),
        device_name: device.name,
        action_label: i18n::text(lang, &labels::action_kind(kind), &[]),
        post_to: format!("/admin/devices/{}/actions/{}", device.id, kind.slug()),
        destructive: matches!(kind, ActionKind::ResetDevice | ActionKind::Remove),
        needs_name: kind == ActionKind::Rename,
        max_message: MAX_MESSAGE,
        max_phone: MAX_PHONE,
        status: page::form_status(error.as_ref()),
        error,
        chrome,
    };
    let status = ctx.status;
    page::render(status, "confirm.html", ctx)
}

pub async fn confirm(State(state): State<AppState>, user: AdminUser, Path((id, action)): Path<(String, String)>) -> Response {
    let (Ok(device_id), Some(kind)) = (parse_device_id(&id), ActionKind::from_slug(&action)) else {
        return page::problem(&user.chrome("devices"), ErrorCode::NotFound);
    };
    confirm_page(&state, &user, device_id, kind, &ActionForm::default(), None).await
}

/// Queue the action. The CSRF token was checked before this runs (`AdminUser` comes through
/// `Principal`, which the form's token reached through `csrf.rs`). Input the engine refuses
/// (a name or lock message too long, a phone number that is not one) brings the form back
/// with the reason, nothing queued.
pub async fn request(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let chrome = user.chrome("devices");
    let (Ok(device_id), Some(kind)) = (parse_device_id(&id), ActionKind::from_slug(&action)) else {
        return page::problem(&chrome, ErrorCode::NotFound);
    };
    let params = ActionParams { name: given(&form.name), message: given(&form.message), phone_number: given(&form.phone_number) };
    match state.view(user.actor.clone()).request_action(device_id, kind, params, rid).await {
        Ok(_) => page::see_other(&format!("/admin/devices/{device_id}?queued={}", kind.slug())),
        Err(e) if e.error_code() == ErrorCode::InvalidInput => {
            confirm_page(&state, &user, device_id, kind, &form, Some(ErrorView::of(user.lang(), &e))).await
        }
        Err(e) => page::error(&chrome, &e),
    }
}

pub async fn sync(State(state): State<AppState>, user: AdminUser, Path(id): Path<String>) -> Response {
    let chrome = user.chrome("devices");
    let Ok(device_id) = parse_device_id(&id) else { return page::problem(&chrome, ErrorCode::NotFound) };
    match state.view(user.actor.clone()).sync(device_id).await {
        Ok(_) => page::see_other(&format!("/admin/devices/{device_id}?synced=1")),
        Err(e) => page::error(&chrome, &e),
    }
}
