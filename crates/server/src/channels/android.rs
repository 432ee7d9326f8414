//! Android: the contract the Android channel (the on-device agent, and later the Android
//! Management API) implements. The channel itself comes next; until then actions for Android
//! devices are queued for it (the spine's tests answer for the device) and none is delivered.

use pinreset_core::capability::PasscodeScope;
use pinreset_core::{ChannelDeclaration, Platform, SupportKind as K};

pub const CONTRACT: ChannelDeclaration = ChannelDeclaration {
    name: "android",
    platforms: &[Platform::Android],
    carries: &[
        K::TempAlphanumeric { scope: PasscodeScope::Device },
        K::TempAlphanumeric { scope: PasscodeScope::WorkProfile },
        K::Lock,
        K::Wipe,
        K::Retire,
        K::Rename,
    ],
    refusals: &[],
};
