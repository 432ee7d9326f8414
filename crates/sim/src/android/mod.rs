//! A simulated Android device running the pinreset agent (docs/android-agent-protocol.md): it
//! enrolls with the token from the admin's QR code, gets its client certificate, checks in,
//! creates its reset-password token once when the server asks, long-polls for commands and
//! applies them as Android would — refusing what the platform refuses (a device admin on 7.0+,
//! an inactive token, a passcode below the device's policy) — and answers each with its outcome.
//!
//! Messages are written by [`writer`]; answers are read as plain JSON values, never with the
//! server's types. The "platform" half (what Android's DevicePolicyManager keeps) is separate
//! from the "agent" half (what the app keeps): the agent holds a new reset token only until the
//! server confirms it is escrowed. Woken over MQTT (`mqtt.rs`) when the server has a broker.

pub mod amapi;
pub mod mqtt;
mod profile;
mod saved;
pub mod writer;

pub use profile::AndroidProfile;

use crate::error::SimError;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rand::RngCore;
use serde_json::Value;
use std::time::Duration;
use writer::Json;

/// One command the device answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answered {
    pub id: String,
    pub kind: String,
    /// `success`, or the failure code sent.
    pub outcome: String,
    /// The HTTP status of the answer (200, or 409 when the server already had one).
    pub status: u16,
}

/// What Android itself holds for the agent (DevicePolicyManager and the lock screen).
#[derive(Default)]
struct Platform {
    /// The reset-password token set with `setResetPasswordToken`.
    token: Option<Vec<u8>>,
    token_active: bool,
    /// Tokens set and not cleared: each takes a secure-storage slot.
    slots_used: u32,
    passcode: Option<String>,
    work_passcode: Option<String>,
    locked: bool,
    wiped: bool,
}

pub struct AndroidDevice {
    pub profile: AndroidProfile,
    pub name: String,
    /// `Build.getSerial()`: only a device owner on Android 10+ can read it, and reports it.
    pub serial: String,
    base_url: String,
    ca_pem: String,
    key: rcgen::KeyPair,
    /// With the device certificate once enrolled.
    http: reqwest::Client,
    /// The certificate and key (PEM) the client presents, once enrolled.
    identity_pem: Option<String>,
    enrolled: bool,
    platform: Platform,
    /// A token set but not yet escrowed: the only time the agent holds it.
    unsent_token: Option<Vec<u8>>,
    /// The smallest passcode the device's policy accepts.
    policy_min_length: usize,
    offline: bool,
    /// The next answer fails with this code, whatever the command (fault injection).
    fail_next: Option<&'static str>,
    pub device_id: Option<String>,
    pub history: Vec<Answered>,
    /// The last check-in's token instruction (`keep`, `provision`, `rotate`).
    pub last_instruction: Option<String>,
}

fn csr_for(key: &rcgen::KeyPair) -> Result<String, SimError> {
    let params = rcgen::CertificateParams::new(Vec::<String>::new()).map_err(|e| SimError::Key(e.to_string()))?;
    let csr = params.serialize_request(key).map_err(|e| SimError::Key(e.to_string()))?;
    Ok(B64.encode(csr.der()))
}

fn client(ca_pem: &str, identity: Option<reqwest::Identity>) -> Result<reqwest::Client, SimError> {
    let ca = reqwest::Certificate::from_pem(ca_pem.as_bytes()).map_err(|e| SimError::Key(format!("CA PEM: {e}")))?;
    let mut b = reqwest::Client::builder().use_rustls_tls().timeout(Duration::from_secs(90)).add_root_certificate(ca);
    if let Some(id) = identity {
        b = b.identity(id);
    }
    Ok(b.build()?)
}

impl AndroidDevice {
    /// A new device of `profile` with the agent installed, for the server at `base_url`
    /// (`https://host:port`) trusted by `server_ca_pem`. Nothing is sent yet.
    pub fn new(profile: AndroidProfile, base_url: &str, server_ca_pem: &str) -> Result<Self, SimError> {
        let key = rcgen::KeyPair::generate().map_err(|e| SimError::Key(e.to_string()))?;
        Ok(AndroidDevice {
            profile,
            name: format!("Simulated {}", profile.model()),
            serial: format!("SIM{:08X}", rand::random::<u32>()),
            base_url: base_url.trim_end_matches('/').to_string(),
            ca_pem: server_ca_pem.to_string(),
            key,
            http: client(server_ca_pem, None)?,
            identity_pem: None,
            enrolled: false,
            platform: Platform { passcode: profile.has_passcode().then(|| "1234".to_string()), ..Platform::default() },
            unsent_token: None,
            policy_min_length: 4,
            offline: false,
            fail_next: None,
            device_id: None,
            history: Vec::new(),
            last_instruction: None,
        })
    }

