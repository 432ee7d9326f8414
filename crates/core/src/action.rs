//! Remote actions and their one state machine:
//! requested → queued → delivered → acknowledged → succeeded | failed | expired | cancelled.
//! Every transition is recorded with its time and cause.

use crate::error::ErrorCode;
use crate::ids::{ActionId, DeviceId, TenantId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    ResetPasscode,
    RemoteLock,
    ResetDevice,
    Remove,
    Rename,
}

impl ActionKind {
    pub const ALL: [ActionKind; 5] =
        [ActionKind::ResetPasscode, ActionKind::RemoteLock, ActionKind::ResetDevice, ActionKind::Remove, ActionKind::Rename];
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::ResetPasscode => "reset_passcode",
            ActionKind::RemoteLock => "remote_lock",
            ActionKind::ResetDevice => "reset_device",
            ActionKind::Remove => "remove",
            ActionKind::Rename => "rename",
        }
    }
    /// URL segment: `reset-passcode`, `remote-lock`, ...
    pub fn slug(self) -> &'static str {
        match self {
            ActionKind::ResetPasscode => "reset-passcode",
            ActionKind::RemoteLock => "remote-lock",
            ActionKind::ResetDevice => "reset-device",
            ActionKind::Remove => "remove",
            ActionKind::Rename => "rename",
        }
    }
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == s || k.as_str() == s)
    }
    pub fn display_name(self) -> &'static str {
        match self {
            ActionKind::ResetPasscode => "Reset passcode",
            ActionKind::RemoteLock => "Remote lock",
            ActionKind::ResetDevice => "Reset device",
            ActionKind::Remove => "Remove",
            ActionKind::Rename => "Rename",
        }
    }
}

crate::string_enum::string_enum! {
    pub enum ActionState {
        Requested = "requested",
        Queued = "queued",
        Delivered = "delivered",
        Acknowledged = "acknowledged",
        Succeeded = "succeeded",
        Failed = "failed",
        Expired = "expired",
        Cancelled = "cancelled",
    }
}

impl ActionState {
    /// Still waiting for the device (a second request returns this action).
    pub fn is_pending(self) -> bool {
        matches!(self, ActionState::Requested | ActionState::Queued | ActionState::Delivered | ActionState::Acknowledged)
    }
    pub fn is_terminal(self) -> bool {
        !self.is_pending()
    }

    /// The allowed edges of the state machine. Re-delivery after a lost session is not a
    /// transition: the action stays `delivered` and is handed out again.
    pub fn can_move_to(self, to: ActionState) -> bool {
        use ActionState::*;
        matches!(
            (self, to),
            (Requested, Queued | Failed | Cancelled | Expired)
                | (Queued, Delivered | Failed | Cancelled | Expired)
                | (Delivered, Acknowledged | Succeeded | Failed | Expired)
                | (Acknowledged, Succeeded | Failed | Expired)
        )
    }
}

