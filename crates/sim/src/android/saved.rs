//! Saving a simulated Android device and bringing it back: everything it must keep to be the
//! same device after a restart — its key and certificate (its credential), what Android holds
//! (the reset token and whether it is active, the passcodes, lock and wipe state) and what the
//! agent holds (a token not yet escrowed). It holds secrets: store it where only its owner can
//! read it (`crate::state::write`).

use super::{AndroidDevice, AndroidProfile, Platform};
use crate::error::SimError;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;

#[derive(serde::Serialize, serde::Deserialize)]
struct SavedAndroid {
    profile: String,
    name: String,
    #[serde(default)]
    serial: String,
    base_url: String,
    key_pem: String,
    identity_pem: Option<String>,
    enrolled: bool,
    device_id: Option<String>,
    token_b64: Option<String>,
    token_active: bool,
    slots_used: u32,
    passcode: Option<String>,
    work_passcode: Option<String>,
    locked: bool,
    wiped: bool,
    unsent_token_b64: Option<String>,
    policy_min_length: usize,
}

impl AndroidDevice {
    pub fn save(&self) -> serde_json::Value {
        let p = &self.platform;
        let saved = SavedAndroid {
            profile: self.profile.key().to_owned(),
            name: self.name.clone(),
            serial: self.serial.clone(),
            base_url: self.base_url.clone(),
            key_pem: self.key.serialize_pem(),
            identity_pem: self.identity_pem.clone(),
            enrolled: self.enrolled,
            device_id: self.device_id.clone(),
            token_b64: p.token.as_ref().map(|t| B64.encode(t)),
            token_active: p.token_active,
            slots_used: p.slots_used,
            passcode: p.passcode.clone(),
            work_passcode: p.work_passcode.clone(),
            locked: p.locked,
            wiped: p.wiped,
            unsent_token_b64: self.unsent_token.as_ref().map(|t| B64.encode(t)),
            policy_min_length: self.policy_min_length,
        };
        serde_json::to_value(saved).expect("plain data serializes")
    }

    /// The device [`AndroidDevice::save`] saved, trusting the server by `server_ca_pem`;
    /// nothing is sent.
    pub fn restore(saved: serde_json::Value, server_ca_pem: &str) -> Result<Self, SimError> {
        let bad = |detail: String| SimError::Decode { what: "saved Android device", detail };
        let s: SavedAndroid = serde_json::from_value(saved).map_err(|e| bad(e.to_string()))?;
        let profile = AndroidProfile::from_key(&s.profile).ok_or_else(|| bad(format!("unknown profile {:?}", s.profile)))?;
        let b64 = |what: &str, v: &str| B64.decode(v.trim()).map_err(|e| bad(format!("{what}: {e}")));
        let mut device = AndroidDevice::new(profile, &s.base_url, server_ca_pem)?;
        device.key = rcgen::KeyPair::from_pem(&s.key_pem).map_err(|e| bad(format!("key: {e}")))?;
        device.name = s.name;
        if !s.serial.is_empty() {
            device.serial = s.serial;
        }
        device.identity_pem = s.identity_pem;
        device.enrolled = s.enrolled;
        device.device_id = s.device_id;
        device.platform = Platform {
            token: s.token_b64.as_deref().map(|t| b64("token", t)).transpose()?,
            token_active: s.token_active,
            slots_used: s.slots_used,
            passcode: s.passcode,
            work_passcode: s.work_passcode,
            locked: s.locked,
            wiped: s.wiped,
        };
        device.unsent_token = s.unsent_token_b64.as_deref().map(|t| b64("unsent token", t)).transpose()?;
        device.policy_min_length = s.policy_min_length;
        // Presenting the saved certificate from the first request on.
        device.reconnect()?;
        Ok(device)
    }
}
