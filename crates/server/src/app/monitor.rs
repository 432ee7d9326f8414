//! The tenant-wide view of remote actions: the actions monitor's list and the home page's
//! counts. Everyone who sees the whole tenant may read them; end users have their own devices'
//! histories instead.

use super::view::{Granted, ReadAllDevices};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use pinreset_core::RemoteAction;
use pinreset_store::{ActionCounts, ActionFilter, Page, PageOf};

impl Granted<'_, ReadAllDevices> {
    /// A page of the tenant's actions: failures first, then newest.
    pub async fn actions(&self, filter: &ActionFilter, page: Page) -> Result<PageOf<RemoteAction>, AppError> {
        Ok(self.state.store.list_actions(self.actor.tenant_id, filter, page).await?)
    }

    /// The tenant's actions counted by state, and by day and state since `since`.
    pub async fn action_counts(&self, since: DateTime<Utc>) -> Result<ActionCounts, AppError> {
        Ok(self.state.store.action_counts(self.actor.tenant_id, since).await?)
    }

    /// The server's clock (pages show "now" and windows ending now from it, not the host's).
    pub fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }
}
