//! MS-WSTEP RequestSecurityToken: the device sends its credentials, a base64
//! PKCS#10 CSR and AdditionalContext items; we answer a
//! RequestSecurityTokenResponseCollection carrying the base64
//! wap-provisioningdoc (see [`super::provisioning`]). The CSR itself is parsed
//! by the CA later (leniently: see the README's note on its subject).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::Serialize;

use super::discovery::SoapHeaderEcho;
use super::soap::{
    open_response, parse_envelope, Credentials, EnrollmentError, SoapHeader, BASE64_BINARY, NS_ENROLLMENT, NS_WSSE, NS_WST, NS_WSU,
};
use crate::xml_limits::{self, escape, XmlLimits};

pub const ACTION_RST: &str = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment/RST/wstep";
pub const ACTION_RSTRC: &str = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment/RSTRC/wstep";
pub const TOKEN_TYPE_DEVICE_ENROLLMENT: &str = "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentToken";
pub const VALUE_TYPE_PROVISION_DOC: &str =
    "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentProvisionDoc";
pub const VALUE_TYPE_PKCS10: &str = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment#PKCS10";

/// One `ac:ContextItem` (names can repeat, e.g. MAC and IMEI).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextItem {
    pub name: String,
    pub value: String,
}

/// The device's enrollment request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RstRequest {
    pub header: SoapHeader,
    pub token_type: Option<String>,
    pub request_type: Option<String>,
    /// ValueType of the body's BinarySecurityToken (PKCS10, or PKCS7 on renewal).
    pub csr_value_type: Option<String>,
    /// The CSR as sent, whitespace removed (still base64).
    pub csr_b64: String,
    pub context: Vec<ContextItem>,
}

impl RstRequest {
    pub fn decode(body: &[u8]) -> Result<Self, EnrollmentError> {
        Self::decode_with(body, &XmlLimits::default())
    }

