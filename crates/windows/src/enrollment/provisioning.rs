//! The wap-provisioningdoc returned inside the RSTR: certificates, the DM
//! server account (w7 APPLICATION), optional MD5 credentials, and the poll
//! schedule (DMClient CSP). Shape from on-premise-authentication-device-enrollment.md.

use serde::Serialize;

use crate::xml_limits::escape;

/// A certificate to install: SHA-1 thumbprint (hex, the characteristic name
/// Windows files it under) and DER in base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateEntry {
    pub thumbprint_hex: String,
    pub der_b64: String,
}

/// Store for the device's client certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ClientCertStore {
    /// `My/User`: user enrollment (the doc's example).
    User,
    /// `My/System`: device enrollment (e.g. Azure AD join, no user profile).
    System,
}

impl ClientCertStore {
    fn as_str(self) -> &'static str {
        match self {
            ClientCertStore::User => "User",
            ClientCertStore::System => "System",
        }
    }
}

/// OMA-DM application-level MD5 credentials, so a session can be
/// authenticated by `Cred` when a proxy strips the TLS client certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Md5Credentials {
    /// What the device presents to the server (APPSRV level): name, secret,
    /// and the base64 nonce for its first digest.
    pub client_name: String,
    pub client_secret: String,
    pub client_nonce_b64: String,
    /// What the server presents to the device (CLIENT level).
    pub server_name: String,
    pub server_secret: String,
    pub server_nonce_b64: String,
}

/// DMClient `Poll` schedule (dmclient-csp.md), minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PollSchedule {
    pub number_of_first_retries: u32,
    pub interval_for_first_set_of_retries: u32,
    pub number_of_second_retries: u32,
    pub interval_for_second_set_of_retries: u32,
    pub number_of_remaining_scheduled_retries: u32,
    pub interval_for_remaining_scheduled_retries: u32,
    pub poll_on_login: bool,
}

impl Default for PollSchedule {
    /// Every 3 min ×8 right after enrollment (so a queued first reset is
    /// quick), then every 15 min ×8, then every 60 min forever (0 = infinite).
    fn default() -> Self {
        Self {
            number_of_first_retries: 8,
            interval_for_first_set_of_retries: 3,
            number_of_second_retries: 8,
            interval_for_second_set_of_retries: 15,
            number_of_remaining_scheduled_retries: 0,
            interval_for_remaining_scheduled_retries: 60,
            poll_on_login: true,
        }
    }
}

/// Everything the provisioning doc carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisioningDoc {
    /// Root CA → CertificateStore/Root/System.
    pub ca_cert: CertificateEntry,
    /// The issued device certificate → CertificateStore/My/{User|System}.
    pub client_cert: CertificateEntry,
    pub client_store: ClientCertStore,
    /// PROVIDER-ID of the w7 APPLICATION = the DMClient Provider node name.
    pub provider_id: String,
    /// NAME shown in Settings.
    pub server_name: String,
    /// ADDR: the OMA-DM endpoint URL.
    pub server_url: String,
    /// Client-certificate selection: subject CN of the issued certificate.
    pub client_cert_subject_cn: Option<String>,
    pub md5: Option<Md5Credentials>,
    pub poll: PollSchedule,
    pub ent_device_name: Option<String>,
}

fn parm(out: &mut String, name: &str, value: &str, datatype: Option<&str>) {
    out.push_str(&format!("<parm name=\"{}\" value=\"{}\"", escape(name), escape(value)));
    if let Some(dt) = datatype {
        out.push_str(&format!(" datatype=\"{dt}\""));
    }
    out.push_str("/>");
}

fn open(out: &mut String, ty: &str) {
    out.push_str(&format!("<characteristic type=\"{}\">", escape(ty)));
}

const CLOSE: &str = "</characteristic>";

