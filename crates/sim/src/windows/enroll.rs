//! The device side of MS-MDE2 enrollment: the SOAP requests Windows sends
//! (shapes from on-premise-authentication-device-enrollment.md), a
//! Windows-shaped PKCS#10 request, and reading the wap-provisioningdoc.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::writer::escape;

const NS_SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
const NS_ADDRESSING: &str = "http://www.w3.org/2005/08/addressing";
const NS_WSU: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const NS_WSSE: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const NS_WST: &str = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
const NS_AC: &str = "http://schemas.xmlsoap.org/ws/2006/12/authorization";
const PASSWORD_TEXT: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
pub const VALUE_TYPE_PKCS10: &str = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment#PKCS10";

/// `Discover` request body.
pub fn discover_request(
    message_id: &str,
    to: &str,
    email: &str,
    os_edition: &str,
    request_version: &str,
    device_type: &str,
    app_version: &str,
) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<s:Envelope xmlns:a=\"{NS_ADDRESSING}\" xmlns:s=\"{NS_SOAP12}\"><s:Header>\
<a:Action s:mustUnderstand=\"1\">http://schemas.microsoft.com/windows/management/2012/01/enrollment/IDiscoveryService/Discover</a:Action>\
<a:MessageID>{mid}</a:MessageID><a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>\
<a:To s:mustUnderstand=\"1\">{to}</a:To></s:Header><s:Body>\
<Discover xmlns=\"http://schemas.microsoft.com/windows/management/2012/01/enrollment/\"><request xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">\
<EmailAddress>{email}</EmailAddress><OSEdition>{ed}</OSEdition><RequestVersion>{rv}</RequestVersion><DeviceType>{dt}</DeviceType>\
<ApplicationVersion>{av}</ApplicationVersion><AuthPolicies><AuthPolicy>OnPremise</AuthPolicy></AuthPolicies></request></Discover></s:Body></s:Envelope>",
        mid = escape(message_id),
        to = escape(to),
        email = escape(email),
        ed = escape(os_edition),
        rv = escape(request_version),
        dt = escape(device_type),
        av = escape(app_version),
    )
}

fn security_header(username: &str, password: &str) -> String {
    format!(
        "<wsse:Security s:mustUnderstand=\"1\"><wsse:UsernameToken u:Id=\"uuid-cc1ccc1f-2fba-4bcf-b063-ffc0cac77917-4\">\
<wsse:Username>{}</wsse:Username><wsse:Password wsse:Type=\"{PASSWORD_TEXT}\">{}</wsse:Password></wsse:UsernameToken></wsse:Security>",
        escape(username),
        escape(password)
    )
}

fn envelope_open(action: &str, message_id: &str, to: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"{NS_SOAP12}\" xmlns:a=\"{NS_ADDRESSING}\" xmlns:u=\"{NS_WSU}\" xmlns:wsse=\"{NS_WSSE}\" xmlns:wst=\"{NS_WST}\" xmlns:ac=\"{NS_AC}\">\
<s:Header><a:Action s:mustUnderstand=\"1\">{}</a:Action><a:MessageID>{}</a:MessageID>\
<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo><a:To s:mustUnderstand=\"1\">{}</a:To>",
        escape(action),
        escape(message_id),
        escape(to)
    )
}

/// MS-XCEP `GetPolicies` with a UsernameToken.
pub fn get_policies_request(message_id: &str, to: &str, username: &str, password: &str) -> String {
    let mut o = envelope_open("http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy/IPolicy/GetPolicies", message_id, to);
    o.push_str(&security_header(username, password));
    o.push_str(
        "</s:Header><s:Body xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\
<GetPolicies xmlns=\"http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy\"><client><lastUpdate xsi:nil=\"true\"/>\
<preferredLanguage xsi:nil=\"true\"/></client><requestFilter xsi:nil=\"true\"/></GetPolicies></s:Body></s:Envelope>",
    );
    o
}

