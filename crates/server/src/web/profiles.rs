//! Configuration profiles: the list, a custom Windows 10 profile's form (rows of OMA-URI,
//! data type and value; validated by the engine on save, its refusal shown beside the form),
//! the PassportForWork `EnablePinRecovery` template with the tenant's directory id filled in,
//! assignments to user and device groups with exclusions, and the per-device status with its
//! counts and a state filter. Without JavaScript, "+ Add setting" and the template are submit
//! buttons that render the form again with one more row.

use super::devices::when;
use super::i18n::{self, Lang};
use super::labels;
use super::page::{self, Chrome, ErrorView};
use super::principal::AdminUser;
use crate::app::profiles::{self, ProfileInput};
use crate::app::view::{ManageProfiles, ReadProfiles, ReadUsers};
use crate::auth::RequestId;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use pinreset_core::device::Platform;
use pinreset_core::profile::{Assignments, DeviceProfileState, GroupRef, OmaDataType, OmaSetting, Profile, ProfileId};
use pinreset_core::{DeviceGroupId, ErrorCode, UserGroupId};
use serde::{Deserialize, Serialize};

/// The PIN recovery setting's OMA-URI, before the tenant's directory id is put in.
const PIN_RECOVERY_URI: &str = "./Device/Vendor/MSFT/PassportForWork/{directory}/Policies/EnablePinRecovery";
/// Rows a form may grow to (the engine refuses more settings anyway).
const MAX_ROWS: usize = 200;

fn pin_recovery_setting(directory_id: uuid::Uuid) -> Row {
    Row {
        oma_uri: PIN_RECOVERY_URI.replace("{directory}", &directory_id.to_string()),
        data_type: OmaDataType::Boolean.as_str().into(),
        value: "true".into(),
        platforms: String::new(),
    }
}

/// One setting row of the form, as typed.
#[derive(Serialize, Clone, Default)]
struct Row {
    oma_uri: String,
    data_type: String,
    value: String,
    /// The platforms a saved setting was narrowed to (comma-separated), kept across an edit.
    platforms: String,
}

impl Row {
    fn of(s: &OmaSetting) -> Self {
        Row {
            oma_uri: s.oma_uri.clone(),
            data_type: s.data_type.as_str().into(),
            value: s.value.clone(),
            platforms: s.platforms.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(","),
        }
    }
}

#[derive(Serialize)]
struct RowView {
    #[serde(flatten)]
    row: Row,
    /// The platforms the setting applies to, translated.
    applies_to: String,
}

fn platforms_text(lang: Lang, row: &Row) -> String {
    let listed: Vec<Platform> = row.platforms.split(',').filter_map(|p| p.trim().parse().ok()).collect();
    let ps: Vec<Platform> = if listed.is_empty() { OmaSetting::default_platforms(&row.oma_uri).to_vec() } else { listed };
    ps.into_iter().map(|p| i18n::text(lang, &labels::platform(p), &[])).collect::<Vec<_>>().join(", ")
}

#[derive(Serialize)]
struct FormPage {
    #[serde(flatten)]
    chrome: Chrome,
    /// Where the form posts: `/admin/profiles/new` or `/admin/profiles/{id}/edit`.
    post_to: String,
    cancel_href: String,
    editing: bool,
    name: String,
    description: String,
    rows: Vec<RowView>,
    data_types: Vec<&'static str>,
    error: Option<ErrorView>,
}

fn parse_rows(fields: &[(String, String)]) -> Vec<Row> {
    let get = |name: String| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
    let mut rows = Vec::new();
    for i in 0..MAX_ROWS {
        let Some(oma_uri) = get(format!("uri_{i}")) else { break };
        let row = Row {
            oma_uri,
            data_type: get(format!("type_{i}")).unwrap_or_default(),
            value: get(format!("value_{i}")).unwrap_or_default(),
            platforms: get(format!("platforms_{i}")).unwrap_or_default(),
        };
        // A row whose "Remove" was pressed, or left entirely empty, is dropped.
        let removed = get("remove".into()).as_deref() == Some(&i.to_string());
        let blank = row.oma_uri.trim().is_empty() && row.value.trim().is_empty();
        if !(removed || blank) {
            rows.push(row);
        }
    }
    rows
}

