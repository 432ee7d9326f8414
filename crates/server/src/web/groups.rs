//! Users & groups › Groups: user groups and device groups (profiles are assigned to them),
//! a new group, and one group's members — added by searching users (user groups) or devices
//! (device groups) by name, removed one by one. All through `app::groups` and the view.

use super::i18n::{self, Lang};
use super::labels;
use super::page::{self, Chrome, ErrorView};
use super::people::{self, can_manage, form_error, given, NAV};
use super::principal::AdminUser;
use crate::app::groups::{self, GroupView, NewGroup};
use crate::app::users::{self, UserFilter};
use crate::app::view::{ManageUsers, ReadUsers, View};
use crate::auth::RequestId;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use pinreset_core::{DeviceId, GroupKind};
use pinreset_store::{DeviceFilter, Page};
use serde::{Deserialize, Serialize};

/// How many search results the add-member list shows.
const CANDIDATES: usize = 20;

#[derive(Serialize)]
struct GroupRow {
    href: String,
    name: String,
    members: usize,
}

#[derive(Serialize)]
struct GroupsPage {
    #[serde(flatten)]
    chrome: Chrome,
    user_groups: Vec<GroupRow>,
    device_groups: Vec<GroupRow>,
    can_manage: bool,
    name: String,
    kind: String,
    error: Option<ErrorView>,
}

async fn groups_page(
    state: &AppState,
    user: &AdminUser,
    form: Option<&NewGroupForm>,
    error: Option<ErrorView>,
    status: StatusCode,
) -> Response {
    let chrome = user.chrome(NAV);
    let listed = match state.view(user.actor.clone()).grant::<ReadUsers>() {
        Ok(g) => groups::list(&g).await,
        Err(e) => Err(e),
    };
    let all = match listed {
        Ok(all) => all,
        Err(e) => return page::error(&chrome, &e),
    };
    let row =
        |id: uuid::Uuid, name: &str, members: usize| GroupRow { href: format!("/admin/groups/{id}"), name: name.to_string(), members };
    let mut user_groups: Vec<GroupRow> = all.user_groups.iter().map(|g| row(g.id.0, &g.name, g.members.len())).collect();
    let mut device_groups: Vec<GroupRow> = all.device_groups.iter().map(|g| row(g.id.0, &g.name, g.members.len())).collect();
    user_groups.sort_by_key(|a| a.name.to_lowercase());
    device_groups.sort_by_key(|a| a.name.to_lowercase());
    let ctx = GroupsPage {
        user_groups,
        device_groups,
        can_manage: can_manage(state, user),
        name: form.map(|f| f.name.clone()).unwrap_or_default(),
        kind: form.map(|f| f.kind.clone()).unwrap_or_else(|| "user".into()),
        error,
        chrome,
    };
    page::render(status, "groups.html", ctx)
}

pub async fn list(State(state): State<AppState>, user: AdminUser) -> Response {
    groups_page(&state, &user, None, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct NewGroupForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
}

pub async fn create(State(state): State<AppState>, user: AdminUser, RequestId(rid): RequestId, Form(form): Form<NewGroupForm>) -> Response {
    let chrome = user.chrome(NAV);
    let Some(kind) = GroupKind::parse(&form.kind) else { return page::problem(&chrome, pinreset_core::ErrorCode::InvalidInput) };
    let created = match state.view(user.actor.clone()).grant::<ManageUsers>() {
        Ok(g) => groups::create(&g, NewGroup { kind, name: form.name.clone(), members: vec![] }, rid).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(g) => page::see_other(&format!("/admin/groups/{}", g.id)),
        Err(e) => match form_error(&chrome, &e) {
            Ok((status, error)) => groups_page(&state, &user, Some(&form), Some(error), status).await,
            Err(page) => page,
        },
    }
}

// ---- one group

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    find: Option<String>,
    done: Option<String>,
}

/// A member or a candidate: its name, a second line (login or platform) and its id.
#[derive(Serialize)]
struct Person {
    id: String,
    name: String,
    detail: String,
    href: String,
}

#[derive(Serialize)]
struct GroupPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: String,
    name: String,
    is_device_group: bool,
    members: Vec<Person>,
    find: String,
    /// Search results not yet in the group (only after a search).
    candidates: Option<Vec<Person>>,
    can_manage: bool,
    notice: Option<String>,
    error: Option<ErrorView>,
}

/// The tenant's users matching `search` (all when `None`), as people to show.
async fn users_matching(view: &View<'_>, search: Option<String>) -> Result<Vec<Person>, AppError> {
    let mut all = users::list(&view.grant::<ReadUsers>()?, &UserFilter { search, ..UserFilter::default() }).await?;
    all.sort_by_key(|a| a.user.display_name.to_lowercase());
    Ok(all
        .into_iter()
        .map(|a| Person {
            id: a.user.id.to_string(),
            name: a.user.display_name,
            detail: a.user.login,
            href: format!("/admin/users/{}", a.user.id),
        })
        .collect())
}

