//! Waking Apple devices: an APNs push `{"mdm": PushMagic}` over HTTP/2 with the tenant's MDM
//! push certificate as TLS client identity. One client (one HTTP/2 connection pool) per
//! certificate is kept and reused across pushes: a TLS handshake per push is slow, and Apple
//! asks providers to keep their connections open rather than reconnect for every notification.
//! A dispatch batch reads each tenant's certificate once and sends that tenant's pushes
//! concurrently, as streams of that one HTTP/2 connection (APNs allows many in flight), instead
//! of one push after another.

use crate::app::push::{secret, tenant_topic, topic_of, PushOutcome, Reach};
use crate::channels::Waker;
use crate::error::AppError;
use crate::state::AppState;
use async_trait::async_trait;
use pinreset_core::{Device, Secret, TenantId};
use pinreset_store::{SecretKey, SecretLookup};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// More distinct certificates than any server holds tenants: past it the cache starts afresh
/// (a replaced certificate's client is otherwise never used again).
const MAX_CLIENTS: usize = 256;
/// Pushes of one batch in flight at once (each is an HTTP/2 stream on the tenant's connection;
/// more wait in hyper for a free stream).
const IN_FLIGHT: usize = 128;

/// What pushing for one tenant needs: its connection and APNs topic.
struct Pusher {
    client: reqwest::Client,
    topic: String,
}

#[derive(Default)]
pub struct ApnsWaker {
    /// Keyed by the digest of the certificate and key, so a replaced certificate gets a new
    /// client and no secret is kept as a key.
    clients: Mutex<HashMap<[u8; 32], reqwest::Client>>,
}

impl ApnsWaker {
    fn client(&self, state: &AppState, cert: &Secret, key: &Secret) -> Result<reqwest::Client, AppError> {
        let digest: [u8; 32] = Sha256::new().chain_update(cert.expose()).chain_update([0]).chain_update(key.expose()).finalize().into();
        if let Some(c) = self.clients.lock().expect("apns clients").get(&digest) {
            return Ok(c.clone());
        }
        let internal = |e: &dyn std::fmt::Display| AppError::internal("APNs client", e);
        let identity = reqwest::Identity::from_pem(format!("{}\n{}", cert.expose(), key.expose()).as_bytes()).map_err(|e| internal(&e))?;
        let mut builder = reqwest::Client::builder()
            .identity(identity)
            .timeout(Duration::from_secs(10))
            // APNs speaks only HTTP/2. Saying so up front lets concurrent pushes share the one
            // connection being opened instead of each racing to open its own.
            .http2_prior_knowledge()
            .http2_adaptive_window(true);
        if let Some(pem) = &state.push.extra_root_pem {
            builder = builder.add_root_certificate(reqwest::Certificate::from_pem(pem).map_err(|e| internal(&e))?);
        }
        let client = builder.build().map_err(|e| internal(&e))?;
        let mut clients = self.clients.lock().expect("apns clients");
        if clients.len() >= MAX_CLIENTS {
            clients.clear();
        }
        // Two first pushes racing both build one; the last stored is the one reused.
        clients.insert(digest, client.clone());
        Ok(client)
    }
}

#[async_trait]
impl Waker for ApnsWaker {
    async fn reach(&self, state: &AppState, device: &Device) -> Result<Reach, AppError> {
        let later = |reason: &str| Ok(Reach::NextCheckIn { reason: reason.to_string() });
        if tenant_topic(state, device.tenant_id).await?.is_none() {
            return later("No APNs push certificate is uploaded: Apple devices get commands when they next check in.");
        }
        if secret(state, SecretKey::Device(device.id, pinreset_core::DeviceSecret::PushToken)).await?.is_none() {
            return later(
                "The device has no valid push token (none sent yet, or APNs reported it unregistered); a new TokenUpdate restores push.",
            );
        }
        Ok(Reach::Push)
    }

    async fn wake(&self, state: &AppState, device: &Device) -> Result<PushOutcome, AppError> {
        let Some(pusher) = self.pusher(state, device.tenant_id).await? else { return Ok(PushOutcome::NotPushable) };
        let credentials = push_credentials(state, std::slice::from_ref(device)).await?.pop().flatten();
        push(state, &pusher, credentials).await
    }

