//! Building audit events consistently.

use chrono::{DateTime, Utc};
use pinreset_core::{Actor, AuditKind, Cause, NewAuditEvent, RemoteAction, TenantId};

pub fn actor_label(actor: &Actor) -> String {
    format!("user:{}", actor.login)
}

/// Who caused an event (`user:…`, `device:…`, `system:…`) and, for a person's request, where it
/// came from: every step a person takes is traceable to their session and address.
pub struct By {
    label: String,
    origin: Option<String>,
}

/// A device or the system: no origin.
impl From<String> for By {
    fn from(label: String) -> Self {
        By { label, origin: None }
    }
}

impl From<&str> for By {
    fn from(label: &str) -> Self {
        By { label: label.into(), origin: None }
    }
}

/// A person acting through a door (admin center, portal, API).
pub fn by(actor: &Actor) -> By {
    By { label: actor_label(actor), origin: origin_of(actor.session_id, actor.client) }
}

/// `session=<id> client=<address>`, `client=<address>`, or `session=<id>`; `None` when neither
/// is known (a request served in-process with an API token).
pub fn origin_of(session: Option<uuid::Uuid>, client: Option<std::net::IpAddr>) -> Option<String> {
    match (session, client) {
        (Some(s), Some(c)) => Some(format!("session={s} client={c}")),
        (None, Some(c)) => Some(format!("client={c}")),
        (Some(s), None) => Some(format!("session={s}")),
        (None, None) => None,
    }
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
    by: impl Into<By>,
    kind: AuditKind,
    action: &RemoteAction,
    outcome: impl Into<String>,
    request_id: Option<String>,
) -> NewAuditEvent {
    let By { label: actor, origin } = by.into();
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
        origin,
    }
}

/// An event about one device (its command history, its enrollment).
pub fn for_device(
    at: DateTime<Utc>,
    device: &pinreset_core::Device,
    by: impl Into<By>,
    kind: AuditKind,
    action_id: Option<pinreset_core::ActionId>,
    outcome: impl Into<String>,
) -> NewAuditEvent {
    let By { label: actor, origin } = by.into();
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
        origin,
    }
}

/// An event about the tenant (consent, tokens).
pub fn for_tenant(
    at: DateTime<Utc>,
    tenant_id: TenantId,
    by: impl Into<By>,
    kind: AuditKind,
    outcome: impl Into<String>,
    request_id: Option<String>,
) -> NewAuditEvent {
    let By { label: actor, origin } = by.into();
    NewAuditEvent {
        at,
        tenant_id,
        actor,
        kind,
        device_id: None,
        action_id: None,
        action: None,
        outcome: outcome.into(),
        request_id,
        origin,
    }
}
