//! OMA-URI settings of custom configuration profiles.
//!
//! An admin types an OMA-URI, picks a data type and a value; we refuse what a
//! device would reject (or worse, misapply) before it is ever queued, with a
//! message naming the URI and the problem. Node rules from
//! oma-dm-protocol-support.md: a LocURI cannot start with "/", node names
//! cannot be empty or only "*".

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::syncml::{MetaFormat, OutItem};
use crate::xml_limits::{self, XmlLimits};

/// Longest OMA-URI we accept. Real CSP paths are well under 300 characters;
/// 1024 leaves room for long app/package names while refusing junk.
pub const MAX_URI_LEN: usize = 1024;
/// Longest value we accept (a StringXml/Base64 payload must fit one SyncML message).
pub const MAX_VALUE_LEN: usize = 60 * 1024;

/// Data types offered for a custom setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataType {
    Boolean,
    Integer,
    String,
    StringXml,
    Base64,
    Float,
    DateTime,
}

impl DataType {
    /// The SyncML Meta Format a value of this type is sent with.
    pub fn meta_format(self) -> MetaFormat {
        match self {
            DataType::Boolean => MetaFormat::Bool,
            DataType::Integer => MetaFormat::Int,
            DataType::String => MetaFormat::Chr,
            DataType::StringXml => MetaFormat::Xml,
            DataType::Base64 => MetaFormat::B64,
            DataType::Float => MetaFormat::Float,
            // OMA-DM's "date" format is ISO 8601; CSP DateTime nodes take the
            // full date-time form of it.
            DataType::DateTime => MetaFormat::Date,
        }
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl FromStr for DataType {
    type Err = String;
    /// Case-insensitive; accepts the names above and "String (XML)".
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        Ok(match norm.as_str() {
            "boolean" | "bool" => DataType::Boolean,
            "integer" | "int" => DataType::Integer,
            "string" | "chr" => DataType::String,
            "stringxml" | "xml" => DataType::StringXml,
            "base64" | "b64" => DataType::Base64,
            "float" => DataType::Float,
            "datetime" | "date" => DataType::DateTime,
            _ => return Err(format!("unknown data type {s:?}")),
        })
    }
}

/// One custom setting as the admin entered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OmaUriSetting {
    pub oma_uri: String,
    pub data_type: DataType,
    pub value: String,
}

/// What is wrong with a setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingProblem {
    #[error("must start with \"./\"")]
    NotRelative,
    #[error("is longer than {MAX_URI_LEN} characters")]
    UriTooLong,
    #[error("has an empty segment (\"//\" or a trailing \"/\")")]
    EmptySegment,
    #[error("contains whitespace or a control character")]
    BadCharacter,
    #[error("has a segment \"{0}\" that is not a node name")]
    BadSegment(String),
    #[error("value is longer than {MAX_VALUE_LEN} characters")]
    ValueTooLong,
    #[error("value {value:?} is not a valid {data_type}: {why}")]
    BadValue { data_type: DataType, value: String, why: &'static str },
    #[error("directory id {0:?} is not a GUID")]
    BadTenantId(String),
}

/// A refused setting: names the URI and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("OMA-URI {uri}: {problem}")]
pub struct SettingError {
    pub uri: String,
    pub problem: SettingProblem,
}

fn err(uri: &str, problem: SettingProblem) -> SettingError {
    SettingError { uri: uri.to_owned(), problem }
}

/// Checks the shape of an OMA-URI.
pub fn validate_uri(uri: &str) -> Result<(), SettingError> {
    if uri.chars().count() > MAX_URI_LEN {
        // Do not echo a huge string back in full.
        let short: String = uri.chars().take(64).collect();
        return Err(err(&format!("{short}…"), SettingProblem::UriTooLong));
    }
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err(uri, SettingProblem::BadCharacter));
    }
    let Some(rest) = uri.strip_prefix("./") else {
        return Err(err(uri, SettingProblem::NotRelative));
    };
    if rest.is_empty() || rest.split('/').any(str::is_empty) {
        return Err(err(uri, SettingProblem::EmptySegment));
    }
    if let Some(bad) = rest.split('/').find(|s| matches!(*s, "." | ".." | "*")) {
        return Err(err(uri, SettingProblem::BadSegment(bad.to_owned())));
    }
    Ok(())
}

fn bad(s: &OmaUriSetting, why: &'static str) -> SettingError {
    err(&s.oma_uri, SettingProblem::BadValue { data_type: s.data_type, value: s.value.chars().take(64).collect(), why })
}

