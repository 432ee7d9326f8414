//! Test support for this crate's and other crates' tests: a fresh PostgreSQL database per test
//! so tests run in parallel without seeing each other's rows.

use sqlx::{Connection, Executor};
use std::path::Path;

/// The server tests connect to: `PINRESET_TEST_DATABASE_URL`, else the local PostgreSQL.
pub fn admin_url() -> String {
    std::env::var("PINRESET_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Replace the database name of a postgres URL.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let slash = base.rfind('/').filter(|i| *i > "postgres://".len()).unwrap_or(base.len());
    let mut out = format!("{}/{db}", &base[..slash]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

const PREFIX: &str = "pinreset_test_";
/// Test databases older than this are dropped by the next test run.
const MAX_AGE_SECS: u64 = 24 * 60 * 60;

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// `pinreset_test_<unix seconds>_<random>`: unique, and its age readable from the name so a
/// later run can clean up without any bookkeeping table.
fn database_name(now: u64) -> String {
    format!("{PREFIX}{now}_{}", uuid::Uuid::new_v4().simple())
}

fn created_at(name: &str) -> Option<u64> {
    name.strip_prefix(PREFIX)?.split_once('_')?.0.parse().ok()
}

/// A test's own PostgreSQL database, dropped when the value is (the test ends, passing or
/// failing): a test run leaves no database behind.
pub struct TestDatabase {
    pub url: String,
    name: String,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop cannot await, and may run inside a runtime: a thread of its own with its own
        // runtime. FORCE ends connections a server under test still holds.
        let (admin, name) = (admin_url(), self.name.clone());
        let done = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ = conn.execute(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str()).await;
                }
            });
        });
        let _ = done.join();
    }
}

/// Create an empty database for one test.
pub async fn fresh_postgres() -> TestDatabase {
    let admin = admin_url();
    let now = unix_now();
    let name = database_name(now);
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect to the test PostgreSQL (PINRESET_TEST_DATABASE_URL)");
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
    drop_stale_databases(&mut conn, now).await;
    TestDatabase { url: with_database(&admin, &name), name }
}

/// Best effort, once per process: drop test databases more than a day old. A database still
/// in use by a (very long) test run only fails to drop; nothing here fails a test.
async fn drop_stale_databases(conn: &mut sqlx::PgConnection, now: u64) {
    use sqlx::Row;
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DONE.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let Ok(rows) = sqlx::query("SELECT datname FROM pg_database WHERE datname LIKE 'pinreset\\_test\\_%'").fetch_all(&mut *conn).await
    else {
        return;
    };
    for row in rows {
        let name: String = row.get(0);
        let stale = created_at(&name).is_some_and(|t| now.saturating_sub(t) > MAX_AGE_SECS);
        // Names come from the server and are checked to be ours; quote them anyway.
        if stale && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            let _ = conn.execute(format!("DROP DATABASE IF EXISTS \"{name}\"").as_str()).await;
        }
    }
}

pub fn fresh_sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("pinreset.db").display())
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_carry_their_creation_time() {
        let name = super::database_name(1_700_000_000);
        assert!(name.starts_with("pinreset_test_1700000000_"), "{name}");
        assert_eq!(super::created_at(&name), Some(1_700_000_000));
        assert_eq!(super::created_at("pinreset_test_0123abcd"), None);
        assert_eq!(super::created_at("other_db"), None);
    }

    #[test]
    fn database_name_is_replaced_keeping_query() {
        assert_eq!(super::with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(super::with_database("postgres://u@h:5432/postgres?sslmode=disable", "x"), "postgres://u@h:5432/x?sslmode=disable");
        assert_eq!(super::with_database("postgres://u@h:5432", "x"), "postgres://u@h:5432/x");
    }
}
