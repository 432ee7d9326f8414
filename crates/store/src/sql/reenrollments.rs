//! Re-enrollment requests: enrollments that named an enrolled device without proving they are
//! it, waiting for a tenant admin.

use super::audit::insert_audit;
use super::{db_err, docs, ms, to_doc, SqlStore};
use crate::ports::{ReenrollmentStore, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{DeviceId, NewAuditEvent, Reenrollment, ReenrollmentState, TenantId, UserId};
use sqlx::{Any, Transaction};

/// Compare-and-set on the stored state, inside the caller's transaction.
pub(crate) async fn save_in(tx: &mut Transaction<'static, Any>, r: &Reenrollment, expected: ReenrollmentState) -> StoreResult<()> {
    let updated = sqlx::query("UPDATE reenrollment_requests SET state = $1, doc = $2 WHERE id = $3 AND state = $4")
        .bind(r.state.as_str())
        .bind(to_doc(r))
        .bind(r.id.to_string())
        .bind(expected.as_str())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    if updated.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!("the re-enrollment request is no longer {}", expected.as_str())))
    }
}

#[async_trait]
impl ReenrollmentStore for SqlStore {
    async fn request_reenrollment(&self, request: &Reenrollment, audit: &[NewAuditEvent], now: DateTime<Utc>) -> StoreResult<Reenrollment> {
        let mut tx = self.write_tx().await?;
        let rows = sqlx::query(
            "SELECT doc FROM reenrollment_requests WHERE device_id = $1 AND requested_by = $2 AND state IN ('pending', 'approved') \
             ORDER BY requested_at DESC",
        )
        .bind(request.device_id.to_string())
        .bind(request.requested_by.to_string())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        if let Some(open) = docs::<Reenrollment>(&rows)?.into_iter().find(|r| r.is_open(now)) {
            tx.rollback().await.map_err(db_err)?;
            return Ok(open);
        }
        sqlx::query(
            "INSERT INTO reenrollment_requests (id, tenant_id, device_id, requested_by, state, requested_at, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(request.id.to_string())
        .bind(request.tenant_id.to_string())
        .bind(request.device_id.to_string())
        .bind(request.requested_by.to_string())
        .bind(request.state.as_str())
        .bind(ms(request.requested_at))
        .bind(to_doc(request))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(request.clone())
    }

    async fn reenrollment(&self, tenant: TenantId, id: uuid::Uuid) -> StoreResult<Option<Reenrollment>> {
        self.doc_in_tenant("reenrollment_requests", tenant, id).await
    }

    async fn list_reenrollments(&self, tenant: TenantId, limit: u32) -> StoreResult<Vec<Reenrollment>> {
        let rows = sqlx::query("SELECT doc FROM reenrollment_requests WHERE tenant_id = $1 ORDER BY requested_at DESC, id LIMIT $2")
            .bind(tenant.to_string())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        docs(&rows)
    }

    async fn open_reenrollment(&self, device: DeviceId, user: UserId, now: DateTime<Utc>) -> StoreResult<Option<Reenrollment>> {
        let rows = sqlx::query(
            "SELECT doc FROM reenrollment_requests WHERE device_id = $1 AND requested_by = $2 AND state IN ('pending', 'approved') \
             ORDER BY requested_at DESC",
        )
        .bind(device.to_string())
        .bind(user.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(docs::<Reenrollment>(&rows)?.into_iter().find(|r| r.is_open(now)))
    }

    async fn save_reenrollment(&self, request: &Reenrollment, expected: ReenrollmentState, audit: &[NewAuditEvent]) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        if let Err(e) = save_in(&mut tx, request, expected).await {
            tx.rollback().await.map_err(db_err)?;
            return Err(e);
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)
    }
}
