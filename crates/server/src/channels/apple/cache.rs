//! The hot path of the command endpoint is an idle device asking for work: its identity
//! (certificate serial → device) is kept here for a minute so that request reads nothing from
//! the store. Enrollment changes drop the affected entries at once, so a replaced certificate
//! never outlives its device's re-enrollment on this instance.

use pinreset_core::{Device, DeviceId};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct IdentityCache(Mutex<HashMap<String, (Device, Instant)>>);

impl IdentityCache {
    pub fn get(&self, serial: &str) -> Option<Device> {
        let map = self.0.lock().expect("identity cache lock");
        map.get(serial).filter(|(_, at)| at.elapsed() < TTL).map(|(d, _)| d.clone())
    }

    pub fn put(&self, serial: &str, device: Device) {
        let mut map = self.0.lock().expect("identity cache lock");
        if map.len() > 100_000 {
            map.retain(|_, (_, at)| at.elapsed() < TTL);
        }
        map.insert(serial.to_owned(), (device, Instant::now()));
    }

    /// Drop every certificate of this device (re-enrollment, check-out).
    pub fn forget_device(&self, device: DeviceId) {
        self.0.lock().expect("identity cache lock").retain(|_, (d, _)| d.id != device);
    }
}
