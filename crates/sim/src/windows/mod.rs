//! A simulated Windows device: MS-MDE2 enrollment over HTTPS, then OMA-DM 1.2
//! sessions against the management endpoint, with a small DM tree and the
//! RemoteLock / RemoteWipe behaviour of real builds (see [`WindowsProfile`]).
//!
//! Device messages are written by [`writer`] (never by the server codec's
//! encoder); server messages are decoded with `pinreset_windows::syncml::decode`.

pub mod enroll;
pub mod pin;
pub mod profile;
pub mod writer;

use std::collections::BTreeMap;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use md5::{Digest, Md5};
use pinreset_windows::enrollment::{DiscoverResponse, PolicyResponse, RstrResponse};
use pinreset_windows::syncml::{self, Command, ItemCommand, SyncMl};
use rand::Rng;

pub use crate::error::SimError;
pub use enroll::{AppAuth, ProvisionedConfig};
pub use pin::{ClassRule, PinRules};
pub use profile::WindowsProfile;
pub use writer::{DevCommand, DevCred, DevItem, DeviceMessage};

pub const DISCOVERY_PATH: &str = "/EnrollmentServer/Discovery.svc";
pub const SYNCML_CONTENT_TYPE: &str = "application/vnd.syncml.dm+xml";
const SOAP_CONTENT_TYPE: &str = "application/soap+xml; charset=utf-8";

pub const LOCK: &str = "./Vendor/MSFT/RemoteLock/Lock";
pub const LOCK_AND_RESET_PIN: &str = "./Vendor/MSFT/RemoteLock/LockAndResetPIN";
pub const LOCK_AND_RECOVER_PIN: &str = "./Vendor/MSFT/RemoteLock/LockAndRecoverPIN";
pub const NEW_PIN_VALUE: &str = "./Vendor/MSFT/RemoteLock/NewPINValue";
pub const DMCLIENT_UNENROLL: &str = "./Vendor/MSFT/DMClient/Unenroll";
pub const DO_WIPE: &str = "./Device/Vendor/MSFT/RemoteWipe/doWipe";
const DO_WIPE_USER_SCOPE: &str = "./Vendor/MSFT/RemoteWipe/doWipe";
const DEVICE_NAME: &str = "./DevDetail/Ext/Microsoft/DeviceName";

/// Most rounds a session may take before the simulator gives up (a server
/// that never stops sending commands is a bug the tests should see).
const MAX_ROUNDS: usize = 32;

/// One server command the device answered in a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    /// The server's MsgID the command came in.
    pub msg_ref: String,
    pub cmd_ref: String,
    /// Command name (`Exec`, `Get`, `Sequence`, …).
    pub cmd: String,
    pub target: Option<String>,
    pub code: u16,
    /// Data of the Results item(s) for a Get, joined by newline.
    pub result: Option<String>,
}

/// What happened in one OMA-DM session.
#[derive(Debug, Clone, Default)]
pub struct SessionLog {
    pub session_id: String,
    /// Every server message, decoded.
    pub received: Vec<SyncMl>,
    /// Every device message, as sent (XML).
    pub sent: Vec<String>,
    /// The server's SyncHdr status codes, one per server message.
    pub hdr_codes: Vec<u16>,
    /// Every server command the device answered, nested ones included, in order.
    pub executed: Vec<Executed>,
}

impl SessionLog {
    /// The status the device gave the first command targeting `uri`.
    pub fn status_for(&self, uri: &str) -> Option<u16> {
        self.executed.iter().find(|e| e.target.as_deref() == Some(uri)).map(|e| e.code)
    }
    /// Names of the server commands the device received, nested ones included.
    pub fn received_commands(&self) -> Vec<String> {
        self.received
            .iter()
            .flat_map(|m| m.all_commands())
            .filter(|c| !matches!(c, Command::Status(_) | Command::Results(_)))
            .map(|c| c.name().to_owned())
            .collect()
    }
}

/// What [`WindowsDevice::save`] writes.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedWindows {
    profile: String,
    device_id: String,
    hw_dev_id: String,
    email: String,
    key_pem: String,
    provisioning_xml: String,
    server_url: String,
    nonce_b64: String,
    tree: BTreeMap<String, (String, String)>,
    pin: Option<String>,
    locked: bool,
    wiped: bool,
    unenrolled: bool,
    session_counter: u32,
}

/// The mutable device state an Atomic rolls back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct DmState {
    /// URI → (format, value).
    tree: BTreeMap<String, (String, String)>,
    pin: Option<String>,
    /// Set by LockAndResetPIN, handed out once by Get NewPINValue.
    pending_new_pin: Option<String>,
    locked: bool,
    wiped: bool,
    /// The server asked to unenroll (DMClient Unenroll with its ProviderID).
    unenrolled: bool,
}

