//! Audit log: every event of the tenant, newest first, filtered by actor, device, event kind,
//! action kind and time range (through the same engine call as `GET /api/v1/audit`), paged by
//! sequence number, and exported with the same filters as CSV or JSON lines. Passcode reveals
//! (`passcode_read`) are marked so they stand out.

use super::devices::when;
use super::i18n;
use super::labels;
use super::page;
use super::principal::AdminUser;
use crate::app::view::ReadAudit;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use pinreset_core::{ActionKind, AuditEvent, AuditKind, Detail, DetailCode, DeviceId};
use pinreset_store::AuditFilter;
use serde::{Deserialize, Serialize};

const PAGE_SIZE: u32 = 50;
/// Exports read this many events per query, and at most `EXPORT_PAGES` queries.
const EXPORT_BATCH: u32 = 1000;
const EXPORT_PAGES: usize = 100;

#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    actor: Option<String>,
    device: Option<String>,
    kind: Option<String>,
    action: Option<String>,
    /// First day, `YYYY-MM-DD` (UTC), inclusive.
    from: Option<String>,
    /// Last day, `YYYY-MM-DD` (UTC), inclusive.
    to: Option<String>,
    before: Option<i64>,
}

fn day(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        AppError::invalid(Detail::new(DetailCode::FieldNotATime, [("field", field.into()), ("value", s.chars().take(40).collect())]))
    })
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The engine's filter from the form: an actor without a prefix is a user's login.
fn filter(q: &AuditQuery, limit: u32) -> Result<AuditFilter, AppError> {
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    Ok(AuditFilter {
        actor: nonempty(&q.actor).map(|a| if a.contains(':') { a.to_string() } else { format!("user:{a}") }),
        device_id: nonempty(&q.device).map(|d| crate::api::devices::parse_id::<DeviceId>("device", d)).transpose()?,
        kind: nonempty(&q.kind)
            .map(|k| crate::api::audit::parse_enum("kind", k, AuditKind::parse, AuditKind::ALL.iter().map(|k| k.as_str())))
            .transpose()?,
        action: nonempty(&q.action)
            .map(|k| crate::api::audit::parse_enum("action", k, ActionKind::from_slug, ActionKind::ALL.iter().map(|k| k.as_str())))
            .transpose()?,
        since: nonempty(&q.from).map(|d| day("from", d)).transpose()?.map(midnight),
        until: nonempty(&q.to).map(|d| day("to", d)).transpose()?.map(|d| midnight(d + Duration::days(1))),
        before_seq: q.before,
        limit,
        ..AuditFilter::default()
    })
}

