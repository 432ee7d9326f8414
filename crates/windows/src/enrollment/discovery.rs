//! Discovery (MS-MDE2 §3.1): the device POSTs `Discover`, we answer where to
//! get policies and certificates and how the user authenticates. (The HTTP GET
//! that precedes it, answered 200 with an empty body, is the server's job.)

use serde::Serialize;

use super::soap::{open_response, parse_envelope, EnrollmentError};
use crate::xml_limits::{escape, XmlLimits};

pub const ACTION_DISCOVER: &str = "http://schemas.microsoft.com/windows/management/2012/01/enrollment/IDiscoveryService/Discover";
pub const ACTION_DISCOVER_RESPONSE: &str =
    "http://schemas.microsoft.com/windows/management/2012/01/enrollment/IDiscoveryService/DiscoverResponse";
const NS_DISCOVERY: &str = "http://schemas.microsoft.com/windows/management/2012/01/enrollment";

/// The device's Discover request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiscoverRequest {
    pub message_id: Option<String>,
    /// An e-mail address, or `domain\user` when the user typed that.
    pub email_address: String,
    pub request_version: Option<String>,
    pub device_type: Option<String>,
    pub application_version: Option<String>,
    pub os_edition: Option<String>,
    /// `OnPremise`, `Federated`, … as offered by the device.
    pub auth_policies: Vec<String>,
}

impl DiscoverRequest {
    pub fn decode(body: &[u8]) -> Result<Self, EnrollmentError> {
        Self::decode_with(body, &XmlLimits::default())
    }

    pub fn decode_with(body: &[u8], limits: &XmlLimits) -> Result<Self, EnrollmentError> {
        let (header, body) = parse_envelope(body, limits)?;
        let req = body.path(&["Discover", "request"]).ok_or(EnrollmentError::Missing("Discover/request"))?;
        let t = |n: &str| req.child_text(n).map(str::to_owned);
        Ok(Self {
            message_id: header.message_id,
            email_address: t("EmailAddress").unwrap_or_default(),
            request_version: t("RequestVersion"),
            device_type: t("DeviceType"),
            application_version: t("ApplicationVersion"),
            os_edition: t("OSEdition"),
            auth_policies: req
                .child("AuthPolicies")
                .map(|p| p.children_named("AuthPolicy").map(|a| a.text().to_owned()).collect())
                .unwrap_or_default(),
        })
    }

    /// Whether the device offered this auth policy (case-insensitive).
    pub fn supports(&self, policy: &str) -> bool {
        self.auth_policies.iter().any(|p| p.eq_ignore_ascii_case(policy))
    }
}

/// How the user authenticates during enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AuthPolicy {
    /// User name and password in the policy/enrollment requests.
    OnPremise,
    /// The device opens `authentication_service_url` in a web view and sends
    /// back the token that page returns.
    Federated { authentication_service_url: String },
}

/// Our Discover response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiscoverResponse {
    pub auth_policy: AuthPolicy,
    /// "3.0" or lower: what the device asked for (RequestVersion) capped to ours.
    pub enrollment_version: String,
    pub enrollment_policy_service_url: String,
    pub enrollment_service_url: String,
}

impl DiscoverResponse {
    /// Encodes the response; `relates_to` is the request's MessageID.
    pub fn encode(&self, relates_to: Option<&str>) -> String {
        let mut out = String::with_capacity(1024);
        open_response(&mut out, ACTION_DISCOVER_RESPONSE, relates_to, "");
        out.push_str(
            "</s:Header><s:Body xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">",
        );
        out.push_str(&format!("<DiscoverResponse xmlns=\"{NS_DISCOVERY}\"><DiscoverResult>"));
        let policy = match &self.auth_policy {
            AuthPolicy::OnPremise => "OnPremise",
            AuthPolicy::Federated { .. } => "Federated",
        };
        let el = |out: &mut String, name: &str, v: &str| out.push_str(&format!("<{name}>{}</{name}>", escape(v)));
        el(&mut out, "AuthPolicy", policy);
        el(&mut out, "EnrollmentVersion", &self.enrollment_version);
        el(&mut out, "EnrollmentPolicyServiceUrl", &self.enrollment_policy_service_url);
        el(&mut out, "EnrollmentServiceUrl", &self.enrollment_service_url);
        if let AuthPolicy::Federated { authentication_service_url } = &self.auth_policy {
            el(&mut out, "AuthenticationServiceUrl", authentication_service_url);
        }
        out.push_str("</DiscoverResult></DiscoverResponse></s:Body></s:Envelope>");
        out
    }

    /// Decodes a Discover response (for round-trip tests and simulators).
    /// Returns the RelatesTo and the response.
    pub fn decode(body: &[u8]) -> Result<(SoapHeaderEcho, Self), EnrollmentError> {
        let limits = XmlLimits::default();
        let root = crate::xml_limits::parse(body, &limits)?;
        if root.name != "Envelope" {
            return Err(EnrollmentError::NotSoap(root.name));
        }
        let echo = SoapHeaderEcho::from_envelope(&root);
        let r = root
            .path(&["Body", "DiscoverResponse", "DiscoverResult"])
            .ok_or(EnrollmentError::Missing("DiscoverResponse/DiscoverResult"))?;
        let t = |n: &'static str| r.child_text(n).map(str::to_owned).ok_or(EnrollmentError::Missing(n));
        let auth_policy = match t("AuthPolicy")?.as_str() {
            "Federated" => AuthPolicy::Federated { authentication_service_url: t("AuthenticationServiceUrl")? },
            _ => AuthPolicy::OnPremise,
        };
        Ok((
            echo,
            Self {
                auth_policy,
                enrollment_version: t("EnrollmentVersion").unwrap_or_default(),
                enrollment_policy_service_url: t("EnrollmentPolicyServiceUrl").unwrap_or_default(),
                enrollment_service_url: t("EnrollmentServiceUrl")?,
            },
        ))
    }
}

/// Action and RelatesTo of a response envelope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SoapHeaderEcho {
    pub action: Option<String>,
    pub relates_to: Option<String>,
}

impl SoapHeaderEcho {
    pub(crate) fn from_envelope(root: &crate::xml_limits::Element) -> Self {
        Self {
            action: root.path_text(&["Header", "Action"]).map(str::to_owned),
            relates_to: root.path_text(&["Header", "RelatesTo"]).map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn federated_round_trip_with_escaping() {
        let resp = DiscoverResponse {
            auth_policy: AuthPolicy::Federated { authentication_service_url: "https://e.example/auth?a=1&b=2".into() },
            enrollment_version: "3.0".into(),
            enrollment_policy_service_url: "https://e.example/policy".into(),
            enrollment_service_url: "https://e.example/enroll".into(),
        };
        let xml = resp.encode(Some("urn:uuid:1"));
        let (echo, back) = DiscoverResponse::decode(xml.as_bytes()).unwrap();
        assert_eq!(back, resp);
        assert_eq!(echo.relates_to.as_deref(), Some("urn:uuid:1"));
        assert_eq!(echo.action.as_deref(), Some(ACTION_DISCOVER_RESPONSE));
    }

    #[test]
    fn on_premise_has_no_auth_url() {
        let resp = DiscoverResponse {
            auth_policy: AuthPolicy::OnPremise,
            enrollment_version: "3.0".into(),
            enrollment_policy_service_url: "p".into(),
            enrollment_service_url: "e".into(),
        };
        let xml = resp.encode(None);
        assert!(!xml.contains("AuthenticationServiceUrl") && !xml.contains("RelatesTo"));
        assert_eq!(DiscoverResponse::decode(xml.as_bytes()).unwrap().1, resp);
    }
}
