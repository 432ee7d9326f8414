//! The channel contract: each device channel (Windows OMA-DM, Apple MDM, the Android agent)
//! declares which `SupportKind`s it can put on the wire for which platforms. The capability
//! matrix consults these declarations, so an action no channel can encode is refused when it is
//! requested, with a catalogue reason, and never sits in `delivered` waiting for a command that
//! will not be sent.

use crate::action::ActionKind;
use crate::capability::SupportKind;
use crate::device::Platform;
use crate::error::ErrorCode;

/// What one channel can carry out. A `const` in the channel's own module, next to its encoder.
#[derive(Clone, Copy, Debug)]
pub struct ChannelDeclaration {
    /// For logs and docs, e.g. `apple-mdm`.
    pub name: &'static str,
    /// The platforms whose devices this channel serves.
    pub platforms: &'static [Platform],
    /// The ways of carrying out an action this channel encodes.
    pub carries: &'static [SupportKind],
    /// Kinds this channel knowingly does not carry, each with the refusal that explains why
    /// (any other kind it does not carry is refused with `ChannelCannotDeliver`).
    pub refusals: &'static [(SupportKind, ErrorCode)],
}

impl ChannelDeclaration {
    pub fn serves(&self, platform: Platform) -> bool {
        self.platforms.contains(&platform)
    }
    pub fn carries(&self, kind: SupportKind) -> bool {
        self.carries.contains(&kind)
    }
    /// Whether any way of carrying out `action` is encoded (for actions stored before their
    /// `SupportKind` was recorded).
    pub fn carries_action(&self, action: ActionKind) -> bool {
        self.carries.iter().any(|k| k.action() == action)
    }
}

/// The channel serving `platform`, if any (the first declared wins).
pub fn channel_for(channels: &[ChannelDeclaration], platform: Platform) -> Option<&ChannelDeclaration> {
    channels.iter().find(|c| c.serves(platform))
}

/// Why `kind` cannot reach a device of `platform`, or None when its channel carries it.
pub fn refusal(channels: &[ChannelDeclaration], platform: Platform, kind: SupportKind) -> Option<ErrorCode> {
    let Some(channel) = channel_for(channels, platform) else { return Some(ErrorCode::ChannelCannotDeliver) };
    if channel.carries(kind) {
        return None;
    }
    Some(channel.refusals.iter().find(|(k, _)| *k == kind).map_or(ErrorCode::ChannelCannotDeliver, |(_, code)| *code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capability::PasscodeScope;

    const PHONE: ChannelDeclaration = ChannelDeclaration {
        name: "phone",
        platforms: &[Platform::WindowsPhone],
        carries: &[SupportKind::TempNumeric, SupportKind::Lock],
        refusals: &[(SupportKind::Rename, ErrorCode::AppleRenameUnsupported)],
    };

    #[test]
    fn a_kind_the_channel_does_not_encode_is_refused_with_its_reason() {
        let channels = [PHONE];
        assert_eq!(refusal(&channels, Platform::WindowsPhone, SupportKind::Lock), None);
        assert_eq!(refusal(&channels, Platform::WindowsPhone, SupportKind::Rename), Some(ErrorCode::AppleRenameUnsupported));
        assert_eq!(refusal(&channels, Platform::WindowsPhone, SupportKind::Wipe), Some(ErrorCode::ChannelCannotDeliver));
        let scoped = SupportKind::TempAlphanumeric { scope: PasscodeScope::Device };
        assert_eq!(refusal(&channels, Platform::WindowsPhone, scoped), Some(ErrorCode::ChannelCannotDeliver));
        assert!(PHONE.carries_action(ActionKind::ResetPasscode) && PHONE.carries_action(ActionKind::RemoteLock));
        assert!(!PHONE.carries_action(ActionKind::Rename) && !PHONE.carries_action(ActionKind::Remove));
    }

    #[test]
    fn a_platform_without_a_channel_gets_nothing() {
        assert_eq!(refusal(&[PHONE], Platform::Android, SupportKind::Lock), Some(ErrorCode::ChannelCannotDeliver));
        assert_eq!(refusal(&[], Platform::WindowsPhone, SupportKind::Lock), Some(ErrorCode::ChannelCannotDeliver));
    }
}
