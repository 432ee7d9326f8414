//! Benchmark (prints figures; not a test): the admin center's home page and actions monitor with
//! N finished actions in the tenant (default 200,000: twenty bulk locks of a 10,000-device
//! fleet), measured from this process over HTTPS against `pinreset serve` running as its own
//! process (embedded SQLite by default; PINRESET_BENCH_DATABASE_URL=postgres://… on an empty
//! database for PostgreSQL). The actions are written straight into the server's database
//! before measuring, spread over the last 30 days, one in fifty failed (then, on PostgreSQL,
//! `VACUUM ANALYZE actions`, as autovacuum would); the admin signs in through the form.
//!
//!   cargo bench -p pinreset --bench actions_monitor -- [actions] [requests per scenario]
//!
//! Scenarios: the home page (action counts by state and by day, readiness); the monitor's
//! first page (failures first, then newest); Next, page after page; only the failures.

use pinreset_core::{ActionId, ActionKind, ActionState, Cause, ErrorCode, RemoteAction};
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

/// Rows per INSERT statement (9 binds each).
const ROWS_PER_INSERT: u64 = 100;

/// The `i`-th seeded action: a finished lock or passcode reset of `device`, requested `i`
/// steps back from `now`; one in fifty failed.
fn finished_action(
    i: u64,
    tenant: pinreset_core::TenantId,
    device: pinreset_core::DeviceId,
    at: chrono::DateTime<chrono::Utc>,
) -> RemoteAction {
    let kind = if i.is_multiple_of(2) { ActionKind::RemoteLock } else { ActionKind::ResetPasscode };
    let system = || Cause::System { component: "bench".into() };
    let mut a = RemoteAction::request(ActionId::new(), tenant, device, kind, Default::default(), system(), at, chrono::Duration::days(7));
    a.transition(ActionState::Queued, system(), at, None).unwrap();
    a.transition(ActionState::Delivered, system(), at, None).unwrap();
    if i.is_multiple_of(50) {
        a.fail(ErrorCode::ActionNotSupported, None, system(), at).unwrap();
    } else {
        a.transition(ActionState::Succeeded, system(), at, None).unwrap();
    }
    a
}

#[tokio::main]
async fn main() {
    let (actions, requests) = (arg(1, 200_000), arg(2, 200));
    let dir = tempfile::tempdir().unwrap();
    let demo = serve_demo(dir.path(), &[]).await;
    let url = demo.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("pinreset.db").display()));
    // Read with plain SQL, not through the store: opening the store would migrate the database,
    // and a build before a migration (PINRESET_BENCH_BIN) must run on its own schema.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.expect("the bench connects to the server's database");
    let rows = sqlx::query("SELECT id, tenant_id FROM devices").fetch_all(&pool).await.expect("the demo's devices");
    let column = |r: &sqlx::any::AnyRow, c: &str| sqlx::Row::try_get::<String, _>(r, c).unwrap();
    let tenant: pinreset_core::TenantId = column(&rows[0], "tenant_id").parse().unwrap();
    let devices: Vec<pinreset_core::DeviceId> =
        rows.iter().filter(|r| column(r, "tenant_id") == tenant.to_string()).map(|r| column(r, "id").parse().unwrap()).collect();

    // Written as rows, not through the action path: this measures reading them.
    eprintln!("writing {actions} actions ({})…", demo.backend());
    let seeding = Instant::now();
    let now = chrono::Utc::now();
    let step_ms = (30 * 86_400_000 / actions.max(1)).max(1) as i64;
    for start in (0..actions).step_by(ROWS_PER_INSERT as usize) {
        let rows: Vec<RemoteAction> = (start..(start + ROWS_PER_INSERT).min(actions))
            .map(|i| {
                finished_action(i, tenant, devices[i as usize % devices.len()], now - chrono::Duration::milliseconds(i as i64 * step_ms))
            })
            .collect();
        let values = (0..rows.len())
            .map(|r| format!("({})", (1..=9).map(|c| format!("${}", r * 9 + c)).collect::<Vec<_>>().join(", ")))
            .collect::<Vec<_>>()
            .join(", ");
        let sql =
            format!("INSERT INTO actions (id, tenant_id, device_id, kind, state, pending, requested_at, expires_at, doc) VALUES {values}");
        let mut q = sqlx::query(&sql);
        for a in &rows {
            q = q
                .bind(a.id.to_string())
                .bind(a.tenant_id.to_string())
                .bind(a.device_id.to_string())
                .bind(a.kind.as_str())
                .bind(a.state.as_str())
                .bind(0_i64)
                .bind(a.requested_at.timestamp_millis())
                .bind(a.expires_at.timestamp_millis())
                .bind(serde_json::to_string(a).unwrap());
        }
        q.execute(&pool).await.expect("the actions are written");
    }
    eprintln!("written in {:.0?}", seeding.elapsed());
    if demo.database_url.is_some() {
        sqlx::query("VACUUM ANALYZE actions").execute(&pool).await.expect("VACUUM ANALYZE");
    }

    let web = AdminWeb::sign_in(dir.path(), demo.port).await;
    for _ in 0..10 {
        web.get("/admin").await;
        web.get("/admin/actions").await;
    }
    println!("home page and actions monitor with {actions} actions ({}), {requests} requests per scenario", demo.backend());
    let mut home = vec![];
    for _ in 0..requests.min(50) {
        home.push(web.get("/admin").await.0);
    }
    report("home page", home);
    let mut first = vec![];
    for _ in 0..requests {
        let (t, body) = web.get("/admin/actions").await;
        assert!(body.contains("rel=\"next\""), "the monitor pages through the actions");
        first.push(t);
    }
    report("monitor: first page", first);
    let mut deep = vec![];
    let mut path = "/admin/actions".to_string();
    for _ in 0..requests {
        let (t, body) = web.get(&path).await;
        deep.push(t);
        path = link(&body, "next").unwrap_or_else(|| "/admin/actions".into());
    }
    report("monitor: Next, page after page", deep);
    let mut failed = vec![];
    for _ in 0..requests {
        failed.push(web.get("/admin/actions?state=failed").await.0);
    }
    report("monitor: failures only", failed);
}
