//! Web sessions: one row per sign-in, found by the SHA-256 of the cookie's token.

use super::{db_err, docs, ms, to_doc, SqlStore};
use crate::ports::{SessionStore, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{TenantId, UserId, WebSession};

impl SqlStore {
    /// Rewrite a session's document after changing it (revocation, fresh authentication).
    async fn update_session(&self, id: uuid::Uuid, change: impl Fn(&mut WebSession)) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let rows =
            sqlx::query("SELECT doc FROM web_sessions WHERE id = $1").bind(id.to_string()).fetch_all(&mut *tx).await.map_err(db_err)?;
        let Some(mut session) = docs::<WebSession>(&rows)?.pop() else {
            tx.rollback().await.map_err(db_err)?;
            return Err(StoreError::NotFound);
        };
        change(&mut session);
        sqlx::query("UPDATE web_sessions SET revoked = $1, doc = $2 WHERE id = $3")
            .bind(i64::from(session.revoked_at.is_some()))
            .bind(to_doc(&session))
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }
}

#[async_trait]
impl SessionStore for SqlStore {
    async fn create_session(&self, s: &WebSession, token_sha256: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO web_sessions (token_sha256, id, tenant_id, user_id, expires_at, revoked, doc) VALUES ($1, $2, $3, $4, $5, 0, $6)",
        )
        .bind(token_sha256.to_owned())
        .bind(s.id.to_string())
        .bind(s.tenant_id.to_string())
        .bind(s.user_id.to_string())
        .bind(ms(s.expires_at))
        .bind(to_doc(s))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn session_by_token(&self, token_sha256: &str, now: DateTime<Utc>) -> StoreResult<Option<WebSession>> {
        let rows = sqlx::query("SELECT doc FROM web_sessions WHERE token_sha256 = $1 AND revoked = 0 AND expires_at > $2")
            .bind(token_sha256.to_owned())
            .bind(ms(now))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(docs::<WebSession>(&rows)?.pop().filter(|s| s.is_live(now)))
    }

    async fn reauthenticated(&self, id: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        self.update_session(id, |s| s.authenticated_at = at).await
    }

    async fn revoke_session(&self, id: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        self.update_session(id, |s| s.revoked_at = s.revoked_at.or(Some(at))).await
    }

    async fn revoke_user_sessions(&self, tenant: TenantId, user: UserId, at: DateTime<Utc>) -> StoreResult<u64> {
        let rows = sqlx::query("SELECT doc FROM web_sessions WHERE tenant_id = $1 AND user_id = $2 AND revoked = 0")
            .bind(tenant.to_string())
            .bind(user.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut live = 0;
        for s in docs::<WebSession>(&rows)? {
            live += u64::from(s.is_live(at));
            self.revoke_session(s.id, at).await?;
        }
        Ok(live)
    }
}
