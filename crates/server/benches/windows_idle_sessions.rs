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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

#[path = "../tests/support/windows_device.rs"]
mod windows_device;

fn arg(i: usize, default: u64) -> u64 {
    std::env::args().filter(|a| !a.starts_with('-')).nth(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

#[path = "support/load.rs"]
mod load;

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
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (http, url, messages, stop) = (http.clone(), url.clone(), messages.clone(), stop.clone());
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
            }
            latencies
        }));
    }
    let (all, elapsed) = load::measure(stop, tasks, seconds).await;
    println!(
        "windows idle sessions: backend={} devices={devices} connections={connections} {}",
        server.state.store.backend(),
        load::summary(&all, elapsed)
    );
    server.shutdown().await;
}
