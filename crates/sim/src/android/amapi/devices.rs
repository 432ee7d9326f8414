//! The Android devices behind the stand-in Google: what Android Device Policy reports to
//! Google about each, and how each carries out a command — Android's rules as the agent
//! simulator applies them (`AndroidProfile`), seen through AMAPI's error codes.

use crate::android::AndroidProfile;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Carries out what Android allows.
    Online,
    /// Fails every command with this AMAPI `errorCode` (fault injection).
    FailWith(&'static str),
    /// Never picks up a command: its operations never complete.
    Offline,
}

#[derive(Clone, Debug)]
pub struct SimAmapiDevice {
    /// The last part of `enterprises/E/devices/D`.
    pub id: String,
    pub api_level: u32,
    pub android_version: String,
    /// `DEVICE_OWNER` or `PROFILE_OWNER`.
    pub management_mode: &'static str,
    /// `COMPANY_OWNED` or `PERSONALLY_OWNED`.
    pub ownership: &'static str,
    pub model: String,
    pub security_patch: String,
    /// The AMAPI user's `accountIdentifier`.
    pub account: Option<String>,
    pub behaviour: Behaviour,
    /// The shortest passcode the device's policy accepts.
    pub policy_min_length: usize,
    pub passcode: Option<String>,
    pub work_passcode: Option<String>,
    pub locked: bool,
    pub wiped: bool,
    /// Removed from the enterprise (in Google's console, or the user removed the work profile):
    /// listed as DELETED, as is a wiped device.
    pub deleted: bool,
}

impl SimAmapiDevice {
    /// A device of one of the agent simulator's profiles, managed by Android Device Policy
    /// instead (device admins cannot be: AMAPI manages device and profile owners only).
    pub fn from_profile(profile: AndroidProfile, id: &str) -> Self {
        let mode = match profile.mode() {
            "profile_owner" => "PROFILE_OWNER",
            _ => "DEVICE_OWNER",
        };
        SimAmapiDevice {
            id: id.into(),
            api_level: profile.api_level(),
            android_version: profile.release().into(),
            management_mode: mode,
            ownership: if mode == "PROFILE_OWNER" { "PERSONALLY_OWNED" } else { "COMPANY_OWNED" },
            model: profile.model().into(),
            security_patch: "2026-10-05".into(),
            account: None,
            behaviour: Behaviour::Online,
            policy_min_length: 4,
            passcode: Some("old-passcode".into()),
            work_passcode: None,
            locked: false,
            wiped: false,
            deleted: false,
        }
    }

    /// Android 6.0 (API 23) as device owner: `resetPassword` still sets a new passcode.
    pub fn android6_device_owner(id: &str) -> Self {
        let base = Self::from_profile(AndroidProfile::Android6DeviceAdmin, id);
        SimAmapiDevice { management_mode: "DEVICE_OWNER", ownership: "COMPANY_OWNED", ..base }
    }

    /// Android 7.1 (API 25) with a work profile: a profile owner before 8.0 cannot reset.
    pub fn android71_work_profile(id: &str) -> Self {
        let base = Self::from_profile(AndroidProfile::Android7DeviceAdmin, id);
        SimAmapiDevice { management_mode: "PROFILE_OWNER", ownership: "PERSONALLY_OWNED", ..base }
    }

    pub fn with_account(mut self, login: &str) -> Self {
        self.account = Some(login.into());
        self
    }
    pub fn with_behaviour(mut self, b: Behaviour) -> Self {
        self.behaviour = b;
        self
    }

    /// The `Device` resource as `devices.list` returns it.
    pub fn resource(&self, enterprise: &str) -> Value {
        let mut d = json!({
            "name": format!("{enterprise}/devices/{}", self.id),
            "managementMode": self.management_mode,
            "ownership": self.ownership,
            "apiLevel": self.api_level,
            "state": if self.deleted || self.wiped { "DELETED" } else { "ACTIVE" },
            "hardwareInfo": { "model": self.model, "serialNumber": format!("SN-{}", self.id) },
            "softwareInfo": { "androidVersion": self.android_version, "securityPatchLevel": self.security_patch },
            "enrollmentTime": "2026-11-01T09:00:00Z",
            "lastStatusReportTime": "2026-12-01T09:00:00Z",
        });
        if let Some(a) = &self.account {
            d["user"] = json!({ "accountIdentifier": a });
        }
        d
    }

    /// Carry out `command` as the device would. None: the device never picks it up. Some(Ok):
    /// done; Some(Err((errorCode, message))): failed.
    pub fn execute(&mut self, command: &Value) -> Option<Result<(), (&'static str, String)>> {
        match self.behaviour {
            Behaviour::Offline => return None,
            Behaviour::FailWith(code) => return Some(Err((code, format!("the device failed the command with {code}")))),
            Behaviour::Online => {}
        }
        Some(match command["type"].as_str().unwrap_or_default() {
            "RESET_PASSWORD" => self.reset(command),
            "LOCK" => {
                self.locked = true;
                Ok(())
            }
            "WIPE" if self.management_mode == "PROFILE_OWNER" => {
                Err(("MANAGEMENT_MODE", "a profile owner removes its work profile, not the device's data".into()))
            }
            "WIPE" => {
                self.wiped = true;
                Ok(())
            }
            other => Err(("UNSUPPORTED", format!("this stand-in device does not carry out {other}"))),
        })
    }

    fn reset(&mut self, command: &Value) -> Result<(), (&'static str, String)> {
        let new = command["newPassword"].as_str().unwrap_or_default().to_string();
        // Before 8.0 only a device owner (or device admin) could replace the passcode.
        if self.management_mode == "PROFILE_OWNER" && self.api_level < 26 {
            return Err(("API_LEVEL", "a profile owner can reset the passcode from Android 8.0".into()));
        }
        let numeric = !new.is_empty() && new.chars().all(|c| c.is_ascii_digit());
        if numeric && self.api_level >= 34 && new.len() < 6 {
            return Err(("INVALID_VALUE", "a numeric password must be at least 6 digits on Android 14".into()));
        }
        if new.len() < self.policy_min_length {
            return Err(("INVALID_VALUE", format!("the password policy needs at least {} characters", self.policy_min_length)));
        }
        if self.management_mode == "PROFILE_OWNER" {
            self.work_passcode = Some(new);
        } else {
            self.passcode = Some(new);
        }
        let flags = command["resetPasswordFlags"].as_array().cloned().unwrap_or_default();
        if flags.iter().any(|f| f == "LOCK_NOW") {
            self.locked = true;
        }
        Ok(())
    }
}
