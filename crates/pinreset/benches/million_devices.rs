//! Benchmark (prints figures; not a test): a tenant of 1,000,000 enrolled devices on
//! PostgreSQL. `pinreset serve` runs as its own process. A sample of real agents (simulated
//! Android 14 devices that enrolled over the wire, default 1,000) checks in at a steady rate
//! (default 1,000/s: each agent once a second, as a much larger fleet's check-ins arrive) —
//! first with the demo tenant alone, then after the database was filled up to N devices and the
//! server restarted on it. Printed: how long the fill took, the server's start-up time and
//! resident memory on the big database, the check-in latencies of both rounds, and those of
//! the 2 s in which the agents reconnect after the restart (every agent's TLS handshake at once).
//!
//!   createdb -h 127.0.0.1 -U postgres million && \
//!   PINRESET_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/million \
//!   cargo bench -p pinreset --bench million_devices -- [devices] [sample] [rate/s] [seconds]
//!
//! The filler rows are copies of a demo device (new ids and names) written with one SQL
//! statement per 100,000, then `VACUUM ANALYZE` as autovacuum would soon after.

use sqlx::Connection as _;
use std::time::{Duration, Instant};

#[path = "support/process.rs"]
mod process;
use process::{arg, serve_demo, Server};
#[path = "support/agents.rs"]
mod agents;
use agents::enroll_android_fleet;
use pinreset_sim::android::AndroidDevice;

const CHUNK: i64 = 100_000;

/// Every agent checks in once per `fleet / rate` seconds, the agents spread evenly across it,
/// for `seconds`; each check-in's latency.
async fn steady_check_ins(fleet: Vec<AndroidDevice>, rate: u64, seconds: u64) -> (Vec<AndroidDevice>, Vec<Duration>) {
    let period = Duration::from_secs_f64(fleet.len() as f64 / rate as f64);
    let n = fleet.len();
    let start = Instant::now() + Duration::from_millis(200);
    let end = start + Duration::from_secs(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for (i, mut agent) in fleet.into_iter().enumerate() {
        tasks.spawn(async move {
            let mut at = start + period.mul_f64(i as f64 / n as f64);
            let mut latencies = Vec::new();
            while at < end {
                tokio::time::sleep_until(at.into()).await;
                let t = Instant::now();
                agent.check_in().await.expect("an idle check-in is answered");
                latencies.push(t.elapsed());
                at += period;
            }
            (agent, latencies)
        });
    }
    let mut fleet = Vec::new();
    let mut all = Vec::new();
    for (agent, latencies) in tasks.join_all().await {
        fleet.push(agent);
        all.extend(latencies);
    }
    all.sort();
    (fleet, all)
}

fn report(round: &str, latencies: &[Duration], seconds: u64) {
    let at = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
    println!(
        "{round:<32} {} check-ins in {seconds} s ({:.0}/s): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        latencies.len() as f64 / seconds as f64,
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: f64 = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).unwrap().trim().trim_end_matches("kB").trim().parse().unwrap();
    kib / 1024.0
}

async fn device_count(conn: &mut sqlx::PgConnection) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM devices").fetch_one(conn).await.unwrap()
}

#[tokio::main]
async fn main() {
    let (devices, sample, rate, seconds) = (arg(1, 1_000_000) as i64, arg(2, 1_000) as usize, arg(3, 1_000), arg(4, 10));
    let url = std::env::var("PINRESET_BENCH_DATABASE_URL").expect("PINRESET_BENCH_DATABASE_URL=postgres://… (an empty database)");
    let dir = tempfile::tempdir().unwrap();
    let demo = serve_demo(dir.path(), &[]).await;
    eprintln!("enrolling {sample} simulated Android agents…");
    let fleet = enroll_android_fleet(&demo, sample).await;
    let (fleet, small) = steady_check_ins(fleet, rate, seconds).await;
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("the bench connects to PostgreSQL");
    let before = device_count(&mut conn).await;
    report(&format!("{before} devices"), &small, seconds);

    // Fill the tenant up to `devices` with copies of a seeded demo device.
    let template: String =
        sqlx::query_scalar("SELECT id FROM devices WHERE name LIKE 'Lumia 950%' LIMIT 1").fetch_one(&mut conn).await.unwrap();
    let filling = Instant::now();
    let mut next = 0i64;
    while before + next < devices {
        let upto = (next + CHUNK).min(devices - before);
        sqlx::query(
            "INSERT INTO devices (id, tenant_id, name, platform, primary_user_id, retired, search, doc, ownership, os_key, last_seen, \
             owner_name, reset_class, contact_at) \
             SELECT g.nid, t.tenant_id, g.name, t.platform, t.primary_user_id, t.retired, \
                    replace(replace(t.search, lower(t.name), lower(g.name)), t.id, g.nid), \
                    replace(replace(t.doc, t.id, g.nid), t.name, g.name), \
                    t.ownership, t.os_key, t.last_seen - g.n, t.owner_name, t.reset_class, t.contact_at \
             FROM devices t, \
                  (SELECT gen_random_uuid()::text AS nid, n, 'Fleet device ' || lpad(n::text, 7, '0') AS name \
                   FROM generate_series($2::bigint, $3::bigint) n) g \
             WHERE t.id = $1",
        )
        .bind(&template)
        .bind(next + 1)
        .bind(upto)
        .execute(&mut conn)
        .await
        .expect("filling the tenant");
        next = upto;
        eprintln!("  {} devices ({:.0?})", before + next, filling.elapsed());
    }
    sqlx::query("VACUUM ANALYZE devices").execute(&mut conn).await.unwrap();
    let filled = filling.elapsed();
    let total = device_count(&mut conn).await;

    // The server restarted on the big database: start-up until it answers, then memory.
    let port = demo.port;
    drop(demo.server);
    let bin = std::env::var("PINRESET_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_pinreset").to_string());
    let starting = Instant::now();
    let server = Server(
        std::process::Command::new(bin)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database-url", &url])
            .arg("--data-dir")
            .arg(dir.path())
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("pinreset serve starts"),
    );
    let health = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(dir.path().join("tls/ca.pem")).unwrap()).unwrap())
        .build()
        .unwrap();
    while !health.get(format!("https://127.0.0.1:{port}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
        assert!(starting.elapsed() < Duration::from_secs(300), "the server did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let started = starting.elapsed();
    let pid = server.0.id();
    let rss_started = rss_mib(pid);
    // Every agent's connection broke with the restart: the first round reconnects them all at
    // once (a TLS handshake with its client certificate each), then the fleet is measured idle.
    let (fleet, reconnecting) = steady_check_ins(fleet, rate, 2).await;
    report("reconnecting after the restart", &reconnecting, 2);
    let (_fleet, big) = steady_check_ins(fleet, rate, seconds).await;
    let rss_after = rss_mib(pid);
    println!(
        "filled to {total} devices in {filled:.0?}; restarted in {started:.2?}; resident memory {rss_started:.0} MiB at start, \
         {rss_after:.0} MiB after the check-ins ({})",
        if cfg!(debug_assertions) { "debug build" } else { "release build" }
    );
    report(&format!("{total} devices"), &big, seconds);
}
