//! Which devices have anything pending, in memory. The hot path of every device channel is the
//! idle check-in ("anything for me?"), and the answer is almost always no: it must come from
//! here, not from a database read (DESIGN.md, performance budget). Every change that can add
//! or finish an action updates the index through this type.
//
// Several instances behind a load balancer will keep their indexes true from the store's change
// notifications (PostgreSQL LISTEN/NOTIFY) when the device channels land.
//
// A refresh reads the store and then writes the set; a `mark` (a new action queued) can land
// between the two. Without care the refresh, having read "nothing pending" just before the new
// action committed, would remove the device and hide the action until the next restart. So each
// mark is stamped from a counter, a refresh notes the counter when it starts, and it removes a
// device only when no mark for it landed since.

use pinreset_core::DeviceId;
use pinreset_store::{Store, StoreResult};
use std::collections::HashMap;
use std::sync::RwLock;

#[derive(Default)]
struct Inner {
    /// Devices with something pending → the stamp of their latest mark (0: from the store).
    pending: HashMap<DeviceId, u64>,
    /// Stamps handed out so far.
    stamps: u64,
}

#[derive(Default)]
pub struct PendingIndex(RwLock<Inner>);

/// A refresh in progress: the stamp counter when it began.
#[must_use]
pub struct RefreshTicket {
    device: DeviceId,
    started_at: u64,
}

impl PendingIndex {
    /// Build from the store at start-up.
    pub async fn load(store: &dyn Store) -> StoreResult<Self> {
        let pending = store.devices_with_pending_actions().await?.into_iter().map(|d| (d, 0)).collect();
        Ok(PendingIndex(RwLock::new(Inner { pending, stamps: 0 })))
    }

    /// The idle check-in's question. No I/O, no allocation.
    pub fn has_pending(&self, device: DeviceId) -> bool {
        self.0.read().expect("pending index lock").pending.contains_key(&device)
    }

    pub fn mark(&self, device: DeviceId) {
        let mut inner = self.0.write().expect("pending index lock");
        inner.stamps += 1;
        let stamp = inner.stamps;
        inner.pending.insert(device, stamp);
    }

    /// Re-read one device after one of its actions finished.
    pub async fn refresh(&self, store: &dyn Store, device: DeviceId) -> StoreResult<()> {
        let ticket = self.begin_refresh(device);
        let pending = !store.deliverable_actions(device).await?.is_empty();
        self.finish_refresh(ticket, pending);
        Ok(())
    }

    /// The first half of `refresh`, before the store is read.
    pub fn begin_refresh(&self, device: DeviceId) -> RefreshTicket {
        RefreshTicket { device, started_at: self.0.read().expect("pending index lock").stamps }
    }

    /// The second half of `refresh`, with what the store said. A mark that landed after the
    /// ticket was taken wins over a "nothing pending" read before it.
    pub fn finish_refresh(&self, ticket: RefreshTicket, pending: bool) {
        let mut inner = self.0.write().expect("pending index lock");
        if pending {
            inner.pending.entry(ticket.device).or_insert(0);
        } else if inner.pending.get(&ticket.device).is_some_and(|stamp| *stamp <= ticket.started_at) {
            inner.pending.remove(&ticket.device);
        }
    }

    pub fn len(&self) -> usize {
        self.0.read().expect("pending index lock").pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_refresh_does_not_wipe_a_mark_that_landed_during_its_read() {
        let index = PendingIndex::default();
        let device = DeviceId::new();
        index.mark(device);
        // An action finishes: the refresh reads the store ("nothing pending") ...
        let ticket = index.begin_refresh(device);
        // ... while a new action for the device is queued and marked ...
        index.mark(device);
        // ... and only then writes what it read.
        index.finish_refresh(ticket, false);
        assert!(index.has_pending(device), "the new action must stay visible to the idle check-in");
    }

    #[test]
    fn pending_refresh_still_removes_a_finished_device() {
        let index = PendingIndex::default();
        let (device, other) = (DeviceId::new(), DeviceId::new());
        index.mark(device);
        let ticket = index.begin_refresh(device);
        // A mark for another device does not keep this one.
        index.mark(other);
        index.finish_refresh(ticket, false);
        assert!(!index.has_pending(device));
        assert!(index.has_pending(other));
        // A later refresh that finds something pending (another instance queued it) adds it.
        let ticket = index.begin_refresh(device);
        index.finish_refresh(ticket, true);
        assert!(index.has_pending(device));
        assert_eq!(index.len(), 2);
    }
}
