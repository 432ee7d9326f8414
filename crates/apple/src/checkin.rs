//! Check-in messages (`PUT /mdm/apple/checkin`, `application/x-apple-aspen-mdm-checkin`).
//! Key names and types follow `mdm/checkin/*.yaml`; the conformance test holds us to them.
//!
//! A key the schema marks `required` without any per-platform condition (MessageType, Topic,
//! and for TokenUpdate Token and PushMagic) is required here. Keys required only on some
//! platform or enrollment kind (DeviceName on macOS, UDID outside User Enrollment, …) are
//! optional, except that every message must name its device by UDID or EnrollmentID.

use crate::limits::{dictionary, DecodeError, Fields, Limits};
use crate::write::{to_xml, DictBuilder};
use plist::{Dictionary, Value};
use std::fmt;

/// One check-in message. Unknown message types are a value, not an error, so the endpoint can
/// answer them properly (Apple expects a non-200 for what the server does not implement).
#[derive(Clone, PartialEq, Eq)]
pub enum CheckinMessage {
    Authenticate(Authenticate),
    TokenUpdate(TokenUpdate),
    /// The MDM profile was removed (sent only if `CheckOutWhenRemoved` was set).
    CheckOut {
        /// UDID, or the EnrollmentID under User Enrollment (see [`Authenticate::udid`]).
        udid: String,
        topic: String,
        enrollment_id: Option<String>,
    },
    /// UserAuthenticate, DeclarativeManagement, GetBootstrapToken, …: decoded far enough to
    /// know who asked, not handled.
    Unsupported {
        message_type: String,
        udid: Option<String>,
    },
}

/// `MessageType` = `Authenticate`: a (re-)enrollment starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Authenticate {
    /// The device's id on this server: its UDID, or under User Enrollment (no UDID is sent)
    /// its EnrollmentID, in which case [`Authenticate::enrollment_id`] holds the same value.
    pub udid: String,
    /// EnrollmentID (User Enrollment, iOS 13+/macOS 10.15+).
    pub enrollment_id: Option<String>,
    pub topic: String,
    pub os_version: Option<String>,
    pub build_version: Option<String>,
    /// e.g. `iPad2,5`, `iMac14,2`.
    pub product_name: Option<String>,
    pub serial_number: Option<String>,
    pub imei: Option<String>,
    pub meid: Option<String>,
    /// macOS only.
    pub device_name: Option<String>,
    /// macOS only (e.g. `iMac14,2`).
    pub model: Option<String>,
    /// macOS only (e.g. `iMac`).
    pub model_name: Option<String>,
}

/// `MessageType` = `TokenUpdate`: how to wake the device, and its UnlockToken.
/// The push token, PushMagic and UnlockToken are secrets: `Debug` shows only their lengths.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TokenUpdate {
    /// UDID, or the EnrollmentID under User Enrollment (see [`Authenticate::udid`]).
    pub udid: String,
    pub enrollment_id: Option<String>,
    /// macOS User Enrollment, user channel.
    pub enrollment_user_id: Option<String>,
    pub topic: String,
    /// APNs device token.
    pub token: Vec<u8>,
    pub push_magic: String,
    /// What ClearPasscode needs; iOS devices send it once, not on every TokenUpdate.
    pub unlock_token: Option<Vec<u8>>,
    /// The device waits in Setup Assistant for DeviceConfigured.
    pub awaiting_configuration: bool,
    /// macOS user channel.
    pub not_on_console: Option<bool>,
    /// User channel (macOS user, or Shared iPad where it is always all-F).
    pub user_id: Option<String>,
    pub user_short_name: Option<String>,
    pub user_long_name: Option<String>,
}

impl TokenUpdate {
    /// True when this token is for a user channel rather than the device channel.
    pub fn is_user_channel(&self) -> bool {
        self.user_id.is_some() || self.user_short_name.is_some() || self.enrollment_user_id.is_some()
    }
}

