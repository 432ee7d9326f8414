//! Audit events: append-only, one per request, transition, passcode read and settings change.
//! Payloads carry identifiers and outcomes, never a secret.

use crate::ids::{ActionId, DeviceId, TenantId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::string_enum::string_enum! {
    pub enum AuditKind {
        ActionRequested = "action_requested",
        ActionRefused = "action_refused",
        ActionTransition = "action_transition",
        PasscodeRead = "passcode_read",
        PasscodeReadRefused = "passcode_read_refused",
        PasscodePurged = "passcode_purged",
        ConsentChanged = "consent_changed",
        SettingsChanged = "settings_changed",
        EnrollmentProfileIssued = "enrollment_profile_issued",
        PushSent = "push_sent",
        PushFailed = "push_failed",
        DeviceDeferred = "device_deferred",
        CommandSent = "command_sent",
        CommandResult = "command_result",
        ProfileSaved = "profile_saved",
        ProfileAssigned = "profile_assigned",
        TokenCreated = "token_created",
        SignIn = "sign_in",
        /// An enrollment named an enrolled device without proving it is that device.
        ReenrollmentRequested = "reenrollment_requested",
        ReenrollmentApproved = "reenrollment_approved",
        ReenrollmentRejected = "reenrollment_rejected",
        /// A device enrolled again: by its current certificate or an approved request.
        DeviceReenrolled = "device_reenrolled",
        /// A portal user asked to reset a device's passcode and was sent to sign in again.
        StepUpRequested = "step_up_requested",
        /// The sign-in that followed proved it is them: the session may reset that device once.
        StepUpGranted = "step_up_granted",
        /// The step-up sign-in could not count (too old, before the request, another user).
        StepUpRefused = "step_up_refused",
        /// The user read the warning before a passcode reset and went on.
        WarningAccepted = "warning_accepted",
        /// Too many failed sign-ins came from one address: it must wait (once per episode).
        SignInThrottled = "sign_in_throttled",
        /// Too many failed sign-ins for one account: it is locked for a while (once per lockout).
        AccountLocked = "account_locked",
        /// A tenant admin ended an account's lockout early.
        AccountUnlocked = "account_unlocked",
        UserCreated = "user_created",
        /// Login, name, email, role, enabled state or password changed (never the password itself).
        UserChanged = "user_changed",
        UserDeleted = "user_deleted",
        /// A device's primary user changed (deleting its user with reassignment).
        DeviceOwnerChanged = "device_owner_changed",
        GroupCreated = "group_created",
        /// A member was added to or removed from a group.
        GroupChanged = "group_changed",
        TokenRevoked = "token_revoked",
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
    /// Where a person's request came from: `session=<id> client=<address>` (a web session's id
    /// is not a secret; its token is), or `client=<address>` for an API token. `None` for
    /// events caused by a device or the system.
    #[serde(default)]
    pub origin: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditEvent {
    /// Monotonic sequence within the store.
    pub seq: i64,
    #[serde(flatten)]
    pub event: NewAuditEvent,
}
