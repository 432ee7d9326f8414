//! Android agent enrollment tokens: the SHA-256 of the token, what it grants, and whether an
//! enrollment spent it (an UPDATE … WHERE used_at IS NULL, so two enrollments cannot both).

use super::{db_err, from_ms, ms, SqlStore};
use crate::ports::{AndroidEnrollmentStore, AndroidEnrollmentToken, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{DeviceId, NewAuditEvent, Ownership};
use sqlx::Row;

fn ownership_str(o: Ownership) -> &'static str {
    match o {
        Ownership::Corporate => "corporate",
        Ownership::Personal => "personal",
    }
}

#[async_trait]
impl AndroidEnrollmentStore for SqlStore {
    async fn create_android_enrollment_token(
        &self,
        token_sha256: &str,
        token: &AndroidEnrollmentToken,
        audit: &[NewAuditEvent],
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO android_enrollment_tokens (token_sha256, tenant_id, user_id, ownership, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_sha256.to_owned())
        .bind(token.tenant_id.to_string())
        .bind(token.user_id.to_string())
        .bind(ownership_str(token.ownership))
        .bind(ms(token.created_at))
        .bind(ms(token.expires_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        super::audit::insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn android_enrollment_token(&self, token_sha256: &str, now: DateTime<Utc>) -> StoreResult<Option<AndroidEnrollmentToken>> {
        let row = sqlx::query(
            "SELECT tenant_id, user_id, ownership, created_at, expires_at FROM android_enrollment_tokens \
             WHERE token_sha256 = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_sha256.to_owned())
        .bind(ms(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        let get = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
        let (tenant, user, ownership) = (get("tenant_id")?, get("user_id")?, get("ownership")?);
        let (Ok(tenant_id), Ok(user_id)) = (tenant.parse(), user.parse()) else { return Ok(None) };
        let ownership = if ownership == "corporate" { Ownership::Corporate } else { Ownership::Personal };
        Ok(Some(AndroidEnrollmentToken {
            tenant_id,
            user_id,
            ownership,
            created_at: from_ms(row.try_get("created_at").map_err(db_err)?),
            expires_at: from_ms(row.try_get("expires_at").map_err(db_err)?),
        }))
    }

    async fn spend_android_enrollment_token(&self, token_sha256: &str, device: DeviceId, now: DateTime<Utc>) -> StoreResult<bool> {
        let spent = sqlx::query(
            "UPDATE android_enrollment_tokens SET used_at = $1, device_id = $2 \
             WHERE token_sha256 = $3 AND used_at IS NULL AND expires_at > $1",
        )
        .bind(ms(now))
        .bind(device.to_string())
        .bind(token_sha256.to_owned())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(spent.rows_affected() == 1)
    }
}
