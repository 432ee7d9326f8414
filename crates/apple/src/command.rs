//! Commands the server sends in answer to a device's PUT to the command endpoint. The
//! UnlockToken of a ClearPasscode is put in only here, at delivery: the queue never holds it.

use crate::limits::{dictionary, required, DecodeError};
use plist::{Dictionary, Value};

#[derive(Clone, PartialEq, Eq)]
pub enum Request {
    ClearPasscode {
        unlock_token: Vec<u8>,
    },
    SecurityInfo,
    DeviceInformation {
        queries: Vec<String>,
    },
    /// macOS needs a 6-digit `pin`; iOS shows the optional message and phone number.
    DeviceLock {
        message: Option<String>,
        phone_number: Option<String>,
        pin: Option<String>,
    },
    EraseDevice {
        pin: Option<String>,
    },
    RemoveProfile {
        identifier: String,
    },
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens and PINs are secrets: name the command only.
        f.write_str(self.request_type())
    }
}

impl Request {
    pub fn request_type(&self) -> &'static str {
        match self {
            Request::ClearPasscode { .. } => "ClearPasscode",
            Request::SecurityInfo => "SecurityInfo",
            Request::DeviceInformation { .. } => "DeviceInformation",
            Request::DeviceLock { .. } => "DeviceLock",
            Request::EraseDevice { .. } => "EraseDevice",
            Request::RemoveProfile { .. } => "RemoveProfile",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub uuid: String,
    pub request: Request,
}

fn put_opt(d: &mut Dictionary, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        d.insert(key.into(), Value::String(v.clone()));
    }
}

impl Command {
    /// The command dictionary (`RequestType` and its keys).
    pub fn command_dictionary(&self) -> Dictionary {
        let mut c = Dictionary::new();
        c.insert("RequestType".into(), Value::String(self.request.request_type().into()));
        match &self.request {
            Request::ClearPasscode { unlock_token } => {
                c.insert("UnlockToken".into(), Value::Data(unlock_token.clone()));
            }
            Request::SecurityInfo => {}
            Request::DeviceInformation { queries } => {
                c.insert("Queries".into(), Value::Array(queries.iter().cloned().map(Value::String).collect()));
            }
            Request::DeviceLock { message, phone_number, pin } => {
                put_opt(&mut c, "Message", message);
                put_opt(&mut c, "PhoneNumber", phone_number);
                put_opt(&mut c, "PIN", pin);
            }
            Request::EraseDevice { pin } => put_opt(&mut c, "PIN", pin),
            Request::RemoveProfile { identifier } => {
                c.insert("Identifier".into(), Value::String(identifier.clone()));
            }
        }
        c
    }

    /// The XML property list the device receives.
    pub fn encode(&self) -> Vec<u8> {
        let mut top = Dictionary::new();
        top.insert("CommandUUID".into(), Value::String(self.uuid.clone()));
        top.insert("Command".into(), Value::Dictionary(self.command_dictionary()));
        let mut out = Vec::new();
        Value::Dictionary(top).to_writer_xml(&mut out).expect("writing a plist to memory");
        out
    }

    /// What a device reads (the simulator's side).
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let d = dictionary(body)?;
        let uuid = required(&d, "CommandUUID")?;
        let c = d.get("Command").and_then(Value::as_dictionary).ok_or(DecodeError::Missing("Command"))?;
        let s = |k: &str| c.get(k).and_then(Value::as_string).map(str::to_owned);
        let request = match required(c, "RequestType")?.as_str() {
            "ClearPasscode" => Request::ClearPasscode {
                unlock_token: c.get("UnlockToken").and_then(Value::as_data).ok_or(DecodeError::Missing("UnlockToken"))?.to_vec(),
            },
            "SecurityInfo" => Request::SecurityInfo,
            "DeviceInformation" => Request::DeviceInformation {
                queries: c
                    .get("Queries")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|v| v.as_string().map(str::to_owned)).collect())
                    .unwrap_or_default(),
            },
            "DeviceLock" => Request::DeviceLock { message: s("Message"), phone_number: s("PhoneNumber"), pin: s("PIN") },
            "EraseDevice" => Request::EraseDevice { pin: s("PIN") },
            "RemoveProfile" => Request::RemoveProfile { identifier: s("Identifier").ok_or(DecodeError::Missing("Identifier"))? },
            _ => return Err(DecodeError::WrongType { key: "RequestType", expected: "a command this server sends" }),
        };
        Ok(Command { uuid, request })
    }
}
