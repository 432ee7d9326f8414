//! An organisation's Android Enterprise binding: pinreset as a client of Google's Android
//! Management API (AMAPI) for that enterprise. The service-account key is a sealed tenant
//! secret (`TenantSecret::AmapiServiceAccountKey`), never part of these settings.

use crate::detail::{Detail, DetailCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const DEFAULT_AMAPI_URL: &str = "https://androidmanagement.googleapis.com";
pub const DEFAULT_PUBSUB_URL: &str = "https://pubsub.googleapis.com";
/// Operations polled per minute for one tenant when nothing else is said: AMAPI's default
/// quota is far above this, and Pub/Sub notifications settle most commands sooner anyway.
pub const DEFAULT_OPERATIONS_PER_MINUTE: u32 = 60;
/// Seconds between two looks at one pending operation.
pub const DEFAULT_OPERATION_CHECK_SECONDS: u32 = 60;
/// How long a command is valid on Google's side (`Command.duration`): past it the command
/// expires unexecuted, so pinreset gives up on it then.
pub const DEFAULT_COMMAND_DURATION_SECONDS: u32 = 600;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AndroidEnterprise {
    /// The Google Cloud project the service account belongs to.
    pub project_id: String,
    /// `enterprises/LC0…`.
    pub enterprise_name: String,
    /// The service account's address (from its key), for the admin to recognise it.
    pub service_account: String,
    pub amapi_url: String,
    pub pubsub_url: String,
    /// `projects/P/subscriptions/S`: a pull subscription of the enterprise's notification topic.
    #[serde(default)]
    pub pubsub_subscription: Option<String>,
    pub operations_per_minute: u32,
    pub operation_check_seconds: u32,
    pub command_duration_seconds: u32,
}

fn malformed(field: &str, value: &str, shape: &str) -> Detail {
    Detail::new(DetailCode::AndroidEnterpriseName, [("field", field.into()), ("value", value.into()), ("shape", shape.into())])
}

/// Letters, digits, `-` and `_`: what Google's resource ids are made of.
fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 255 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `enterprises/ID`.
pub fn check_enterprise_name(value: &str) -> Result<(), Detail> {
    match value.strip_prefix("enterprises/") {
        Some(id) if is_id(id) => Ok(()),
        _ => Err(malformed("enterprise_name", value, "enterprises/LC00abc123")),
    }
}

pub fn check_project_id(value: &str) -> Result<(), Detail> {
    // Project ids: 6 to 30 lower-case letters, digits and hyphens.
    let ok = (6..=30).contains(&value.len()) && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(malformed("project_id", value, "my-project-123 (6 to 30 lower-case letters, digits and hyphens)"))
    }
}

pub fn check_subscription(value: &str) -> Result<(), Detail> {
    let parts: Vec<&str> = value.split('/').collect();
    match parts.as_slice() {
        ["projects", p, "subscriptions", s] if is_id(p) && is_id(s) => Ok(()),
        _ => Err(malformed("pubsub_subscription", value, "projects/my-project/subscriptions/pinreset")),
    }
}

/// An `https://` base URL without a trailing slash (`http://` only on a loopback address, for a
/// local stand-in).
pub fn check_base_url(field: &str, value: &str) -> Result<String, Detail> {
    let v = value.trim().trim_end_matches('/');
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"];
    let host_start = if let Some(rest) = v.strip_prefix("https://") {
        rest
    } else if loopback.iter().any(|l| v.strip_prefix(l).is_some_and(|r| r.is_empty() || r.starts_with(':') || r.starts_with('/'))) {
        v
    } else {
        return Err(Detail::field(DetailCode::FieldNotHttps, field));
    };
    if host_start.is_empty() || v.chars().any(|c| c.is_whitespace() || c.is_control()) || v.contains(['?', '#']) {
        return Err(Detail::field(DetailCode::FieldNotHttps, field));
    }
    Ok(v.to_string())
}

/// The Android release of each API level (the API level decides what the platform allows, so
/// the capability rows read the release derived from it); None for levels not listed here.
/// The agent's reports and AMAPI's device list both read it.
pub fn release_of_api_level(api_level: u32) -> Option<&'static str> {
    Some(match api_level {
        21 => "5.0",
        22 => "5.1",
        23 => "6.0",
        24 => "7.0",
        25 => "7.1",
        26 => "8.0",
        27 => "8.1",
        28 => "9",
        29 => "10",
        30 => "11",
        31 => "12",
        32 => "12.1",
        33 => "13",
        34 => "14",
        35 => "15",
        36 => "16",
        _ => return None,
    })
}

/// Android's version from the API level AMAPI reports (its `softwareInfo.androidVersion` is
/// preferred when present): what the capability rows are written in. Levels below the table
/// read as its first release, levels above as its last.
pub fn android_version_of_api_level(api_level: u32) -> &'static str {
    release_of_api_level(api_level).unwrap_or(if api_level < 21 { "5.0" } else { "16" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_urls_are_checked() {
        assert!(check_enterprise_name("enterprises/LC00abc123").is_ok());
        for bad in ["LC00abc", "enterprises/", "enterprises/a/b", "enterprises/a b", "projects/x"] {
            assert!(check_enterprise_name(bad).is_err(), "{bad}");
        }
        assert!(check_project_id("my-project-1").is_ok());
        assert!(check_project_id("My_Project").is_err());
        assert!(check_subscription("projects/p-1/subscriptions/s_1").is_ok());
        assert!(check_subscription("projects/p/topics/t").is_err());
        assert_eq!(check_base_url("u", "https://androidmanagement.googleapis.com/").unwrap(), "https://androidmanagement.googleapis.com");
        assert_eq!(check_base_url("u", "http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert!(check_base_url("u", "http://example.com").is_err());
        assert!(check_base_url("u", "http://127.0.0.1.evil.com").is_err());
        assert_eq!(android_version_of_api_level(23), "6.0");
        assert_eq!(android_version_of_api_level(34), "14");
    }
}
