//! The writes made under load, each through a group commit (`group_commit.rs`): the audit of
//! device exchanges (each command sent and each answer), actions being queued, and actions
//! moving on a device's answer. Each keeps its guarantee: the caller is answered only once its
//! write is committed.

use super::group_commit::GroupCommit;
use crate::error::AppError;
use pinreset_core::{NewAuditEvent, RemoteAction};
use pinreset_store::{RequestOutcome, StillPending, Store, StoreResult, TransitionWrite};
use std::sync::Arc;

/// Appends sharing a transaction, at most (bounded so a commit stays short).
const MAX_APPENDS_PER_COMMIT: usize = 512;
/// Actions queued, or transitions saved, in one transaction, at most.
const MAX_ACTIONS_PER_COMMIT: usize = 256;

pub struct BatchedWrites {
    audit: GroupCommit<Vec<NewAuditEvent>, ()>,
    requests: GroupCommit<(RemoteAction, Vec<NewAuditEvent>), RequestOutcome>,
    transitions: GroupCommit<TransitionWrite, StoreResult<StillPending>>,
}

impl BatchedWrites {
    /// Start the committing tasks (they end when this is dropped).
    pub fn start(store: Arc<dyn Store>) -> Self {
        let audit_store = store.clone();
        let audit = GroupCommit::start(MAX_APPENDS_PER_COMMIT, move |appends: Vec<Vec<NewAuditEvent>>| {
            let store = audit_store.clone();
            async move {
                let n = appends.len();
                let events: Vec<NewAuditEvent> = appends.into_iter().flatten().collect();
                store.append_audit(&events).await.map(|()| vec![(); n])
            }
        });
        let requests_store = store.clone();
        let requests = GroupCommit::start(MAX_ACTIONS_PER_COMMIT, move |batch: Vec<(RemoteAction, Vec<NewAuditEvent>)>| {
            let store = requests_store.clone();
            async move { store.request_actions(&batch).await }
        });
        let transitions = GroupCommit::start(MAX_ACTIONS_PER_COMMIT, move |batch: Vec<TransitionWrite>| {
            let store = store.clone();
            async move { store.save_transitions(&batch).await }
        });
        BatchedWrites { audit, requests, transitions }
    }

    /// Append `events`, returning once they are committed (with the others waiting now).
    pub async fn append_audit(&self, events: Vec<NewAuditEvent>) -> Result<(), AppError> {
        Ok(self.audit.submit(events).await?)
    }

    /// `Store::request_action`, committed with the other requests waiting now.
    pub async fn request_action(&self, action: RemoteAction, events: Vec<NewAuditEvent>) -> Result<RequestOutcome, AppError> {
        Ok(self.requests.submit((action, events)).await?)
    }

    /// `Store::save_transition`, committed with the other transitions waiting now (its own
    /// compare-and-set still decides alone: `Conflict` if the action moved meanwhile); whether
    /// the device still has deliverable actions once it is committed.
    pub async fn save_transition(&self, write: TransitionWrite) -> Result<StillPending, AppError> {
        Ok(self.transitions.submit(write).await??)
    }
}
