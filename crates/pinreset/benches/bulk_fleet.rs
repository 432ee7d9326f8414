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

use pinreset_sim::fleet::{percentile, Fleet, FleetSpec};
use std::time::{Duration, Instant};

#[path = "support/process.rs"]
mod process;
use process::{arg, cpu_seconds};
#[path = "support/push.rs"]
mod push;

#[tokio::main]
async fn main() {
    let (devices, windows_share, poll_secs) = (arg(1, 10_000) as usize, arg(2, 10) as usize, arg(3, 5));
    let windows = devices * windows_share.min(100) / 100;
    let apple = devices - windows;
    let dir = tempfile::tempdir().unwrap();
    let (demo, apns) = push::serve_with_apns(dir.path()).await;
    let data = dir.path().join("data");
    let (api, base, token) = (demo.api(), format!("{}/api/v1", demo.base_url()), demo.token.clone());
    let creds: serde_json::Value = serde_json::from_slice(&std::fs::read(data.join("demo-credentials.json")).unwrap()).unwrap();
    let alice = creds["users"].as_array().unwrap().iter().find(|u| u["login"] == "alice").unwrap();
    let spec = FleetSpec {
        server: demo.base_url(),
        ca_pem: demo.ca.clone(),
        token: Some(token.clone()),
        apple,
        windows,
        android: 0,
        login: "alice".into(),
        windows_email: alice["email"].as_str().unwrap().into(),
        windows_password: alice["password"].as_str().unwrap().into(),
        concurrency: 32,
        interval: Duration::from_secs(poll_secs),
    };
    eprintln!("enrolling {apple} iPhones and {windows} Windows phones ({})…", demo.backend());
    let enrolling = Instant::now();
    let mut fleet = Fleet::enroll(spec, |n| {
        if n % 1000 == 0 {
            eprintln!("  {n} enrolled");
        }
    })
    .await
    .expect("the fleet enrolls");
    eprintln!("enrolled in {:.0?}", enrolling.elapsed());
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let apns_for_fleet = apns.clone();
    let running = tokio::spawn(async move {
        let report = fleet.run(Some(apns_for_fleet), stop).await;
        (fleet, report)
    });
    // The lock selects the fleet by name, which a device record carries once the device has
    // answered its first inventory: wait until every one has.
    let settling = Instant::now();
    loop {
        let page: serde_json::Value =
            api.get(format!("{base}/devices?search=Fleet%20&limit=1")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        if page["total"].as_u64() == Some(devices as u64) {
            break;
        }
        assert!(settling.elapsed() < Duration::from_secs(600), "the fleet's inventory did not settle: {page}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    eprintln!("every device inventoried {:.0}s after enrollment", settling.elapsed().as_secs_f64());

    let pid = demo.server.0.id();
    let cpu_before = cpu_seconds(pid);
    let locking = Instant::now();
    let r = api
        .post(format!("{base}/actions/bulk"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"action": "remote-lock", "filter": {"search": "Fleet "}}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "the bulk lock starts: {}", r.status());
    let job: serde_json::Value = r.json().await.unwrap();
    let id = job["job"]["id"].as_str().unwrap().to_string();
    assert_eq!(job["job"]["total"].as_u64(), Some(devices as u64), "{job}");
    let last = loop {
        let now: serde_json::Value =
            api.get(format!("{base}/actions/bulk/{id}")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        if now["progress"]["done"] == true {
            break now;
        }
        assert!(locking.elapsed() < Duration::from_secs(900), "the bulk lock did not finish: {}", now["progress"]);
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let wall = locking.elapsed();
    let cpu = cpu_seconds(pid) - cpu_before;
    let _ = stop_tx.send(true);
    let (fleet, report) = running.await.unwrap();
    let p = &last["progress"];
    assert_eq!(p["succeeded"].as_u64(), Some(devices as u64), "every lock verified: {p}");
    assert!(
        report.tally.duplicates.is_empty(),
        "commands received twice: {:?}",
        &report.tally.duplicates[..report.tally.duplicates.len().min(5)]
    );
    let verified = fleet.time_to_verified().await.expect("the actions read back");
    let times = &verified.times;
    let ms = |p: f64| percentile(times, p).unwrap_or_default().as_secs_f64() * 1000.0;
    println!(
        "bulk lock of {devices} devices ({apple} iPhones woken through APNs, {windows} Windows phones polling every {poll_secs} s; {}, {}): \
         every action verified {:.1} s after the request; server CPU {cpu:.1} s",
        demo.backend(),
        if cfg!(debug_assertions) { "debug build" } else { "release build" },
        wall.as_secs_f64(),
    );
    println!(
        "  time-to-verified over {} actions: p50 {:.0} ms  p95 {:.0} ms  p99 {:.0} ms  max {:.0} ms",
        times.len(),
        ms(50.0),
        ms(95.0),
        ms(99.0),
        ms(100.0),
    );
}