/// Percent-encodes what SSLCLIENTCERTSEARCHCRITERIA's syntax reserves.
fn criteria_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl ProvisioningDoc {
    /// The XML text (to be base64-encoded into the RSTR by [`super::RstrResponse`]).
    pub fn to_xml(&self) -> String {
        let mut o = String::with_capacity(4096 + self.ca_cert.der_b64.len() + self.client_cert.der_b64.len());
        o.push_str("<wap-provisioningdoc version=\"1.1\">");

        open(&mut o, "CertificateStore");
        open(&mut o, "Root");
        open(&mut o, "System");
        open(&mut o, &self.ca_cert.thumbprint_hex);
        parm(&mut o, "EncodedCertificate", &self.ca_cert.der_b64, None);
        o.push_str(CLOSE);
        o.push_str(CLOSE);
        o.push_str(CLOSE);
        o.push_str(CLOSE);

        open(&mut o, "CertificateStore");
        open(&mut o, "My");
        open(&mut o, self.client_store.as_str());
        open(&mut o, &self.client_cert.thumbprint_hex);
        parm(&mut o, "EncodedCertificate", &self.client_cert.der_b64, None);
        o.push_str(CLOSE);
        // "This tag must be present for XML syntax correctness" (the doc).
        o.push_str("<characteristic type=\"PrivateKeyContainer\"/>");
        o.push_str(CLOSE);
        o.push_str(CLOSE);
        o.push_str(CLOSE);

        open(&mut o, "APPLICATION");
        parm(&mut o, "APPID", "w7", None);
        parm(&mut o, "PROVIDER-ID", &self.provider_id, None);
        parm(&mut o, "NAME", &self.server_name, None);
        parm(&mut o, "ADDR", &self.server_url, None);
        parm(&mut o, "CONNRETRYFREQ", "6", None);
        parm(&mut o, "INITIALBACKOFFTIME", "30000", None);
        parm(&mut o, "MAXBACKOFFTIME", "120000", None);
        o.push_str("<parm name=\"BACKCOMPATRETRYDISABLED\"/>");
        // Plain XML (not WBXML): what this crate's codec speaks.
        parm(&mut o, "DEFAULTENCODING", "application/vnd.syncml.dm+xml", None);
        if let Some(cn) = &self.client_cert_subject_cn {
            let store = format!("My\\{}", self.client_store.as_str());
            let criteria = format!("Subject={}&Stores={}", criteria_escape(&format!("CN={cn}")), criteria_escape(&store));
            parm(&mut o, "SSLCLIENTCERTSEARCHCRITERIA", &criteria, None);
        }
        if let Some(md5) = &self.md5 {
            open(&mut o, "APPAUTH");
            parm(&mut o, "AAUTHLEVEL", "CLIENT", None);
            parm(&mut o, "AAUTHTYPE", "DIGEST", None);
            parm(&mut o, "AAUTHNAME", &md5.server_name, None);
            parm(&mut o, "AAUTHSECRET", &md5.server_secret, None);
            parm(&mut o, "AAUTHDATA", &md5.server_nonce_b64, None);
            o.push_str(CLOSE);
            open(&mut o, "APPAUTH");
            parm(&mut o, "AAUTHLEVEL", "APPSRV", None);
            parm(&mut o, "AAUTHTYPE", "DIGEST", None);
            parm(&mut o, "AAUTHNAME", &md5.client_name, None);
            parm(&mut o, "AAUTHSECRET", &md5.client_secret, None);
            parm(&mut o, "AAUTHDATA", &md5.client_nonce_b64, None);
            o.push_str(CLOSE);
        }
        o.push_str(CLOSE);

        open(&mut o, "DMClient");
        open(&mut o, "Provider");
        open(&mut o, &self.provider_id);
        open(&mut o, "Poll");
        let p = &self.poll;
        let int = |o: &mut String, n: &str, v: u32| parm(o, n, &v.to_string(), Some("integer"));
        int(&mut o, "NumberOfFirstRetries", p.number_of_first_retries);
        int(&mut o, "IntervalForFirstSetOfRetries", p.interval_for_first_set_of_retries);
        int(&mut o, "NumberOfSecondRetries", p.number_of_second_retries);
        int(&mut o, "IntervalForSecondSetOfRetries", p.interval_for_second_set_of_retries);
        int(&mut o, "NumberOfRemainingScheduledRetries", p.number_of_remaining_scheduled_retries);
        int(&mut o, "IntervalForRemainingScheduledRetries", p.interval_for_remaining_scheduled_retries);
        parm(&mut o, "PollOnLogin", if p.poll_on_login { "true" } else { "false" }, Some("boolean"));
        o.push_str(CLOSE);
        if let Some(name) = &self.ent_device_name {
            parm(&mut o, "EntDeviceName", name, Some("string"));
        }
        o.push_str(CLOSE);
        o.push_str(CLOSE);
        o.push_str(CLOSE);

        o.push_str("</wap-provisioningdoc>");
        o
    }
}

