//! Users & groups › Users: the tenant's users (search, role filter), a new user, and one
//! user's page (details, role, enable/disable, password, API tokens, delete). Every read and
//! change is the engine call the REST API makes (`app::users` behind `ReadUsers` /
//! `ManageUsers`); a refusal is shown next to the form with its catalogue reason.

use super::devices::when;
use super::i18n::{self, Lang};
use super::labels;
use super::page::{self, Chrome, ErrorView};
use super::people::{self, can_manage, form_error, given, NAV};
use super::principal::AdminUser;
use super::roles::{self, RoleInfo};
use crate::app::users::{self, NewUser, Password, UserChanges, UserFilter, MIN_PASSWORD_CHARS};
use crate::app::view::{ManageUsers, ReadUsers};
use crate::auth::RequestId;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use pinreset_core::{ApiTokenInfo, ErrorCode, Role, UserAccount, UserId};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    search: Option<String>,
    role: Option<String>,
    done: Option<String>,
}

#[derive(Serialize)]
struct Row {
    href: String,
    display_name: String,
    login: String,
    email: String,
    role: String,
    disabled: bool,
    has_password: bool,
}

#[derive(Serialize)]
struct UsersPage {
    #[serde(flatten)]
    chrome: Chrome,
    rows: Vec<Row>,
    search: String,
    roles: Vec<RoleInfo>,
    filtered: bool,
    can_manage: bool,
    notice: Option<String>,
}

fn row(a: &UserAccount, lang: Lang) -> Row {
    Row {
        href: format!("/admin/users/{}", a.user.id),
        display_name: a.user.display_name.clone(),
        login: a.user.login.clone(),
        email: a.user.email.clone(),
        role: i18n::text(lang, &labels::role(a.user.role), &[]),
        disabled: a.disabled,
        has_password: a.has_password,
    }
}

/// The message key of the note a page shows after a change (`?done=…`); unknown: none.
fn notice_key(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "created" => "users-notice-created",
        "saved" => "users-notice-saved",
        "disabled" => "users-notice-disabled",
        "enabled" => "users-notice-enabled",
        "password" => "users-notice-password",
        "deleted" => "users-notice-deleted",
        "revoked" => "tokens-notice-revoked",
        _ => return None,
    })
}

/// Every key `notice_key` can return (for the key test).
pub const NOTICE_KEYS: &[&str] = &[
    "users-notice-created",
    "users-notice-saved",
    "users-notice-disabled",
    "users-notice-enabled",
    "users-notice-password",
    "users-notice-deleted",
    "tokens-notice-revoked",
];

pub async fn list(State(state): State<AppState>, user: AdminUser, Query(q): Query<ListQuery>) -> Response {
    let lang = user.lang();
    let chrome = user.chrome(NAV);
    let search = q.search.as_deref().map(str::trim).unwrap_or("").to_string();
    // An unknown role in the URL only filters: ignored rather than an error page.
    let role = q.role.as_deref().and_then(Role::parse);
    let view = state.view(user.actor.clone());
    let found = match view.grant::<ReadUsers>() {
        Ok(g) => users::list(&g, &UserFilter { role, disabled: None, search: (!search.is_empty()).then(|| search.clone()) }).await,
        Err(e) => Err(e),
    };
    let mut found = match found {
        Ok(f) => f,
        Err(e) => return page::error(&chrome, &e),
    };
    found.sort_by_key(|a| a.user.display_name.to_lowercase());
    let ctx = UsersPage {
        rows: found.iter().map(|a| row(a, lang)).collect(),
        filtered: !search.is_empty() || role.is_some(),
        search,
        roles: roles::all(lang, role),
        can_manage: can_manage(&state, &user),
        notice: notice_key(q.done.as_deref()).map(|k| i18n::text(lang, k, &[])),
        chrome,
    };
    page::render(StatusCode::OK, "users.html", ctx)
}

// ---- a new user

#[derive(Deserialize, Default)]
pub struct NewUserForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    /// Optional; moved into a `Password` (a `Secret`) before anything else reads it.
    password: Option<String>,
}

#[derive(Serialize)]
struct NewUserPage {
    #[serde(flatten)]
    chrome: Chrome,
    login: String,
    display_name: String,
    email: String,
    roles: Vec<RoleInfo>,
    min_password: usize,
    error: Option<ErrorView>,
}

fn new_user_page(chrome: Chrome, form: &NewUserForm, error: Option<ErrorView>, status: StatusCode) -> Response {
    let lang = chrome.lang();
    let role = Role::parse(&form.role).or(Some(Role::EndUser));
    let ctx = NewUserPage {
        login: form.login.clone(),
        display_name: form.display_name.clone(),
        email: form.email.clone(),
        roles: roles::all(lang, role),
        min_password: MIN_PASSWORD_CHARS,
        error,
        chrome,
    };
    page::render(status, "user_new.html", ctx)
}