impl fmt::Debug for TokenUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenUpdate")
            .field("udid", &self.udid)
            .field("enrollment_id", &self.enrollment_id)
            .field("enrollment_user_id", &self.enrollment_user_id)
            .field("topic", &self.topic)
            .field("token_len", &self.token.len())
            .field("push_magic_len", &self.push_magic.len())
            .field("unlock_token_len", &self.unlock_token.as_ref().map(Vec::len))
            .field("awaiting_configuration", &self.awaiting_configuration)
            .field("not_on_console", &self.not_on_console)
            .field("user_id", &self.user_id)
            .field("user_short_name", &self.user_short_name)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for CheckinMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckinMessage::Authenticate(a) => f.debug_tuple("Authenticate").field(a).finish(),
            CheckinMessage::TokenUpdate(t) => f.debug_tuple("TokenUpdate").field(t).finish(),
            CheckinMessage::CheckOut { udid, topic, enrollment_id } => {
                f.debug_struct("CheckOut").field("udid", udid).field("topic", topic).field("enrollment_id", enrollment_id).finish()
            }
            CheckinMessage::Unsupported { message_type, udid } => {
                f.debug_struct("Unsupported").field("message_type", message_type).field("udid", udid).finish()
            }
        }
    }
}

/// The device id: UDID if present, else EnrollmentID (User Enrollment sends no UDID).
fn device_id(f: &Fields<'_>) -> Result<(String, Option<String>), DecodeError> {
    let enrollment_id = f.string("EnrollmentID")?;
    match (f.string("UDID")?, enrollment_id) {
        (Some(udid), e) => Ok((udid, e)),
        (None, Some(e)) => Ok((e.clone(), Some(e))),
        (None, None) => Err(DecodeError::MissingKey("UDID")),
    }
}

