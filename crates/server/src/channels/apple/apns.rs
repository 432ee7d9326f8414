//! Waking Apple devices: an APNs push `{"mdm": PushMagic}` over HTTP/2 with the tenant's MDM
//! push certificate as TLS client identity. One client (one HTTP/2 connection pool) per
//! certificate is kept and reused across pushes: a TLS handshake per push is slow, and Apple
//! asks providers to keep their connections open rather than reconnect for every notification.

use crate::app::push::{secret, tenant_topic, topic_of, PushOutcome, Reach};
use crate::channels::Waker;
use crate::error::AppError;
use crate::state::AppState;
use async_trait::async_trait;
use pinreset_core::{Device, Secret};
use pinreset_store::SecretKey;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// More distinct certificates than any server holds tenants: past it the cache starts afresh
/// (a replaced certificate's client is otherwise never used again).
const MAX_CLIENTS: usize = 256;

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
        let mut builder = reqwest::Client::builder().identity(identity).timeout(Duration::from_secs(10)).http2_adaptive_window(true);
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
        use base64::Engine;
        let (Some(cert), Some(key)) = (
            secret(state, SecretKey::Tenant(device.tenant_id, pinreset_core::TenantSecret::ApnsCert)).await?,
            secret(state, SecretKey::Tenant(device.tenant_id, pinreset_core::TenantSecret::ApnsKey)).await?,
        ) else {
            return Ok(PushOutcome::NotPushable);
        };
        let (Some(token), Some(magic)) = (
            secret(state, SecretKey::Device(device.id, pinreset_core::DeviceSecret::PushToken)).await?,
            secret(state, SecretKey::Device(device.id, pinreset_core::DeviceSecret::PushMagic)).await?,
        ) else {
            return Ok(PushOutcome::NotPushable);
        };
        let Some(topic) = topic_of(cert.expose()) else { return Ok(PushOutcome::NotPushable) };
        let token = hex::encode(base64::engine::general_purpose::STANDARD.decode(token.expose()).unwrap_or_default());
        let client = self.client(state, &cert, &key)?;
        let url = format!("{}/3/device/{token}", state.push.apns_url.trim_end_matches('/'));
        let body = serde_json::json!({ "mdm": magic.expose() });
        match client.post(url).header("apns-topic", topic).header("apns-priority", "10").json(&body).send().await {
            Ok(r) if r.status().is_success() => Ok(PushOutcome::Sent),
            Ok(r) if r.status() == reqwest::StatusCode::GONE || r.status() == reqwest::StatusCode::BAD_REQUEST => {
                Ok(PushOutcome::Unregistered)
            }
            Ok(r) => Ok(PushOutcome::Retry(format!("APNs answered {}", r.status()))),
            Err(e) => Ok(PushOutcome::Retry(format!("APNs unreachable: {}", e.without_url()))),
        }
    }
}
