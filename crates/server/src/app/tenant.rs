//! Tenant administration: the PIN reset service consent and the tenant's settings.

use super::view::{Granted, ManageTenant};
use super::{audit, scope};
use crate::error::AppError;
use pinreset_core::{AuditKind, ConsentRecord, Tenant};

pub async fn set_pin_reset_consent(g: &Granted<'_, ManageTenant>, granted: bool, request_id: Option<String>) -> Result<Tenant, AppError> {
    let (state, actor) = (g.state, g.actor);
    let mut tenant = scope::tenant_of(state, actor).await?;
    tenant.settings.pin_reset_consented = granted;
    // Who and when, for Enterprise applications; a revocation leaves no stale record.
    tenant.settings.pin_reset_consent = granted.then(|| ConsentRecord { by: actor.login.clone(), at: state.clock.now() });
    let outcome = if granted { "granted" } else { "revoked" };
    let event = audit::for_tenant(state.clock.now(), tenant.id, audit::by(actor), AuditKind::ConsentChanged, outcome, request_id);
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
    settings.support_contact = settings.support_contact.trimmed();
    let mut offered = Vec::new();
    for kind in pinreset_core::ActionKind::ALL {
        if settings.self_service_actions.contains(&kind) {
            offered.push(kind);
        }
    }
    settings.self_service_actions = offered;
    settings.validate().map_err(AppError::invalid)?;
    let mut tenant = scope::tenant_of(state, actor).await?;
    settings.pin_reset_consented = tenant.settings.pin_reset_consented;
    settings.pin_reset_consent = tenant.settings.pin_reset_consent.clone();
    tenant.settings = settings;
    let event = audit::for_tenant(state.clock.now(), tenant.id, audit::by(actor), AuditKind::SettingsChanged, "updated", request_id);
    state.store.update_tenant_settings(tenant.id, &tenant.settings, &event).await?;
    Ok(tenant)
}
