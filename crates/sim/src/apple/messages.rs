//! What the simulated device sends, written here with the `plist` crate (never with the
//! server's encoders), in the shapes Apple's schemas and captured devices show.

use super::{AppleDevice, AppleKind};
use plist::{Dictionary, Value};

pub const CHECKIN_CONTENT_TYPE: &str = "application/x-apple-aspen-mdm-checkin";
pub const CONNECT_CONTENT_TYPE: &str = "application/x-apple-aspen-mdm";

pub fn xml(d: Dictionary) -> Vec<u8> {
    let mut out = Vec::new();
    plist::to_writer_xml(&mut out, &Value::Dictionary(d)).expect("writing a plist to memory");
    out
}

fn put(d: &mut Dictionary, key: &str, value: impl Into<Value>) {
    d.insert(key.to_string(), value.into());
}

/// The keys that name the device in every message: UDID, or the EnrollmentID under User
/// Enrollment.
fn identified(device: &AppleDevice, message_type: Option<&str>) -> Dictionary {
    let mut d = Dictionary::new();
    if let Some(t) = message_type {
        put(&mut d, "MessageType", t);
        put(&mut d, "Topic", device.topic.as_str());
    }
    if device.kind.is_user_enrollment() {
        put(&mut d, "EnrollmentID", device.udid.as_str());
    } else {
        put(&mut d, "UDID", device.udid.as_str());
    }
    d
}

pub fn authenticate(device: &AppleDevice) -> Vec<u8> {
    let kind = device.kind;
    let mut d = identified(device, Some("Authenticate"));
    put(&mut d, "OSVersion", kind.os_version());
    put(&mut d, "BuildVersion", kind.build_version());
    put(&mut d, "ProductName", kind.product_name());
    if !kind.is_user_enrollment() {
        put(&mut d, "SerialNumber", device.serial.as_str());
    }
    if kind.has_cellular() && !kind.is_user_enrollment() {
        put(&mut d, "IMEI", "35 291708 123456 7");
    }
    if kind.is_mac() {
        put(&mut d, "DeviceName", device.name.as_str());
        put(&mut d, "Model", kind.product_name());
        put(&mut d, "ModelName", kind.model_name());
    }
    xml(d)
}

pub fn token_update(device: &AppleDevice, unlock_token: Option<&[u8]>) -> Vec<u8> {
    let mut d = identified(device, Some("TokenUpdate"));
    put(&mut d, "Token", Value::Data(device.push_token.clone()));
    put(&mut d, "PushMagic", device.push_magic.as_str());
    put(&mut d, "AwaitingConfiguration", false);
    if let Some(t) = unlock_token {
        put(&mut d, "UnlockToken", Value::Data(t.to_vec()));
    }
    xml(d)
}

pub fn check_out(device: &AppleDevice) -> Vec<u8> {
    xml(identified(device, Some("CheckOut")))
}

/// A command result: `Idle` (no UUID), or the answer to one command with its extra keys.
pub fn result(device: &AppleDevice, status: &str, command_uuid: Option<&str>, extra: Dictionary) -> Vec<u8> {
    let mut d = identified(device, None);
    put(&mut d, "Status", status);
    if let Some(u) = command_uuid {
        put(&mut d, "CommandUUID", u);
    }
    d.extend(extra);
    xml(d)
}

/// An ErrorChain of one item, as devices report a refused command.
pub fn error_chain(domain: &str, code: i64, description: &str) -> Dictionary {
    let mut item = Dictionary::new();
    put(&mut item, "ErrorDomain", domain);
    put(&mut item, "ErrorCode", code);
    put(&mut item, "LocalizedDescription", description);
    put(&mut item, "USEnglishDescription", description);
    let mut d = Dictionary::new();
    put(&mut d, "ErrorChain", Value::Array(vec![Value::Dictionary(item)]));
    d
}

/// SecurityInfo as iOS reports it (`device.security.info.yaml`, the keys a passcode reset reads).
pub fn security_info(kind: AppleKind, passcode_present: bool) -> Dictionary {
    let mut info = Dictionary::new();
    if kind.is_mac() {
        put(&mut info, "FDE_Enabled", true);
        put(&mut info, "SystemIntegrityProtectionEnabled", true);
    } else {
        put(&mut info, "HardwareEncryptionCaps", 3i64);
        put(&mut info, "PasscodePresent", passcode_present);
        put(&mut info, "PasscodeCompliant", true);
        put(&mut info, "PasscodeCompliantWithProfiles", true);
    }
    let mut d = Dictionary::new();
    put(&mut d, "SecurityInfo", Value::Dictionary(info));
    d
}

/// DeviceInformation: only the queries asked for, and only those this kind of device knows.
pub fn device_information(device: &AppleDevice, queries: &[String]) -> Dictionary {
    let kind = device.kind;
    let mut answers = Dictionary::new();
    for q in queries {
        let value: Option<Value> = match q.as_str() {
            "UDID" if !kind.is_user_enrollment() => Some(device.udid.as_str().into()),
            "EnrollmentID" if kind.is_user_enrollment() => Some(device.udid.as_str().into()),
            "DeviceName" => Some(device.name.as_str().into()),
            "OSVersion" => Some(kind.os_version().into()),
            "BuildVersion" => Some(kind.build_version().into()),
            "ProductName" => Some(kind.product_name().into()),
            "Model" if !kind.is_user_enrollment() => Some(kind.product_name().into()),
            "ModelName" => Some(kind.model_name().into()),
            "SerialNumber" if !kind.is_user_enrollment() => Some(device.serial.as_str().into()),
            "IsMultiUser" if !kind.is_mac() => Some(kind.is_multi_user().into()),
            "IsSupervised" => Some(kind.is_multi_user().into()),
            "IsActivationLockEnabled" => Some(false.into()),
            "IsCloudBackupEnabled" if !kind.is_mac() => Some(true.into()),
            "HasBattery" => Some(true.into()),
            _ => None,
        };
        if let Some(v) = value {
            answers.insert(q.clone(), v);
        }
    }
    let mut d = Dictionary::new();
    put(&mut d, "QueryResponses", Value::Dictionary(answers));
    d
}
