//! The measuring half of the load benchmarks: let the workers run for a while, stop them, and
//! summarise their latencies the same way for every benchmark.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Run the workers for `seconds`, then stop them and gather every request's latency.
pub async fn measure(stop: Arc<AtomicBool>, workers: Vec<tokio::task::JoinHandle<Vec<Duration>>>, seconds: u64) -> (Vec<Duration>, f64) {
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    all.sort();
    (all, started.elapsed().as_secs_f64())
}

/// `duration=… requests=… rate=…/s p50=… p99=…`
pub fn summary(sorted: &[Duration], elapsed: f64) -> String {
    let pct = |p: f64| sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)].as_secs_f64() * 1e3;
    format!(
        "duration={elapsed:.1}s requests={} rate={:.0}/s p50={:.2}ms p99={:.2}ms",
        sorted.len(),
        sorted.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99)
    )
}
