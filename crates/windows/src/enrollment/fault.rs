//! SOAP faults for enrollment (MS-MDE2 §2.2.9 error codes), with a
//! human-readable reason the device shows to the user.

use serde::Serialize;

use super::soap::{open_response, EnrollmentError, NS_ENROLLMENT, NS_WSSE};
use crate::xml_limits::{self, escape, XmlLimits};

const ACTION_FAULT: &str = "http://www.w3.org/2005/08/addressing/soap/fault";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FaultCode {
    /// The request was not understood.
    MessageFormat,
    /// The user or token could not be authenticated.
    Authentication,
    /// Authenticated but not allowed to enroll.
    Authorization,
    /// The CSR was refused.
    CertificateRequest,
    /// Enrollment server problem (e.g. tenant not onboarded).
    EnrollmentServer,
    /// Unexpected server error.
    InternalServiceFault,
    /// The WS-Security header is missing or invalid.
    InvalidSecurity,
}

impl FaultCode {
    /// The Subcode value as MS-MDE2 spells it.
    pub fn subcode(self) -> &'static str {
        match self {
            FaultCode::MessageFormat => "s:MessageFormat",
            FaultCode::Authentication => "s:Authentication",
            FaultCode::Authorization => "s:Authorization",
            FaultCode::CertificateRequest => "s:CertificateRequest",
            FaultCode::EnrollmentServer => "s:EnrollmentServer",
            FaultCode::InternalServiceFault => "s:InternalServiceFault",
            FaultCode::InvalidSecurity => "a:InvalidSecurity",
        }
    }
    fn error_type(self) -> &'static str {
        &self.subcode()[2..]
    }
    fn from_subcode(s: &str) -> Option<Self> {
        let local = s.rsplit(':').next().unwrap_or(s);
        [
            FaultCode::MessageFormat,
            FaultCode::Authentication,
            FaultCode::Authorization,
            FaultCode::CertificateRequest,
            FaultCode::EnrollmentServer,
            FaultCode::InternalServiceFault,
            FaultCode::InvalidSecurity,
        ]
        .into_iter()
        .find(|c| c.error_type() == local)
    }
}

/// A fault to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fault {
    pub code: FaultCode,
    /// Shown to the user: say what to do, never leak secrets or internals.
    pub reason: String,
    /// Correlates support requests with server logs.
    pub trace_id: Option<String>,
}

impl Fault {
    pub fn new(code: FaultCode, reason: impl Into<String>) -> Self {
        Self { code, reason: reason.into(), trace_id: None }
    }

    pub fn encode(&self, relates_to: Option<&str>) -> String {
        let mut out = String::with_capacity(1024);
        open_response(&mut out, ACTION_FAULT, relates_to, "");
        // `a:` is bound to WS-Addressing on the envelope; InvalidSecurity is a
        // WS-Security fault, so rebind `a` to that namespace where it is used.
        let subcode_ns = if self.code == FaultCode::InvalidSecurity { format!(" xmlns:a=\"{NS_WSSE}\"") } else { String::new() };
        out.push_str(&format!(
            "</s:Header><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value{subcode_ns}>{}</s:Value></s:Subcode></s:Code>\
<s:Reason><s:Text xml:lang=\"en-US\">{}</s:Text></s:Reason>\
<s:Detail><DeviceEnrollmentServiceError xmlns=\"{NS_ENROLLMENT}\"><ErrorType>{}</ErrorType><Message>{}</Message><TraceId>{}</TraceId></DeviceEnrollmentServiceError></s:Detail>\
</s:Fault></s:Body></s:Envelope>",
            self.code.subcode(),
            escape(&self.reason),
            self.code.error_type(),
            escape(&self.reason),
            escape(self.trace_id.as_deref().unwrap_or_default()),
        ));
        out
    }

    /// Decodes a fault (round-trip tests, simulators).
    pub fn decode(body: &[u8]) -> Result<Self, EnrollmentError> {
        let root = xml_limits::parse(body, &XmlLimits::default())?;
        if root.name != "Envelope" {
            return Err(EnrollmentError::NotSoap(root.name));
        }
        let f = root.path(&["Body", "Fault"]).ok_or(EnrollmentError::Missing("Fault"))?;
        let sub = f.path_text(&["Code", "Subcode", "Value"]).ok_or(EnrollmentError::Missing("Fault/Code/Subcode"))?;
        let code = FaultCode::from_subcode(sub).ok_or(EnrollmentError::Missing("known fault subcode"))?;
        Ok(Self {
            code,
            reason: f.path_text(&["Reason", "Text"]).unwrap_or_default().to_owned(),
            trace_id: f.path_text(&["Detail", "DeviceEnrollmentServiceError", "TraceId"]).filter(|t| !t.is_empty()).map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for code in [
            FaultCode::MessageFormat,
            FaultCode::Authentication,
            FaultCode::Authorization,
            FaultCode::CertificateRequest,
            FaultCode::EnrollmentServer,
            FaultCode::InternalServiceFault,
            FaultCode::InvalidSecurity,
        ] {
            let f = Fault { code, reason: "Wrong user name or password <try again>".into(), trace_id: Some("t-1".into()) };
            let xml = f.encode(Some("urn:uuid:1"));
            assert!(xml.contains(&format!(">{}</s:Value></s:Subcode>", code.subcode())), "{xml}");
            assert_eq!(Fault::decode(xml.as_bytes()).unwrap(), f);
        }
    }
}
