//! Group commit for the device path's audit appends (each command sent to a device and each
//! answer it gives). Under load a thousand devices answering at once would otherwise each pay
//! for a transaction of their own; here every append waiting while one commit runs goes into the
//! next, as one transaction. The guarantee is unchanged: `append` returns only once its events
//! are committed, so a device gets its HTTP answer only after the history of that exchange is
//! stored. A single append with nothing else waiting costs one transaction, as before.

use crate::error::AppError;
use pinreset_core::NewAuditEvent;
use pinreset_store::{Store, StoreError};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Events of at most this many appends share a transaction (bounded so a commit stays short).
const MAX_APPENDS_PER_COMMIT: usize = 512;

struct Append {
    events: Vec<NewAuditEvent>,
    committed: oneshot::Sender<Result<(), String>>,
}

pub struct AuditBatcher {
    queue: mpsc::UnboundedSender<Append>,
}

impl AuditBatcher {
    /// Start the committing task (it ends when the batcher is dropped).
    pub fn start(store: Arc<dyn Store>) -> Self {
        let (queue, mut appends) = mpsc::unbounded_channel::<Append>();
        tokio::spawn(async move {
            while let Some(first) = appends.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_APPENDS_PER_COMMIT {
                    match appends.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let events: Vec<NewAuditEvent> = batch.iter_mut().flat_map(|a| std::mem::take(&mut a.events)).collect();
                // The store error's text names no row value; every waiter gets it.
                let result = store.append_audit(&events).await.map_err(|e| e.to_string());
                for append in batch {
                    let _ = append.committed.send(result.clone());
                }
            }
        });
        AuditBatcher { queue }
    }

    /// Append `events`, returning once they are committed (with the others waiting now).
    pub async fn append(&self, events: Vec<NewAuditEvent>) -> Result<(), AppError> {
        let (committed, done) = oneshot::channel();
        let gone = || AppError::Store(StoreError::Backend("the audit writer stopped".into()));
        self.queue.send(Append { events, committed }).map_err(|_| gone())?;
        done.await.map_err(|_| gone())?.map_err(|e| AppError::Store(StoreError::Backend(e)))
    }
}
