//! Which devices have anything pending, in memory. The hot path of every device channel is the
//! idle check-in ("anything for me?"), and the answer is almost always no: it must come from
//! here, not from a database read (DESIGN.md, performance budget). Every change that can add
//! or finish an action updates the index through this type.
//
// Several instances behind a load balancer will keep their indexes true from the store's change
// notifications (PostgreSQL LISTEN/NOTIFY) when the device channels land.

use pinreset_core::DeviceId;
use pinreset_store::{Store, StoreResult};
use std::collections::HashSet;
use std::sync::RwLock;

#[derive(Default)]
pub struct PendingIndex(RwLock<HashSet<DeviceId>>);

impl PendingIndex {
    /// Build from the store at start-up.
    pub async fn load(store: &dyn Store) -> StoreResult<Self> {
        Ok(PendingIndex(RwLock::new(store.devices_with_pending_actions().await?.into_iter().collect())))
    }

    /// The idle check-in's question. No I/O, no allocation.
    pub fn has_pending(&self, device: DeviceId) -> bool {
        self.0.read().expect("pending index lock").contains(&device)
    }

    pub fn mark(&self, device: DeviceId) {
        self.0.write().expect("pending index lock").insert(device);
    }

    /// Re-read one device after one of its actions finished.
    pub async fn refresh(&self, store: &dyn Store, device: DeviceId) -> StoreResult<()> {
        let pending = !store.deliverable_actions(device).await?.is_empty();
        let mut set = self.0.write().expect("pending index lock");
        if pending {
            set.insert(device);
        } else {
            set.remove(&device);
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.0.read().expect("pending index lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
