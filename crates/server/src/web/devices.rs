//! Devices › All devices: the tenant's managed devices, searchable, filtered by platform,
//! ownership and owner, sorted by a column header and paged by keyset, through the principal's
//! view (never the store).

use super::i18n::{self, Lang};
use super::labels;
use super::page::{self, Chrome};
use super::principal::AdminUser;
use crate::app::paging;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use pinreset_core::device::{Ownership, Platform};
use pinreset_core::{Device, User, UserId};
use pinreset_store::{DeviceFilter, DeviceSort, Keyset, Page};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const PAGE_SIZE: u32 = 25;

/// The list pages by keyset (`after` / `before` a device), so a page deep in 100,000 devices
/// costs what the first costs; `at` only numbers the rows shown ("26–50 of …").
#[derive(Deserialize, Default)]
pub struct ListQuery {
    search: Option<String>,
    platform: Option<String>,
    /// `corporate` or `personal`.
    ownership: Option<String>,
    /// A user id: that user's devices.
    owner: Option<String>,
    /// A column (`DeviceSort::as_str`) and `dir=desc` for the other way round.
    sort: Option<String>,
    dir: Option<String>,
    after: Option<String>,
    before: Option<String>,
    at: Option<u64>,
}

#[derive(Serialize)]
struct Row {
    href: String,
    name: String,
    owner: String,
    /// "Only this owner's devices".
    owner_href: Option<String>,
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

/// The owner filter: whose devices, and the link that drops it.
#[derive(Serialize)]
struct OwnerFilter {
    id: String,
    name: String,
    clear_href: String,
}

/// A sortable column header: its link sorts by it (the other way round when it already does).
#[derive(Serialize)]
struct SortHeader {
    sort: &'static str,
    label: String,
    href: String,
    /// `ascending` / `descending` when the list is sorted by it (for `aria-sort`).
    current: Option<&'static str>,
}

#[derive(Serialize)]
struct DevicesPage {
    #[serde(flatten)]
    chrome: Chrome,
    rows: Vec<Row>,
    search: String,
    platforms: Vec<PlatformChoice>,
    ownerships: Vec<PlatformChoice>,
    owner: Option<OwnerFilter>,
    headers: Vec<SortHeader>,
    filtered: bool,
    /// The current order, kept by the filter form.
    sort: &'static str,
    dir: &'static str,
    total: u64,
    first: u64,
    last: u64,
    previous: Option<String>,
    next: Option<String>,
}

/// What the list shows and in which order: everything a link to another page keeps.
#[derive(Clone)]
struct Listing {
    search: String,
    platform: Option<Platform>,
    ownership: Option<Ownership>,
    owner: Option<UserId>,
    order: paging::Order,
}

impl Listing {
    fn from_query(q: &ListQuery) -> Result<Listing, AppError> {
        let nonempty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let owner = nonempty(&q.owner).map(|o| crate::api::devices::parse_id::<UserId>("owner", &o)).transpose()?;
        // An unknown platform, ownership or sort in the URL is ignored rather than an error
        // page: they only narrow or order the list.
        let ownership = match nonempty(&q.ownership).as_deref() {
            Some("corporate") => Some(Ownership::Corporate),
            Some("personal") => Some(Ownership::Personal),
            _ => None,
        };
        Ok(Listing {
            search: q.search.as_deref().map(str::trim).unwrap_or("").to_string(),
            platform: q.platform.as_deref().and_then(|p| p.parse::<Platform>().ok()),
            ownership,
            owner,
            order: paging::Order {
                sort: q.sort.as_deref().and_then(DeviceSort::parse).unwrap_or_default(),
                descending: q.dir.as_deref() == Some("desc"),
            },
        })
    }

    fn filtered(&self) -> bool {
        !self.search.is_empty() || self.platform.is_some() || self.ownership.is_some() || self.owner.is_some()
    }

