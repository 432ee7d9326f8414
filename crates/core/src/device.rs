//! What the server knows about an enrolled device.

use crate::ids::{DeviceId, TenantId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Windows 10/11 on PCs.
    Windows,
    /// Windows 10 Mobile.
    WindowsMobile,
    /// Windows Phone 8.1.
    WindowsPhone,
    Ios,
    Ipados,
    Macos,
    Android,
}

impl Platform {
    pub const ALL: [Platform; 7] = [
        Platform::Windows,
        Platform::WindowsMobile,
        Platform::WindowsPhone,
        Platform::Ios,
        Platform::Ipados,
        Platform::Macos,
        Platform::Android,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Windows => "windows",
            Platform::WindowsMobile => "windows_mobile",
            Platform::WindowsPhone => "windows_phone",
            Platform::Ios => "ios",
            Platform::Ipados => "ipados",
            Platform::Macos => "macos",
            Platform::Android => "android",
        }
    }

    /// Human name for tables and messages.
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Windows => "Windows",
            Platform::WindowsMobile => "Windows 10 Mobile",
            Platform::WindowsPhone => "Windows Phone",
            Platform::Ios => "iOS",
            Platform::Ipados => "iPadOS",
            Platform::Macos => "macOS",
            Platform::Android => "Android",
        }
    }

    /// The device channel that talks to this platform.
    pub fn is_windows_family(self) -> bool {
        matches!(self, Platform::Windows | Platform::WindowsMobile | Platform::WindowsPhone)
    }
}

impl FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| {
            let known: Vec<_> = Platform::ALL.iter().map(|p| p.as_str()).collect();
            format!("unknown platform {s:?}; expected one of {}", known.join(", "))
        })
    }
}

/// A dotted OS version ("10.0.15063", "7.1.2", "8.1"). Missing parts compare as zero, so
/// "7" == "7.0" and "6.0.1" < "7.0".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(into = "String", try_from = "String")]
#[schema(value_type = String, example = "10.0.15063")]
pub struct OsVersion(Vec<u32>);

impl OsVersion {
    pub fn parse(s: &str) -> Result<Self, String> {
        let parts: Result<Vec<u32>, _> = s.trim().split('.').map(str::parse::<u32>).collect();
        match parts {
            Ok(p) if !p.is_empty() => Ok(Self(p)),
            _ => Err(format!("invalid OS version {s:?}; expected digits separated by dots, e.g. 10.0.15063")),
        }
    }
    pub fn major(&self) -> u32 {
        self.part(0)
    }
    pub fn part(&self, i: usize) -> u32 {
        self.0.get(i).copied().unwrap_or(0)
    }
    fn cmp_parts(&self, other: &[u32]) -> std::cmp::Ordering {
        let n = self.0.len().max(other.len());
        for i in 0..n {
            let a = self.part(i);
            let b = other.get(i).copied().unwrap_or(0);
            if a != b {
                return a.cmp(&b);
            }
        }
        std::cmp::Ordering::Equal
    }
    /// `self >= v`, with `v` written as parts.
    pub fn at_least(&self, v: &[u32]) -> bool {
        self.cmp_parts(v) != std::cmp::Ordering::Less
    }
}

impl fmt::Display for OsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s: Vec<String> = self.0.iter().map(u32::to_string).collect();
        f.write_str(&s.join("."))
    }
}
impl From<OsVersion> for String {
    fn from(v: OsVersion) -> String {
        v.to_string()
    }
}
impl TryFrom<String> for OsVersion {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    Corporate,
    Personal,
}

/// How the device is managed; decides which passcode operations its OS allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ManagementMode {
    /// Plain MDM enrollment (Windows, Apple device enrollment).
    Mdm,
    /// Apple User Enrollment (BYOD, managed APFS volume only).
    UserEnrollment,
    /// Apple Shared iPad (several users, no device passcode to clear).
    SharedIpad,
    /// Android legacy device administrator.
    DeviceAdmin,
    /// Android Enterprise fully managed device.
    DeviceOwner,
    /// Android Enterprise work profile on a personal device.
    WorkProfile,
}

