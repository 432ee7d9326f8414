//! Tenant administration: the PIN reset service consent.

use super::view::{Granted, ManageTenant};
use super::{audit, scope};
use crate::error::AppError;
use pinreset_core::{AuditKind, Tenant};

pub async fn set_pin_reset_consent(g: &Granted<'_, ManageTenant>, granted: bool, request_id: Option<String>) -> Result<Tenant, AppError> {
    let (state, actor) = (g.state, g.actor);
    let mut tenant = scope::tenant_of(state, actor).await?;
    tenant.settings.pin_reset_consented = granted;
    let outcome = if granted { "granted" } else { "revoked" };
    let event = audit::for_tenant(state.clock.now(), tenant.id, audit::actor_label(actor), AuditKind::ConsentChanged, outcome, request_id);
    state.store.update_tenant_settings(tenant.id, &tenant.settings, &event).await?;
    Ok(tenant)
}

/// Replace the tenant's settings (validated). Consent keeps its own, separately audited door.
pub async fn update_settings(
    g: &Granted<'_, ManageTenant>,
    mut settings: pinreset_core::TenantSettings,
    request_id: Option<String>,
) -> Result<Tenant, AppError> {
    let (state, actor) = (g.state, g.actor);
    settings.validate().map_err(AppError::invalid)?;
    let mut tenant = scope::tenant_of(state, actor).await?;
    settings.pin_reset_consented = tenant.settings.pin_reset_consented;
    tenant.settings = settings;
    let event =
        audit::for_tenant(state.clock.now(), tenant.id, audit::actor_label(actor), AuditKind::SettingsChanged, "updated", request_id);
    state.store.update_tenant_settings(tenant.id, &tenant.settings, &event).await?;
    Ok(tenant)
}
