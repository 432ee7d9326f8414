//! MS-XCEP GetPolicies: the device asks which certificate to request; we
//! answer one policy (key length, hash algorithm, validity). Windows honours
//! minimalKeyLength, hashAlgorithmOIDReference and cryptoProviders.

use serde::Serialize;

use super::discovery::SoapHeaderEcho;
use super::soap::{open_response, parse_envelope, Credentials, EnrollmentError, SoapHeader};
use crate::xml_limits::{self, escape, XmlLimits};

pub const ACTION_GET_POLICIES: &str = "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy/IPolicy/GetPolicies";
pub const ACTION_GET_POLICIES_RESPONSE: &str =
    "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy/IPolicy/GetPoliciesResponse";
const NS_POLICY: &str = "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy";

/// The device's GetPolicies request: only the header matters to us (who is
/// asking, and which MessageID to echo).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetPoliciesRequest {
    pub header: SoapHeader,
}

impl GetPoliciesRequest {
    pub fn decode(body: &[u8]) -> Result<Self, EnrollmentError> {
        Self::decode_with(body, &XmlLimits::default())
    }
    pub fn decode_with(body: &[u8], limits: &XmlLimits) -> Result<Self, EnrollmentError> {
        let (header, body) = parse_envelope(body, limits)?;
        body.child("GetPolicies").ok_or(EnrollmentError::Missing("GetPolicies"))?;
        Ok(Self { header })
    }
    pub fn credentials(&self) -> Option<&Credentials> {
        self.header.credentials.as_ref()
    }
}

/// Hash algorithm the CSR should be signed with (an MS-XCEP oID of group 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum HashAlgorithm {
    /// What Microsoft's example uses (OID 1.3.14.3.2.29) and Windows' default.
    Sha1,
    Sha256,
}

impl HashAlgorithm {
    pub fn oid(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "1.3.14.3.2.29",
            HashAlgorithm::Sha256 => "2.16.840.1.101.3.4.2.1",
        }
    }
    pub fn default_name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "szOID_OIWSEC_sha1RSASign",
            HashAlgorithm::Sha256 => "szOID_NIST_sha256",
        }
    }
}

/// The one policy we hand out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyResponse {
    pub common_name: String,
    pub minimal_key_length: u32,
    pub hash_algorithm: HashAlgorithm,
    pub validity_period_seconds: u64,
    pub renewal_period_seconds: u64,
}

impl Default for PolicyResponse {
    /// 2048-bit keys, SHA-256 requested (Windows may still sign its CSR with
    /// SHA-1; the CA parses it leniently), one-year certificates renewed in
    /// the last 42 days.
    fn default() -> Self {
        Self {
            common_name: "pinreset-device".into(),
            minimal_key_length: 2048,
            hash_algorithm: HashAlgorithm::Sha256,
            validity_period_seconds: 365 * 24 * 3600,
            renewal_period_seconds: 42 * 24 * 3600,
        }
    }
}

