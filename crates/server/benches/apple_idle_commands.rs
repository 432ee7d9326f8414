//! Benchmark (prints figures; not a test): idle Apple command-endpoint requests per second for
//! N enrolled devices against a real server (HTTPS with each device's client certificate,
//! embedded SQLite by default; PINRESET_BENCH_DATABASE_URL=postgres://… for PostgreSQL). Each
//! request is a device's `Idle` with nothing queued for it — what every push or poll causes.
//!
//!   cargo bench -p pinreset-server --bench apple_idle_commands -- [devices] [seconds]

use pinreset_server::clock::SystemClock;
use pinreset_server::ServeOptions;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn arg(i: usize, default: u64) -> u64 {
    std::env::args().filter(|a| !a.starts_with('-')).nth(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn plist(entries: &str) -> Vec<u8> {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><dict>{entries}</dict></plist>").into_bytes()
}

#[path = "support/load.rs"]
mod load;

#[tokio::main]
async fn main() {
    // One connection per device: each presents its own client certificate.
    let (devices, seconds) = (arg(1, 50), arg(2, 10));
    let dir = tempfile::tempdir().unwrap();
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.demo = true;
    opts.database_url = std::env::var("PINRESET_BENCH_DATABASE_URL").ok();
    let server = pinreset_server::start(opts, Arc::new(SystemClock)).await.expect("server starts");
    let tenant = server.state.store.list_tenants().await.unwrap().pop().unwrap();
    let (alice, _) = server.state.store.user_by_login(tenant.id, "alice").await.unwrap().unwrap();
    let ca = std::fs::read(server.ca_pem.as_ref().unwrap()).unwrap();
    let base = server.base_url();

    eprintln!("enrolling {devices} devices…");
    let mut clients = Vec::new();
    for i in 0..devices {
        let id = pinreset_server::channels::apple::enrollment::issue_identity(&server.state, &alice).await.unwrap();
        let pem = format!("{}{}", id.cert_pem, id.key_pem.expose());
        let udid = format!("BENCH{i:08}");
        let authenticate = plist(&format!(
            "<key>MessageType</key><string>Authenticate</string><key>UDID</key><string>{udid}</string>\
             <key>Topic</key><string>com.apple.mgmt.External.bench</string><key>ProductName</key><string>iPhone15,4</string>"
        ));
        // Until TLS trusts the freshly created device CA, a connection carries no certificate.
        let client = loop {
            let c = reqwest::Client::builder()
                .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
                .identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap())
                .build()
                .unwrap();
            let r = c
                .put(format!("{base}/mdm/apple/checkin"))
                .header("content-type", "application/x-apple-aspen-mdm-checkin")
                .body(authenticate.clone())
                .send()
                .await
                .unwrap();
            if r.status().is_success() {
                break c;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        clients.push((client, plist(&format!("<key>UDID</key><string>{udid}</string><key>Status</key><string>Idle</string>"))));
    }

    let url = format!("{base}/mdm/apple/connect");
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (client, idle) in clients {
        let (url, stop) = (url.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let r = client.put(&url).header("content-type", "application/xml").body(idle.clone()).send().await.unwrap();
                assert!(r.status().is_success());
                let _ = r.bytes().await.unwrap();
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let (all, elapsed) = load::measure(stop, tasks, seconds).await;
    println!(
        "apple idle command requests: backend={} devices={devices} connections={devices} {}",
        server.state.store.backend(),
        load::summary(&all, elapsed)
    );
    server.shutdown().await;
}