    /// A link to this listing, at a position (`("after" | "before", cursor, at)`).
    fn link(&self, position: Option<(&str, String, u64)>) -> String {
        let mut q: Vec<(&str, String)> = vec![];
        if !self.search.is_empty() {
            q.push(("search", self.search.clone()));
        }
        if let Some(p) = self.platform {
            q.push(("platform", p.as_str().to_string()));
        }
        if let Some(o) = self.ownership {
            q.push(("ownership", ownership_value(o).to_string()));
        }
        if let Some(o) = self.owner {
            q.push(("owner", o.to_string()));
        }
        if self.order != paging::Order::default() {
            q.push(("sort", self.order.sort.as_str().to_string()));
            if self.order.descending {
                q.push(("dir", "desc".to_string()));
            }
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
}

fn ownership_value(o: Ownership) -> &'static str {
    match o {
        Ownership::Corporate => "corporate",
        Ownership::Personal => "personal",
    }
}

/// The sortable columns, with their header's message key. Most recent check-in first is what
/// people look for, so that column starts descending.
const SORTABLE: [(DeviceSort, &str); 5] = [
    (DeviceSort::Name, "col-name"),
    (DeviceSort::Owner, "col-owner"),
    (DeviceSort::Platform, "col-platform"),
    (DeviceSort::OsVersion, "col-os-version"),
    (DeviceSort::LastCheckIn, "col-last-check-in"),
];

fn headers(listing: &Listing, lang: Lang) -> Vec<SortHeader> {
    SORTABLE
        .into_iter()
        .map(|(sort, key)| {
            let current = (listing.order.sort == sort).then_some(listing.order.descending);
            let descending = match current {
                Some(d) => !d,
                None => sort == DeviceSort::LastCheckIn,
            };
            let target = Listing { order: paging::Order { sort, descending }, ..listing.clone() };
            SortHeader {
                sort: sort.as_str(),
                label: i18n::text(lang, key, &[]),
                href: target.link(None),
                current: current.map(|d| if d { "descending" } else { "ascending" }),
            }
        })
        .collect()
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

pub async fn list(State(state): State<AppState>, user: AdminUser, Query(q): Query<ListQuery>) -> Response {
    let lang = user.lang();
    let chrome = user.chrome("devices");
    let listing = match Listing::from_query(&q) {
        Ok(l) => l,
        Err(e) => return page::error(&chrome, &e),
    };
    let order = listing.order;
    let keyset = match (q.after.as_deref(), q.before.as_deref()) {
        (Some(t), _) => paging::parse_cursor_in("after", t, order).map(|c| Some(Keyset::After(c))),
        (None, Some(t)) => paging::parse_cursor_in("before", t, order).map(|c| Some(Keyset::Before(c))),
        (None, None) => Ok(None),
    };
    let keyset = match keyset {
        Ok(k) => k,
        Err(e) => return page::error(&chrome, &e),
    };
    let backwards = matches!(keyset, Some(Keyset::Before(_)));
    let view = state.view(user.actor.clone());
    let filter = DeviceFilter {
        platform: listing.platform,
        owner: listing.owner,
        ownership: listing.ownership,
        search: (!listing.search.is_empty()).then(|| listing.search.clone()),
        sort: order.sort,
        descending: order.descending,
        keyset,
        ..DeviceFilter::default()
    };
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
    for id in found.items.iter().filter_map(|d| d.primary_user_id).chain(listing.owner) {
        if let std::collections::hash_map::Entry::Vacant(slot) = owners.entry(id) {
            slot.insert(view.user(id).await.ok().flatten());
        }
    }
    let owner_of = |d: &Device| d.primary_user_id.and_then(|id| owners.get(&id)).and_then(Option::as_ref);
    let rows = found
        .items
        .iter()
        .map(|d| Row {
            href: format!("/admin/devices/{}", d.id),
            name: d.name.clone(),
            owner: owner_name(owner_of(d), lang),
            owner_href: owner_of(d)
                .filter(|_| listing.owner.is_none())
                .map(|u| Listing { owner: Some(u.id), ..listing.clone() }.link(None)),
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
        .map(|p| PlatformChoice {
            value: p.as_str(),
            label: i18n::text(lang, &labels::platform(p), &[]),
            selected: Some(p) == listing.platform,
        })
        .collect();
    let ownerships = [Ownership::Corporate, Ownership::Personal]
        .into_iter()
        .map(|o| PlatformChoice {
            value: ownership_value(o),
            label: i18n::text(lang, labels::ownership(o), &[]),
            selected: Some(o) == listing.ownership,
        })
        .collect();
    let (has_previous, has_next) = match (&q.after, &q.before) {
        (None, None) => (false, further),
        (Some(_), _) => (true, further),
        (None, Some(_)) => (further, true),
    };
    // The cursor holds the device's key in this order (its owner's name for the owner order).
    let cursor = |d: &Device| paging::cursor_in(order, d, &owner_of(d).map(|u| u.display_name.clone()).unwrap_or_default());
    let previous = found
        .items
        .first()
        .filter(|_| has_previous)
        .map(|d| listing.link(Some(("before", cursor(d), at.saturating_sub(u64::from(PAGE_SIZE))))));
    let next = found.items.last().filter(|_| has_next).map(|d| listing.link(Some(("after", cursor(d), at + shown))));
    let owner = listing.owner.map(|id| {
        let name = owners.get(&id).and_then(Option::as_ref).map_or_else(|| id.to_string(), |u| u.display_name.clone());
        OwnerFilter { id: id.to_string(), name, clear_href: Listing { owner: None, ..listing.clone() }.link(None) }
    });
    let ctx = DevicesPage {
        chrome,
        rows,
        search: listing.search.clone(),
        platforms,
        ownerships,
        owner,
        headers: headers(&listing, lang),
        filtered: listing.filtered(),
        sort: order.sort.as_str(),
        dir: if order.descending { "desc" } else { "asc" },
        total: found.total,
        first: if shown == 0 { 0 } else { at + 1 },
        last: at + shown,
        previous,
        next,
    };
    page::render(StatusCode::OK, "devices.html", ctx)
}