fn field(fields: &[(String, String)], name: &str) -> String {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// The form's rows as the engine's input; a data type the form did not offer is refused with
/// the same detail the API gives.
fn to_input(name: String, description: String, rows: &[Row]) -> Result<ProfileInput, AppError> {
    let mut settings = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let data_type = OmaDataType::parse(&r.data_type).ok_or_else(|| {
            AppError::invalid(pinreset_core::Detail::new(
                pinreset_core::DetailCode::FieldUnknownValue,
                [
                    ("field", format!("settings[{i}].data_type")),
                    ("value", r.data_type.clone()),
                    ("allowed", OmaDataType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")),
                ],
            ))
        })?;
        let platforms = r.platforms.split(',').filter_map(|p| p.trim().parse().ok()).collect();
        settings.push(OmaSetting { oma_uri: r.oma_uri.trim().to_string(), data_type, value: r.value.trim().to_string(), platforms });
    }
    Ok(ProfileInput { name, description, settings })
}

#[allow(clippy::too_many_arguments)]
fn render_form(
    chrome: Chrome,
    id: Option<ProfileId>,
    name: String,
    description: String,
    rows: Vec<Row>,
    error: Option<&AppError>,
) -> Response {
    let lang = chrome.lang();
    let status = error.map_or(StatusCode::OK, |e| StatusCode::from_u16(e.error_code().http_status()).unwrap_or(StatusCode::BAD_REQUEST));
    let ctx = FormPage {
        post_to: id.map_or_else(|| "/admin/profiles/new".into(), |id| format!("/admin/profiles/{id}/edit")),
        cancel_href: id.map_or_else(|| "/admin/profiles".into(), |id| format!("/admin/profiles/{id}")),
        editing: id.is_some(),
        name,
        description,
        rows: rows.into_iter().map(|row| RowView { applies_to: platforms_text(lang, &row), row }).collect(),
        data_types: OmaDataType::ALL.iter().map(|t| t.as_str()).collect(),
        error: error.map(|e| ErrorView::of(lang, e)),
        chrome,
    };
    page::render(status, "profile_form.html", ctx)
}

fn manage<'a>(
    view: &'a crate::app::view::View<'a>,
    chrome: &Chrome,
) -> Result<crate::app::view::Granted<'a, ManageProfiles>, Box<Response>> {
    view.grant::<ManageProfiles>().map_err(|e| Box::new(page::error(chrome, &e)))
}

fn parse_id(id: &str, chrome: &Chrome) -> Result<ProfileId, Box<Response>> {
    id.parse().map_err(|_| Box::new(page::problem(chrome, ErrorCode::NotFound)))
}

#[derive(Serialize)]
struct ListRow {
    href: String,
    name: String,
    description: String,
    settings: usize,
    version: u32,
    updated_at: String,
}

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    chrome: Chrome,
    rows: Vec<ListRow>,
    may_manage: bool,
}

pub async fn list(State(state): State<AppState>, user: AdminUser) -> Response {
    let chrome = user.chrome("profiles");
    let view = state.view(user.actor.clone());
    let grant = match view.grant::<ReadProfiles>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    let mut all = match profiles::list(&grant).await {
        Ok(p) => p,
        Err(e) => return page::error(&chrome, &e),
    };
    all.sort_by_key(|p| p.name.to_lowercase());
    let rows = all
        .into_iter()
        .map(|p| ListRow {
            href: format!("/admin/profiles/{}", p.id),
            name: p.name,
            description: p.description,
            settings: p.settings.len(),
            version: p.version,
            updated_at: when(p.updated_at),
        })
        .collect();
    let may_manage = view.grant::<ManageProfiles>().is_ok();
    page::render(StatusCode::OK, "profiles.html", ListPage { chrome, rows, may_manage })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    template: Option<String>,
}

