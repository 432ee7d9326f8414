//! The SOAP envelope shared by the enrollment messages: WS-Addressing header,
//! WS-Security credentials, and the Body.

use crate::secret::Secret;
use crate::xml_limits::{self, Element, XmlError, XmlLimits};

pub const NS_SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
pub const NS_ADDRESSING: &str = "http://www.w3.org/2005/08/addressing";
pub const NS_WSSE: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
pub const NS_WSU: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
pub const NS_WST: &str = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
pub const NS_ENROLLMENT: &str = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment";
pub const BASE64_BINARY: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd#base64binary";

/// Why an enrollment message could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrollmentError {
    #[error(transparent)]
    Xml(#[from] XmlError),
    #[error("root element is <{0}>, expected a SOAP <Envelope>")]
    NotSoap(String),
    #[error("required element {0} is missing")]
    Missing(&'static str),
}

/// The client's credentials from `wsse:Security`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// OnPremise: user name and password (PasswordText).
    UsernameToken { username: String, password: Secret },
    /// Federated (the token our auth page handed out) or certificate-based
    /// renewal; `value_type` tells which. The token is opaque to this crate.
    BinarySecurityToken { value_type: Option<String>, encoding_type: Option<String>, token: String },
}

/// WS-Addressing and WS-Security header fields the server uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SoapHeader {
    pub action: Option<String>,
    /// Echo this in the response's `RelatesTo`.
    pub message_id: Option<String>,
    pub to: Option<String>,
    pub credentials: Option<Credentials>,
}

/// Parses an envelope; returns the header and the Body element.
pub(crate) fn parse_envelope(body: &[u8], limits: &XmlLimits) -> Result<(SoapHeader, Element), EnrollmentError> {
    let root = xml_limits::parse(body, limits)?;
    if root.name != "Envelope" {
        return Err(EnrollmentError::NotSoap(root.name));
    }
    let header = root.child("Header").map(parse_header).unwrap_or_default();
    let body = root.children.into_iter().find(|c| c.name == "Body").ok_or(EnrollmentError::Missing("Body"))?;
    Ok((header, body))
}

fn parse_header(h: &Element) -> SoapHeader {
    let credentials = h.child("Security").and_then(|sec| {
        if let Some(ut) = sec.child("UsernameToken") {
            Some(Credentials::UsernameToken {
                username: ut.child_text("Username").unwrap_or_default().to_owned(),
                // The OnPremise RST example has a newline after the password
                // inside the element; trimming matches what the user typed.
                password: Secret::new(ut.child_text("Password").unwrap_or_default()),
            })
        } else {
            sec.child("BinarySecurityToken").map(|bst| Credentials::BinarySecurityToken {
                value_type: bst.attr("ValueType").map(|v| v.trim().to_owned()),
                encoding_type: bst.attr("EncodingType").map(|v| v.trim().to_owned()),
                token: bst.text().to_owned(),
            })
        }
    });
    SoapHeader {
        action: h.child_text("Action").map(str::to_owned),
        message_id: h.child_text("MessageID").map(str::to_owned),
        to: h.child_text("To").map(str::to_owned),
        credentials,
    }
}

/// Opening of a SOAP 1.2 response envelope with Action and RelatesTo.
pub(crate) fn open_response(out: &mut String, action: &str, relates_to: Option<&str>, extra_ns: &str) {
    use crate::xml_limits::escape;
    out.push_str(&format!(
        "<s:Envelope xmlns:s=\"{NS_SOAP12}\" xmlns:a=\"{NS_ADDRESSING}\"{extra_ns}><s:Header><a:Action s:mustUnderstand=\"1\">{}</a:Action>",
        escape(action)
    ));
    if let Some(r) = relates_to {
        out.push_str(&format!("<a:RelatesTo>{}</a:RelatesTo>", escape(r)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_envelope_and_missing_body() {
        let l = XmlLimits::default();
        assert_eq!(parse_envelope(b"<x/>", &l).unwrap_err(), EnrollmentError::NotSoap("x".into()));
        assert_eq!(parse_envelope(b"<s:Envelope xmlns:s='y'><s:Header/></s:Envelope>", &l).unwrap_err(), EnrollmentError::Missing("Body"));
    }

    #[test]
    fn password_is_redacted_in_debug() {
        let (h, _) = parse_envelope(
            b"<Envelope><Header><Security><UsernameToken><Username>u</Username><Password>hunter2</Password></UsernameToken></Security></Header><Body/></Envelope>",
            &XmlLimits::default(),
        )
        .unwrap();
        let Some(Credentials::UsernameToken { username, password }) = &h.credentials else { panic!() };
        assert_eq!((username.as_str(), password.expose()), ("u", "hunter2"));
        assert!(!format!("{h:?}").contains("hunter2"));
    }
}