/// Reads `parm` values of a provisioning doc by characteristic path, for tests
/// and simulators: `parm_value(xml, &["APPLICATION"], "ADDR")`.
pub fn parm_value(xml: &str, path: &[&str], name: &str) -> Option<String> {
    let root = crate::xml_limits::parse(xml.as_bytes(), &crate::xml_limits::XmlLimits::default()).ok()?;
    // The doc repeats characteristics (two CertificateStore), so follow every
    // branch whose type matches, not just the first.
    let mut level = vec![&root];
    for ty in path {
        level = level.into_iter().flat_map(|el| el.children_named("characteristic")).filter(|c| c.attr("type") == Some(ty)).collect();
    }
    let value = level
        .into_iter()
        .flat_map(|el| el.children_named("parm"))
        .find(|p| p.attr("name") == Some(name))
        .and_then(|p| p.attr("value"))
        .map(str::to_owned);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> ProvisioningDoc {
        ProvisioningDoc {
            ca_cert: CertificateEntry { thumbprint_hex: "AA11".into(), der_b64: "Q0E=".into() },
            client_cert: CertificateEntry { thumbprint_hex: "BB22".into(), der_b64: "REVW".into() },
            client_store: ClientCertStore::System,
            provider_id: "pinreset".into(),
            server_name: "Pin & Reset".into(),
            server_url: "https://mdm.example/ManagementServer/MDM.svc".into(),
            client_cert_subject_cn: Some("dev-1".into()),
            md5: Some(Md5Credentials {
                client_name: "dev-1".into(),
                client_secret: "c\"s".into(),
                client_nonce_b64: "bm9uY2U=".into(),
                server_name: "pinreset".into(),
                server_secret: "ss".into(),
                server_nonce_b64: "c25vbmNl".into(),
            }),
            poll: PollSchedule::default(),
            ent_device_name: None,
        }
    }

    #[test]
    fn structure_and_escaping() {
        let xml = doc().to_xml();
        assert_eq!(parm_value(&xml, &["CertificateStore", "Root", "System", "AA11"], "EncodedCertificate").as_deref(), Some("Q0E="));
        assert_eq!(parm_value(&xml, &["APPLICATION"], "ADDR").as_deref(), Some("https://mdm.example/ManagementServer/MDM.svc"));
        assert_eq!(parm_value(&xml, &["APPLICATION"], "NAME").as_deref(), Some("Pin & Reset"));
        assert_eq!(parm_value(&xml, &["APPLICATION"], "PROVIDER-ID").as_deref(), Some("pinreset"));
        assert_eq!(
            parm_value(&xml, &["APPLICATION"], "SSLCLIENTCERTSEARCHCRITERIA").as_deref(),
            Some("Subject=CN%3Ddev-1&Stores=My%5CSystem")
        );
        assert_eq!(parm_value(&xml, &["DMClient", "Provider", "pinreset", "Poll"], "IntervalForFirstSetOfRetries").as_deref(), Some("3"));
        assert!(xml.contains("<characteristic type=\"My\"><characteristic type=\"System\"><characteristic type=\"BB22\">"));
        // APPSRV carries the device's own name/secret/nonce.
        let i = xml.find("value=\"APPSRV\"").unwrap();
        assert!(xml[i..].contains("value=\"c&quot;s\"") && xml[i..].contains("value=\"bm9uY2U=\""));
    }

    #[test]
    fn no_md5_no_appauth() {
        let mut d = doc();
        d.md5 = None;
        d.client_cert_subject_cn = None;
        let xml = d.to_xml();
        assert!(!xml.contains("APPAUTH") && !xml.contains("SSLCLIENTCERTSEARCHCRITERIA"));
    }
}