impl PolicyResponse {
    /// Encodes the GetPoliciesResponse; `relates_to` is the request's MessageID.
    pub fn encode(&self, relates_to: Option<&str>) -> String {
        let mut out = String::with_capacity(3000);
        open_response(&mut out, ACTION_GET_POLICIES_RESPONSE, relates_to, "");
        out.push_str(
            "</s:Header><s:Body xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">",
        );
        out.push_str(&format!(
            "<GetPoliciesResponse xmlns=\"{NS_POLICY}\"><response><policyID/>\
<policyFriendlyName xsi:nil=\"true\"/><nextUpdateHours xsi:nil=\"true\"/><policiesNotChanged xsi:nil=\"true\"/>\
<policies><policy><policyOIDReference>0</policyOIDReference><cAs xsi:nil=\"true\"/><attributes>\
<commonName>{cn}</commonName><policySchema>3</policySchema>\
<certificateValidity><validityPeriodSeconds>{validity}</validityPeriodSeconds><renewalPeriodSeconds>{renewal}</renewalPeriodSeconds></certificateValidity>\
<permission><enroll>true</enroll><autoEnroll>false</autoEnroll></permission>\
<privateKeyAttributes><minimalKeyLength>{keylen}</minimalKeyLength><keySpec xsi:nil=\"true\"/><keyUsageProperty xsi:nil=\"true\"/>\
<permissions xsi:nil=\"true\"/><algorithmOIDReference xsi:nil=\"true\"/><cryptoProviders xsi:nil=\"true\"/></privateKeyAttributes>\
<revision><majorRevision>101</majorRevision><minorRevision>0</minorRevision></revision>\
<supersededPolicies xsi:nil=\"true\"/><privateKeyFlags xsi:nil=\"true\"/><subjectNameFlags xsi:nil=\"true\"/>\
<enrollmentFlags xsi:nil=\"true\"/><generalFlags xsi:nil=\"true\"/><hashAlgorithmOIDReference>0</hashAlgorithmOIDReference>\
<rARequirements xsi:nil=\"true\"/><keyArchivalAttributes xsi:nil=\"true\"/><extensions xsi:nil=\"true\"/>\
</attributes></policy></policies></response><cAs xsi:nil=\"true\"/>\
<oIDs><oID><value>{oid}</value><group>1</group><oIDReferenceID>0</oIDReferenceID><defaultName>{oid_name}</defaultName></oID></oIDs>\
</GetPoliciesResponse></s:Body></s:Envelope>",
            cn = escape(&self.common_name),
            validity = self.validity_period_seconds,
            renewal = self.renewal_period_seconds,
            keylen = self.minimal_key_length,
            oid = self.hash_algorithm.oid(),
            oid_name = self.hash_algorithm.default_name(),
        ));
        out
    }

    /// Decodes a GetPoliciesResponse (round-trip tests, simulators). The hash
    /// algorithm is the oID the policy's hashAlgorithmOIDReference points at.
    pub fn decode(body: &[u8]) -> Result<(SoapHeaderEcho, Self), EnrollmentError> {
        let root = xml_limits::parse(body, &XmlLimits::default())?;
        if root.name != "Envelope" {
            return Err(EnrollmentError::NotSoap(root.name));
        }
        let echo = SoapHeaderEcho::from_envelope(&root);
        let resp = root.path(&["Body", "GetPoliciesResponse"]).ok_or(EnrollmentError::Missing("GetPoliciesResponse"))?;
        let attrs = resp.path(&["response", "policies", "policy", "attributes"]).ok_or(EnrollmentError::Missing("policy/attributes"))?;
        let num = |path: &[&str]| attrs.path_text(path).and_then(|s| s.parse::<u64>().ok());
        let hash_ref = attrs.child_text("hashAlgorithmOIDReference").unwrap_or_default();
        let oid = resp
            .child("oIDs")
            .into_iter()
            .flat_map(|o| o.children_named("oID"))
            .find(|o| o.child_text("oIDReferenceID") == Some(hash_ref))
            .and_then(|o| o.child_text("value"))
            .ok_or(EnrollmentError::Missing("oID for hashAlgorithmOIDReference"))?;
        let hash_algorithm = if oid == HashAlgorithm::Sha256.oid() { HashAlgorithm::Sha256 } else { HashAlgorithm::Sha1 };
        Ok((
            echo,
            Self {
                common_name: attrs.child_text("commonName").unwrap_or_default().to_owned(),
                minimal_key_length: num(&["privateKeyAttributes", "minimalKeyLength"])
                    .ok_or(EnrollmentError::Missing("minimalKeyLength"))? as u32,
                hash_algorithm,
                validity_period_seconds: num(&["certificateValidity", "validityPeriodSeconds"]).unwrap_or_default(),
                renewal_period_seconds: num(&["certificateValidity", "renewalPeriodSeconds"]).unwrap_or_default(),
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let p = PolicyResponse { common_name: "a&b".into(), ..Default::default() };
        let xml = p.encode(Some("urn:uuid:x"));
        let (echo, back) = PolicyResponse::decode(xml.as_bytes()).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.minimal_key_length, 2048);
        assert_eq!(echo.relates_to.as_deref(), Some("urn:uuid:x"));
        let sha1 = PolicyResponse { hash_algorithm: HashAlgorithm::Sha1, ..Default::default() };
        assert_eq!(PolicyResponse::decode(sha1.encode(None).as_bytes()).unwrap().1.hash_algorithm, HashAlgorithm::Sha1);
    }
}
