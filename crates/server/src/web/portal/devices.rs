//! "My devices": a tile per device the user owns, and a device's details with the actions the
//! portal offers on it — absent when the organisation turned them off for self-service,
//! disabled with the reason when the device cannot take them, and on a corporate device the
//! support contact in place of Reset passcode. The latest reset's result is shown as its
//! platform has it: a temporary passcode behind "Show", or (iOS) that the passcode was removed.

use super::super::devices::when;
use super::super::i18n::{self, Lang};
use super::super::labels;
use super::super::page::{self, Chrome, ErrorView};
use super::user::PortalUser;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pinreset_core::{ActionKind, ActionResult, ActionState, Capability, Device, ErrorCode, Platform, RemoteAction};
use pinreset_store::{DeviceFilter, Page};
use serde::{Deserialize, Serialize};

/// Names a device gets from its maker or the enrollment, which tell its owner nothing.
fn is_generic_name(d: &Device) -> bool {
    let name = d.name.trim().to_lowercase();
    let generic = ["", "iphone", "ipad", "android", "phone", "tablet", "unknown", "device", "windows phone", "windows", "mac", "macbook"];
    generic.contains(&name.as_str())
        || ["desktop-", "laptop-", "android-", "localhost"].iter().any(|p| name.starts_with(p))
        || d.model.as_deref().is_some_and(|m| m.trim().eq_ignore_ascii_case(name.as_str()))
}

/// The tile's picture: what the device is, at a glance.
fn icon(d: &Device) -> &'static str {
    match d.platform {
        Platform::Windows | Platform::Macos => "laptop",
        Platform::Ipados => "tablet",
        _ if d.model.as_deref().is_some_and(|m| m.contains("iPad") || m.contains("Tab")) => "tablet",
        _ => "phone",
    }
}

#[derive(Serialize)]
struct Tile {
    id: String,
    name: String,
    model: String,
    platform: String,
    icon: &'static str,
    last_seen: String,
    generic: bool,
}

#[derive(Serialize)]
struct DevicesPage {
    #[serde(flatten)]
    chrome: Chrome,
    tiles: Vec<Tile>,
    generic: usize,
}

fn last_seen(d: &Device, lang: Lang) -> String {
    d.last_check_in.map_or_else(|| i18n::text(lang, "device-never", &[]), when)
}

pub async fn list(State(state): State<AppState>, user: PortalUser) -> Response {
    let lang = user.lang();
    let page_of = state.view(user.actor.clone()).devices(DeviceFilter::default(), Page { offset: 0, limit: 200 }).await;
    let devices = match page_of {
        Ok(p) => p.items,
        Err(e) => return page::error(&user.chrome, &e),
    };
    let tiles: Vec<Tile> = devices
        .iter()
        .map(|d| Tile {
            id: d.id.to_string(),
            name: d.name.clone(),
            model: d.model.clone().unwrap_or_default(),
            platform: i18n::text(lang, &labels::platform(d.platform), &[]),
            icon: icon(d),
            last_seen: last_seen(d, lang),
            generic: is_generic_name(d),
        })
        .collect();
    let generic = tiles.iter().filter(|t| t.generic).count();
    page::render(StatusCode::OK, "portal_devices.html", DevicesPage { chrome: user.chrome("devices"), tiles, generic })
}

#[derive(Serialize)]
struct Property {
    label: String,
    value: String,
}

/// One of the portal's actions on this device.
#[derive(Serialize)]
struct PortalAction {
    slug: &'static str,
    label: String,
    /// Enabled: its confirmation page.
    href: Option<String>,
    /// Disabled: why, in the page's language.
    refusal: Option<ErrorView>,
    /// A corporate device's passcode: ask the company's support instead.
    ask_support: bool,
    destructive: bool,
}

/// The latest passcode reset, as its owner sees it.
#[derive(Serialize)]
struct ResetResult {
    state: &'static str,
    /// Where "Show" posts, for a temporary passcode still held.
    reveal: Option<String>,
    numeric: bool,
    expires_at: Option<String>,
    /// How to change the temporary passcode (or set a new one, iOS) on this platform.
    how_to: String,
    failure: Option<ErrorView>,
    device_detail: Option<String>,
}

#[derive(Serialize)]
pub struct Revealed {
    pub passcode: String,
    pub expires_at: String,
}

#[derive(Serialize)]
struct DetailPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: String,
    name: String,
    generic: bool,
    properties: Vec<Property>,
    /// Always in view: the two an 8 a.m. visitor came for.
    primary: Vec<PortalAction>,
    /// Under "More (…)" on a narrow screen.
    more: Vec<PortalAction>,
    pending: Vec<String>,
    reset: Option<ResetResult>,
    revealed: Option<Revealed>,
    notice: Option<String>,
    error: Option<ErrorView>,
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    /// Which action was just requested (for the notice).
    requested: Option<String>,
}

fn properties(d: &Device, lang: Lang) -> Vec<Property> {
    let t = |k: &str| i18n::text(lang, k, &[]);
    let mut p = vec![Property { label: t("prop-name"), value: d.name.clone() }];
    if let Some(model) = &d.model {
        p.push(Property { label: t("prop-model"), value: model.clone() });
    }
    p.extend([
        Property { label: t("portal-prop-os"), value: format!("{} {}", t(&labels::platform(d.platform)), d.os_version) },
        Property { label: t("prop-ownership"), value: t(labels::ownership(d.ownership)) },
        Property { label: t("prop-enrolled"), value: when(d.enrolled_at) },
        Property { label: t("prop-last-check-in"), value: last_seen(d, lang) },
    ]);
    p
}