    pub fn decode_with(body: &[u8], limits: &XmlLimits) -> Result<Self, EnrollmentError> {
        let (header, body) = parse_envelope(body, limits)?;
        let rst = body.child("RequestSecurityToken").ok_or(EnrollmentError::Missing("RequestSecurityToken"))?;
        let bst = rst.child("BinarySecurityToken").ok_or(EnrollmentError::Missing("BinarySecurityToken"))?;
        Ok(Self {
            header,
            token_type: rst.child_text("TokenType").map(str::to_owned),
            request_type: rst.child_text("RequestType").map(str::to_owned),
            csr_value_type: bst.attr("ValueType").map(|v| v.trim().to_owned()),
            // Base64 in XML is routinely wrapped over several lines.
            csr_b64: bst.text.chars().filter(|c| !c.is_ascii_whitespace()).collect(),
            context: rst
                .child("AdditionalContext")
                .map(|ac| {
                    ac.children_named("ContextItem")
                        .map(|ci| ContextItem {
                            name: ci.attr("Name").unwrap_or_default().trim().to_owned(),
                            value: ci.child_text("Value").unwrap_or_default().to_owned(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    pub fn credentials(&self) -> Option<&Credentials> {
        self.header.credentials.as_ref()
    }

    /// The CSR's DER bytes. Errors if the token is not base64.
    pub fn csr_der(&self) -> Result<Vec<u8>, base64::DecodeError> {
        B64.decode(&self.csr_b64)
    }

    /// First context item with this name (case-insensitive), trimmed.
    pub fn context(&self, name: &str) -> Option<&str> {
        self.context.iter().find(|c| c.name.eq_ignore_ascii_case(name)).map(|c| c.value.as_str())
    }
    /// All values of a repeatable context item (MAC, IMEI).
    pub fn context_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.context.iter().filter(move |c| c.name.eq_ignore_ascii_case(name)).map(|c| c.value.as_str())
    }
    pub fn device_id(&self) -> Option<&str> {
        self.context("DeviceID")
    }
    pub fn hw_dev_id(&self) -> Option<&str> {
        self.context("HWDevID")
    }
    pub fn os_version(&self) -> Option<&str> {
        self.context("OSVersion")
    }
    pub fn os_edition(&self) -> Option<&str> {
        self.context("OSEdition")
    }
    pub fn device_type(&self) -> Option<&str> {
        self.context("DeviceType")
    }
    pub fn device_name(&self) -> Option<&str> {
        self.context("DeviceName")
    }
    pub fn enrollment_type(&self) -> Option<&str> {
        self.context("EnrollmentType")
    }
    pub fn application_version(&self) -> Option<&str> {
        self.context("ApplicationVersion")
    }
}

/// Our enrollment answer: the provisioning doc, base64 in a BinarySecurityToken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RstrResponse {
    /// The wap-provisioningdoc XML (plain text; encoded to base64 here).
    pub provisioning_doc: String,
    pub request_id: String,
    /// Optional WS-Security Timestamp (Created, Expires) as ISO 8601 strings,
    /// supplied by the caller (no clock here).
    pub timestamp: Option<(String, String)>,
}

impl RstrResponse {
    pub fn encode(&self, relates_to: Option<&str>) -> String {
        let mut out = String::with_capacity(1024 + self.provisioning_doc.len() * 4 / 3);
        open_response(&mut out, ACTION_RSTRC, relates_to, &format!(" xmlns:u=\"{NS_WSU}\""));
        if let Some((created, expires)) = &self.timestamp {
            out.push_str(&format!(
                "<o:Security s:mustUnderstand=\"1\" xmlns:o=\"{NS_WSSE}\"><u:Timestamp u:Id=\"_0\"><u:Created>{}</u:Created><u:Expires>{}</u:Expires></u:Timestamp></o:Security>",
                escape(created),
                escape(expires)
            ));
        }
        out.push_str(&format!(
            "</s:Header><s:Body><RequestSecurityTokenResponseCollection xmlns=\"{NS_WST}\"><RequestSecurityTokenResponse>\
<TokenType>{TOKEN_TYPE_DEVICE_ENROLLMENT}</TokenType><DispositionMessage xmlns=\"{NS_ENROLLMENT}\"/>\
<RequestedSecurityToken><BinarySecurityToken ValueType=\"{VALUE_TYPE_PROVISION_DOC}\" EncodingType=\"{BASE64_BINARY}\" xmlns=\"{NS_WSSE}\">{}</BinarySecurityToken></RequestedSecurityToken>\
<RequestID xmlns=\"{NS_ENROLLMENT}\">{}</RequestID></RequestSecurityTokenResponse></RequestSecurityTokenResponseCollection></s:Body></s:Envelope>",
            B64.encode(self.provisioning_doc.as_bytes()),
            escape(&self.request_id),
        ));
        out
    }

    /// Decodes an RSTR collection (round-trip tests, simulators). The token
    /// stays base64 in `provisioning_doc` when it does not decode to UTF-8
    /// (Microsoft's example carries a placeholder, not base64).
    pub fn decode(body: &[u8]) -> Result<(SoapHeaderEcho, DecodedRstr), EnrollmentError> {
        let root = xml_limits::parse(body, &XmlLimits::default())?;
        if root.name != "Envelope" {
            return Err(EnrollmentError::NotSoap(root.name));
        }
        let echo = SoapHeaderEcho::from_envelope(&root);
        let r = root
            .path(&["Body", "RequestSecurityTokenResponseCollection", "RequestSecurityTokenResponse"])
            .ok_or(EnrollmentError::Missing("RequestSecurityTokenResponse"))?;
        let bst = r
            .path(&["RequestedSecurityToken", "BinarySecurityToken"])
            .ok_or(EnrollmentError::Missing("RequestedSecurityToken/BinarySecurityToken"))?;
        let token_b64: String = bst.text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        Ok((
            echo,
            DecodedRstr {
                token_type: r.child_text("TokenType").map(str::to_owned),
                value_type: bst.attr("ValueType").map(|v| v.trim().to_owned()),
                provisioning_doc: B64.decode(&token_b64).ok().and_then(|b| String::from_utf8(b).ok()),
                token_b64,
                request_id: r.child_text("RequestID").map(str::to_owned),
            },
        ))
    }
}

/// What [`RstrResponse::decode`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedRstr {
    pub token_type: Option<String>,
    pub value_type: Option<String>,
    pub token_b64: String,
    /// The token decoded as UTF-8 text, when it is base64 of UTF-8.
    pub provisioning_doc: Option<String>,
    pub request_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rstr_round_trip() {
        let r = RstrResponse {
            provisioning_doc: "<wap-provisioningdoc version=\"1.1\"/>".into(),
            request_id: "0".into(),
            timestamp: Some(("2024-01-01T00:00:00.000Z".into(), "2024-01-01T00:05:00.000Z".into())),
        };
        let xml = r.encode(Some("urn:uuid:abc"));
        let (echo, back) = RstrResponse::decode(xml.as_bytes()).unwrap();
        assert_eq!(echo.relates_to.as_deref(), Some("urn:uuid:abc"));
        assert_eq!(echo.action.as_deref(), Some(ACTION_RSTRC));
        assert_eq!(back.provisioning_doc.as_deref(), Some(r.provisioning_doc.as_str()));
        assert_eq!(back.value_type.as_deref(), Some(VALUE_TYPE_PROVISION_DOC));
        assert_eq!(back.token_type.as_deref(), Some(TOKEN_TYPE_DEVICE_ENROLLMENT));
        assert_eq!(back.request_id.as_deref(), Some("0"));
        assert!(xml.contains("<u:Created>2024-01-01T00:00:00.000Z</u:Created>"));
    }

    #[test]
    fn csr_whitespace_removed_and_decoded() {
        let xml = b"<Envelope><Body><RequestSecurityToken><BinarySecurityToken ValueType='x'>\n  AAEC\n  Aw==\n</BinarySecurityToken>\
<AdditionalContext><ContextItem Name='HWDevID'><Value>hw</Value></ContextItem></AdditionalContext></RequestSecurityToken></Body></Envelope>";
        let r = RstRequest::decode(xml).unwrap();
        assert_eq!(r.csr_der().unwrap(), vec![0, 1, 2, 3]);
        assert_eq!(r.hw_dev_id(), Some("hw"));
        assert_eq!(r.device_id(), None);
        assert!(r.credentials().is_none());
    }
}
