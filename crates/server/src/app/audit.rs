//! Building audit events consistently.

use chrono::{DateTime, Utc};
use pinreset_core::{Actor, AuditKind, Cause, NewAuditEvent, RemoteAction, TenantId};

pub fn actor_label(actor: &Actor) -> String {
    format!("user:{}", actor.login)
}

pub fn cause_label(cause: &Cause) -> String {
    match cause {
        Cause::User { user_id } => format!("user-id:{user_id}"),
        Cause::Device { device_id } => format!("device:{device_id}"),
        Cause::System { component } => format!("system:{component}"),
    }
}

/// An event about one action.
pub fn for_action(
    at: DateTime<Utc>,
    actor: String,
    kind: AuditKind,
    action: &RemoteAction,
    outcome: impl Into<String>,
    request_id: Option<String>,
) -> NewAuditEvent {
    NewAuditEvent {
        at,
        tenant_id: action.tenant_id,
        actor,
        kind,
        device_id: Some(action.device_id),
        action_id: Some(action.id),
        action: Some(action.kind.as_str().to_string()),
        outcome: outcome.into(),
        request_id,
    }
}

/// An event about one device (its command history, its enrollment).
pub fn for_device(
    at: DateTime<Utc>,
    device: &pinreset_core::Device,
    actor: String,
    kind: AuditKind,
    action_id: Option<pinreset_core::ActionId>,
    outcome: impl Into<String>,
) -> NewAuditEvent {
    NewAuditEvent {
        at,
        tenant_id: device.tenant_id,
        actor,
        kind,
        device_id: Some(device.id),
        action_id,
        action: None,
        outcome: outcome.into(),
        request_id: None,
    }
}

/// An event about the tenant (consent, tokens).
pub fn for_tenant(
    at: DateTime<Utc>,
    tenant_id: TenantId,
    actor: String,
    kind: AuditKind,
    outcome: impl Into<String>,
    request_id: Option<String>,
) -> NewAuditEvent {
    NewAuditEvent { at, tenant_id, actor, kind, device_id: None, action_id: None, action: None, outcome: outcome.into(), request_id }
}
