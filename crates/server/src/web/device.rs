//! Device overview: properties, the action bar from the engine's capability answer, pending
//! actions, the reset result (temporary passcode behind "Show", every reveal an audited read
//! through the view), the action history and the device's command history.

use super::devices::{management_state, owner_name, when};
use super::i18n::{self, Lang};
use super::labels;
use super::page::{self, Chrome, ErrorView};
use super::principal::AdminUser;
use crate::app::view::{ReadAudit, View};
use crate::auth::RequestId;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use pinreset_core::{ActionId, ActionKind, ActionResult, AuditKind, Capability, Device, DeviceId, ErrorCode, RemoteAction};
use pinreset_store::AuditFilter;
use serde::Serialize;

/// How many command-history entries the overview shows (the newest).
const COMMANDS_SHOWN: usize = 25;

#[derive(Serialize)]
struct Property {
    label: String,
    value: String,
}

/// One button of the action bar: enabled (a link to its confirmation), or disabled with why.
#[derive(Serialize)]
struct ActionButton {
    slug: &'static str,
    label: String,
    href: Option<String>,
    refusal: Option<ErrorView>,
    /// Where the refusal is fixed in the admin center (the consent page for
    /// `tenant_not_onboarded`).
    fix_href: Option<&'static str>,
}

#[derive(Serialize)]
struct HistoryRow {
    kind: String,
    state: String,
    state_class: &'static str,
    requested_at: String,
    updated_at: String,
    outcome: Option<String>,
    failure: Option<ErrorView>,
    device_detail: Option<String>,
}

#[derive(Serialize)]
struct CommandRow {
    at: String,
    sent: bool,
    action: String,
    outcome: String,
}

/// The latest reset's result, as far as this role may see it.
#[derive(Serialize)]
struct PasscodeResult {
    /// Where "Show" posts (a succeeded reset with a temporary passcode or a lock PIN).
    reveal: Option<String>,
    is_pin: bool,
    expires_at: Option<String>,
    /// "Expires in 6 days 23 hours", from the server's clock at render time.
    expires_in: Option<String>,
    /// iOS/iPadOS: the passcode was removed, there is nothing to show.
    removed: bool,
}

#[derive(Serialize)]
struct Revealed {
    passcode: String,
    expires_at: String,
    expires_in: String,
}

/// How long a passcode stays readable, rounded down, in the page's language: days and hours,
/// hours alone on the last day, minutes in the last hour. Computed by the server (no script
/// needed); a page left open shows the time of its rendering, like its other times.
pub fn expires_in(lang: Lang, now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    let left = at - now;
    let (days, hours, minutes) = (left.num_days(), left.num_hours() % 24, left.num_minutes() % 60);
    if left <= chrono::Duration::zero() {
        i18n::text(lang, "device-expired", &[])
    } else if days > 0 {
        i18n::text(lang, "device-expires-in-days", &[("days", days.into()), ("hours", hours.into())])
    } else if left.num_hours() > 0 {
        i18n::text(lang, "device-expires-in-hours", &[("hours", hours.into())])
    } else {
        i18n::text(lang, "device-expires-in-minutes", &[("minutes", minutes.max(1).into())])
    }
}

#[derive(Serialize)]
struct DevicePage {
    #[serde(flatten)]
    chrome: Chrome,
    id: String,
    name: String,
    properties: Vec<Property>,
    actions: Vec<ActionButton>,
    can_sync: bool,
    pending: usize,
    result: Option<PasscodeResult>,
    revealed: Option<Revealed>,
    history: Vec<HistoryRow>,
    commands: Option<Vec<CommandRow>>,
    notice: Option<String>,
}

/// A device id from the URL: a malformed one is "not found", like another tenant's.
pub fn parse_device_id(id: &str) -> Result<DeviceId, ErrorCode> {
    id.parse().map_err(|_| ErrorCode::NotFound)
}

