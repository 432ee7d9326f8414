//! The message key of each value the pages show from the engine's enums (platforms,
//! ownership, management modes, action kinds and states), so tables are translated too. The
//! key test checks every key `all_keys()` lists exists in every language.

use pinreset_core::device::{JoinType, ManagementMode, Ownership, Platform};
use pinreset_core::{ActionKind, ActionState, AuditKind, Role};

pub fn platform(p: Platform) -> String {
    format!("platform-{}", p.as_str())
}

pub fn ownership(o: Ownership) -> &'static str {
    match o {
        Ownership::Corporate => "ownership-corporate",
        Ownership::Personal => "ownership-personal",
    }
}

pub fn management_mode(m: ManagementMode) -> &'static str {
    match m {
        ManagementMode::Mdm => "mode-mdm",
        ManagementMode::UserEnrollment => "mode-user_enrollment",
        ManagementMode::SharedIpad => "mode-shared_ipad",
        ManagementMode::DeviceAdmin => "mode-device_admin",
        ManagementMode::DeviceOwner => "mode-device_owner",
        ManagementMode::WorkProfile => "mode-work_profile",
    }
}

/// An Android device's escrowed reset token, as the device reports it.
pub fn reset_token(r: pinreset_core::ResetTokenState) -> &'static str {
    match r {
        pinreset_core::ResetTokenState::None => "reset-token-none",
        pinreset_core::ResetTokenState::Inactive => "reset-token-inactive",
        pinreset_core::ResetTokenState::Active => "reset-token-active",
    }
}

pub fn join_type(j: JoinType) -> &'static str {
    match j {
        JoinType::AzureAdJoined => "join-azure_ad_joined",
        JoinType::HybridAzureAdJoined => "join-hybrid_azure_ad_joined",
        JoinType::AzureAdRegistered => "join-azure_ad_registered",
        JoinType::NotJoined => "join-not_joined",
    }
}

pub fn action_kind(k: ActionKind) -> String {
    format!("action-{}", k.slug())
}

pub fn action_state(s: ActionState) -> String {
    format!("state-{}", s.as_str())
}

pub fn role(r: Role) -> String {
    format!("role-{}", r.as_str())
}

/// An audit event's kind (`passcode_read` → "Passcode revealed"); the page keeps the code
/// itself in a `title` and `data-kind`, so it can still be matched with the API and exports.
pub fn audit_kind(k: AuditKind) -> String {
    format!("event-{}", k.as_str())
}

/// Every key the functions above can return.
pub fn all_keys() -> Vec<String> {
    use ManagementMode as M;
    let mut keys: Vec<String> = Platform::ALL.into_iter().map(platform).collect();
    keys.extend([Ownership::Corporate, Ownership::Personal].map(|o| ownership(o).to_string()));
    keys.extend(
        [M::Mdm, M::UserEnrollment, M::SharedIpad, M::DeviceAdmin, M::DeviceOwner, M::WorkProfile].map(|m| management_mode(m).to_string()),
    );
    keys.extend(
        [JoinType::AzureAdJoined, JoinType::HybridAzureAdJoined, JoinType::AzureAdRegistered, JoinType::NotJoined]
            .map(|j| join_type(j).to_string()),
    );
    keys.extend(
        [pinreset_core::ResetTokenState::None, pinreset_core::ResetTokenState::Inactive, pinreset_core::ResetTokenState::Active]
            .map(|r| reset_token(r).to_string()),
    );
    keys.extend(ActionKind::ALL.into_iter().map(action_kind));
    keys.extend(ActionState::ALL.iter().copied().map(action_state));
    keys.extend(Role::ALL.iter().copied().map(role));
    keys.extend(AuditKind::ALL.iter().copied().map(audit_kind));
    keys
}