/// A simulated Windows device.
pub struct WindowsDevice {
    pub profile: WindowsProfile,
    pub device_id: String,
    pub hw_dev_id: String,
    pub email: String,
    key_pair: rcgen::KeyPair,
    /// Issued client certificate (DER), once enrolled.
    pub cert_der: Option<Vec<u8>>,
    /// The provisioning doc's content.
    pub config: ProvisionedConfig,
    /// The provisioning doc as received (kept so a saved device can be restored).
    provisioning_xml: String,
    /// Management URL (APPLICATION ADDR).
    pub server_url: String,
    /// APPSRV credentials (what the device presents) and the current nonce (raw bytes).
    pub dm_name: String,
    dm_secret: String,
    nonce: Vec<u8>,
    state: DmState,
    /// Fault injection: every session fails with [`SimError::Offline`].
    pub offline: bool,
    /// Fault injection: the next command targeting this URI is answered with this status, not executed.
    pub fail_next: Option<(String, u16)>,
    /// Fault injection (one shot): drop the connection after receiving the server's first message.
    pub die_mid_session: bool,
    /// Present the issued certificate as TLS client certificate (default true);
    /// false simulates a proxy stripping it, so only the MD5 `Cred` authenticates.
    pub present_client_cert: bool,
    /// When not empty, a session's messages go to these URLs in turn instead of the management
    /// URL (each session's first message to the first): a load balancer moving the messages of
    /// one session between instances.
    pub message_urls: Vec<String>,
    messages_posted: usize,
    ca_pem: String,
    session_counter: u32,
    http: Option<reqwest::Client>,
}

impl std::fmt::Debug for WindowsDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WindowsDevice")
            .field("profile", &self.profile)
            .field("device_id", &self.device_id)
            .field("server_url", &self.server_url)
            .field("locked", &self.state.locked)
            .field("wiped", &self.state.wiped)
            .field("pin_set", &self.pin_set())
            .finish_non_exhaustive()
    }
}

fn random_hex(n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n).map(|_| char::from(b"0123456789ABCDEF"[rng.gen_range(0..16)])).collect()
}

