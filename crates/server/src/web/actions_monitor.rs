//! Devices › Device actions: every remote action of the tenant (failures first, then newest)
//! with its state, requester, device, times and outcome; filters for state, kind and device.

use super::devices::when;
use super::i18n::{self, Lang};
use super::labels;
use super::page::{self, ErrorView};
use super::principal::AdminUser;
use crate::app::view::ReadAllDevices;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pinreset_core::{ActionKind, ActionResult, ActionState, Cause, Device, DeviceId, RemoteAction, UserId};
use pinreset_store::{ActionFilter, Page};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const PAGE_SIZE: u32 = 25;

#[derive(Deserialize, Default)]
pub struct MonitorQuery {
    state: Option<String>,
    kind: Option<String>,
    search: Option<String>,
    offset: Option<u32>,
}

/// The state filter's choices: one state, or "pending" for every state still waiting.
const STATE_CHOICES: [&str; 5] = ["failed", "pending", "succeeded", "expired", "cancelled"];

fn states_of(choice: &str) -> Vec<ActionState> {
    match choice {
        "pending" => ActionState::ALL.iter().copied().filter(|s| s.is_pending()).collect(),
        other => ActionState::parse(other).into_iter().collect(),
    }
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct Row {
    kind: String,
    state: String,
    state_class: &'static str,
    device: String,
    device_href: String,
    requester: String,
    requested_at: String,
    finished_at: Option<String>,
    outcome: Option<String>,
    failure: Option<ErrorView>,
    device_detail: Option<String>,
}

#[derive(Serialize)]
struct MonitorPage {
    #[serde(flatten)]
    chrome: page::Chrome,
    rows: Vec<Row>,
    states: Vec<Choice>,
    kinds: Vec<Choice>,
    search: String,
    filtered: bool,
    total: u64,
    first: u64,
    last: u64,
    previous: Option<String>,
    next: Option<String>,
}

fn link(state: &str, kind: &str, search: &str, offset: u32) -> String {
    let mut q: Vec<(&str, String)> = vec![];
    for (k, v) in [("state", state), ("kind", kind), ("search", search)] {
        if !v.is_empty() {
            q.push((k, v.to_string()));
        }
    }
    if offset > 0 {
        q.push(("offset", offset.to_string()));
    }
    let query = serde_urlencoded::to_string(&q).unwrap_or_default();
    if query.is_empty() {
        "/admin/actions".into()
    } else {
        format!("/admin/actions?{query}")
    }
}

pub fn state_class(s: ActionState) -> &'static str {
    if s.is_pending() {
        "pending"
    } else if s == ActionState::Succeeded {
        "ok"
    } else {
        "bad"
    }
}

fn outcome(a: &RemoteAction, lang: Lang) -> Option<String> {
    let key = match &a.result {
        Some(ActionResult::TemporaryPasscode { .. }) => "result-temporary-passcode",
        Some(ActionResult::PasscodeRemoved) => "result-passcode-removed",
        Some(ActionResult::LockPin { .. }) => "result-lock-pin",
        Some(ActionResult::Done) => "result-done",
        None => return None,
    };
    Some(i18n::text(lang, key, &[]))
}

