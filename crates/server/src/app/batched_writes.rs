//! The writes made under load go through one group commit (`group_commit.rs`): the audit of
//! device exchanges (each command sent and each answer), actions being queued, and actions
//! moving on a device's answer share each transaction (`Store::commit_writes`). One stream for
//! all three, because on SQLite they would otherwise queue for the single write lock one
//! transaction at a time. Each keeps its guarantee: the caller is answered only once its write
//! is committed.

use super::group_commit::GroupCommit;
use crate::error::AppError;
use pinreset_core::{NewAuditEvent, RemoteAction};
use pinreset_store::{ActionPathWrite, ActionPathWritten, RequestOutcome, StillPending, Store, StoreError, TransitionWrite};
use std::sync::Arc;

/// Writes sharing a transaction, at most (bounded so a commit stays short).
const MAX_WRITES_PER_COMMIT: usize = 512;

pub struct BatchedWrites {
    writes: GroupCommit<ActionPathWrite, ActionPathWritten>,
}

fn mismatched() -> AppError {
    StoreError::Backend("a group commit answered a write of another kind".into()).into()
}

impl BatchedWrites {
    /// Start the committing task (it ends when this is dropped).
    pub fn start(store: Arc<dyn Store>) -> Self {
        let writes = GroupCommit::start(MAX_WRITES_PER_COMMIT, move |batch: Vec<ActionPathWrite>| {
            let store = store.clone();
            async move { store.commit_writes(&batch).await }
        });
        BatchedWrites { writes }
    }

    /// Append `events`, returning once they are committed (with the others waiting now).
    pub async fn append_audit(&self, events: Vec<NewAuditEvent>) -> Result<(), AppError> {
        self.queue_audit(events).await
    }

    /// `append_audit`, queued now (see `GroupCommit::enqueue`): a write this caller submits
    /// after it commits with it or later, so awaiting it after that write costs nothing.
    pub fn queue_audit(&self, events: Vec<NewAuditEvent>) -> impl std::future::Future<Output = Result<(), AppError>> + Send + 'static {
        let queued = self.writes.enqueue(ActionPathWrite::Audit(events));
        async move {
            match queued.await? {
                ActionPathWritten::Audit => Ok(()),
                _ => Err(mismatched()),
            }
        }
    }

    /// `Store::request_action`, committed with the other writes waiting now.
    pub async fn request_action(&self, action: RemoteAction, events: Vec<NewAuditEvent>) -> Result<RequestOutcome, AppError> {
        match self.writes.submit(ActionPathWrite::Request(action, events)).await? {
            ActionPathWritten::Request(outcome) => Ok(outcome?),
            _ => Err(mismatched()),
        }
    }

    /// `Store::save_transition`, committed with the other writes waiting now (its own
    /// compare-and-set still decides alone: `Conflict` if the action moved meanwhile); whether
    /// the device still has deliverable actions once it is committed.
    pub async fn save_transition(&self, write: TransitionWrite) -> Result<StillPending, AppError> {
        match self.writes.submit(ActionPathWrite::Transition(write)).await? {
            ActionPathWritten::Transition(outcome) => Ok(outcome?),
            _ => Err(mismatched()),
        }
    }
}
