//! Users of a tenant and their API tokens: who may read and change them, the input rules, and
//! the rules that keep a tenant manageable (an enabled tenant admin always remains; a user who
//! owns devices is not deleted unless their devices move to someone else). Every change is
//! audited in the transaction that makes it; a password or a token value never reaches an
//! answer other than the one creating the token, an audit event or a log line.

use super::audit;
use super::view::{Granted, ManageUsers, ReadUsers};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use pinreset_core::text::{check_input, check_name};
use pinreset_core::{
    Actor, ApiTokenInfo, AuditKind, Detail, DetailCode, DeviceId, ErrorCode, NewAuditEvent, Role, Secret, User, UserAccount, UserId,
};
use pinreset_store::{DeviceFilter, Page, StoreError, LAST_TENANT_ADMIN, USER_OWNS_DEVICES};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer ones are refused too: every sign-in hashes what it is given.
pub const MAX_PASSWORD_CHARS: usize = 256;
const MAX_LOGIN: usize = 64;
const MAX_NAME: usize = 128;
const MAX_EMAIL: usize = 254;
const MAX_LABEL: usize = 64;

/// A password as received: held in a `Secret` (wiped on drop, never printed).
pub struct Password(Secret);

impl<'de> Deserialize<'de> for Password {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Password(Secret::new(String::deserialize(d)?)))
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    pub fn new(value: impl Into<String>) -> Self {
        Password(Secret::new(value))
    }
}

/// `POST /users`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// At least 12 characters; omitted: the user cannot sign in with a password (yet).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<Password>,
}

/// `PATCH /users/{id}`: only the fields given change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChanges {
    pub login: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub role: Option<Role>,
    /// A disabled user's API tokens and password sign-ins are refused.
    pub disabled: Option<bool>,
    /// Sets or resets the password (at least 12 characters).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<Password>,
}

/// `GET /users` filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Only users with this role.
    pub role: Option<Role>,
    /// Only disabled (true) or enabled (false) users.
    pub disabled: Option<bool>,
    /// Case-insensitive part of the login, display name or email.
    pub search: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeletedUser {
    pub id: UserId,
    /// Devices whose primary user is now `reassigned_to`.
    pub devices_reassigned: usize,
    pub reassigned_to: Option<UserId>,
}

/// A token as created: the only time its value is shown.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewToken {
    #[serde(flatten)]
    pub info: ApiTokenInfo,
    /// The bearer token. Shown once; the server keeps only its hash.
    pub token: String,
}

fn trimmed_text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    check_name(field, value).map_err(AppError::invalid)?;
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::invalid(Detail::field(DetailCode::FieldEmpty, field)));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(Detail::too_long(field, max)));
    }
    Ok(value.to_string())
}

fn valid_login(login: &str) -> Result<String, AppError> {
    let login = trimmed_text("login", login, MAX_LOGIN)?;
    if login.chars().any(char::is_whitespace) {
        return Err(AppError::invalid(Detail::field(DetailCode::FieldHasSpaces, "login")));
    }
    Ok(login)
}

fn valid_email(email: &str) -> Result<String, AppError> {
    let email = trimmed_text("email", email, MAX_EMAIL)?;
    if !pinreset_core::text::is_email(&email) {
        return Err(AppError::invalid(Detail::field(DetailCode::FieldNotEmail, "email")));
    }
    Ok(email)
}

fn check_password(p: &Password) -> Result<(), AppError> {
    let value = p.0.expose();
    check_input("password", value).map_err(AppError::invalid)?;
    let n = value.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(Detail::new(
            DetailCode::FieldTooShort,
            [("field", "password".into()), ("min", MIN_PASSWORD_CHARS.to_string())],
        )));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(Detail::too_long("password", MAX_PASSWORD_CHARS)));
    }
    Ok(())
}

async fn hash(state: &AppState, p: &Password) -> Result<String, AppError> {
    state.sign_in.hash(&p.0).await.map_err(|r| AppError::code(r.code()))
}

