//! Device list sync: `enterprises.devices.list`, page by page, makes each AMAPI device a
//! pinreset device of the tenant (platform Android, bound by its resource name under the
//! `amapi-device` identity) and keeps what Google reports current: Android version (from
//! `softwareInfo.androidVersion`, else `apiLevel`), management mode (DEVICE_OWNER → fully
//! managed, PROFILE_OWNER → work profile), ownership, model, serial and security patch.
//!
//! The owner: a device's `user.accountIdentifier` (set by whoever created the AMAPI user) is
//! matched to the pinreset user with that login; no match leaves the owner as it was. The
//! device's reset token is Google's DPC's and stays `none` here: the capability matrix does not
//! ask for it on AMAPI devices, and the command's outcome decides.

use super::binding::Bound;
use super::google::google;
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::android_enterprise::android_version_of_api_level;
use pinreset_core::{Device, DeviceId, IdentityKind, JoinType, ManagementMode, OsVersion, Ownership, Platform, ResetTokenState, Tenant};
use pinreset_store::EnrollmentWrite;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

const PAGE_SIZE: &str = "100";
/// A runaway paging (a token that never ends) stops here.
const MAX_PAGES: usize = 10_000;

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct SyncReport {
    /// Devices Google listed.
    pub listed: u32,
    pub created: u32,
    pub updated: u32,
    /// Devices Google lists as DELETED (removed from the enterprise, or wiped) that were still
    /// managed here: retired, their identities and secrets dropped.
    pub retired: u32,
    /// Devices left out: deleted at Google and not (or no longer) managed here, bound to
    /// another organisation, or not described well enough (no management mode).
    pub skipped: u32,
}

pub async fn sync(state: &AppState, tenant: &Tenant, bound: &Bound) -> Result<SyncReport, AppError> {
    let url = format!("{}/devices", bound.amapi(&bound.settings.enterprise_name));
    let mut report = SyncReport::default();
    let mut page_token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut query = vec![("pageSize", PAGE_SIZE)];
        if let Some(t) = page_token.as_deref() {
            query.push(("pageToken", t));
        }
        let page = google().call(&bound.key, reqwest::Method::GET, &url, &query, None).await?;
        for d in page["devices"].as_array().into_iter().flatten() {
            report.listed += 1;
            match apply(state, tenant, d).await? {
                Applied::Created => report.created += 1,
                Applied::Updated => report.updated += 1,
                Applied::Retired => report.retired += 1,
                Applied::Skipped => report.skipped += 1,
            }
        }
        page_token = page["nextPageToken"].as_str().filter(|t| !t.is_empty()).map(str::to_string);
        if page_token.is_none() {
            break;
        }
    }
    Ok(report)
}

