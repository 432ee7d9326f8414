//! The portal's notifications: every reset, lock or wipe of one of the user's devices that
//! finished (succeeded, failed or expired) in the last 30 days, newest first. They are read
//! from the actions themselves — the action path writes nothing extra for them — and the store
//! remembers only which ones the user opened.

use super::scope;
use crate::error::AppError;
use crate::state::AppState;
use chrono::Duration;
use pinreset_core::{ActionId, ActionKind, Actor, Device, DeviceId, ErrorCode, RemoteAction, MAX_ACTION_LIFETIME_DAYS};
use pinreset_store::{DeviceFilter, Page};
use std::collections::{HashMap, HashSet};

/// How far back notifications go.
pub const DAYS_SHOWN: i64 = 30;
/// A user's devices considered (more than anyone owns).
const MAX_DEVICES: u32 = 200;

pub struct Notification {
    pub action: RemoteAction,
    pub device: Device,
    pub read: bool,
}

fn notifies(a: &RemoteAction) -> bool {
    matches!(a.kind, ActionKind::ResetPasscode | ActionKind::RemoteLock | ActionKind::ResetDevice) && !a.state.is_pending()
}

/// The user's notifications, newest first (always the devices they own, whatever their role).
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<Notification>, AppError> {
    let since = state.clock.now() - Duration::days(DAYS_SHOWN);
    // An action finishes at the latest when it expires (plus the expiry worker's lag), so one
    // that finished since `since` was requested at most a lifetime (and a day) before it.
    let requested_since = since - Duration::days(i64::from(MAX_ACTION_LIFETIME_DAYS) + 1);
    let read: HashSet<ActionId> = state.store.read_notifications(actor.tenant_id, actor.user_id).await?.into_iter().collect();
    let filter = DeviceFilter { owner: Some(actor.user_id), ..DeviceFilter::default() };
    let devices: HashMap<DeviceId, Device> = state
        .store
        .list_devices(actor.tenant_id, &filter, Page { offset: 0, limit: MAX_DEVICES })
        .await?
        .items
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let ids: Vec<DeviceId> = devices.keys().copied().collect();
    let mut all = Vec::new();
    for action in state.store.recent_actions_of_devices(actor.tenant_id, &ids, requested_since).await? {
        if notifies(&action) && action.updated_at > since {
            if let Some(device) = devices.get(&action.device_id) {
                all.push(Notification { read: read.contains(&action.id), action, device: device.clone() });
            }
        }
    }
    all.sort_by_key(|n| std::cmp::Reverse(n.action.updated_at));
    Ok(all)
}

/// Open one: it is marked read. Only the user's own devices' notifications exist for them.
pub async fn open(state: &AppState, actor: &Actor, id: ActionId) -> Result<(RemoteAction, Device), AppError> {
    let (action, device) = scope::visible_action(state, actor, id).await?;
    if device.primary_user_id != Some(actor.user_id) || !notifies(&action) {
        return Err(AppError::code(ErrorCode::NotFound));
    }
    state.store.mark_notification_read(actor.tenant_id, actor.user_id, id, state.clock.now()).await?;
    Ok((action, device))
}