/// An Android reset-password token as the server knows it. Only `Active` lets a device owner or
/// profile owner (Android 8.0+) take a new passcode: Android activates a token once the user
/// confirms their screen lock after it was set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResetTokenState {
    /// The server holds no token for the device.
    #[default]
    None,
    /// Held sealed by the server; the device says it is set but not yet activated.
    Inactive,
    /// Held sealed by the server; the device says it is active.
    Active,
}

impl ResetTokenState {
    pub fn as_str(self) -> &'static str {
        match self {
            ResetTokenState::None => "none",
            ResetTokenState::Inactive => "inactive",
            ResetTokenState::Active => "active",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JoinType {
    AzureAdJoined,
    HybridAzureAdJoined,
    AzureAdRegistered,
    NotJoined,
}

/// An enrolled device. Escrow flags say whether the secret a reset needs is held (the secret
/// itself lives sealed in the store, never on this struct).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Device {
    pub id: DeviceId,
    pub tenant_id: TenantId,
    pub name: String,
    pub platform: Platform,
    pub os_version: OsVersion,
    /// OS build, e.g. "15063" for Windows 10 Mobile Creators Update.
    pub os_build: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub udid: Option<String>,
    pub imei: Option<String>,
    pub ownership: Ownership,
    pub management_mode: ManagementMode,
    pub join_type: JoinType,
    pub primary_user_id: Option<UserId>,
    /// Apple: an UnlockToken from the device is escrowed (sealed) in the store.
    pub unlock_token_escrowed: bool,
    /// Android: the passcode reset token the server holds sealed for this device, and whether
    /// the device last said it is active (`none`: the server holds none).
    #[serde(default)]
    pub reset_token: ResetTokenState,
    pub enrolled_at: DateTime<Utc>,
    pub last_check_in: Option<DateTime<Utc>>,
    /// Set when the device left management (retired or unenrolled).
    pub retired_at: Option<DateTime<Utc>>,
    /// When the device last answered an inventory query (Apple DeviceInformation); None until
    /// it has since its latest enrollment.
    #[serde(default)]
    pub inventoried_at: Option<DateTime<Utc>>,
    /// Android Management API: the device's resource name (`enterprises/E/devices/D`) when
    /// pinreset reaches it through Google rather than its own agent.
    #[serde(default)]
    pub amapi_name: Option<String>,
}

impl Device {
    /// Windows build number: the explicit build, else the third part of the OS version
    /// (Windows reports "10.0.15063.0").
    pub fn windows_build(&self) -> u32 {
        self.os_build.as_deref().and_then(|b| b.split('.').next()).and_then(|b| b.parse().ok()).unwrap_or_else(|| self.os_version.part(2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically_with_missing_parts_as_zero() {
        let v = |s| OsVersion::parse(s).unwrap();
        assert!(v("7").at_least(&[7, 0]));
        assert!(!v("6.0.1").at_least(&[7]));
        assert!(v("10.0.15063").at_least(&[10, 0, 15063]));
        assert!(!v("10.0.14393").at_least(&[10, 0, 15063]));
        assert!(v("10.0.15063.0").at_least(&[10, 0, 15063]));
        assert!(OsVersion::parse("7.x").is_err());
        assert!(OsVersion::parse("").is_err());
    }

    #[test]
    fn platform_names_round_trip_and_unknown_is_explained() {
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse::<Platform>().unwrap(), p);
        }
        let err = "blackberry".parse::<Platform>().unwrap_err();
        assert!(err.contains("windows_mobile"), "{err}");
    }
}

crate::string_enum::string_enum! {
    /// The kind of an external identity bound to a device: each (kind, value) names at most one
    /// device on the whole server.
    pub enum IdentityKind {
        /// Windows: the DeviceID the device reports in its enrollment and sessions.
        WindowsDeviceId = "windows-device-id",
        /// Apple: the device's UDID from Authenticate.
        AppleUdid = "apple-udid",
        /// Any channel: the serial of the client certificate this server issued to the device.
        CertSerial = "cert-serial",
        /// Android Management API: the device's resource name, `enterprises/E/devices/D`.
        AmapiDevice = "amapi-device",
    }
}
