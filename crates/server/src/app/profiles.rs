//! Configuration profiles: saving (validated), assigning to groups, and the per-device status
//! report. Device channels call `targeted_profiles` to know what to deliver and
//! `record_results` with what the device answered.

use super::audit;
use super::view::{Granted, ManageProfiles, ReadProfiles};
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::profile::{
    check_uri, check_value, device_state, is_targeted, Assignments, DeviceProfileState, GroupRef, Membership, OmaSetting, Profile,
    ProfileId, SettingResult, StatusCounts,
};
use pinreset_core::{Actor, AuditKind, Detail, DetailCode, Device, DeviceId, ErrorCode, NewAuditEvent, Permission, TenantId};
use pinreset_store::{DeviceFilter, Page};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const MAX_SETTINGS: usize = 200;
const MAX_NAME: usize = 100;

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub settings: Vec<OmaSetting>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DeviceProfileStatus {
    pub device_id: DeviceId,
    pub device_name: String,
    pub platform: pinreset_core::Platform,
    #[serde(flatten)]
    pub state: DeviceProfileState,
    /// For errors: the catalogue-style explanation of the device's status code.
    pub detail: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ProfileStatus {
    pub profile_id: ProfileId,
    pub version: u32,
    pub counts: StatusCounts,
    pub devices: Vec<DeviceProfileStatus>,
}

fn require_admin(actor: &Actor) -> Result<(), AppError> {
    super::authz::require(actor, Permission::ManageProfiles)
}

fn validate(input: &ProfileInput) -> Result<(), AppError> {
    use pinreset_core::text::{check_input, check_name};
    check_name("name", &input.name).map_err(AppError::invalid)?;
    check_input("description", &input.description).map_err(AppError::invalid)?;
    for (i, s) in input.settings.iter().enumerate() {
        check_input(&format!("settings[{i}].oma_uri"), &s.oma_uri).map_err(AppError::invalid)?;
        check_input(&format!("settings[{i}].value"), &s.value).map_err(AppError::invalid)?;
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(AppError::invalid(Detail::length("name", 1, MAX_NAME)));
    }
    if input.settings.is_empty() || input.settings.len() > MAX_SETTINGS {
        return Err(AppError::invalid(Detail::new(DetailCode::SettingsCount, [("max", MAX_SETTINGS.to_string())])));
    }
    for (i, s) in input.settings.iter().enumerate() {
        let index = i + 1;
        check_uri(index, &s.oma_uri).and_then(|_| check_value(index, s)).map_err(AppError::invalid)?;
        if let Some(p) = s.platforms.iter().find(|p| !p.is_windows_family()) {
            let detail = Detail::new(DetailCode::SettingNotWindows, [("index", index.to_string()), ("platform", p.as_str().into())]);
            return Err(AppError::invalid(detail));
        }
        if input.settings[..i].iter().any(|o| o.oma_uri.eq_ignore_ascii_case(&s.oma_uri)) {
            return Err(AppError::invalid(Detail::new(
                DetailCode::SettingTwice,
                [("index", index.to_string()), ("uri", s.oma_uri.clone())],
            )));
        }
    }
    Ok(())
}

/// A setting as stored: the platforms it applies to are spelled out, so the API shows them.
fn with_platforms(mut s: OmaSetting) -> OmaSetting {
    if s.platforms.is_empty() {
        s.platforms = OmaSetting::default_platforms(&s.oma_uri).to_vec();
    }
    s
}

fn event(state: &AppState, actor: &Actor, kind: AuditKind, profile: &Profile, request_id: Option<String>) -> NewAuditEvent {
    audit::for_tenant(
        state.clock.now(),
        actor.tenant_id,
        audit::by(actor),
        kind,
        format!("profile:{}:v{}", profile.id, profile.version),
        request_id,
    )
}

/// Create (`id` None) or replace a profile; a replacement bumps its version so every device
/// reads as Pending until it applied the new settings.
pub async fn save(
    g: &Granted<'_, ManageProfiles>,
    id: Option<ProfileId>,
    input: ProfileInput,
    request_id: Option<String>,
) -> Result<Profile, AppError> {
    let (state, actor) = (g.state, g.actor);
    require_admin(actor)?;
    validate(&input)?;
    let version = match id {
        Some(id) => load(state, actor, id).await?.version + 1,
        None => 1,
    };
    let profile = Profile {
        id: id.unwrap_or_default(),
        tenant_id: actor.tenant_id,
        name: input.name.trim().to_string(),
        description: input.description,
        settings: input.settings.into_iter().map(with_platforms).collect(),
        version,
        updated_at: state.clock.now(),
    };
    state.store.save_profile(&profile).await?;
    state.profiles_generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    state.store.append_audit(&[event(state, actor, AuditKind::ProfileSaved, &profile, request_id)]).await?;
    Ok(profile)
}

/// The tenant's profiles (not for end users: their devices' settings are the admins' business).
pub async fn list(g: &Granted<'_, ReadProfiles>) -> Result<Vec<Profile>, AppError> {
    let (state, actor) = (g.state, g.actor);
    Ok(state.store.list_profiles(actor.tenant_id).await?)
}

/// A profile of the actor's tenant (callers hold a grant already).
async fn load(state: &AppState, actor: &Actor, id: ProfileId) -> Result<Profile, AppError> {
    state.store.profile(actor.tenant_id, id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))
}

pub async fn get(g: &Granted<'_, ReadProfiles>, id: ProfileId) -> Result<Profile, AppError> {
    let (state, actor) = (g.state, g.actor);
    state.store.profile(actor.tenant_id, id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))
}

