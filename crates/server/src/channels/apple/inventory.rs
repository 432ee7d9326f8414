//! What a device says about itself, asked with DeviceInformation once after each (re-)enrollment,
//! before any action: Authenticate does not tell a Shared iPad from a single-user iPad, and a
//! Shared iPad has no device passcode to clear, so resets must be refused before one is queued.

use crate::error::AppError;
use crate::state::AppState;
use pinreset_apple::command::{Command, Request};
use pinreset_apple::device_information::STANDARD_QUERIES;
use pinreset_apple::{CommandResult, ResultStatus};
use pinreset_core::device::{ManagementMode, OsVersion, Ownership};
use pinreset_core::Device;

/// Inventory commands are not actions: their UUID is this prefix and a nonce.
const UUID_PREFIX: &str = "inventory.";

/// The inventory query, when this device has not answered one since it enrolled.
pub fn wanted(device: &Device) -> Option<Command> {
    device.inventoried_at.is_none().then(|| Command {
        uuid: format!("{UUID_PREFIX}{}", uuid::Uuid::new_v4()),
        request: Request::DeviceInformation { queries: STANDARD_QUERIES.iter().map(|q| q.to_string()).collect() },
    })
}

/// Record an inventory answer. False when the result is not one (it belongs to an action).
pub async fn record(state: &AppState, device: &Device, r: &CommandResult) -> Result<bool, AppError> {
    if !r.command_uuid.as_deref().is_some_and(|u| u.starts_with(UUID_PREFIX)) {
        return Ok(false);
    }
    if r.status == ResultStatus::NotNow {
        // Asked again on the next connection.
        return Ok(true);
    }
    let Some(mut fresh) = state.store.device(device.tenant_id, device.id).await? else { return Ok(true) };
    match r.device_information() {
        Ok(Some(info)) if r.status == ResultStatus::Acknowledged => {
            if info.is_multi_user == Some(true) {
                fresh.management_mode = ManagementMode::SharedIpad;
                fresh.ownership = Ownership::Corporate;
            }
            if let Some(name) = info.device_name {
                fresh.name = name;
            }
            if let Some(v) = info.os_version.as_deref().and_then(|v| OsVersion::parse(v).ok()) {
                fresh.os_version = v;
            }
            fresh.os_build = info.build_version.or(fresh.os_build);
            fresh.model = info.product_name.or(fresh.model);
            fresh.serial_number = info.serial_number.or(fresh.serial_number);
        }
        // A device that cannot answer is not asked again until it re-enrolls; what Authenticate
        // said stands.
        _ => tracing::warn!(device_id = %device.id, status = r.status.as_str(), "the device did not answer the inventory query"),
    }
    fresh.inventoried_at = Some(state.clock.now());
    pinreset_core::text::clean_device_record(&mut fresh);
    state.store.upsert_device(&fresh).await?;
    Ok(true)
}
