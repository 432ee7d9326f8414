//! The agent protocol's JSON messages (docs/android-agent-protocol.md), with the limits every
//! field is held to. Decoding is strict — unknown fields, wrong types and out-of-range values
//! are refused with the field named — so a buggy or hostile agent changes nothing.

use base64::Engine;
use pinreset_core::{ManagementMode, OsVersion};
use serde::{Deserialize, Serialize};

/// Largest body the agent endpoints read (a CSR is the largest thing an agent sends).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Android requires a reset-password token of at least 32 bytes; more than 256 is not a token.
pub const RESET_TOKEN_BYTES: std::ops::RangeInclusive<usize> = 32..=256;
const MAX_TEXT: usize = 128;

/// How the agent administers the device (`DevicePolicyManager`'s own terms).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentMode {
    DeviceAdmin,
    DeviceOwner,
    ProfileOwner,
}

impl AgentMode {
    pub fn management_mode(self) -> ManagementMode {
        match self {
            AgentMode::DeviceAdmin => ManagementMode::DeviceAdmin,
            AgentMode::DeviceOwner => ManagementMode::DeviceOwner,
            AgentMode::ProfileOwner => ManagementMode::WorkProfile,
        }
    }
}

/// The reset-password token as the device sees it (`isResetPasswordTokenActive`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenReport {
    None,
    Inactive,
    Active,
}

/// What the agent reports about the device, at enrollment and at every check-in.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceReport {
    /// `Build.VERSION.SDK_INT`.
    pub api_level: u32,
    /// `Build.VERSION.RELEASE`, e.g. "14" or "7.1.2".
    pub os_version: String,
    /// `Build.VERSION.SECURITY_PATCH`, e.g. "2024-05-05".
    #[serde(default)]
    pub security_patch: Option<String>,
    #[serde(default)]
    pub manufacturer: Option<String>,
    pub model: String,
    /// Only a device owner can read it (Android 10+).
    #[serde(default)]
    pub serial_number: Option<String>,
    /// The name the user gave the device, if the agent can read it.
    #[serde(default)]
    pub name: Option<String>,
    pub management_mode: AgentMode,
    /// `KeyguardManager.isDeviceSecure()`.
    pub passcode_set: bool,
    pub reset_token: TokenReport,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    pub enrollment_token: String,
    /// PKCS#10 certificate request (DER, base64) for the key the agent keeps in the Android
    /// Keystore; the certificate issued for it is the agent's credential on every request.
    pub csr: String,
    pub device: DeviceReport,
    /// The reset-password token the agent has just set, when it set one before enrolling
    /// (base64); it forgets it once this request succeeded.
    #[serde(default)]
    pub reset_token: Option<String>,
}

/// `POST /android/v1/renew`: a new certificate for a new Keystore key, proven by the current one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewRequest {
    /// PKCS#10 certificate request (DER, base64) for the new key.
    pub csr: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct RenewResponse {
    /// The new client certificate (PEM); the one that asked stops working at once.
    pub certificate: String,
    pub ca_certificate: String,
    /// When the new certificate expires (RFC 3339): renew within its last 30 days.
    pub not_after: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetTokenRequest {
    /// base64 of the token the agent set with `setResetPasswordToken`.
    pub reset_token: String,
    /// What `isResetPasswordTokenActive` says right after setting it.
    pub state: TokenReport,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultStatus {
    Success,
    Failure,
}

/// Why the agent could not carry out a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureCode {
    /// `resetPasswordWithToken` refused: the token is not active.
    TokenInactive,
    /// The passcode does not meet the device's password policy.
    PasswordRejectedByPolicy,
    /// The device's Android version does not allow the command.
    ApiLevel,
    /// The agent's management mode does not allow the command.
    ManagementMode,
    Unknown,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultRequest {
    pub status: ResultStatus,
    #[serde(default)]
    pub code: Option<FailureCode>,
    /// What the platform said, for the admin (bounded and cleaned before it is stored).
    #[serde(default)]
    pub detail: Option<String>,
}

/// What the server asks the agent to do about its reset-password token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenInstruction {
    /// Nothing: the server holds the device's token (or the device cannot have one).
    Keep,
    /// Create a token once, set it, send it (`POST /android/v1/reset-token`), forget it.
    Provision,
    /// Clear the token on the device first (`clearResetPasswordToken`), then as `provision`.
    Rotate,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct CheckinResponse {
    pub reset_token: TokenInstruction,
    /// Whether commands are waiting (poll now).
    pub commands_pending: bool,
    /// The `wait` to long-poll commands with.
    pub poll_wait_seconds: u32,
    /// Check in at least this often, and at once when the reset token's state changes.
    pub checkin_interval_seconds: u32,
    /// The server can wake the agent over MQTT: `POST /android/v1/mqtt` gives its login.
    #[serde(default)]
    pub mqtt_offered: bool,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct EnrollResponse {
    pub device_id: String,
    /// The agent's client certificate (PEM), issued for the CSR's key.
    pub certificate: String,
    /// The tenant's device CA (PEM), which issued it.
    pub ca_certificate: String,
    pub checkin: CheckinResponse,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy)]
pub struct ResetFlags {
    /// `RESET_PASSWORD_REQUIRE_ENTRY`: nobody else may change the passcode until it is entered.
    pub require_entry: bool,
    /// Lock the device right after the reset (`lockNow`).
    pub lock_now: bool,
}

/// One command for the agent; `id` is the action's id, echoed in the result.
#[derive(Serialize, Deserialize, Debug)]
pub struct Command {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_passcode: Option<String>,
    /// base64 of the escrowed token, for `resetPasswordWithToken` (device and profile owners).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_token: Option<String>,
    /// `device` or `work_profile`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<ResetFlags>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct Commands {
    pub commands: Vec<Command>,
    /// An admin asked the device to check in now (sync): send a check-in, then poll again.
    pub check_in: bool,
}

/// Why a message was refused, with the field when one is at fault.
#[derive(Debug)]
pub struct Invalid(pub String);

fn text<'a>(field: &str, v: &'a str) -> Result<&'a str, Invalid> {
    let t = v.trim();
    if t.is_empty() {
        return Err(Invalid(format!("\"{field}\" must not be empty")));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(Invalid(format!("\"{field}\" must be at most {MAX_TEXT} characters")));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(Invalid(format!("\"{field}\" contains a control character")));
    }
    Ok(t)
}