pub async fn new(State(state): State<AppState>, user: AdminUser, Query(q): Query<NewQuery>) -> Response {
    let chrome = user.chrome("profiles");
    let view = state.view(user.actor.clone());
    if let Err(r) = manage(&view, &chrome) {
        return *r;
    }
    let (name, rows) = if q.template.as_deref() == Some("pin-recovery") {
        let tenant = match view.tenant().await {
            Ok(t) => t,
            Err(e) => return page::error(&chrome, &e),
        };
        (i18n::text(chrome.lang(), "tenantadmin-profile-pin-recovery-name", &[]), vec![pin_recovery_setting(tenant.directory_id)])
    } else {
        (String::new(), vec![Row { data_type: OmaDataType::String.as_str().into(), ..Row::default() }])
    };
    render_form(chrome, None, name, String::new(), rows, None)
}

/// The form came back: grow it (add a row, add the template, remove a row) or save it.
async fn submitted(
    state: &AppState,
    user: &AdminUser,
    id: Option<ProfileId>,
    rid: Option<String>,
    fields: Vec<(String, String)>,
) -> Response {
    let chrome = user.chrome("profiles");
    let view = state.view(user.actor.clone());
    let grant = match manage(&view, &chrome) {
        Ok(g) => g,
        Err(r) => return *r,
    };
    let (name, description) = (field(&fields, "name"), field(&fields, "description"));
    let mut rows = parse_rows(&fields);
    let button = field(&fields, "do");
    if button == "add" || button == "template" || fields.iter().any(|(k, _)| k == "remove") {
        if button == "add" && rows.len() < MAX_ROWS {
            rows.push(Row { data_type: OmaDataType::String.as_str().into(), ..Row::default() });
        }
        if button == "template" && rows.len() < MAX_ROWS {
            match view.tenant().await {
                Ok(t) => rows.push(pin_recovery_setting(t.directory_id)),
                Err(e) => return page::error(&chrome, &e),
            }
        }
        return render_form(chrome, id, name, description, rows, None);
    }
    let saved = match to_input(name.clone(), description.clone(), &rows) {
        Ok(input) => profiles::save(&grant, id, input, rid).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(p) => page::see_other(&format!("/admin/profiles/{}?saved=1", p.id)),
        Err(e) if e.error_code() == ErrorCode::InvalidInput => render_form(chrome, id, name, description, rows, Some(&e)),
        Err(e) => page::error(&chrome, &e),
    }
}

pub async fn create(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    submitted(&state, &user, None, rid, fields).await
}

pub async fn edit(State(state): State<AppState>, user: AdminUser, Path(id): Path<String>) -> Response {
    let chrome = user.chrome("profiles");
    let id = match parse_id(&id, &chrome) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let view = state.view(user.actor.clone());
    if let Err(r) = manage(&view, &chrome) {
        return *r;
    }
    let read = match view.grant::<ReadProfiles>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    match profiles::get(&read, id).await {
        Ok(p) => render_form(chrome, Some(id), p.name, p.description, p.settings.iter().map(Row::of).collect(), None),
        Err(e) => page::error(&chrome, &e),
    }
}

pub async fn update(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let chrome = user.chrome("profiles");
    match parse_id(&id, &chrome) {
        Ok(id) => submitted(&state, &user, Some(id), rid, fields).await,
        Err(r) => *r,
    }
}

#[derive(Serialize)]
struct GroupChoice {
    /// `user:<id>` or `device:<id>`: the form value.
    value: String,
    name: String,
    kind: &'static str,
    included: bool,
    excluded: bool,
}

#[derive(Serialize)]
struct StatusRow {
    device_href: String,
    device_name: String,
    platform: String,
    state: &'static str,
    state_label: String,
    state_class: &'static str,
    /// Error: the device's status and the catalogue link; Conflict: the other profile.
    detail: Option<String>,
    detail_href: Option<String>,
}