fn is_iso8601_datetime(v: &str) -> bool {
    // YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm]
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| v.get(r).and_then(|s| s.parse::<u32>().ok()).unwrap_or(99);
    if b.len() < 10 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return false;
    }
    if !(1..=12).contains(&num(5..7)) || !(1..=31).contains(&num(8..10)) {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if b.len() < 19 || b[10] != b'T' || !digits(11..13) || b[13] != b':' || !digits(14..16) || b[16] != b':' || !digits(17..19) {
        return false;
    }
    if num(11..13) > 23 || num(14..16) > 59 || num(17..19) > 60 {
        return false;
    }
    let mut rest = &v[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

impl OmaUriSetting {
    pub fn new(oma_uri: impl Into<String>, data_type: DataType, value: impl Into<String>) -> Self {
        Self { oma_uri: oma_uri.into(), data_type, value: value.into() }
    }

    /// Validates the URI and that the value fits the data type.
    pub fn validate(&self) -> Result<(), SettingError> {
        validate_uri(&self.oma_uri)?;
        let v = self.value.as_str();
        if v.len() > MAX_VALUE_LEN {
            return Err(err(&self.oma_uri, SettingProblem::ValueTooLong));
        }
        match self.data_type {
            // Windows CSPs take lower-case true/false; "True"/"1" are refused
            // rather than silently rewritten, so what is shown is what is sent.
            DataType::Boolean if v == "true" || v == "false" => Ok(()),
            DataType::Boolean => Err(bad(self, "expected true or false")),
            DataType::Integer => match v.parse::<i64>() {
                // OMA-DM int nodes are 32-bit, signed or unsigned depending on the CSP.
                Ok(n) if (i32::MIN as i64..=u32::MAX as i64).contains(&n) => Ok(()),
                Ok(_) => Err(bad(self, "out of the 32-bit range")),
                Err(_) => Err(bad(self, "expected a whole number")),
            },
            DataType::Float => match v.parse::<f64>() {
                Ok(f) if f.is_finite() && !v.trim().is_empty() && v.trim() == v => Ok(()),
                _ => Err(bad(self, "expected a finite decimal number")),
            },
            DataType::Base64 => {
                let compact: String = v.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                if compact.is_empty() || B64.decode(compact).is_err() {
                    Err(bad(self, "expected base64"))
                } else {
                    Ok(())
                }
            }
            DataType::DateTime if is_iso8601_datetime(v) => Ok(()),
            DataType::DateTime => Err(bad(self, "expected ISO 8601, e.g. 2024-05-01T12:00:00Z")),
            DataType::String if v.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) => {
                Err(bad(self, "contains a control character"))
            }
            DataType::String => Ok(()),
            DataType::StringXml => {
                // Through the same hostile-XML guard; wrapped so a fragment
                // with several top-level elements (as many CSPs take) is fine.
                let wrapped = format!("<v>{v}</v>");
                let limits = XmlLimits { max_body_bytes: MAX_VALUE_LEN + 16, ..XmlLimits::default() };
                xml_limits::parse(wrapped.as_bytes(), &limits)
                    .map(|_| ())
                    .map_err(|_| bad(self, "not well-formed XML (DOCTYPE and entities are refused)"))
            }
        }
    }

    /// Validates and turns the setting into a SyncML Item for Add/Replace.
    pub fn to_out_item(&self) -> Result<OutItem, SettingError> {
        self.validate()?;
        Ok(OutItem::with_data(self.oma_uri.clone(), self.data_type.meta_format(), self.value.clone()))
    }
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Fills the `{tenantId}` placeholder (any letter case) of a PassportForWork
/// URI, e.g. `./Device/Vendor/MSFT/PassportForWork/{TenantId}/Policies/EnablePinRecovery`,
/// with the directory (tenant) id. The id must be a GUID so nothing else can
/// be smuggled into the path.
pub fn fill_tenant_id(uri: &str, tenant_id: &str) -> Result<String, SettingError> {
    if !is_guid(tenant_id) {
        return Err(err(uri, SettingProblem::BadTenantId(tenant_id.chars().take(64).collect())));
    }
    const PLACEHOLDER: &str = "{tenantid}";
    let lower = uri.to_ascii_lowercase();
    let mut out = String::with_capacity(uri.len() + tenant_id.len());
    let mut pos = 0;
    // to_ascii_lowercase keeps byte offsets identical, so indices map back.
    while let Some(i) = lower[pos..].find(PLACEHOLDER) {
        out.push_str(&uri[pos..pos + i]);
        out.push_str(tenant_id);
        pos += i + PLACEHOLDER.len();
    }
    out.push_str(&uri[pos..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(uri: &str) -> SettingProblem {
        validate_uri(uri).unwrap_err().problem
    }

    #[test]
    fn uri_rules() {
        assert!(validate_uri("./Device/Vendor/MSFT/Policy/Config/DeviceLock/MinDevicePasswordLength").is_ok());
        assert!(validate_uri("./Vendor/MSFT/RemoteLock/Lock").is_ok());
        assert_eq!(problem("/Vendor/MSFT/X"), SettingProblem::NotRelative);
        assert_eq!(problem("Vendor/MSFT/X"), SettingProblem::NotRelative);
        assert_eq!(problem("./Vendor//X"), SettingProblem::EmptySegment);
        assert_eq!(problem("./Vendor/X/"), SettingProblem::EmptySegment);
        assert_eq!(problem("./"), SettingProblem::EmptySegment);
        assert_eq!(problem("./Vendor/MSFT X"), SettingProblem::BadCharacter);
        assert_eq!(problem("./Vendor/\u{7}X"), SettingProblem::BadCharacter);
        assert_eq!(problem("./Vendor/../X"), SettingProblem::BadSegment("..".into()));
        assert_eq!(problem("./Vendor/*"), SettingProblem::BadSegment("*".into()));
        assert_eq!(problem(&format!("./{}", "a".repeat(MAX_URI_LEN))), SettingProblem::UriTooLong);
        let e = validate_uri("./a//b").unwrap_err();
        assert_eq!(e.to_string(), "OMA-URI ./a//b: has an empty segment (\"//\" or a trailing \"/\")");
    }

    fn check(t: DataType, v: &str) -> bool {
        OmaUriSetting::new("./Vendor/MSFT/X", t, v).validate().is_ok()
    }

    #[test]
    fn values_by_type() {
        assert!(check(DataType::Boolean, "true") && check(DataType::Boolean, "false"));
        assert!(!check(DataType::Boolean, "True") && !check(DataType::Boolean, "1"));
        assert!(check(DataType::Integer, "-5") && check(DataType::Integer, "4294967295"));
        assert!(!check(DataType::Integer, "4294967296") && !check(DataType::Integer, "1.5") && !check(DataType::Integer, ""));
        assert!(check(DataType::Float, "1.25") && check(DataType::Float, "-3"));
        assert!(!check(DataType::Float, "NaN") && !check(DataType::Float, "inf") && !check(DataType::Float, " 1"));
        assert!(check(DataType::Base64, "aGVsbG8=") && !check(DataType::Base64, "not base64!") && !check(DataType::Base64, ""));
        assert!(check(DataType::DateTime, "2024-05-01T12:00:00Z") && check(DataType::DateTime, "2024-05-01"));
        assert!(check(DataType::DateTime, "2024-05-01T12:00:00.123+02:00"));
        assert!(
            !check(DataType::DateTime, "2024-13-01")
                && !check(DataType::DateTime, "yesterday")
                && !check(DataType::DateTime, "2024-05-01T25:00:00Z")
        );
        assert!(check(DataType::String, "any text, even <this>") && !check(DataType::String, "nul\0"));
        assert!(check(DataType::StringXml, "<a/><b>x</b>") && !check(DataType::StringXml, "<a>"));
        assert!(!check(DataType::StringXml, "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"));
        let e = OmaUriSetting::new("./Vendor/MSFT/X", DataType::Integer, "ten").validate().unwrap_err();
        assert!(e.to_string().contains("./Vendor/MSFT/X") && e.to_string().contains("whole number"), "{e}");
    }

    #[test]
    fn tenant_placeholder_any_case() {
        let t = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        assert_eq!(
            fill_tenant_id("./Device/Vendor/MSFT/PassportForWork/{TenantId}/Policies/EnablePinRecovery", t).unwrap(),
            format!("./Device/Vendor/MSFT/PassportForWork/{t}/Policies/EnablePinRecovery")
        );
        assert_eq!(fill_tenant_id("./A/{TENANTID}/{tenantid}", t).unwrap(), format!("./A/{t}/{t}"));
        assert_eq!(fill_tenant_id("./A/B", t).unwrap(), "./A/B");
        assert!(matches!(fill_tenant_id("./A/{TenantId}", "x/../y").unwrap_err().problem, SettingProblem::BadTenantId(_)));
    }

    #[test]
    fn formats_and_parsing() {
        assert_eq!(DataType::Boolean.meta_format().as_str(), "bool");
        assert_eq!(DataType::Integer.meta_format().as_str(), "int");
        assert_eq!(DataType::String.meta_format().as_str(), "chr");
        assert_eq!(DataType::StringXml.meta_format().as_str(), "xml");
        assert_eq!(DataType::Base64.meta_format().as_str(), "b64");
        assert_eq!(DataType::Float.meta_format().as_str(), "float");
        assert_eq!(DataType::DateTime.meta_format().as_str(), "date");
        assert_eq!("String (XML)".parse::<DataType>(), Ok(DataType::StringXml));
        assert_eq!("boolean".parse::<DataType>(), Ok(DataType::Boolean));
        assert!("blob".parse::<DataType>().is_err());
        let item = OmaUriSetting::new("./Vendor/MSFT/X", DataType::Integer, "4").to_out_item().unwrap();
        assert_eq!((item.format, item.data.as_deref()), (Some(MetaFormat::Int), Some("4")));
    }
}
