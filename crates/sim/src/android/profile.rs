//! The kinds of Android device the simulator plays: one per row of the capability matrix.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AndroidProfile {
    /// Android 6.0 (API 23), legacy device admin: `resetPassword` still works.
    Android6DeviceAdmin,
    /// Android 7.1 (API 25), device admin, passcode set: refused (factory reset).
    Android7DeviceAdmin,
    /// Android 13 (API 33), fully managed (device owner): reset with an active token.
    Android13FullyManaged,
    /// Android 14 (API 34), fully managed (device owner).
    Android14FullyManaged,
    /// Android 14 (API 34), work profile (profile owner): resets the work profile's passcode.
    Android14WorkProfile,
}

impl AndroidProfile {
    pub const ALL: [AndroidProfile; 5] = [
        AndroidProfile::Android6DeviceAdmin,
        AndroidProfile::Android7DeviceAdmin,
        AndroidProfile::Android13FullyManaged,
        AndroidProfile::Android14FullyManaged,
        AndroidProfile::Android14WorkProfile,
    ];

    /// The name `pinreset sim android --profile` and saved devices use.
    pub fn key(self) -> &'static str {
        match self {
            AndroidProfile::Android6DeviceAdmin => "android6-admin",
            AndroidProfile::Android7DeviceAdmin => "android7-admin",
            AndroidProfile::Android13FullyManaged => "android13",
            AndroidProfile::Android14FullyManaged => "android14",
            AndroidProfile::Android14WorkProfile => "android14-work",
        }
    }
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    pub fn api_level(self) -> u32 {
        match self {
            AndroidProfile::Android6DeviceAdmin => 23,
            AndroidProfile::Android7DeviceAdmin => 25,
            AndroidProfile::Android13FullyManaged => 33,
            AndroidProfile::Android14FullyManaged | AndroidProfile::Android14WorkProfile => 34,
        }
    }
    /// `Build.VERSION.RELEASE`.
    pub fn release(self) -> &'static str {
        match self {
            AndroidProfile::Android6DeviceAdmin => "6.0.1",
            AndroidProfile::Android7DeviceAdmin => "7.1.2",
            AndroidProfile::Android13FullyManaged => "13",
            AndroidProfile::Android14FullyManaged | AndroidProfile::Android14WorkProfile => "14",
        }
    }
    /// The agent's management mode as the protocol names it.
    pub fn mode(self) -> &'static str {
        match self {
            AndroidProfile::Android6DeviceAdmin | AndroidProfile::Android7DeviceAdmin => "device_admin",
            AndroidProfile::Android13FullyManaged | AndroidProfile::Android14FullyManaged => "device_owner",
            AndroidProfile::Android14WorkProfile => "profile_owner",
        }
    }
    pub fn manufacturer(self) -> &'static str {
        match self {
            AndroidProfile::Android6DeviceAdmin => "samsung",
            _ => "Google",
        }
    }
    pub fn model(self) -> &'static str {
        match self {
            AndroidProfile::Android6DeviceAdmin => "SM-G900F",
            AndroidProfile::Android7DeviceAdmin => "Pixel",
            AndroidProfile::Android13FullyManaged => "Pixel 7",
            AndroidProfile::Android14FullyManaged => "Pixel 8",
            AndroidProfile::Android14WorkProfile => "Pixel 8a",
        }
    }
    /// Device and profile owners on 8.0+ reset with a reset-password token.
    pub fn uses_tokens(self) -> bool {
        self.mode() != "device_admin" && self.api_level() >= 26
    }
    /// Whether the device starts with a screen lock set.
    pub fn has_passcode(self) -> bool {
        true
    }
}