    // ---- the platform

    /// `setResetPasswordToken`: a new random token, in a new secure-storage slot; not active
    /// until the user confirms their screen lock (unless the device has none).
    fn set_token(&mut self) -> Vec<u8> {
        let mut t = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut t);
        self.platform.token = Some(t.clone());
        self.platform.slots_used += 1;
        self.platform.token_active = self.platform.passcode.is_none();
        t
    }
    /// `clearResetPasswordToken`: frees the slot.
    fn clear_token(&mut self) {
        if self.platform.token.take().is_some() {
            self.platform.slots_used -= 1;
        }
        self.platform.token_active = false;
    }
    /// The user confirms their screen lock in the agent: Android activates the token.
    pub fn confirm_credential(&mut self) {
        if self.platform.token.is_some() {
            self.platform.token_active = true;
        }
    }
    /// A reboot: a token not yet activated does not survive it.
    pub fn reboot(&mut self) {
        if !self.platform.token_active {
            self.clear_token();
        }
    }
    pub fn set_policy_min_length(&mut self, n: usize) {
        self.policy_min_length = n;
    }
    pub fn set_offline(&mut self, offline: bool) {
        self.offline = offline;
    }
    pub fn fail_next_with(&mut self, code: &'static str) {
        self.fail_next = Some(code);
    }
    pub fn passcode(&self) -> Option<&str> {
        self.platform.passcode.as_deref()
    }
    pub fn work_passcode(&self) -> Option<&str> {
        self.platform.work_passcode.as_deref()
    }
    pub fn locked(&self) -> bool {
        self.platform.locked
    }
    pub fn wiped(&self) -> bool {
        self.platform.wiped
    }
    pub fn enrolled(&self) -> bool {
        self.enrolled
    }
    /// Secure-storage slots the agent's tokens take (a well-behaved agent: never more than one).
    pub fn token_slots_used(&self) -> u32 {
        self.platform.slots_used
    }
    pub fn token_state(&self) -> &'static str {
        match (&self.platform.token, self.platform.token_active) {
            (None, _) => "none",
            (Some(_), false) => "inactive",
            (Some(_), true) => "active",
        }
    }
    /// The token Android holds (for tests that compare what the server sends).
    pub fn platform_token_b64(&self) -> Option<String> {
        self.platform.token.as_ref().map(|t| B64.encode(t))
    }
    /// The token the agent still holds in plaintext (only between setting and escrow).
    pub fn agent_holds_token(&self) -> bool {
        self.unsent_token.is_some()
    }

    // ---- the wire

    fn report(&self) -> Json {
        let p = self.profile;
        Json::Obj(vec![
            ("api_level", Json::Num(p.api_level().into())),
            ("os_version", Json::str(p.release())),
            ("security_patch", Json::str("2024-05-05")),
            ("manufacturer", Json::str(p.manufacturer())),
            ("model", Json::str(p.model())),
            ("name", Json::str(self.name.clone())),
            ("serial_number", if p.mode() == "device_owner" && p.api_level() >= 29 { Json::str(self.serial.clone()) } else { Json::Null }),
            ("management_mode", Json::str(p.mode())),
            ("passcode_set", Json::Bool(self.platform.passcode.is_some())),
            ("reset_token", Json::str(self.token_state())),
        ])
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Json>) -> Result<(u16, Value), SimError> {
        if self.offline {
            return Err(SimError::Offline);
        }
        let url = format!("{}{path}", self.base_url);
        let mut req = self.http.request(method, &url);
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b.write());
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await?;
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok((status, value))
    }

    /// Send `body` as written (a hostile or buggy agent's message) with the device's certificate.
    pub async fn send_raw(&self, method: reqwest::Method, path: &str, body: Option<&str>) -> Result<(u16, Value), SimError> {
        let mut req = self.http.request(method, format!("{}{path}", self.base_url));
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b.to_string());
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        Ok((status, serde_json::from_slice(&resp.bytes().await?).unwrap_or(Value::Null)))
    }

    fn ok(status: u16, value: Value, url: &str) -> Result<Value, SimError> {
        if (200..300).contains(&status) {
            Ok(value)
        } else {
            Err(SimError::HttpStatus { url: url.into(), status, body: value.to_string() })
        }
    }

    fn csr_b64(&self) -> Result<String, SimError> {
        csr_for(&self.key)
    }

    /// Trade the certificate for a new one, for a new Keystore key (what the agent does in the
    /// certificate's last 30 days). The answer's `not_after`.
    pub async fn renew_certificate(&mut self) -> Result<String, SimError> {
        let key = rcgen::KeyPair::generate().map_err(|e| SimError::Key(e.to_string()))?;
        let body = Json::Obj(vec![("csr", Json::str(csr_for(&key)?))]);
        let (status, value) = self.send(reqwest::Method::POST, "/android/v1/renew", Some(body)).await?;
        let value = Self::ok(status, value, "/android/v1/renew")?;
        let cert = value["certificate"].as_str().ok_or_else(|| SimError::Enrollment("no certificate in the answer".into()))?;
        self.identity_pem = Some(format!("{cert}{}", key.serialize_pem()));
        self.key = key;
        self.reconnect()?;
        Ok(value["not_after"].as_str().unwrap_or_default().to_string())
    }

    /// Enroll with the QR code's token. A device owner or profile owner on 8.0+ sets its reset
    /// token first and sends it along (`token_first`), or waits to be asked at check-in.
    pub async fn enroll(&mut self, enrollment_token: &str, token_first: bool) -> Result<Value, SimError> {
        if token_first && self.profile.uses_tokens() && self.platform.token.is_none() {
            let t = self.set_token();
            self.unsent_token = Some(t);
        }
        let mut fields =
            vec![("enrollment_token", Json::str(enrollment_token)), ("csr", Json::str(self.csr_b64()?)), ("device", self.report())];
        if let Some(t) = &self.unsent_token {
            fields.push(("reset_token", Json::str(B64.encode(t))));
        }
        let (status, value) = self.send(reqwest::Method::POST, "/android/v1/enroll", Some(Json::Obj(fields))).await?;
        let value = Self::ok(status, value, "/android/v1/enroll")?;
        // Escrowed: the agent forgets the token.
        self.unsent_token = None;
        let cert = value["certificate"].as_str().ok_or_else(|| SimError::Enrollment("no certificate in the answer".into()))?;
        self.identity_pem = Some(format!("{cert}{}", self.key.serialize_pem()));
        // A new client: the enrollment's connection carries no certificate and must not be reused.
        self.reconnect()?;
        self.device_id = value["device_id"].as_str().map(str::to_owned);
        self.enrolled = true;
        self.follow(&value["checkin"]).await?;
        Ok(value)
    }

    /// A new client (new connections) presenting the device certificate.
    fn reconnect(&mut self) -> Result<(), SimError> {
        let identity = match &self.identity_pem {
            Some(pem) => Some(reqwest::Identity::from_pem(pem.as_bytes()).map_err(|e| SimError::Key(format!("identity: {e}")))?),
            None => None,
        };
        self.http = client(&self.ca_pem, identity)?;
        Ok(())
    }

    /// Do what the server said about the reset token.
    async fn follow(&mut self, answer: &Value) -> Result<(), SimError> {
        let instruction = answer["reset_token"].as_str().unwrap_or("keep").to_string();
        self.last_instruction = Some(instruction.clone());
        match instruction.as_str() {
            "provision" | "rotate" if self.profile.uses_tokens() => {
                // Rotate: clear first, so a new token never takes a second slot.
                if instruction == "rotate" || self.platform.token.is_some() {
                    self.clear_token();
                }
                let t = self.set_token();
                self.unsent_token = Some(t);
                self.send_token().await
            }
            _ => Ok(()),
        }
    }

    /// POST the token set but not yet escrowed; forgotten once the server has it.
    pub async fn send_token(&mut self) -> Result<(), SimError> {
        let Some(t) = self.unsent_token.clone() else { return Ok(()) };
        let body = Json::Obj(vec![("reset_token", Json::str(B64.encode(&t))), ("state", Json::str(self.token_state()))]);
        let (status, value) = self.send(reqwest::Method::POST, "/android/v1/reset-token", Some(body)).await?;
        Self::ok(status, value, "/android/v1/reset-token")?;
        self.unsent_token = None;
        Ok(())
    }

    /// Report the device's state; follows the token instruction. The first requests after
    /// enrollment are retried briefly while the server starts trusting a new device CA.
    pub async fn check_in(&mut self) -> Result<Value, SimError> {
        let mut attempt = 0u64;
        let value = loop {
            let (status, value) = self.send(reqwest::Method::POST, "/android/v1/checkin", Some(self.report())).await?;
            if status == 401 && attempt < 20 {
                // A connection made before the server trusted the new CA never asked for the
                // certificate: retry on a new one.
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(50 * attempt.min(5))).await;
                self.reconnect()?;
                continue;
            }
            break Self::ok(status, value, "/android/v1/checkin")?;
        };
        self.follow(&value).await?;
        Ok(value)
    }

    /// One long-poll (`wait` seconds); every command it brings is applied and answered.
    pub async fn poll(&mut self, wait: u32) -> Result<Vec<Answered>, SimError> {
        if self.platform.wiped {
            return Err(SimError::Wiped);
        }
        let path = format!("/android/v1/commands?wait={wait}");
        let (status, value) = self.send(reqwest::Method::GET, &path, None).await?;
        let value = Self::ok(status, value, &path)?;
        let mut answered = Vec::new();
        for cmd in value["commands"].as_array().cloned().unwrap_or_default() {
            let id = cmd["id"].as_str().unwrap_or_default().to_string();
            let kind = cmd["type"].as_str().unwrap_or_default().to_string();
            let outcome = match self.fail_next.take() {
                Some(code) => Err((code, "fault injected by the simulator".to_string())),
                None => self.execute(&kind, &cmd),
            };
            let status = self.answer(&id, &outcome).await?;
            let done = Answered {
                id,
                kind: kind.clone(),
                outcome: outcome.as_ref().map_or_else(|(c, _)| c.to_string(), |_| "success".into()),
                status,
            };
            self.history.push(done.clone());
            answered.push(done);
            if outcome.is_ok() && (kind == "wipe" || kind == "retire") {
                // The answer is out; the agent is gone with the data (or its admin role).
                if kind == "wipe" {
                    self.platform = Platform { wiped: true, ..Platform::default() };
                } else {
                    self.clear_token();
                }
                self.enrolled = false;
                break;
            }
        }
        if value["check_in"].as_bool() == Some(true) {
            self.check_in().await?;
        }
        Ok(answered)
    }

    /// POST a result; the HTTP status (409 when the server already had an answer).
    pub async fn answer(&self, id: &str, outcome: &Result<(), (&'static str, String)>) -> Result<u16, SimError> {
        let body = match outcome {
            Ok(()) => Json::Obj(vec![("status", Json::str("success"))]),
            Err((code, detail)) => {
                Json::Obj(vec![("status", Json::str("failure")), ("code", Json::str(*code)), ("detail", Json::str(detail.clone()))])
            }
        };
        let (status, _) = self.send(reqwest::Method::POST, &format!("/android/v1/commands/{id}/result"), Some(body)).await?;
        Ok(status)
    }

    /// Apply a command as Android would, or say why Android refused it.
    fn execute(&mut self, kind: &str, cmd: &Value) -> Result<(), (&'static str, String)> {
        let p = self.profile;
        match kind {
            "reset_passcode" => {
                let new = cmd["new_passcode"].as_str().ok_or(("unknown", "no new_passcode".to_string()))?.to_string();
                if new.len() < self.policy_min_length {
                    return Err((
                        "password_rejected_by_policy",
                        format!("the policy needs at least {} characters", self.policy_min_length),
                    ));
                }
                if p.mode() == "device_admin" {
                    // Android 7.0 took resetPassword from device admins for an existing passcode.
                    if p.api_level() >= 24 && self.platform.passcode.is_some() {
                        return Err(("api_level", "resetPassword: device admins cannot change an existing passcode on 7.0+".into()));
                    }
                } else {
                    let sent = cmd["reset_token"].as_str().and_then(|t| B64.decode(t).ok());
                    if !self.platform.token_active {
                        return Err(("token_inactive", "isResetPasswordTokenActive() is false".into()));
                    }
                    if sent.is_none() || sent != self.platform.token {
                        return Err(("unknown", "resetPasswordWithToken returned false".into()));
                    }
                }
                if cmd["scope"].as_str() == Some("work_profile") {
                    self.platform.work_passcode = Some(new);
                } else {
                    self.platform.passcode = Some(new);
                }
                if cmd["flags"]["lock_now"].as_bool() == Some(true) {
                    self.platform.locked = true;
                }
                Ok(())
            }
            "lock" => {
                self.platform.locked = true;
                Ok(())
            }
            "wipe" if p.mode() == "profile_owner" => {
                Err(("management_mode", "a profile owner removes its profile, not the device's data".into()))
            }
            "wipe" | "retire" => Ok(()),
            "rename" => {
                if let Some(n) = cmd["name"].as_str() {
                    self.name = n.to_string();
                }
                Ok(())
            }
            _ => Err(("unknown", format!("unknown command type {kind}"))),
        }
    }
}