/// The store's refusals of a user change, in the catalogue's words.
fn store_refusal(e: StoreError, login: &str) -> AppError {
    match e {
        StoreError::Conflict(what) if what == LAST_TENANT_ADMIN => last_admin(),
        // The user's devices changed while they were being deleted: the catalogue's remedy applies.
        StoreError::Conflict(what) if what == USER_OWNS_DEVICES => AppError::code(ErrorCode::UserOwnsDevices),
        StoreError::Conflict(_) => login_taken(login),
        e => e.into(),
    }
}

fn login_taken(login: &str) -> AppError {
    AppError::with_detail(ErrorCode::LoginTaken, Detail::new(DetailCode::LoginTaken, [("login", login.to_string())]))
}

fn last_admin() -> AppError {
    AppError::code(ErrorCode::LastTenantAdmin)
}

fn is_enabled_admin(a: &UserAccount) -> bool {
    a.user.role == Role::TenantAdmin && !a.disabled
}

/// Refuse (with the reason) a change that leaves no enabled tenant admin; the store checks the
/// same inside its transaction, against concurrent changes.
async fn keep_an_admin(state: &AppState, before: &UserAccount, after: Option<&UserAccount>) -> Result<(), AppError> {
    if !is_enabled_admin(before) || after.is_some_and(is_enabled_admin) {
        return Ok(());
    }
    let others = state
        .store
        .list_accounts(before.user.tenant_id)
        .await?
        .iter()
        .filter(|a| is_enabled_admin(a) && a.user.id != before.user.id)
        .count();
    if others == 0 {
        return Err(last_admin());
    }
    Ok(())
}

fn event(state: &AppState, actor: &Actor, kind: AuditKind, outcome: String, rid: &Option<String>) -> NewAuditEvent {
    audit::for_tenant(state.clock.now(), actor.tenant_id, audit::by(actor), kind, outcome, rid.clone())
}

pub async fn list(g: &Granted<'_, ReadUsers>, filter: &UserFilter) -> Result<Vec<UserAccount>, AppError> {
    let (state, actor) = (g.state, g.actor);
    if let Some(s) = &filter.search {
        check_input("search", s).map_err(AppError::invalid)?;
    }
    let search = filter.search.as_deref().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    let mut users = state.store.list_accounts(actor.tenant_id).await?;
    users.retain(|a| {
        filter.role.is_none_or(|r| a.user.role == r)
            && filter.disabled.is_none_or(|d| a.disabled == d)
            && search
                .as_deref()
                .is_none_or(|s| [&a.user.login, &a.user.display_name, &a.user.email].iter().any(|t| t.to_lowercase().contains(s)))
    });
    Ok(users)
}

/// A user of the actor's tenant (another tenant's user is "not found").
pub async fn get(g: &Granted<'_, ReadUsers>, id: UserId) -> Result<UserAccount, AppError> {
    let (state, actor) = (g.state, g.actor);
    account(state, actor, id).await
}

async fn account(state: &AppState, actor: &Actor, id: UserId) -> Result<UserAccount, AppError> {
    state
        .store
        .account(actor.tenant_id, id)
        .await?
        .ok_or_else(|| AppError::with_detail(ErrorCode::NotFound, Detail::plain(DetailCode::NoSuchUser)))
}

