//! Devices › All devices: the tenant's managed devices, searchable, filtered by platform and
//! paged, through the principal's view (never the store).

use super::i18n::{self, Lang};
use super::labels;
use super::page::{self, Chrome};
use super::principal::AdminUser;
use crate::app::paging;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use pinreset_core::device::Platform;
use pinreset_core::{Device, User, UserId};
use pinreset_store::{DeviceFilter, Keyset, Page};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const PAGE_SIZE: u32 = 25;

/// The list pages by keyset (`after` / `before` a device), so a page deep in 100,000 devices
/// costs what the first costs; `at` only numbers the rows shown ("26–50 of …").
#[derive(Deserialize, Default)]
pub struct ListQuery {
    search: Option<String>,
    platform: Option<String>,
    after: Option<String>,
    before: Option<String>,
    at: Option<u64>,
}

#[derive(Serialize)]
struct Row {
    href: String,
    name: String,
    owner: String,
    platform: String,
    os_version: String,
    ownership: String,
    management: String,
    last_check_in: String,
    pending: bool,
}

#[derive(Serialize)]
struct PlatformChoice {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct DevicesPage {
    #[serde(flatten)]
    chrome: Chrome,
    rows: Vec<Row>,
    search: String,
    platforms: Vec<PlatformChoice>,
    total: u64,
    first: u64,
    last: u64,
    previous: Option<String>,
    next: Option<String>,
}

/// A moment as pages show it: language-neutral, to the minute, in UTC.
pub fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn owner_name(owner: Option<&User>, lang: Lang) -> String {
    owner.map_or_else(|| i18n::text(lang, "device-no-owner", &[]), |u| u.display_name.clone())
}

pub fn management_state(d: &Device, lang: Lang) -> String {
    let key = if d.retired_at.is_some() { "management-retired" } else { "management-managed" };
    i18n::text(lang, key, &[])
}

/// A link to the page after or before a device (`position`: ("after" | "before", cursor, at)).
fn link(search: &str, platform: Option<Platform>, position: Option<(&str, String, u64)>) -> String {
    let mut q: Vec<(&str, String)> = vec![];
    if !search.is_empty() {
        q.push(("search", search.to_string()));
    }
    if let Some(p) = platform {
        q.push(("platform", p.as_str().to_string()));
    }
    if let Some((direction, cursor, at)) = position {
        q.push((direction, cursor));
        q.push(("at", at.to_string()));
    }
    let query = serde_urlencoded::to_string(&q).unwrap_or_default();
    if query.is_empty() {
        "/admin/devices".into()
    } else {
        format!("/admin/devices?{query}")
    }
}

pub async fn list(State(state): State<AppState>, user: AdminUser, Query(q): Query<ListQuery>) -> Response {
    let lang = user.lang();
    let chrome = user.chrome("devices");
    let search = q.search.as_deref().map(str::trim).unwrap_or("").to_string();
    // An unknown platform in the URL is ignored rather than an error page: it only filters.
    let platform = q.platform.as_deref().and_then(|p| p.parse::<Platform>().ok());
    let keyset = match (q.after.as_deref(), q.before.as_deref()) {
        (Some(t), _) => paging::parse_cursor("after", t).map(|c| Some(Keyset::After(c))),
        (None, Some(t)) => paging::parse_cursor("before", t).map(|c| Some(Keyset::Before(c))),
        (None, None) => Ok(None),
    };
    let keyset = match keyset {
        Ok(k) => k,
        Err(e) => return page::error(&chrome, &e),
    };
    let backwards = matches!(keyset, Some(Keyset::Before(_)));
    let view = state.view(user.actor.clone());
    let filter = DeviceFilter { platform, search: (!search.is_empty()).then(|| search.clone()), keyset, ..DeviceFilter::default() };
    // One row more than shown tells whether there is a page further in that direction.
    let mut found = match view.devices(filter, Page { offset: 0, limit: PAGE_SIZE + 1 }).await {
        Ok(found) => found,
        Err(e) => return page::error(&chrome, &e),
    };
    let further = found.items.len() > PAGE_SIZE as usize;
    if further {
        if backwards {
            found.items.remove(0);
        } else {
            found.items.truncate(PAGE_SIZE as usize);
        }
    }
    let at = if q.after.is_none() && q.before.is_none() { 0 } else { q.at.unwrap_or(0) };
    let mut owners: HashMap<UserId, Option<User>> = HashMap::new();
    for id in found.items.iter().filter_map(|d| d.primary_user_id) {
        if let std::collections::hash_map::Entry::Vacant(slot) = owners.entry(id) {
            slot.insert(view.user(id).await.ok().flatten());
        }
    }
    let rows = found
        .items
        .iter()
        .map(|d| Row {
            href: format!("/admin/devices/{}", d.id),
            name: d.name.clone(),
            owner: owner_name(d.primary_user_id.and_then(|id| owners.get(&id)).and_then(Option::as_ref), lang),
            platform: i18n::text(lang, &labels::platform(d.platform), &[]),
            os_version: d.os_version.to_string(),
            ownership: i18n::text(lang, labels::ownership(d.ownership), &[]),
            management: management_state(d, lang),
            last_check_in: d.last_check_in.map_or_else(|| i18n::text(lang, "device-never", &[]), when),
            pending: view.has_pending(d),
        })
        .collect::<Vec<_>>();
    let shown = rows.len() as u64;
    let platforms = Platform::ALL
        .into_iter()
        .map(|p| PlatformChoice { value: p.as_str(), label: i18n::text(lang, &labels::platform(p), &[]), selected: Some(p) == platform })
        .collect();
    let (has_previous, has_next) = match (&q.after, &q.before) {
        (None, None) => (false, further),
        (Some(_), _) => (true, further),
        (None, Some(_)) => (further, true),
    };
    let previous = found
        .items
        .first()
        .filter(|_| has_previous)
        .map(|d| link(&search, platform, Some(("before", paging::cursor_of(d), at.saturating_sub(u64::from(PAGE_SIZE))))));
    let next = found.items.last().filter(|_| has_next).map(|d| link(&search, platform, Some(("after", paging::cursor_of(d), at + shown))));
    let ctx = DevicesPage {
        chrome,
        rows,
        search,
        platforms,
        total: found.total,
        first: if shown == 0 { 0 } else { at + 1 },
        last: at + shown,
        previous,
        next,
    };
    page::render(StatusCode::OK, "devices.html", ctx)
}
