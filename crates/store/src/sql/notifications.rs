//! Which portal notifications a user has opened: one row per (user, action), written once.

use super::{db_err, ms, SqlStore};
use crate::ports::{NotificationStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{ActionId, TenantId, UserId};
use sqlx::Row;

#[async_trait]
impl NotificationStore for SqlStore {
    async fn mark_notification_read(&self, tenant: TenantId, user: UserId, action: ActionId, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO notification_reads (tenant_id, user_id, action_id, read_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tenant_id, user_id, action_id) DO NOTHING",
        )
        .bind(tenant.to_string())
        .bind(user.to_string())
        .bind(action.to_string())
        .bind(ms(at))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn read_notifications(&self, tenant: TenantId, user: UserId) -> StoreResult<Vec<ActionId>> {
        let rows = sqlx::query("SELECT action_id FROM notification_reads WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.to_string())
            .bind(user.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().filter_map(|r| r.try_get::<String, _>(0).ok()?.parse().ok()).collect())
    }
}