/// MS-WSTEP `RequestSecurityToken` with a UsernameToken, the base64 CSR and
/// AdditionalContext items (names may repeat).
pub fn rst_request(message_id: &str, to: &str, username: &str, password: &str, csr_b64: &str, context: &[(&str, String)]) -> String {
    let mut o = envelope_open("http://schemas.microsoft.com/windows/pki/2009/01/enrollment/RST/wstep", message_id, to);
    o.push_str(&security_header(username, password));
    o.push_str(&format!(
        "</s:Header><s:Body><wst:RequestSecurityToken>\
<wst:TokenType>http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentToken</wst:TokenType>\
<wst:RequestType>http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue</wst:RequestType>\
<wsse:BinarySecurityToken ValueType=\"{VALUE_TYPE_PKCS10}\" EncodingType=\"{NS_WSSE}#base64binary\">{csr_b64}</wsse:BinarySecurityToken>\
<ac:AdditionalContext xmlns=\"{NS_AC}\">"
    ));
    for (name, value) in context {
        o.push_str(&format!("<ac:ContextItem Name=\"{}\"><ac:Value>{}</ac:Value></ac:ContextItem>", escape(name), escape(value)));
    }
    o.push_str("</ac:AdditionalContext></wst:RequestSecurityToken></s:Body></s:Envelope>");
    o
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else if len < 0x10000 {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    } else {
        out.extend([0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// A PKCS#10 request shaped like Windows': subject `CN=<cn>` followed by a NUL,
/// tagged PrintableString although `!` is not legal in one, SHA-1 with RSA
/// signature OID, and a signature that is not verifiable (junk bytes): the
/// server must parse it leniently and must not rely on the signature.
pub fn windows_like_csr(spki_der: &[u8], cn: &str) -> Vec<u8> {
    let mut cn_bytes = cn.as_bytes().to_vec();
    cn_bytes.push(0);
    let oid_cn = tlv(0x06, &[0x55, 0x04, 0x03]);
    let atv = tlv(0x30, &[oid_cn, tlv(0x13, &cn_bytes)].concat());
    let name = tlv(0x30, &tlv(0x31, &atv));
    let info = tlv(0x30, &[tlv(0x02, &[0]), name, spki_der.to_vec(), tlv(0xa0, &[])].concat());
    let sha1_rsa = tlv(0x30, &[tlv(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05]), tlv(0x05, &[])].concat());
    let mut sig = vec![0u8];
    sig.extend(std::iter::repeat_n(0x5a, 64));
    tlv(0x30, &[info, sha1_rsa, tlv(0x03, &sig)].concat())
}

/// One APPAUTH characteristic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppAuth {
    pub level: String,
    pub auth_type: String,
    pub name: String,
    pub secret: String,
    /// AAUTHDATA: base64 nonce.
    pub data: String,
}

/// What the device keeps from the wap-provisioningdoc.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvisionedConfig {
    /// Root CA, base64 DER.
    pub ca_cert_b64: Option<String>,
    /// The issued client certificate, base64 DER, and its store (`User`/`System`).
    pub client_cert_b64: Option<String>,
    pub client_cert_store: Option<String>,
    pub provider_id: Option<String>,
    pub addr: Option<String>,
    pub app_auth: Vec<AppAuth>,
    /// Every parm as (characteristic path joined by '/', name, value).
    pub parms: Vec<(String, String, String)>,
}

impl ProvisionedConfig {
    pub fn app_auth(&self, level: &str) -> Option<&AppAuth> {
        self.app_auth.iter().find(|a| a.level.eq_ignore_ascii_case(level))
    }
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).and_then(|a| a.unescape_value().ok()).map(|v| v.into_owned())
}

