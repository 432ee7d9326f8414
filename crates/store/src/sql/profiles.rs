use super::{db_err, docs, from_ms, ms, to_doc, SqlStore};
use crate::ports::{ProfileStore, StoreError, StoreResult};
use async_trait::async_trait;
use pinreset_core::profile::{Assignments, Profile, ProfileId, SettingResult};
use pinreset_core::{DeviceId, TenantId};
use sqlx::Row;

#[async_trait]
impl ProfileStore for SqlStore {
    async fn save_profile(&self, p: &Profile) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO profiles (id, tenant_id, name, doc) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, doc = excluded.doc",
        )
        .bind(p.id.to_string())
        .bind(p.tenant_id.to_string())
        .bind(p.name.clone())
        .bind(to_doc(p))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn profile(&self, tenant: TenantId, id: ProfileId) -> StoreResult<Option<Profile>> {
        self.doc_in_tenant("profiles", tenant, id).await
    }

    async fn list_profiles(&self, tenant: TenantId) -> StoreResult<Vec<Profile>> {
        let rows = sqlx::query("SELECT doc FROM profiles WHERE tenant_id = $1 ORDER BY name, id")
            .bind(tenant.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        docs(&rows)
    }

    async fn set_assignments(&self, tenant: TenantId, id: ProfileId, a: &Assignments) -> StoreResult<()> {
        let done = sqlx::query("UPDATE profiles SET assignments = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(to_doc(a))
            .bind(tenant.to_string())
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn assignments(&self, tenant: TenantId, id: ProfileId) -> StoreResult<Assignments> {
        let row = sqlx::query("SELECT assignments FROM profiles WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let text: String = row.try_get("assignments").map_err(db_err)?;
        serde_json::from_str(&text).map_err(|_| StoreError::Backend("stored assignments do not decode".into()))
    }

    async fn record_setting_results(&self, device: DeviceId, profile: ProfileId, results: &[SettingResult]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        for r in results {
            sqlx::query(
                "INSERT INTO profile_results (device_id, profile_id, oma_uri, status, profile_version, at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (device_id, profile_id, oma_uri) DO UPDATE SET status = excluded.status, \
                 profile_version = excluded.profile_version, at = excluded.at",
            )
            .bind(device.to_string())
            .bind(profile.to_string())
            .bind(r.oma_uri.clone())
            .bind(i64::from(r.status))
            .bind(i64::from(r.profile_version))
            .bind(ms(r.at))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn setting_results(&self, profile: ProfileId) -> StoreResult<Vec<(DeviceId, SettingResult)>> {
        let rows = sqlx::query(
            "SELECT device_id, oma_uri, status, profile_version, at FROM profile_results WHERE profile_id = $1 ORDER BY device_id, oma_uri",
        )
        .bind(profile.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let device: String = r.try_get("device_id").map_err(db_err)?;
                Ok((
                    device.parse().map_err(|_| StoreError::Backend("bad device id in profile results".into()))?,
                    SettingResult {
                        oma_uri: r.try_get("oma_uri").map_err(db_err)?,
                        status: r.try_get::<i64, _>("status").map_err(db_err)? as u16,
                        profile_version: r.try_get::<i64, _>("profile_version").map_err(db_err)? as u32,
                        at: from_ms(r.try_get("at").map_err(db_err)?),
                    },
                ))
            })
            .collect()
    }
}
