//! The idle session is the hot path (DESIGN.md budget: no database read or write for a device
//! with nothing queued). What authenticating a session needs — the device record and its DM
//! password — is read once and kept here for a minute (the MD5 nonce is not: it changes with
//! every use and is read and rotated in the store, see `proof.rs`); enrollment drops the entry so
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
