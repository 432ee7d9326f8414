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

/// Create an empty database and return its URL.
pub async fn fresh_postgres_url() -> String {
    let admin = admin_url();
    let name = format!("pinreset_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect to the test PostgreSQL (PINRESET_TEST_DATABASE_URL)");
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
    with_database(&admin, &name)
}

pub fn fresh_sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("pinreset.db").display())
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced_keeping_query() {
        assert_eq!(super::with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(super::with_database("postgres://u@h:5432/postgres?sslmode=disable", "x"), "postgres://u@h:5432/x?sslmode=disable");
        assert_eq!(super::with_database("postgres://u@h:5432", "x"), "postgres://u@h:5432/x");
    }
}
