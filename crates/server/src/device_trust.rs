//! Which device certificates the server trusts: those chained to a tenant's device CA. During a
//! TLS handshake rustls checks this itself; a certificate that arrives another way (the signer
//! of an `Mdm-Signature`, or a TLS-terminating proxy's header) is checked here against the same
//! roots, refreshed together with the TLS configuration.

use anyhow::{Context, Result};
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::danger::ClientCertVerifier;
use std::sync::{Arc, RwLock};

#[derive(Default)]
pub struct DeviceTrust(RwLock<Option<Arc<dyn ClientCertVerifier>>>);

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
        *self.0.write().expect("device trust lock") = verifier;
    }

    /// True when `cert` (DER) was issued by a tenant's device CA and is valid at `now`.
    pub fn verifies(&self, cert: &[u8], now: chrono::DateTime<chrono::Utc>) -> bool {
        let Some(verifier) = self.0.read().expect("device trust lock").clone() else { return false };
        let now = UnixTime::since_unix_epoch(std::time::Duration::from_secs(now.timestamp().max(0) as u64));
        verifier.verify_client_cert(&CertificateDer::from(cert.to_vec()), &[], now).is_ok()
    }
}
