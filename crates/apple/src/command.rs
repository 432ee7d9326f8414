//! Commands the server answers a device's PUT to the command endpoint with:
//! `{CommandUUID, Command: {RequestType, …}}` as an XML plist (`mdm/commands/*.yaml`).
//!
//! Secrets (the UnlockToken of ClearPasscode, a Mac's Find My PIN) exist only in a [`Command`]
//! built at delivery. What a queue holds is a [`QueuedRequest`], which has no room for them;
//! [`QueuedRequest::deliver`] borrows them for the moment the command is built.

use crate::limits::{dictionary, DecodeError, Fields, Limits};
use crate::write::{to_xml, DictBuilder};
use plist::{Dictionary, Value};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A command as delivered. `uuid` is echoed back as the result's `CommandUUID`; any string
/// unique per delivery works (the server uses `<action id>.<step>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub uuid: String,
    pub request: Request,
}

/// The request of a delivered command. `Debug` names the request type only: some carry secrets.
#[derive(Clone, PartialEq, Eq)]
pub enum Request {
    /// iOS/iPadOS/visionOS/watchOS: removes the passcode using the escrowed UnlockToken.
    ClearPasscode {
        unlock_token: Vec<u8>,
    },
    SecurityInfo,
    /// `queries`: names from `information.device.yaml` (see
    /// [`crate::device_information::STANDARD_QUERIES`]).
    DeviceInformation {
        queries: Vec<String>,
    },
    /// `pin`: macOS Find My PIN, exactly six digits; ignored by iOS. Message and phone number
    /// are shown on the Lock screen.
    DeviceLock {
        message: Option<String>,
        phone_number: Option<String>,
        pin: Option<String>,
    },
    /// EraseDevice with at most the macOS PIN. Built by [`Request::erase`] when no other
    /// option is set, so each command has exactly one representation.
    EraseDevice {
        pin: Option<String>,
    },
    /// EraseDevice with options beyond the PIN (data plan, proximity setup, obliteration, Return
    /// to Service).
    EraseDeviceWith(EraseOptions),
    /// Removes the installed profile with this PayloadIdentifier (ours: unenrolls the device).
    RemoveProfile {
        identifier: String,
    },
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.request_type())
    }
}

/// Options of EraseDevice (`device.erase.yaml`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EraseOptions {
    /// macOS Find My PIN, six digits.
    pub pin: Option<String>,
    /// iOS 11+: keep the eSIM data plan.
    pub preserve_data_plan: Option<bool>,
    /// iOS 11.3+: skip Proximity Setup after the erase.
    pub disallow_proximity_setup: Option<bool>,
    /// macOS 12+: what to do when Erase All Content and Settings cannot run.
    pub obliteration_behavior: Option<ObliterationBehavior>,
    /// iOS 17+: re-enroll automatically after the erase.
    pub return_to_service: Option<ReturnToService>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObliterationBehavior {
    Default,
    DoNotObliterate,
    ObliterateWithWarning,
    Always,
}

impl ObliterationBehavior {
    pub fn as_str(self) -> &'static str {
        match self {
            ObliterationBehavior::Default => "Default",
            ObliterationBehavior::DoNotObliterate => "DoNotObliterate",
            ObliterationBehavior::ObliterateWithWarning => "ObliterateWithWarning",
            ObliterationBehavior::Always => "Always",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        [Self::Default, Self::DoNotObliterate, Self::ObliterateWithWarning, Self::Always].into_iter().find(|b| b.as_str() == s)
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnToService {
    pub enabled: bool,
    pub wifi_profile_data: Option<Vec<u8>>,
    pub mdm_profile_data: Option<Vec<u8>>,
}

impl fmt::Debug for ReturnToService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Profiles may carry Wi-Fi passwords: lengths only.
        f.debug_struct("ReturnToService")
            .field("enabled", &self.enabled)
            .field("wifi_profile_len", &self.wifi_profile_data.as_ref().map(Vec::len))
            .field("mdm_profile_len", &self.mdm_profile_data.as_ref().map(Vec::len))
            .finish()
    }
}

/// Why a command cannot be built or sent. Never contains the secret itself.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum CommandError {
    #[error("the command has no CommandUUID")]
    EmptyCommandUuid,
    #[error("ClearPasscode needs the device's UnlockToken, and none was given")]
    MissingUnlockToken,
    #[error("a Find My PIN must be exactly six digits")]
    InvalidPin,
    #[error("DeviceInformation needs at least one query")]
    NoQueries,
    #[error("RemoveProfile needs the profile's identifier")]
    EmptyIdentifier,
}

/// A macOS Find My PIN: exactly six ASCII digits.
pub fn is_valid_pin(pin: &str) -> bool {
    pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit())
}

