//! Issue 14: a building's worth of phones on one instance with embedded SQLite — 10,000
//! simulated devices (nine in ten iPhones woken through a stand-in APNs, one in ten Windows 10
//! Mobile phones polling over OMA-DM), one bulk lock over all of them, and every lock verified
//! on its device with no device receiving it twice. It is the `bulk_fleet` benchmark's run (the
//! same code, `benches/support/bulk_lock.rs`), asserted here in the test build; the benchmark
//! prints the release build's figures. `PINRESET_SCALE_FLEET_DEVICES` sizes the fleet.

#[path = "../../benches/support/bulk_lock.rs"]
mod bulk_lock;
#[path = "../../benches/support/process.rs"]
mod process;
#[path = "../../benches/support/push.rs"]
mod push;

use pinreset_sim::fleet::percentile;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scale_ten_thousand_devices_on_one_sqlite_instance_are_all_locked_by_one_bulk_job() {
    let devices = super::env_count("PINRESET_SCALE_FLEET_DEVICES", 10_000);
    let plan = bulk_lock::BulkLockPlan { devices, windows_share: 10, windows_poll_secs: 10, phase_limit: Duration::from_secs(600) };
    let run = bulk_lock::run(plan).await;
    assert_eq!(run.backend, "SQLite");
    let p = &run.progress;
    assert_eq!(p["queued"].as_u64(), Some(devices as u64), "one lock queued per device, none refused or deduplicated: {p}");
    assert_eq!(p["pending"].as_u64(), Some(0), "{p}");
    assert_eq!(run.devices_commanded, devices, "every device received its lock");
    assert_eq!(run.times.len(), devices, "every device's lock has a time from request to verified");
    let ms = |q: f64| percentile(&run.times, q).unwrap_or_default().as_millis();
    eprintln!(
        "scale: {} iPhones and {} Windows phones enrolled in {:.0} s, inventoried {:.0} s later; \
         the bulk lock verified on every device {:.1} s after the request (server CPU {:.0} s); \
         time to verified p50 {} ms, p95 {} ms, p99 {} ms",
        run.apple,
        run.windows,
        run.enrolled_in.as_secs_f64(),
        run.inventoried_in.as_secs_f64(),
        run.wall.as_secs_f64(),
        run.server_cpu,
        ms(50.0),
        ms(95.0),
        ms(99.0),
    );
}