fn random_guid() -> String {
    let h = random_hex(32);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// `B64(MD5(B64(MD5(name ":" secret)) ":" nonce))` — OMA-DM syncml:auth-md5,
/// written here independently of the codec crate.
pub fn md5_cred(name: &str, secret: &str, nonce: &[u8]) -> String {
    let inner = Md5::digest(format!("{name}:{secret}").as_bytes());
    let mut outer = Md5::new();
    outer.update(B64.encode(inner).as_bytes());
    outer.update(b":");
    outer.update(nonce);
    B64.encode(outer.finalize())
}

/// `B64(MD5(B64(MD5(name ":" secret)) ":" nonce ":" B64(MD5(body))))` — the OMA-DM HMAC of one
/// message, sent in `x-syncml-hmac` (also written here independently of the codec crate).
pub fn md5_mac(name: &str, secret: &str, nonce: &[u8], body: &[u8]) -> String {
    let inner = Md5::digest(format!("{name}:{secret}").as_bytes());
    let mut outer = Md5::new();
    outer.update(B64.encode(inner).as_bytes());
    outer.update(b":");
    outer.update(nonce);
    outer.update(b":");
    outer.update(B64.encode(Md5::digest(body)).as_bytes());
    B64.encode(outer.finalize())
}

fn der_to_pem(label: &str, der: &[u8]) -> String {
    let b64 = B64.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn known_csp(uri: &str) -> bool {
    ["./Vendor/MSFT/", "./Device/Vendor/MSFT/", "./User/Vendor/MSFT/"].iter().any(|p| uri.starts_with(p))
}

impl WindowsDevice {
    /// A device that has not enrolled yet (fresh DeviceID, key pair and DM tree).
    /// Useful on its own for unit tests of the DM behaviour.
    pub fn new_unenrolled(profile: WindowsProfile) -> Result<Self, SimError> {
        let key_pair = rcgen::KeyPair::generate().map_err(|e| SimError::Key(e.to_string()))?;
        let device_id = random_hex(32);
        let hw_dev_id = random_hex(64);
        let mut tree = BTreeMap::new();
        let mut put = |k: &str, f: &str, v: &str| {
            tree.insert(k.to_owned(), (f.to_owned(), v.to_owned()));
        };
        put("./DevInfo/DevId", "chr", &device_id);
        put("./DevInfo/Man", "chr", profile.manufacturer());
        put("./DevInfo/Mod", "chr", profile.model());
        put("./DevInfo/DmV", "chr", profile.dm_version());
        put("./DevInfo/Lang", "chr", "en-US");
        put("./DevDetail/SwV", "chr", profile.os_version());
        put("./DevDetail/FwV", "chr", "01078.00027.16236.35001");
        put("./DevDetail/HwV", "chr", "1.0");
        put("./DevDetail/OEM", "chr", profile.manufacturer());
        put("./DevDetail/DevTyp", "chr", profile.device_type());
        put(DEVICE_NAME, "chr", profile.device_name());
        put("./DevDetail/Ext/Microsoft/OSPlatform", "chr", profile.os_platform());
        put("./Vendor/MSFT/DMClient/HWDevID", "chr", &hw_dev_id);
        put("./Vendor/MSFT/WindowsLicensing/Edition", "int", profile.os_edition());
        Ok(Self {
            profile,
            device_id,
            hw_dev_id,
            email: String::new(),
            key_pair,
            cert_der: None,
            config: ProvisionedConfig::default(),
            provisioning_xml: String::new(),
            server_url: String::new(),
            dm_name: String::new(),
            dm_secret: String::new(),
            nonce: Vec::new(),
            state: DmState { tree, pin: None, pending_new_pin: None, locked: false, wiped: false, unenrolled: false },
            offline: false,
            fail_next: None,
            die_mid_session: false,
            present_client_cert: true,
            message_urls: Vec::new(),
            messages_posted: 0,
            ca_pem: String::new(),
            session_counter: 0,
            http: None,
        })
    }

    /// Enrolls against `base_url` (e.g. `https://localhost:8443`): discovery
    /// GET + POST, MS-XCEP policy, MS-WSTEP enrollment; keeps the issued
    /// certificate, ADDR and the APPSRV MD5 credentials and nonce.
    pub async fn enroll(base_url: &str, ca_pem: &str, email: &str, password: &str, profile: WindowsProfile) -> Result<Self, SimError> {
        Self::new_unenrolled(profile)?.enroll_now(base_url, ca_pem, email, password).await
    }

    /// The device's name as the user set it in Settings (`./DevDetail/Ext/Microsoft/DeviceName`,
    /// and the DeviceName it enrolls with).
    pub fn device_name(&self) -> &str {
        self.tree_value(DEVICE_NAME).unwrap_or_default()
    }
    pub fn set_device_name(&mut self, name: &str) {
        self.set_tree_value(DEVICE_NAME, name);
    }

    /// [`WindowsDevice::enroll`] for a device made with [`WindowsDevice::new_unenrolled`] (and
    /// perhaps renamed with [`WindowsDevice::set_device_name`]).
    pub async fn enroll_now(self, base_url: &str, ca_pem: &str, email: &str, password: &str) -> Result<Self, SimError> {
        let profile = self.profile;
        let mut dev = self;
        dev.email = email.to_owned();
        dev.ca_pem = ca_pem.to_owned();
        let http = dev.build_client(false)?;
        let discovery_url = format!("{}{DISCOVERY_PATH}", base_url.trim_end_matches('/'));

        // 1. GET: 200 with an empty body.
        let resp = http.get(&discovery_url).header("User-Agent", "ENROLLClient").send().await?;
        if !resp.status().is_success() {
            return Err(status_error(&discovery_url, resp).await);
        }

        // 2. Discover.
        let body = enroll::discover_request(
            &format!("urn:uuid:{}", random_guid().to_lowercase()),
            &discovery_url,
            email,
            profile.os_edition(),
            profile.request_version(),
            profile.device_type(),
            profile.os_version(),
        );
        let text = post_soap(&http, &discovery_url, body).await?;
        let (_, disc) =
            DiscoverResponse::decode(text.as_bytes()).map_err(|e| SimError::Decode { what: "DiscoverResponse", detail: e.to_string() })?;
        let policy_url = disc.enrollment_policy_service_url.trim().to_owned();
        let enroll_url = disc.enrollment_service_url.trim().to_owned();

        // 3. GetPolicies (skipped when the server names no policy service, as Windows does).
        if !policy_url.is_empty() {
            let body = enroll::get_policies_request(&format!("urn:uuid:{}", random_guid()), &policy_url, email, password);
            let text = post_soap(&http, &policy_url, body).await?;
            PolicyResponse::decode(text.as_bytes()).map_err(|e| SimError::Decode { what: "GetPoliciesResponse", detail: e.to_string() })?;
        }

        // 4. RequestSecurityToken.
        let csr = dev.csr_der(&random_guid());
        let context: Vec<(&str, String)> = vec![
            ("UXInitiated", "true".into()),
            ("HWDevID", dev.hw_dev_id.clone()),
            ("Locale", "en-US".into()),
            ("TargetedUserLoggedIn", "true".into()),
            ("OSEdition", profile.os_edition().into()),
            ("DeviceName", dev.device_name().to_owned()),
            ("MAC", "00-15-5D-01-02-03".into()),
            ("DeviceID", dev.device_id.clone()),
            ("EnrollmentType", profile.enrollment_type().into()),
            ("DeviceType", profile.device_type().into()),
            ("OSVersion", profile.os_version().into()),
            ("ApplicationVersion", profile.os_version().into()),
        ];
        let body = enroll::rst_request(&format!("urn:uuid:{}", random_guid()), &enroll_url, email, password, &B64.encode(&csr), &context);
        let text = post_soap(&http, &enroll_url, body).await?;
        let (_, rstr) = RstrResponse::decode(text.as_bytes()).map_err(|e| SimError::Decode { what: "RSTR", detail: e.to_string() })?;
        let doc = rstr
            .provisioning_doc
            .ok_or_else(|| SimError::Decode { what: "provisioning doc", detail: "token is not base64 of UTF-8".into() })?;
        dev.apply_provisioning_doc(&doc)?;
        Ok(dev)
    }

    /// Everything the device must keep to be the same device after a restart: its identity
    /// (DeviceID, key, certificate), DM credentials and current nonce, and its DM tree and PIN.
    /// It holds secrets: store it where only its owner can read it.
    pub fn save(&self) -> serde_json::Value {
        let saved = SavedWindows {
            profile: self.profile.key().to_owned(),
            device_id: self.device_id.clone(),
            hw_dev_id: self.hw_dev_id.clone(),
            email: self.email.clone(),
            key_pem: self.key_pair.serialize_pem(),
            provisioning_xml: self.provisioning_xml.clone(),
            server_url: self.server_url.clone(),
            nonce_b64: B64.encode(&self.nonce),
            tree: self.state.tree.clone(),
            pin: self.state.pin.clone(),
            locked: self.state.locked,
            wiped: self.state.wiped,
            unenrolled: self.state.unenrolled,
            session_counter: self.session_counter,
        };
        serde_json::to_value(saved).expect("plain data serializes")
    }

    /// The device [`WindowsDevice::save`] saved, trusting the server by `ca_pem`; nothing is sent.
    pub fn restore(saved: serde_json::Value, ca_pem: &str) -> Result<Self, SimError> {
        let bad = |detail: String| SimError::Decode { what: "saved Windows device", detail };
        let s: SavedWindows = serde_json::from_value(saved).map_err(|e| bad(e.to_string()))?;
        let profile = WindowsProfile::from_key(&s.profile).ok_or_else(|| bad(format!("unknown profile {:?}", s.profile)))?;
        let mut dev = Self::new_unenrolled(profile)?;
        dev.key_pair = rcgen::KeyPair::from_pem(&s.key_pem).map_err(|e| SimError::Key(e.to_string()))?;
        if !s.provisioning_xml.is_empty() {
            dev.apply_provisioning_doc(&s.provisioning_xml)?;
        }
        dev.device_id = s.device_id;
        dev.hw_dev_id = s.hw_dev_id;
        dev.email = s.email;
        dev.server_url = s.server_url;
        dev.nonce = B64.decode(s.nonce_b64.trim()).map_err(|e| bad(format!("nonce: {e}")))?;
        dev.state.tree = s.tree;
        dev.state.pin = s.pin;
        dev.state.locked = s.locked;
        dev.state.wiped = s.wiped;
        dev.state.unenrolled = s.unenrolled;
        dev.session_counter = s.session_counter;
        dev.ca_pem = ca_pem.to_owned();
        Ok(dev)
    }

    /// Takes the provisioning doc's certificate, ADDR and APPSRV credentials.
    pub fn apply_provisioning_doc(&mut self, xml: &str) -> Result<(), SimError> {
        let cfg = enroll::parse_provisioning_doc(xml).map_err(|detail| SimError::Decode { what: "provisioning doc", detail })?;
        let appsrv = cfg.app_auth("APPSRV").ok_or_else(|| SimError::Enrollment("no APPSRV APPAUTH in the provisioning doc".into()))?;
        self.dm_name = appsrv.name.clone();
        self.dm_secret = appsrv.secret.clone();
        self.nonce = B64.decode(appsrv.data.trim()).map_err(|e| SimError::Decode { what: "AAUTHDATA nonce", detail: e.to_string() })?;
        self.server_url = cfg.addr.clone().unwrap_or_default();
        self.cert_der = match &cfg.client_cert_b64 {
            Some(c) => Some(B64.decode(c.trim()).map_err(|e| SimError::Decode { what: "client certificate", detail: e.to_string() })?),
            None => None,
        };
        self.config = cfg;
        self.provisioning_xml = xml.to_owned();
        self.http = None;
        Ok(())
    }

    fn build_client(&self, with_identity: bool) -> Result<reqwest::Client, SimError> {
        let mut b = reqwest::Client::builder().use_rustls_tls().timeout(Duration::from_secs(30));
        if !self.ca_pem.is_empty() {
            let ca = reqwest::Certificate::from_pem(self.ca_pem.as_bytes()).map_err(|e| SimError::Key(format!("CA PEM: {e}")))?;
            b = b.add_root_certificate(ca);
        }
        if with_identity {
            if let Some(der) = &self.cert_der {
                let pem = format!("{}{}", der_to_pem("CERTIFICATE", der), self.key_pair.serialize_pem());
                let id = reqwest::Identity::from_pem(pem.as_bytes()).map_err(|e| SimError::Key(format!("client identity: {e}")))?;
                b = b.identity(id);
            }
        }
        b.build().map_err(SimError::Http)
    }

    fn client(&mut self) -> Result<reqwest::Client, SimError> {
        if self.http.is_none() {
            self.http = Some(self.build_client(self.present_client_cert)?);
        }
        Ok(self.http.clone().expect("just built"))
    }

    /// The device key's SubjectPublicKeyInfo (DER), as put in the CSR.
    pub fn public_key_der(&self) -> Vec<u8> {
        self.key_pair.public_key_der()
    }

    /// The enrollment CSR this device sends (Windows-shaped, see [`enroll::windows_like_csr`]).
    pub fn csr_der(&self, request_guid: &str) -> Vec<u8> {
        enroll::windows_like_csr(&self.key_pair.public_key_der(), &format!("{request_guid}!{}", self.device_id))
    }

    /// The current PIN (what the user would type), if one is set.
    pub fn pin(&self) -> Option<&str> {
        self.state.pin.as_deref()
    }
    pub fn pin_set(&self) -> bool {
        self.state.pin.is_some()
    }
    /// Sets (or clears) the PIN as the user would in Settings.
    pub fn set_pin(&mut self, pin: Option<&str>) {
        self.state.pin = pin.map(str::to_owned);
    }
    pub fn locked(&self) -> bool {
        self.state.locked
    }
    pub fn wiped(&self) -> bool {
        self.state.wiped
    }
    /// Whether the server unenrolled the device (Windows then removes the enrollment after the
    /// session, as after the user removes the work account).
    pub fn unenrolled_by_server(&self) -> bool {
        self.state.unenrolled
    }
    /// Value of a DM tree node.
    pub fn tree_value(&self, uri: &str) -> Option<&str> {
        self.state.tree.get(uri).map(|(_, v)| v.as_str())
    }
    /// Sets a DM tree node (format `chr`), e.g. a policy the test wants in place.
    pub fn set_tree_value(&mut self, uri: &str, value: &str) {
        self.state.tree.insert(uri.to_owned(), ("chr".into(), value.to_owned()));
    }
    /// The whole DM tree: URI → (format, value).
    pub fn tree(&self) -> &BTreeMap<String, (String, String)> {
        &self.state.tree
    }
    /// The raw nonce the next MD5 credential uses.
    pub fn nonce(&self) -> &[u8] {
        &self.nonce
    }
    /// The PIN rules the device would apply now.
    pub fn pin_rules(&self) -> PinRules {
        PinRules::from_tree(&self.state.tree, self.profile.numeric_pin(), self.profile.default_pin_length())
    }
    /// Drops the cached HTTP client (e.g. after changing `present_client_cert`).
    pub fn reset_connection(&mut self) {
        self.http = None;
    }

    /// The device's first package of a session: Alert 1201 and the DevInfo report.
    pub fn first_message(&self, session_id: &str, msg_id: u32) -> DeviceMessage {
        let item = |uri: &str| DevItem::new(uri, None, self.tree_value(uri).unwrap_or_default());
        let mut items: Vec<DevItem> =
            ["./DevInfo/DevId", "./DevInfo/Man", "./DevInfo/Mod", "./DevInfo/DmV", "./DevInfo/Lang"].into_iter().map(item).collect();
        items.push(DevItem::new("./Vendor/MSFT/DMClient/HWDevID", None, self.hw_dev_id.clone()));
        items.push(item("./DevDetail/SwV"));
        items.push(item("./DevDetail/Ext/Microsoft/DeviceName"));
        let mut commands = vec![DevCommand::Alert { code: 1201, items: vec![] }];
        if self.profile != WindowsProfile::WindowsPhone81 {
            commands.push(DevCommand::Alert {
                code: 1224,
                items: vec![DevItem {
                    source: String::new(),
                    format: None,
                    type_: Some("com.microsoft/MDM/LoginStatus".into()),
                    data: Some("user".into()),
                }],
            });
        }
        commands.push(DevCommand::Replace { items });
        DeviceMessage {
            session_id: session_id.to_owned(),
            msg_id,
            target: self.server_url.clone(),
            source: self.device_id.clone(),
            cred: Some(DevCred { digest_b64: md5_cred(&self.dm_name, &self.dm_secret, &self.nonce) }),
            max_msg_size: Some(524288),
            commands,
        }
    }

    /// Posts one message. Without its certificate (a proxy strips it), a message that carries
    /// no `Cred` (every one after a session's first) proves the device with an HMAC of its body.
    async fn post_syncml(&mut self, xml: String, has_cred: bool) -> Result<SyncMl, SimError> {
        let http = self.client()?;
        let url = match self.message_urls.len() {
            0 => self.server_url.clone(),
            n => self.message_urls[self.messages_posted % n].clone(),
        };
        self.messages_posted += 1;
        let mut req = http.post(&url).header("Content-Type", SYNCML_CONTENT_TYPE);
        if !has_cred && !self.present_client_cert {
            let mac = md5_mac(&self.dm_name, &self.dm_secret, &self.nonce, xml.as_bytes());
            req = req.header("x-syncml-hmac", format!("algorithm=MD5, username=\"{}\", mac={mac}", self.dm_name));
        }
        let resp = req.body(xml).send().await?;
        if !resp.status().is_success() {
            return Err(status_error(&url, resp).await);
        }
        let bytes = resp.bytes().await?;
        syncml::decode(&bytes).map_err(|e| SimError::Decode { what: "server SyncML message", detail: e.to_string() })
    }

    /// Runs one full OMA-DM session: sends Alert 1201, executes what the
    /// server sends, answers every command, until a server message carries
    /// no new command.
    pub async fn run_session(&mut self) -> Result<SessionLog, SimError> {
        self.run_session_with(Vec::new()).await
    }

    /// The user removes the work account: a session whose first package also
    /// carries the 1226 generic alert `com.microsoft:mdm.unenrollment.userrequest`
    /// (disconnecting-from-mdm-unenrollment.md). Afterwards the device is no
    /// longer enrolled.
    pub async fn unenroll(&mut self) -> Result<SessionLog, SimError> {
        let log = self.run_session_with(vec![unenrollment_alert()]).await?;
        self.server_url.clear();
        self.http = None;
        Ok(log)
    }

    /// [`WindowsDevice::run_session`] with extra commands in the first package.
    pub async fn run_session_with(&mut self, extra: Vec<DevCommand>) -> Result<SessionLog, SimError> {
        self.messages_posted = 0;
        if self.offline {
            return Err(SimError::Offline);
        }
        if self.state.wiped {
            return Err(SimError::Wiped);
        }
        if self.server_url.is_empty() {
            return Err(SimError::Protocol("the device is not enrolled".into()));
        }
        self.session_counter += 1;
        let session_id = format!("{:X}", self.session_counter);
        let mut log = SessionLog { session_id: session_id.clone(), ..Default::default() };
        let mut msg_id = 1u32;
        let mut retried_auth = false;

        let first = |dev: &Self, msg_id: u32| {
            let mut m = dev.first_message(&session_id, msg_id);
            m.commands.extend(extra.iter().cloned());
            m.to_xml()
        };
        let mut xml = first(self, msg_id);
        let mut server = loop {
            log.sent.push(xml.clone());
            let server = self.post_syncml(xml, true).await?;
            let hdr = hdr_status(&server);
            let code = hdr.map(|s| s.code().unwrap_or(0)).unwrap_or(0);
            if let Some(n) = hdr.and_then(|s| s.chal.as_ref()).and_then(|c| c.next_nonce.as_deref()) {
                if let Ok(n) = B64.decode(n.trim()) {
                    self.nonce = n;
                }
            }
            log.hdr_codes.push(code);
            let refused = matches!(code, 401 | 407);
            log.received.push(server.clone());
            if !refused {
                break server;
            }
            if retried_auth {
                return Err(SimError::Auth(code));
            }
            retried_auth = true;
            msg_id += 1;
            xml = first(self, msg_id);
        };

        if self.die_mid_session {
            self.die_mid_session = false;
            return Err(SimError::DiedMidSession);
        }

        for _ in 0..MAX_ROUNDS {
            if !has_commands(&server) {
                return Ok(log);
            }
            let answers = self.handle_server_message(&server);
            log.executed.extend(executed_from(&answers));
            // A 401/407 for a later message (the server did not see the certificate, e.g. a
            // connection made before it trusted our CA) is answered as OMA-DM says: the same
            // message again, with credentials over the challenge's nonce — once.
            let mut with_cred = false;
            loop {
                msg_id += 1;
                let out = DeviceMessage {
                    session_id: session_id.clone(),
                    msg_id,
                    target: self.server_url.clone(),
                    source: self.device_id.clone(),
                    cred: with_cred.then(|| DevCred { digest_b64: md5_cred(&self.dm_name, &self.dm_secret, &self.nonce) }),
                    max_msg_size: None,
                    commands: answers.clone(),
                };
                let xml = out.to_xml();
                log.sent.push(xml.clone());
                server = self.post_syncml(xml, with_cred).await?;
                let hdr = hdr_status(&server);
                let code = hdr.and_then(|s| s.code()).unwrap_or(0);
                log.hdr_codes.push(code);
                if let Some(n) = hdr.and_then(|s| s.chal.as_ref()).and_then(|c| c.next_nonce.as_deref()) {
                    if let Ok(n) = B64.decode(n.trim()) {
                        self.nonce = n;
                    }
                }
                log.received.push(server.clone());
                if !matches!(code, 401 | 407) {
                    break;
                }
                if with_cred {
                    return Err(SimError::Auth(code));
                }
                with_cred = true;
            }
        }
        Err(SimError::Protocol(format!("the server kept sending commands for {MAX_ROUNDS} rounds")))
    }

    /// Polls every `interval` until `stop` turns true; returns each session's result.
    pub async fn run_every(
        &mut self,
        interval: Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> Vec<Result<SessionLog, SimError>> {
        let mut out = Vec::new();
        loop {
            if *stop.borrow() {
                return out;
            }
            out.push(self.run_session().await);
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                r = stop.changed() => if r.is_err() { return out; },
            }
        }
    }

    /// Executes a server message and returns the device's answer commands:
    /// the Status for the SyncHdr, then a Status for every command (nested
    /// ones included) and Results for Gets.
    pub fn handle_server_message(&mut self, msg: &SyncMl) -> Vec<DevCommand> {
        let msg_ref = msg.hdr.msg_id.clone();
        let mut out = vec![DevCommand::Status {
            msg_ref: msg_ref.clone(),
            cmd_ref: "0".into(),
            cmd: "SyncHdr".into(),
            target_ref: msg.hdr.target.clone(),
            code: 200,
        }];
        for cmd in &msg.body {
            self.execute(cmd, &msg_ref, &mut out);
        }
        out
    }

    /// Executes one command; pushes its answers; returns whether it succeeded.
    fn execute(&mut self, cmd: &Command, msg_ref: &str, out: &mut Vec<DevCommand>) -> bool {
        let status = |out: &mut Vec<DevCommand>, cmd: &Command, target: Option<String>, code: u16| {
            out.push(DevCommand::Status {
                msg_ref: msg_ref.to_owned(),
                cmd_ref: cmd.cmd_id().to_owned(),
                cmd: cmd.name().to_owned(),
                target_ref: target,
                code,
            });
            (200..300).contains(&code)
        };
        match cmd {
            Command::Status(_) | Command::Results(_) => true,
            Command::Alert(_) => status(out, cmd, None, 200),
            Command::Unknown { .. } => status(out, cmd, None, 406),
            Command::Sequence(c) => {
                // Windows runs every command of a Sequence in order, each answered.
                status(out, cmd, None, 200);
                let mut ok = true;
                for child in &c.commands {
                    ok &= self.execute(child, msg_ref, out);
                }
                ok
            }
            Command::Atomic(c) => {
                let snapshot = self.state.clone();
                let at = out.len();
                status(out, cmd, None, 200);
                let mut ok = true;
                for child in &c.commands {
                    ok &= self.execute(child, msg_ref, out);
                }
                if !ok {
                    // Roll back: the Atomic fails with 507, what had succeeded is 216.
                    // Results of rolled-back Gets are dropped.
                    self.state = snapshot;
                    let inner = out.split_off(at);
                    for (i, mut answer) in inner.into_iter().enumerate() {
                        match &mut answer {
                            DevCommand::Status { code, .. } if i == 0 => *code = 507,
                            DevCommand::Status { code, .. } if (200..300).contains(code) => *code = 216,
                            DevCommand::Results { .. } => continue,
                            _ => {}
                        }
                        out.push(answer);
                    }
                }
                ok
            }
            Command::Add(ic) | Command::Replace(ic) | Command::Get(ic) | Command::Delete(ic) | Command::Exec(ic) => {
                let target = ic.items.first().and_then(|i| i.target.clone());
                if let Some((uri, code)) = self.fail_next.clone() {
                    if ic.items.iter().any(|i| i.target.as_deref() == Some(uri.as_str())) {
                        self.fail_next = None;
                        return status(out, cmd, target, code);
                    }
                }
                let (code, results) = self.execute_items(cmd.name(), ic);
                let ok = status(out, cmd, target, code);
                if let Some(items) = results {
                    out.push(DevCommand::Results { msg_ref: msg_ref.to_owned(), cmd_ref: ic.cmd_id.clone(), items });
                }
                ok
            }
        }
    }

    /// Runs an item command; returns the status code and, for Get, the Results items.
    fn execute_items(&mut self, name: &str, ic: &ItemCommand) -> (u16, Option<Vec<DevItem>>) {
        if ic.items.is_empty() {
            return (400, None);
        }
        let mut code = 200;
        let mut results = Vec::new();
        for item in &ic.items {
            let Some(uri) = item.target.as_deref().map(str::trim) else {
                code = 400;
                continue;
            };
            let c = match name {
                "Get" => match self.get(uri) {
                    Some(r) => {
                        results.push(r);
                        200
                    }
                    None => 404,
                },
                "Add" => {
                    if self.state.tree.contains_key(uri) {
                        418
                    } else {
                        let f = item.meta.format.clone().or_else(|| ic.meta.format.clone()).unwrap_or_else(|| "chr".into());
                        self.state.tree.insert(uri.to_owned(), (f, item.data.clone().unwrap_or_default()));
                        200
                    }
                }
                "Replace" => {
                    let f = item.meta.format.clone().or_else(|| ic.meta.format.clone());
                    let data = item.data.clone().unwrap_or_default();
                    match self.state.tree.get_mut(uri) {
                        Some(node) => {
                            if let Some(f) = f {
                                node.0 = f;
                            }
                            node.1 = data;
                            200
                        }
                        None if known_csp(uri) => {
                            self.state.tree.insert(uri.to_owned(), (f.unwrap_or_else(|| "chr".into()), data));
                            200
                        }
                        None => 404,
                    }
                }
                "Delete" => {
                    let prefix = format!("{}/", uri.trim_end_matches('/'));
                    let before = self.state.tree.len();
                    self.state.tree.retain(|k, _| k != uri && !k.starts_with(&prefix));
                    if self.state.tree.len() < before {
                        200
                    } else {
                        404
                    }
                }
                "Exec" => self.exec(uri, item.data.as_deref()),
                _ => 406,
            };
            if code == 200 && c != 200 {
                code = c;
            }
        }
        (code, (name == "Get" && !results.is_empty()).then_some(results))
    }

    fn get(&mut self, uri: &str) -> Option<DevItem> {
        if uri == NEW_PIN_VALUE {
            if !self.profile.supports_pin_reset() {
                return None;
            }
            // Readable once: a second Get returns an empty value.
            return Some(DevItem::new(uri, Some("chr"), self.state.pending_new_pin.take().unwrap_or_default()));
        }
        if let Some((f, v)) = self.state.tree.get(uri) {
            return Some(DevItem::new(uri, Some(f.as_str()), v.clone()));
        }
        // Interior node: its children's names, '/'-separated.
        let prefix = format!("{}/", uri.trim_end_matches('/'));
        let mut children: Vec<&str> =
            self.state.tree.keys().filter_map(|k| k.strip_prefix(&prefix)).map(|rest| rest.split('/').next().unwrap_or(rest)).collect();
        children.dedup();
        (!children.is_empty()).then(|| DevItem::new(uri, Some("node"), children.join("/")))
    }

    fn exec(&mut self, uri: &str, data: Option<&str>) -> u16 {
        match uri {
            // dmclient-csp: Exec on Unenroll with the ProviderID of the enrollment as data.
            DMCLIENT_UNENROLL => match data.map(str::trim) {
                Some(provider) if !provider.is_empty() => {
                    self.state.unenrolled = true;
                    200
                }
                _ => 400,
            },
            LOCK_AND_RESET_PIN => {
                if !self.profile.supports_pin_reset() {
                    return 405;
                }
                let new_pin = self.pin_rules().generate(&mut rand::thread_rng());
                self.state.pin = Some(new_pin.clone());
                self.state.pending_new_pin = Some(new_pin);
                self.state.locked = true;
                200
            }
            LOCK => {
                if self.state.pin.is_none() {
                    return 405;
                }
                self.state.locked = true;
                200
            }
            LOCK_AND_RECOVER_PIN => {
                // Desktop hands recovery to Microsoft's cloud service; phones lack the node.
                if self.profile.supports_pin_reset() {
                    404
                } else {
                    self.state.locked = true;
                    200
                }
            }
            DO_WIPE | DO_WIPE_USER_SCOPE => {
                self.state.wiped = true;
                200
            }
            _ => 404,
        }
    }
}

/// The 1226 generic alert Windows sends when the user removes the work account.
pub fn unenrollment_alert() -> DevCommand {
    DevCommand::Alert {
        code: 1226,
        items: vec![DevItem {
            source: DMCLIENT_UNENROLL.into(),
            format: Some("int".into()),
            type_: Some("com.microsoft:mdm.unenrollment.userrequest".into()),
            data: Some("1".into()),
        }],
    }
}

fn hdr_status(m: &SyncMl) -> Option<&syncml::Status> {
    m.body.iter().find_map(|c| match c {
        Command::Status(s) if s.cmd_ref.trim() == "0" => Some(s),
        _ => None,
    })
}

/// Whether a server message carries any command beyond Status/Results.
pub fn has_commands(m: &SyncMl) -> bool {
    m.body.iter().any(|c| !matches!(c, Command::Status(_) | Command::Results(_)))
}

/// The device's answers as [`Executed`] records (SyncHdr status excluded).
pub fn executed_from(answers: &[DevCommand]) -> Vec<Executed> {
    let mut out: Vec<Executed> = Vec::new();
    for a in answers {
        match a {
            DevCommand::Status { cmd_ref, .. } if cmd_ref == "0" => {}
            DevCommand::Status { msg_ref, cmd_ref, cmd, target_ref, code } => out.push(Executed {
                msg_ref: msg_ref.clone(),
                cmd_ref: cmd_ref.clone(),
                cmd: cmd.clone(),
                target: target_ref.clone(),
                code: *code,
                result: None,
            }),
            DevCommand::Results { msg_ref, cmd_ref, items } => {
                if let Some(e) = out.iter_mut().rev().find(|e| &e.cmd_ref == cmd_ref && &e.msg_ref == msg_ref) {
                    e.result = Some(items.iter().map(|i| i.data.clone().unwrap_or_default()).collect::<Vec<_>>().join("\n"));
                }
            }
            _ => {}
        }
    }
    out
}

async fn status_error(url: &str, resp: reqwest::Response) -> SimError {
    let status = resp.status().as_u16();
    let body = resp.text().await.unwrap_or_default();
    SimError::HttpStatus { url: url.to_owned(), status, body: body.chars().take(2000).collect() }
}

async fn post_soap(http: &reqwest::Client, url: &str, body: String) -> Result<String, SimError> {
    let resp = http.post(url).header("Content-Type", SOAP_CONTENT_TYPE).body(body).send().await?;
    if !resp.status().is_success() {
        return Err(status_error(url, resp).await);
    }
    Ok(resp.text().await?)
}
