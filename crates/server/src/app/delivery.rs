//! The channel-facing door of the spine: at check-in a device channel asks what to send. The
//! idle answer comes from memory; only a device with pending work costs a database read.

use super::device_results;
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{ActionState, Cause, Device, RemoteAction};

/// The actions to put on the wire for `device` now, oldest first, each moved to `delivered`
/// (one already delivered in a session that died is handed out again unchanged).
pub async fn take_deliverable(state: &AppState, device: &Device) -> Result<Vec<RemoteAction>, AppError> {
    if !state.pending.has_pending(device.id) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for action in state.store.deliverable_actions(device.id).await? {
        if action.state == ActionState::Queued {
            let cause = Cause::Device { device_id: device.id };
            out.push(device_results::delivered(state, device.tenant_id, action.id, cause).await?);
        } else {
            out.push(action);
        }
    }
    Ok(out)
}
