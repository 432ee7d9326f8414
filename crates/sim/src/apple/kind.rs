//! The Apple devices the simulator can be, with what each reports about itself.

/// A device model and OS as a real one presents itself at check-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppleKind {
    /// iPhone 14 Pro, iOS 17.5.1, device enrollment: sends an UnlockToken.
    Iphone17,
    /// iPad (10th gen) in Shared iPad mode, iPadOS 17.5: several users, no device passcode.
    SharedIpad,
    /// iPhone 15 Pro under User Enrollment (BYOD, iOS 17.5): only an EnrollmentID, no
    /// UDID, serial number or UnlockToken.
    UserEnrollmentIphone,
    /// MacBook Air (M2), macOS 14.5: no UnlockToken; locks and erases with a 6-digit PIN.
    Macos14,
}

impl AppleKind {
    pub const ALL: [AppleKind; 4] = [AppleKind::Iphone17, AppleKind::SharedIpad, AppleKind::UserEnrollmentIphone, AppleKind::Macos14];

    /// A short stable name (saved device state, command-line values).
    pub fn key(self) -> &'static str {
        match self {
            AppleKind::Iphone17 => "iphone",
            AppleKind::SharedIpad => "shared-ipad",
            AppleKind::UserEnrollmentIphone => "user-enrollment",
            AppleKind::Macos14 => "mac",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn product_name(self) -> &'static str {
        match self {
            AppleKind::Iphone17 => "iPhone15,2",
            AppleKind::SharedIpad => "iPad13,18",
            AppleKind::UserEnrollmentIphone => "iPhone16,1",
            AppleKind::Macos14 => "Mac14,2",
        }
    }
    pub fn model_name(self) -> &'static str {
        match self {
            AppleKind::Iphone17 | AppleKind::UserEnrollmentIphone => "iPhone",
            AppleKind::SharedIpad => "iPad",
            AppleKind::Macos14 => "MacBook Air",
        }
    }
    pub fn os_version(self) -> &'static str {
        match self {
            AppleKind::Iphone17 => "17.5.1",
            AppleKind::SharedIpad | AppleKind::UserEnrollmentIphone => "17.5",
            AppleKind::Macos14 => "14.5",
        }
    }
    pub fn build_version(self) -> &'static str {
        match self {
            AppleKind::Iphone17 => "21F90",
            AppleKind::SharedIpad | AppleKind::UserEnrollmentIphone => "21F79",
            AppleKind::Macos14 => "23F79",
        }
    }
    pub fn is_mac(self) -> bool {
        self == AppleKind::Macos14
    }
    pub fn is_multi_user(self) -> bool {
        self == AppleKind::SharedIpad
    }
    pub fn is_user_enrollment(self) -> bool {
        self == AppleKind::UserEnrollmentIphone
    }
    /// Only iOS/iPadOS device enrollments escrow an UnlockToken (a Shared iPad has none: it has
    /// no device passcode).
    pub fn sends_unlock_token(self) -> bool {
        self == AppleKind::Iphone17
    }
    pub fn has_cellular(self) -> bool {
        matches!(self, AppleKind::Iphone17 | AppleKind::UserEnrollmentIphone)
    }
}
