//! Issue 14, items 3 and 4: two `pinreset serve` instances on one fresh PostgreSQL database
//! behind Debian's HAProxy (configured from the shipped `deploy/haproxy.cfg`), a fleet of
//! simulated Apple and Windows devices enrolled and polling through it, one bulk lock over all
//! of them — and the instance running the bulk job killed with SIGKILL mid-run, then restarted.
//! Every action must reach a terminal state, no device may receive the lock twice (the fleet
//! counts), and the audit must hold each device's whole trail once.
//!
//! `PINRESET_SCALE_DEVICES` (default 2,000) and `PINRESET_SCALE_WINDOWS` (default a tenth of
//! them) size the fleet; the phases' wall times are printed.

mod processes;
mod ten_thousand;

use pinreset_sim::fleet::{percentile, Fleet, FleetSpec};
use processes::{free_port, haproxy_config, start_haproxy, Instance};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn master_key() -> String {
    use base64::Engine;
    let mut key = [0u8; 32];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom").unwrap(), &mut key).unwrap();
    base64::engine::general_purpose::STANDARD.encode(key)
}

struct Api {
    http: reqwest::Client,
    token: String,
}

impl Api {
    async fn get(&self, base: &str, path: &str) -> Value {
        let r = self.http.get(format!("{base}/api/v1{path}")).bearer_auth(&self.token).send().await.unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().await.unwrap()
    }
    async fn post(&self, base: &str, path: &str, body: Value) -> Value {
        let r = self.http.post(format!("{base}/api/v1{path}")).bearer_auth(&self.token).json(&body).send().await.unwrap();
        let status = r.status();
        let v: Value = r.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "POST {path}: {status} {v}");
        v
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scale_two_instances_behind_haproxy_survive_a_sigkill_during_a_bulk_lock() {
    let total = env_count("PINRESET_SCALE_DEVICES", 2000);
    let windows = env_count("PINRESET_SCALE_WINDOWS", total / 10).min(total);
    let apple = total - windows;
    let started = Instant::now();
    let phase = |what: &str, since: Instant| eprintln!("scale: {what} in {:.1} s", since.elapsed().as_secs_f64());

    // ---- two instances on one fresh database, the same master key
    let database = pinreset_store::testing::fresh_postgres().await;
    let tmp = tempfile::tempdir().unwrap();
    let (dir1, dir2) = (tmp.path().join("one"), tmp.path().join("two"));
    let lb_port = free_port();
    let public = format!("https://127.0.0.1:{lb_port}");
    let key = master_key();
    let mut one = Instance::new("one", &dir1, &database.url, &public, &key, true);
    let mut two = Instance::new("two", &dir2, &database.url, &public, &key, false);
    std::fs::create_dir_all(&dir1).unwrap();
    std::fs::create_dir_all(&dir2).unwrap();
    one.start();
    one.wait_healthy().await;
    // Every instance signs enrollment profiles with the TLS certificate: they share one.
    std::fs::create_dir_all(dir2.join("tls")).unwrap();
    for f in ["ca.pem", "server.pem", "server.key"] {
        std::fs::copy(dir1.join("tls").join(f), dir2.join("tls").join(f)).unwrap();
    }
    two.start();
    two.wait_healthy().await;
    let creds: Value = serde_json::from_slice(&std::fs::read(dir1.join("demo-credentials.json")).unwrap()).unwrap();
    let ca = std::fs::read_to_string(dir1.join("tls/ca.pem")).unwrap();
    let api = Api {
        http: reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).unwrap()).build().unwrap(),
        token: creds["admin_token"].as_str().unwrap().to_string(),
    };
    let direct_one = format!("https://127.0.0.1:{}", one.https_port);
    let direct_two = format!("https://127.0.0.1:{}", two.https_port);

    // The tenant's device CA exists once a first enrollment profile is issued; the instance
    // then writes it for the load balancer (tls/device-cas.pem), as an operator would copy it.
    let r = api
        .http
        .post(format!("{direct_one}/api/v1/enrollment/apple/profiles"))
        .bearer_auth(&api.token)
        .json(&json!({"login": "alice"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let device_cas = dir1.join("tls/device-cas.pem");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !device_cas.exists() {
        assert!(Instant::now() < deadline, "no tls/device-cas.pem written");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // ---- HAProxy in front: TLS with the instances' certificate, backends on --listen-http
    let frontend = tmp.path().join("frontend.pem");
    let pem =
        std::fs::read_to_string(dir1.join("tls/server.pem")).unwrap() + &std::fs::read_to_string(dir1.join("tls/server.key")).unwrap();
    std::fs::write(&frontend, pem).unwrap();
    let config = haproxy_config(lb_port, &frontend, &device_cas, [one.http_port, two.http_port]);
    let _haproxy = start_haproxy(tmp.path(), &config, lb_port, &ca).await;
    phase("two instances and HAProxy up", started);

    // ---- the fleet enrolls through HAProxy
    let alice = creds["users"].as_array().unwrap().iter().find(|u| u["login"] == "alice").unwrap();
    let spec = FleetSpec {
        server: public.clone(),
        ca_pem: ca.clone(),
        token: Some(api.token.clone()),
        apple,
        windows,
        android: 0,
        login: "alice".into(),
        windows_email: alice["email"].as_str().unwrap().into(),
        windows_password: alice["password"].as_str().unwrap().into(),
        concurrency: 24,
        interval: Duration::from_secs(5),
    };
    let enrolling = Instant::now();
    let mut fleet = Fleet::enroll(spec, |_| {}).await.expect("the fleet enrolls");
    phase(&format!("{apple} iPhones and {windows} Windows phones enrolled"), enrolling);
    let udids: std::collections::HashSet<String> = fleet.members.iter().filter_map(|m| m.apple().map(|a| a.udid.clone())).collect();
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(async move {
        let report = fleet.run(None, stop).await;
        (fleet, report)
    });

    // ---- one bulk lock over the fleet, run by instance one, which is killed mid-run
    let locking = Instant::now();
    // The fleet's devices (not the demo's): iPhones by UDID, Windows phones by their names.
    // Offset pages over a list the polling devices reorder (names arrive with inventories)
    // skip some and repeat others: list again until every device was seen.
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..20 {
        for offset in (0..).step_by(500) {
            let page = api.get(&direct_one, &format!("/devices?limit=500&offset={offset}")).await;
            let items = page["items"].as_array().unwrap();
            for d in items {
                let ours = d["udid"].as_str().is_some_and(|u| udids.contains(u))
                    || d["name"].as_str().is_some_and(|n| n.starts_with("Fleet Lumia "));
                if ours {
                    seen.insert(d["id"].as_str().unwrap().to_string());
                }
            }
            if items.len() < 500 {
                break;
            }
        }
        if seen.len() == total {
            break;
        }
    }
    let device_ids: Vec<String> = seen.into_iter().collect();
    assert_eq!(device_ids.len(), total, "every enrolled device is listed");
    // A device group of them (created with at most 1,000 members; the rest are added one by one).
    let (first, rest) = device_ids.split_at(device_ids.len().min(1000));
    let group = api.post(&direct_one, "/groups", json!({"kind": "device", "name": "Fleet", "members": first})).await;
    let gid = group["id"].as_str().unwrap().to_string();
    for chunk in rest.chunks(16) {
        let adds = chunk.iter().map(|d| {
            let url = format!("{direct_one}/api/v1/groups/{gid}/members/{d}");
            let req = api.http.put(url).bearer_auth(&api.token);
            async move { assert!(req.send().await.unwrap().status().is_success()) }
        });
        futures_util::future::join_all(adds).await;
    }
    let job = api.post(&direct_one, "/actions/bulk", json!({"action": "remote-lock", "group_id": gid})).await;
    let id = job["job"]["id"].as_str().unwrap().to_string();
    assert_eq!(job["job"]["total"].as_u64(), Some(total as u64), "{job}");
    let killed_at = loop {
        let now = api.get(&direct_two, &format!("/actions/bulk/{id}")).await;
        let handled = now["progress"]["handled"].as_u64().unwrap();
        if handled > 0 {
            one.kill();
            break handled;
        }
        assert!(now["progress"]["done"] != true, "the job finished before the kill: {now}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    eprintln!("scale: instance one killed with SIGKILL after {killed_at} of {total} devices were saved as handled");
    let pool = sqlx::PgPool::connect(&database.url).await.unwrap();
    let runner_at_kill: String = sqlx::query_scalar("SELECT runner FROM bulk_jobs WHERE id = $1").bind(&id).fetch_one(&pool).await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    one.start();
    one.wait_healthy().await;

    // ---- the job is resumed and every device answers
    let deadline = Instant::now() + Duration::from_secs(150);
    let last = loop {
        let now = api.get(&direct_two, &format!("/actions/bulk/{id}")).await;
        if now["progress"]["done"] == true {
            break now;
        }
        assert!(Instant::now() < deadline, "the bulk lock did not finish: {}", now["progress"]);
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    phase("bulk lock: every device handled and every action terminal", locking);
    let _ = stop_tx.send(true);
    let (fleet, report) = running.await.unwrap();

    let p = &last["progress"];
    eprintln!("scale: progress {p}");
    assert_eq!(p["handled"].as_u64(), Some(total as u64), "{p}");
    assert_eq!(p["queued"].as_u64(), Some(total as u64), "one lock queued per device, none refused or deduplicated: {p}");
    assert_eq!(p["pending"].as_u64(), Some(0));
    assert_eq!(p["succeeded"].as_u64(), Some(total as u64), "every lock verified on its device: {p}");
    let runner_now: String = sqlx::query_scalar("SELECT runner FROM bulk_jobs WHERE id = $1").bind(&id).fetch_one(&pool).await.unwrap();
    assert_ne!(runner_now, runner_at_kill, "the job was finished by another runner than the killed one");

    // No device received a command twice (the lock, and for iPhones the inventory query).
    let s = &report.tally;
    assert!(s.duplicates.is_empty(), "commands received twice: {:?}", &s.duplicates[..s.duplicates.len().min(10)]);
    assert_eq!(s.devices_commanded, total, "every device received its lock");
    eprintln!(
        "scale: {} check-ins, {} commands, {} failed check-ins (the killed instance's connections)",
        s.check_ins, s.commands, s.errors
    );

    // The audit holds each device's trail once: requested, queued, delivered, succeeded.
    let items = last["job"]["items"].as_array().unwrap();
    let ids: Vec<String> = items.iter().map(|i| i["action_id"].as_str().unwrap().to_string()).collect();
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT action_id, kind, outcome, COUNT(*) FROM audit WHERE action_id = ANY($1) AND kind IN ('action_requested', 'action_transition') GROUP BY 1, 2, 3",
    )
    .bind(&ids)
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut trail: HashMap<&str, HashMap<String, i64>> = HashMap::new();
    for (action, kind, outcome, n) in &rows {
        trail.entry(action.as_str()).or_default().insert(format!("{kind}:{outcome}"), *n);
    }
    for id in &ids {
        let t = trail.get(id.as_str()).unwrap_or_else(|| panic!("no audit for {id}"));
        for step in ["action_requested:requested", "action_transition:queued", "action_transition:delivered", "action_transition:succeeded"]
        {
            assert_eq!(t.get(step), Some(&1), "{step} once for {id}: {t:?}");
        }
        assert!(t.values().all(|n| *n == 1), "no step twice: {t:?}");
    }

    let verified = fleet.time_to_verified().await.unwrap();
    let t = &verified.times;
    let ms = |d: Option<Duration>| d.map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    eprintln!(
        "scale: time to verified over {} actions: p50 {:.0} ms, p95 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        t.len(),
        ms(percentile(t, 50.0)),
        ms(percentile(t, 95.0)),
        ms(percentile(t, 99.0)),
        ms(t.last().copied())
    );
    phase("whole test", started);
    pool.close().await;
    drop(one);
    drop(two);
}