#[derive(Serialize)]
struct Count {
    state: &'static str,
    label: String,
    count: u32,
    selected: bool,
}

#[derive(Serialize)]
struct ProfilePage {
    #[serde(flatten)]
    chrome: Chrome,
    id: String,
    name: String,
    description: String,
    version: u32,
    updated_at: String,
    settings: Vec<RowView>,
    groups: Vec<GroupChoice>,
    assigned: Vec<String>,
    excluded: Vec<String>,
    counts: Vec<Count>,
    total: u32,
    filter: Option<String>,
    rows: Vec<StatusRow>,
    may_manage: bool,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    state: Option<String>,
    saved: Option<String>,
    assigned: Option<String>,
}

const STATES: [&str; 5] = ["succeeded", "error", "conflict", "pending", "not_applicable"];

fn state_class(s: &DeviceProfileState) -> &'static str {
    match s {
        DeviceProfileState::Succeeded => "ok",
        DeviceProfileState::Error { .. } | DeviceProfileState::Conflict { .. } => "bad",
        DeviceProfileState::Pending => "pending",
        DeviceProfileState::NotApplicable => "neutral",
    }
}

fn group_label(g: &GroupRef, choices: &[GroupChoice]) -> String {
    let value = group_value(g);
    choices.iter().find(|c| c.value == value).map_or(value, |c| c.name.clone())
}

fn group_value(g: &GroupRef) -> String {
    match g {
        GroupRef::UserGroup(id) => format!("user:{id}"),
        GroupRef::DeviceGroup(id) => format!("device:{id}"),
    }
}

fn parse_group(value: &str) -> Option<GroupRef> {
    let (kind, id) = value.split_once(':')?;
    let id: uuid::Uuid = id.parse().ok()?;
    match kind {
        "user" => Some(GroupRef::UserGroup(UserGroupId(id))),
        "device" => Some(GroupRef::DeviceGroup(DeviceGroupId(id))),
        _ => None,
    }
}

pub async fn show(State(state): State<AppState>, user: AdminUser, Path(id): Path<String>, Query(q): Query<ShowQuery>) -> Response {
    let chrome = user.chrome("profiles");
    let lang = chrome.lang();
    let id = match parse_id(&id, &chrome) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let view = state.view(user.actor.clone());
    let read = match view.grant::<ReadProfiles>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    let (profile, assignments, status) =
        match (profiles::get(&read, id).await, profiles::assignments(&read, id).await, profiles::status(&read, id).await) {
            (Ok(p), Ok(a), Ok(s)) => (p, a, s),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return page::error(&chrome, &e),
        };
    let groups = group_choices(&view, &assignments).await;
    let others: Vec<Profile> = profiles::list(&read).await.unwrap_or_default();
    let filter = q.state.filter(|s| STATES.contains(&s.as_str()));
    let t = |k: &str| i18n::text(lang, k, &[]);
    let rows = status
        .devices
        .into_iter()
        .filter(|d| filter.as_deref().is_none_or(|f| d.state.label() == f))
        .map(|d| {
            let (detail, detail_href) = match &d.state {
                DeviceProfileState::Error { oma_uri, status } => (
                    Some(i18n::text(
                        lang,
                        "tenantadmin-status-error-detail",
                        &[("status", (*status).into()), ("uri", oma_uri.clone().into())],
                    )),
                    Some(page::catalogue_href(ErrorCode::DeviceRejected)),
                ),
                DeviceProfileState::Conflict { oma_uri, other_profile } => {
                    let other =
                        others.iter().find(|p| p.id == *other_profile).map_or_else(|| other_profile.to_string(), |p| p.name.clone());
                    (
                        Some(i18n::text(
                            lang,
                            "tenantadmin-status-conflict-detail",
                            &[("profile", other.into()), ("uri", oma_uri.clone().into())],
                        )),
                        Some(format!("/admin/profiles/{other_profile}")),
                    )
                }
                _ => (None, None),
            };
            StatusRow {
                device_href: format!("/admin/devices/{}", d.device_id),
                device_name: d.device_name,
                platform: t(&labels::platform(d.platform)),
                state: d.state.label(),
                state_label: t(&format!("tenantadmin-state-{}", d.state.label())),
                state_class: state_class(&d.state),
                detail,
                detail_href,
            }
        })
        .collect();
    let c = &status.counts;
    let counts = STATES
        .into_iter()
        .zip([c.succeeded, c.error, c.conflict, c.pending, c.not_applicable])
        .map(|(s, count)| Count { state: s, label: t(&format!("tenantadmin-state-{s}")), count, selected: filter.as_deref() == Some(s) })
        .collect();
    let notice = if q.saved.is_some() { Some("tenantadmin-profile-saved") } else { q.assigned.map(|_| "tenantadmin-profile-assigned") };
    let ctx = ProfilePage {
        id: profile.id.to_string(),
        name: profile.name,
        description: profile.description,
        version: profile.version,
        updated_at: when(profile.updated_at),
        settings: profile.settings.iter().map(Row::of).map(|row| RowView { applies_to: platforms_text(lang, &row), row }).collect(),
        assigned: assignments.include.iter().map(|g| group_label(g, &groups)).collect(),
        excluded: assignments.exclude.iter().map(|g| group_label(g, &groups)).collect(),
        groups,
        counts,
        total: c.succeeded + c.error + c.conflict + c.pending + c.not_applicable,
        filter,
        rows,
        may_manage: view.grant::<ManageProfiles>().is_ok(),
        notice,
        chrome,
    };
    page::render(StatusCode::OK, "profile.html", ctx)
}

