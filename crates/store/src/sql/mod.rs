//! One SQL adapter for both backends through sqlx's `Any` driver: ids are TEXT, times BIGINT
//! unix milliseconds, aggregates a JSON document next to the columns queries need. The few
//! places where SQLite and PostgreSQL differ are named by `Backend`.
//!
//! Schema decisions (migrations under `migrations/{sqlite,postgres}`, embedded and applied on
//! connect):
//! - Each aggregate (tenant, user, device, action, profile) is stored whole as a JSON `doc` so
//!   every field, including an action's ordered `history`, round-trips exactly; the columns
//!   beside it are only what queries filter, sort, join or lock on, written from the same value
//!   in the same statement.
//! - Flags are integers (`INTEGER` / `BIGINT`, 0 or 1) on both backends: the one type the Any
//!   driver decodes identically everywhere.
//! - `actions_one_pending`, a partial unique index on `(device_id, kind) WHERE pending = 1`,
//!   is what makes concurrent requests for one device produce one action.
//! - Device search reads a `search` column lower-cased in Rust at write time (Unicode-aware,
//!   unlike SQLite's ASCII-only `LOWER`), matched as a literal substring; a trigram index
//!   (SQLite FTS5, PostgreSQL pg_trgm) finds the candidates of a term of 3 or more characters
//!   (`device_search.rs`).
//! - Secrets live only sealed (`seal.rs`); a purge nulls the sealed bytes and keeps the row as a
//!   tombstone so a later read says "expired", not "missing".
//! - Audit and outbox ids are autoincrement sequences; audit rows carry no secret by type.

mod action_writes;
mod actions;
mod amapi;
mod android_tokens;
mod audit;
mod bulk;
mod changes;
mod device_search;
mod devices;
mod dm_sessions;
pub mod inspect;
mod kept_totals;
mod migrate;
mod notifications;
mod profiles;
mod reenrollments;
mod replay;
mod rows;
mod secrets;
mod sessions;
mod tenants;
mod users;

use crate::ports::{StoreError, StoreResult};
use crate::seal::MasterKey;
pub(crate) use rows::{doc, docs, from_ms, ms, placeholders, to_doc};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct SqlStore {
    pool: AnyPool,
    key: MasterKey,
    backend: Backend,
    /// For the LISTEN connection (PostgreSQL), which the Any pool cannot give.
    url: String,
    /// Large device-list totals kept for a while (PostgreSQL only, see `kept_totals`).
    device_totals: kept_totals::KeptTotals,
    /// Large actions-monitor totals kept for a while (both backends, see `kept_totals`).
    action_totals: kept_totals::KeptTotals,
}

/// Open (creating the SQLite file if needed) and migrate.
pub async fn connect(url: &str, key: MasterKey) -> StoreResult<Arc<SqlStore>> {
    sqlx::any::install_default_drivers();
    let (backend, url) = if url.starts_with("sqlite:") {
        prepare_sqlite_file(url)?;
        // Create the file on first start.
        let url = if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
        (Backend::Sqlite, url)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        (Backend::Postgres, url.to_string())
    } else {
        return Err(StoreError::Backend("the database URL must start with sqlite:// or postgres://".into()));
    };
    let options = AnyPoolOptions::new();
    let pool = match backend {
        Backend::Sqlite => {
            // SQLite has one writer; a few connections serve concurrent readers, and writers
            // wait for each other (busy_timeout) instead of failing.
            options
                .max_connections(4)
                // A local file cannot drop a connection: the ping sqlx sends before handing one
                // out would be a round trip to the connection's thread on every query.
                .test_before_acquire(false)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        Ok(())
                    })
                })
                .connect(&url)
                .await
                .map_err(db_err)?
        }
        Backend::Postgres => options.max_connections(16).connect(&url).await.map_err(db_err)?,
    };
    if backend == Backend::Sqlite {
        pool.execute("PRAGMA journal_mode = WAL").await.map_err(db_err)?;
    }
    migrate::run(&pool, backend).await?;
    Ok(Arc::new(SqlStore { pool, key, backend, url, device_totals: Default::default(), action_totals: Default::default() }))
}

impl crate::ports::Store for SqlStore {
    fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
    fn pool_usage(&self) -> crate::ports::PoolUsage {
        let open = self.pool.size();
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX).min(open);
        crate::ports::PoolUsage { open, idle, max: self.pool.options().get_max_connections() }
    }
}

