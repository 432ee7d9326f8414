//! Waking devices. Each channel wakes its devices its own way (`channels::Waker`: APNs for
//! Apple; Windows devices poll); a device whose channel has no waker, or that cannot be pushed,
//! is reached at its next check-in. The outbox (written with the action) is worked here, so a
//! crash between queuing and pushing loses nothing: one dispatcher per instance, woken when an
//! action is queued and by the maintenance tick, claims due entries with a lease, so two
//! dispatchers (two instances, or a request and the tick) never wake a device twice.

use super::audit;
use super::view::{Granted, ManageTenant};
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{AuditKind, Detail, DetailCode, Device, DeviceId, NewAuditEvent, Secret, TenantId};
use pinreset_store::{NewSecret, OutboxEntry, SecretKey, SecretLookup};
use std::collections::HashMap;

/// Where pushes go and which extra CA to trust (a stand-in APNs in tests).
#[derive(Clone, Debug)]
pub struct PushConfig {
    pub apns_url: String,
    pub extra_root_pem: Option<Vec<u8>>,
}

impl Default for PushConfig {
    fn default() -> Self {
        PushConfig { apns_url: "https://api.push.apple.com".into(), extra_root_pem: None }
    }
}

const UID_OID: &str = "0.9.2342.19200300.100.1.1";

/// The APNs topic of an MDM push certificate: the UID of its subject.
pub fn topic_of(cert_pem: &str) -> Option<String> {
    use rustls::pki_types::pem::PemObject;
    use x509_parser::prelude::*;
    let der = rustls::pki_types::CertificateDer::from_pem_slice(cert_pem.as_bytes()).ok()?;
    let (_, cert) = X509Certificate::from_der(&der).ok()?;
    let topic = cert.subject().iter_attributes().find(|a| a.attr_type().to_id_string() == UID_OID)?.as_str().ok()?.to_string();
    Some(topic)
}

pub(crate) async fn secret(state: &AppState, key: SecretKey) -> Result<Option<Secret>, AppError> {
    Ok(match state.store.secret(&key, state.clock.now()).await? {
        SecretLookup::Available { secret, .. } => Some(secret),
        _ => None,
    })
}

/// Store the tenant's MDM push certificate and key (sealed); returns its topic.
pub async fn set_certificate(
    g: &Granted<'_, ManageTenant>,
    cert_pem: &str,
    key_pem: &str,
    request_id: Option<String>,
) -> Result<String, AppError> {
    let (state, actor) = (g.state, g.actor);
    let topic = topic_of(cert_pem).ok_or_else(|| AppError::invalid(Detail::plain(DetailCode::ApnsCertNoTopic)))?;
    reqwest::Identity::from_pem(format!("{cert_pem}\n{key_pem}").as_bytes())
        .map_err(|_| AppError::invalid(Detail::plain(DetailCode::ApnsKeyMismatch)))?;
    let (cert, key) = (Secret::new(cert_pem), Secret::new(key_pem));
    // Certificate and key replaced together: a push never pairs one upload's key with another's.
    state
        .store
        .put_secrets(&[
            NewSecret { key: SecretKey::Tenant(actor.tenant_id, pinreset_core::TenantSecret::ApnsCert), secret: &cert, expires_at: None },
            NewSecret { key: SecretKey::Tenant(actor.tenant_id, pinreset_core::TenantSecret::ApnsKey), secret: &key, expires_at: None },
        ])
        .await?;
    let event = audit::for_tenant(
        state.clock.now(),
        actor.tenant_id,
        audit::by(actor),
        AuditKind::SettingsChanged,
        format!("apns_certificate:{topic}"),
        request_id,
    );
    state.store.append_audit(&[event]).await?;
    Ok(topic)
}

/// The tenant's topic, when it has a push certificate.
pub async fn tenant_topic(state: &AppState, tenant: TenantId) -> Result<Option<String>, AppError> {
    Ok(secret(state, SecretKey::Tenant(tenant, pinreset_core::TenantSecret::ApnsCert)).await?.and_then(|c| topic_of(c.expose())))
}

