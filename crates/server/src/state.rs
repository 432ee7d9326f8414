//! What every handler and worker shares.

use crate::clock::Clock;
use crate::pending::PendingIndex;
use pinreset_store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// Devices with pending actions, for idle check-ins.
    pub pending: Arc<PendingIndex>,
    /// Bumped whenever a profile or an assignment changes, so channels know when a device
    /// that had nothing to apply must be looked at again.
    pub profiles_generation: Arc<std::sync::atomic::AtomicU64>,
    /// Signalled when a tenant's device CA is created, so TLS starts trusting its certificates.
    pub device_roots_changed: Arc<tokio::sync::Notify>,
    /// Where device pushes go.
    pub push: Arc<crate::app::push::PushConfig>,
}
