//! A simulated Apple device: installs an enrollment profile (taking its identity), checks in
//! (Authenticate, TokenUpdate with an UnlockToken of a real one's size, CheckOut), and polls the
//! command endpoint — when the stand-in APNs wakes it, or on an interval — answering commands
//! as a device of its [`AppleKind`] does. Requests authenticate with the profile's identity as
//! the TLS client certificate or, as `SignMessage` asks, with an `Mdm-Signature` header.
//!
//! Device messages are written in [`messages`] with the `plist` crate; commands are read the
//! same way, never with the server's codecs.

pub mod apns;
pub mod install;
pub mod kind;
pub mod messages;

pub use apns::{Push, StandInApns};
pub use install::InstalledProfile;
pub use kind::AppleKind;

use crate::error::SimError;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use pinreset_pki::cms::CmsSigner;
use plist::{Dictionary, Value};
use rand::{Rng, RngCore};
use std::time::Duration;

/// Most commands one poll answers before the simulator gives up on a server that never stops.
const MAX_ROUNDS: usize = 16;
/// The size of the UnlockToken a real iPad sent (the captured TokenUpdate in the corpus).
pub const UNLOCK_TOKEN_BYTES: usize = 1288;

/// How the device proves who it is on every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// The profile's identity as the TLS client certificate.
    TlsClientCert,
    /// A detached CMS signature of each body in the `Mdm-Signature` header, no client certificate.
    MdmSignature,
}

/// One command the device answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answered {
    pub uuid: String,
    pub request_type: String,
    /// `Acknowledged`, `Error`, `CommandFormatError` or `NotNow`.
    pub status: &'static str,
}

/// What a command leaves behind once its answer is sent.
enum After {
    Nothing,
    Erased,
    ProfileRemoved,
}

/// What [`AppleDevice::save`] writes.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedApple {
    kind: String,
    sign_messages: bool,
    mobileconfig_b64: String,
    udid: String,
    serial: String,
    name: String,
    push_token_b64: String,
    push_magic: String,
    unlock_token_b64: Option<String>,
    unlock_token_sent: bool,
    authenticated_before: bool,
    passcode: Option<String>,
    locked: bool,
    lock_message: Option<String>,
    lock_pin: Option<String>,
    erased: bool,
    enrolled: bool,
}

pub struct AppleDevice {
    pub kind: AppleKind,
    /// UDID, or the EnrollmentID under User Enrollment.
    pub udid: String,
    pub serial: String,
    pub name: String,
    topic: String,
    push_token: Vec<u8>,
    push_magic: String,
    profile: InstalledProfile,
    /// The profile as installed (kept so a saved device can be restored).
    mobileconfig: Vec<u8>,
    transport: Transport,
    http: reqwest::Client,
    ca_pem: String,
    signer: CmsSigner,
    /// The device's current UnlockToken (its keybag's), if it has one.
    unlock_token: Option<Vec<u8>>,
    unlock_token_sent: bool,
    authenticated_before: bool,
    passcode: Option<String>,
    locked: bool,
    lock_message: Option<String>,
    lock_pin: Option<String>,
    erased: bool,
    enrolled: bool,
    offline: bool,
    not_now: u32,
    pushes_seen: usize,
    /// Every command answered, oldest first.
    pub history: Vec<Answered>,
}

fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn random_uuid() -> String {
    let h = random_hex(16);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

fn unlock_token() -> Vec<u8> {
    let mut t = vec![0u8; UNLOCK_TOKEN_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut t);
    t
}

fn pem(label: &str, der: &[u8]) -> String {
    let lines: Vec<String> = B64.encode(der).as_bytes().chunks(64).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

/// HTTPS to the server, trusting its CA, with the identity as client certificate when that is
/// how the device authenticates.
fn http_client(profile: &InstalledProfile, server_ca_pem: &str, transport: Transport) -> Result<reqwest::Client, SimError> {
    let ca = reqwest::Certificate::from_pem(server_ca_pem.as_bytes()).map_err(|e| SimError::Key(format!("CA PEM: {e}")))?;
    let mut http = reqwest::Client::builder().use_rustls_tls().timeout(Duration::from_secs(30)).add_root_certificate(ca);
    if transport == Transport::TlsClientCert {
        let identity = format!("{}{}", pem("CERTIFICATE", &profile.cert_der), pem("PRIVATE KEY", &profile.key_der));
        http = http.identity(reqwest::Identity::from_pem(identity.as_bytes()).map_err(|e| SimError::Key(format!("identity: {e}")))?);
    }
    Ok(http.build()?)
}

fn is_six_digits(pin: &str) -> bool {
    pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit())
}

impl AppleDevice {
    /// Install `mobileconfig` (signed profiles must chain to `server_ca_pem`) on a new device of
    /// this kind. Nothing is sent yet: [`AppleDevice::enroll`] checks in.
    pub fn install(mobileconfig: &[u8], server_ca_pem: &str, kind: AppleKind, transport: Transport) -> Result<Self, SimError> {
        let profile = install::install(mobileconfig, server_ca_pem)?;
        let key = rustls_pki_types::PrivateKeyDer::Pkcs8(profile.key_der.clone().into());
        let signer = CmsSigner::new(std::slice::from_ref(&profile.cert_der), &key).map_err(|e| SimError::Key(e.to_string()))?;
        let http = http_client(&profile, server_ca_pem, transport)?;
        let mut push_token = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut push_token);
        let udid = match kind {
            AppleKind::Macos14 | AppleKind::UserEnrollmentIphone => random_uuid(),
            _ => format!("00008120-{}", random_hex(8)),
        };
        let serial: String = {
            const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
            let mut rng = rand::rngs::OsRng;
            (0..10).map(|_| ALNUM[rng.gen_range(0..ALNUM.len())] as char).collect()
        };
        Ok(AppleDevice {
            kind,
            name: format!("Simulated {}", kind.model_name()),
            udid,
            serial,
            topic: profile.topic.clone(),
            push_token,
            push_magic: random_uuid(),
            profile,
            mobileconfig: mobileconfig.to_vec(),
            transport,
            http,
            ca_pem: server_ca_pem.to_string(),
            signer,
            unlock_token: kind.sends_unlock_token().then(unlock_token),
            unlock_token_sent: false,
            authenticated_before: false,
            passcode: (!kind.is_multi_user()).then(|| "482913".to_string()),
            locked: false,
            lock_message: None,
            lock_pin: None,
            erased: false,
            enrolled: false,
            offline: false,
            not_now: 0,
            pushes_seen: 0,
            history: Vec::new(),
        })
    }

    /// Everything the device must keep to be the same device after a restart: the installed
    /// profile (its identity), UDID, push token and magic, UnlockToken, passcode and lock state.
    /// It holds secrets: store it where only its owner can read it.
    pub fn save(&self) -> serde_json::Value {
        let saved = SavedApple {
            kind: self.kind.key().to_owned(),
            sign_messages: self.transport == Transport::MdmSignature,
            mobileconfig_b64: B64.encode(&self.mobileconfig),
            udid: self.udid.clone(),
            serial: self.serial.clone(),
            name: self.name.clone(),
            push_token_b64: B64.encode(&self.push_token),
            push_magic: self.push_magic.clone(),
            unlock_token_b64: self.unlock_token.as_ref().map(|t| B64.encode(t)),
            unlock_token_sent: self.unlock_token_sent,
            authenticated_before: self.authenticated_before,
            passcode: self.passcode.clone(),
            locked: self.locked,
            lock_message: self.lock_message.clone(),
            lock_pin: self.lock_pin.clone(),
            erased: self.erased,
            enrolled: self.enrolled,
        };
        serde_json::to_value(saved).expect("plain data serializes")
    }

    /// The device [`AppleDevice::save`] saved, trusting the server by `server_ca_pem`; nothing
    /// is sent (an enrolled device just polls on).
    pub fn restore(saved: serde_json::Value, server_ca_pem: &str) -> Result<Self, SimError> {
        let bad = |detail: String| SimError::Decode { what: "saved Apple device", detail };
        let s: SavedApple = serde_json::from_value(saved).map_err(|e| bad(e.to_string()))?;
        let kind = AppleKind::from_key(&s.kind).ok_or_else(|| bad(format!("unknown kind {:?}", s.kind)))?;
        let b64 = |what: &str, v: &str| B64.decode(v.trim()).map_err(|e| bad(format!("{what}: {e}")));
        let transport = if s.sign_messages { Transport::MdmSignature } else { Transport::TlsClientCert };
        let mut dev = Self::install(&b64("profile", &s.mobileconfig_b64)?, server_ca_pem, kind, transport)?;
        dev.udid = s.udid;
        dev.serial = s.serial;
        dev.name = s.name;
        dev.push_token = b64("push token", &s.push_token_b64)?;
        dev.push_magic = s.push_magic;
        dev.unlock_token = s.unlock_token_b64.as_deref().map(|t| b64("UnlockToken", t)).transpose()?;
        dev.unlock_token_sent = s.unlock_token_sent;
        dev.authenticated_before = s.authenticated_before;
        dev.passcode = s.passcode;
        dev.locked = s.locked;
        dev.lock_message = s.lock_message;
        dev.lock_pin = s.lock_pin;
        dev.erased = s.erased;
        dev.enrolled = s.enrolled;
        Ok(dev)
    }

    /// Authenticate, then TokenUpdate (with the UnlockToken on devices that escrow one).
    ///
    /// A server that has just created the tenant's device CA trusts it a moment later, so a
    /// refused Authenticate is retried a few times, each on a new connection (the refused one
    /// was set up without asking for the certificate).
    pub async fn enroll(&mut self) -> Result<(), SimError> {
        let mut attempt = 0u64;
        loop {
            match self.authenticate().await {
                Err(SimError::HttpStatus { status: 403, .. }) if attempt < 20 => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(50 * attempt.min(5))).await;
                    self.http = http_client(&self.profile, &self.ca_pem, self.transport)?;
                }
                other => break other?,
            }
        }
        self.token_update().await
    }

    /// Authenticate again later means the profile was reinstalled: the device makes a new keybag,
    /// so its next TokenUpdate carries a new UnlockToken.
    pub async fn authenticate(&mut self) -> Result<(), SimError> {
        if self.authenticated_before && self.kind.sends_unlock_token() {
            self.unlock_token = Some(unlock_token());
            self.unlock_token_sent = false;
        }
        self.put(&self.profile.check_in_url.clone(), messages::CHECKIN_CONTENT_TYPE, messages::authenticate(self)).await?;
        self.enrolled = true;
        self.authenticated_before = true;
        Ok(())
    }

    /// The UnlockToken goes with the first TokenUpdate only, as on a real device.
    pub async fn token_update(&mut self) -> Result<(), SimError> {
        let token = if self.unlock_token_sent { None } else { self.unlock_token.clone() };
        self.put(&self.profile.check_in_url.clone(), messages::CHECKIN_CONTENT_TYPE, messages::token_update(self, token.as_deref()))
            .await?;
        self.unlock_token_sent |= token.is_some();
        Ok(())
    }

    /// The device's keybag changes without the server hearing of it: the UnlockToken the server
    /// holds is stale from now on.
    pub fn rotate_unlock_token(&mut self) {
        if self.unlock_token.is_some() {
            self.unlock_token = Some(unlock_token());
        }
    }

    pub async fn check_out(&mut self) -> Result<(), SimError> {
        self.put(&self.profile.check_in_url.clone(), messages::CHECKIN_CONTENT_TYPE, messages::check_out(self)).await?;
        self.enrolled = false;
        Ok(())
    }

    /// Answer the next `n` commands with NotNow (as a locked device does for some commands).
    pub fn answer_not_now(&mut self, n: u32) {
        self.not_now = n;
    }

    /// While offline every request fails without reaching the server.
    pub fn set_offline(&mut self, offline: bool) {
        self.offline = offline;
    }

    pub fn set_passcode(&mut self, passcode: Option<&str>) {
        self.passcode = passcode.map(str::to_owned);
    }

    pub fn passcode(&self) -> Option<&str> {
        self.passcode.as_deref()
    }
    pub fn locked(&self) -> bool {
        self.locked
    }
    /// The PIN a Mac was locked or erased with.
    pub fn lock_pin(&self) -> Option<&str> {
        self.lock_pin.as_deref()
    }
    pub fn lock_message(&self) -> Option<&str> {
        self.lock_message.as_deref()
    }
    pub fn erased(&self) -> bool {
        self.erased
    }
    pub fn enrolled(&self) -> bool {
        self.enrolled
    }
    pub fn profile(&self) -> &InstalledProfile {
        &self.profile
    }
    /// The APNs device token as the server addresses pushes (lower-case hex).
    pub fn push_token_hex(&self) -> String {
        self.push_token.iter().map(|b| format!("{b:02x}")).collect()
    }

    async fn put(&self, url: &str, content_type: &str, body: Vec<u8>) -> Result<Vec<u8>, SimError> {
        if self.offline {
            return Err(SimError::Offline);
        }
        let mut request = self.http.put(url).header("content-type", content_type);
        if self.transport == Transport::MdmSignature {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            let signature = self.signer.sign(&body, true, now).map_err(|e| SimError::Key(e.to_string()))?;
            request = request.header("Mdm-Signature", B64.encode(signature));
        }
        let response = request.body(body).send().await?;
        let status = response.status();
        let bytes = response.bytes().await?.to_vec();
        if !status.is_success() {
            return Err(SimError::HttpStatus {
                url: url.to_string(),
                status: status.as_u16(),
                body: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
        Ok(bytes)
    }

    /// Wait for a push addressed to this device (with its PushMagic), then poll. None when no
    /// push came within `timeout`.
    pub async fn poll_on_push(&mut self, apns: &StandInApns, timeout: Duration) -> Result<Option<Vec<Answered>>, SimError> {
        let Some(push) = apns.wait_for(&self.push_token_hex(), self.pushes_seen, timeout).await else { return Ok(None) };
        self.pushes_seen = apns.count_for(&self.push_token_hex());
        let magic = serde_json::from_str::<serde_json::Value>(&push.body).ok().and_then(|v| v["mdm"].as_str().map(str::to_owned));
        if magic.as_deref() != Some(self.push_magic.as_str()) {
            // A device ignores a push whose PushMagic is not its own.
            return Ok(Some(Vec::new()));
        }
        self.poll().await.map(Some)
    }

    /// Connect to the command endpoint: Idle, then answer each command until the server has none.
    pub async fn poll(&mut self) -> Result<Vec<Answered>, SimError> {
        if self.erased {
            return Err(SimError::Wiped);
        }
        if !self.enrolled {
            return Err(SimError::Protocol("the device is not enrolled".into()));
        }
        let url = self.profile.server_url.clone();
        let mut body = messages::result(self, "Idle", None, Dictionary::new());
        let mut answered = Vec::new();
        for _ in 0..MAX_ROUNDS {
            let reply = self.put(&url, messages::CONNECT_CONTENT_TYPE, body).await?;
            if reply.is_empty() {
                return Ok(answered);
            }
            let command: Dictionary = plist::from_bytes(&reply).map_err(|e| SimError::Decode { what: "command", detail: e.to_string() })?;
            let uuid = command.get("CommandUUID").and_then(Value::as_string).unwrap_or_default().to_string();
            let request = command.get("Command").and_then(Value::as_dictionary).cloned().unwrap_or_default();
            let request_type = request.get("RequestType").and_then(Value::as_string).unwrap_or_default().to_string();
            let (status, extra, after) = if self.not_now > 0 {
                self.not_now -= 1;
                ("NotNow", Dictionary::new(), After::Nothing)
            } else {
                self.execute(&request_type, &request)
            };
            let done = Answered { uuid: uuid.clone(), request_type, status };
            self.history.push(done.clone());
            answered.push(done);
            body = messages::result(self, status, Some(&uuid), extra);
            match after {
                After::Nothing => {}
                After::Erased => {
                    // The answer goes out, then the device erases itself and is gone.
                    self.put(&url, messages::CONNECT_CONTENT_TYPE, body).await?;
                    self.erased = true;
                    self.enrolled = false;
                    self.passcode = None;
                    return Ok(answered);
                }
                After::ProfileRemoved => {
                    self.put(&url, messages::CONNECT_CONTENT_TYPE, body).await?;
                    if self.profile.check_out_when_removed {
                        self.check_out().await?;
                    }
                    self.enrolled = false;
                    return Ok(answered);
                }
            }
        }
        Err(SimError::Protocol(format!("the server sent more than {MAX_ROUNDS} commands in one poll")))
    }

    fn execute(&mut self, request_type: &str, request: &Dictionary) -> (&'static str, Dictionary, After) {
        let refuse = |code: i64, text: &str| ("Error", messages::error_chain("MCMDMErrorDomain", code, text), After::Nothing);
        let ok = |extra: Dictionary| ("Acknowledged", extra, After::Nothing);
        let pin = request.get("PIN").and_then(Value::as_string).map(str::to_owned);
        match request_type {
            "ClearPasscode" => {
                if self.kind.is_mac() || self.kind.is_user_enrollment() || self.kind.is_multi_user() {
                    return refuse(12081, "ClearPasscode is not supported on this device.");
                }
                let sent = request.get("UnlockToken").and_then(Value::as_data);
                match (&self.unlock_token, sent) {
                    (Some(mine), Some(sent)) if mine.as_slice() == sent => {
                        self.passcode = None;
                        ok(Dictionary::new())
                    }
                    _ => ("Error", messages::error_chain("MCKeybagErrorDomain", 12, "The unlock token is not valid."), After::Nothing),
                }
            }
            "SecurityInfo" => ok(messages::security_info(self.kind, self.passcode.is_some())),
            "DeviceInformation" => {
                let queries: Vec<String> = request
                    .get("Queries")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_string).map(str::to_owned).collect())
                    .unwrap_or_default();
                ok(messages::device_information(self, &queries))
            }
            "DeviceLock" => {
                if self.kind.is_mac() {
                    match pin.filter(|p| is_six_digits(p)) {
                        Some(p) => self.lock_pin = Some(p),
                        None => return refuse(12068, "A six-digit PIN is required to lock a Mac."),
                    }
                }
                self.locked = true;
                self.lock_message = request.get("Message").and_then(Value::as_string).map(str::to_owned);
                ok(Dictionary::new())
            }
            "EraseDevice" => {
                if self.kind.is_mac() {
                    match pin.filter(|p| is_six_digits(p)) {
                        Some(p) => self.lock_pin = Some(p),
                        None => return refuse(12068, "A six-digit PIN is required to erase a Mac."),
                    }
                }
                ("Acknowledged", Dictionary::new(), After::Erased)
            }
            "RemoveProfile" => {
                if request.get("Identifier").and_then(Value::as_string) == Some(self.profile.identifier.as_str()) {
                    ("Acknowledged", Dictionary::new(), After::ProfileRemoved)
                } else {
                    refuse(12023, "The profile is not installed.")
                }
            }
            _ => ("CommandFormatError", Dictionary::new(), After::Nothing),
        }
    }
}