fn properties(d: &Device, owner: String, lang: Lang) -> Vec<Property> {
    let t = |k: &str| i18n::text(lang, k, &[]);
    let mut p = vec![
        Property { label: t("prop-name"), value: d.name.clone() },
        Property { label: t("prop-owner"), value: owner },
        Property { label: t("prop-platform"), value: t(&labels::platform(d.platform)) },
        Property { label: t("prop-os-version"), value: d.os_version.to_string() },
    ];
    let optional = [("prop-os-build", &d.os_build), ("prop-model", &d.model), ("prop-serial", &d.serial_number), ("prop-imei", &d.imei)];
    p.extend(optional.into_iter().filter_map(|(k, v)| v.clone().map(|value| Property { label: t(k), value })));
    p.extend([
        Property { label: t("prop-ownership"), value: t(labels::ownership(d.ownership)) },
        Property { label: t("prop-management-mode"), value: t(labels::management_mode(d.management_mode)) },
    ]);
    // Android: whether a reset can work at all (fully managed and work profile need an active token).
    if d.platform == pinreset_core::Platform::Android {
        p.push(Property { label: t("prop-reset-token"), value: t(labels::reset_token(d.reset_token)) });
    }
    p.extend([
        Property { label: t("prop-join-type"), value: t(labels::join_type(d.join_type)) },
        Property { label: t("prop-management-state"), value: management_state(d, lang) },
        Property { label: t("prop-enrolled"), value: when(d.enrolled_at) },
        Property { label: t("prop-last-check-in"), value: d.last_check_in.map_or_else(|| t("device-never"), when) },
    ]);
    p
}

fn action_bar(view: &View<'_>, d: &Device, caps: &std::collections::BTreeMap<String, Capability>, lang: Lang) -> Vec<ActionButton> {
    ActionKind::ALL
        .into_iter()
        // What the role may never do is not offered at all.
        .filter(|k| view.actor().role.may_request(*k))
        .map(|k| {
            let refusal = match caps.get(k.as_str()) {
                Some(Capability::Supported { .. }) => None,
                Some(c) => Some(c.refusal().unwrap_or(ErrorCode::ActionNotSupported)),
                None => Some(ErrorCode::ActionNotSupported),
            };
            ActionButton {
                slug: k.slug(),
                label: i18n::text(lang, &labels::action_kind(k), &[]),
                href: refusal.is_none().then(|| format!("/admin/devices/{}/actions/{}/confirm", d.id, k.slug())),
                fix_href: (refusal == Some(ErrorCode::TenantNotOnboarded)).then_some(super::tenant_admin::CONSENT_PATH),
                refusal: refusal.map(|code| ErrorView::new(lang, code)),
            }
        })
        .collect()
}

fn history_row(a: &RemoteAction, lang: Lang) -> HistoryRow {
    let t = |k: &str| i18n::text(lang, k, &[]);
    let outcome = match &a.result {
        Some(ActionResult::TemporaryPasscode { .. }) => Some(t("result-temporary-passcode")),
        Some(ActionResult::PasscodeRemoved) => Some(t("result-passcode-removed")),
        Some(ActionResult::LockPin { .. }) => Some(t("result-lock-pin")),
        Some(ActionResult::Done) => Some(t("result-done")),
        None => None,
    };
    let state_class = if a.state.is_pending() {
        "pending"
    } else if a.state == pinreset_core::ActionState::Succeeded {
        "ok"
    } else {
        "bad"
    };
    HistoryRow {
        kind: t(&labels::action_kind(a.kind)),
        state: t(&labels::action_state(a.state)),
        state_class,
        requested_at: when(a.requested_at),
        updated_at: when(a.updated_at),
        outcome,
        failure: a.failure.as_ref().map(|f| ErrorView::new(lang, f.code)),
        device_detail: a.failure.as_ref().and_then(|f| f.detail.clone()),
    }
}

/// The newest reset passcode (or Mac lock with a PIN) that finished, and what it left.
fn passcode_result(view: &View<'_>, actions: &[RemoteAction], lang: Lang, now: DateTime<Utc>) -> Option<PasscodeResult> {
    let latest = actions.iter().find(|a| {
        matches!(a.kind, ActionKind::ResetPasscode | ActionKind::RemoteLock) && a.state == pinreset_core::ActionState::Succeeded
    })?;
    let may_read = view.actor().role.may_read_passcode();
    match latest.result.as_ref()? {
        ActionResult::TemporaryPasscode { expires_at } | ActionResult::LockPin { expires_at } => Some(PasscodeResult {
            reveal: may_read.then(|| format!("/admin/actions/{}/passcode", latest.id)),
            is_pin: matches!(latest.result, Some(ActionResult::LockPin { .. })),
            expires_at: Some(when(*expires_at)),
            expires_in: Some(expires_in(lang, now, *expires_at)),
            removed: false,
        }),
        ActionResult::PasscodeRemoved => {
            Some(PasscodeResult { reveal: None, is_pin: false, expires_at: None, expires_in: None, removed: true })
        }
        ActionResult::Done => None,
    }
}