fn optional(field: &str, v: &Option<String>) -> Result<Option<String>, Invalid> {
    v.as_deref().map(|s| text(field, s).map(str::to_owned)).transpose()
}

/// A device report, checked: what the server records from it.
#[derive(Debug)]
pub struct CheckedReport {
    pub os_version: OsVersion,
    /// "API 34, security patch 2024-05-05".
    pub os_build: String,
    pub model: String,
    pub serial_number: Option<String>,
    pub name: Option<String>,
    pub report: DeviceReport,
}

impl DeviceReport {
    pub fn check(self) -> Result<CheckedReport, Invalid> {
        if !(1..=99).contains(&self.api_level) {
            return Err(Invalid("\"api_level\" must be between 1 and 99".into()));
        }
        let reported = OsVersion::parse(text("os_version", &self.os_version)?).map_err(|e| Invalid(format!("\"os_version\": {e}")))?;
        let os_version = pinreset_core::android_enterprise::release_of_api_level(self.api_level)
            .map(|r| OsVersion::parse(r).expect("literal"))
            .unwrap_or(reported);
        let patch = optional("security_patch", &self.security_patch)?;
        let model = text("model", &self.model)?;
        let model = match optional("manufacturer", &self.manufacturer)? {
            Some(m) if !model.to_lowercase().starts_with(&m.to_lowercase()) => format!("{m} {model}"),
            _ => model.to_string(),
        };
        let os_build = match patch {
            Some(p) => format!("API {}, security patch {p}", self.api_level),
            None => format!("API {}", self.api_level),
        };
        Ok(CheckedReport {
            os_version,
            os_build,
            model,
            serial_number: optional("serial_number", &self.serial_number)?,
            name: optional("name", &self.name)?,
            report: self,
        })
    }
}

/// A reset-password token as sent by the agent: base64 of 32 to 256 bytes.
pub fn reset_token_bytes(b64: &str) -> Result<Vec<u8>, Invalid> {
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(b64.trim()).map_err(|_| Invalid("\"reset_token\" is not base64".into()))?;
    if !RESET_TOKEN_BYTES.contains(&bytes.len()) {
        return Err(Invalid(format!(
            "\"reset_token\" must be {} to {} bytes (Android requires at least 32)",
            RESET_TOKEN_BYTES.start(),
            RESET_TOKEN_BYTES.end()
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(json: &str) -> Result<CheckedReport, String> {
        serde_json::from_str::<DeviceReport>(json).map_err(|e| e.to_string())?.check().map_err(|e| e.0)
    }

    const OK: &str = r#"{"api_level":34,"os_version":"14","security_patch":"2024-05-05","manufacturer":"Google","model":"Pixel 8",
        "management_mode":"device_owner","passcode_set":true,"reset_token":"inactive"}"#;

    #[test]
    fn a_report_is_read_and_its_release_comes_from_the_api_level() {
        let r = report(OK).unwrap();
        assert_eq!(r.os_version.to_string(), "14");
        assert_eq!(r.model, "Google Pixel 8");
        assert_eq!(r.os_build, "API 34, security patch 2024-05-05");
        let r = report(&OK.replace("\"api_level\":34", "\"api_level\":25").replace("\"14\"", "\"7.1.2\"")).unwrap();
        assert_eq!(r.os_version.to_string(), "7.1");
    }

    #[test]
    fn bad_reports_name_the_field() {
        assert!(report(&OK.replace("\"api_level\":34", "\"api_level\":0")).unwrap_err().contains("api_level"));
        assert!(report(&OK.replace("device_owner", "root")).unwrap_err().contains("unknown variant"));
        assert!(report(&OK.replace("\"model\":\"Pixel 8\"", "\"model\":\"\"")).unwrap_err().contains("model"));
        assert!(report(&OK.replace("\"passcode_set\":true", "\"passcode_set\":true,\"extra\":1")).unwrap_err().contains("unknown field"));
        assert!(report(&OK.replace("Pixel 8", "Pixel\\u00008")).unwrap_err().contains("control"));
    }

    #[test]
    fn reset_tokens_are_base64_of_32_to_256_bytes() {
        let b64 = |n: usize| base64::engine::general_purpose::STANDARD.encode(vec![7u8; n]);
        assert_eq!(reset_token_bytes(&b64(32)).unwrap().len(), 32);
        assert!(reset_token_bytes(&b64(31)).is_err());
        assert!(reset_token_bytes(&b64(257)).is_err());
        assert!(reset_token_bytes("not base64!").is_err());
    }
}