/// The five portal actions in the order people look for them; `None` for one the tenant does
/// not offer in the portal.
fn action(d: &Device, kind: ActionKind, cap: Option<&Capability>, lang: Lang) -> Option<PortalAction> {
    let refusal = match cap {
        Some(Capability::Supported { .. }) => None,
        Some(c) => Some(c.refusal().unwrap_or(ErrorCode::ActionNotSupported)),
        None => Some(ErrorCode::ActionNotSupported),
    };
    if refusal == Some(ErrorCode::SelfServiceActionOff) {
        return None;
    }
    let ask_support = refusal == Some(ErrorCode::CorporateDeviceSelfService);
    let path = if kind == ActionKind::ResetPasscode {
        format!("/portal/devices/{}/reset-passcode", d.id)
    } else {
        format!("/portal/devices/{}/{}", d.id, kind.slug())
    };
    Some(PortalAction {
        slug: kind.slug(),
        label: i18n::text(lang, &labels::action_kind(kind), &[]),
        href: refusal.is_none().then_some(path),
        refusal: refusal.filter(|_| !ask_support).map(|code| ErrorView::new(lang, code)),
        ask_support,
        destructive: matches!(kind, ActionKind::ResetDevice | ActionKind::Remove),
    })
}

fn how_to(platform: Platform) -> &'static str {
    match platform {
        Platform::Ios | Platform::Ipados => "portal-howto-ios",
        Platform::Android => "portal-howto-android",
        Platform::WindowsPhone => "portal-howto-wp81",
        _ => "portal-howto-windows-mobile",
    }
}

fn reset_result(d: &Device, actions: &[RemoteAction], lang: Lang) -> Option<ResetResult> {
    let latest = actions.iter().find(|a| a.kind == ActionKind::ResetPasscode && !a.state.is_pending())?;
    let how = i18n::text(lang, how_to(d.platform), &[]);
    let failure = latest.failure.as_ref().map(|f| ErrorView::new(lang, f.code));
    let base = ResetResult {
        state: if latest.state == ActionState::Succeeded { "ok" } else { "failed" },
        reveal: None,
        numeric: d.platform == Platform::WindowsPhone,
        expires_at: None,
        how_to: how,
        failure,
        device_detail: latest.failure.as_ref().and_then(|f| f.detail.clone()),
    };
    Some(match &latest.result {
        Some(ActionResult::TemporaryPasscode { expires_at }) => {
            ResetResult { reveal: Some(format!("/portal/actions/{}/passcode", latest.id)), expires_at: Some(when(*expires_at)), ..base }
        }
        Some(ActionResult::PasscodeRemoved) => ResetResult { state: "removed", ..base },
        _ => base,
    })
}

/// Render the details page (also after a reveal, with the passcode, or with an error).
pub async fn render(state: &AppState, user: &PortalUser, id: &str, extra: Extra) -> Response {
    let lang = user.lang();
    let Ok(device_id) = id.parse() else { return page::problem(&user.chrome, ErrorCode::NotFound) };
    let view = state.view(user.actor.clone());
    let device = match view.device(device_id).await {
        Ok(d) => d,
        Err(e) => return page::error(&user.chrome, &e),
    };
    let (caps, actions) = match (view.capabilities(&device).await, view.device_actions(device.id).await) {
        (Ok(c), Ok(a)) => (c, a),
        (Err(e), _) | (_, Err(e)) => return page::error(&user.chrome, &e),
    };
    let offered = |kinds: &[ActionKind]| -> Vec<PortalAction> {
        kinds.iter().filter_map(|k| action(&device, *k, caps.get(k.as_str()), lang)).collect()
    };
    let pending = actions.iter().filter(|a| a.state.is_pending()).map(|a| i18n::text(lang, &labels::action_kind(a.kind), &[])).collect();
    let status = extra.error.as_ref().map_or(StatusCode::OK, |e| page::form_status(Some(e)));
    let ctx = DetailPage {
        chrome: user.chrome("devices"),
        id: device.id.to_string(),
        name: device.name.clone(),
        generic: is_generic_name(&device),
        properties: properties(&device, lang),
        primary: offered(&[ActionKind::ResetPasscode, ActionKind::RemoteLock]),
        more: offered(&[ActionKind::Rename, ActionKind::Remove, ActionKind::ResetDevice]),
        pending,
        reset: reset_result(&device, &actions, lang),
        revealed: extra.revealed,
        notice: extra.notice,
        error: extra.error,
    };
    page::render(status, "portal_device.html", ctx)
}

/// What a details page shows besides the device.
#[derive(Default)]
pub struct Extra {
    pub revealed: Option<Revealed>,
    pub notice: Option<String>,
    pub error: Option<ErrorView>,
}

pub async fn show(State(state): State<AppState>, user: PortalUser, Path(id): Path<String>, Query(q): Query<DetailQuery>) -> Response {
    let lang = user.lang();
    let notice = q.requested.as_deref().and_then(ActionKind::from_slug).map(|k| {
        let label = i18n::text(lang, &labels::action_kind(k), &[]);
        i18n::text(lang, "portal-requested", &[("action", label.into())])
    });
    render(&state, &user, &id, Extra { notice, ..Extra::default() }).await
}