async fn commands(view: &View<'_>, d: &Device) -> Option<Vec<CommandRow>> {
    // The command history is part of the audit trail: shown to roles that read it.
    let audit = view.grant::<ReadAudit>().ok()?;
    let filter = AuditFilter { device_id: Some(d.id), limit: 1000, ..AuditFilter::default() };
    let events = audit.events(&filter).await.ok()?;
    Some(
        events
            .into_iter()
            .filter(|e| matches!(e.event.kind, AuditKind::CommandSent | AuditKind::CommandResult))
            .take(COMMANDS_SHOWN)
            .map(|e| CommandRow {
                at: when(e.event.at),
                sent: e.event.kind == AuditKind::CommandSent,
                action: e.event.action.unwrap_or_default(),
                outcome: e.event.outcome,
            })
            .collect(),
    )
}

/// Render the overview; `revealed` when the page answers a "Show" (then it must not be
/// cached — every admin page is `no-store`).
async fn overview(state: &AppState, user: &AdminUser, id: DeviceId, revealed: Option<Revealed>, notice: Option<String>) -> Response {
    let lang = user.lang();
    let chrome = user.chrome("devices");
    let view = state.view(user.actor.clone());
    let device = match view.device(id).await {
        Ok(d) => d,
        Err(e) => return page::error(&chrome, &e),
    };
    let (caps, actions) = match (view.capabilities(&device).await, view.device_actions(id).await) {
        (Ok(c), Ok(a)) => (c, a),
        (Err(e), _) | (_, Err(e)) => return page::error(&chrome, &e),
    };
    let owner = match device.primary_user_id {
        Some(uid) => view.user(uid).await.ok().flatten(),
        None => None,
    };
    let owner = owner_name(owner.as_ref(), lang);
    let ctx = DevicePage {
        id: device.id.to_string(),
        name: device.name.clone(),
        properties: properties(&device, owner, lang),
        actions: action_bar(&view, &device, &caps, lang),
        can_sync: ActionKind::ALL.into_iter().any(|k| view.actor().role.may_request(k)),
        pending: actions.iter().filter(|a| a.state.is_pending()).count(),
        result: passcode_result(&view, &actions, lang, state.clock.now()),
        revealed,
        history: actions.iter().map(|a| history_row(a, lang)).collect(),
        commands: commands(&view, &device).await,
        notice,
        chrome,
    };
    page::render(StatusCode::OK, "device.html", ctx)
}

#[derive(serde::Deserialize, Default)]
pub struct OverviewQuery {
    /// Set after a form: which action was just queued (`queued=reset-passcode`), or `synced`.
    queued: Option<String>,
    synced: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    user: AdminUser,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<OverviewQuery>,
) -> Response {
    let id = match parse_device_id(&id) {
        Ok(id) => id,
        Err(code) => return page::problem(&user.chrome("devices"), code),
    };
    let lang = user.lang();
    let notice = if let Some(kind) = q.queued.as_deref().and_then(ActionKind::from_slug) {
        let action = i18n::text(lang, &labels::action_kind(kind), &[]);
        Some(i18n::text(lang, "notice-queued", &[("action", action.into())]))
    } else {
        q.synced.map(|_| i18n::text(lang, "notice-synced", &[]))
    };
    overview(&state, &user, id, None, notice).await
}

/// "Show": read the temporary passcode through the view (role, step-up and expiry rules, and
/// an audit event for every read), and show it on the overview.
pub async fn reveal(State(state): State<AppState>, user: AdminUser, RequestId(rid): RequestId, Path(id): Path<String>) -> Response {
    let chrome = user.chrome("devices");
    let Ok(action_id) = id.parse::<ActionId>() else { return page::problem(&chrome, ErrorCode::NotFound) };
    let view = state.view(user.actor.clone());
    let (action, _) = match view.action(action_id).await {
        Ok(found) => found,
        Err(e) => return page::error(&chrome, &e),
    };
    let revealed = match view.read_passcode(action_id, rid).await {
        Ok(r) => Revealed {
            passcode: r.passcode.expose().to_string(),
            expires_at: when(r.expires_at),
            expires_in: expires_in(user.lang(), state.clock.now(), r.expires_at),
        },
        Err(e) => return page::error(&chrome, &e),
    };
    overview(&state, &user, action.device_id, Some(revealed), None).await
}
