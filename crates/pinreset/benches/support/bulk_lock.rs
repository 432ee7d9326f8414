#![allow(dead_code)] // the benchmark prints every figure, the test asserts on some
//! A building's worth of phones locked at once, as the `bulk_fleet` benchmark measures it and
//! the 10,000-device scale test checks it: N simulated devices enroll over the real protocols
//! against `pinreset serve` in its own process (the iPhones woken through a stand-in APNs in
//! this process, the Windows phones running an OMA-DM session every few seconds), then one bulk
//! lock over all of them, followed until every action is terminal.
//!
//! It fails (panics) when a lock is not verified on its device or a device received a command
//! twice; what it returns is what the caller prints.

use pinreset_sim::fleet::{Fleet, FleetSpec};
use std::time::{Duration, Instant};

pub struct BulkLockPlan {
    pub devices: usize,
    /// Windows 10 Mobile phones among them, in percent (the rest are iPhones).
    pub windows_share: usize,
    /// Seconds between a Windows phone's OMA-DM sessions.
    pub windows_poll_secs: u64,
    /// Give up (panic) when any phase takes longer.
    pub phase_limit: Duration,
}

pub struct BulkLockRun {
    pub apple: usize,
    pub windows: usize,
    pub backend: &'static str,
    pub enrolled_in: Duration,
    /// From the last enrollment until every device's inventory (its name) reached the server.
    pub inventoried_in: Duration,
    /// From the bulk request until every action was terminal.
    pub wall: Duration,
    /// The server process's CPU time over `wall`.
    pub server_cpu: f64,
    /// The job's final progress counters.
    pub progress: serde_json::Value,
    /// Devices the fleet saw receive a command.
    pub devices_commanded: usize,
    /// Request → the device's acknowledgement recorded, one per succeeded action, sorted.
    pub times: Vec<Duration>,
}

pub async fn run(plan: BulkLockPlan) -> BulkLockRun {
    let devices = plan.devices;
    let windows = devices * plan.windows_share.min(100) / 100;
    let apple = devices - windows;
    let dir = tempfile::tempdir().unwrap();
    let (demo, apns) = super::push::serve_with_apns(dir.path()).await;
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
        interval: Duration::from_secs(plan.windows_poll_secs),
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
    let enrolled_in = enrolling.elapsed();
    eprintln!("enrolled in {enrolled_in:.0?}");
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(async move {
        let report = fleet.run(Some(apns), stop).await;
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
        assert!(settling.elapsed() < plan.phase_limit, "the fleet's inventory did not settle: {page}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let inventoried_in = settling.elapsed();
    eprintln!("every device inventoried {:.0}s after enrollment", inventoried_in.as_secs_f64());

    let pid = demo.server.0.id();
    let cpu_before = super::process::cpu_seconds(pid);
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
        assert!(locking.elapsed() < plan.phase_limit, "the bulk lock did not finish: {}", now["progress"]);
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let wall = locking.elapsed();
    let server_cpu = super::process::cpu_seconds(pid) - cpu_before;
    let _ = stop_tx.send(true);
    let (fleet, report) = running.await.unwrap();
    let progress = last["progress"].clone();
    assert_eq!(progress["succeeded"].as_u64(), Some(devices as u64), "every lock verified on its device: {progress}");
    let duplicates = &report.tally.duplicates;
    assert!(duplicates.is_empty(), "commands received twice: {:?}", &duplicates[..duplicates.len().min(5)]);
    let verified = fleet.time_to_verified().await.expect("the actions read back");
    BulkLockRun {
        apple,
        windows,
        backend: demo.backend(),
        enrolled_in,
        inventoried_in,
        wall,
        server_cpu,
        progress,
        devices_commanded: report.tally.devices_commanded,
        times: verified.times,
    }
}