    async fn wake_many(&self, state: &AppState, devices: &[Device]) -> Vec<Result<PushOutcome, AppError>> {
        use futures_util::StreamExt;
        // Each tenant's certificate is read (and its client found) once per batch.
        let mut pushers: HashMap<TenantId, Result<Option<Arc<Pusher>>, String>> = HashMap::new();
        for d in devices {
            if let std::collections::hash_map::Entry::Vacant(slot) = pushers.entry(d.tenant_id) {
                slot.insert(self.pusher(state, d.tenant_id).await.map(|p| p.map(Arc::new)).map_err(|e| format!("{e:?}")));
            }
        }
        // Every device's token and magic in one read.
        let credentials = match push_credentials(state, devices).await {
            Ok(c) => c,
            Err(e) => return devices.iter().map(|_| Ok(PushOutcome::Retry(format!("{e:?}")))).collect(),
        };
        // Boxed one by one (not a closure over the slice): async_trait's Send bound cannot see
        // through a closure's higher-ranked lifetimes.
        let mut jobs: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = Result<PushOutcome, AppError>> + Send + '_>>> =
            Vec::with_capacity(devices.len());
        for (d, credentials) in devices.iter().zip(credentials) {
            let pusher = pushers[&d.tenant_id].clone();
            jobs.push(Box::pin(async move {
                match pusher {
                    Ok(Some(p)) => push(state, &p, credentials).await,
                    Ok(None) => Ok(PushOutcome::NotPushable),
                    Err(why) => Ok(PushOutcome::Retry(why)),
                }
            }));
        }
        futures_util::stream::iter(jobs).buffered(IN_FLIGHT).collect().await
    }
}

impl ApnsWaker {
    /// The tenant's push connection and topic; None without a usable push certificate.
    async fn pusher(&self, state: &AppState, tenant: TenantId) -> Result<Option<Pusher>, AppError> {
        let (Some(cert), Some(key)) = (
            secret(state, SecretKey::Tenant(tenant, pinreset_core::TenantSecret::ApnsCert)).await?,
            secret(state, SecretKey::Tenant(tenant, pinreset_core::TenantSecret::ApnsKey)).await?,
        ) else {
            return Ok(None);
        };
        let Some(topic) = topic_of(cert.expose()) else { return Ok(None) };
        Ok(Some(Pusher { client: self.client(state, &cert, &key)?, topic }))
    }
}

/// Each device's push token and PushMagic (None for a device without both), in one read.
async fn push_credentials(state: &AppState, devices: &[Device]) -> Result<Vec<Option<(Secret, Secret)>>, AppError> {
    use pinreset_core::DeviceSecret::{PushMagic, PushToken};
    let keys: Vec<SecretKey> =
        devices.iter().flat_map(|d| [SecretKey::Device(d.id, PushToken), SecretKey::Device(d.id, PushMagic)]).collect();
    let mut found = state.store.secrets(&keys, state.clock.now()).await?.into_iter().map(|lookup| match lookup {
        SecretLookup::Available { secret, .. } => Some(secret),
        _ => None,
    });
    Ok(devices.iter().map(|_| found.next().flatten().zip(found.next().flatten())).collect())
}

/// One push `{"mdm": PushMagic}` to the device's token.
async fn push(state: &AppState, pusher: &Pusher, credentials: Option<(Secret, Secret)>) -> Result<PushOutcome, AppError> {
    use base64::Engine;
    let Some((token, magic)) = credentials else { return Ok(PushOutcome::NotPushable) };
    let token = hex::encode(base64::engine::general_purpose::STANDARD.decode(token.expose()).unwrap_or_default());
    let url = format!("{}/3/device/{token}", state.push.apns_url.trim_end_matches('/'));
    let body = serde_json::json!({ "mdm": magic.expose() });
    match pusher.client.post(url).header("apns-topic", &pusher.topic).header("apns-priority", "10").json(&body).send().await {
        Ok(r) if r.status().is_success() => Ok(PushOutcome::Sent),
        Ok(r) if r.status() == reqwest::StatusCode::GONE || r.status() == reqwest::StatusCode::BAD_REQUEST => Ok(PushOutcome::Unregistered),
        Ok(r) => Ok(PushOutcome::Retry(format!("APNs answered {}", r.status()))),
        Err(e) => Ok(PushOutcome::Retry(format!("APNs unreachable: {}", e.without_url()))),
    }
}
