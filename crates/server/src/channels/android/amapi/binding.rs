//! A tenant's binding as the backend uses it: the settings and the unsealed service-account key.

use super::google::ServiceAccountKey;
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{AndroidEnterprise, TenantId, TenantSecret};
use pinreset_store::{SecretKey, SecretLookup};

pub struct Bound {
    pub settings: AndroidEnterprise,
    pub key: ServiceAccountKey,
}

impl Bound {
    /// `{amapi}/v1/{name}`: every AMAPI resource pinreset calls is named from the enterprise down.
    pub fn amapi(&self, name: &str) -> String {
        format!("{}/v1/{name}", self.settings.amapi_url)
    }
}

pub async fn key_json(state: &AppState, tenant: TenantId) -> Result<Option<pinreset_core::Secret>, AppError> {
    Ok(match state.store.secret(&SecretKey::Tenant(tenant, TenantSecret::AmapiServiceAccountKey), state.clock.now()).await? {
        SecretLookup::Available { secret, .. } => Some(secret),
        _ => None,
    })
}

/// The tenant's binding, when it has one (and its key is there).
pub async fn load(state: &AppState, tenant: TenantId) -> Result<Option<Bound>, AppError> {
    let Some(settings) = state.store.tenant(tenant).await?.and_then(|t| t.android_enterprise) else { return Ok(None) };
    let Some(json) = key_json(state, tenant).await? else { return Ok(None) };
    let key = ServiceAccountKey::parse(json.expose())?;
    Ok(Some(Bound { settings, key }))
}
