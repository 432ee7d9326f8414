//! Each tenant's device CA, created on first use; its key is sealed in the store like any
//! other secret and is unsealed only to sign a device's certificate.

use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{Secret, Tenant, TenantSecret};
use pinreset_pki::DeviceCa;
use pinreset_store::{NewSecret, SecretKey, SecretLookup};

const KEY: TenantSecret = TenantSecret::DeviceCaKey;
const CERT: TenantSecret = TenantSecret::DeviceCaCert;

fn to_offset(t: chrono::DateTime<chrono::Utc>) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(t.timestamp()).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

async fn read(state: &AppState, key: SecretKey) -> Result<Option<Secret>, AppError> {
    match state.store.secret(&key, state.clock.now()).await? {
        SecretLookup::Available { secret, .. } => Ok(Some(secret)),
        _ => Ok(None),
    }
}

/// The tenant's CA, generating and storing it the first time.
pub async fn load_or_create(state: &AppState, tenant: &Tenant) -> Result<DeviceCa, AppError> {
    let pki_err = |e: pinreset_pki::PkiError| AppError::internal("device CA", e);
    let key = read(state, SecretKey::Tenant(tenant.id, KEY)).await?;
    let cert = read(state, SecretKey::Tenant(tenant.id, CERT)).await?;
    if let (Some(key), Some(cert)) = (key, cert) {
        return DeviceCa::from_pem(cert.expose(), key.expose()).map_err(pki_err);
    }
    let ca = DeviceCa::generate(&tenant.display_name, to_offset(state.clock.now())).map_err(pki_err)?;
    let (key, cert) = (Secret::new(ca.key_pem()), Secret::new(ca.cert_pem()));
    // Created once, key and certificate together: concurrent first enrollments (on any
    // instance) race here, one wins, and the others use the winner's pair — never a key of one
    // CA with the certificate of another.
    let created = state
        .store
        .create_secrets(&[
            NewSecret { key: SecretKey::Tenant(tenant.id, KEY), secret: &key, expires_at: None },
            NewSecret { key: SecretKey::Tenant(tenant.id, CERT), secret: &cert, expires_at: None },
        ])
        .await?;
    if !created {
        let (Some(key), Some(cert)) =
            (read(state, SecretKey::Tenant(tenant.id, KEY)).await?, read(state, SecretKey::Tenant(tenant.id, CERT)).await?)
        else {
            return Err(AppError::internal("device CA", "created concurrently but not readable"));
        };
        return DeviceCa::from_pem(cert.expose(), key.expose()).map_err(pki_err);
    }
    state.device_roots_changed.notify_one();
    Ok(ca)
}

pub fn now_offset(state: &AppState) -> time::OffsetDateTime {
    to_offset(state.clock.now())
}

/// Every tenant's device CA certificate (DER), for TLS client-certificate verification.
pub async fn all_roots(state: &AppState) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, AppError> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = Vec::new();
    for tenant in state.store.list_tenants().await? {
        if let Some(pem) = read(state, SecretKey::Tenant(tenant.id, CERT)).await? {
            if let Ok(der) = rustls::pki_types::CertificateDer::from_pem_slice(pem.expose().as_bytes()) {
                roots.push(der);
            }
        }
    }
    Ok(roots)
}