impl SqlStore {
    /// A transaction that will write. SQLite's default deferred `BEGIN` takes the write lock
    /// only at the first write, and a reader upgrading to writer while another writer waits
    /// fails at once with SQLITE_BUSY (busy_timeout cannot help a lock-upgrade deadlock).
    /// `BEGIN IMMEDIATE` takes the single write lock up front, so concurrent writers queue on
    /// busy_timeout instead. PostgreSQL row locks need nothing special.
    pub(crate) async fn write_tx(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_err),
            Backend::Postgres => self.pool.begin().await.map_err(db_err),
        }
    }

    /// One tenant-scoped aggregate by id. `table` is a compile-time name, never input.
    pub(crate) async fn doc_in_tenant<T: serde::de::DeserializeOwned>(
        &self,
        table: &str,
        tenant: impl ToString,
        id: impl ToString,
    ) -> StoreResult<Option<T>> {
        let rows = sqlx::query(&format!("SELECT doc FROM {table} WHERE tenant_id = $1 AND id = $2"))
            .bind(tenant.to_string())
            .bind(id.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(docs(&rows)?.pop())
    }

    /// For tests and tools that read the raw tables.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

// ---- shared helpers

/// Database errors carry no row values: only the kind of failure and the constraint hit.
/// Every variant is spelled out because the `Display` of some (configuration: the URL with
/// its password; decode errors: the offending text) could carry data we must not log.
pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    use sqlx::Error as E;
    match &e {
        E::RowNotFound => StoreError::NotFound,
        E::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(format!("duplicate value ({})", d.constraint().unwrap_or("unique constraint")))
        }
        E::Database(d) if d.is_foreign_key_violation() => {
            StoreError::Conflict(format!("refers to a missing item ({})", d.constraint().unwrap_or("foreign key")))
        }
        // PostgreSQL refuses NUL in text ("invalid byte sequence for encoding UTF8: 0x00",
        // 22021) and \u0000 in JSON (22P05). Callers should have refused it; if one did not, it
        // is still bad input, not a server failure.
        E::Database(d) if matches!(d.code().as_deref(), Some("22021" | "22P05")) => {
            StoreError::InvalidInput("a text value holds a NUL character, which cannot be stored".into())
        }
        E::Database(d) => {
            let code = d.code().unwrap_or_default();
            // The message helps when it names schema objects only: PostgreSQL class 42 (syntax,
            // missing table or column) and SQLite's messages (numeric result codes of at most four
            // digits: "no such table", "UNIQUE constraint failed: t.c"). Other PostgreSQL classes
            // (five-character SQLSTATEs) may quote the offending input ("invalid input syntax for
            // type bigint: \"…\"", "value \"…\" is out of range"), so they get the code alone.
            let postgres = code.len() == 5;
            let names_only = if postgres { code.starts_with("42") } else { code.bytes().all(|b| b.is_ascii_digit()) };
            if names_only {
                StoreError::Backend(format!("database refused the statement (code {code}): {}", d.message()))
            } else {
                StoreError::Backend(format!("database refused the statement (code {code})"))
            }
        }
        E::PoolTimedOut => StoreError::Backend("timed out waiting for a database connection".into()),
        E::PoolClosed => StoreError::Backend("the database pool is closed".into()),
        E::Io(io) => StoreError::Backend(format!("database connection failed ({:?})", io.kind())),
        E::Tls(_) => StoreError::Backend("database TLS failure".into()),
        E::Configuration(_) => StoreError::Backend("invalid database configuration or URL".into()),
        E::ColumnNotFound(c) => StoreError::Backend(format!("column {c} not found")),
        E::ColumnIndexOutOfBounds { index, .. } => StoreError::Backend(format!("column {index} out of bounds")),
        E::ColumnDecode { index, .. } => StoreError::Backend(format!("column {index} does not decode")),
        E::TypeNotFound { type_name } => StoreError::Backend(format!("type {type_name} not found")),
        E::Migrate(_) => StoreError::Backend("migration failed".into()),
        E::Protocol(_) => StoreError::Backend("database protocol error".into()),
        _ => StoreError::Backend("database failure".into()),
    }
}

/// `sqlite://dir/file.db`: make `dir` so a fresh data directory works on first start, and
/// create the file readable by this user only — it holds password hashes and sealed secrets,
/// and SQLite gives its `-wal` and `-shm` files the same permissions as the database file.
fn prepare_sqlite_file(url: &str) -> StoreResult<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(':') {
        return Ok(());
    }
    let io = |e: std::io::Error| StoreError::Backend(format!("cannot create the database file ({:?})", e.kind()));
    let path = std::path::Path::new(path);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(e)),
    }
}

/// Refuse text with a NUL on both backends alike (PostgreSQL cannot hold it; SQLite would
/// match or store it silently), before it reaches a statement. `field` names it for the caller.
pub(crate) fn no_nul(field: &str, value: &str) -> StoreResult<()> {
    if value.contains('\0') {
        return Err(StoreError::InvalidInput(format!("{field} contains a NUL character")));
    }
    Ok(())
}