pub async fn create(g: &Granted<'_, ManageUsers>, input: NewUser, rid: Option<String>) -> Result<UserAccount, AppError> {
    let (state, actor) = (g.state, g.actor);
    let user = User {
        id: UserId::new(),
        tenant_id: actor.tenant_id,
        login: valid_login(&input.login)?,
        display_name: trimmed_text("display_name", &input.display_name, MAX_NAME)?,
        email: valid_email(&input.email)?,
        role: input.role,
    };
    if let Some(p) = &input.password {
        check_password(p)?;
    }
    if state.store.user_by_login(actor.tenant_id, &user.login).await?.is_some() {
        return Err(login_taken(&user.login));
    }
    let password_hash = match &input.password {
        Some(p) => Some(hash(state, p).await?),
        None => None,
    };
    let outcome = format!("created:{};id:{};role:{}", user.login, user.id, user.role.as_str());
    let audit = [event(state, actor, AuditKind::UserCreated, outcome, &rid)];
    state.store.add_user(&user, password_hash.as_deref(), &audit).await.map_err(|e| store_refusal(e, &user.login))?;
    Ok(UserAccount { user, disabled: false, has_password: password_hash.is_some() })
}

pub async fn update(g: &Granted<'_, ManageUsers>, id: UserId, changes: UserChanges, rid: Option<String>) -> Result<UserAccount, AppError> {
    let (state, actor) = (g.state, g.actor);
    let before = account(state, actor, id).await?;
    let mut after = before.clone();
    let mut changed: Vec<String> = Vec::new();
    if let Some(login) = &changes.login {
        let login = valid_login(login)?;
        if login != after.user.login {
            changed.push(format!("login:{login}"));
            after.user.login = login;
        }
    }
    if let Some(name) = &changes.display_name {
        let name = trimmed_text("display_name", name, MAX_NAME)?;
        if name != after.user.display_name {
            changed.push("display_name".into());
            after.user.display_name = name;
        }
    }
    if let Some(email) = &changes.email {
        let email = valid_email(email)?;
        if email != after.user.email {
            changed.push("email".into());
            after.user.email = email;
        }
    }
    if let Some(role) = changes.role {
        if role != after.user.role {
            changed.push(format!("role:{}", role.as_str()));
            after.user.role = role;
        }
    }
    if let Some(disabled) = changes.disabled {
        if disabled != after.disabled {
            changed.push(if disabled { "disabled".into() } else { "enabled".into() });
            after.disabled = disabled;
        }
    }
    if let Some(p) = &changes.password {
        check_password(p)?;
        changed.push("password".into());
    }
    if changed.is_empty() {
        return Ok(before);
    }
    keep_an_admin(state, &before, Some(&after)).await?;
    if after.user.login != before.user.login && state.store.user_by_login(actor.tenant_id, &after.user.login).await?.is_some() {
        return Err(login_taken(&after.user.login));
    }
    let password_hash = match &changes.password {
        Some(p) => Some(hash(state, p).await?),
        None => None,
    };
    after.has_password |= password_hash.is_some();
    let outcome = format!("changed:{};id:{};{}", before.user.login, id, changed.join(","));
    let audit = [event(state, actor, AuditKind::UserChanged, outcome, &rid)];
    state.store.update_user(&after, password_hash.as_deref(), &audit).await.map_err(|e| store_refusal(e, &after.user.login))?;
    Ok(after)
}

/// Devices (managed or retired) whose primary user `id` is.
async fn owned_devices(state: &AppState, actor: &Actor, id: UserId) -> Result<Vec<DeviceId>, AppError> {
    let filter = DeviceFilter { owner: Some(id), include_retired: true, ..Default::default() };
    let mut out = Vec::new();
    let mut page = Page { offset: 0, limit: 500 };
    loop {
        let got = state.store.list_devices(actor.tenant_id, &filter, page).await?;
        let n = got.items.len() as u32;
        out.extend(got.items.into_iter().map(|d| d.id));
        if n < page.limit {
            return Ok(out);
        }
        page.offset += n;
    }
}

