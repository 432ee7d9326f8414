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
use pinreset_core::{AuditKind, Detail, DetailCode, Device, NewAuditEvent, Secret, TenantId};
use pinreset_store::{NewSecret, OutboxEntry, SecretKey, SecretLookup};

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

/// Wake-ups are tried this many times before we give up on pushing; the device still gets its
/// commands at its next check-in, so giving up loses nothing but speed.
pub const MAX_PUSH_ATTEMPTS: u32 = 8;
/// The wait after the first failure, doubled after each further one, up to `MAX_BACKOFF`
/// (30 s, 1 min, 2 min, … 1 h: about two hours from the first failure to giving up).
pub const FIRST_BACKOFF: chrono::Duration = chrono::Duration::seconds(30);
pub const MAX_BACKOFF: chrono::Duration = chrono::Duration::hours(1);
/// Entries worked per dispatch.
const BATCH: u32 = 100;
/// How long a dispatcher owns the entries it claimed: well beyond a batch of pushes (10 s
/// timeout each, in sequence, is the worst case for one slow entry); if the dispatcher dies,
/// its entries are due again after this.
pub const CLAIM_LEASE: chrono::Duration = chrono::Duration::minutes(5);

/// How long to wait after the `failures`-th failed attempt (1-based).
pub fn backoff(failures: u32) -> chrono::Duration {
    let doubled = FIRST_BACKOFF * 2i32.saturating_pow(failures.saturating_sub(1).min(16));
    doubled.min(MAX_BACKOFF)
}

/// Work the outbox: push what can be pushed, mark the rest as reached at next check-in.
pub async fn dispatch(state: &AppState) -> Result<usize, AppError> {
    dispatch_with(state, |device| async move { wake(state, &device).await }).await
}

/// `dispatch` with the wake-up given (tests stand in for APNs failing in every way). One
/// entry's failure — an APNs error or one of ours — never stops the others: it is counted and
/// tried again after a backoff, and given up (audited `push_failed`) after `MAX_PUSH_ATTEMPTS`.
pub async fn dispatch_with<W, F>(state: &AppState, wake: W) -> Result<usize, AppError>
where
    W: Fn(Device) -> F,
    F: std::future::Future<Output = Result<PushOutcome, AppError>>,
{
    let mut sent = 0;
    let now = state.clock.now();
    // Claimed, not just read: another dispatcher working at the same moment gets other entries.
    for entry in state.store.claim_outbox(now, now + CLAIM_LEASE, BATCH).await? {
        let result = match state.store.device(entry.tenant_id, entry.device_id).await {
            Ok(Some(device)) => wake(device.clone()).await.map(|outcome| Some((device, outcome))),
            Ok(None) => Ok(None),
            Err(e) => Err(e.into()),
        };
        let done = match result {
            // The device is gone: nothing to wake.
            Ok(None) => {
                state.metrics.push("device_gone");
                finish(state, &entry, None).await
            }
            Ok(Some((device, outcome))) => {
                if matches!(outcome, PushOutcome::Sent) {
                    sent += 1;
                }
                state.metrics.push(outcome.metric_name());
                settle(state, &entry, &device, outcome).await
            }
            Err(e) => {
                state.metrics.push("retry");
                failed(state, &entry, describe(&e)).await
            }
        };
        if let Err(e) = done {
            // Recording the outcome failed; the entry is tried again when its lease lapses.
            tracing::warn!(outbox_id = entry.id, error = ?e, "recording a wake-up's outcome failed");
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

async fn finish(state: &AppState, entry: &OutboxEntry, event: Option<NewAuditEvent>) -> Result<(), AppError> {
    if let Some(event) = event {
        state.store.append_audit(&[event]).await?;
    }
    Ok(state.store.outbox_done(entry.id).await?)
}

async fn settle(state: &AppState, entry: &OutboxEntry, device: &Device, outcome: PushOutcome) -> Result<(), AppError> {
    match outcome {
        PushOutcome::Sent => finish(state, entry, Some(push_event(state, entry, AuditKind::PushSent, "sent".into()))).await,
        PushOutcome::NotPushable => finish(state, entry, None).await,
        PushOutcome::Unregistered => {
            // The token is dead: no more pushes to it until the device's next TokenUpdate.
            state.store.delete_secret(&SecretKey::Device(device.id, pinreset_core::DeviceSecret::PushToken)).await?;
            finish(state, entry, Some(push_event(state, entry, AuditKind::PushFailed, "unregistered".into()))).await
        }
        PushOutcome::Retry(why) => failed(state, entry, why).await,
    }
}

/// A failed attempt: back off, or give up after the last one.
async fn failed(state: &AppState, entry: &OutboxEntry, why: String) -> Result<(), AppError> {
    let failures = entry.attempts + 1;
    if failures >= MAX_PUSH_ATTEMPTS {
        state.metrics.push("gave_up");
        tracing::warn!(device_id = %entry.device_id, reason = %why, failures, "push given up; the device gets its commands at its next check-in");
        let outcome = format!("gave_up after {failures} attempts: {why}");
        return finish(state, entry, Some(push_event(state, entry, AuditKind::PushFailed, outcome))).await;
    }
    let next_at = state.clock.now() + backoff(failures);
    tracing::warn!(device_id = %entry.device_id, reason = %why, failures, %next_at, "push failed; will retry");
    Ok(state.store.outbox_retry(entry.id, next_at).await?)
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