/// How queued commands reach a device, as the device view shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Reach {
    /// Woken at once: through APNs, or the Android agent's open long-poll is answered.
    Push,
    /// Only when the device next checks in on its own, and why.
    NextCheckIn { reason: String },
}

pub async fn reach(state: &AppState, device: &Device) -> Result<Reach, AppError> {
    match state.channels.waker(device.platform) {
        Some(waker) => waker.reach(state, device).await,
        None => Ok(Reach::NextCheckIn { reason: "The device checks in on its own schedule.".into() }),
    }
}

pub enum PushOutcome {
    Sent,
    /// The device cannot be pushed (no push certificate, no token, not an Apple device):
    /// it is reached at its next check-in.
    NotPushable,
    /// APNs says the token is no longer valid.
    Unregistered,
    /// A transient failure; try again later.
    Retry(String),
}

impl PushOutcome {
    /// The outcome's `pinreset_push_outcomes_total` label.
    fn metric_name(&self) -> &'static str {
        match self {
            PushOutcome::Sent => "sent",
            PushOutcome::NotPushable => "not_pushable",
            PushOutcome::Unregistered => "unregistered",
            PushOutcome::Retry(_) => "retry",
        }
    }
}

/// Wake one device through its channel.
pub async fn wake(state: &AppState, device: &Device) -> Result<PushOutcome, AppError> {
    match state.channels.waker(device.platform) {
        Some(waker) => waker.wake(state, device).await,
        None => Ok(PushOutcome::NotPushable),
    }
}

/// Wake a batch of devices, each channel's devices together (`Waker::wake_many`: APNs sends a
/// tenant's pushes concurrently over one connection). One outcome per device, in order.
pub async fn wake_all(state: &AppState, devices: Vec<Device>) -> Vec<Result<PushOutcome, AppError>> {
    let mut outcomes: Vec<Option<Result<PushOutcome, AppError>>> = devices.iter().map(|_| None).collect();
    let mut by_platform: std::collections::HashMap<pinreset_core::Platform, Vec<usize>> = Default::default();
    for (i, d) in devices.iter().enumerate() {
        by_platform.entry(d.platform).or_default().push(i);
    }
    for (platform, indices) in by_platform {
        match state.channels.waker(platform) {
            Some(waker) => {
                let group: Vec<Device> = indices.iter().map(|&i| devices[i].clone()).collect();
                for (i, outcome) in indices.into_iter().zip(waker.wake_many(state, &group).await) {
                    outcomes[i] = Some(outcome);
                }
            }
            None => indices.into_iter().for_each(|i| outcomes[i] = Some(Ok(PushOutcome::NotPushable))),
        }
    }
    outcomes.into_iter().map(|o| o.unwrap_or(Ok(PushOutcome::NotPushable))).collect()
}

/// Wake-ups are tried this many times before we give up on pushing; the device still gets its
/// commands at its next check-in, so giving up loses nothing but speed.
pub const MAX_PUSH_ATTEMPTS: u32 = 8;
/// The wait after the first failure, doubled after each further one, up to `MAX_BACKOFF`
/// (30 s, 1 min, 2 min, … 1 h: about two hours from the first failure to giving up).
pub const FIRST_BACKOFF: chrono::Duration = chrono::Duration::seconds(30);
pub const MAX_BACKOFF: chrono::Duration = chrono::Duration::hours(1);
/// Entries claimed per batch. A bulk lock of thousands of devices is worked in batches of this
/// many: their pushes go out together and the batch is settled in one write.
const BATCH: u32 = 500;
/// How long a dispatcher owns the entries it claimed: well beyond a batch of pushes (10 s
/// timeout each, sent concurrently); if the dispatcher dies, its entries are due again after this.
pub const CLAIM_LEASE: chrono::Duration = chrono::Duration::minutes(5);

/// How long to wait after the `failures`-th failed attempt (1-based).
pub fn backoff(failures: u32) -> chrono::Duration {
    let doubled = FIRST_BACKOFF * 2i32.saturating_pow(failures.saturating_sub(1).min(16));
    doubled.min(MAX_BACKOFF)
}

/// Work the outbox: push what can be pushed, mark the rest as reached at next check-in.
pub async fn dispatch(state: &AppState) -> Result<usize, AppError> {
    dispatch_batches(state, |devices| wake_all(state, devices)).await
}

