//! Benchmark (prints figures; not a test): idle OMA-DM management sessions per second for N
//! enrolled Windows devices against a real server (HTTPS, embedded SQLite by default; set
//! PINRESET_BENCH_DATABASE_URL=postgres://… for PostgreSQL). Each request is a device's first
//! package with its MD5 credentials and nothing queued for it — the poll every enrolled device
//! makes, and the server's hot path.
//!
//!   cargo bench -p pinreset-server --bench windows_idle_sessions -- [devices] [connections] [seconds]

use pinreset_server::clock::SystemClock;
use pinreset_server::ServeOptions;
use pinreset_windows::syncml::auth::md5_digest;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "../tests/support/windows_device.rs"]
mod windows_device;

fn arg(i: usize, default: u64) -> u64 {
    std::env::args().filter(|a| !a.starts_with('-')).nth(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let (devices, connections, seconds) = (arg(1, 200), arg(2, 50), arg(3, 10));
    let dir = tempfile::tempdir().unwrap();
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.demo = true;
    opts.database_url = std::env::var("PINRESET_BENCH_DATABASE_URL").ok();
    let server = pinreset_server::start(opts, Arc::new(SystemClock)).await.expect("server starts");
    windows_device::contoso_user(server.state.store.as_ref()).await;
    let ca = std::fs::read(server.ca_pem.as_ref().unwrap()).unwrap();
    let http = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .pool_max_idle_per_host(connections as usize)
        .build()
        .unwrap();
    let base = server.base_url();

    eprintln!("enrolling {devices} devices…");
    let mut enrolled = Vec::new();
    for i in 0..devices {
        enrolled.push(windows_device::enroll_w10m(&http, &base, &format!("BENCH-{i:06}")).await);
    }
    // Pre-compute each device's message: the benchmark measures the server, not the client.
    let messages: Arc<Vec<String>> = Arc::new(
        enrolled
            .iter()
            .enumerate()
            .map(|(i, d)| {
                windows_device::device_message(
                    &d.name,
                    &format!("s{i}"),
                    1,
                    Some(md5_digest(&d.name, &d.secret, &d.nonce)),
                    windows_device::FIRST_PACKAGE,
                )
            })
            .collect(),
    );

    let url = format!("{base}/ManagementServer/MDM.svc");
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (http, url, messages, stop, count) = (http.clone(), url.clone(), messages.clone(), stop.clone(), count.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = c as usize;
            while !stop.load(Ordering::Relaxed) {
                let body = messages[i % messages.len()].clone();
                i += connections as usize;
                let t = Instant::now();
                let r = http.post(&url).header("content-type", "application/vnd.syncml.dm+xml").body(body).send().await.unwrap();
                assert!(r.status().is_success());
                let text = r.text().await.unwrap();
                debug_assert!(text.contains("<Data>212</Data>"));
                latencies.push(t.elapsed());
                count.fetch_add(1, Ordering::Relaxed);
            }
            latencies
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    println!(
        "windows idle sessions: backend={} devices={devices} connections={connections} duration={elapsed:.1}s sessions={} rate={:.0}/s p50={:.2}ms p99={:.2}ms",
        server.state.store.backend(),
        all.len(),
        count.load(Ordering::Relaxed) as f64 / elapsed,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
    );
    server.shutdown().await;
}