/// Parses a wap-provisioningdoc (own reader, independent of the codec crate).
pub fn parse_provisioning_doc(xml: &str) -> Result<ProvisionedConfig, String> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut cfg = ProvisionedConfig::default();
    let handle_start = |e: &BytesStart<'_>, empty: bool, path: &mut Vec<String>, cfg: &mut ProvisionedConfig| match e.local_name().as_ref()
    {
        b"characteristic" => {
            let ty = attr(e, b"type").unwrap_or_default();
            if !empty {
                if ty == "APPAUTH" {
                    cfg.app_auth.push(AppAuth::default());
                }
                path.push(ty);
            }
        }
        b"parm" => {
            let name = attr(e, b"name").unwrap_or_default();
            let value = attr(e, b"value").unwrap_or_default();
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            match (p.as_slice(), name.as_str()) {
                (["CertificateStore", "Root", "System", _], "EncodedCertificate") => cfg.ca_cert_b64 = Some(value.clone()),
                (["CertificateStore", "My", store, _], "EncodedCertificate") => {
                    cfg.client_cert_b64 = Some(value.clone());
                    cfg.client_cert_store = Some(store.to_string());
                }
                (["APPLICATION"], "ADDR") => cfg.addr = Some(value.clone()),
                (["APPLICATION"], "PROVIDER-ID") => cfg.provider_id = Some(value.clone()),
                (["APPLICATION", "APPAUTH"], n) => {
                    if let Some(a) = cfg.app_auth.last_mut() {
                        match n {
                            "AAUTHLEVEL" => a.level = value.clone(),
                            "AAUTHTYPE" => a.auth_type = value.clone(),
                            "AAUTHNAME" => a.name = value.clone(),
                            "AAUTHSECRET" => a.secret = value.clone(),
                            "AAUTHDATA" => a.data = value.clone(),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            cfg.parms.push((path.join("/"), name, value));
        }
        _ => {}
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => handle_start(&e, false, &mut path, &mut cfg),
            Ok(Event::Empty(e)) => handle_start(&e, true, &mut path, &mut cfg),
            Ok(Event::End(e)) => {
                if e.local_name().as_ref() == b"characteristic" {
                    path.pop();
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("provisioning doc is not XML: {e}")),
        }
    }
    if cfg.addr.is_none() {
        return Err("provisioning doc has no APPLICATION ADDR".into());
    }
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_doc_example_shape() {
        let xml = r#"<wap-provisioningdoc version="1.1">
   <characteristic type="CertificateStore"><characteristic type="Root"><characteristic type="System">
      <characteristic type="0313"><parm name="EncodedCertificate" value="Q0E=" /></characteristic>
   </characteristic></characteristic></characteristic>
   <characteristic type="CertificateStore"><characteristic type="My"><characteristic type="User">
      <characteristic type="F9A4"><parm name="EncodedCertificate" value="REVW" /></characteristic>
      <characteristic type="PrivateKeyContainer"/>
   </characteristic></characteristic></characteristic>
   <characteristic type="APPLICATION">
      <parm name="APPID" value="w7"/><parm name="PROVIDER-ID" value="TestMDMServer"/>
      <parm name="ADDR" value="https://DM.contoso.com:443/omadm/Windows.ashx"/>
      <parm name="BACKCOMPATRETRYDISABLED" />
      <characteristic type="APPAUTH">
         <parm name="AAUTHLEVEL" value="CLIENT"/><parm name="AAUTHTYPE" value="DIGEST"/>
         <parm name="AAUTHNAME" value="server"/><parm name="AAUTHSECRET" value="password1"/><parm name="AAUTHDATA" value="c25vbmNl"/>
      </characteristic>
      <characteristic type="APPAUTH">
         <parm name="AAUTHLEVEL" value="APPSRV"/><parm name="AAUTHTYPE" value="DIGEST"/>
         <parm name="AAUTHNAME" value="testclient"/><parm name="AAUTHSECRET" value="pass&amp;2"/><parm name="AAUTHDATA" value="bm9uY2U="/>
      </characteristic>
   </characteristic>
</wap-provisioningdoc>"#;
        let c = parse_provisioning_doc(xml).unwrap();
        assert_eq!(c.ca_cert_b64.as_deref(), Some("Q0E="));
        assert_eq!(c.client_cert_b64.as_deref(), Some("REVW"));
        assert_eq!(c.client_cert_store.as_deref(), Some("User"));
        assert_eq!(c.addr.as_deref(), Some("https://DM.contoso.com:443/omadm/Windows.ashx"));
        assert_eq!(c.provider_id.as_deref(), Some("TestMDMServer"));
        let appsrv = c.app_auth("APPSRV").unwrap();
        assert_eq!((appsrv.name.as_str(), appsrv.secret.as_str(), appsrv.data.as_str()), ("testclient", "pass&2", "bm9uY2U="));
        assert_eq!(c.app_auth("CLIENT").unwrap().secret, "password1");
    }

    #[test]
    fn reads_the_codec_doc() {
        use pinreset_windows::enrollment::provisioning::*;
        let doc = ProvisioningDoc {
            ca_cert: CertificateEntry { thumbprint_hex: "AA".into(), der_b64: "Q0E=".into() },
            client_cert: CertificateEntry { thumbprint_hex: "BB".into(), der_b64: "REVW".into() },
            client_store: ClientCertStore::System,
            provider_id: "pinreset".into(),
            server_name: "pinreset".into(),
            server_url: "https://mdm.example/ManagementServer/MDM.svc".into(),
            client_cert_subject_cn: Some("DEV1".into()),
            md5: Some(Md5Credentials {
                client_name: "DEV1".into(),
                client_secret: "cs".into(),
                client_nonce_b64: "bm9uY2U=".into(),
                server_name: "pinreset".into(),
                server_secret: "ss".into(),
                server_nonce_b64: "c25vbmNl".into(),
            }),
            poll: PollSchedule::default(),
            ent_device_name: None,
        };
        let c = parse_provisioning_doc(&doc.to_xml()).unwrap();
        assert_eq!(c.addr.as_deref(), Some("https://mdm.example/ManagementServer/MDM.svc"));
        assert_eq!(c.client_cert_store.as_deref(), Some("System"));
        let a = c.app_auth("APPSRV").unwrap();
        assert_eq!((a.name.as_str(), a.secret.as_str(), a.data.as_str()), ("DEV1", "cs", "bm9uY2U="));
    }
}
