//! The reset-password token: created once by the agent, escrowed here sealed
//! (`DeviceSecret::ResetToken`), sent back only inside a reset command.
//!
//! The server decides when the agent makes a token, from what it holds and what the device
//! reports — never "make one at every start". A token is never re-provisioned while the server
//! holds it, and a device that has a token the server does not hold clears it before making a
//! new one (`Rotate`). Another project set a new token at every agent start without clearing
//! the old one; each `setResetPasswordToken` takes a slot in the device's secure storage, the
//! slots ran out, and the devices' lock screens broke.

use super::wire::{AgentMode, TokenInstruction, TokenReport};
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{Device, DeviceSecret, ResetTokenState, Secret};
use pinreset_store::{NewSecret, SecretKey};

/// Android 8.0 (API 26) brought reset-password tokens; device admins never have them.
pub const FIRST_TOKEN_API_LEVEL: u32 = 26;

/// Whether a device in this mode and at this API level uses a reset-password token.
pub fn uses_tokens(mode: AgentMode, api_level: u32) -> bool {
    mode != AgentMode::DeviceAdmin && api_level >= FIRST_TOKEN_API_LEVEL
}

/// What follows from a check-in's report, given what the server held before it.
#[derive(Debug, PartialEq, Eq)]
pub struct Decision {
    /// The device's reset-token state from now on.
    pub state: ResetTokenState,
    pub instruction: TokenInstruction,
    /// The sealed token no longer matches a token on the device: destroy it.
    pub drop_escrowed: bool,
}

pub fn decide(held: ResetTokenState, reported: TokenReport, uses_tokens: bool) -> Decision {
    use ResetTokenState as S;
    use TokenInstruction as I;
    let held_any = held != S::None;
    if !uses_tokens {
        return Decision { state: S::None, instruction: I::Keep, drop_escrowed: held_any };
    }
    match (held_any, reported) {
        // Nothing on either side: the agent makes its one token now.
        (false, TokenReport::None) => Decision { state: S::None, instruction: I::Provision, drop_escrowed: false },
        // The device has a token the server never got (lost answer, re-enrollment): clear it on
        // the device before a new one takes another secure-storage slot.
        (false, _) => Decision { state: S::None, instruction: I::Rotate, drop_escrowed: false },
        // The device lost its token (an inactive one does not survive a reboot; a removed
        // screen lock clears it): what the server holds opens nothing any more.
        (true, TokenReport::None) => Decision { state: S::None, instruction: I::Provision, drop_escrowed: true },
        (true, TokenReport::Inactive) => Decision { state: S::Inactive, instruction: I::Keep, drop_escrowed: false },
        (true, TokenReport::Active) => Decision { state: S::Active, instruction: I::Keep, drop_escrowed: false },
    }
}

/// The state a freshly escrowed token starts in.
pub fn escrowed_state(reported: TokenReport) -> ResetTokenState {
    match reported {
        TokenReport::Active => ResetTokenState::Active,
        // A token just set but not (yet) reported active waits for the user's confirmation.
        _ => ResetTokenState::Inactive,
    }
}

/// The sealed token to put inside a reset command.
pub async fn escrowed(state: &AppState, device: &Device) -> Result<Option<Secret>, AppError> {
    crate::channels::device_secret(state, device.id, DeviceSecret::ResetToken).await
}

/// The row that seals `token` (base64) as the device's reset token.
pub fn new_secret<'a>(device: pinreset_core::DeviceId, token: &'a Secret) -> NewSecret<'a> {
    NewSecret { key: SecretKey::Device(device, DeviceSecret::ResetToken), secret: token, expires_at: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ResetTokenState as S;
    use TokenInstruction as I;

    #[test]
    fn a_token_is_provisioned_once_and_never_again_while_held() {
        assert_eq!(decide(S::None, TokenReport::None, true), Decision { state: S::None, instruction: I::Provision, drop_escrowed: false });
        assert_eq!(decide(S::Inactive, TokenReport::Inactive, true).instruction, I::Keep);
        assert_eq!(
            decide(S::Inactive, TokenReport::Active, true),
            Decision { state: S::Active, instruction: I::Keep, drop_escrowed: false }
        );
        assert_eq!(decide(S::Active, TokenReport::Active, true).instruction, I::Keep);
        // Deactivated on the device (new screen lock): still held, keep it, no new slot taken.
        assert_eq!(decide(S::Active, TokenReport::Inactive, true).state, S::Inactive);
    }

    #[test]
    fn a_token_the_server_does_not_hold_is_cleared_before_a_new_one() {
        assert_eq!(decide(S::None, TokenReport::Active, true).instruction, I::Rotate);
        assert_eq!(decide(S::None, TokenReport::Inactive, true).instruction, I::Rotate);
    }

    #[test]
    fn a_token_lost_on_the_device_is_dropped_here() {
        assert_eq!(
            decide(S::Inactive, TokenReport::None, true),
            Decision { state: S::None, instruction: I::Provision, drop_escrowed: true }
        );
    }

    #[test]
    fn device_admins_and_old_releases_have_no_token() {
        assert!(!uses_tokens(AgentMode::DeviceAdmin, 34));
        assert!(!uses_tokens(AgentMode::DeviceOwner, 25));
        assert!(uses_tokens(AgentMode::ProfileOwner, 26));
        assert_eq!(decide(S::Active, TokenReport::Active, false), Decision { state: S::None, instruction: I::Keep, drop_escrowed: true });
        assert_eq!(decide(S::None, TokenReport::None, false).instruction, I::Keep);
    }
}
