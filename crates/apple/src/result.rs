//! What a device PUTs to the command endpoint (`PUT /mdm/apple/connect`): `Idle`, or the result
//! of the last command. The whole dictionary is kept so command-specific answers (SecurityInfo,
//! QueryResponses, …) can be read with the typed readers.

use crate::device_information::QueryResponses;
use crate::limits::{dictionary, DecodeError, Fields, Limits, PlistType};
use crate::security_info::SecurityInfo;
use crate::write::{to_xml, DictBuilder};
use plist::{Dictionary, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResultStatus {
    /// Nothing to report; the device asks for the next command.
    Idle,
    Acknowledged,
    Error,
    /// The command was malformed: a bug on our side, never retried.
    CommandFormatError,
    /// The device cannot run the command now (e.g. locked); it will ask again later.
    NotNow,
}

impl ResultStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultStatus::Idle => "Idle",
            ResultStatus::Acknowledged => "Acknowledged",
            ResultStatus::Error => "Error",
            ResultStatus::CommandFormatError => "CommandFormatError",
            ResultStatus::NotNow => "NotNow",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Idle, Self::Acknowledged, Self::Error, Self::CommandFormatError, Self::NotNow].into_iter().find(|v| v.as_str() == s)
    }
}

/// One entry of `ErrorChain`, outermost first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorChainItem {
    pub code: i64,
    pub domain: String,
    /// USEnglishDescription if present, else LocalizedDescription: what operators read.
    pub description: Option<String>,
    pub localized_description: Option<String>,
    pub us_english_description: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CommandResult {
    /// UDID, or the EnrollmentID under User Enrollment (then `enrollment_id` is the same).
    pub udid: String,
    pub enrollment_id: Option<String>,
    /// User channel (macOS user / Shared iPad user).
    pub user_id: Option<String>,
    pub enrollment_user_id: Option<String>,
    pub status: ResultStatus,
    /// Absent only when Idle.
    pub command_uuid: Option<String>,
    /// Echoed by recent OS versions; informative only.
    pub request_type: Option<String>,
    pub error_chain: Vec<ErrorChainItem>,
    /// The whole dictionary, for command-specific answers.
    pub raw: Dictionary,
}

impl CommandResult {
    /// Decode with the default [`Limits`].
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        Self::decode_with(body, &Limits::default())
    }

    pub fn decode_with(body: &[u8], limits: &Limits) -> Result<Self, DecodeError> {
        Self::from_dictionary(dictionary(body, limits)?)
    }

    pub fn from_dictionary(d: Dictionary) -> Result<Self, DecodeError> {
        let f = Fields(&d);
        let enrollment_id = f.string("EnrollmentID")?;
        let udid = f.string("UDID")?.or_else(|| enrollment_id.clone()).ok_or(DecodeError::MissingKey("UDID"))?;
        let status = f.required_string("Status")?;
        let status = ResultStatus::parse(&status)
            .ok_or(DecodeError::InvalidValue { key: "Status", reason: "not Idle, Acknowledged, Error, CommandFormatError or NotNow" })?;
        let command_uuid = f.string("CommandUUID")?;
        if status != ResultStatus::Idle && command_uuid.is_none() {
            return Err(DecodeError::MissingKey("CommandUUID"));
        }
        let error_chain = match f.array("ErrorChain")? {
            None => Vec::new(),
            Some(items) => items.iter().map(error_chain_item).collect::<Result<_, _>>()?,
        };
        Ok(CommandResult {
            udid,
            enrollment_id,
            user_id: f.string("UserID")?,
            enrollment_user_id: f.string("EnrollmentUserID")?,
            status,
            command_uuid,
            request_type: f.string("RequestType")?,
            error_chain,
            raw: d,
        })
    }

    /// The `SecurityInfo` answer, if this result carries one that reads cleanly.
    pub fn security_info(&self) -> Option<SecurityInfo> {
        self.try_security_info().ok().flatten()
    }

    /// The `SecurityInfo` answer; a wrong type anywhere in it is an error, not a guess.
    pub fn try_security_info(&self) -> Result<Option<SecurityInfo>, DecodeError> {
        Fields(&self.raw).dictionary("SecurityInfo")?.map(SecurityInfo::from_dictionary).transpose()
    }

    /// The raw `QueryResponses` dictionary of a DeviceInformation answer.
    pub fn query_responses(&self) -> Option<&Dictionary> {
        self.raw.get("QueryResponses")?.as_dictionary()
    }

    /// The typed DeviceInformation answer.
    pub fn device_information(&self) -> Result<Option<QueryResponses>, DecodeError> {
        Fields(&self.raw).dictionary("QueryResponses")?.map(QueryResponses::from_dictionary).transpose()
    }

    /// The result as a device sends it (for the device simulator and tests); `raw` supplies the
    /// command-specific keys.
    pub fn to_dictionary(&self) -> Dictionary {
        let mut d = self.raw.clone();
        let ids = if self.enrollment_id.as_deref() == Some(self.udid.as_str()) {
            DictBuilder::new().string("EnrollmentID", &self.udid)
        } else {
            DictBuilder::new().string("UDID", &self.udid).opt_string("EnrollmentID", self.enrollment_id.as_deref())
        };
        let chain = self
            .error_chain
            .iter()
            .map(|e| {
                Value::Dictionary(
                    DictBuilder::new()
                        .integer("ErrorCode", e.code)
                        .string("ErrorDomain", &e.domain)
                        .opt_string("LocalizedDescription", e.localized_description.as_deref())
                        .opt_string("USEnglishDescription", e.us_english_description.as_deref())
                        .build(),
                )
            })
            .collect::<Vec<_>>();
        let mut b = ids
            .opt_string("UserID", self.user_id.as_deref())
            .opt_string("EnrollmentUserID", self.enrollment_user_id.as_deref())
            .string("Status", self.status.as_str())
            .opt_string("CommandUUID", self.command_uuid.as_deref())
            .opt_string("RequestType", self.request_type.as_deref());
        if !chain.is_empty() {
            b = b.value("ErrorChain", Value::Array(chain));
        }
        for (k, v) in b.build() {
            d.insert(k, v);
        }
        d
    }

    /// XML plist bytes of [`CommandResult::to_dictionary`].
    pub fn encode(&self) -> Vec<u8> {
        to_xml(Value::Dictionary(self.to_dictionary()))
    }
}

