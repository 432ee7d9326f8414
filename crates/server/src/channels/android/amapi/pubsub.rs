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
            Ok(done) => {
                settled += u32::from(done);
                ack.push(ack_id.to_string());
            }
            Err(e) => tracing::warn!(error = %e.error_code().code(), "a Pub/Sub notification could not be handled; it will come again"),
        }
    }
    if !ack.is_empty() {
        google().call(&bound.key, reqwest::Method::POST, &format!("{base}:acknowledge"), &[], Some(&json!({ "ackIds": ack }))).await?;
    }
    Ok(settled)
}

/// One message; Ok(true) when it settled an action.
async fn handle(state: &AppState, message: &Value) -> Result<bool, AppError> {
    if message["attributes"]["notificationType"].as_str() != Some("COMMAND") {
        return Ok(false);
    }
    let Some(operation) = message["data"]
        .as_str()
        .and_then(|d| base64::engine::general_purpose::STANDARD.decode(d).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
    else {
        return Ok(false);
    };
    let Some(name) = operation["name"].as_str() else { return Ok(false) };
    // An operation pinreset did not issue, or already settled: nothing to do.
    let Some(op) = state.store.amapi_operation_named(name).await? else { return Ok(false) };
    settle::from_operation(state, &op, &operation).await
}
