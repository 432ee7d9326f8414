//! The idle session is the hot path (DESIGN.md budget: no database read or write for a device
//! with nothing queued). What authenticating a session needs — the device record and its DM
//! password — is read once and kept here for a minute, with the MD5 nonce this instance
//! last issued (only a hint: the store's compare-and-set decides, see `proof.rs`); enrollment drops the entry so
//! a re-enrolled device is never checked against its old password on this instance.

use pinreset_core::{Device, Secret};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct DeviceAuth {
    pub device: Device,
    pub password: Secret,
    /// SHA-256 of the client certificate found to be this device's (see `proof.rs`).
    pub certificate: Option<[u8; 32]>,
    /// The MD5 nonce this instance last issued to the device (the store has the final word).
    pub nonce_b64: Option<String>,
    /// The profiles generation at which this device had no setting left to apply.
    pub settings_clean_at: Option<u64>,
}

#[derive(Default)]
pub struct AuthCache(Mutex<HashMap<String, (DeviceAuth, Instant)>>);

impl AuthCache {
    pub fn get(&self, device_key: &str) -> Option<DeviceAuth> {
        let map = self.0.lock().expect("auth cache lock");
        map.get(device_key).filter(|(_, at)| at.elapsed() < TTL).map(|(a, _)| a.clone())
    }

    pub fn put(&self, device_key: &str, auth: DeviceAuth) {
        let mut map = self.0.lock().expect("auth cache lock");
        if map.len() > 100_000 {
            map.retain(|_, (_, at)| at.elapsed() < TTL);
        }
        map.insert(device_key.to_owned(), (auth, Instant::now()));
    }

    pub fn forget(&self, device_key: &str) {
        self.0.lock().expect("auth cache lock").remove(device_key);
    }
}
