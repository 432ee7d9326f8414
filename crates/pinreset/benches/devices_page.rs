//! Benchmark (prints figures; not a test): the admin center's devices page with N devices
//! (default 100,000), measured from this process over HTTPS against `pinreset serve` running
//! as its own process (embedded SQLite by default; PINRESET_BENCH_DATABASE_URL=postgres://… on
//! an empty database for PostgreSQL). The devices are written straight into the tenant through
//! the store before measuring (then, on PostgreSQL, `VACUUM ANALYZE devices`, as autovacuum
//! would); the admin signs in through the form like a browser.
//!
//!   cargo bench -p pinreset --bench devices_page -- [devices] [requests per scenario]
//!
//! Scenarios: the first page; a deep walk (Next, page after page, from the start); a search
//! that matches one device, a 2-character search and one every device matches; a platform filter; walks in three other orders (by last check-in,
//! OS version, and personal devices by owner); the home page. Each prints p50/p99/max of the
//! whole request.

use std::time::Instant;

#[path = "support/admin_web.rs"]
mod admin_web;
#[path = "support/process.rs"]
mod process;
#[path = "support/timing.rs"]
mod timing;
use admin_web::AdminWeb;
use process::{arg, serve_demo};
use timing::{link, report};

#[tokio::main]
async fn main() {
    let (devices, requests) = (arg(1, 100_000), arg(2, 200));
    let dir = tempfile::tempdir().unwrap();
    let demo = serve_demo(dir.path(), &[]).await;
    let (port, database_url) = (demo.port, demo.database_url.clone());

    // Seed the devices through the store, on the server's own database.
    let url = database_url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("pinreset.db").display()));
    let key = pinreset_store::seal::MasterKey::load_or_create(dir.path()).unwrap();
    let store = pinreset_store::connect(&url, key).await.expect("the bench opens the server's database");
    let tenant = store.list_tenants().await.unwrap().pop().unwrap();
    let template = store
        .list_devices(tenant.id, &Default::default(), pinreset_store::Page { offset: 0, limit: 1 })
        .await
        .unwrap()
        .items
        .pop()
        .unwrap();
    eprintln!("writing {devices} devices ({})…", if database_url.is_some() { "PostgreSQL" } else { "SQLite" });
    let seeding = Instant::now();
    let platforms = pinreset_core::Platform::ALL;
    let now = chrono::Utc::now();
    let mut tasks = tokio::task::JoinSet::new();
    let workers = 8u64;
    for w in 0..workers {
        let (store, template) = (store.clone(), template.clone());
        tasks.spawn(async move {
            for i in (w..devices).step_by(workers as usize) {
                // Every sort key varies: OS versions, check-ins (a tenth never), ownership.
                let d = pinreset_core::Device {
                    id: pinreset_core::DeviceId::new(),
                    name: format!("Fleet device {i:06}"),
                    platform: platforms[i as usize % platforms.len()],
                    udid: None,
                    serial_number: Some(format!("SN{i:08}")),
                    // 11 majors × 20 builds: OS versions sort non-trivially, and with the 7 platforms
                    // a fleet of ~1,500 kinds of device (what the home page's readiness groups by).
                    os_version: pinreset_core::OsVersion::parse(&format!("{}.0.{}", 7 + i % 11, 1000 + (i / 77) % 20)).unwrap(),
                    last_check_in: (i % 10 != 0).then(|| now - chrono::Duration::seconds(((i * 104_729) % 2_592_000) as i64)),
                    ownership: if i % 3 == 0 { pinreset_core::Ownership::Personal } else { pinreset_core::Ownership::Corporate },
                    ..template.clone()
                };
                store.upsert_device(&d).await.unwrap();
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    eprintln!("written in {:.0?}", seeding.elapsed());
    if let Some(url) = &database_url {
        // What autovacuum does on a running server soon after 100,000 writes: without it the
        // visibility map and the planner's statistics are missing, and every list query reads
        // the heap (the figures would be of a table no server keeps for long).
        let vacuuming = Instant::now();
        use sqlx::Connection as _;
        let mut conn = sqlx::PgConnection::connect(url).await.expect("the bench connects to PostgreSQL");
        sqlx::query("VACUUM ANALYZE devices").execute(&mut conn).await.expect("VACUUM ANALYZE");
        eprintln!("vacuumed and analyzed in {:.0?}", vacuuming.elapsed());
    }

    let web = AdminWeb::sign_in(dir.path(), port).await;
    let get = |path: String| {
        let web = &web;
        async move { web.get(&path).await }
    };
    // Warm up the connection and the server's caches.
    for _ in 0..20 {
        get("/admin/devices".into()).await;
    }
    println!("devices page with {devices} devices, {requests} requests per scenario");
    let mut first = vec![];
    for _ in 0..requests {
        first.push(get("/admin/devices".into()).await.0);
    }
    report("first page", first);
    let mut deep = vec![];
    let mut path = "/admin/devices".to_string();
    for _ in 0..requests {
        let (t, body) = get(path.clone()).await;
        deep.push(t);
        path = link(&body, "next").unwrap_or_else(|| "/admin/devices".into());
    }
    report("Next, page after page", deep);
    let mut search = vec![];
    for i in 0..requests {
        let n = (i * 7919) % devices;
        let (t, body) = get(format!("/admin/devices?search=SN{n:08}")).await;
        assert!(body.contains(&format!("Fleet device {n:06}")), "the search finds the device");
        search.push(t);
    }
    report("search (one match)", search);
    // Terms the trigram index cannot narrow: under 3 characters, or held by most devices.
    for (name, term) in [("search, 2 characters (scan)", "42"), ("search, in every device (scan)", "fleet")] {
        let mut scanned = vec![];
        for _ in 0..requests {
            scanned.push(get(format!("/admin/devices?search={term}")).await.0);
        }
        report(name, scanned);
    }
    let mut filtered = vec![];
    for _ in 0..requests {
        filtered.push(get("/admin/devices?platform=android".into()).await.0);
    }
    report("platform filter", filtered);
    // Sorted by a column header: the first page, then Next page after page, in that order.
    for (name, first) in [
        ("sorted by last check-in (newest)", "/admin/devices?sort=last_check_in&dir=desc"),
        ("sorted by OS version", "/admin/devices?sort=os_version"),
        ("personal devices by owner", "/admin/devices?ownership=personal&sort=owner"),
    ] {
        let mut sorted = vec![];
        let mut path = first.to_string();
        for _ in 0..requests {
            let (t, body) = get(path.clone()).await;
            sorted.push(t);
            path = link(&body, "next").unwrap_or_else(|| first.into());
        }
        report(name, sorted);
    }
    // The home page: its readiness figures are one aggregate, not a walk through every device.
    let mut home = vec![];
    for _ in 0..requests.min(50) {
        home.push(get("/admin".into()).await.0);
    }
    report("home page", home);
}
