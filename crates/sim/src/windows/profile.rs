//! Device presets: what a given Windows build reports and how it answers the
//! RemoteLock CSP.

/// A Windows device model and OS build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WindowsProfile {
    /// Windows 10 Mobile Creators Update, Azure AD joined: LockAndResetPIN
    /// returns a device-generated alphanumeric PIN.
    Windows10Mobile15063,
    /// Windows 10 Mobile Anniversary Update (AAD joined).
    Windows10Mobile14393,
    /// Windows Phone 8.1: numeric PIN.
    WindowsPhone81,
    /// Windows 11 desktop: LockAndResetPIN is not supported (405), NewPINValue
    /// does not exist (404).
    Windows11Desktop,
}

impl WindowsProfile {
    pub const ALL: [WindowsProfile; 4] =
        [Self::Windows10Mobile15063, Self::Windows10Mobile14393, Self::WindowsPhone81, Self::Windows11Desktop];

    /// A short stable name (saved device state, command-line values).
    pub fn key(self) -> &'static str {
        match self {
            Self::Windows10Mobile15063 => "w10m",
            Self::Windows10Mobile14393 => "w10m1607",
            Self::WindowsPhone81 => "wp81",
            Self::Windows11Desktop => "win11",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    /// OS version as sent in OSVersion and `./DevDetail/SwV`.
    pub fn os_version(self) -> &'static str {
        match self {
            Self::Windows10Mobile15063 => "10.0.15063.0",
            Self::Windows10Mobile14393 => "10.0.14393.0",
            Self::WindowsPhone81 => "8.10.14219.341",
            Self::Windows11Desktop => "10.0.22631.0",
        }
    }

    /// DeviceType context item / discovery DeviceType.
    pub fn device_type(self) -> &'static str {
        match self {
            Self::Windows11Desktop => "CIMClient_Windows",
            _ => "WindowsPhone",
        }
    }

    /// EnrollmentType context item: `Device` for Azure AD joined, else `Full`.
    pub fn enrollment_type(self) -> &'static str {
        match self {
            Self::Windows10Mobile15063 | Self::Windows10Mobile14393 => "Device",
            _ => "Full",
        }
    }

    pub fn aad_joined(self) -> bool {
        self.enrollment_type() == "Device"
    }

    /// OSEdition (SKU number) as Windows sends it.
    pub fn os_edition(self) -> &'static str {
        match self {
            Self::Windows10Mobile15063 | Self::Windows10Mobile14393 => "104",
            Self::WindowsPhone81 => "3",
            Self::Windows11Desktop => "4",
        }
    }

    /// RequestVersion of the discovery request.
    pub fn request_version(self) -> &'static str {
        match self {
            Self::WindowsPhone81 => "2.0",
            _ => "3.0",
        }
    }

    pub fn manufacturer(self) -> &'static str {
        "Microsoft Corporation"
    }

    pub fn model(self) -> &'static str {
        match self {
            Self::Windows10Mobile15063 => "Lumia 950",
            Self::Windows10Mobile14393 => "Lumia 650",
            Self::WindowsPhone81 => "Lumia 930",
            Self::Windows11Desktop => "Surface Laptop 5",
        }
    }

    /// `./DevInfo/DmV`.
    pub fn dm_version(self) -> &'static str {
        match self {
            Self::WindowsPhone81 => "1.2",
            _ => "1.3",
        }
    }

    pub fn os_platform(self) -> &'static str {
        match self {
            Self::Windows10Mobile15063 | Self::Windows10Mobile14393 => "Windows 10 Mobile",
            Self::WindowsPhone81 => "Windows Phone 8.1",
            Self::Windows11Desktop => "Windows 11 Enterprise",
        }
    }

    /// Whether `Exec LockAndResetPIN` + `Get NewPINValue` work (phones only).
    pub fn supports_pin_reset(self) -> bool {
        self != Self::Windows11Desktop
    }

    /// Whether the device generates a numeric-only PIN (Windows Phone 8.1).
    pub fn numeric_pin(self) -> bool {
        self == Self::WindowsPhone81
    }

    /// Default length of a generated PIN when no policy asks for more.
    pub fn default_pin_length(self) -> usize {
        if self.numeric_pin() {
            6
        } else {
            8
        }
    }

    /// The device's default DeviceName.
    pub fn device_name(self) -> &'static str {
        match self {
            Self::Windows11Desktop => "DESKTOP-SIM",
            _ => "Windows Phone",
        }
    }
}