async fn group_choices(view: &crate::app::view::View<'_>, a: &Assignments) -> Vec<GroupChoice> {
    let Ok(read) = view.grant::<ReadUsers>() else { return vec![] };
    let Ok(all) = crate::app::groups::list(&read).await else { return vec![] };
    let choice = |g: GroupRef, name: String, kind| GroupChoice {
        value: group_value(&g),
        name,
        kind,
        included: a.include.contains(&g),
        excluded: a.exclude.contains(&g),
    };
    let mut out: Vec<GroupChoice> = all.user_groups.into_iter().map(|g| choice(GroupRef::UserGroup(g.id), g.name, "user")).collect();
    out.extend(all.device_groups.into_iter().map(|g| choice(GroupRef::DeviceGroup(g.id), g.name, "device")));
    out
}

/// Assignments: each group is included, excluded or neither (one radio group per group).
pub async fn assign(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let chrome = user.chrome("profiles");
    let id = match parse_id(&id, &chrome) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let view = state.view(user.actor.clone());
    let grant = match manage(&view, &chrome) {
        Ok(g) => g,
        Err(r) => return *r,
    };
    let mut a = Assignments::default();
    for (k, v) in &fields {
        let Some(group) = k.strip_prefix("group:").and_then(parse_group) else { continue };
        match v.as_str() {
            "include" => a.include.push(group),
            "exclude" => a.exclude.push(group),
            _ => {}
        }
    }
    match profiles::assign(&grant, id, a, rid).await {
        Ok(_) => page::see_other(&format!("/admin/profiles/{id}?assigned=1")),
        Err(e) => page::error(&chrome, &e),
    }
}

/// Every message key this file builds at run time (for the key test).
pub fn keys() -> Vec<String> {
    let mut keys: Vec<String> = STATES.iter().map(|s| format!("tenantadmin-state-{s}")).collect();
    keys.extend(
        [
            "tenantadmin-status-error-detail",
            "tenantadmin-status-conflict-detail",
            "tenantadmin-profile-saved",
            "tenantadmin-profile-assigned",
            "tenantadmin-profile-pin-recovery-name",
        ]
        .map(String::from),
    );
    keys
}
