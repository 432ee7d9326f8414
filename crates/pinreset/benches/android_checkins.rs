//! Benchmark (prints figures; not a test): idle check-ins per second of N simulated Android
//! agents (`pinreset_sim::android`, each its own TLS connection with its client certificate)
//! against `pinreset serve` in its own process (embedded SQLite by default;
//! PINRESET_BENCH_DATABASE_URL=postgres://… on an empty database for PostgreSQL). Each agent
//! enrolls with a one-time token from the API, escrows its reset token, confirms its credential
//! so the token is active, and then checks in as fast as the server answers: the JSON report
//! (API level, patch, mode, passcode, token state) with nothing to change — what a fleet's
//! periodic check-ins cost.
//!
//!   cargo bench -p pinreset --bench android_checkins -- [devices] [seconds]

use std::time::{Duration, Instant};

#[path = "support/process.rs"]
mod process;
use process::{arg, cpu_seconds, serve_demo};
#[path = "support/agents.rs"]
mod agents;
use agents::enroll_android_fleet;

#[tokio::main]
async fn main() {
    let (devices, seconds) = (arg(1, 200) as usize, arg(2, 10));
    let dir = tempfile::tempdir().unwrap();
    let demo = serve_demo(dir.path(), &[]).await;
    eprintln!("enrolling {devices} simulated Android 14 agents ({})…", demo.backend());
    let enrolling = Instant::now();
    let fleet = enroll_android_fleet(&demo, devices).await;
    eprintln!("enrolled in {:.0?}; checking in for {seconds} s…", enrolling.elapsed());

    let pid = demo.server.0.id();
    let cpu_before = cpu_seconds(pid);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for mut agent in fleet {
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                agent.check_in().await.expect("an idle check-in is answered");
                latencies.push(t.elapsed());
            }
            latencies
        });
    }
    let mut latencies: Vec<Duration> = tasks.join_all().await.into_iter().flatten().collect();
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds(pid) - cpu_before;
    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
    println!(
        "{} agents, {} ({}): {} idle check-ins in {elapsed:.1} s = {:.0}/s; p50 {:.2} ms, p99 {:.2} ms; server CPU {cpu:.1} s ({:.0}% of one core)",
        devices,
        demo.backend(),
        if cfg!(debug_assertions) { "debug build" } else { "release build" },
        latencies.len(),
        latencies.len() as f64 / elapsed,
        at(0.5),
        at(0.99),
        100.0 * cpu / elapsed,
    );
}
