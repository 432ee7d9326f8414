//! Background upkeep: expire actions no device answered, purge temporary passcodes after their
//! retention, forget signed-message digests and abandoned OMA-DM sessions past their window,
//! resume bulk jobs whose instance died, retry wake-ups. Runs on a timer
//! in `serve`, once per tick across all instances sharing the database (the `maintenance`
//! lease); tests call `run_once` with a controlled clock.

use super::audit;
use crate::state::AppState;
use pinreset_core::{ActionState, AuditKind, Cause, ErrorCode};
use pinreset_store::{SecretKey, StoreError};
use std::time::Duration;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct MaintenanceReport {
    pub actions_expired: usize,
    pub secrets_purged: usize,
    pub bulk_jobs_resumed: usize,
}

const BATCH: u32 = 500;

pub async fn run_once(state: &AppState) -> Result<MaintenanceReport, StoreError> {
    let now = state.clock.now();
    let mut report = MaintenanceReport::default();
    let cause = Cause::System { component: "expiry-worker".into() };
    for mut action in state.store.overdue_actions(now, BATCH).await? {
        let expected = action.state;
        if action.transition(ActionState::Expired, cause.clone(), now, None).is_err() {
            continue;
        }
        action.failure = Some(pinreset_core::action::Failure { code: ErrorCode::ActionExpired, detail: None });
        let event = audit::for_action(now, "system:expiry-worker", AuditKind::ActionTransition, &action, "expired", None);
        match state.store.save_transition(&action, expected, None, &[event]).await {
            Ok(()) => {
                report.actions_expired += 1;
                state.metrics.action_moved(&action, &[ActionState::Expired]);
                state.pending.refresh(state.store.as_ref(), action.device_id).await?;
                super::mail::on_finished(state, &action);
            }
            // The device answered in the meantime: its answer wins.
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let purged = state.store.purge_expired_secrets(now).await?;
    let mut events = Vec::new();
    for key in &purged {
        if let SecretKey::ActionPasscode(action_id) = key {
            if let Some(action) = state.store.action_for_system(*action_id).await? {
                events.push(audit::for_action(now, "system:purge-worker", AuditKind::PasscodePurged, &action, "purged", None));
            }
        }
    }
    if !events.is_empty() {
        state.store.append_audit(&events).await?;
    }
    report.secrets_purged = purged.len();
    // Signed messages past their window are refused by age; their replay memory can go.
    state.store.forget_expired_messages(now).await?;
    // OMA-DM sessions a device abandoned half-way (its next session starts afresh).
    state.store.forget_expired_dm_sessions(now).await?;
    // Bulk jobs whose runner stopped (its instance died) continue here.
    report.bulk_jobs_resumed = super::bulk::resume_lapsed(state).await?;
    // Pushes that failed before are tried again.
    if let Err(e) = super::push::dispatch(state).await {
        tracing::warn!(error = ?e, "working the outbox failed");
    }
    Ok(report)
}

/// The lease that makes one instance do the upkeep of a tick.
pub const LEASE: &str = "maintenance";

/// One tick: `run_once` if this instance holds (or now takes) the maintenance lease for the
/// next `interval`; None when another instance holds it. The holder renews the lease every
/// tick; another instance takes over once it lapses (the holder stopped).
pub async fn run_tick(state: &AppState, interval: Duration) -> Result<Option<MaintenanceReport>, StoreError> {
    let now = state.clock.now();
    let until = now + chrono::Duration::from_std(interval).unwrap_or(chrono::Duration::minutes(1));
    let report = if state.store.try_lease(LEASE, &state.instance, now, until).await? { Some(run_once(state).await?) } else { None };
    // On every instance, lease or not: its own dispatcher may sit idle while others fill the
    // outbox, and the gauge must not keep a stale depth.
    state.metrics.refresh_outbox_depth(state.store.as_ref(), true).await;
    Ok(report)
}

/// Run forever every `interval`, logging failures rather than dying.
pub async fn run_forever(state: AppState, interval: Duration) {
    let mut tick = tokio::time::interval(interval);
    loop {
        tick.tick().await;
        match run_tick(&state, interval).await {
            Ok(Some(r)) if r != MaintenanceReport::default() => tracing::info!(?r, "maintenance"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "maintenance failed; will retry"),
        }
        state.maintenance_ticks.fetch_add(1, std::sync::atomic::Ordering::Release);
    }
}
