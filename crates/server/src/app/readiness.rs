//! Reset readiness: every device that could NOT have its passcode reset if its owner were
//! locked out right now, and why. The answer is the capability matrix's (asked as a tenant
//! admin would ask it, so the report is about the device and the tenant, not about the role of
//! whoever reads it) plus one rule of its own: a device that has not checked in for `stale_days`
//! would not receive the command either.

use super::readiness_answers::{fingerprint, Answer};
use super::view::{Granted, ReadAllDevices};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use pinreset_core::{
    capability, ActionKind, Actor, CapabilityContext, Device, DeviceGroup, DeviceGroupId, DeviceId, ErrorCode, Role, UserId,
};
use pinreset_store::{DeviceFilter, Page};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// Days without a check-in after which a device counts as unreachable, unless asked otherwise.
pub const DEFAULT_STALE_DAYS: u32 = 30;
/// The reason code of a device that has not checked in recently (not a catalogue refusal: the
/// device could take the reset, it just is not listening).
pub const NOT_CHECKED_IN: &str = "not_checked_in";
/// Devices read per store query while building the report.
const BATCH: u32 = 500;

/// Why one device could not be reset now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The capability matrix refuses the reset with this catalogue entry.
    Refused(ErrorCode),
    /// No check-in (or enrollment) within the window.
    NotCheckedIn,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::Refused(code) => code.code(),
            Reason::NotCheckedIn => NOT_CHECKED_IN,
        }
    }

    /// The reason and the fix in English (the API and the CSV).
    pub fn english(self, stale_days: u32) -> (String, String) {
        match self {
            Reason::Refused(code) => (code.reason().to_string(), code.remedy().to_string()),
            Reason::NotCheckedIn => (
                format!("The device has not checked in for {stale_days} days or more, so it would not receive the reset."),
                "Ask the owner to turn the device on and connect it to the internet, or sync it; remove it if it is gone.".to_string(),
            ),
        }
    }
}

/// One device that could not be reset, with one reason (a device with two reasons has two).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct NotReady {
    pub device_id: pinreset_core::DeviceId,
    pub device_name: String,
    /// The primary user's display name, when the device has one.
    pub owner: Option<String>,
    pub platform: pinreset_core::device::Platform,
    pub os_version: String,
    /// Android: the passcode reset token the server holds (`none`, `inactive`, `active`), which
    /// decides whether a device owner or work profile can be reset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_token: Option<pinreset_core::ResetTokenState>,
    pub last_check_in: Option<DateTime<Utc>>,
    /// A catalogue code (`ios_no_unlock_token`, …) or `not_checked_in`.
    pub reason_code: String,
    pub reason: String,
    pub fix: String,
    #[serde(skip)]
    #[schema(ignore)]
    pub why: Option<Reason>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReasonCount {
    pub reason_code: String,
    pub devices: u64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub generated_at: DateTime<Utc>,
    pub stale_days: u32,
    /// The device group the report is limited to, if any.
    pub group: Option<uuid::Uuid>,
    /// Managed devices looked at.
    pub devices: u64,
    /// Of those, how many could not be reset now (for any reason).
    pub not_ready_devices: u64,
    /// Devices per reason, most frequent first.
    pub by_reason: Vec<ReasonCount>,
    /// Devices by platform (all looked at, ready or not).
    #[serde(skip)]
    #[schema(ignore)]
    pub by_platform: BTreeMap<&'static str, u64>,
    /// By device name, then reason.
    pub rows: Vec<NotReady>,
}

/// The reasons one device could not be reset at `now`.
pub fn reasons(device: &Device, ctx: &CapabilityContext<'_>, now: DateTime<Utc>, stale_days: u32) -> Vec<Reason> {
    let mut out = vec![];
    if let Some(code) = capability(device, ActionKind::ResetPasscode, ctx).refusal() {
        out.push(Reason::Refused(code));
    }
    let cutoff = now - Duration::days(i64::from(stale_days));
    // Enrolling is the device's first contact: a device enrolled within the window that has
    // not checked in since is not silent yet.
    if device.last_check_in.unwrap_or(device.enrolled_at) < cutoff {
        out.push(Reason::NotCheckedIn);
    }
    out
}

