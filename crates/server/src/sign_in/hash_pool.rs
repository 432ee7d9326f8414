//! Password hashing off the async workers. argon2 deliberately costs ~19 MiB and tens of
//! milliseconds per check; run on the async workers, a flood of wrong passwords stalls every
//! other request and, unbounded, grows memory by 19 MiB per concurrent check. Here checks run on
//! `max_concurrent` dedicated threads (so memory and CPU are bounded), with at most
//! `max_waiting` callers queued behind them: beyond that a caller is refused at once ("busy,
//! retry"), because an unbounded queue is itself a memory lever.
//!
//! Dedicated threads rather than tokio's blocking pool: that pool starts a new thread whenever
//! none is idle, and each new thread may get its own malloc arena that keeps its 19 MiB after
//! the check. A fixed set of threads bounds that too.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The pool is full and its queue too: the caller should answer "busy, retry later".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

type Job = Box<dyn FnOnce() + Send>;

pub struct HashPool {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    /// To the hashing threads; they stop when the pool (this sender) is dropped.
    jobs: std::sync::mpsc::Sender<Job>,
}

/// Leaves the queue however the wait ends (permit granted or caller gone).
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashPool {
    pub fn new(max_concurrent: usize, max_waiting: usize) -> Self {
        let threads = max_concurrent.max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..threads {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new().name(format!("password-hash-{i}")).spawn(move || loop {
                // A job is only sent with a permit held, so one is waiting for each free thread.
                let job = match queue.lock() {
                    Ok(q) => q.recv(),
                    Err(_) => return,
                };
                match job {
                    // A panicking job must not take its thread with it.
                    Ok(job) => drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))),
                    Err(_) => return,
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password hashing thread");
            }
        }
        HashPool { permits: Arc::new(Semaphore::new(threads)), waiting: AtomicUsize::new(0), max_waiting, jobs }
    }

    /// Run `job` (a password hash or check) on a blocking thread once a slot is free.
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(Busy);
                }
                let _queued = Queued(&self.waiting);
                self.permits.clone().acquire_owned().await.map_err(|_| Busy)?
            }
        };
        // The permit moves into the job: if the caller goes away mid-check, the slot stays
        // taken until the CPU work really ends. A panicking job drops its sender: "busy".
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _permit = permit;
            let _ = done.send(job());
        });
        self.jobs.send(job).map_err(|_| Busy)?;
        result.await.map_err(|_| Busy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_beyond_the_slots_and_the_queue_are_refused_at_once() {
        let pool = Arc::new(HashPool::new(1, 2));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let rx = Arc::new(std::sync::Mutex::new(rx));
        let mut held = vec![];
        for _ in 0..3 {
            let (pool, rx) = (pool.clone(), rx.clone());
            held.push(tokio::spawn(async move { pool.run(move || rx.lock().unwrap().recv().unwrap()).await }));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(pool.run(|| ()).await, Err(Busy), "one running and two queued: the fourth is refused");
        for _ in 0..3 {
            tx.send(()).unwrap();
        }
        for h in held {
            assert_eq!(h.await.unwrap(), Ok(()));
        }
        assert_eq!(pool.run(|| 7).await, Ok(7), "free again");
    }
}
