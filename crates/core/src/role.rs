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

crate::string_enum::string_enum! {
    /// Everything a principal can be allowed to do outside device actions (those are
    /// `Role::may_request`). `Role::allows` is the one place that says which role may what.
    pub enum Permission {
        /// The tenant record, its settings and consent state.
        ReadTenant = "read_tenant",
        /// Settings, PIN reset consent, APNs push certificate, single sign-on.
        ManageTenant = "manage_tenant",
        /// Every device of the tenant (end users see only their own, through ownership).
        ReadAllDevices = "read_all_devices",
        ReadAudit = "read_audit",
        ReadProfiles = "read_profiles",
        /// Create, change and assign configuration profiles.
        ManageProfiles = "manage_profiles",
        /// Download users' enrollment profiles (they hold device identities).
        IssueEnrollmentProfiles = "issue_enrollment_profiles",
        ReadReenrollments = "read_reenrollments",
        DecideReenrollments = "decide_reenrollments",
        ReadUsers = "read_users",
        /// Create, change, disable and delete users and groups; issue and revoke API tokens.
        ManageUsers = "manage_users",
        ReadSignInLockouts = "read_sign_in_lockouts",
        UnlockAccounts = "unlock_accounts",
    }
}

impl Role {
    /// May this role do that? The single definition every door and view consults.
    pub fn allows(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::TenantAdmin => true,
            Role::HelpDesk | Role::ReadOnly => {
                matches!(p, ReadTenant | ReadAllDevices | ReadAudit | ReadProfiles | ReadReenrollments | ReadUsers | ReadSignInLockouts)
            }
            Role::EndUser => matches!(p, ReadTenant),
        }
    }

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
        self.allows(Permission::ReadAllDevices)
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
    /// When the principal last proved who they are (a web session's sign-in); `None` for an
    /// API token, which never counts as a fresh sign-in.
    #[serde(default)]
    pub authenticated_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The web session acting (`None` for an API token): a step-up grant is bound to it.
    #[serde(default)]
    pub session_id: Option<uuid::Uuid>,
    /// The address the request came from, for the audit trail (`None` when served in-process).
    #[serde(default)]
    pub client: Option<std::net::IpAddr>,
}

impl Role {
    /// Does this role need a fresh sign-in (the step-up rule, `session::require_fresh_authentication`)
    /// for this action? An end user resetting their device's passcode hands the device to
    /// whoever holds it: they must have proved who they are moments before.
    pub fn needs_fresh_authentication(self, kind: ActionKind) -> bool {
        self == Role::EndUser && kind == ActionKind::ResetPasscode
    }

    /// Reading a passcode needs a fresh sign-in for end users (the portal).
    pub fn needs_fresh_authentication_to_read_passcodes(self) -> bool {
        self == Role::EndUser
    }
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

    #[test]
    fn only_tenant_admins_change_the_tenant_and_end_users_read_only_their_own() {
        for p in Permission::ALL {
            assert!(Role::TenantAdmin.allows(*p));
        }
        for role in [Role::HelpDesk, Role::ReadOnly] {
            assert!(role.allows(Permission::ReadProfiles) && !role.allows(Permission::ManageProfiles));
            assert!(!role.allows(Permission::ManageTenant) && !role.allows(Permission::DecideReenrollments));
        }
        assert!(!Role::EndUser.allows(Permission::ReadProfiles), "an end user does not read the tenant's profiles");
        assert!(!Role::EndUser.sees_whole_tenant());
    }
}
