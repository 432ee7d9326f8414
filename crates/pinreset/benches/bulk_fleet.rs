//! Benchmark (prints figures; not a test): a building's worth of phones locked at once. N
//! simulated devices (default 10,000: nine in ten iPhones, one in ten Windows 10 Mobile phones)
//! enroll over the real protocols against `pinreset serve` running as its own process (embedded
//! SQLite by default; PINRESET_BENCH_DATABASE_URL=postgres://… on an empty database for
//! PostgreSQL), with the tenant's push certificate and a stand-in APNs in this process that
//! wakes the iPhones; the Windows phones run an OMA-DM session every few seconds. Then one bulk
//! lock (`POST /api/v1/actions/bulk` over every fleet device) and the fleet answers: printed are
//! the wall time from the request until every action is verified on its device, and the
//! time-to-verified distribution of the actions (request → the device's acknowledgement
//! recorded). The fleet counts the commands each device received: a duplicate fails the run.
//!
//!   cargo bench -p pinreset --bench bulk_fleet -- [devices] [windows share in %] [windows poll seconds]

use pinreset_sim::fleet::percentile;
use std::time::Duration;

#[path = "support/bulk_lock.rs"]
mod bulk_lock;
#[path = "support/process.rs"]
mod process;
use process::arg;
#[path = "support/push.rs"]
mod push;

#[tokio::main]
async fn main() {
    let (devices, windows_share, poll_secs) = (arg(1, 10_000) as usize, arg(2, 10) as usize, arg(3, 5));
    let plan = bulk_lock::BulkLockPlan { devices, windows_share, windows_poll_secs: poll_secs, phase_limit: Duration::from_secs(900) };
    let run = bulk_lock::run(plan).await;
    let ms = |p: f64| percentile(&run.times, p).unwrap_or_default().as_secs_f64() * 1000.0;
    println!(
        "bulk lock of {devices} devices ({} iPhones woken through APNs, {} Windows phones polling every {poll_secs} s; {}, {}): \
         every action verified {:.1} s after the request; server CPU {:.1} s",
        run.apple,
        run.windows,
        run.backend,
        if cfg!(debug_assertions) { "debug build" } else { "release build" },
        run.wall.as_secs_f64(),
        run.server_cpu,
    );
    println!(
        "  time-to-verified over {} actions: p50 {:.0} ms  p95 {:.0} ms  p99 {:.0} ms  max {:.0} ms",
        run.times.len(),
        ms(50.0),
        ms(95.0),
        ms(99.0),
        ms(100.0),
    );
}
