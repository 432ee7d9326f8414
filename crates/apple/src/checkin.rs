//! Check-in messages (PUT /mdm/apple/checkin, `application/x-apple-aspen-mdm-checkin`).

use crate::limits::{data, dictionary, required, string, DecodeError};
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub enum CheckinMessage {
    Authenticate(Authenticate),
    TokenUpdate(TokenUpdate),
    CheckOut {
        udid: String,
        topic: Option<String>,
    },
    /// A message type we do not handle (UserAuthenticate, DeclarativeManagement, …).
    Unsupported {
        message_type: String,
        udid: Option<String>,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Authenticate {
    pub udid: String,
    pub topic: String,
    pub os_version: Option<String>,
    pub build_version: Option<String>,
    pub product_name: Option<String>,
    pub serial_number: Option<String>,
    pub imei: Option<String>,
    pub meid: Option<String>,
    pub device_name: Option<String>,
    pub model: Option<String>,
    pub model_name: Option<String>,
    /// User Enrollment: the enrollment id replaces the UDID.
    pub enrollment_id: Option<String>,
}

/// Push token, PushMagic and the UnlockToken. The tokens are secrets: `Debug` shows lengths.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenUpdate {
    pub udid: String,
    pub topic: String,
    pub token: Vec<u8>,
    pub push_magic: String,
    pub unlock_token: Option<Vec<u8>>,
    pub awaiting_configuration: bool,
    /// Present on the user channel (macOS); we manage the device channel.
    pub user_id: Option<String>,
}

impl fmt::Debug for TokenUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenUpdate")
            .field("udid", &self.udid)
            .field("topic", &self.topic)
            .field("token_len", &self.token.len())
            .field("push_magic", &"<redacted>")
            .field("unlock_token_len", &self.unlock_token.as_ref().map(Vec::len))
            .field("awaiting_configuration", &self.awaiting_configuration)
            .field("user_id", &self.user_id)
            .finish()
    }
}

impl fmt::Debug for CheckinMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckinMessage::Authenticate(a) => a.fmt(f),
            CheckinMessage::TokenUpdate(t) => t.fmt(f),
            CheckinMessage::CheckOut { udid, .. } => write!(f, "CheckOut {{ udid: {udid:?} }}"),
            CheckinMessage::Unsupported { message_type, .. } => write!(f, "Unsupported({message_type:?})"),
        }
    }
}

/// The device's id: UDID, or EnrollmentID for User Enrollment.
fn device_id(d: &plist::Dictionary) -> Result<String, DecodeError> {
    match (string(d, "UDID")?, string(d, "EnrollmentID")?) {
        (Some(u), _) if !u.is_empty() => Ok(u),
        (_, Some(e)) if !e.is_empty() => Ok(e),
        _ => Err(DecodeError::Missing("UDID")),
    }
}

impl CheckinMessage {
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let d = dictionary(body)?;
        let message_type = required(&d, "MessageType")?;
        Ok(match message_type.as_str() {
            "Authenticate" => CheckinMessage::Authenticate(Authenticate {
                udid: device_id(&d)?,
                topic: required(&d, "Topic")?,
                os_version: string(&d, "OSVersion")?,
                build_version: string(&d, "BuildVersion")?,
                product_name: string(&d, "ProductName")?,
                serial_number: string(&d, "SerialNumber")?,
                imei: string(&d, "IMEI")?,
                meid: string(&d, "MEID")?,
                device_name: string(&d, "DeviceName")?,
                model: string(&d, "Model")?,
                model_name: string(&d, "ModelName")?,
                enrollment_id: string(&d, "EnrollmentID")?,
            }),
            "TokenUpdate" => CheckinMessage::TokenUpdate(TokenUpdate {
                udid: device_id(&d)?,
                topic: required(&d, "Topic")?,
                token: data(&d, "Token")?.ok_or(DecodeError::Missing("Token"))?,
                push_magic: required(&d, "PushMagic")?,
                unlock_token: data(&d, "UnlockToken")?,
                awaiting_configuration: matches!(d.get("AwaitingConfiguration"), Some(plist::Value::Boolean(true))),
                user_id: string(&d, "UserID")?,
            }),
            "CheckOut" => CheckinMessage::CheckOut { udid: device_id(&d)?, topic: string(&d, "Topic")? },
            other => CheckinMessage::Unsupported { message_type: other.to_string(), udid: device_id(&d).ok() },
        })
    }

    pub fn udid(&self) -> Option<&str> {
        match self {
            CheckinMessage::Authenticate(a) => Some(&a.udid),
            CheckinMessage::TokenUpdate(t) => Some(&t.udid),
            CheckinMessage::CheckOut { udid, .. } => Some(udid),
            CheckinMessage::Unsupported { udid, .. } => udid.as_deref(),
        }
    }
}
