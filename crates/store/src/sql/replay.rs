//! Digests of signed device messages seen within their validity window: a message replayed to
//! any instance finds its digest here (the primary key decides between concurrent copies).

use super::{db_err, ms, SqlStore};
use crate::ports::{ReplayStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
impl ReplayStore for SqlStore {
    async fn remember_message(&self, digest: &str, expires_at: DateTime<Utc>) -> StoreResult<bool> {
        let inserted = sqlx::query("INSERT INTO seen_messages (digest, expires_at) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING")
            .bind(digest.to_owned())
            .bind(ms(expires_at))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn forget_expired_messages(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let deleted =
            sqlx::query("DELETE FROM seen_messages WHERE expires_at <= $1").bind(ms(now)).execute(&self.pool).await.map_err(db_err)?;
        Ok(deleted.rows_affected())
    }

    async fn try_lease(&self, name: &str, holder: &str, now: DateTime<Utc>, until: DateTime<Utc>) -> StoreResult<bool> {
        // One statement: the row is inserted, or updated only when lapsed or ours; a concurrent
        // taker's statement waits for ours (row lock / single writer) and then sees our lease.
        let taken = sqlx::query(
            "INSERT INTO leases (name, holder, until_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms \
             WHERE leases.until_ms <= $4 OR leases.holder = excluded.holder",
        )
        .bind(name.to_owned())
        .bind(holder.to_owned())
        .bind(ms(until))
        .bind(ms(now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(taken.rows_affected() == 1)
    }
}
