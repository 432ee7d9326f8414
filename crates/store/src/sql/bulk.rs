//! Bulk jobs: the document with the per-device outcomes, and the cancellation column the
//! worker's progress saves never touch.

use super::{db_err, doc, from_ms, ms, to_doc, SqlStore};
use crate::ports::{BulkStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{ActionId, ActionState, BulkJob, TenantId};
use sqlx::Row;

/// Ids per `IN (…)` list: well under both backends' bind limits.
const CHUNK: usize = 500;

#[async_trait]
impl BulkStore for SqlStore {
    async fn create_bulk_job(&self, job: &BulkJob) -> StoreResult<()> {
        sqlx::query("INSERT INTO bulk_jobs (id, tenant_id, created_at, cancelled_at, doc) VALUES ($1, $2, $3, NULL, $4)")
            .bind(job.id.to_string())
            .bind(job.tenant_id.to_string())
            .bind(ms(job.created_at))
            .bind(to_doc(job))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn save_bulk_job(&self, job: &BulkJob) -> StoreResult<()> {
        sqlx::query("UPDATE bulk_jobs SET doc = $1 WHERE id = $2 AND tenant_id = $3")
            .bind(to_doc(job))
            .bind(job.id.to_string())
            .bind(job.tenant_id.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn bulk_job(&self, tenant: TenantId, id: uuid::Uuid) -> StoreResult<Option<BulkJob>> {
        let row = sqlx::query("SELECT doc, cancelled_at FROM bulk_jobs WHERE id = $1 AND tenant_id = $2")
            .bind(id.to_string())
            .bind(tenant.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        let mut job: BulkJob = doc(&row)?;
        let cancelled: Option<i64> = row.try_get("cancelled_at").map_err(db_err)?;
        job.cancelled_at = cancelled.map(from_ms);
        Ok(Some(job))
    }

    async fn cancel_bulk_job(&self, tenant: TenantId, id: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE bulk_jobs SET cancelled_at = COALESCE(cancelled_at, $1) WHERE id = $2 AND tenant_id = $3")
            .bind(ms(at))
            .bind(id.to_string())
            .bind(tenant.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn action_states(&self, tenant: TenantId, ids: &[ActionId]) -> StoreResult<Vec<(ActionId, ActionState)>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK) {
            let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!("SELECT id, state FROM actions WHERE tenant_id = $1 AND id IN ({})", placeholders.join(", "));
            let mut query = sqlx::query(&sql).bind(tenant.to_string());
            for id in chunk {
                query = query.bind(id.to_string());
            }
            for row in query.fetch_all(&self.pool).await.map_err(db_err)? {
                let (id, state): (String, String) = (row.try_get("id").map_err(db_err)?, row.try_get("state").map_err(db_err)?);
                if let (Ok(id), Some(state)) = (id.parse(), ActionState::parse(&state)) {
                    out.push((id, state));
                }
            }
        }
        Ok(out)
    }
}
