//! Long-polls in progress on this instance, by device: the agent's wake-up. A poll registers
//! while it waits; waking a device notifies its poll at once. A poll also looks at the pending
//! index every second, so an action queued on another instance (whose index reaches ours through
//! the store's change feed) is delivered within a second without any cross-instance signal.

use pinreset_core::DeviceId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

#[derive(Default)]
pub struct Waiters(Mutex<HashMap<DeviceId, (Arc<Notify>, usize)>>);

/// A registered poll; dropping it unregisters (also when the agent hangs up mid-wait).
pub struct Waiting {
    waiters: Arc<Waiters>,
    device: DeviceId,
    pub notify: Arc<Notify>,
}

impl Waiters {
    pub fn enter(self: &Arc<Self>, device: DeviceId) -> Waiting {
        let mut map = self.0.lock().expect("waiters lock");
        let entry = map.entry(device).or_insert_with(|| (Arc::new(Notify::new()), 0));
        entry.1 += 1;
        Waiting { waiters: self.clone(), device, notify: entry.0.clone() }
    }

    /// Wake the device's poll; false when none is waiting here.
    pub fn wake(&self, device: DeviceId) -> bool {
        match self.0.lock().expect("waiters lock").get(&device) {
            Some((notify, _)) => {
                notify.notify_waiters();
                true
            }
            None => false,
        }
    }

    pub fn is_waiting(&self, device: DeviceId) -> bool {
        self.0.lock().expect("waiters lock").contains_key(&device)
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        let mut map = self.waiters.0.lock().expect("waiters lock");
        if let Some(entry) = map.get_mut(&self.device) {
            entry.1 -= 1;
            if entry.1 == 0 {
                map.remove(&self.device);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_waits_while_any_of_its_polls_does() {
        let w = Arc::new(Waiters::default());
        let d = DeviceId::new();
        assert!(!w.wake(d));
        let first = w.enter(d);
        let second = w.enter(d);
        assert!(w.is_waiting(d) && w.wake(d));
        drop(first);
        assert!(w.is_waiting(d));
        drop(second);
        assert!(!w.is_waiting(d) && !w.wake(d));
    }
}