impl Request {
    pub fn request_type(&self) -> &'static str {
        match self {
            Request::ClearPasscode { .. } => "ClearPasscode",
            Request::SecurityInfo => "SecurityInfo",
            Request::DeviceInformation { .. } => "DeviceInformation",
            Request::DeviceLock { .. } => "DeviceLock",
            Request::EraseDevice { .. } | Request::EraseDeviceWith(_) => "EraseDevice",
            Request::RemoveProfile { .. } => "RemoveProfile",
        }
    }

    /// ClearPasscode with the escrowed token, borrowed only for building the delivered command.
    pub fn clear_passcode(unlock_token: &[u8]) -> Request {
        Request::ClearPasscode { unlock_token: unlock_token.to_vec() }
    }

    /// EraseDevice in its one representation (see [`Request::EraseDevice`]).
    pub fn erase(options: EraseOptions) -> Request {
        match options {
            EraseOptions {
                pin,
                preserve_data_plan: None,
                disallow_proximity_setup: None,
                obliteration_behavior: None,
                return_to_service: None,
            } => Request::EraseDevice { pin },
            options => Request::EraseDeviceWith(options),
        }
    }

    /// Everything a device would refuse or misread, caught before sending.
    pub fn validate(&self) -> Result<(), CommandError> {
        let pin_ok = |pin: &Option<String>| match pin {
            Some(p) if !is_valid_pin(p) => Err(CommandError::InvalidPin),
            _ => Ok(()),
        };
        match self {
            Request::ClearPasscode { unlock_token } if unlock_token.is_empty() => Err(CommandError::MissingUnlockToken),
            Request::DeviceInformation { queries } if queries.is_empty() => Err(CommandError::NoQueries),
            Request::DeviceLock { pin, .. } | Request::EraseDevice { pin } => pin_ok(pin),
            Request::EraseDeviceWith(o) => pin_ok(&o.pin),
            Request::RemoveProfile { identifier } if identifier.is_empty() => Err(CommandError::EmptyIdentifier),
            _ => Ok(()),
        }
    }

    /// The `Command` dictionary: `RequestType` and the request's keys.
    pub fn to_dictionary(&self) -> Dictionary {
        let b = DictBuilder::new().string("RequestType", self.request_type());
        match self {
            Request::ClearPasscode { unlock_token } => b.data("UnlockToken", unlock_token),
            Request::SecurityInfo => b,
            Request::DeviceInformation { queries } => {
                b.value("Queries", Value::Array(queries.iter().cloned().map(Value::String).collect()))
            }
            Request::DeviceLock { message, phone_number, pin } => b
                .opt_string("Message", message.as_deref())
                .opt_string("PhoneNumber", phone_number.as_deref())
                .opt_string("PIN", pin.as_deref()),
            Request::EraseDevice { pin } => b.opt_string("PIN", pin.as_deref()),
            Request::EraseDeviceWith(o) => {
                let b = b
                    .opt_boolean("PreserveDataPlan", o.preserve_data_plan)
                    .opt_boolean("DisallowProximitySetup", o.disallow_proximity_setup)
                    .opt_string("PIN", o.pin.as_deref())
                    .opt_string("ObliterationBehavior", o.obliteration_behavior.map(ObliterationBehavior::as_str));
                match &o.return_to_service {
                    None => b,
                    Some(r) => b.value(
                        "ReturnToService",
                        Value::Dictionary(
                            DictBuilder::new()
                                .boolean("Enabled", r.enabled)
                                .opt_data("WiFiProfileData", r.wifi_profile_data.as_deref())
                                .opt_data("MDMProfileData", r.mdm_profile_data.as_deref())
                                .build(),
                        ),
                    ),
                }
            }
            Request::RemoveProfile { identifier } => b.string("Identifier", identifier),
        }
        .build()
    }

    /// Read a `Command` dictionary as a device would.
    pub fn from_dictionary(d: &Dictionary) -> Result<Request, DecodeError> {
        let f = Fields(d);
        let request_type = f.required_string("RequestType")?;
        Ok(match request_type.as_str() {
            "ClearPasscode" => Request::ClearPasscode {
                unlock_token: f.data("UnlockToken")?.filter(|t| !t.is_empty()).ok_or(DecodeError::MissingKey("UnlockToken"))?,
            },
            "SecurityInfo" => Request::SecurityInfo,
            "DeviceInformation" => Request::DeviceInformation { queries: f.strings("Queries")?.ok_or(DecodeError::MissingKey("Queries"))? },
            "DeviceLock" => {
                Request::DeviceLock { message: f.string("Message")?, phone_number: f.string("PhoneNumber")?, pin: f.string("PIN")? }
            }
            "EraseDevice" => {
                let obliteration_behavior = match f.string("ObliterationBehavior")? {
                    None => None,
                    Some(s) => Some(
                        ObliterationBehavior::parse(&s)
                            .ok_or(DecodeError::InvalidValue { key: "ObliterationBehavior", reason: "not a value of its rangelist" })?,
                    ),
                };
                let return_to_service = match f.dictionary("ReturnToService")? {
                    None => None,
                    Some(r) => {
                        let r = Fields(r);
                        Some(ReturnToService {
                            enabled: r.boolean("Enabled")?.ok_or(DecodeError::MissingKey("Enabled"))?,
                            wifi_profile_data: r.data("WiFiProfileData")?,
                            mdm_profile_data: r.data("MDMProfileData")?,
                        })
                    }
                };
                Request::erase(EraseOptions {
                    pin: f.string("PIN")?,
                    preserve_data_plan: f.boolean("PreserveDataPlan")?,
                    disallow_proximity_setup: f.boolean("DisallowProximitySetup")?,
                    obliteration_behavior,
                    return_to_service,
                })
            }
            "RemoveProfile" => Request::RemoveProfile { identifier: f.required_string("Identifier")? },
            _ => return Err(DecodeError::UnsupportedRequestType(request_type)),
        })
    }
}

