//! Group commit: writes made concurrently share one transaction. Under load a thousand devices
//! answering at once, or an admin's script queuing a thousand actions, would otherwise each pay
//! for a transaction of their own, one after the other on SQLite's single writer; here every
//! write waiting while one commit runs goes into the next. The guarantee is unchanged: `submit`
//! returns only once its write is committed (or failed), so nobody is answered before what they
//! were answered about is stored. A write with nothing else waiting costs one transaction, as
//! before.

use pinreset_store::StoreError;
use std::future::Future;
use tokio::sync::{mpsc, oneshot};

struct Waiting<I, O> {
    item: I,
    done: oneshot::Sender<Result<O, StoreError>>,
}

pub struct GroupCommit<I, O> {
    queue: mpsc::UnboundedSender<Waiting<I, O>>,
}

impl<I: Send + 'static, O: Send + 'static> GroupCommit<I, O> {
    /// Start the committing task (it ends when the `GroupCommit` is dropped). `commit` writes
    /// at most `max_per_commit` items in one transaction and returns one outcome per item, in
    /// order; an error of the whole commit goes to every item in it.
    pub fn start<F, Fut>(max_per_commit: usize, mut commit: F) -> Self
    where
        F: FnMut(Vec<I>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Vec<O>, StoreError>> + Send,
    {
        let (queue, mut waiting) = mpsc::unbounded_channel::<Waiting<I, O>>();
        tokio::spawn(async move {
            while let Some(first) = waiting.recv().await {
                let mut batch = vec![first];
                while batch.len() < max_per_commit {
                    match waiting.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let (items, done): (Vec<I>, Vec<_>) = batch.into_iter().map(|w| (w.item, w.done)).unzip();
                match commit(items).await {
                    Ok(outcomes) if outcomes.len() == done.len() => {
                        for (outcome, done) in outcomes.into_iter().zip(done) {
                            let _ = done.send(Ok(outcome));
                        }
                    }
                    Ok(_) => {
                        let e = StoreError::Backend("a group commit returned the wrong number of outcomes".into());
                        done.into_iter().for_each(|d| drop(d.send(Err(e.clone()))));
                    }
                    Err(e) => done.into_iter().for_each(|d| drop(d.send(Err(e.clone())))),
                }
            }
        });
        GroupCommit { queue }
    }

    /// Write `item` with whatever else is waiting; its outcome once committed.
    pub async fn submit(&self, item: I) -> Result<O, StoreError> {
        let (done, outcome) = oneshot::channel();
        let stopped = || StoreError::Backend("the group-commit writer stopped".into());
        self.queue.send(Waiting { item, done }).map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }
}
