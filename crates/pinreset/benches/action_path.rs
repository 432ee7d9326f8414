//! Benchmark (prints figures; not a test): the action path — queue, push, deliver, acknowledge —
//! for N simulated iPhones (default 1,000) against `pinreset serve` running as its own process
//! (embedded SQLite by default; PINRESET_BENCH_DATABASE_URL=postgres://… on an empty database
//! for PostgreSQL). The tenant has an MDM push certificate; pushes go to a stand-in APNs in this
//! process that wakes the simulated devices. Devices enroll over the real protocol (profile from
//! the API, Authenticate, TokenUpdate, DeviceInformation) and present their identity in TLS.
//!
//!   cargo bench -p pinreset --bench action_path -- [devices] [rounds]
//!
//! Each round locks every device through `POST /api/v1/devices/{id}/actions/remote-lock`
//! (CLIENTS concurrent admin requests). In a *phased* round the devices hold back until every
//! action is queued, then all poll at once: (a) actions queued/s, (b) commands delivered and
//! acknowledged/s. The last round is *live*: each device polls as soon as its push arrives, as
//! a real fleet does, giving (c) time-to-verified (request sent → the device has its answer to
//! the acknowledgement, by which the action is Succeeded). After every round each action is
//! read back (it must be Succeeded) and each device must have been pushed exactly once.
//! PINRESET_BENCH_BIN=path runs that `pinreset` binary as the server instead of this build's.
//! (d) is the server's CPU time (utime + stime from /proc) in the 5 s after the last answer.
//! Before the rounds, every device makes two idle requests at once: the rate of those pairs is
//! the ceiling for (b) on this machine, the same HTTPS round trips with nothing to write; and
//! the admin clients read every device once through the API, the ceiling for (a).

use pinreset_sim::apple::{AppleDevice, AppleKind, Transport};

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch, Semaphore};

/// Concurrent admin API clients while queuing.
const CLIENTS: usize = 32;
/// Enrollments in flight at once.
const ENROLLING: usize = 8;

#[path = "support/process.rs"]
mod process;
use process::{arg, cpu_seconds, cpu_seconds_of};
#[path = "support/push.rs"]
mod push;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let p = |q: f64| ms(samples[((samples.len() as f64 - 1.0) * q).round() as usize]);
    format!("p50 {:.0} ms  p95 {:.0} ms  p99 {:.0} ms  max {:.0} ms", p(0.5), p(0.95), p(0.99), p(1.0))
}

/// What a device reports after answering a round.
struct Done {
    device: usize,
    round: u32,
    at: Instant,
    acknowledged_locks: usize,
}

/// Every device id handed out to CLIENTS concurrent tasks, each taking the next one free; what
/// `each` returned for each (index, id), in no particular order.
async fn by_clients<T, F, Fut>(ids: &Arc<Vec<String>>, each: F) -> Vec<T>
where
    F: Fn(usize, String) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = T> + Send,
    T: Send + 'static,
{
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..CLIENTS {
        let (ids, next, each) = (ids.clone(), next.clone(), each.clone());
        clients.spawn(async move {
            let mut out = vec![];
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(id) = ids.get(i) else { return out };
                out.push(each(i, id.clone()).await);
            }
        });
    }
    clients.join_all().await.into_iter().flatten().collect()
}

