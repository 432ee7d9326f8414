//! A Windows device as tests and benchmarks drive it by hand: enrolls through the real
//! enrollment service with Microsoft's example RST (our CSR and values filled in) and writes
//! its own OMA-DM messages. The full simulator lives in the sim crate; this is the thinnest
//! device that exercises the server's wire path.

use base64::Engine;

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../windows/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The enrolling user of Microsoft's example messages (user@contoso.com / mypassword), created
/// in the first tenant if missing.
pub async fn contoso_user(store: &dyn pinreset_store::Store) -> pinreset_core::User {
    if let Some((u, _)) = store.users_by_email("user@contoso.com").await.unwrap().pop() {
        return u;
    }
    let tenant = store.list_tenants().await.unwrap().pop().unwrap();
    let user = pinreset_core::User {
        id: pinreset_core::UserId::new(),
        tenant_id: tenant.id,
        login: "contoso-user".into(),
        display_name: "Contoso User".into(),
        email: "user@contoso.com".into(),
        role: pinreset_core::Role::EndUser,
    };
    store.create_user(&user, Some(&pinreset_server::auth::hash_password("mypassword"))).await.unwrap();
    user
}

/// What the device keeps from its provisioning doc. (The benchmark reads only some fields.)
#[allow(dead_code)]
pub struct EnrolledDevice {
    pub name: String,
    pub secret: String,
    pub nonce: Vec<u8>,
    /// The device's TLS identity: its key and the certificate our CA issued (PEM).
    pub identity_pem: String,
}

/// Enroll a Windows 10 Mobile (15063, Azure AD joined) device as user@contoso.com/mypassword.
pub async fn enroll_w10m(http: &reqwest::Client, base: &str, device_key: &str) -> EnrolledDevice {
    enroll_w10m_as(http, base, device_key, "user@contoso.com", "mypassword")
        .await
        .unwrap_or_else(|(s, body)| panic!("enrollment failed: {s}: {body}"))
}

/// Enroll as any user; a refusal comes back as its HTTP status and SOAP body.
pub async fn enroll_w10m_as(
    http: &reqwest::Client,
    base: &str,
    device_key: &str,
    email: &str,
    password: &str,
) -> Result<EnrolledDevice, (u16, String)> {
    let key = rcgen::KeyPair::generate().unwrap();
    let csr = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap().serialize_request(&key).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let rst = fixture("rst_request_onpremise.xml")
        .replace("DER format PKCS#10 certificate request in Base64 encoding Insterted Here", &b64.encode(csr.der()))
        .replace("7BA748C8-703E-4DF2-A74A-92984117346A", device_key)
        .replace("10.0.9999.0", "10.0.15063.0")
        .replace("CIMClient_Windows", "WindowsPhone")
        .replace(">Full<", ">Device<")
        .replace("MY_WINDOWS_DEVICE", &format!("Lumia {device_key}"))
        .replace("user@contoso.com", email)
        .replace("mypassword", password);
    let r = http
        .post(format!("{base}/EnrollmentServer/Enrollment.svc"))
        .header("content-type", "application/soap+xml; charset=utf-8")
        .body(rst)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body = r.text().await.unwrap();
    if !status.is_success() {
        return Err((status.as_u16(), body));
    }
    let (_, rstr) = pinreset_windows::enrollment::RstrResponse::decode(body.as_bytes()).unwrap();
    let doc = rstr.provisioning_doc.unwrap();
    let appsrv = doc.split("<characteristic type=\"APPAUTH\">").find(|b| b.contains("\"APPSRV\"")).unwrap();
    let parm = |name: &str| appsrv.split(&format!("name=\"{name}\" value=\"")).nth(1).unwrap().split('"').next().unwrap().to_string();
    let my = doc.split("<characteristic type=\"My\">").nth(1).unwrap();
    let cert_b64 = my.split("name=\"EncodedCertificate\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let cert_pem = format!("-----BEGIN CERTIFICATE-----\n{cert_b64}\n-----END CERTIFICATE-----\n");
    Ok(EnrolledDevice {
        name: parm("AAUTHNAME"),
        secret: parm("AAUTHSECRET"),
        nonce: b64.decode(parm("AAUTHDATA")).unwrap(),
        identity_pem: format!("{cert_pem}{}", key.serialize_pem()),
    })
}

/// A device → server SyncML message; `cred` is the MD5 digest for the session's first message.
pub fn device_message(device_key: &str, session: &str, msg_id: u32, cred: Option<String>, body: &str) -> String {
    let cred = cred
        .map(|d| format!("<Cred><Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta><Data>{d}</Data></Cred>"))
        .unwrap_or_default();
    format!(
        "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>{session}</SessionID><MsgID>{msg_id}</MsgID>\
         <Target><LocURI>https://127.0.0.1/ManagementServer/MDM.svc</LocURI></Target><Source><LocURI>{device_key}</LocURI></Source>{cred}</SyncHdr>\
         <SyncBody>{body}<Final/></SyncBody></SyncML>"
    )
}

/// The first message of a client-initiated session, with an inventory item.
pub const FIRST_PACKAGE: &str = "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevDetail/SwV</LocURI></Source><Data>10.0.15063.0</Data></Item><Item><Source><LocURI>./DevInfo/Mod</LocURI></Source><Data>Lumia 950</Data></Item></Replace>";

/// The DM account of an enrolled device as the device keeps it: the nonce changes with every
/// message the server accepts by MD5 (it sends the next one as NextNonce).
#[allow(dead_code)]
pub struct DmAccount {
    pub name: String,
    pub secret: String,
    pub nonce: Vec<u8>,
}

#[allow(dead_code)]
impl DmAccount {
    pub fn of(d: &EnrolledDevice) -> Self {
        DmAccount { name: d.name.clone(), secret: d.secret.clone(), nonce: d.nonce.clone() }
    }
    /// The `Cred` digest for the current nonce.
    pub fn cred(&self) -> String {
        pinreset_windows::syncml::auth::md5_digest(&self.name, &self.secret, &self.nonce)
    }
    /// The `x-syncml-hmac` header value for a message body, with the current nonce.
    pub fn hmac(&self, body: &str) -> String {
        pinreset_windows::syncml::auth::hmac_header_value(&self.name, &self.secret, &self.nonce, body.as_bytes())
    }
    /// Take the NextNonce from the server's SyncHdr Status, as a device does.
    pub fn learn(&mut self, reply: &pinreset_windows::syncml::SyncMl) {
        let next = reply.body.iter().find_map(|c| match c {
            pinreset_windows::syncml::Command::Status(s) if s.cmd_ref == "0" => s.chal.as_ref().and_then(|c| c.next_nonce.clone()),
            _ => None,
        });
        if let Some(n) = next.and_then(|n| base64::engine::general_purpose::STANDARD.decode(n.trim()).ok()) {
            self.nonce = n;
        }
    }
}
