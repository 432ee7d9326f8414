use super::{db_err, from_ms, ms, SqlStore};
use crate::ports::{NewSecret, SecretKey, SecretLookup, SecretStore, StoreError, StoreResult};
use crate::seal::MasterKey;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{DeviceId, DeviceSecret, Secret, TenantSecret};
use sqlx::{Any, Row, Transaction};

impl SqlStore {
    /// A stored row of `key` as the caller sees it: unsealed, expired, or purged.
    fn lookup(&self, key: &SecretKey, row: &sqlx::any::AnyRow, now: DateTime<Utc>) -> StoreResult<SecretLookup> {
        let sealed: Option<Vec<u8>> = row.try_get("sealed").map_err(db_err)?;
        let expires_at = row.try_get::<Option<i64>, _>("expires_at").map_err(db_err)?.map(from_ms);
        let purged_at = row.try_get::<Option<i64>, _>("purged_at").map_err(db_err)?.map(from_ms);
        match (sealed, expires_at) {
            (Some(_), Some(exp)) if exp <= now => Ok(SecretLookup::Expired { expired_at: exp }),
            (Some(sealed), exp) => {
                let plain = self.key.open(&sealed, &context(key))?;
                let text = String::from_utf8(plain).map_err(|_| StoreError::Unseal)?;
                Ok(SecretLookup::Available { secret: Secret::new(text), expires_at: exp })
            }
            (None, exp) => Ok(SecretLookup::Expired { expired_at: exp.or(purged_at).unwrap_or(now) }),
        }
    }
}

fn columns(key: &SecretKey) -> (&'static str, String, &'static str) {
    match key {
        SecretKey::ActionPasscode(id) => ("action", id.to_string(), "passcode"),
        SecretKey::Device(id, purpose) => ("device", id.to_string(), purpose.as_str()),
        SecretKey::Tenant(id, purpose) => ("tenant", id.to_string(), purpose.as_str()),
        SecretKey::SignIn(id) => ("sign_in", id.to_string(), "oidc"),
        SecretKey::StepUpTicket(id) => ("step_up", id.to_string(), "ticket"),
        SecretKey::StepUpGrant(session) => ("step_up", session.to_string(), "grant"),
    }
}

/// The associated data binding a sealed value to its row.
fn context(key: &SecretKey) -> String {
    let (kind, id, purpose) = columns(key);
    format!("{kind}:{id}:{purpose}")
}

fn key_from_columns(kind: &str, id: &str, purpose: &str) -> Option<SecretKey> {
    match kind {
        "action" => Some(SecretKey::ActionPasscode(id.parse().ok()?)),
        "device" => Some(SecretKey::Device(id.parse().ok()?, DeviceSecret::parse(purpose)?)),
        "tenant" => Some(SecretKey::Tenant(id.parse().ok()?, TenantSecret::parse(purpose)?)),
        "sign_in" => Some(SecretKey::SignIn(id.parse().ok()?)),
        "step_up" if purpose == "ticket" => Some(SecretKey::StepUpTicket(id.parse().ok()?)),
        "step_up" if purpose == "grant" => Some(SecretKey::StepUpGrant(id.parse().ok()?)),
        _ => None,
    }
}