#[tokio::main]
async fn main() {
    let (devices, rounds) = (arg(1, 1000) as usize, arg(2, 3).max(1) as u32);
    let dir = tempfile::tempdir().unwrap();
    let (demo, apns) = push::serve_with_apns(dir.path()).await;
    let pid = demo.server.0.id();
    let (token, ca, api) = (demo.token.clone(), demo.ca.clone(), demo.api());
    let base = format!("{}/api/v1", demo.base_url());
    let backend = demo.backend();

    eprintln!("enrolling {devices} simulated iPhones ({backend})…");
    let enrolling = Instant::now();
    let enroll = |api: reqwest::Client, base: String, token: String, ca: String| async move {
        let profile = api
            .post(format!("{base}/enrollment/apple/profiles"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"login": "alice"}))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let mut device = AppleDevice::install(&profile, &ca, AppleKind::Iphone17, Transport::TlsClientCert).unwrap();
        // The first profile creates the tenant's device CA; TLS trusts it a moment later.
        let mut tries = 0;
        while let Err(e) = device.enroll().await {
            tries += 1;
            assert!(tries < 50, "enrollment keeps failing: {e}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert_eq!(device.poll().await.unwrap().len(), 1, "the inventory query, once");
        device
    };
    let mut fleet = vec![enroll(api.clone(), base.clone(), token.clone(), ca.clone()).await];
    let gate = Arc::new(Semaphore::new(ENROLLING));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 1..devices {
        let (gate, fut) = (gate.clone(), enroll(api.clone(), base.clone(), token.clone(), ca.clone()));
        tasks.spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            (i, fut.await)
        });
    }
    let mut rest: Vec<(usize, AppleDevice)> = tasks.join_all().await;
    rest.sort_by_key(|(i, _)| *i);
    fleet.extend(rest.into_iter().map(|(_, d)| d));
    eprintln!("enrolled in {:.0?}", enrolling.elapsed());

    // The server's id of each simulated device, by serial number.
    let mut ids = std::collections::HashMap::new();
    let mut offset = 0;
    loop {
        let page: serde_json::Value = api
            .get(format!("{base}/devices?platform=ios&limit=500&offset={offset}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        for d in items {
            if let Some(serial) = d["serial_number"].as_str() {
                ids.insert(serial.to_string(), d["id"].as_str().unwrap().to_string());
            }
        }
        if items.len() < 500 {
            break;
        }
        offset += 500;
    }
    let device_ids: Arc<Vec<String>> = Arc::new(fleet.iter().map(|d| ids[&d.serial].clone()).collect());
    let tokens: Vec<String> = fleet.iter().map(|d| d.push_token_hex()).collect();

    // Each device first makes the two requests of a command round trip with nothing queued (the
    // ceiling), then, each round, waits for its push, then for the round's gate, then polls and
    // answers.
    let (idle_go, idle_gate) = watch::channel(false);
    let (release, released) = watch::channel(0u32);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Done>();
    for (i, mut device) in fleet.into_iter().enumerate() {
        let signal = apns.signal(&device.push_token_hex());
        let (mut released, done_tx, mut idle_gate) = (released.clone(), done_tx.clone(), idle_gate.clone());
        tokio::spawn(async move {
            idle_gate.wait_for(|go| *go).await.unwrap();
            for _ in 0..2 {
                assert!(device.poll().await.expect("the device polls").is_empty(), "nothing is queued yet");
            }
            let _ = done_tx.send(Done { device: i, round: 0, at: Instant::now(), acknowledged_locks: 0 });
            for round in 1..=rounds {
                signal.notified().await;
                released.wait_for(|r| *r >= round).await.unwrap();
                let answered = device.poll().await.expect("the device polls");
                let acknowledged_locks = answered.iter().filter(|a| a.request_type == "DeviceLock" && a.status == "Acknowledged").count();
                let _ = done_tx.send(Done { device: i, round, at: Instant::now(), acknowledged_locks });
            }
        });
    }
    drop(done_tx);

    println!("action path: backend={backend} devices={devices} rounds={rounds} clients={CLIENTS}");
    // The ceiling for (b) on this machine: the same two requests per device, answered from
    // memory with nothing to write (HTTPS, plist, identity; the devices on the same cores).
    let cpu_before = cpu_seconds(pid);
    let own_before = cpu_seconds_of("/proc/self/stat");
    let idle_from = Instant::now();
    idle_go.send_replace(true);
    for _ in 0..devices {
        let d = tokio::time::timeout(Duration::from_secs(120), done_rx.recv()).await.expect("idle polls answer").expect("devices run");
        assert_eq!(d.round, 0);
    }
    let idle_in = idle_from.elapsed();
    println!(
        "ceiling: {devices} devices × 2 idle requests in {:.2} s = {:.0} round trips/s, nothing to write (server CPU {:.1} s, \
         load generator {:.1} s)",
        idle_in.as_secs_f64(),
        devices as f64 / idle_in.as_secs_f64(),
        cpu_seconds(pid) - cpu_before,
        cpu_seconds_of("/proc/self/stat") - own_before
    );
    // The ceiling for (a): as many authenticated API requests by the same clients, each reading
    // one device and writing nothing.
    let cpu_before = cpu_seconds(pid);
    let reading = Instant::now();
    let (a, b, t) = (api.clone(), base.clone(), token.clone());
    by_clients(&device_ids, move |_, id| {
        let (api, base, token) = (a.clone(), b.clone(), t.clone());
        async move {
            let r = api.get(format!("{base}/devices/{id}")).bearer_auth(&token).send().await.unwrap();
            assert!(r.status().is_success(), "reading a device answered {}", r.status());
            r.bytes().await.unwrap();
        }
    })
    .await;
    let read_in = reading.elapsed();
    println!(
        "ceiling: {devices} device reads through the API in {:.2} s = {:.0} requests/s, nothing to write (server CPU {:.1} s)",
        read_in.as_secs_f64(),
        devices as f64 / read_in.as_secs_f64(),
        cpu_seconds(pid) - cpu_before
    );
    let mut last_answer = Instant::now();
    for round in 1..=rounds {
        let live = round == rounds;
        if live {
            release.send_replace(round);
        }
        let cpu_before = cpu_seconds(pid);
        // The load generator shares the machine: its own CPU is printed beside the server's.
        let own_before = cpu_seconds_of("/proc/self/stat");
        let queuing = Instant::now();
        let (a, b, t) = (api.clone(), base.clone(), token.clone());
        let sent = by_clients(&device_ids, move |i, id| {
            let (api, base, token) = (a.clone(), b.clone(), t.clone());
            async move {
                let t = Instant::now();
                let r = api.post(format!("{base}/devices/{id}/actions/remote-lock")).bearer_auth(&token).send().await.unwrap();
                let status = r.status();
                let body: serde_json::Value = r.json().await.unwrap();
                assert!(status.is_success(), "queuing answered {status}: {body}");
                (i, t, body["id"].as_str().unwrap().to_string())
            }
        })
        .await;
        let mut requested = vec![(queuing, String::new()); devices];
        for (i, t, action) in sent {
            requested[i] = (t, action);
        }
        let queued_in = queuing.elapsed();
        let cpu_queue = cpu_seconds(pid) - cpu_before;

        let delivering = Instant::now();
        release.send_replace(round);
        let mut finished = vec![None; devices];
        let mut acknowledged = 0;
        for _ in 0..devices {
            let d = tokio::time::timeout(Duration::from_secs(120), done_rx.recv())
                .await
                .expect("every device answers within 2 minutes")
                .expect("devices keep running");
            assert_eq!(d.round, round);
            acknowledged += d.acknowledged_locks;
            finished[d.device] = Some(d.at);
            last_answer = last_answer.max(d.at);
        }
        let delivered_in = if live { last_answer.duration_since(queuing) } else { last_answer.duration_since(delivering) };
        let cpu_round = cpu_seconds(pid) - cpu_before;
        let own_round = cpu_seconds_of("/proc/self/stat") - own_before;
        let verified: Vec<Duration> = finished.iter().zip(&requested).map(|(f, (t, _))| f.unwrap().duration_since(*t)).collect();

        // Not timed: every action Succeeded, every device pushed exactly once this round.
        let mut checks = tokio::task::JoinSet::new();
        for chunk in requested.chunks(devices.div_ceil(CLIENTS)) {
            let (api, base, token) = (api.clone(), base.clone(), token.clone());
            let actions: Vec<String> = chunk.iter().map(|(_, a)| a.clone()).collect();
            checks.spawn(async move {
                let mut states = vec![];
                for a in actions {
                    let v: serde_json::Value =
                        api.get(format!("{base}/actions/{a}")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
                    states.push(v["state"].as_str().unwrap_or("?").to_string());
                }
                states
            });
        }
        let not_succeeded = checks.join_all().await.into_iter().flatten().filter(|s| s != "succeeded").count();
        let mut pushes = std::collections::HashMap::<String, u32>::new();
        for p in apns.received() {
            *pushes.entry(p.token_hex).or_default() += 1;
        }
        let wrong_pushes = tokens.iter().filter(|t| pushes.get(*t).copied().unwrap_or(0) != round).count();
        println!(
            "round {round} ({}): queued {devices} in {:.2} s = {:.0} actions/s (server CPU {:.1} s); \
             delivered+acknowledged {acknowledged} in {:.2} s = {:.0} commands/s; server CPU for the round {:.1} s \
             (load generator {:.1} s)",
            if live { "live: devices poll on push" } else { "phased: devices poll after queuing" },
            queued_in.as_secs_f64(),
            devices as f64 / queued_in.as_secs_f64(),
            cpu_queue,
            delivered_in.as_secs_f64(),
            acknowledged as f64 / delivered_in.as_secs_f64(),
            cpu_round,
            own_round,
        );
        println!("  time-to-verified (request → acknowledged, Succeeded): {}", percentiles(verified));
        println!(
            "  checks: {not_succeeded} actions not Succeeded, {wrong_pushes} devices not pushed exactly once, {} APNs connections",
            apns.connections()
        );
    }
    let cpu_at_end = cpu_seconds(pid);
    let idle_from = Instant::now();
    tokio::time::sleep(Duration::from_secs(5)).await;
    println!(
        "server CPU in the 5 s after the last answer: {:.2} s (measured from {:.1} s after it)",
        cpu_seconds(pid) - cpu_at_end,
        idle_from.duration_since(last_answer).as_secs_f64()
    );
    drop(demo);
}