/// What or who caused a transition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cause {
    User {
        user_id: UserId,
    },
    Device {
        device_id: DeviceId,
    },
    /// A background worker or the server itself, e.g. `expiry-worker`.
    System {
        component: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Transition {
    pub from: Option<ActionState>,
    pub to: ActionState,
    pub at: DateTime<Utc>,
    pub cause: Cause,
    /// Short human note (never a secret), e.g. the device status code.
    pub note: Option<String>,
}

/// Action-specific input, e.g. the new name for `rename`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActionParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// iOS lock screen message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// iOS lock screen phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

/// What a succeeded action produced, for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActionResult {
    /// A temporary passcode (sealed in the store) is readable until `expires_at`.
    TemporaryPasscode {
        expires_at: DateTime<Utc>,
    },
    /// iOS: the passcode was removed; the user sets a new one.
    PasscodeRemoved,
    /// A PIN (macOS lock / erase) is readable until `expires_at`.
    LockPin {
        expires_at: DateTime<Utc>,
    },
    Done,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Failure {
    pub code: ErrorCode,
    /// What the device or the server reported, e.g. "SyncML status 405".
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RemoteAction {
    pub id: ActionId,
    pub tenant_id: TenantId,
    pub device_id: DeviceId,
    pub kind: ActionKind,
    pub state: ActionState,
    pub params: ActionParams,
    pub requested_by: Cause,
    pub requested_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When a still-pending action expires.
    pub expires_at: DateTime<Utc>,
    pub result: Option<ActionResult>,
    pub failure: Option<Failure>,
    pub history: Vec<Transition>,
    /// How often the device answered "not now" (Apple NotNow: busy or locked); it is asked
    /// again on its next check-in.
    #[serde(default)]
    pub deferrals: u32,
    /// How the capability matrix said this action is carried out on this device when it was
    /// requested (None for actions stored before it was recorded). The channel encodes that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<crate::capability::SupportKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an action cannot move from {from} to {to}")]
pub struct IllegalTransition {
    pub from: &'static str,
    pub to: &'static str,
}

impl RemoteAction {
    /// A new action in `requested`, expiring after `lifetime`.
    #[allow(clippy::too_many_arguments)] // each is a distinct fact of the request
    pub fn request(
        id: ActionId,
        tenant_id: TenantId,
        device_id: DeviceId,
        kind: ActionKind,
        params: ActionParams,
        requested_by: Cause,
        now: DateTime<Utc>,
        lifetime: chrono::Duration,
    ) -> Self {
        Self {
            id,
            tenant_id,
            device_id,
            kind,
            state: ActionState::Requested,
            params,
            requested_by: requested_by.clone(),
            requested_at: now,
            updated_at: now,
            expires_at: now + lifetime,
            result: None,
            failure: None,
            history: vec![Transition { from: None, to: ActionState::Requested, at: now, cause: requested_by, note: None }],
            deferrals: 0,
            support: None,
        }
    }

    /// Apply one edge of the state machine; refuses edges that do not exist so a late or
    /// duplicated device answer cannot resurrect a finished action.
    pub fn transition(
        &mut self,
        to: ActionState,
        cause: Cause,
        now: DateTime<Utc>,
        note: Option<String>,
    ) -> Result<&Transition, IllegalTransition> {
        if !self.state.can_move_to(to) {
            return Err(IllegalTransition { from: self.state.as_str(), to: to.as_str() });
        }
        self.history.push(Transition { from: Some(self.state), to, at: now, cause, note });
        self.state = to;
        self.updated_at = now;
        Ok(self.history.last().expect("just pushed"))
    }

    pub fn succeed(&mut self, result: ActionResult, cause: Cause, now: DateTime<Utc>) -> Result<(), IllegalTransition> {
        self.transition(ActionState::Succeeded, cause, now, None)?;
        self.result = Some(result);
        Ok(())
    }

    pub fn fail(&mut self, code: ErrorCode, detail: Option<String>, cause: Cause, now: DateTime<Utc>) -> Result<(), IllegalTransition> {
        self.transition(ActionState::Failed, cause, now, Some(code.code().to_string()))?;
        self.failure = Some(Failure { code, detail });
        Ok(())
    }

    /// Pending and past its lifetime.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.state.is_pending() && now >= self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(now: DateTime<Utc>) -> RemoteAction {
        RemoteAction::request(
            ActionId::new(),
            TenantId::new(),
            DeviceId::new(),
            ActionKind::ResetPasscode,
            ActionParams::default(),
            Cause::User { user_id: UserId::new() },
            now,
            chrono::Duration::days(7),
        )
    }

    #[test]
    fn happy_path_records_every_transition_with_time_and_cause() {
        let t0 = Utc::now();
        let mut a = action(t0);
        let sys = Cause::System { component: "test".into() };
        let dev = Cause::Device { device_id: a.device_id };
        a.transition(ActionState::Queued, sys.clone(), t0, None).unwrap();
        a.transition(ActionState::Delivered, dev.clone(), t0 + chrono::Duration::seconds(5), None).unwrap();
        a.transition(ActionState::Acknowledged, dev.clone(), t0 + chrono::Duration::seconds(6), None).unwrap();
        a.succeed(ActionResult::PasscodeRemoved, dev, t0 + chrono::Duration::seconds(7)).unwrap();
        let states: Vec<_> = a.history.iter().map(|t| t.to).collect();
        assert_eq!(
            states,
            [ActionState::Requested, ActionState::Queued, ActionState::Delivered, ActionState::Acknowledged, ActionState::Succeeded]
        );
        assert_eq!(a.updated_at, t0 + chrono::Duration::seconds(7));
    }

    #[test]
    fn finished_actions_cannot_move_again() {
        let t0 = Utc::now();
        let mut a = action(t0);
        let sys = Cause::System { component: "test".into() };
        a.transition(ActionState::Cancelled, sys.clone(), t0, None).unwrap();
        let err = a.transition(ActionState::Succeeded, sys, t0, None).unwrap_err();
        assert_eq!(err.from, "cancelled");
        assert_eq!(a.state, ActionState::Cancelled);
        assert_eq!(a.history.len(), 2);
    }

    #[test]
    fn skipping_delivery_is_refused() {
        let t0 = Utc::now();
        let mut a = action(t0);
        assert!(a.transition(ActionState::Acknowledged, Cause::System { component: "t".into() }, t0, None).is_err());
    }

    #[test]
    fn overdue_only_while_pending_and_past_lifetime() {
        let t0 = Utc::now();
        let a = action(t0);
        assert!(!a.is_overdue(t0 + chrono::Duration::days(6)));
        assert!(a.is_overdue(t0 + chrono::Duration::days(7)));
    }
}
