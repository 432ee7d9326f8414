//! Benchmark (prints figures; not a test): idle OMA-DM management sessions per second for N
//! enrolled Windows devices against a real server (HTTPS, embedded SQLite by default; set
//! PINRESET_BENCH_DATABASE_URL=postgres://… for PostgreSQL). Each request is a device's first
//! package with nothing queued for it — the poll every enrolled device makes, and the server's
//! hot path. Every message must prove the device, as on a real fleet:
//! - default: the device's certificate, passed by a TLS-terminating proxy in `X-Client-Cert`
//!   (DESIGN.md measures "identity in a proxy header");
//! - PINRESET_BENCH_MD5=1: MD5 `Cred` over the device's current nonce, which the server spends
//!   and replaces (NextNonce) — each device's sessions run one after another, as a real device's.
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

const CERT_HEADER: &str = "X-Client-Cert";

/// A device as one benchmark connection drives it.
struct Device {
    name: String,
    secret: String,
    nonce: Vec<u8>,
    /// Its certificate as nginx's `$ssl_client_escaped_cert` passes it.
    cert_header: String,
}

fn cert_header(identity_pem: &str) -> String {
    let end = "-----END CERTIFICATE-----";
    let cert = &identity_pem[..identity_pem.find(end).unwrap() + end.len()];
    percent_encoding::utf8_percent_encode(cert, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The NextNonce of the server's SyncHdr Status (the bench reads it without a full parse).
fn next_nonce(reply: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let open = reply.find("<NextNonce")?;
    let start = open + reply[open..].find('>')? + 1;
    let end = start + reply[start..].find("</NextNonce>")?;
    base64::engine::general_purpose::STANDARD.decode(reply[start..end].trim()).ok()
}

#[tokio::main]
async fn main() {
    let (devices, connections, seconds) = (arg(1, 200), arg(2, 50), arg(3, 10));
    let dir = tempfile::tempdir().unwrap();
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.demo = true;
    opts.database_url = std::env::var("PINRESET_BENCH_DATABASE_URL").ok();
    opts.client_cert_header = Some(CERT_HEADER.into());
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
    let md5 = std::env::var_os("PINRESET_BENCH_MD5").is_some();
    let url = format!("{base}/ManagementServer/MDM.svc");
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for c in 0..connections {
        // Each connection owns its devices, so one device's sessions never overlap.
        let mine: Vec<Device> = enrolled
            .iter()
            .enumerate()
            .filter(|(i, _)| *i as u64 % connections == c)
            .map(|(_, d)| Device {
                name: d.name.clone(),
                secret: d.secret.clone(),
                nonce: d.nonce.clone(),
                cert_header: cert_header(&d.identity_pem),
            })
            .collect();
        let (http, url, stop) = (http.clone(), url.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut mine = mine;
            let mut latencies = Vec::new();
            let mut session = 0u64;
            while !stop.load(Ordering::Relaxed) && !mine.is_empty() {
                let n = mine.len();
                let d = &mut mine[session as usize % n];
                session += 1;
                let cred = md5.then(|| md5_digest(&d.name, &d.secret, &d.nonce));
                let body = windows_device::device_message(&d.name, &format!("{c}-{session}"), 1, cred, windows_device::FIRST_PACKAGE);
                let mut req = http.post(&url).header("content-type", "application/vnd.syncml.dm+xml");
                if !md5 {
                    req = req.header(CERT_HEADER, &d.cert_header);
                }
                let t = Instant::now();
                let r = req.body(body).send().await.unwrap();
                assert!(r.status().is_success());
                let text = r.text().await.unwrap();
                latencies.push(t.elapsed());
                if md5 {
                    assert!(text.contains("<Data>212</Data>"), "refused: {text}");
                    d.nonce = next_nonce(&text).expect("the server sends the next nonce");
                } else {
                    debug_assert!(text.contains("<Data>200</Data>"), "refused: {text}");
                }
            }
            latencies
        }));
    }
    let (all, elapsed) = load::measure(stop, tasks, seconds).await;
    println!(
        "windows idle sessions: backend={} proof={} devices={devices} connections={connections} {}",
        server.state.store.backend(),
        if md5 { "md5-cred" } else { "certificate-in-proxy-header" },
        load::summary(&all, elapsed)
    );
    server.shutdown().await;
}
