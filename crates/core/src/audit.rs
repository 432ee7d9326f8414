//! Audit events: append-only, one per request, transition, passcode read and settings change.
//! Payloads carry identifiers and outcomes, never a secret.

use crate::ids::{ActionId, DeviceId, TenantId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    ActionRequested,
    ActionRefused,
    ActionTransition,
    PasscodeRead,
    PasscodeReadRefused,
    PasscodePurged,
    ConsentChanged,
    TokenCreated,
    SignIn,
}

impl AuditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::ActionRequested => "action_requested",
            AuditKind::ActionRefused => "action_refused",
            AuditKind::ActionTransition => "action_transition",
            AuditKind::PasscodeRead => "passcode_read",
            AuditKind::PasscodeReadRefused => "passcode_read_refused",
            AuditKind::PasscodePurged => "passcode_purged",
            AuditKind::ConsentChanged => "consent_changed",
            AuditKind::TokenCreated => "token_created",
            AuditKind::SignIn => "sign_in",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        use AuditKind::*;
        [
            ActionRequested,
            ActionRefused,
            ActionTransition,
            PasscodeRead,
            PasscodeReadRefused,
            PasscodePurged,
            ConsentChanged,
            TokenCreated,
            SignIn,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// An event before the store gives it its id and sequence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NewAuditEvent {
    pub at: DateTime<Utc>,
    pub tenant_id: TenantId,
    /// `user:<login>`, `device:<id>` or `system:<component>`.
    pub actor: String,
    pub kind: AuditKind,
    pub device_id: Option<DeviceId>,
    pub action_id: Option<ActionId>,
    /// e.g. `reset_passcode`.
    pub action: Option<String>,
    /// e.g. `queued`, `refused:android_device_admin_unsupported`, `ok`.
    pub outcome: String,
    pub request_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditEvent {
    /// Monotonic sequence within the store.
    pub seq: i64,
    #[serde(flatten)]
    pub event: NewAuditEvent,
}
