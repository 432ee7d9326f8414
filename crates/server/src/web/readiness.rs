//! Reset readiness: the devices that could not have their passcode reset if their owner were
//! locked out right now, why, and the fix — for the tenant or one device group, with a CSV
//! download of the same rows (English, as the API's `?format=csv`).

use super::devices::when;
use super::i18n::{self, Lang};
use super::labels;
use super::page::{self, catalogue_href};
use super::principal::AdminUser;
use crate::app::readiness::{Readiness, Reason};
use crate::app::view::ReadAllDevices;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
pub struct ReadinessQuery {
    group: Option<String>,
    stale_days: Option<u32>,
}

/// A reason as a page shows it: translated, with its fix and the catalogue link.
#[derive(Serialize)]
pub struct ReasonText {
    pub code: String,
    pub reason: String,
    pub fix: String,
    pub href: Option<String>,
}

pub fn reason_text(reason: Reason, stale_days: u32, lang: Lang) -> ReasonText {
    match reason {
        Reason::Refused(code) => {
            let (reason, fix) = i18n::error_texts(lang, code);
            ReasonText { code: code.code().into(), reason, fix, href: Some(catalogue_href(code)) }
        }
        Reason::NotCheckedIn => ReasonText {
            code: reason.code().into(),
            reason: i18n::text(lang, "readiness-stale", &[("days", stale_days.into())]),
            fix: i18n::text(lang, "readiness-stale-fix", &[]),
            href: None,
        },
    }
}

/// The report's reasons with their device counts and bar lengths (percent of the devices
/// looked at, so a bar shows how much of the fleet a reason affects).
#[derive(Serialize)]
pub struct ReasonBar {
    pub label: String,
    pub code: String,
    pub devices: u64,
    pub percent: u64,
}

pub fn reason_bars(report: &Readiness, lang: Lang) -> Vec<ReasonBar> {
    let all = report.devices.max(1);
    report
        .by_reason
        .iter()
        .map(|r| {
            // From the code, not from a row: the home page's summary has no rows.
            let why = if r.reason_code == crate::app::readiness::NOT_CHECKED_IN {
                Some(Reason::NotCheckedIn)
            } else {
                pinreset_core::ErrorCode::from_code(&r.reason_code).map(Reason::Refused)
            };
            let label = why.map_or_else(|| r.reason_code.clone(), |w| reason_text(w, report.stale_days, lang).reason);
            ReasonBar { label, code: r.reason_code.clone(), devices: r.devices, percent: (r.devices * 100).div_ceil(all) }
        })
        .collect()
}

#[derive(Serialize)]
struct Row {
    href: String,
    name: String,
    owner: String,
    platform: String,
    os_version: String,
    last_check_in: String,
    reason: ReasonText,
}

#[derive(Serialize)]
struct GroupChoice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct ReadinessPage {
    #[serde(flatten)]
    chrome: page::Chrome,
    rows: Vec<Row>,
    bars: Vec<ReasonBar>,
    groups: Vec<GroupChoice>,
    stale_days: u32,
    devices: u64,
    not_ready: u64,
    csv_href: String,
}

fn query_string(group: Option<&str>, stale_days: u32) -> String {
    let mut q: Vec<(&str, String)> = vec![];
    if let Some(g) = group.filter(|g| !g.is_empty()) {
        q.push(("group", g.to_string()));
    }
    if stale_days != crate::app::readiness::DEFAULT_STALE_DAYS {
        q.push(("stale_days", stale_days.to_string()));
    }
    serde_urlencoded::to_string(&q).unwrap_or_default()
}

pub async fn show(State(state): State<AppState>, user: AdminUser, Query(q): Query<ReadinessQuery>) -> Response {
    let lang = user.lang();
    let chrome = user.chrome("readiness");
    let view = state.view(user.actor.clone());
    let report = async {
        let granted = view.grant::<ReadAllDevices>()?;
        let (group, days) = crate::api::readiness::parse(q.group.as_deref(), q.stale_days)?;
        Ok::<_, crate::error::AppError>((granted.readiness(group, days).await?, granted.device_groups().await?))
    };
    let (report, groups) = match report.await {
        Ok(r) => r,
        Err(e) => return page::error(&chrome, &e),
    };
    let selected = report.group.map(|g| g.to_string()).unwrap_or_default();
    let rows = report
        .rows
        .iter()
        .map(|r| Row {
            href: format!("/admin/devices/{}", r.device_id),
            name: r.device_name.clone(),
            owner: r.owner.clone().unwrap_or_else(|| i18n::text(lang, "device-no-owner", &[])),
            platform: i18n::text(lang, &labels::platform(r.platform), &[]),
            os_version: r.os_version.clone(),
            last_check_in: r.last_check_in.map_or_else(|| i18n::text(lang, "device-never", &[]), when),
            reason: r.why.map_or_else(
                || ReasonText { code: r.reason_code.clone(), reason: r.reason.clone(), fix: r.fix.clone(), href: None },
                |w| reason_text(w, report.stale_days, lang),
            ),
        })
        .collect();
    let query = query_string(Some(&selected), report.stale_days);
    let ctx = ReadinessPage {
        chrome,
        rows,
        bars: reason_bars(&report, lang),
        groups: groups
            .into_iter()
            .map(|g| GroupChoice { selected: g.id.0.to_string() == selected, value: g.id.0.to_string(), label: g.name })
            .collect(),
        stale_days: report.stale_days,
        devices: report.devices,
        not_ready: report.not_ready_devices,
        csv_href: if query.is_empty() { "/admin/readiness.csv".into() } else { format!("/admin/readiness.csv?{query}") },
    };
    page::render(StatusCode::OK, "readiness.html", ctx)
}

pub async fn csv(State(state): State<AppState>, user: AdminUser, Query(q): Query<ReadinessQuery>) -> Response {
    let chrome = user.chrome("readiness");
    let view = state.view(user.actor.clone());
    let report = async {
        let granted = view.grant::<ReadAllDevices>()?;
        let (group, days) = crate::api::readiness::parse(q.group.as_deref(), q.stale_days)?;
        granted.readiness(group, days).await
    };
    match report.await {
        Ok(report) => crate::api::readiness::csv_download(crate::export::readiness_csv(&report), "readiness.csv"),
        Err(e) => page::error(&chrome, &e),
    }
}
