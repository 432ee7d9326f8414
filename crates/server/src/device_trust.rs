//! Which device certificates the server trusts: those chained to a tenant's device CA. During a
//! TLS handshake rustls checks this itself; a certificate that arrives another way (the signer
//! of an `Mdm-Signature`, or a TLS-terminating proxy's header) is checked here against the same
//! roots, refreshed together with the TLS configuration.

use anyhow::{Context, Result};
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::danger::ClientCertVerifier;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long a certificate found trusted is taken as trusted without building its chain again
/// (a signing device presents the same certificate on every request).
const REMEMBER: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct DeviceTrust {
    verifier: RwLock<Option<Arc<dyn ClientCertVerifier>>>,
    /// SHA-256 of certificates recently found trusted → when.
    trusted: Mutex<HashMap<[u8; 32], Instant>>,
    /// When an unknown issuer last had the roots read again (the sync path, which only asks).
    reloaded: Mutex<Option<Instant>>,
    /// The same for `connection_certificate_fresh`, held while it reads: a request arriving
    /// meanwhile waits for that read instead of being refused.
    fresh: tokio::sync::Mutex<Option<Instant>>,
}

/// A verifier for client certificates chained to `roots` (none when there are no roots yet).
/// Certificates are optional at the TLS layer: browsers and the CLI connect without one.
pub fn client_verifier(roots: &[CertificateDer<'static>]) -> Result<Option<Arc<dyn ClientCertVerifier>>> {
    if roots.is_empty() {
        return Ok(None);
    }
    let mut store = rustls::RootCertStore::empty();
    for r in roots {
        store.add(r.clone()).context("a tenant's device CA certificate is not usable as a trust anchor")?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(store), provider)
        .allow_unauthenticated()
        .build()
        .context("building the device certificate verifier")?;
    Ok(Some(verifier))
}

impl DeviceTrust {
    pub fn set(&self, verifier: Option<Arc<dyn ClientCertVerifier>>) {
        *self.verifier.write().expect("device trust lock") = verifier;
        self.trusted.lock().expect("device trust lock").clear();
    }

    /// True at most once a second: whether a certificate of an unknown issuer may have the
    /// roots read again from the store.
    pub fn may_reload(&self) -> bool {
        let mut last = self.reloaded.lock().expect("device trust lock");
        if last.is_some_and(|at| at.elapsed() < Duration::from_secs(1)) {
            return false;
        }
        *last = Some(Instant::now());
        true
    }

    /// True when `cert` (DER) was issued by a tenant's device CA and is valid at `now`.
    pub fn verifies(&self, cert: &[u8], now: chrono::DateTime<chrono::Utc>) -> bool {
        let digest: [u8; 32] = Sha256::digest(cert).into();
        if self.trusted.lock().expect("device trust lock").get(&digest).is_some_and(|at| at.elapsed() < REMEMBER) {
            return true;
        }
        let Some(verifier) = self.verifier.read().expect("device trust lock").clone() else { return false };
        let unix = UnixTime::since_unix_epoch(Duration::from_secs(now.timestamp().max(0) as u64));
        let ok = verifier.verify_client_cert(&CertificateDer::from(cert.to_vec()), &[], unix).is_ok();
        if ok {
            let mut trusted = self.trusted.lock().expect("device trust lock");
            if trusted.len() > 100_000 {
                trusted.retain(|_, at| at.elapsed() < REMEMBER);
            }
            trusted.insert(digest, Instant::now());
        }
        ok
    }
}

/// The device certificate a request presents by its connection: the TLS client certificate, or,
/// behind a TLS-terminating proxy and only when configured, the proxy's header (which must chain
/// to a device CA like a TLS one). `Err` is a header present but not holding up, with the text
/// to refuse it with.
pub fn connection_certificate(
    state: &crate::state::AppState,
    tls: Option<&[u8]>,
    headers: &axum::http::HeaderMap,
) -> Result<Option<Vec<u8>>, (axum::http::StatusCode, &'static str)> {
    let checked = checked_certificate(state, tls, headers);
    if matches!(checked, Err((axum::http::StatusCode::FORBIDDEN, _))) && state.device_trust.may_reload() {
        // Perhaps a tenant's CA another instance just created: have the roots read again (the
        // next request finds them; `connection_certificate_fresh` waits for them).
        state.device_roots_changed.notify_one();
    }
    checked
}

fn checked_certificate(
    state: &crate::state::AppState,
    tls: Option<&[u8]>,
    headers: &axum::http::HeaderMap,
) -> Result<Option<Vec<u8>>, (axum::http::StatusCode, &'static str)> {
    use axum::http::StatusCode;
    if let Some(cert) = tls {
        return Ok(Some(cert.to_vec()));
    }
    let Some(name) = state.client_cert_header.as_deref() else { return Ok(None) };
    let Some(value) = headers.get(name) else { return Ok(None) };
    let cert = value
        .to_str()
        .ok()
        .and_then(proxied_certificate)
        .ok_or((StatusCode::BAD_REQUEST, "The proxy's client-certificate header holds no certificate."))?;
    if !state.device_trust.verifies(&cert, state.clock.now()) {
        return Err((StatusCode::FORBIDDEN, "The proxied client certificate was not issued by this server."));
    }
    Ok(Some(cert))
}

/// `connection_certificate`, but a proxied certificate this instance does not trust yet is
/// checked again against the device CAs read from the store now (at most once a second, so
/// certificates of no CA cannot make every request a read): a device of a tenant whose CA was
/// created on another instance moments ago is not refused.
pub async fn connection_certificate_fresh(
    state: &crate::state::AppState,
    tls: Option<&[u8]>,
    headers: &axum::http::HeaderMap,
) -> Result<Option<Vec<u8>>, (axum::http::StatusCode, &'static str)> {
    let forbidden = |r: &Result<_, (axum::http::StatusCode, _)>| matches!(r, Err((axum::http::StatusCode::FORBIDDEN, _)));
    let first = checked_certificate(state, tls, headers);
    if !forbidden(&first) {
        return first;
    }
    let mut last = state.device_trust.fresh.lock().await;
    // A read that finished while this request waited may have brought the CA.
    let again = checked_certificate(state, tls, headers);
    if !forbidden(&again) || last.is_some_and(|at| at.elapsed() < Duration::from_secs(1)) {
        return again;
    }
    *last = Some(Instant::now());
    if reload(state).await.is_err() {
        return again;
    }
    // The TLS listener's roots too.
    state.device_roots_changed.notify_one();
    checked_certificate(state, tls, headers)
}

/// Read every tenant's device CA from the store into this instance's header verifier.
async fn reload(state: &crate::state::AppState) -> Result<()> {
    let roots = crate::app::device_ca::all_roots(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    state.device_trust.set(client_verifier(&roots)?);
    Ok(())
}

/// A certificate as proxies pass it: URL-escaped PEM (nginx `$ssl_client_escaped_cert`), PEM
/// with its newlines folded into spaces, or bare base64 DER.
fn proxied_certificate(value: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let unescaped = percent_encoding::percent_decode_str(value).decode_utf8().ok()?;
    let body = unescaped.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "");
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok().filter(|d| !d.is_empty())
}