pub async fn list(State(state): State<AppState>, user: AdminUser, Query(q): Query<MonitorQuery>) -> Response {
    let lang = user.lang();
    let chrome = user.chrome("actions");
    let view = state.view(user.actor.clone());
    let granted = match view.grant::<ReadAllDevices>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    // Unknown filter values in the URL are ignored: they only filter.
    let state_choice = q.state.as_deref().filter(|s| STATE_CHOICES.contains(s)).unwrap_or("");
    let kind = q.kind.as_deref().and_then(ActionKind::from_slug);
    let search = q.search.as_deref().map(str::trim).unwrap_or("").to_string();
    let offset = q.offset.unwrap_or(0);
    let filter = ActionFilter { states: states_of(state_choice), kind, device_search: (!search.is_empty()).then(|| search.clone()) };
    let found = match granted.actions(&filter, Page { offset, limit: PAGE_SIZE }).await {
        Ok(found) => found,
        Err(e) => return page::error(&chrome, &e),
    };
    let mut devices: HashMap<DeviceId, Option<Device>> = HashMap::new();
    let mut users: HashMap<UserId, Option<String>> = HashMap::new();
    for a in &found.items {
        if let std::collections::hash_map::Entry::Vacant(slot) = devices.entry(a.device_id) {
            slot.insert(view.device(a.device_id).await.ok());
        }
        if let Cause::User { user_id } = a.requested_by {
            if let std::collections::hash_map::Entry::Vacant(slot) = users.entry(user_id) {
                slot.insert(view.user(user_id).await.ok().flatten().map(|u| u.display_name));
            }
        }
    }
    let t = |k: &str| i18n::text(lang, k, &[]);
    let rows: Vec<Row> = found
        .items
        .iter()
        .map(|a| Row {
            kind: t(&labels::action_kind(a.kind)),
            state: t(&labels::action_state(a.state)),
            state_class: state_class(a.state),
            device: devices.get(&a.device_id).and_then(Option::as_ref).map_or_else(|| a.device_id.to_string(), |d| d.name.clone()),
            device_href: format!("/admin/devices/{}", a.device_id),
            requester: match &a.requested_by {
                Cause::User { user_id } => users.get(user_id).cloned().flatten().unwrap_or_else(|| user_id.to_string()),
                Cause::Device { .. } => t("monitor-requester-device"),
                Cause::System { component } => i18n::text(lang, "monitor-requester-system", &[("component", component.as_str().into())]),
            },
            requested_at: when(a.requested_at),
            finished_at: a.state.is_terminal().then(|| when(a.updated_at)),
            outcome: outcome(a, lang),
            failure: a.failure.as_ref().map(|f| ErrorView::new(lang, f.code)),
            device_detail: a.failure.as_ref().and_then(|f| f.detail.clone()),
        })
        .collect();
    let states = STATE_CHOICES
        .into_iter()
        .map(|s| Choice { value: s, label: t(&format!("monitor-state-{s}")), selected: s == state_choice })
        .collect();
    let kinds = ActionKind::ALL
        .into_iter()
        .map(|k| Choice { value: k.slug(), label: t(&labels::action_kind(k)), selected: Some(k) == kind })
        .collect();
    let kind_slug = kind.map_or("", |k| k.slug());
    let shown = rows.len() as u64;
    let ctx = MonitorPage {
        chrome,
        rows,
        states,
        kinds,
        filtered: !state_choice.is_empty() || kind.is_some() || !search.is_empty(),
        previous: (offset > 0).then(|| link(state_choice, kind_slug, &search, offset.saturating_sub(PAGE_SIZE))),
        next: (u64::from(offset) + shown < found.total).then(|| link(state_choice, kind_slug, &search, offset + PAGE_SIZE)),
        search,
        total: found.total,
        first: if shown == 0 { 0 } else { u64::from(offset) + 1 },
        last: u64::from(offset) + shown,
    };
    page::render(StatusCode::OK, "actions_monitor.html", ctx)
}

#[cfg(test)]
mod tests {
    use super::super::i18n::{self, Lang};

    /// The monitoring pages' strings (`admin-monitor.ftl`) exist in every language, also the
    /// keys built at run time, and no language has one English lacks.
    #[test]
    fn every_monitoring_message_exists_in_every_language() {
        let mut needed = i18n::message_ids(Lang::En, "admin-monitor.ftl");
        assert!(needed.len() > 40, "the English file is read");
        needed.extend(super::STATE_CHOICES.iter().map(|s| format!("monitor-state-{s}")));
        let mut missing = vec![];
        for lang in Lang::ALL {
            for key in &needed {
                if !i18n::has_message(lang, key) {
                    missing.push(format!("{}: {key}", lang.tag()));
                }
            }
            for key in i18n::message_ids(lang, "admin-monitor.ftl") {
                if !i18n::has_message(Lang::En, &key) {
                    missing.push(format!("en (present in {}): {key}", lang.tag()));
                }
            }
        }
        assert!(missing.is_empty(), "missing messages:\n{}", missing.join("\n"));
    }
}
