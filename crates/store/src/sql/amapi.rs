//! Android Management API operations awaiting their outcome, claimed by the reconcilers.

use super::rows::id;
use super::{db_err, from_ms, ms, SqlStore};
use crate::ports::{AmapiOperation, AmapiStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{ActionId, TenantId};
use sqlx::any::AnyRow;
use sqlx::Row;

const COLUMNS: &str = "action_id, tenant_id, device_id, name, issued_at, give_up_at, next_check_at";

fn operation(r: &AnyRow) -> StoreResult<AmapiOperation> {
    let time = |c: &str| -> StoreResult<DateTime<Utc>> { Ok(from_ms(r.try_get::<i64, _>(c).map_err(db_err)?)) };
    Ok(AmapiOperation {
        action_id: id(r, "action_id")?,
        tenant_id: id(r, "tenant_id")?,
        device_id: id(r, "device_id")?,
        name: r.try_get("name").map_err(db_err)?,
        issued_at: time("issued_at")?,
        give_up_at: time("give_up_at")?,
        next_check_at: time("next_check_at")?,
    })
}

#[async_trait]
impl AmapiStore for SqlStore {
    async fn record_amapi_operation(&self, op: &AmapiOperation) -> StoreResult<()> {
        sqlx::query(&format!(
            "INSERT INTO amapi_operations ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (action_id) DO UPDATE SET name = excluded.name, issued_at = excluded.issued_at, \
             give_up_at = excluded.give_up_at, next_check_at = excluded.next_check_at"
        ))
        .bind(op.action_id.to_string())
        .bind(op.tenant_id.to_string())
        .bind(op.device_id.to_string())
        .bind(op.name.clone())
        .bind(ms(op.issued_at))
        .bind(ms(op.give_up_at))
        .bind(ms(op.next_check_at))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn amapi_operation_of_action(&self, action: ActionId) -> StoreResult<Option<AmapiOperation>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM amapi_operations WHERE action_id = $1"))
            .bind(action.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(operation).transpose()
    }

    async fn amapi_operation_named(&self, name: &str) -> StoreResult<Option<AmapiOperation>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM amapi_operations WHERE name = $1"))
            .bind(name.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(operation).transpose()
    }

    async fn claim_amapi_operations(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<AmapiOperation>> {
        // As `claim_outbox`: PostgreSQL skips rows another claimer locked, SQLite runs the
        // statement alone; a claimed row is not due again until its lease lapses.
        let lock = match self.backend {
            super::Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            super::Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE amapi_operations SET next_check_at = $1 WHERE action_id IN \
             (SELECT action_id FROM amapi_operations WHERE tenant_id = $2 AND next_check_at <= $3 ORDER BY next_check_at LIMIT $4{lock}) \
             RETURNING {COLUMNS}"
        );
        let rows = sqlx::query(&sql)
            .bind(ms(lease_until))
            .bind(tenant.to_string())
            .bind(ms(now))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(operation).collect()
    }

    async fn forget_amapi_operation(&self, action: ActionId) -> StoreResult<()> {
        sqlx::query("DELETE FROM amapi_operations WHERE action_id = $1")
            .bind(action.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