pub async fn new_form(State(state): State<AppState>, user: AdminUser) -> Response {
    let chrome = user.chrome(NAV);
    if let Err(e) = state.view(user.actor.clone()).grant::<ManageUsers>() {
        return page::error(&chrome, &e);
    }
    new_user_page(chrome, &NewUserForm::default(), None, StatusCode::OK)
}

pub async fn create(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Form(mut form): Form<NewUserForm>,
) -> Response {
    let chrome = user.chrome(NAV);
    let password = given(form.password.take()).map(Password::new);
    let view = state.view(user.actor.clone());
    let Some(role) = Role::parse(&form.role) else { return page::problem(&chrome, ErrorCode::InvalidInput) };
    let input = NewUser { login: form.login.clone(), display_name: form.display_name.clone(), email: form.email.clone(), role, password };
    let created = match view.grant::<ManageUsers>() {
        Ok(g) => users::create(&g, input, rid).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(a) => page::see_other(&format!("/admin/users/{}?done=created", a.user.id)),
        Err(e) => match form_error(&chrome, &e) {
            Ok((status, error)) => new_user_page(chrome, &form, Some(error), status),
            Err(page) => page,
        },
    }
}

// ---- one user

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    done: Option<String>,
}

#[derive(Serialize)]
struct TokenRow {
    label: String,
    created: String,
    revoke: String,
}

#[derive(Serialize)]
struct UserPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: String,
    login: String,
    display_name: String,
    email: String,
    /// Not `role`: the frame's `role` (the signed-in user's) is flattened into the same context.
    user_role: String,
    disabled: bool,
    has_password: bool,
    roles: Vec<RoleInfo>,
    tokens: Vec<TokenRow>,
    can_manage: bool,
    is_self: bool,
    min_password: usize,
    notice: Option<String>,
    error: Option<ErrorView>,
}

/// The user's page, with a note after a change or a refusal next to the forms.
async fn user_page(
    state: &AppState,
    user: &AdminUser,
    id: UserId,
    notice: Option<String>,
    error: Option<ErrorView>,
    status: StatusCode,
) -> Response {
    let lang = user.lang();
    let chrome = user.chrome(NAV);
    let view = state.view(user.actor.clone());
    let g = match view.grant::<ReadUsers>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    let account = match users::get(&g, id).await {
        Ok(a) => a,
        Err(e) => return page::error(&chrome, &e),
    };
    let tokens: Vec<ApiTokenInfo> = match users::list_tokens(&g, id).await {
        Ok(t) => t,
        Err(e) => return page::error(&chrome, &e),
    };
    let ctx = UserPage {
        id: id.to_string(),
        login: account.user.login.clone(),
        display_name: account.user.display_name.clone(),
        email: account.user.email.clone(),
        user_role: i18n::text(lang, &labels::role(account.user.role), &[]),
        disabled: account.disabled,
        has_password: account.has_password,
        roles: roles::all(lang, Some(account.user.role)),
        tokens: tokens
            .iter()
            .map(|t| TokenRow {
                label: t.label.clone(),
                created: when(t.created_at),
                revoke: format!("/admin/users/{id}/tokens/{}/revoke", t.id),
            })
            .collect(),
        can_manage: can_manage(state, user),
        is_self: id == user.actor.user_id,
        min_password: MIN_PASSWORD_CHARS,
        notice,
        error,
        chrome,
    };
    page::render(status, "user.html", ctx)
}

pub async fn show(State(state): State<AppState>, user: AdminUser, Path(id): Path<String>, Query(q): Query<ShowQuery>) -> Response {
    let chrome = user.chrome(NAV);
    let id: UserId = match people::parse(&chrome, &id) {
        Ok(id) => id,
        Err(page) => return page,
    };
    let notice = notice_key(q.done.as_deref()).map(|k| i18n::text(user.lang(), k, &[]));
    user_page(&state, &user, id, notice, None, StatusCode::OK).await
}

/// Apply `changes` and come back to the user's page with `done`, or with the refusal.
async fn change(state: &AppState, user: &AdminUser, rid: Option<String>, id: &str, changes: UserChanges, done: &str) -> Response {
    let chrome = user.chrome(NAV);
    let id: UserId = match people::parse(&chrome, id) {
        Ok(id) => id,
        Err(page) => return page,
    };
    let view = state.view(user.actor.clone());
    let result = match view.grant::<ManageUsers>() {
        Ok(g) => users::update(&g, id, changes, rid).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => page::see_other(&format!("/admin/users/{id}?done={done}")),
        Err(e) => match form_error(&chrome, &e) {
            Ok((status, error)) => user_page(state, user, id, None, Some(error), status).await,
            Err(page) => page,
        },
    }
}