/// Which groups a profile is assigned to (and excluded from).
pub async fn assignments(g: &Granted<'_, ReadProfiles>, id: ProfileId) -> Result<Assignments, AppError> {
    Ok(g.state.store.assignments(g.actor.tenant_id, id).await?)
}

pub async fn assign(
    g: &Granted<'_, ManageProfiles>,
    id: ProfileId,
    a: Assignments,
    request_id: Option<String>,
) -> Result<Assignments, AppError> {
    let (state, actor) = (g.state, g.actor);
    require_admin(actor)?;
    let profile = load(state, actor, id).await?;
    let users = state.store.list_user_groups(actor.tenant_id).await?;
    let devices = state.store.list_device_groups(actor.tenant_id).await?;
    for g in a.include.iter().chain(&a.exclude) {
        let known = match g {
            GroupRef::UserGroup(id) => users.iter().any(|u| u.id == *id),
            GroupRef::DeviceGroup(id) => devices.iter().any(|d| d.id == *id),
        };
        if !known {
            let id = match g {
                GroupRef::UserGroup(id) => id.to_string(),
                GroupRef::DeviceGroup(id) => id.to_string(),
            };
            return Err(AppError::invalid(Detail::new(DetailCode::NoSuchGroupForProfile, [("group", id)])));
        }
    }
    state.store.set_assignments(actor.tenant_id, id, &a).await?;
    state.profiles_generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    state.store.append_audit(&[event(state, actor, AuditKind::ProfileAssigned, &profile, request_id)]).await?;
    Ok(a)
}

/// Group memberships of every device of a tenant, computed once per report.
struct TenantGroups {
    users: Vec<pinreset_core::UserGroup>,
    devices: Vec<pinreset_core::DeviceGroup>,
}

impl TenantGroups {
    async fn load(state: &AppState, tenant: TenantId) -> Result<Self, AppError> {
        Ok(TenantGroups { users: state.store.list_user_groups(tenant).await?, devices: state.store.list_device_groups(tenant).await? })
    }
    fn of(&self, d: &Device) -> Membership {
        Membership {
            user_groups: self.users.iter().filter(|g| d.primary_user_id.is_some_and(|u| g.members.contains(&u))).map(|g| g.id).collect(),
            device_groups: self.devices.iter().filter(|g| g.members.contains(&d.id)).map(|g| g.id).collect(),
        }
    }
}

/// Every profile of the tenant with its assignments.
async fn assigned_profiles(state: &AppState, tenant: TenantId) -> Result<Vec<(Profile, Assignments)>, AppError> {
    let mut out = Vec::new();
    for p in state.store.list_profiles(tenant).await? {
        let a = state.store.assignments(tenant, p.id).await?;
        out.push((p, a));
    }
    Ok(out)
}

/// The profiles that target `device` (whatever its platform), for delivery in its session.
pub async fn targeted_profiles(state: &AppState, device: &Device) -> Result<Vec<Profile>, AppError> {
    let groups = TenantGroups::load(state, device.tenant_id).await?;
    let membership = groups.of(device);
    Ok(assigned_profiles(state, device.tenant_id).await?.into_iter().filter(|(_, a)| is_targeted(a, &membership)).map(|(p, _)| p).collect())
}

/// What the device answered for a profile's settings (channels call this).
pub async fn record_results(state: &AppState, device: DeviceId, profile: ProfileId, results: &[SettingResult]) -> Result<(), AppError> {
    Ok(state.store.record_setting_results(device, profile, results).await?)
}

async fn all_devices(state: &AppState, tenant: TenantId) -> Result<Vec<Device>, AppError> {
    let mut out = Vec::new();
    loop {
        let page = state.store.list_devices(tenant, &DeviceFilter::default(), Page { offset: out.len() as u32, limit: 500 }).await?;
        let done = page.items.len() < 500;
        out.extend(page.items);
        if done {
            return Ok(out);
        }
    }
}

/// Per-device status of one profile, with counts.
pub async fn status(g: &Granted<'_, ReadProfiles>, id: ProfileId) -> Result<ProfileStatus, AppError> {
    let (state, actor) = (g.state, g.actor);
    let profile = load(state, actor, id).await?;
    let all = assigned_profiles(state, actor.tenant_id).await?;
    let groups = TenantGroups::load(state, actor.tenant_id).await?;
    let results = state.store.setting_results(id).await?;
    let mine = all.iter().find(|(p, _)| p.id == id).map(|(_, a)| a.clone()).unwrap_or_default();
    let mut counts = StatusCounts::default();
    let mut devices = Vec::new();
    for d in all_devices(state, actor.tenant_id).await? {
        let membership = groups.of(&d);
        if !is_targeted(&mine, &membership) {
            continue;
        }
        let others: Vec<&Profile> = all.iter().filter(|(p, a)| p.id != id && is_targeted(a, &membership)).map(|(p, _)| p).collect();
        let device_results: Vec<SettingResult> = results.iter().filter(|(dev, _)| *dev == d.id).map(|(_, r)| r.clone()).collect();
        let state_now = device_state(&profile, &d, &device_results, &others);
        counts.add(&state_now);
        let detail = match &state_now {
            DeviceProfileState::Error { status, .. } => {
                Some(format!("The device answered status {status}; see docs/errors.md#device_rejected."))
            }
            DeviceProfileState::Conflict { other_profile, .. } => {
                Some(format!("Profile {other_profile} sets the same OMA-URI to another value."))
            }
            _ => None,
        };
        devices.push(DeviceProfileStatus { device_id: d.id, device_name: d.name, platform: d.platform, state: state_now, detail });
    }
    Ok(ProfileStatus { profile_id: id, version: profile.version, counts, devices })
}