enum Applied {
    Created,
    Updated,
    Retired,
    Skipped,
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

async fn apply(state: &AppState, tenant: &Tenant, d: &Value) -> Result<Applied, AppError> {
    let Some(name) = text(&d["name"]) else { return Ok(Applied::Skipped) };
    if d["state"].as_str() == Some("DELETED") {
        return retire_deleted(state, tenant, &name).await;
    }
    let mode = match d["managementMode"].as_str() {
        Some("DEVICE_OWNER") => ManagementMode::DeviceOwner,
        Some("PROFILE_OWNER") => ManagementMode::WorkProfile,
        _ => return Ok(Applied::Skipped),
    };
    let api_level = d["apiLevel"].as_u64().unwrap_or(0) as u32;
    let version = text(&d["softwareInfo"]["androidVersion"])
        .and_then(|v| OsVersion::parse(&v).ok())
        .unwrap_or_else(|| OsVersion::parse(android_version_of_api_level(api_level)).expect("literal"));
    let os_build = match text(&d["softwareInfo"]["securityPatchLevel"]) {
        Some(p) => format!("API {api_level}, security patch {p}"),
        None => format!("API {api_level}"),
    };
    let ownership = match d["ownership"].as_str() {
        Some("PERSONALLY_OWNED") => Ownership::Personal,
        // COMPANY_OWNED, and AMAPI's default for a fully managed device.
        _ if mode == ManagementMode::DeviceOwner => Ownership::Corporate,
        Some("COMPANY_OWNED") => Ownership::Corporate,
        _ => Ownership::Personal,
    };
    let model = text(&d["hardwareInfo"]["model"]);
    let owner = match text(&d["user"]["accountIdentifier"]) {
        Some(login) => state.store.user_by_login(tenant.id, &login).await?.map(|(u, _)| u.id),
        None => None,
    };
    let existing = state.store.device_by_identity(IdentityKind::AmapiDevice, &name).await?;
    if let Some(mut device) = existing {
        if device.tenant_id != tenant.id {
            tracing::warn!(device_id = %device.id, "an AMAPI device listed for one organisation is bound to another; left alone");
            return Ok(Applied::Skipped);
        }
        device.os_version = version;
        device.os_build = Some(os_build);
        device.management_mode = mode;
        device.ownership = ownership;
        device.model = model.or(device.model);
        device.serial_number = text(&d["hardwareInfo"]["serialNumber"]).or(device.serial_number);
        device.primary_user_id = owner.or(device.primary_user_id);
        device.last_check_in = last_report(d).or(device.last_check_in);
        pinreset_core::text::clean_device_record(&mut device);
        state.store.upsert_device(&device).await?;
        return Ok(Applied::Updated);
    }
    let now = state.clock.now();
    let mut device = Device {
        id: DeviceId::new(),
        tenant_id: tenant.id,
        name: model.clone().unwrap_or_else(|| "Android device".into()),
        platform: Platform::Android,
        os_version: version,
        os_build: Some(os_build),
        model,
        serial_number: text(&d["hardwareInfo"]["serialNumber"]),
        udid: None,
        imei: None,
        ownership,
        management_mode: mode,
        join_type: JoinType::NotJoined,
        primary_user_id: owner,
        unlock_token_escrowed: false,
        reset_token: ResetTokenState::None,
        enrolled_at: text(&d["enrollmentTime"]).and_then(|t| t.parse().ok()).unwrap_or(now),
        last_check_in: last_report(d),
        retired_at: None,
        inventoried_at: Some(now),
        amapi_name: Some(name.clone()),
    };
    pinreset_core::text::clean_device_record(&mut device);
    let identities = [(IdentityKind::AmapiDevice, name)];
    let write = EnrollmentWrite {
        device: &device,
        replace_kinds: &[],
        identities: &identities,
        drop_device_secrets: false,
        secrets: Vec::new(),
        dm_nonce: None,
        spend_grant: None,
        complete_reenrollment: None,
        audit: &[],
    };
    match state.store.enroll(write).await {
        Ok(()) => Ok(Applied::Created),
        // Another sync (another instance) bound it first: the next sync updates it.
        Err(pinreset_store::StoreError::Conflict(_)) => Ok(Applied::Skipped),
        Err(e) => Err(e.into()),
    }
}

/// A device Google no longer manages leaves management here too, as an Apple device that
/// checks out does: retired, its identity unbound (a later listing finds nothing to update) and
/// its secrets dropped. Nothing to do for one never synced or already retired.
async fn retire_deleted(state: &AppState, tenant: &Tenant, name: &str) -> Result<Applied, AppError> {
    let Some(mut device) = state.store.device_by_identity(IdentityKind::AmapiDevice, name).await? else {
        return Ok(Applied::Skipped);
    };
    if device.tenant_id != tenant.id || device.retired_at.is_some() {
        return Ok(Applied::Skipped);
    }
    device.retired_at = Some(state.clock.now());
    state.store.retire_device(&device, &[]).await?;
    tracing::info!(device_id = %device.id, "an AMAPI device Google lists as deleted was retired");
    Ok(Applied::Retired)
}

fn last_report(d: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    text(&d["lastStatusReportTime"]).and_then(|t| t.parse().ok())
}