impl Command {
    pub fn new(uuid: impl Into<String>, request: Request) -> Command {
        Command { uuid: uuid.into(), request }
    }

    /// `{CommandUUID, Command}` as a dictionary.
    pub fn to_dictionary(&self) -> Dictionary {
        DictBuilder::new().string("CommandUUID", &self.uuid).value("Command", Value::Dictionary(self.request.to_dictionary())).build()
    }

    /// The XML plist body, without checks (see [`Command::try_encode`]).
    pub fn encode(&self) -> Vec<u8> {
        to_xml(Value::Dictionary(self.to_dictionary()))
    }

    /// The XML plist body, after [`Request::validate`]: the way to send a command.
    pub fn try_encode(&self) -> Result<Vec<u8>, CommandError> {
        if self.uuid.is_empty() {
            return Err(CommandError::EmptyCommandUuid);
        }
        self.request.validate()?;
        Ok(self.encode())
    }

    /// Read a command body as a device would (the simulator's side), default [`Limits`].
    pub fn decode(body: &[u8]) -> Result<Command, DecodeError> {
        Self::decode_with(body, &Limits::default())
    }

    pub fn decode_with(body: &[u8], limits: &Limits) -> Result<Command, DecodeError> {
        let d = dictionary(body, limits)?;
        let f = Fields(&d);
        let uuid = f.required_string("CommandUUID")?;
        let request = Request::from_dictionary(f.dictionary("Command")?.ok_or(DecodeError::MissingKey("Command"))?)?;
        Ok(Command { uuid, request })
    }
}

/// What a command queue holds: a request with no secret in it. The secrets are handed to
/// [`QueuedRequest::deliver`] when the device asks, and end up only in the response body.
/// Serializable (serde) so a store can keep it as it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "request_type")]
pub enum QueuedRequest {
    /// Filled with the escrowed UnlockToken at delivery.
    ClearPasscode,
    SecurityInfo,
    DeviceInformation {
        queries: Vec<String>,
    },
    /// A Mac also gets the delivery PIN.
    DeviceLock {
        message: Option<String>,
        phone_number: Option<String>,
    },
    /// `options.pin` is ignored; a Mac gets the delivery PIN.
    EraseDevice {
        options: EraseOptions,
    },
    RemoveProfile {
        identifier: String,
    },
}

/// Secrets borrowed for one delivery.
#[derive(Clone, Copy, Default)]
pub struct DeliverySecrets<'a> {
    pub unlock_token: Option<&'a [u8]>,
    /// macOS Find My PIN for DeviceLock / EraseDevice.
    pub pin: Option<&'a str>,
}

impl fmt::Debug for DeliverySecrets<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeliverySecrets")
            .field("unlock_token_len", &self.unlock_token.map(<[u8]>::len))
            .field("pin", &self.pin.map(|_| "***"))
            .finish()
    }
}