fn error_chain_item(v: &Value) -> Result<ErrorChainItem, DecodeError> {
    let d =
        v.as_dictionary().ok_or(DecodeError::WrongType { key: "ErrorChain", expected: PlistType::Dictionary, found: PlistType::of(v) })?;
    let f = Fields(d);
    // Devices always send code and domain; a missing one is kept as 0/"" rather than losing
    // the whole (failed) result, which would leave the action waiting forever.
    let localized_description = f.string("LocalizedDescription")?;
    let us_english_description = f.string("USEnglishDescription")?;
    Ok(ErrorChainItem {
        code: f.integer("ErrorCode")?.unwrap_or(0),
        domain: f.string("ErrorDomain")?.unwrap_or_default(),
        description: us_english_description.clone().or_else(|| localized_description.clone()),
        localized_description,
        us_english_description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(extra: &str) -> Vec<u8> {
        format!("<plist version=\"1.0\"><dict><key>UDID</key><string>U1</string>{extra}</dict></plist>").into_bytes()
    }

    #[test]
    fn idle_needs_no_command_uuid_but_others_do() {
        let r = CommandResult::decode(&result("<key>Status</key><string>Idle</string>")).unwrap();
        assert_eq!((r.status, r.command_uuid), (ResultStatus::Idle, None));
        assert_eq!(CommandResult::decode(&result("<key>Status</key><string>NotNow</string>")), Err(DecodeError::MissingKey("CommandUUID")));
    }

    #[test]
    fn unknown_status_is_refused() {
        let e = CommandResult::decode(&result("<key>Status</key><string>Maybe</string>")).unwrap_err();
        assert!(matches!(e, DecodeError::InvalidValue { key: "Status", .. }), "{e:?}");
    }

    #[test]
    fn error_chain_is_read() {
        let chain = "<key>Status</key><string>Error</string><key>CommandUUID</key><string>c</string><key>ErrorChain</key><array><dict>\
            <key>ErrorCode</key><integer>12021</integer><key>ErrorDomain</key><string>MCMDMErrorDomain</string>\
            <key>LocalizedDescription</key><string>Unbekannt</string><key>USEnglishDescription</key><string>Unknown command</string></dict></array>";
        let r = CommandResult::decode(&result(chain)).unwrap();
        assert_eq!(r.error_chain.len(), 1);
        let e = &r.error_chain[0];
        assert_eq!((e.code, e.domain.as_str(), e.description.as_deref()), (12021, "MCMDMErrorDomain", Some("Unknown command")));
        assert_eq!(e.localized_description.as_deref(), Some("Unbekannt"));
        // And back, as the simulator would send it.
        assert_eq!(CommandResult::decode(&r.encode()).unwrap(), r);
    }

    #[test]
    fn security_info_is_typed() {
        let body = "<key>Status</key><string>Acknowledged</string><key>CommandUUID</key><string>c</string><key>SecurityInfo</key><dict>\
            <key>PasscodePresent</key><false/><key>PasscodeCompliant</key><true/><key>AutoLockTime</key><integer>300</integer>\
            <key>ManagementStatus</key><dict><key>EnrolledViaDEP</key><true/></dict></dict>";
        let s = CommandResult::decode(&result(body)).unwrap().try_security_info().unwrap().unwrap();
        assert_eq!((s.passcode_present, s.passcode_compliant, s.auto_lock_time), (Some(false), Some(true), Some(300)));
        assert_eq!(s.management_status.unwrap().enrolled_via_dep, Some(true));
        let wrong = "<key>Status</key><string>Acknowledged</string><key>CommandUUID</key><string>c</string><key>SecurityInfo</key><dict>\
            <key>PasscodePresent</key><string>no</string></dict>";
        let r = CommandResult::decode(&result(wrong)).unwrap();
        assert_eq!(
            r.try_security_info(),
            Err(DecodeError::WrongType { key: "PasscodePresent", expected: PlistType::Boolean, found: PlistType::String })
        );
        assert_eq!(r.security_info(), None, "a garbled answer is no answer");
    }
}