/// `dispatch` with the wake-up given (tests stand in for APNs failing in every way). One
/// entry's failure — an APNs error or one of ours — never stops the others: it is counted and
/// tried again after a backoff, and given up (audited `push_failed`) after `MAX_PUSH_ATTEMPTS`.
pub async fn dispatch_with<W, F>(state: &AppState, wake: W) -> Result<usize, AppError>
where
    W: Fn(Device) -> F,
    F: std::future::Future<Output = Result<PushOutcome, AppError>>,
{
    dispatch_batches(state, |devices| futures_util::future::join_all(devices.into_iter().map(&wake))).await
}

/// Claim a batch, wake its devices together, settle it in one write; again while batches come
/// back full (a bulk action queued more than one batch).
async fn dispatch_batches<A, G>(state: &AppState, wake_all: A) -> Result<usize, AppError>
where
    A: Fn(Vec<Device>) -> G,
    G: std::future::Future<Output = Vec<Result<PushOutcome, AppError>>>,
{
    let mut sent = 0;
    loop {
        let now = state.clock.now();
        // Claimed, not just read: another dispatcher working at the same moment gets other entries.
        let entries = state.store.claim_outbox(now, now + CLAIM_LEASE, BATCH).await?;
        let full = entries.len() == BATCH as usize;
        let mut settled = Settled::default();
        let mut to_wake = Vec::new();
        // The devices of the batch, one read per tenant in it.
        let mut devices: HashMap<DeviceId, Result<Device, String>> = HashMap::new();
        let mut tenants: Vec<TenantId> = entries.iter().map(|e| e.tenant_id).collect();
        tenants.sort();
        tenants.dedup();
        for tenant in tenants {
            let ids: Vec<DeviceId> = entries.iter().filter(|e| e.tenant_id == tenant).map(|e| e.device_id).collect();
            match state.store.devices_by_ids(tenant, &ids).await {
                Ok(found) => devices.extend(found.into_iter().map(|d| (d.id, Ok(d)))),
                Err(e) => devices.extend(ids.into_iter().map(|id| (id, Err(e.to_string())))),
            }
        }
        for entry in entries {
            match devices.get(&entry.device_id).cloned().transpose() {
                Ok(Some(device)) => to_wake.push((entry, device)),
                // The device is gone: nothing to wake.
                Ok(None) => {
                    state.metrics.push("device_gone");
                    settled.done.push(entry.id);
                }
                Err(why) => {
                    state.metrics.push("retry");
                    settled.failed(state, &entry, why);
                }
            }
        }
        // The index first, then the push: a woken device asks at once, and its question is
        // answered from the index. The request that queued the action marks it too, but only
        // once its group commit returns, and this dispatcher may already have claimed the
        // committed entry (woken by another request) — the device would hear "nothing" and wait
        // for a push that never comes again.
        for (entry, _) in &to_wake {
            state.pending.mark(entry.device_id);
        }
        let outcomes = wake_all(to_wake.iter().map(|(_, d)| d.clone()).collect()).await;
        for ((entry, device), outcome) in to_wake.iter().zip(outcomes) {
            match outcome {
                Ok(outcome) => {
                    if matches!(outcome, PushOutcome::Sent) {
                        sent += 1;
                    }
                    state.metrics.push(outcome.metric_name());
                    settled.record(state, entry, device, outcome);
                }
                Err(e) => {
                    state.metrics.push("retry");
                    settled.failed(state, entry, describe(&e));
                }
            }
        }
        if let Err(e) = settled.write(state).await {
            // Recording the outcomes failed; the entries are tried again when their lease lapses.
            tracing::warn!(error = ?e, "recording wake-ups' outcomes failed");
        }
        if !full {
            break;
        }
    }
    state.metrics.refresh_outbox_depth(state.store.as_ref(), false).await;
    Ok(sent)
}

/// What went wrong on our side, for the log and the audit (store errors carry no row values).
fn describe(e: &AppError) -> String {
    match e {
        AppError::Catalogued { code, detail } => detail.as_ref().map_or_else(|| code.reason().to_string(), |d| d.english()),
        AppError::Store(e) => e.to_string(),
    }
}

