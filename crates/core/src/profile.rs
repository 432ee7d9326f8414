//! Configuration profiles: custom Windows 10 profiles made of OMA-URI settings, assigned to
//! user or device groups (with exclusions), and the per-device status every admin asks for
//! first: Succeeded, Error, Conflict, Pending or Not applicable.

use crate::detail::{Detail, DetailCode};
use crate::device::{Device, Platform};
use crate::ids::{DeviceGroupId, TenantId, UserGroupId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = Uuid)]
pub struct ProfileId(pub uuid::Uuid);

impl ProfileId {
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}
impl Default for ProfileId {
    fn default() -> Self {
        Self::new()
    }
}
impl std::fmt::Display for ProfileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
impl std::str::FromStr for ProfileId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s).map(Self)
    }
}

crate::string_enum::string_enum! {
    /// The data types of a custom OMA-URI setting, as the admin picks them.
    pub enum OmaDataType {
        Boolean = "boolean",
        Integer = "integer",
        String = "string",
        StringXml = "string_xml",
        Base64 = "base64",
        Float = "float",
        DateTime = "date_time",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OmaSetting {
    /// e.g. `./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/EnablePinRecovery`
    pub oma_uri: String,
    pub data_type: OmaDataType,
    pub value: String,
    /// The Windows platforms that take this setting. Left empty on input, it is filled on save
    /// from what the setting's CSP supports (`default_platforms`); a device of another platform
    /// is never sent it and reads as Not applicable.
    #[serde(default)]
    pub platforms: Vec<Platform>,
}

/// Settings that only some Windows editions take, by the end of their OMA-URI (case-insensitive).
/// Everything else is offered to the whole Windows family and the device says if it refuses.
const EDITION_SPECIFIC: &[(&str, &[Platform])] = &[
    // PIN recovery at the lock screen is a Windows 10/11 desktop feature; phones get their PIN
    // reset by the server instead (the LockAndResetPIN sequence).
    ("/policies/enablepinrecovery", &[Platform::Windows]),
];

const WINDOWS_FAMILY: &[Platform] = &[Platform::Windows, Platform::WindowsMobile, Platform::WindowsPhone];

impl OmaSetting {
    /// The platforms a setting with this URI applies to when the admin does not narrow them.
    pub fn default_platforms(oma_uri: &str) -> &'static [Platform] {
        let uri = oma_uri.to_ascii_lowercase();
        EDITION_SPECIFIC.iter().find(|(suffix, _)| uri.ends_with(suffix)).map(|(_, p)| *p).unwrap_or(WINDOWS_FAMILY)
    }

    /// Whether a device of `platform` takes this setting.
    pub fn applies_to(&self, platform: Platform) -> bool {
        if self.platforms.is_empty() {
            Self::default_platforms(&self.oma_uri).contains(&platform)
        } else {
            self.platforms.contains(&platform)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Profile {
    pub id: ProfileId,
    pub tenant_id: TenantId,
    pub name: String,
    pub description: String,
    pub settings: Vec<OmaSetting>,
    /// Bumped on every change, so results reported for an older version read as Pending.
    pub version: u32,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum GroupRef {
    UserGroup(UserGroupId),
    DeviceGroup(DeviceGroupId),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Assignments {
    pub include: Vec<GroupRef>,
    /// Exclusion wins over inclusion.
    pub exclude: Vec<GroupRef>,
}

/// The groups a device is in: its own device groups and its primary user's user groups.
#[derive(Clone, Debug, Default)]
pub struct Membership {
    pub user_groups: Vec<UserGroupId>,
    pub device_groups: Vec<DeviceGroupId>,
}

impl Membership {
    fn contains(&self, g: &GroupRef) -> bool {
        match g {
            GroupRef::UserGroup(id) => self.user_groups.contains(id),
            GroupRef::DeviceGroup(id) => self.device_groups.contains(id),
        }
    }
}

/// Is the device in the profile's scope (whatever its platform)?
pub fn is_targeted(assignments: &Assignments, member_of: &Membership) -> bool {
    assignments.include.iter().any(|g| member_of.contains(g)) && !assignments.exclude.iter().any(|g| member_of.contains(g))
}

/// What a device answered for one setting of one profile version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SettingResult {
    pub oma_uri: String,
    /// SyncML status code the device returned (200 = applied).
    pub status: u16,
    pub profile_version: u32,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeviceProfileState {
    Succeeded,
    /// The device refused a setting; `status` is its SyncML code.
    Error {
        oma_uri: String,
        status: u16,
    },
    /// Another assigned profile sets the same URI to a different value.
    Conflict {
        oma_uri: String,
        other_profile: ProfileId,
    },
    /// Not answered yet (the device has not checked in since the assignment or change).
    Pending,
    /// In an assigned group, but none of the profile's settings applies to this device's
    /// platform (not Windows, or an edition the settings are not for).
    NotApplicable,
}

impl DeviceProfileState {
    pub fn label(&self) -> &'static str {
        match self {
            DeviceProfileState::Succeeded => "succeeded",
            DeviceProfileState::Error { .. } => "error",
            DeviceProfileState::Conflict { .. } => "conflict",
            DeviceProfileState::Pending => "pending",
            DeviceProfileState::NotApplicable => "not_applicable",
        }
    }
}

/// Replace `{tenantId}` (any letter case) with the tenant's directory id, as PassportForWork
/// URIs require.
pub fn resolve_uri(uri: &str, directory_id: uuid::Uuid) -> String {
    const PLACEHOLDER: &str = "{tenantid}";
    let mut out = String::with_capacity(uri.len() + 36);
    let mut rest = uri;
    while let Some(i) = rest.to_ascii_lowercase().find(PLACEHOLDER) {
        out.push_str(&rest[..i]);
        out.push_str(&directory_id.to_string());
        rest = &rest[i + PLACEHOLDER.len()..];
    }
    out.push_str(rest);
    out
}

/// One device's state for `profile`, given what it reported and the other profiles that target
/// it. Results for an older profile version do not count.
pub fn device_state(profile: &Profile, device: &Device, results: &[SettingResult], others_targeting: &[&Profile]) -> DeviceProfileState {
    let applicable: Vec<&OmaSetting> = profile.settings.iter().filter(|s| s.applies_to(device.platform)).collect();
    if applicable.is_empty() {
        return DeviceProfileState::NotApplicable;
    }
    for s in &applicable {
        for other in others_targeting.iter().filter(|o| o.id != profile.id) {
            let differs =
                |o: &OmaSetting| o.applies_to(device.platform) && o.oma_uri.eq_ignore_ascii_case(&s.oma_uri) && o.value != s.value;
            if other.settings.iter().any(differs) {
                return DeviceProfileState::Conflict { oma_uri: s.oma_uri.clone(), other_profile: other.id };
            }
        }
    }
    let current: Vec<&SettingResult> = results.iter().filter(|r| r.profile_version == profile.version).collect();
    if let Some(bad) = current.iter().find(|r| !(200..300).contains(&r.status)) {
        return DeviceProfileState::Error { oma_uri: bad.oma_uri.clone(), status: bad.status };
    }
    let all_answered = applicable.iter().all(|s| current.iter().any(|r| r.oma_uri.eq_ignore_ascii_case(&s.oma_uri)));
    if all_answered {
        DeviceProfileState::Succeeded
    } else {
        DeviceProfileState::Pending
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatusCounts {
    pub succeeded: u32,
    pub error: u32,
    pub conflict: u32,
    pub pending: u32,
    pub not_applicable: u32,
}

impl StatusCounts {
    pub fn add(&mut self, s: &DeviceProfileState) {
        match s {
            DeviceProfileState::Succeeded => self.succeeded += 1,
            DeviceProfileState::Error { .. } => self.error += 1,
            DeviceProfileState::Conflict { .. } => self.conflict += 1,
            DeviceProfileState::Pending => self.pending += 1,
            DeviceProfileState::NotApplicable => self.not_applicable += 1,
        }
    }
}

/// OMA-URIs are at most this long; Windows CSP paths are far shorter.
const MAX_URI_LEN: usize = 1024;

/// A well-formed OMA-URI: `./` then non-empty segments, no white space or control characters.
/// `index` counts the profile's settings from 1, as the admin sees them.
pub fn check_uri(index: usize, uri: &str) -> Result<(), Detail> {
    let named = |code| Detail::new(code, [("index", index.to_string()), ("uri", uri.to_string())]);
    if uri.len() > MAX_URI_LEN {
        Err(Detail::new(DetailCode::SettingUriTooLong, [("index", index.to_string()), ("max", MAX_URI_LEN.to_string())]))
    } else if !uri.starts_with("./") {
        Err(named(DetailCode::SettingUriPrefix))
    } else if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err(named(DetailCode::SettingUriSpaces))
    } else if uri[2..].split('/').any(str::is_empty) {
        Err(named(DetailCode::SettingUriEmptySegment))
    } else {
        Ok(())
    }
}

/// Check a value against its declared type; the message names the setting.
pub fn check_value(index: usize, s: &OmaSetting) -> Result<(), Detail> {
    use base64::Engine as _;
    let bad = |what: &str| {
        let value: String = s.value.chars().take(80).collect();
        Err(Detail::new(
            DetailCode::SettingValueType,
            [("index", index.to_string()), ("uri", s.oma_uri.clone()), ("value", value), ("data_type", what.to_string())],
        ))
    };
    match s.data_type {
        OmaDataType::Boolean if !matches!(s.value.as_str(), "true" | "false") => bad("Boolean (true or false)"),
        OmaDataType::Integer if s.value.trim().parse::<i32>().is_err() => bad("32-bit integer"),
        OmaDataType::Float if s.value.trim().parse::<f64>().map(|f| !f.is_finite()).unwrap_or(true) => bad("number"),
        OmaDataType::DateTime if DateTime::parse_from_rfc3339(s.value.trim()).is_err() => bad("date and time (2026-11-23T08:00:00Z)"),
        OmaDataType::Base64 if base64::engine::general_purpose::STANDARD.decode(s.value.trim()).is_err() => bad("Base64"),
        OmaDataType::StringXml if !s.value.trim_start().starts_with('<') => bad("XML"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
