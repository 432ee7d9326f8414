//! A deployment check's look at the database (`pinreset doctor`): reachable, migrated as far as
//! this build knows, the database server's clock, and whether every sealed row opens with the
//! master key at hand. Read-only: it never creates the SQLite file nor migrates.

use super::{db_err, migrate, Backend};
use crate::ports::{StoreError, StoreResult};
use crate::seal::MasterKey;
use chrono::{DateTime, Utc};
use sqlx::any::AnyPoolOptions;
use sqlx::Row;

pub struct DatabaseReport {
    pub backend: &'static str,
    /// Migrations applied, in order.
    pub applied: Vec<i64>,
    /// Migrations this build knows.
    pub known: Vec<i64>,
    /// The database server's clock (PostgreSQL; SQLite runs in this process).
    pub server_now: Option<DateTime<Utc>>,
    pub sealed_rows: usize,
    /// Rows that did not open: `kind:id:purpose` (never their content).
    pub unopened: Vec<String>,
    /// Each tenant's certificates (public, though sealed with their keys): its device CA and
    /// its APNs push certificate, as `(tenant id, purpose, PEM)`, for their expiry.
    pub certificates: Vec<(String, String, String)>,
}

/// The sealed rows that hold certificates (not keys).
const CERTIFICATES: [&str; 2] = ["device_ca_cert", "apns_cert"];

pub async fn inspect(url: &str, key: &MasterKey) -> StoreResult<DatabaseReport> {
    sqlx::any::install_default_drivers();
    let backend = if url.starts_with("sqlite:") {
        let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
        let path = path.split('?').next().unwrap_or(path);
        if !std::path::Path::new(path).exists() {
            return Err(StoreError::Backend(format!("no database at {path} (the server creates it on its first start)")));
        }
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    let pool = AnyPoolOptions::new().max_connections(1).connect(url).await.map_err(db_err)?;
    let applied: Vec<i64> = match sqlx::query("SELECT version FROM schema_migrations ORDER BY version").fetch_all(&pool).await {
        Ok(rows) => rows.iter().map(|r| r.get::<i64, _>(0)).collect(),
        // No table yet: nothing applied.
        Err(_) => Vec::new(),
    };
    let server_now = match backend {
        Backend::Postgres => {
            let row = sqlx::query("SELECT CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT)").fetch_one(&pool).await.map_err(db_err)?;
            DateTime::from_timestamp_millis(row.get::<i64, _>(0))
        }
        Backend::Sqlite => None,
    };
    let mut report = DatabaseReport {
        backend: if backend == Backend::Sqlite { "sqlite" } else { "postgres" },
        applied,
        known: migrate::known(backend),
        server_now,
        sealed_rows: 0,
        unopened: Vec::new(),
        certificates: Vec::new(),
    };
    if report.applied.is_empty() {
        return Ok(report);
    }
    let rows = sqlx::query("SELECT owner_kind, owner_id, purpose, sealed FROM secrets WHERE sealed IS NOT NULL")
        .fetch_all(&pool)
        .await
        .map_err(db_err)?;
    for row in rows {
        let (kind, id, purpose): (String, String, String) = (row.get(0), row.get(1), row.get(2));
        let sealed: Vec<u8> = row.get(3);
        let context = format!("{kind}:{id}:{purpose}");
        report.sealed_rows += 1;
        match key.open(&sealed, &context) {
            Err(_) => report.unopened.push(context),
            Ok(plain) if kind == "tenant" && CERTIFICATES.contains(&purpose.as_str()) => {
                report.certificates.push((id, purpose, String::from_utf8_lossy(&plain).into_owned()));
            }
            Ok(_) => {}
        }
    }
    Ok(report)
}
