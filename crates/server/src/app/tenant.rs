//! Tenant administration: the PIN reset service consent.

use super::{audit, scope};
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{Actor, AuditKind, Permission, Tenant};

pub async fn set_pin_reset_consent(state: &AppState, actor: &Actor, granted: bool, request_id: Option<String>) -> Result<Tenant, AppError> {
    super::authz::require(actor, Permission::ManageTenant)?;
    let mut tenant = scope::tenant_of(state, actor).await?;
    tenant.settings.pin_reset_consented = granted;
    let outcome = if granted { "granted" } else { "revoked" };
    let event = audit::for_tenant(state.clock.now(), tenant.id, audit::actor_label(actor), AuditKind::ConsentChanged, outcome, request_id);
    state.store.update_tenant_settings(tenant.id, &tenant.settings, &event).await?;
    Ok(tenant)
}

/// Replace the tenant's settings (validated). Consent keeps its own, separately audited door.
pub async fn update_settings(
    state: &AppState,
    actor: &Actor,
    mut settings: pinreset_core::TenantSettings,
    request_id: Option<String>,
) -> Result<Tenant, AppError> {
    super::authz::require(actor, Permission::ManageTenant)?;
    settings.validate().map_err(AppError::invalid)?;
    let mut tenant = scope::tenant_of(state, actor).await?;
    settings.pin_reset_consented = tenant.settings.pin_reset_consented;
    tenant.settings = settings;
    let event =
        audit::for_tenant(state.clock.now(), tenant.id, audit::actor_label(actor), AuditKind::SettingsChanged, "updated", request_id);
    state.store.update_tenant_settings(tenant.id, &tenant.settings, &event).await?;
    Ok(tenant)
}
