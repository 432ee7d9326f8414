//! Embedded migrations, one list per backend, applied in order once each.

use super::{db_err, Backend};
use crate::ports::StoreResult;
use sqlx::{AnyPool, Row};

const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../../migrations/sqlite/0002_device_identities.sql")),
    (3, include_str!("../../migrations/sqlite/0003_profiles.sql")),
    (4, include_str!("../../migrations/sqlite/0004_filter_indexes.sql")),
    (5, include_str!("../../migrations/sqlite/0005_user_email.sql")),
    (6, include_str!("../../migrations/sqlite/0006_enrollment_tokens.sql")),
    (7, include_str!("../../migrations/sqlite/0007_enrollment_grants.sql")),
    (8, include_str!("../../migrations/sqlite/0008_device_trust.sql")),
    (9, include_str!("../../migrations/sqlite/0009_outbox_backoff.sql")),
    (10, include_str!("../../migrations/sqlite/0010_users_api.sql")),
    (11, include_str!("../../migrations/sqlite/0011_leases.sql")),
    (12, include_str!("../../migrations/sqlite/0012_sessions.sql")),
    (13, include_str!("../../migrations/sqlite/0013_device_list_indexes.sql")),
    (14, include_str!("../../migrations/sqlite/0014_notification_reads.sql")),
    (15, include_str!("../../migrations/sqlite/0015_device_sort_columns.sql")),
    (16, include_str!("../../migrations/sqlite/0016_android_agent.sql")),
    (17, include_str!("../../migrations/sqlite/0017_bulk_jobs.sql")),
    (18, include_str!("../../migrations/sqlite/0018_device_search_index.sql")),
    (19, include_str!("../../migrations/sqlite/0019_audit_origin.sql")),
    (20, include_str!("../../migrations/sqlite/0020_amapi_operations.sql")),
    (21, include_str!("../../migrations/sqlite/0021_resumable_work.sql")),
    (22, include_str!("../../migrations/sqlite/0022_pending_actions_index.sql")),
    (23, include_str!("../../migrations/sqlite/0023_tenant_actions_indexes.sql")),
];
const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_init.sql")),
    (2, include_str!("../../migrations/postgres/0002_device_identities.sql")),
    (3, include_str!("../../migrations/postgres/0003_profiles.sql")),
    (4, include_str!("../../migrations/postgres/0004_filter_indexes.sql")),
    (5, include_str!("../../migrations/postgres/0005_user_email.sql")),
    (6, include_str!("../../migrations/postgres/0006_enrollment_tokens.sql")),
    (7, include_str!("../../migrations/postgres/0007_enrollment_grants.sql")),
    (8, include_str!("../../migrations/postgres/0008_device_trust.sql")),
    (9, include_str!("../../migrations/postgres/0009_outbox_backoff.sql")),
    (10, include_str!("../../migrations/postgres/0010_users_api.sql")),
    (11, include_str!("../../migrations/postgres/0011_leases.sql")),
    (12, include_str!("../../migrations/postgres/0012_sessions.sql")),
    (13, include_str!("../../migrations/postgres/0013_device_list_indexes.sql")),
    (14, include_str!("../../migrations/postgres/0014_notification_reads.sql")),
    (15, include_str!("../../migrations/postgres/0015_device_sort_columns.sql")),
    (16, include_str!("../../migrations/postgres/0016_android_agent.sql")),
    (17, include_str!("../../migrations/postgres/0017_bulk_jobs.sql")),
    (18, include_str!("../../migrations/postgres/0018_device_search_index.sql")),
    (19, include_str!("../../migrations/postgres/0019_audit_origin.sql")),
    (20, include_str!("../../migrations/postgres/0020_amapi_operations.sql")),
    (21, include_str!("../../migrations/postgres/0021_resumable_work.sql")),
    (22, include_str!("../../migrations/postgres/0022_pending_actions_index.sql")),
    (23, include_str!("../../migrations/postgres/0023_tenant_actions_indexes.sql")),
];

/// The migration adding the device list's sort columns, which Rust code fills (`devices.rs`).
const SORT_COLUMNS: i64 = 15;

/// The migrations this build knows, in order (what a fully migrated database has applied).
pub(crate) fn known(backend: Backend) -> Vec<i64> {
    let list = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    list.iter().map(|(v, _)| *v).collect()
}

pub async fn run(pool: &AnyPool, backend: Backend) -> StoreResult<()> {
    let migrations = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    // Read-then-write: on SQLite take the write lock first (see `SqlStore::write_tx`).
    let mut tx = match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)?,
        Backend::Postgres => pool.begin().await.map_err(db_err)?,
    };
    if backend == Backend::Postgres {
        // Several instances may start at once: one migrates, the others wait.
        sqlx::query("SELECT pg_advisory_xact_lock(7283145)").execute(&mut *tx).await.map_err(db_err)?;
    }
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)").execute(&mut *tx).await.map_err(db_err)?;
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect();
    for (version, sql) in migrations {
        if applied.contains(version) {
            continue;
        }
        for statement in statements(sql) {
            sqlx::query(&statement).execute(&mut *tx).await.map_err(db_err)?;
        }
        if *version == SORT_COLUMNS {
            super::devices::backfill_sort_columns(&mut tx).await?;
        }
        sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)").bind(*version).execute(&mut *tx).await.map_err(db_err)?;
    }
    tx.commit().await.map_err(db_err)
}

/// Split a migration into statements. Whole-line `--` comments are dropped first so a `;` in a
/// comment cannot cut a statement; our migrations keep `;` out of string literals. A
/// `CREATE TRIGGER` runs to its `END`: the `;`s between its `BEGIN` and `END` are its own.
fn statements(sql: &str) -> Vec<String> {
    let code: String = sql.lines().filter(|l| !l.trim_start().starts_with("--")).map(|l| format!("{l}\n")).collect();
    let mut out: Vec<String> = vec![];
    let mut trigger: Option<String> = None;
    for piece in code.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        match trigger.as_mut() {
            Some(body) => {
                body.push_str(";\n");
                body.push_str(piece);
            }
            None if piece.to_ascii_uppercase().starts_with("CREATE TRIGGER") => trigger = Some(piece.to_owned()),
            None => out.push(piece.to_owned()),
        }
        if trigger.is_some() && piece.eq_ignore_ascii_case("END") {
            out.extend(trigger.take());
        }
    }
    out.extend(trigger);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn comments_do_not_split_statements() {
        let sql = "-- one; two\nCREATE TABLE a (x INT);\n\n-- trailing; comment\nCREATE INDEX b ON a (x);\n";
        assert_eq!(super::statements(sql), ["CREATE TABLE a (x INT)", "CREATE INDEX b ON a (x)"]);
    }

    #[test]
    fn a_trigger_is_one_statement() {
        let sql = "CREATE TABLE a (x INT);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n    INSERT INTO b VALUES (1);\n    DELETE FROM c;\nEND;\nCREATE INDEX i ON a (x);\n";
        assert_eq!(
            super::statements(sql),
            [
                "CREATE TABLE a (x INT)",
                "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n    INSERT INTO b VALUES (1);\nDELETE FROM c;\nEND",
                "CREATE INDEX i ON a (x)"
            ]
        );
    }
}
