//! The channel-facing door of the spine: at check-in a device channel asks what to send. The
//! idle answer comes from memory; only a device with pending work costs a database read.

use super::device_results;
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{ActionState, Cause, Device, ErrorCode, RemoteAction};

/// The actions to put on the wire for `device` now, oldest first, each moved to `delivered`
/// (one already delivered in a session that died is handed out again unchanged).
///
/// Only what the device's channel declares it encodes is handed out. The capability matrix
/// already refuses everything else at request time; an action that got past it anyway (stored
/// before the contract existed, or a contract changed by an upgrade) fails here with its
/// reason instead of being marked delivered and dropped by the encoder.
pub async fn take_deliverable(state: &AppState, device: &Device) -> Result<Vec<RemoteAction>, AppError> {
    let contract = state.channels.contract(device.platform);
    if !state.pending.has_pending(device.id) {
        state.metrics.idle_check_in(contract.map_or("none", |c| c.name));
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    // A mark can outlive its action (the dispatcher marks before it pushes, and the action may
    // have finished by then): finding nothing clears it, unless a newer mark landed meanwhile.
    let ticket = state.pending.begin_refresh(device.id);
    let deliverable = state.store.deliverable_actions(device.id).await?;
    state.pending.finish_refresh(ticket, !deliverable.is_empty());
    for action in deliverable {
        let cause = Cause::Device { device_id: device.id };
        let encodable = contract.is_some_and(|c| match action.support {
            Some(kind) => c.carries(kind),
            None => c.carries_action(action.kind),
        });
        if !encodable {
            // The channel's own reason when it declares one (by kind, or by action for an
            // action stored without its kind).
            let declared = contract.and_then(|c| {
                c.refusals.iter().find(|(k, _)| action.support.map_or(k.action() == action.kind, |s| s == *k)).map(|(_, code)| *code)
            });
            let code = declared.unwrap_or(ErrorCode::ChannelCannotDeliver);
            let detail = Some(format!("{} cannot be sent to a {} device", action.kind.as_str(), device.platform.as_str()));
            tracing::warn!(action_id = %action.id, kind = action.kind.as_str(), "an action the channel cannot encode was failed");
            device_results::failed(state, device.tenant_id, action.id, cause, code, detail).await?;
            continue;
        }
        if action.state == ActionState::Queued {
            out.push(device_results::delivered_as_read(state, action, cause).await?);
        } else {
            out.push(action);
        }
    }
    Ok(out)
}
