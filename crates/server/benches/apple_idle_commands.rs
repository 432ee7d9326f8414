//! Benchmark (prints figures; not a test): idle Apple command-endpoint requests per second for
//! N enrolled simulated devices against a real server (embedded SQLite by default;
//! PINRESET_BENCH_DATABASE_URL=postgres://… for PostgreSQL). Each device is the Apple simulator:
//! it installs a profile downloaded from the API, enrolls, answers the inventory query, and then
//! polls — an `Idle` with nothing queued for it, what every push or poll causes. Devices present
//! their identity in TLS, or with PINRESET_BENCH_SIGNED=1 sign every message (Mdm-Signature).
//!
//!   cargo bench -p pinreset-server --bench apple_idle_commands -- [devices] [seconds]

use pinreset_server::clock::SystemClock;
use pinreset_server::ServeOptions;
use pinreset_sim::apple::{AppleDevice, AppleKind, Transport};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

fn arg(i: usize, default: u64) -> u64 {
    std::env::args().filter(|a| !a.starts_with('-')).nth(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

#[path = "support/load.rs"]
mod load;

#[tokio::main]
async fn main() {
    // One connection per device: each presents its own client certificate.
    let (devices, seconds) = (arg(1, 50), arg(2, 10));
    let transport =
        if std::env::var("PINRESET_BENCH_SIGNED").is_ok_and(|v| v == "1") { Transport::MdmSignature } else { Transport::TlsClientCert };
    let dir = tempfile::tempdir().unwrap();
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.demo = true;
    opts.database_url = std::env::var("PINRESET_BENCH_DATABASE_URL").ok();
    let server = pinreset_server::start(opts, Arc::new(SystemClock)).await.expect("server starts");
    let creds: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let ca = std::fs::read_to_string(server.ca_pem.as_ref().unwrap()).unwrap();
    let admin = reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).unwrap()).build().unwrap();

    eprintln!("enrolling {devices} simulated iPhones ({transport:?})…");
    let mut fleet = Vec::new();
    for _ in 0..devices {
        let profile = admin
            .post(format!("{}/api/v1/enrollment/apple/profiles", server.base_url()))
            .bearer_auth(creds["admin_token"].as_str().unwrap())
            .json(&serde_json::json!({"login": "alice"}))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let mut device = AppleDevice::install(&profile, &ca, AppleKind::Iphone17, transport).unwrap();
        device.enroll().await.unwrap();
        assert_eq!(device.poll().await.unwrap().len(), 1, "the inventory query, once");
        fleet.push(device);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for mut device in fleet {
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                assert!(device.poll().await.unwrap().is_empty(), "nothing is queued");
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let (all, elapsed) = load::measure(stop, tasks, seconds).await;
    println!(
        "apple idle command requests: backend={} devices={devices} identity={transport:?} {}",
        server.state.store.backend(),
        load::summary(&all, elapsed)
    );
    server.shutdown().await;
}
