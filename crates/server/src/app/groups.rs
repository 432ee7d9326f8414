//! User and device groups (profiles are assigned to them): create, look at, and change
//! membership. Members are always users or devices of the actor's tenant.

use super::audit;
use super::view::{Granted, ManageUsers, ReadUsers};
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::text::check_name;
use pinreset_core::{AuditKind, Detail, DetailCode, DeviceGroup, DeviceId, ErrorCode, GroupKind, TenantId, UserGroup, UserId};
use pinreset_store::StoreError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const MAX_NAME: usize = 128;
const MAX_MEMBERS: usize = 1000;

/// Every group of the tenant (`GET /groups`).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Groups {
    pub user_groups: Vec<UserGroup>,
    pub device_groups: Vec<DeviceGroup>,
}

/// `POST /groups`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    pub kind: GroupKind,
    pub name: String,
    /// User ids (user groups) or device ids (device groups) of this tenant.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub members: Vec<uuid::Uuid>,
}

/// One group of either kind.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupView {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    pub tenant_id: TenantId,
    pub kind: GroupKind,
    pub name: String,
    /// User ids or device ids.
    #[schema(value_type = Vec<String>)]
    pub members: Vec<uuid::Uuid>,
}

impl From<UserGroup> for GroupView {
    fn from(g: UserGroup) -> Self {
        GroupView {
            id: g.id.0,
            tenant_id: g.tenant_id,
            kind: GroupKind::User,
            name: g.name,
            members: g.members.iter().map(|m| m.0).collect(),
        }
    }
}

impl From<DeviceGroup> for GroupView {
    fn from(g: DeviceGroup) -> Self {
        GroupView {
            id: g.id.0,
            tenant_id: g.tenant_id,
            kind: GroupKind::Device,
            name: g.name,
            members: g.members.iter().map(|m| m.0).collect(),
        }
    }
}

pub async fn list(g: &Granted<'_, ReadUsers>) -> Result<Groups, AppError> {
    let (state, actor) = (g.state, g.actor);
    Ok(Groups {
        user_groups: state.store.list_user_groups(actor.tenant_id).await?,
        device_groups: state.store.list_device_groups(actor.tenant_id).await?,
    })
}

pub async fn get(g: &Granted<'_, ReadUsers>, id: uuid::Uuid) -> Result<GroupView, AppError> {
    let (state, actor) = (g.state, g.actor);
    find(state, actor.tenant_id, id).await
}

async fn find(state: &AppState, tenant: TenantId, id: uuid::Uuid) -> Result<GroupView, AppError> {
    if let Some(g) = state.store.user_group(tenant, pinreset_core::UserGroupId(id)).await? {
        return Ok(g.into());
    }
    if let Some(g) = state.store.device_group(tenant, pinreset_core::DeviceGroupId(id)).await? {
        return Ok(g.into());
    }
    Err(AppError::with_detail(ErrorCode::NotFound, Detail::plain(DetailCode::NoSuchGroup)))
}

/// Whether `id` is a user (device) of the tenant.
async fn is_member_candidate(state: &AppState, tenant: TenantId, kind: GroupKind, id: uuid::Uuid) -> Result<bool, AppError> {
    Ok(match kind {
        GroupKind::User => state.store.user(tenant, UserId(id)).await?.is_some(),
        GroupKind::Device => state.store.device(tenant, DeviceId(id)).await?.is_some(),
    })
}

pub async fn create(g: &Granted<'_, ManageUsers>, input: NewGroup, rid: Option<String>) -> Result<GroupView, AppError> {
    let (state, actor) = (g.state, g.actor);
    check_name("name", &input.name).map_err(AppError::invalid)?;
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(AppError::invalid(Detail::length("name", 1, MAX_NAME)));
    }
    let mut members = input.members.clone();
    members.sort();
    members.dedup();
    if members.len() > MAX_MEMBERS {
        return Err(AppError::invalid(Detail::new(DetailCode::TooManyMembers, [("max", MAX_MEMBERS.to_string())])));
    }
    for m in &members {
        if !is_member_candidate(state, actor.tenant_id, input.kind, *m).await? {
            return Err(AppError::invalid(Detail::new(
                DetailCode::NotMemberKind,
                [("member", m.to_string()), ("kind", input.kind.as_str().into())],
            )));
        }
    }
    let id = uuid::Uuid::new_v4();
    let outcome = format!("created:{}:{id};name:{name};members:{}", input.kind.as_str(), members.len());
    let audit = [audit::for_tenant(state.clock.now(), actor.tenant_id, audit::by(actor), AuditKind::GroupCreated, outcome, rid)];
    state.store.add_group(actor.tenant_id, input.kind, id, &name, &members, &audit).await?;
    Ok(GroupView { id, tenant_id: actor.tenant_id, kind: input.kind, name, members })
}

/// Add (`present`) or remove a member; adding one twice or removing a non-member changes
/// nothing and is not an error. A member to add must be a user (device) of the tenant.
pub async fn set_member(
    g: &Granted<'_, ManageUsers>,
    group: uuid::Uuid,
    member: uuid::Uuid,
    present: bool,
    rid: Option<String>,
) -> Result<GroupView, AppError> {
    let (state, actor) = (g.state, g.actor);
    let g = find(state, actor.tenant_id, group).await?;
    if present && !is_member_candidate(state, actor.tenant_id, g.kind, member).await? {
        return Err(AppError::with_detail(ErrorCode::NotFound, Detail::plain(DetailCode::NoSuchGroupOrMember)));
    }
    let outcome = format!("{}:{member};group:{}:{group}", if present { "added" } else { "removed" }, g.name);
    let audit = [audit::for_tenant(state.clock.now(), actor.tenant_id, audit::by(actor), AuditKind::GroupChanged, outcome, rid)];
    match state.store.set_group_member(actor.tenant_id, g.kind, group, member, present, &audit).await {
        Ok(true) => {
            // Profiles are assigned to groups: targeting changed.
            state.profiles_generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        }
        Ok(false) => {}
        Err(StoreError::NotFound) => {
            return Err(AppError::with_detail(ErrorCode::NotFound, Detail::plain(DetailCode::NoSuchGroupOrMember)))
        }
        Err(e) => return Err(e.into()),
    }
    find(state, actor.tenant_id, group).await
}