#[derive(Deserialize)]
pub struct EditForm {
    display_name: Option<String>,
    email: Option<String>,
    role: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    Form(form): Form<EditForm>,
) -> Response {
    let role = match form.role.as_deref().map(Role::parse) {
        Some(None) => return page::problem(&user.chrome(NAV), ErrorCode::InvalidInput),
        Some(r) => r,
        None => None,
    };
    let changes = UserChanges { display_name: form.display_name, email: form.email, role, ..UserChanges::default() };
    change(&state, &user, rid, &id, changes, "saved").await
}

#[derive(Deserialize)]
pub struct StatusForm {
    /// "true" disables the user, "false" enables them.
    disabled: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Response {
    let disabled = form.disabled == "true";
    let changes = UserChanges { disabled: Some(disabled), ..UserChanges::default() };
    change(&state, &user, rid, &id, changes, if disabled { "disabled" } else { "enabled" }).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn set_password(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Response {
    // An empty field is sent to the engine as it is: its refusal names the minimum length.
    let changes = UserChanges { password: Some(Password::new(form.password)), ..UserChanges::default() };
    change(&state, &user, rid, &id, changes, "password").await
}

// ---- delete

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct DeletePage {
    #[serde(flatten)]
    chrome: Chrome,
    id: String,
    display_name: String,
    login: String,
    /// Users who can take over the devices (everyone else in the tenant).
    heirs: Vec<Choice>,
    error: Option<ErrorView>,
}

async fn delete_page(
    state: &AppState,
    user: &AdminUser,
    id: UserId,
    heir: Option<UserId>,
    error: Option<ErrorView>,
    status: StatusCode,
) -> Response {
    let chrome = user.chrome(NAV);
    let view = state.view(user.actor.clone());
    let listed = match view.grant::<ManageUsers>().and_then(|_| view.grant::<ReadUsers>()) {
        Ok(g) => match users::get(&g, id).await {
            Ok(a) => users::list(&g, &UserFilter::default()).await.map(|all| (a, all)),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    let (account, mut all) = match listed {
        Ok(x) => x,
        Err(e) => return page::error(&chrome, &e),
    };
    all.sort_by_key(|a| a.user.display_name.to_lowercase());
    let heirs = all
        .iter()
        .filter(|a| a.user.id != id)
        .map(|a| Choice {
            value: a.user.id.to_string(),
            label: format!("{} ({})", a.user.display_name, a.user.login),
            selected: Some(a.user.id) == heir,
        })
        .collect();
    let ctx = DeletePage { id: id.to_string(), display_name: account.user.display_name, login: account.user.login, heirs, error, chrome };
    page::render(status, "user_delete.html", ctx)
}

pub async fn delete_confirm(State(state): State<AppState>, user: AdminUser, Path(id): Path<String>) -> Response {
    let id: UserId = match people::parse(&user.chrome(NAV), &id) {
        Ok(id) => id,
        Err(page) => return page,
    };
    delete_page(&state, &user, id, None, None, StatusCode::OK).await
}

/// How many devices the refusal says the user owns (`user_owns_devices` with its detail).
fn owned_count(e: &crate::error::AppError) -> Option<i64> {
    if e.error_code() != ErrorCode::UserOwnsDevices {
        return None;
    }
    e.detail()?.args.get("count").and_then(|v| v.parse().ok())
}

#[derive(Deserialize)]
pub struct DeleteForm {
    reassign_to: Option<String>,
}

pub async fn delete(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    Form(form): Form<DeleteForm>,
) -> Response {
    let chrome = user.chrome(NAV);
    let id: UserId = match people::parse(&chrome, &id) {
        Ok(id) => id,
        Err(page) => return page,
    };
    let heir: Option<UserId> = match given(form.reassign_to).map(|s| s.parse()) {
        Some(Ok(h)) => Some(h),
        Some(Err(_)) => return page::problem(&chrome, ErrorCode::InvalidInput),
        None => None,
    };
    let view = state.view(user.actor.clone());
    let result = match view.grant::<ManageUsers>() {
        Ok(g) => users::delete(&g, id, heir, rid).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => page::see_other("/admin/users?done=deleted"),
        Err(e) => match form_error(&chrome, &e) {
            Ok((status, mut error)) => {
                // The engine's detail speaks to API callers (`?reassign_to=`); this page has a picker.
                if let Some(count) = owned_count(&e) {
                    error.detail = Some(i18n::text(user.lang(), "users-delete-owns", &[("count", count.into())]));
                }
                delete_page(&state, &user, id, heir, Some(error), status).await
            }
            Err(page) => page,
        },
    }
}
