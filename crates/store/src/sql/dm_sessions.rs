//! OMA-DM multi-message sessions: the state between a session's messages, so any instance can
//! answer the next one.

use super::{db_err, ms, SqlStore};
use crate::ports::{DmSessionStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::DeviceId;
use sqlx::Row;

#[async_trait]
impl DmSessionStore for SqlStore {
    async fn dm_session(&self, device: DeviceId, session_id: &str, now: DateTime<Utc>) -> StoreResult<Option<String>> {
        super::no_nul("session id", session_id)?;
        let row = sqlx::query("SELECT doc FROM dm_sessions WHERE device_id = $1 AND session_id = $2 AND expires_at > $3")
            .bind(device.to_string())
            .bind(session_id.to_owned())
            .bind(ms(now))
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.map(|r| r.try_get::<String, _>("doc").map_err(db_err)).transpose()
    }

    async fn save_dm_session(&self, device: DeviceId, session_id: &str, doc: &str, expires_at: DateTime<Utc>) -> StoreResult<()> {
        super::no_nul("session id", session_id)?;
        sqlx::query(
            "INSERT INTO dm_sessions (device_id, session_id, doc, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (device_id, session_id) DO UPDATE SET doc = excluded.doc, expires_at = excluded.expires_at",
        )
        .bind(device.to_string())
        .bind(session_id.to_owned())
        .bind(doc.to_owned())
        .bind(ms(expires_at))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn end_dm_session(&self, device: DeviceId, session_id: &str) -> StoreResult<()> {
        super::no_nul("session id", session_id)?;
        sqlx::query("DELETE FROM dm_sessions WHERE device_id = $1 AND session_id = $2")
            .bind(device.to_string())
            .bind(session_id.to_owned())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn forget_expired_dm_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM dm_sessions WHERE expires_at <= $1").bind(ms(now)).execute(&self.pool).await.map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