impl CheckinMessage {
    /// Decode with the default [`Limits`].
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        Self::decode_with(body, &Limits::default())
    }

    pub fn decode_with(body: &[u8], limits: &Limits) -> Result<Self, DecodeError> {
        Self::from_dictionary(&dictionary(body, limits)?)
    }

    pub fn from_dictionary(d: &Dictionary) -> Result<Self, DecodeError> {
        let f = Fields(d);
        let message_type = f.required_string("MessageType")?;
        Ok(match message_type.as_str() {
            "Authenticate" => {
                let (udid, enrollment_id) = device_id(&f)?;
                CheckinMessage::Authenticate(Authenticate {
                    udid,
                    enrollment_id,
                    topic: f.required_string("Topic")?,
                    os_version: f.string("OSVersion")?,
                    build_version: f.string("BuildVersion")?,
                    product_name: f.string("ProductName")?,
                    serial_number: f.string("SerialNumber")?,
                    imei: f.string("IMEI")?,
                    meid: f.string("MEID")?,
                    device_name: f.string("DeviceName")?,
                    model: f.string("Model")?,
                    model_name: f.string("ModelName")?,
                })
            }
            "TokenUpdate" => {
                let (udid, enrollment_id) = device_id(&f)?;
                CheckinMessage::TokenUpdate(TokenUpdate {
                    udid,
                    enrollment_id,
                    enrollment_user_id: f.string("EnrollmentUserID")?,
                    topic: f.required_string("Topic")?,
                    token: f.data("Token")?.filter(|t| !t.is_empty()).ok_or(DecodeError::MissingKey("Token"))?,
                    push_magic: f.required_string("PushMagic")?,
                    unlock_token: f.data("UnlockToken")?.filter(|t| !t.is_empty()),
                    awaiting_configuration: f.boolean("AwaitingConfiguration")?.unwrap_or(false),
                    not_on_console: f.boolean("NotOnConsole")?,
                    user_id: f.string("UserID")?,
                    user_short_name: f.string("UserShortName")?,
                    user_long_name: f.string("UserLongName")?,
                })
            }
            "CheckOut" => {
                let (udid, enrollment_id) = device_id(&f)?;
                CheckinMessage::CheckOut { udid, enrollment_id, topic: f.required_string("Topic")? }
            }
            _ => CheckinMessage::Unsupported { udid: device_id(&f).ok().map(|(u, _)| u), message_type },
        })
    }

    /// The MessageType this value came from.
    pub fn message_type(&self) -> &str {
        match self {
            CheckinMessage::Authenticate(_) => "Authenticate",
            CheckinMessage::TokenUpdate(_) => "TokenUpdate",
            CheckinMessage::CheckOut { .. } => "CheckOut",
            CheckinMessage::Unsupported { message_type, .. } => message_type,
        }
    }

    /// The device id (UDID or EnrollmentID), when the message named one.
    pub fn udid(&self) -> Option<&str> {
        match self {
            CheckinMessage::Authenticate(a) => Some(&a.udid),
            CheckinMessage::TokenUpdate(t) => Some(&t.udid),
            CheckinMessage::CheckOut { udid, .. } => Some(udid),
            CheckinMessage::Unsupported { udid, .. } => udid.as_deref(),
        }
    }

    /// The message as a device sends it: for the device simulator and for tests.
    pub fn to_dictionary(&self) -> Dictionary {
        let ids = |b: DictBuilder, udid: &str, enrollment_id: Option<&str>| {
            // Under User Enrollment the id *is* the EnrollmentID and no UDID is sent.
            if enrollment_id == Some(udid) {
                b.string("EnrollmentID", udid)
            } else {
                b.string("UDID", udid).opt_string("EnrollmentID", enrollment_id)
            }
        };
        let b = DictBuilder::new().string("MessageType", self.message_type());
        match self {
            CheckinMessage::Authenticate(a) => ids(b, &a.udid, a.enrollment_id.as_deref())
                .string("Topic", &a.topic)
                .opt_string("OSVersion", a.os_version.as_deref())
                .opt_string("BuildVersion", a.build_version.as_deref())
                .opt_string("ProductName", a.product_name.as_deref())
                .opt_string("SerialNumber", a.serial_number.as_deref())
                .opt_string("IMEI", a.imei.as_deref())
                .opt_string("MEID", a.meid.as_deref())
                .opt_string("DeviceName", a.device_name.as_deref())
                .opt_string("Model", a.model.as_deref())
                .opt_string("ModelName", a.model_name.as_deref()),
            CheckinMessage::TokenUpdate(t) => ids(b, &t.udid, t.enrollment_id.as_deref())
                .opt_string("EnrollmentUserID", t.enrollment_user_id.as_deref())
                .string("Topic", &t.topic)
                .data("Token", &t.token)
                .string("PushMagic", &t.push_magic)
                .opt_data("UnlockToken", t.unlock_token.as_deref())
                .opt_boolean("AwaitingConfiguration", t.awaiting_configuration.then_some(true))
                .opt_boolean("NotOnConsole", t.not_on_console)
                .opt_string("UserID", t.user_id.as_deref())
                .opt_string("UserShortName", t.user_short_name.as_deref())
                .opt_string("UserLongName", t.user_long_name.as_deref()),
            CheckinMessage::CheckOut { udid, topic, enrollment_id } => ids(b, udid, enrollment_id.as_deref()).string("Topic", topic),
            CheckinMessage::Unsupported { udid, .. } => b.opt_string("UDID", udid.as_deref()),
        }
        .build()
    }

    /// XML plist bytes of [`CheckinMessage::to_dictionary`].
    pub fn encode(&self) -> Vec<u8> {
        to_xml(Value::Dictionary(self.to_dictionary()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_update() -> TokenUpdate {
        TokenUpdate {
            udid: "UDID-1".into(),
            topic: "com.apple.mgmt.x".into(),
            token: vec![0xAB; 32],
            push_magic: "MAGIC-SECRET".into(),
            unlock_token: Some(vec![0xCD; 3000]),
            ..TokenUpdate::default()
        }
    }

    #[test]
    fn token_update_debug_shows_no_secret() {
        let shown = format!("{:?}", CheckinMessage::TokenUpdate(token_update()));
        assert!(shown.contains("unlock_token_len: Some(3000)") && shown.contains("token_len: 32"), "{shown}");
        assert!(!shown.contains("MAGIC-SECRET") && !shown.contains("205") && !shown.contains("171"), "{shown}");
    }

    #[test]
    fn user_enrollment_is_named_by_its_enrollment_id() {
        let mut a = Authenticate { udid: "E-1".into(), enrollment_id: Some("E-1".into()), topic: "t".into(), ..Default::default() };
        let d = CheckinMessage::Authenticate(a.clone()).to_dictionary();
        assert!(d.get("UDID").is_none() && d.get("EnrollmentID").is_some());
        assert_eq!(CheckinMessage::from_dictionary(&d), Ok(CheckinMessage::Authenticate(a.clone())));
        a.enrollment_id = None;
        let d = CheckinMessage::Authenticate(a.clone()).to_dictionary();
        assert_eq!(CheckinMessage::from_dictionary(&d), Ok(CheckinMessage::Authenticate(a)));
    }

    #[test]
    fn required_keys_are_required() {
        let full = CheckinMessage::TokenUpdate(token_update()).to_dictionary();
        for key in ["MessageType", "Topic", "Token", "PushMagic", "UDID"] {
            let mut d = full.clone();
            d.remove(key);
            assert_eq!(CheckinMessage::from_dictionary(&d), Err(DecodeError::MissingKey(key)), "{key}");
        }
    }

    #[test]
    fn user_channel_is_recognised() {
        let mut t = token_update();
        assert!(!t.is_user_channel());
        t.user_id = Some("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF".into());
        assert!(t.is_user_channel());
    }
}
