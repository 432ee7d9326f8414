//! The Android Management API backend: pinreset as a client of Google's API for tenants that
//! bind an Android Enterprise (`app/android_enterprise.rs`). Devices come from the device list
//! sync (`sync.rs`) and carry their AMAPI resource name; when the outbox wakes one, its queued
//! actions become `enterprises.devices.issueCommand` calls (`issue.rs`), and their outcome comes
//! back through the enterprise's Pub/Sub `COMMAND` notifications (`pubsub.rs`) or the paced
//! `operations.get` reconciler (`reconcile.rs`), both settled by `settle.rs`. Google is reached
//! with the tenant's service-account key (`google.rs`); every endpoint is configurable, so the
//! tests talk to the stand-in in `crates/sim/src/android/amapi`.

pub mod binding;
pub mod google;
pub mod issue;
pub mod outcome;
mod pacing;
pub mod pubsub;
pub mod reconcile;
pub mod settle;
pub mod sync;

use super::backend::AndroidBackend;
use crate::app::push::{PushOutcome, Reach};
use crate::channels::Waker;
use crate::error::AppError;
use crate::state::AppState;
use async_trait::async_trait;
use pinreset_core::Device;
use std::time::Duration;

/// How often each instance pulls notifications and runs the reconciler.
pub const TICK: Duration = Duration::from_secs(1);

/// Serves the Android devices known by an AMAPI name.
pub struct AmapiBackend;

#[async_trait]
impl Waker for AmapiBackend {
    async fn reach(&self, state: &AppState, device: &Device) -> Result<Reach, AppError> {
        Ok(match binding::load(state, device.tenant_id).await? {
            Some(_) => Reach::Push,
            None => Reach::NextCheckIn {
                reason:
                    "The device is managed through the Android Management API, but no Android Enterprise is bound to this organisation now."
                        .into(),
            },
        })
    }

    async fn wake(&self, state: &AppState, device: &Device) -> Result<PushOutcome, AppError> {
        let Some(bound) = binding::load(state, device.tenant_id).await? else { return Ok(PushOutcome::NotPushable) };
        Ok(match issue::issue_queued(state, &bound, device).await {
            Ok(()) => PushOutcome::Sent,
            Err(issue::NotIssued::Retry(why)) => PushOutcome::Retry(why),
        })
    }
}

impl AndroidBackend for AmapiBackend {
    fn name(&self) -> &'static str {
        "android-management-api"
    }
    fn serves(&self, device: &Device) -> bool {
        device.amapi_name.is_some()
    }
}

/// One round for every bound tenant: pull notifications, then reconcile what is still open.
/// Safe on several instances at once (Pub/Sub hands a message to one puller; operations are
/// claimed through the store; settling is a compare-and-set). Returns the actions settled.
pub async fn tick(state: &AppState) -> Result<u32, AppError> {
    let mut settled = 0;
    for tenant in state.store.list_tenants().await? {
        if tenant.android_enterprise.is_none() {
            continue;
        }
        let Some(bound) = binding::load(state, tenant.id).await? else { continue };
        match pubsub::pull(state, &bound).await {
            Ok(n) => settled += n,
            Err(e) => tracing::warn!(tenant_id = %tenant.id, error = %e.error_code().code(), "Pub/Sub pull failed"),
        }
        settled += reconcile::run(state, tenant.id, &bound).await?;
    }
    Ok(settled)
}

/// The task started with the server.
pub async fn run_forever(state: AppState) {
    let mut every = tokio::time::interval(TICK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = tick(&state).await {
            tracing::warn!(error = %e.error_code().code(), "the Android Management API worker's round failed");
        }
    }
}