pub(crate) async fn upsert_secret(tx: &mut Transaction<'_, Any>, key: &MasterKey, new: &NewSecret<'_>) -> StoreResult<()> {
    let (kind, id, purpose) = columns(&new.key);
    let sealed = key.seal(new.secret.expose().as_bytes(), &context(&new.key));
    sqlx::query(
        "INSERT INTO secrets (owner_kind, owner_id, purpose, sealed, expires_at, purged_at) VALUES ($1, $2, $3, $4, $5, NULL) \
         ON CONFLICT (owner_kind, owner_id, purpose) DO UPDATE SET sealed = excluded.sealed, expires_at = excluded.expires_at, purged_at = NULL",
    )
    .bind(kind)
    .bind(id)
    .bind(purpose)
    .bind(sealed)
    .bind(new.expires_at.map(ms))
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl SecretStore for SqlStore {
    async fn put_secret(&self, new: NewSecret<'_>) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        upsert_secret(&mut tx, &self.key, &new).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn put_secrets(&self, new: &[NewSecret<'_>]) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        for n in new {
            upsert_secret(&mut tx, &self.key, n).await?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn create_secrets(&self, new: &[NewSecret<'_>]) -> StoreResult<bool> {
        let mut tx = self.write_tx().await?;
        for n in new {
            let (kind, id, purpose) = columns(&n.key);
            let sealed = self.key.seal(n.secret.expose().as_bytes(), &context(&n.key));
            let inserted = sqlx::query(
                "INSERT INTO secrets (owner_kind, owner_id, purpose, sealed, expires_at, purged_at) VALUES ($1, $2, $3, $4, $5, NULL) \
                 ON CONFLICT (owner_kind, owner_id, purpose) DO NOTHING",
            )
            .bind(kind)
            .bind(id)
            .bind(purpose)
            .bind(sealed)
            .bind(n.expires_at.map(ms))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            if inserted.rows_affected() == 0 {
                // Someone created it first: keep theirs, whole.
                tx.rollback().await.map_err(db_err)?;
                return Ok(false);
            }
        }
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn secret(&self, key: &SecretKey, now: DateTime<Utc>) -> StoreResult<SecretLookup> {
        let mut found = self.secrets(std::slice::from_ref(key), now).await?;
        Ok(found.pop().unwrap_or(SecretLookup::Missing))
    }

    async fn secrets(&self, keys: &[SecretKey], now: DateTime<Utc>) -> StoreResult<Vec<SecretLookup>> {
        // One statement per KEYS_PER_SELECT keys (3 binds each): a dispatch reading the push
        // token and magic of a hundred devices asks once, not two hundred times.
        const KEYS_PER_SELECT: usize = 100;
        let mut rows_by_key = std::collections::HashMap::new();
        for chunk in keys.chunks(KEYS_PER_SELECT) {
            let wanted: Vec<String> = (0..chunk.len())
                .map(|i| format!("(owner_kind = ${} AND owner_id = ${} AND purpose = ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                .collect();
            let sql =
                format!("SELECT owner_kind, owner_id, purpose, sealed, expires_at, purged_at FROM secrets WHERE {}", wanted.join(" OR "));
            let mut q = sqlx::query(&sql);
            for key in chunk {
                let (kind, id, purpose) = columns(key);
                q = q.bind(kind).bind(id).bind(purpose);
            }
            for row in q.fetch_all(&self.pool).await.map_err(db_err)? {
                let at = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
                rows_by_key.insert((at("owner_kind")?, at("owner_id")?, at("purpose")?), row);
            }
        }
        keys.iter()
            .map(|key| {
                let (kind, id, purpose) = columns(key);
                match rows_by_key.get(&(kind.to_string(), id, purpose.to_string())) {
                    Some(row) => self.lookup(key, row, now),
                    None => Ok(SecretLookup::Missing),
                }
            })
            .collect()
    }

    async fn delete_secret(&self, key: &SecretKey) -> StoreResult<()> {
        let (kind, id, purpose) = columns(key);
        sqlx::query("DELETE FROM secrets WHERE owner_kind = $1 AND owner_id = $2 AND purpose = $3")
            .bind(kind)
            .bind(id)
            .bind(purpose)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn take_secret(&self, key: &SecretKey, now: DateTime<Utc>) -> StoreResult<Option<Secret>> {
        let (kind, id, purpose) = columns(key);
        // DELETE … RETURNING: the row is gone for everyone the moment one caller reads it.
        let rows = sqlx::query("DELETE FROM secrets WHERE owner_kind = $1 AND owner_id = $2 AND purpose = $3 RETURNING sealed, expires_at")
            .bind(kind)
            .bind(id)
            .bind(purpose)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let Some(row) = rows.first() else { return Ok(None) };
        let sealed: Option<Vec<u8>> = row.try_get("sealed").map_err(db_err)?;
        let expires_at = row.try_get::<Option<i64>, _>("expires_at").map_err(db_err)?.map(from_ms);
        match sealed {
            Some(sealed) if expires_at.is_none_or(|e| e > now) => {
                let plain = self.key.open(&sealed, &context(key))?;
                Ok(Some(Secret::new(String::from_utf8(plain).map_err(|_| StoreError::Unseal)?)))
            }
            _ => Ok(None),
        }
    }

    async fn delete_device_secrets(&self, device: DeviceId) -> StoreResult<()> {
        sqlx::query("DELETE FROM secrets WHERE owner_kind = 'device' AND owner_id = $1")
            .bind(device.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn purge_expired_secrets(&self, now: DateTime<Utc>) -> StoreResult<Vec<SecretKey>> {
        // Sign-ins never finished leave nothing behind, not even a tombstone.
        sqlx::query("DELETE FROM secrets WHERE owner_kind = 'sign_in' AND expires_at <= $1")
            .bind(ms(now))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        // One statement that both destroys and reports: two instances purging at once (or a
        // secret stored between a SELECT and an UPDATE) can neither double-report nor miss one.
        let rows = sqlx::query(
            "UPDATE secrets SET sealed = NULL, purged_at = $1 WHERE sealed IS NOT NULL AND expires_at <= $2 \
             RETURNING owner_kind, owner_id, purpose",
        )
        .bind(ms(now))
        .bind(ms(now))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let mut keys = Vec::new();
        for r in rows {
            let (k, i, p): (String, String, String) =
                (r.try_get("owner_kind").map_err(db_err)?, r.try_get("owner_id").map_err(db_err)?, r.try_get("purpose").map_err(db_err)?);
            keys.extend(key_from_columns(&k, &i, &p));
        }
        Ok(keys)
    }
}
