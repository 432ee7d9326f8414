//! How often the portal may ask for a passcode reset: a stolen session, or a script, must not be
//! able to reset a device over and over (each reset hands the device to whoever reads the new
//! passcode). Counted from the actions themselves, so nothing extra is written on the way.

use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use pinreset_core::{ActionKind, Actor, Cause, Detail, DetailCode, Device, DeviceId, ErrorCode, RemoteAction};
use pinreset_store::{DeviceFilter, Page};

/// Resets a user may ask for one device in an hour.
pub const PER_DEVICE_PER_HOUR: usize = 3;
/// Resets a user may ask for across their devices in an hour.
pub const PER_USER_PER_HOUR: usize = 5;

fn own_recent_resets(actions: Vec<RemoteAction>, actor: &Actor, since: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    actions
        .into_iter()
        .filter(|a| a.kind == ActionKind::ResetPasscode && a.requested_at > since)
        .filter(|a| matches!(a.requested_by, Cause::User { user_id } if user_id == actor.user_id))
        .map(|a| a.requested_at)
        .collect()
}

/// The refusal when `times` already reached `limit`: wait until the oldest leaves the hour.
fn over(times: &mut [DateTime<Utc>], limit: usize, now: DateTime<Utc>, code: DetailCode) -> Option<AppError> {
    if times.len() < limit {
        return None;
    }
    times.sort();
    let free_at = times[times.len() - limit] + Duration::hours(1);
    let secs = (free_at - now).num_seconds().max(1) as u64;
    let wait = if secs < 120 { format!("{secs} s") } else { format!("{} min", secs.div_ceil(60)) };
    let args = [("limit", limit.to_string()), ("wait", wait), ("seconds", secs.to_string())];
    Some(AppError::with_detail(ErrorCode::ResetRateLimited, Detail::new(code, args)))
}

/// Refuse an end user's reset of `device` when this hour's allowance is used up.
pub async fn check(state: &AppState, actor: &Actor, device: &Device, now: DateTime<Utc>) -> Result<(), AppError> {
    let since = now - Duration::hours(1);
    let filter = DeviceFilter { owner: Some(actor.user_id), ..DeviceFilter::default() };
    let mut ids: Vec<DeviceId> =
        state.store.list_devices(actor.tenant_id, &filter, Page { offset: 0, limit: 500 }).await?.items.iter().map(|d| d.id).collect();
    if !ids.contains(&device.id) {
        ids.push(device.id);
    }
    let recent = state.store.recent_actions_of_devices(actor.tenant_id, &ids, since).await?;
    let (on_device, elsewhere): (Vec<_>, Vec<_>) = recent.into_iter().partition(|a| a.device_id == device.id);
    let mut on_device = own_recent_resets(on_device, actor, since);
    if let Some(e) = over(&mut on_device, PER_DEVICE_PER_HOUR, now, DetailCode::ResetsPerDevice) {
        return Err(e);
    }
    let mut all = own_recent_resets(elsewhere, actor, since);
    all.extend(on_device);
    match over(&mut all, PER_USER_PER_HOUR, now, DetailCode::ResetsPerUser) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
