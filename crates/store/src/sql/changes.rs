//! Cross-instance change notifications. Instances behind a load balancer each answer idle
//! check-ins from memory; when an action is queued or finished on one, the others hear of it
//! through PostgreSQL NOTIFY, sent inside the writing transaction so it fires only on commit.

use super::{db_err, Backend, SqlStore};
use crate::ports::{ChangeFeed, StoreResult};
use async_trait::async_trait;
use pinreset_core::DeviceId;
use sqlx::{Any, Transaction};

pub(crate) const PENDING_CHANNEL: &str = "pinreset_pending";

/// Device ids per notification: a payload is their comma-separated list, and PostgreSQL caps a
/// payload below 8,000 bytes (37 bytes an id).
const DEVICES_PER_NOTIFY: usize = 200;

/// Queue a notification for `devices` in the caller's transaction (PostgreSQL only).
pub(crate) async fn notify_pending(backend: Backend, tx: &mut Transaction<'_, Any>, devices: &[DeviceId]) -> StoreResult<()> {
    if backend != Backend::Postgres {
        return Ok(());
    }
    for chunk in devices.chunks(DEVICES_PER_NOTIFY) {
        let payload = chunk.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        sqlx::query("SELECT pg_notify($1, $2)").bind(PENDING_CHANNEL).bind(payload).execute(&mut **tx).await.map_err(db_err)?;
    }
    Ok(())
}

#[async_trait]
impl ChangeFeed for SqlStore {
    async fn pending_changes(&self) -> StoreResult<Option<tokio::sync::mpsc::Receiver<DeviceId>>> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&self.url).await.map_err(db_err)?;
        listener.listen(PENDING_CHANNEL).await.map_err(db_err)?;
        let (tx, rx) = tokio::sync::mpsc::channel(1024);
        tokio::spawn(async move {
            loop {
                match listener.recv().await {
                    Ok(n) => {
                        for device in n.payload().split(',').filter_map(|id| id.parse::<DeviceId>().ok()) {
                            if tx.send(device).await.is_err() {
                                return; // nobody listens any more
                            }
                        }
                    }
                    // PgListener reconnects by itself on the next recv; don't spin meanwhile.
                    Err(e) => {
                        tracing::warn!(error = %db_err(e), "change feed interrupted; reconnecting");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(Some(rx))
    }
}