/// Devices per reason, most frequent first.
fn by_reason(counts: BTreeMap<&'static str, u64>) -> Vec<ReasonCount> {
    let mut by_reason: Vec<ReasonCount> =
        counts.into_iter().map(|(code, devices)| ReasonCount { reason_code: code.into(), devices }).collect();
    by_reason.sort_by(|a, b| b.devices.cmp(&a.devices).then_with(|| a.reason_code.cmp(&b.reason_code)));
    by_reason
}

impl Granted<'_, ReadAllDevices> {
    /// The tenant's device groups (for the report's group filter).
    pub async fn device_groups(&self) -> Result<Vec<DeviceGroup>, AppError> {
        Ok(self.state.store.list_device_groups(self.actor.tenant_id).await?)
    }

    /// The report's figures without its rows (devices, by platform, not ready, by reason),
    /// from one aggregate in the store: devices the capability matrix cannot tell apart are
    /// asked about once (`pinreset_store::reset_class`), and "not checked in" is counted by
    /// the store. The matrix's answer per kind of device is kept between requests
    /// (`readiness_answers`), so only a kind not seen before with these settings reads its
    /// sample device. Cheap at 100,000 devices, and as current as the full report.
    pub async fn readiness_summary(&self, stale_days: u32) -> Result<Readiness, AppError> {
        let (state, actor) = (self.state, self.actor);
        let tenant = state.store.tenant(actor.tenant_id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))?;
        let admin = Actor { role: Role::TenantAdmin, authenticated_at: None, ..actor.clone() };
        let ctx = CapabilityContext { actor: &admin, tenant: &tenant.settings, channels: state.channels.contracts() };
        let now = state.clock.now();
        let cutoff = now - Duration::days(i64::from(stale_days));
        let classes = state.store.readiness_classes(actor.tenant_id, None, cutoff).await?;
        let settings = fingerprint(&tenant.settings);
        let answers = &state.readiness_answers;
        // Kinds not asked about yet: the sample's answer is filed under the kind the store
        // grouped it by.
        let unknown: HashMap<DeviceId, &str> =
            classes.iter().filter(|c| answers.get(tenant.id, settings, &c.class).is_none()).map(|c| (c.sample, c.class.as_str())).collect();
        if !unknown.is_empty() {
            let ids: Vec<DeviceId> = unknown.keys().copied().collect();
            for sample in state.store.devices_by_ids(actor.tenant_id, &ids).await? {
                let refused = capability(&sample, ActionKind::ResetPasscode, &ctx).refusal();
                let class = unknown[&sample.id].to_owned();
                answers.keep(tenant.id, settings, class, Answer { platform: sample.platform, refused });
            }
        }
        let mut report = Readiness {
            generated_at: now,
            stale_days,
            group: None,
            devices: 0,
            not_ready_devices: 0,
            by_reason: vec![],
            by_platform: BTreeMap::new(),
            rows: vec![],
        };
        let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
        for class in classes {
            // Gone between the aggregate and the sample's read (deleted or rewritten to another
            // kind): counted at the next request.
            let Some(Answer { platform, refused }) = answers.get(tenant.id, settings, &class.class) else { continue };
            report.devices += class.devices;
            *report.by_platform.entry(platform.as_str()).or_default() += class.devices;
            if let Some(code) = refused {
                *counts.entry(code.code()).or_default() += class.devices;
            }
            if class.silent > 0 {
                *counts.entry(NOT_CHECKED_IN).or_default() += class.silent;
            }
            // A refused class is not ready whatever its contact; otherwise only its silent ones.
            report.not_ready_devices += if refused.is_some() { class.devices } else { class.silent };
        }
        report.by_reason = by_reason(counts);
        Ok(report)
    }

    /// The readiness report of the tenant, or of one device group.
    pub async fn readiness(&self, group: Option<DeviceGroupId>, stale_days: u32) -> Result<Readiness, AppError> {
        let (state, actor) = (self.state, self.actor);
        if let Some(g) = group {
            if state.store.device_group(actor.tenant_id, g).await?.is_none() {
                return Err(AppError::with_detail(
                    ErrorCode::NotFound,
                    pinreset_core::Detail::plain(pinreset_core::DetailCode::NoSuchGroup),
                ));
            }
        }
        let tenant = state.store.tenant(actor.tenant_id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))?;
        // "Could IT reset it?": the question is asked with a tenant admin's rights.
        let admin = Actor { role: Role::TenantAdmin, authenticated_at: None, ..actor.clone() };
        let ctx = CapabilityContext { actor: &admin, tenant: &tenant.settings, channels: state.channels.contracts() };
        let now = state.clock.now();
        let filter = DeviceFilter { group, ..DeviceFilter::default() };
        let mut report = Readiness {
            generated_at: now,
            stale_days,
            group: group.map(|g| g.0),
            devices: 0,
            not_ready_devices: 0,
            by_reason: vec![],
            by_platform: BTreeMap::new(),
            rows: vec![],
        };
        let mut owners: HashMap<UserId, Option<String>> = HashMap::new();
        let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
        let mut offset = 0;
        loop {
            let page = state.store.list_devices(actor.tenant_id, &filter, Page { offset, limit: BATCH }).await?;
            let n = page.items.len() as u32;
            for device in page.items {
                report.devices += 1;
                *report.by_platform.entry(device.platform.as_str()).or_default() += 1;
                let why = reasons(&device, &ctx, now, stale_days);
                if why.is_empty() {
                    continue;
                }
                report.not_ready_devices += 1;
                let owner = match device.primary_user_id {
                    Some(id) => match owners.get(&id) {
                        Some(name) => name.clone(),
                        None => {
                            let name = state.store.user(actor.tenant_id, id).await?.map(|u| u.display_name);
                            owners.insert(id, name.clone());
                            name
                        }
                    },
                    None => None,
                };
                for reason in why {
                    *counts.entry(reason.code()).or_default() += 1;
                    let (text, fix) = reason.english(stale_days);
                    report.rows.push(NotReady {
                        device_id: device.id,
                        device_name: device.name.clone(),
                        owner: owner.clone(),
                        platform: device.platform,
                        os_version: device.os_version.to_string(),
                        reset_token: (device.platform == pinreset_core::Platform::Android).then_some(device.reset_token),
                        last_check_in: device.last_check_in,
                        reason_code: reason.code().to_string(),
                        reason: text,
                        fix,
                        why: Some(reason),
                    });
                }
            }
            offset += n;
            if n < BATCH {
                break;
            }
        }
        report.by_reason = by_reason(counts);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pinreset_core::device::{JoinType, ManagementMode, OsVersion, Ownership, Platform};
    use pinreset_core::{DeviceId, TenantId, TenantSettings};

    fn device(platform: Platform, os: &str, mode: ManagementMode, last: Option<DateTime<Utc>>) -> Device {
        Device {
            id: DeviceId::new(),
            tenant_id: TenantId::new(),
            name: "d".into(),
            platform,
            os_version: OsVersion::parse(os).unwrap(),
            os_build: None,
            model: None,
            serial_number: None,
            udid: None,
            imei: None,
            ownership: Ownership::Corporate,
            management_mode: mode,
            join_type: JoinType::NotJoined,
            primary_user_id: None,
            unlock_token_escrowed: false,
            reset_token: pinreset_core::ResetTokenState::None,
            enrolled_at: Utc::now(),
            last_check_in: last,
            retired_at: None,
            inventoried_at: None,
            amapi_name: None,
        }
    }

    fn tenant_admin() -> Actor {
        Actor {
            tenant_id: TenantId::new(),
            user_id: UserId::new(),
            role: Role::TenantAdmin,
            login: "a".into(),
            authenticated_at: None,
            session_id: None,
            client: None,
        }
    }

    #[test]
    fn the_matrix_refusal_and_the_silence_are_both_reasons() {
        let now = Utc::now();
        let actor = tenant_admin();
        let settings = TenantSettings::default();
        let channels = crate::channels::CONTRACTS;
        let ctx = CapabilityContext { actor: &actor, tenant: &settings, channels };
        let android7 = device(Platform::Android, "7.0", ManagementMode::DeviceAdmin, Some(now - Duration::days(40)));
        assert_eq!(reasons(&android7, &ctx, now, 30), [Reason::Refused(ErrorCode::AndroidDeviceAdminUnsupported), Reason::NotCheckedIn]);
        let iphone = device(Platform::Ios, "17.0", ManagementMode::Mdm, Some(now));
        assert_eq!(reasons(&iphone, &ctx, now, 30), [Reason::Refused(ErrorCode::IosNoUnlockToken)]);
        let escrowed = Device { unlock_token_escrowed: true, ..iphone };
        assert!(reasons(&escrowed, &ctx, now, 30).is_empty(), "an iPhone with its UnlockToken and a recent check-in is ready");
        let enrolled_long_ago = Device { last_check_in: None, enrolled_at: now - Duration::days(31), ..escrowed.clone() };
        assert_eq!(reasons(&enrolled_long_ago, &ctx, now, 30), [Reason::NotCheckedIn], "never checked in since an old enrollment");
        assert!(reasons(&Device { last_check_in: None, ..escrowed }, &ctx, now, 30).is_empty(), "just enrolled: not silent yet");
    }

    /// The home page asks the matrix once per `reset_class`: devices in one class must get one
    /// answer. Every platform, mode, join type and escrow flag, each beside a twin that differs
    /// in everything the class blanks (identity, names, owner, times), get the same answer and
    /// the same class; changing what the matrix reads changes the class.
    #[test]
    fn devices_of_one_reset_class_get_one_answer() {
        use pinreset_store::reset_class;
        let actor = tenant_admin();
        let now = Utc::now();
        for consented in [false, true] {
            let settings = TenantSettings { pin_reset_consented: consented, ..TenantSettings::default() };
            let ctx = CapabilityContext { actor: &actor, tenant: &settings, channels: crate::channels::CONTRACTS };
            let modes = [
                ManagementMode::Mdm,
                ManagementMode::UserEnrollment,
                ManagementMode::SharedIpad,
                ManagementMode::DeviceAdmin,
                ManagementMode::DeviceOwner,
                ManagementMode::WorkProfile,
            ];
            let joins = [JoinType::AzureAdJoined, JoinType::HybridAzureAdJoined, JoinType::AzureAdRegistered, JoinType::NotJoined];
            for platform in Platform::ALL {
                for os in ["7.0", "8.1", "10.0.14393", "10.0.15063", "13.0", "17.4"] {
                    for mode in modes {
                        for join in joins {
                            for flags in 0..4 {
                                let d = Device {
                                    join_type: join,
                                    unlock_token_escrowed: flags & 1 == 1,
                                    reset_token: if flags & 2 == 2 {
                                        pinreset_core::ResetTokenState::Active
                                    } else {
                                        pinreset_core::ResetTokenState::None
                                    },
                                    ..device(platform, os, mode, Some(now))
                                };
                                let twin = Device {
                                    id: DeviceId::new(),
                                    name: "another".into(),
                                    model: Some("Model".into()),
                                    serial_number: Some("SN1".into()),
                                    udid: Some("UDID".into()),
                                    imei: Some("35".into()),
                                    primary_user_id: Some(UserId::new()),
                                    enrolled_at: now - Duration::days(400),
                                    last_check_in: None,
                                    inventoried_at: Some(now),
                                    amapi_name: None,
                                    ..d.clone()
                                };
                                assert_eq!(reset_class(&d), reset_class(&twin));
                                let ask = |d: &Device| capability(d, ActionKind::ResetPasscode, &ctx).refusal();
                                assert_eq!(ask(&d), ask(&twin), "{d:?}");
                            }
                        }
                    }
                }
            }
        }
        let d = device(Platform::Ios, "17.0", ManagementMode::Mdm, Some(now));
        assert_ne!(reset_class(&d), reset_class(&Device { unlock_token_escrowed: true, ..d.clone() }));
        assert_ne!(reset_class(&d), reset_class(&Device { os_version: OsVersion::parse("17.1").unwrap(), ..d.clone() }));
    }
}