#[derive(Serialize)]
struct Row {
    seq: i64,
    at: String,
    actor: String,
    /// The session and address a person acted from (`session=… client=…`).
    origin: Option<String>,
    kind: String,
    /// The kind in the page's language.
    kind_label: String,
    reveal: bool,
    device_href: Option<String>,
    device_id: Option<String>,
    /// The device's name when it is still visible, else the start of its id.
    device_name: Option<String>,
    action: Option<String>,
    outcome: String,
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct AuditPage {
    #[serde(flatten)]
    chrome: page::Chrome,
    rows: Vec<Row>,
    actor: String,
    device: String,
    from: String,
    to: String,
    kinds: Vec<Choice>,
    actions: Vec<Choice>,
    filtered: bool,
    query: String,
    newest: Option<String>,
    older: Option<String>,
}

/// The filter part of the query string (no paging), for links and exports.
fn filter_query(q: &AuditQuery) -> String {
    let pairs: Vec<(&str, &str)> =
        [("actor", &q.actor), ("device", &q.device), ("kind", &q.kind), ("action", &q.action), ("from", &q.from), ("to", &q.to)]
            .into_iter()
            .filter_map(|(k, v)| nonempty(v).map(|v| (k, v)))
            .collect();
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

fn with(path: &str, query: &str, before: Option<i64>) -> String {
    let mut q = query.to_string();
    if let Some(b) = before {
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str(&format!("before={b}"));
    }
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{q}")
    }
}

pub async fn list(State(state): State<AppState>, user: AdminUser, Query(q): Query<AuditQuery>) -> Response {
    let lang = user.lang();
    let chrome = user.chrome("audit");
    let view = state.view(user.actor.clone());
    let events = async {
        let audit = view.grant::<ReadAudit>()?;
        // One more than a page: whether there is an older page.
        audit.events(&filter(&q, PAGE_SIZE + 1)?).await
    };
    let mut events = match events.await {
        Ok(e) => e,
        Err(e) => return page::error(&chrome, &e),
    };
    let more = events.len() > PAGE_SIZE as usize;
    events.truncate(PAGE_SIZE as usize);
    let mut names: std::collections::HashMap<DeviceId, String> = std::collections::HashMap::new();
    for id in events.iter().filter_map(|e| e.event.device_id) {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id) {
            let short = id.to_string().chars().take(8).collect::<String>();
            slot.insert(view.device(id).await.map_or(short, |d| d.name));
        }
    }
    let t = |k: &str| i18n::text(lang, k, &[]);
    let rows = events
        .iter()
        .map(|e| {
            let ev = &e.event;
            Row {
                seq: e.seq,
                at: when(ev.at),
                actor: ev.actor.clone(),
                origin: ev.origin.clone(),
                kind: ev.kind.as_str().to_string(),
                kind_label: t(&labels::audit_kind(ev.kind)),
                reveal: ev.kind == AuditKind::PasscodeRead,
                device_href: ev.device_id.map(|d| format!("/admin/devices/{d}")),
                device_id: ev.device_id.map(|d| d.to_string()),
                device_name: ev.device_id.and_then(|d| names.get(&d).cloned()),
                action: ev.action.as_deref().and_then(ActionKind::from_slug).map(|k| t(&labels::action_kind(k))),
                outcome: ev.outcome.clone(),
            }
        })
        .collect();
    let query = filter_query(&q);
    let kind = nonempty(&q.kind).unwrap_or("");
    let action = nonempty(&q.action).and_then(ActionKind::from_slug);
    let ctx = AuditPage {
        chrome,
        rows,
        actor: q.actor.clone().unwrap_or_default(),
        device: q.device.clone().unwrap_or_default(),
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
        kinds: AuditKind::ALL
            .iter()
            .map(|k| Choice { value: k.as_str(), label: t(&labels::audit_kind(*k)), selected: k.as_str() == kind })
            .collect(),
        actions: ActionKind::ALL
            .into_iter()
            .map(|k| Choice { value: k.as_str(), label: t(&labels::action_kind(k)), selected: Some(k) == action })
            .collect(),
        filtered: !query.is_empty(),
        newest: q.before.is_some().then(|| with("/admin/audit", &query, None)),
        older: if more { events.last().map(|e| with("/admin/audit", &query, Some(e.seq))) } else { None },
        query,
    };
    page::render(StatusCode::OK, "audit.html", ctx)
}

/// Every event matching the filter, newest first (bounded: `EXPORT_PAGES` × `EXPORT_BATCH`).
async fn all_events(state: &AppState, user: &AdminUser, q: &AuditQuery) -> Result<Vec<AuditEvent>, AppError> {
    let view = state.view(user.actor.clone());
    let audit = view.grant::<ReadAudit>()?;
    let mut f = filter(q, EXPORT_BATCH)?;
    let mut out = vec![];
    for _ in 0..EXPORT_PAGES {
        let batch = audit.events(&f).await?;
        let done = batch.len() < EXPORT_BATCH as usize;
        f.before_seq = batch.last().map(|e| e.seq);
        out.extend(batch);
        if done {
            break;
        }
    }
    Ok(out)
}

fn download(body: String, content_type: &'static str, file: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CONTENT_DISPOSITION, file), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

pub async fn csv(State(state): State<AppState>, user: AdminUser, Query(q): Query<AuditQuery>) -> Response {
    match all_events(&state, &user, &q).await {
        Ok(events) => download(crate::export::audit_csv(&events), "text/csv; charset=utf-8", "attachment; filename=\"audit.csv\""),
        Err(e) => page::error(&user.chrome("audit"), &e),
    }
}

pub async fn jsonl(State(state): State<AppState>, user: AdminUser, Query(q): Query<AuditQuery>) -> Response {
    match all_events(&state, &user, &q).await {
        Ok(events) => {
            download(crate::export::audit_jsonl(&events), "application/jsonl; charset=utf-8", "attachment; filename=\"audit.jsonl\"")
        }
        Err(e) => page::error(&user.chrome("audit"), &e),
    }
}
