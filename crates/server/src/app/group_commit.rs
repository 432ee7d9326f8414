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
        self.enqueue(item).await
    }

    /// `submit`, with `item` queued now rather than when the future is first polled. Commits
    /// keep the queue's order, so anything submitted after this call is committed in the same
    /// transaction as `item` or a later one: a caller can queue a write, go on, and await it
    /// last — by then it costs no wait of its own.
    pub fn enqueue(&self, item: I) -> impl Future<Output = Result<O, StoreError>> + Send + 'static {
        let (done, outcome) = oneshot::channel();
        let stopped = || StoreError::Backend("the group-commit writer stopped".into());
        let queued = self.queue.send(Waiting { item, done }).map_err(|_| stopped());
        async move {
            queued?;
            outcome.await.map_err(|_| stopped())?
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;
    use std::sync::{Arc, Mutex};

    /// What `enqueue` promises the Apple command endpoint: a write queued before another is
    /// committed no later than it, so once the later one is answered the earlier one is too —
    /// even when the later one went into the next transaction.
    #[tokio::test]
    async fn a_queued_write_is_committed_by_the_time_a_later_one_is() {
        let commits = Arc::new(Mutex::new(Vec::<Vec<u32>>::new()));
        let seen = commits.clone();
        let writes = GroupCommit::start(1, move |items: Vec<u32>| {
            let seen = seen.clone();
            async move {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                seen.lock().unwrap().push(items.clone());
                Ok(items)
            }
        });
        let first = writes.enqueue(1);
        assert_eq!(writes.submit(2).await.unwrap(), 2);
        assert_eq!(first.now_or_never().expect("committed already").unwrap(), 1);
        assert_eq!(*commits.lock().unwrap(), [vec![1], vec![2]], "one write per commit here, in the order queued");
    }
}
