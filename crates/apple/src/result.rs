//! What a device PUTs to the command endpoint: Idle, or the result of the last command.

use crate::limits::{dictionary, required, string, DecodeError};
use plist::{Dictionary, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultStatus {
    /// Nothing to report; asks for the next command.
    Idle,
    Acknowledged,
    Error,
    CommandFormatError,
    /// The device cannot run the command now (e.g. locked); send it again later.
    NotNow,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorChainItem {
    pub code: i64,
    pub domain: String,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CommandResult {
    pub udid: String,
    pub status: ResultStatus,
    pub command_uuid: Option<String>,
    pub error_chain: Vec<ErrorChainItem>,
    /// The whole dictionary, for responses such as SecurityInfo and QueryResponses.
    pub raw: Dictionary,
}

/// The parts of a SecurityInfo response the reset relies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecurityInfo {
    pub passcode_present: Option<bool>,
    pub passcode_compliant: Option<bool>,
}

impl CommandResult {
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let d = dictionary(body)?;
        let udid = match (string(&d, "UDID")?, string(&d, "EnrollmentID")?) {
            (Some(u), _) if !u.is_empty() => u,
            (_, Some(e)) if !e.is_empty() => e,
            _ => return Err(DecodeError::Missing("UDID")),
        };
        let status = match required(&d, "Status")?.as_str() {
            "Idle" => ResultStatus::Idle,
            "Acknowledged" => ResultStatus::Acknowledged,
            "Error" => ResultStatus::Error,
            "CommandFormatError" => ResultStatus::CommandFormatError,
            "NotNow" => ResultStatus::NotNow,
            _ => return Err(DecodeError::WrongType { key: "Status", expected: "Idle, Acknowledged, Error, CommandFormatError or NotNow" }),
        };
        let command_uuid = string(&d, "CommandUUID")?;
        if status != ResultStatus::Idle && command_uuid.is_none() {
            return Err(DecodeError::Missing("CommandUUID"));
        }
        let error_chain = d
            .get("ErrorChain")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_dictionary)
                    .map(|e| ErrorChainItem {
                        code: e.get("ErrorCode").and_then(Value::as_signed_integer).unwrap_or(0),
                        domain: e.get("ErrorDomain").and_then(Value::as_string).unwrap_or_default().to_string(),
                        description: e
                            .get("USEnglishDescription")
                            .or(e.get("LocalizedDescription"))
                            .and_then(Value::as_string)
                            .map(str::to_owned),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(CommandResult { udid, status, command_uuid, error_chain, raw: d })
    }

    pub fn security_info(&self) -> Option<SecurityInfo> {
        let s = self.raw.get("SecurityInfo")?.as_dictionary()?;
        Some(SecurityInfo {
            passcode_present: s.get("PasscodePresent").and_then(Value::as_boolean),
            passcode_compliant: s.get("PasscodeCompliant").and_then(Value::as_boolean),
        })
    }

    pub fn query_responses(&self) -> Option<&Dictionary> {
        self.raw.get("QueryResponses")?.as_dictionary()
    }
}