impl QueuedRequest {
    pub fn request_type(&self) -> &'static str {
        match self {
            QueuedRequest::ClearPasscode => "ClearPasscode",
            QueuedRequest::SecurityInfo => "SecurityInfo",
            QueuedRequest::DeviceInformation { .. } => "DeviceInformation",
            QueuedRequest::DeviceLock { .. } => "DeviceLock",
            QueuedRequest::EraseDevice { .. } => "EraseDevice",
            QueuedRequest::RemoveProfile { .. } => "RemoveProfile",
        }
    }

    /// Build the command to send now, validated.
    pub fn deliver(&self, uuid: impl Into<String>, secrets: DeliverySecrets<'_>) -> Result<Command, CommandError> {
        let pin = secrets.pin.map(str::to_owned);
        let request = match self {
            QueuedRequest::ClearPasscode => Request::clear_passcode(secrets.unlock_token.ok_or(CommandError::MissingUnlockToken)?),
            QueuedRequest::SecurityInfo => Request::SecurityInfo,
            QueuedRequest::DeviceInformation { queries } => Request::DeviceInformation { queries: queries.clone() },
            QueuedRequest::DeviceLock { message, phone_number } => {
                Request::DeviceLock { message: message.clone(), phone_number: phone_number.clone(), pin }
            }
            QueuedRequest::EraseDevice { options } => Request::erase(EraseOptions { pin, ..options.clone() }),
            QueuedRequest::RemoveProfile { identifier } => Request::RemoveProfile { identifier: identifier.clone() },
        };
        let command = Command::new(uuid, request);
        if command.uuid.is_empty() {
            return Err(CommandError::EmptyCommandUuid);
        }
        command.request.validate()?;
        Ok(command)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_passcode_cannot_be_delivered_without_its_token() {
        let q = QueuedRequest::ClearPasscode;
        assert_eq!(q.deliver("a.clear", DeliverySecrets::default()), Err(CommandError::MissingUnlockToken));
        let token = vec![7u8; 2048];
        let c = q.deliver("a.clear", DeliverySecrets { unlock_token: Some(&token), pin: None }).unwrap();
        assert_eq!(c.request, Request::ClearPasscode { unlock_token: token });
        assert_eq!(Request::clear_passcode(&[]).validate(), Err(CommandError::MissingUnlockToken));
    }

    #[test]
    fn queued_requests_serialize_for_the_store() {
        let all = [
            QueuedRequest::ClearPasscode,
            QueuedRequest::SecurityInfo,
            QueuedRequest::DeviceInformation { queries: vec!["UDID".into()] },
            QueuedRequest::DeviceLock { message: Some("Call IT".into()), phone_number: None },
            QueuedRequest::EraseDevice {
                options: EraseOptions { obliteration_behavior: Some(ObliterationBehavior::Always), ..Default::default() },
            },
            QueuedRequest::RemoveProfile { identifier: "com.pinreset.mdm".into() },
        ];
        for q in all {
            let mut bytes = Vec::new();
            plist::to_writer_xml(&mut bytes, &q).unwrap();
            let text = String::from_utf8(bytes.clone()).unwrap();
            assert!(text.contains(q.request_type()), "{text}");
            assert_eq!(plist::from_bytes::<QueuedRequest>(&bytes).unwrap(), q);
        }
    }

    #[test]
    fn pins_are_six_digits() {
        for bad in ["12345", "1234567", "12345a", "１２３４５６", ""] {
            assert!(!is_valid_pin(bad), "{bad}");
            let q = QueuedRequest::DeviceLock { message: None, phone_number: None };
            assert_eq!(q.deliver("u", DeliverySecrets { pin: Some(bad), unlock_token: None }), Err(CommandError::InvalidPin), "{bad}");
        }
        assert!(is_valid_pin("012345"));
        let erase = Command::new("u", Request::EraseDevice { pin: Some("99".into()) });
        assert_eq!(erase.try_encode(), Err(CommandError::InvalidPin));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let c = Command::new("u", Request::clear_passcode(b"SECRET-TOKEN"));
        let lock = Command::new("u", Request::DeviceLock { message: None, phone_number: None, pin: Some("424242".into()) });
        let shown = format!("{c:?} {lock:?} {:?}", DeliverySecrets { unlock_token: Some(b"SECRET-TOKEN"), pin: Some("424242") });
        assert!(!shown.contains("SECRET") && !shown.contains("83, 69") && !shown.contains("424242"), "{shown}");
        assert!(shown.contains("ClearPasscode") && shown.contains("DeviceLock"));
    }

    #[test]
    fn erase_has_one_representation() {
        assert_eq!(
            Request::erase(EraseOptions { pin: Some("123456".into()), ..Default::default() }),
            Request::EraseDevice { pin: Some("123456".into()) }
        );
        let with = Request::erase(EraseOptions { preserve_data_plan: Some(true), ..Default::default() });
        assert!(matches!(with, Request::EraseDeviceWith(_)));
        assert_eq!(with.request_type(), "EraseDevice");
    }

    #[test]
    fn unknown_request_types_are_refused_by_the_device_side() {
        let mut c = Command::new("u", Request::SecurityInfo).to_dictionary();
        c.insert("Command".into(), Value::Dictionary(DictBuilder::new().string("RequestType", "Reboot").build()));
        let body = to_xml(Value::Dictionary(c));
        assert_eq!(Command::decode(&body), Err(DecodeError::UnsupportedRequestType("Reboot".into())));
    }
}