/// Delete a user. One who is the primary user of devices is refused with how many, unless
/// `reassign_to` names another user of the tenant: then the devices move to them (audited per
/// device).
pub async fn delete(
    g: &Granted<'_, ManageUsers>,
    id: UserId,
    reassign_to: Option<UserId>,
    rid: Option<String>,
) -> Result<DeletedUser, AppError> {
    let (state, actor) = (g.state, g.actor);
    let before = account(state, actor, id).await?;
    keep_an_admin(state, &before, None).await?;
    let devices = owned_devices(state, actor, id).await?;
    let target = match reassign_to {
        Some(to) if to == id => return Err(AppError::invalid(Detail::plain(DetailCode::ReassignToSelf))),
        Some(to) => Some(
            state
                .store
                .account(actor.tenant_id, to)
                .await?
                .ok_or_else(|| AppError::invalid(Detail::new(DetailCode::ReassignToUnknown, [("user", to.to_string())])))?,
        ),
        None => None,
    };
    if !devices.is_empty() && target.is_none() {
        let n = devices.len();
        let detail = Detail::new(DetailCode::OwnsDevices, [("login", before.user.login.clone()), ("count", n.to_string())]);
        return Err(AppError::with_detail(ErrorCode::UserOwnsDevices, detail));
    }
    let now: DateTime<Utc> = state.clock.now();
    let mut audit = Vec::with_capacity(devices.len() + 1);
    if let Some(to) = &target {
        for d in &devices {
            let mut e = event(state, actor, AuditKind::DeviceOwnerChanged, format!("owner:{}->{}", before.user.login, to.user.login), &rid);
            e.device_id = Some(*d);
            e.at = now;
            audit.push(e);
        }
    }
    let outcome = format!(
        "deleted:{};id:{};devices_reassigned:{}{}",
        before.user.login,
        id,
        if target.is_some() { devices.len() } else { 0 },
        target.as_ref().map(|t| format!(";to:{}", t.user.login)).unwrap_or_default()
    );
    audit.push(event(state, actor, AuditKind::UserDeleted, outcome, &rid));
    state
        .store
        .delete_user(actor.tenant_id, id, &devices, target.as_ref().map(|t| t.user.id), &audit)
        .await
        .map_err(|e| store_refusal(e, &before.user.login))?;
    // Profile targeting follows owners and group members.
    state.profiles_generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    Ok(DeletedUser { id, devices_reassigned: if target.is_some() { devices.len() } else { 0 }, reassigned_to: target.map(|t| t.user.id) })
}

/// Issue an API token for a user of the tenant. The value is in this answer only.
pub async fn create_token(g: &Granted<'_, ManageUsers>, user: UserId, label: &str, rid: Option<String>) -> Result<NewToken, AppError> {
    let (state, actor) = (g.state, g.actor);
    let label = trimmed_text("label", label, MAX_LABEL)?;
    let owner = account(state, actor, user).await?;
    let (token, sha256) = crate::auth::new_api_token();
    let info = ApiTokenInfo { id: uuid::Uuid::new_v4(), label, created_at: state.clock.now() };
    let outcome = format!("token:{};id:{};label:{}", owner.user.login, info.id, info.label);
    let audit = [event(state, actor, AuditKind::TokenCreated, outcome, &rid)];
    state.store.issue_api_token(user, info.id, &sha256, &info.label, info.created_at, &audit).await?;
    Ok(NewToken { info, token })
}

pub async fn list_tokens(g: &Granted<'_, ReadUsers>, user: UserId) -> Result<Vec<ApiTokenInfo>, AppError> {
    let (state, actor) = (g.state, g.actor);
    account(state, actor, user).await?;
    Ok(state.store.list_api_tokens(user).await?)
}

pub async fn revoke_token(g: &Granted<'_, ManageUsers>, user: UserId, token: uuid::Uuid, rid: Option<String>) -> Result<(), AppError> {
    let (state, actor) = (g.state, g.actor);
    let owner = account(state, actor, user).await?;
    let audit = [event(state, actor, AuditKind::TokenRevoked, format!("token:{};id:{token}", owner.user.login), &rid)];
    if !state.store.revoke_api_token(user, token, &audit).await? {
        return Err(AppError::with_detail(ErrorCode::NotFound, Detail::plain(DetailCode::NoSuchToken)));
    }
    Ok(())
}