fn device_person(d: &pinreset_core::Device, lang: Lang) -> Person {
    Person {
        id: d.id.to_string(),
        name: d.name.clone(),
        detail: i18n::text(lang, &labels::platform(d.platform), &[]),
        href: format!("/admin/devices/{}", d.id),
    }
}

async fn members_of(view: &View<'_>, g: &GroupView, lang: Lang) -> Result<Vec<Person>, AppError> {
    let ids: Vec<String> = g.members.iter().map(ToString::to_string).collect();
    let mut out = match g.kind {
        GroupKind::User => users_matching(view, None).await?.into_iter().filter(|p| ids.contains(&p.id)).collect(),
        GroupKind::Device => {
            let mut out = Vec::with_capacity(g.members.len());
            for id in &g.members {
                // A member device that was deleted meanwhile is simply not listed.
                if let Ok(d) = view.device(DeviceId(*id)).await {
                    out.push(device_person(&d, lang));
                }
            }
            out
        }
    };
    out.sort_by_key(|a| a.name.to_lowercase());
    Ok(out)
}

async fn candidates(view: &View<'_>, g: &GroupView, find: &str, lang: Lang) -> Result<Vec<Person>, AppError> {
    let found: Vec<Person> = match g.kind {
        GroupKind::User => users_matching(view, Some(find.to_string())).await?,
        GroupKind::Device => {
            let filter = DeviceFilter { search: Some(find.to_string()), ..DeviceFilter::default() };
            let page = Page { offset: 0, limit: (CANDIDATES + g.members.len().min(CANDIDATES)) as u32 };
            view.devices(filter, page).await?.items.iter().map(|d| device_person(d, lang)).collect()
        }
    };
    let members: Vec<String> = g.members.iter().map(ToString::to_string).collect();
    Ok(found.into_iter().filter(|p| !members.contains(&p.id)).take(CANDIDATES).collect())
}

fn notice_key(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "added" => Some("groups-notice-added"),
        "removed" => Some("groups-notice-removed"),
        _ => None,
    }
}

async fn group_page(
    state: &AppState,
    user: &AdminUser,
    id: uuid::Uuid,
    q: ShowQuery,
    error: Option<ErrorView>,
    status: StatusCode,
) -> Response {
    let lang = user.lang();
    let chrome = user.chrome(NAV);
    let view = state.view(user.actor.clone());
    let find = given(q.find).unwrap_or_default();
    let loaded = async {
        let g = groups::get(&view.grant::<ReadUsers>()?, id).await?;
        let members = members_of(&view, &g, lang).await?;
        let candidates = if find.is_empty() { None } else { Some(candidates(&view, &g, &find, lang).await?) };
        Ok::<_, AppError>((g, members, candidates))
    };
    let (g, members, candidates) = match loaded.await {
        Ok(x) => x,
        Err(e) => return page::error(&chrome, &e),
    };
    let ctx = GroupPage {
        id: g.id.to_string(),
        name: g.name,
        is_device_group: g.kind == GroupKind::Device,
        members,
        find,
        candidates,
        can_manage: can_manage(state, user),
        notice: notice_key(q.done.as_deref()).map(|k| i18n::text(lang, k, &[])),
        error,
        chrome,
    };
    page::render(status, "group.html", ctx)
}

pub async fn show(State(state): State<AppState>, user: AdminUser, Path(id): Path<String>, Query(q): Query<ShowQuery>) -> Response {
    let id: uuid::Uuid = match people::parse(&user.chrome(NAV), &id) {
        Ok(id) => id,
        Err(page) => return page,
    };
    group_page(&state, &user, id, q, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    member: String,
}

async fn set_member(state: &AppState, user: &AdminUser, rid: Option<String>, id: &str, member: &str, present: bool) -> Response {
    let chrome = user.chrome(NAV);
    let (id, member): (uuid::Uuid, uuid::Uuid) = match (people::parse(&chrome, id), people::parse(&chrome, member)) {
        (Ok(id), Ok(member)) => (id, member),
        (Err(page), _) | (_, Err(page)) => return page,
    };
    let result = match state.view(user.actor.clone()).grant::<ManageUsers>() {
        Ok(g) => groups::set_member(&g, id, member, present, rid).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => page::see_other(&format!("/admin/groups/{id}?done={}", if present { "added" } else { "removed" })),
        Err(e) => match form_error(&chrome, &e) {
            Ok((status, error)) => group_page(state, user, id, ShowQuery::default(), Some(error), status).await,
            Err(page) => page,
        },
    }
}

pub async fn add_member(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    Form(form): Form<MemberForm>,
) -> Response {
    set_member(&state, &user, rid, &id, &form.member, true).await
}

pub async fn remove_member(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path((id, member)): Path<(String, String)>,
) -> Response {
    set_member(&state, &user, rid, &id, &member, false).await
}