fn push_event(state: &AppState, entry: &OutboxEntry, kind: AuditKind, outcome: String) -> NewAuditEvent {
    NewAuditEvent {
        at: state.clock.now(),
        tenant_id: entry.tenant_id,
        actor: "system:push".into(),
        kind,
        device_id: Some(entry.device_id),
        action_id: Some(entry.action_id),
        action: None,
        outcome,
        request_id: None,
        origin: None,
    }
}

/// A batch's outcomes, written together by `write`.
#[derive(Default)]
struct Settled {
    done: Vec<i64>,
    audit: Vec<NewAuditEvent>,
    /// Entries to try again: (id, when).
    retry: Vec<(i64, chrono::DateTime<chrono::Utc>)>,
    /// Devices whose push token APNs called dead.
    unregistered: Vec<pinreset_core::DeviceId>,
}

impl Settled {
    fn record(&mut self, state: &AppState, entry: &OutboxEntry, device: &Device, outcome: PushOutcome) {
        match outcome {
            PushOutcome::Sent => {
                self.done.push(entry.id);
                self.audit.push(push_event(state, entry, AuditKind::PushSent, "sent".into()));
            }
            PushOutcome::NotPushable => self.done.push(entry.id),
            PushOutcome::Unregistered => {
                // The token is dead: no more pushes to it until the device's next TokenUpdate.
                self.unregistered.push(device.id);
                self.done.push(entry.id);
                self.audit.push(push_event(state, entry, AuditKind::PushFailed, "unregistered".into()));
            }
            PushOutcome::Retry(why) => self.failed(state, entry, why),
        }
    }

    /// A failed attempt: back off, or give up after the last one.
    fn failed(&mut self, state: &AppState, entry: &OutboxEntry, why: String) {
        let failures = entry.attempts + 1;
        if failures >= MAX_PUSH_ATTEMPTS {
            state.metrics.push("gave_up");
            tracing::warn!(device_id = %entry.device_id, reason = %why, failures, "push given up; the device gets its commands at its next check-in");
            let outcome = format!("gave_up after {failures} attempts: {why}");
            self.done.push(entry.id);
            self.audit.push(push_event(state, entry, AuditKind::PushFailed, outcome));
            return;
        }
        let next_at = state.clock.now() + backoff(failures);
        tracing::warn!(device_id = %entry.device_id, reason = %why, failures, %next_at, "push failed; will retry");
        self.retry.push((entry.id, next_at));
    }

    /// Settle first: a failure after it (dropping a dead token, a retry time) costs at most a
    /// push to a dead token or an early retry, never a second push of the whole batch.
    async fn write(self, state: &AppState) -> Result<(), AppError> {
        state.store.outbox_settle(&self.done, &self.audit).await?;
        for device in self.unregistered {
            if let Err(e) = state.store.delete_secret(&SecretKey::Device(device, pinreset_core::DeviceSecret::PushToken)).await {
                // Kept: the next push to it is answered Unregistered again and drops it then.
                tracing::warn!(device_id = %device, error = ?e, "dropping an unregistered push token failed");
            }
        }
        for (id, next_at) in self.retry {
            // On failure the entry stays leased and is due again when the lease lapses.
            if let Err(e) = state.store.outbox_retry(id, next_at).await {
                tracing::warn!(outbox_id = id, error = ?e, "recording a push retry failed");
            }
        }
        Ok(())
    }
}

/// This instance's dispatcher: works the outbox whenever an action is queued here
/// (`AppState::outbox_queued`), one run at a time. Retries and entries other instances queued
/// are picked up by the maintenance tick.
pub async fn run_dispatcher(state: AppState) {
    loop {
        state.outbox_queued.notified().await;
        if let Err(e) = dispatch(&state).await {
            tracing::warn!(error = ?e, "push dispatch failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        let secs: Vec<i64> = (1..=MAX_PUSH_ATTEMPTS).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(secs, vec![30, 60, 120, 240, 480, 960, 1920, 3600]);
        assert_eq!(backoff(u32::MAX), MAX_BACKOFF);
    }
}
