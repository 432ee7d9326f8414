//! Who is asking. Roles decide which remote actions an actor may request; the capability
//! matrix consults them so that a refusal carries the same reason in every door.

use crate::action::ActionKind;
use crate::ids::{TenantId, UserId};
use serde::{Deserialize, Serialize};

crate::string_enum::string_enum! {
    pub enum Role {
        /// Everything in the tenant.
        TenantAdmin = "tenant_admin",
        /// Reset passcodes, lock and rename; no wipe, no retire.
        HelpDesk = "help_desk",
        /// Sees devices, actions and audit; changes nothing.
        ReadOnly = "read_only",
        /// Only their own personal devices, through the self-service portal.
        EndUser = "end_user",
    }
}

impl Role {
    /// May this role request the action at all (before looking at the device)?
    pub fn may_request(self, kind: ActionKind) -> bool {
        use ActionKind::*;
        match self {
            Role::TenantAdmin | Role::EndUser => true,
            Role::HelpDesk => matches!(kind, ResetPasscode | RemoteLock | Rename),
            Role::ReadOnly => false,
        }
    }

    /// May this role read a temporary passcode (or a lock PIN) of a device in its scope?
    pub fn may_read_passcode(self) -> bool {
        matches!(self, Role::TenantAdmin | Role::HelpDesk | Role::EndUser)
    }

    /// Sees every device of the tenant (as opposed to only the ones the user owns).
    pub fn sees_whole_tenant(self) -> bool {
        !matches!(self, Role::EndUser)
    }
}

/// An authenticated principal acting in one tenant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub role: Role,
    /// Login, for audit readability.
    pub login: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_desk_may_reset_and_lock_but_not_wipe_or_retire() {
        assert!(Role::HelpDesk.may_request(ActionKind::ResetPasscode));
        assert!(Role::HelpDesk.may_request(ActionKind::RemoteLock));
        assert!(!Role::HelpDesk.may_request(ActionKind::ResetDevice));
        assert!(!Role::HelpDesk.may_request(ActionKind::Remove));
        assert!(!Role::ReadOnly.may_request(ActionKind::ResetPasscode));
        assert!(!Role::ReadOnly.may_read_passcode());
    }
}
