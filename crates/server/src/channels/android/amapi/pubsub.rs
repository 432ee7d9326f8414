//! The enterprise's Pub/Sub pull subscription: `COMMAND` notifications carry the finished
//! command's operation (base64 JSON), so an action settles as soon as Google knows, without
//! waiting for the reconciler. A message is acknowledged once handled (or when it is not one
//! pinreset acts on); one whose handling failed is left for Pub/Sub to deliver again.

use super::binding::Bound;
use super::google::google;
use super::settle;
use crate::error::AppError;
use crate::state::AppState;
use base64::Engine as _;
use pinreset_core::{ActionState, IdentityKind};
use serde_json::{json, Value};

const MAX_MESSAGES: u32 = 100;

/// Pull once and handle what came; the number of actions settled.
pub async fn pull(state: &AppState, bound: &Bound) -> Result<u32, AppError> {
    let Some(subscription) = bound.settings.pubsub_subscription.as_deref() else { return Ok(0) };
    let base = format!("{}/v1/{subscription}", bound.settings.pubsub_url);
    // `returnImmediately`: the pull runs inside the worker's tick, which must not stall on an
    // empty subscription (deprecated by Google in favour of streaming pull, still honoured).
    let body = json!({ "maxMessages": MAX_MESSAGES, "returnImmediately": true });
    let answer = google().call(&bound.key, reqwest::Method::POST, &format!("{base}:pull"), &[], Some(&body)).await?;
    let mut ack = Vec::new();
    let mut settled = 0;
    for received in answer["receivedMessages"].as_array().into_iter().flatten() {
        let Some(ack_id) = received["ackId"].as_str() else { continue };
        match handle(state, &received["message"]).await {
            Ok(Handled::Settled) => {
                settled += 1;
                ack.push(ack_id.to_string());
            }
            Ok(Handled::NothingToDo) => ack.push(ack_id.to_string()),
            // Left unacknowledged: Pub/Sub delivers it again, by when the issuer has recorded it.
            Ok(Handled::NotRecordedYet) => {}
            Err(e) => tracing::warn!(error = %e.error_code().code(), "a Pub/Sub notification could not be handled; it will come again"),
        }
    }
    if !ack.is_empty() {
        google().call(&bound.key, reqwest::Method::POST, &format!("{base}:acknowledge"), &[], Some(&json!({ "ackIds": ack }))).await?;
    }
    Ok(settled)
}

/// What became of one notification.
enum Handled {
    Settled,
    /// Not a notification pinreset acts on, or an operation already settled: acknowledge it.
    NothingToDo,
    /// The command's outcome came before its issuer recorded the operation Google answered
    /// with (the device can finish in the time between the two): keep it for the next pull.
    NotRecordedYet,
}

async fn handle(state: &AppState, message: &Value) -> Result<Handled, AppError> {
    if message["attributes"]["notificationType"].as_str() != Some("COMMAND") {
        return Ok(Handled::NothingToDo);
    }
    let Some(operation) = message["data"]
        .as_str()
        .and_then(|d| base64::engine::general_purpose::STANDARD.decode(d).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
    else {
        return Ok(Handled::NothingToDo);
    };
    let Some(name) = operation["name"].as_str() else { return Ok(Handled::NothingToDo) };
    let Some(op) = state.store.amapi_operation_named(name).await? else {
        return Ok(if being_issued(state, name).await? { Handled::NotRecordedYet } else { Handled::NothingToDo });
    };
    Ok(if settle::from_operation(state, &op, &operation).await? { Handled::Settled } else { Handled::NothingToDo })
}

/// Whether the operation's device has a command out with no operation recorded for it yet:
/// the issuer is between Google's answer and its own write. Once that action is settled or
/// recorded, an unknown operation is one pinreset did not issue (or settled long ago).
async fn being_issued(state: &AppState, operation: &str) -> Result<bool, AppError> {
    let Some((device_name, _)) = operation.split_once("/operations/") else { return Ok(false) };
    let Some(device) = state.store.device_by_identity(IdentityKind::AmapiDevice, device_name).await? else { return Ok(false) };
    // A delivered action is pending: the device's pending actions, not its whole history.
    for action in state.store.deliverable_actions(device.id).await? {
        if action.state == ActionState::Delivered && state.store.amapi_operation_of_action(action.id).await?.is_none() {
            return Ok(true);
        }
    }
    Ok(false)
}
