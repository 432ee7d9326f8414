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
}
