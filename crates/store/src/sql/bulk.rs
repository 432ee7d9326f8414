//! Bulk jobs: the document with the per-device outcomes, the cancellation column the worker's
//! progress saves never touch, and the plan and lease that let another instance finish a job
//! whose runner died.

use super::{audit::insert_audit, db_err, doc, from_ms, ms, to_doc, SqlStore};
use crate::ports::{BulkPlan, BulkStore, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{ActionId, ActionState, BulkJob, NewAuditEvent, TenantId};
use sqlx::Row;

/// Ids per `IN (…)` list: well under both backends' bind limits.
const CHUNK: usize = 500;

#[async_trait]
impl BulkStore for SqlStore {
    async fn create_bulk_job(&self, job: &BulkJob, plan: &BulkPlan, runner: &str, until: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO bulk_jobs (id, tenant_id, created_at, cancelled_at, doc, plan, runner, runner_until, finished_at) \
             VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8)",
        )
        .bind(job.id.to_string())
        .bind(job.tenant_id.to_string())
        .bind(ms(job.created_at))
        .bind(to_doc(job))
        .bind(to_doc(plan))
        .bind(runner.to_owned())
        .bind(ms(until))
        .bind(job.finished_at.map(ms))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn save_bulk_progress(&self, job: &BulkJob, runner: &str, until: DateTime<Utc>, audit: &[NewAuditEvent]) -> StoreResult<bool> {
        let mut tx = self.write_tx().await?;
        // Fenced by the lease: a runner that stalled past it and was replaced writes nothing.
        let saved = sqlx::query(
            "UPDATE bulk_jobs SET doc = $1, runner_until = $2, finished_at = $3 WHERE id = $4 AND tenant_id = $5 AND runner = $6",
        )
        .bind(to_doc(job))
        .bind(ms(until))
        .bind(job.finished_at.map(ms))
        .bind(job.id.to_string())
        .bind(job.tenant_id.to_string())
        .bind(runner.to_owned())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if saved.rows_affected() == 0 {
            tx.rollback().await.map_err(db_err)?;
            return Ok(false);
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn claim_bulk_jobs(
        &self,
        runner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<(BulkJob, BulkPlan)>> {
        // As `claim_outbox`: PostgreSQL skips rows another claimer holds, SQLite runs the
        // statement alone; a claimed job's lease no longer lapsed, so no second claim takes it.
        let lock = match self.backend {
            super::Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            super::Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE bulk_jobs SET runner = $1, runner_until = $2 WHERE id IN \
             (SELECT id FROM bulk_jobs WHERE finished_at IS NULL AND plan IS NOT NULL AND runner_until <= $3 \
              ORDER BY runner_until LIMIT $4{lock}) \
             RETURNING doc, cancelled_at, plan"
        );
        let rows = sqlx::query(&sql)
            .bind(runner.to_owned())
            .bind(ms(until))
            .bind(ms(now))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut job: BulkJob = doc(&row)?;
            let cancelled: Option<i64> = row.try_get("cancelled_at").map_err(db_err)?;
            job.cancelled_at = cancelled.map(from_ms);
            let plan: String = row.try_get("plan").map_err(db_err)?;
            let plan: BulkPlan =
                serde_json::from_str(&plan).map_err(|_| StoreError::Backend("a bulk job's stored plan does not decode".into()))?;
            out.push((job, plan));
        }
        Ok(out)
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
