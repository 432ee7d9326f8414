use super::{db_err, docs, to_doc, SqlStore};
use crate::ports::{DeviceFilter, DeviceStore, Page, PageOf, StoreResult};
use async_trait::async_trait;
use pinreset_core::{Device, DeviceId, TenantId};
use sqlx::Row;

/// What free-text search looks in, lower-cased once at write time.
fn search_text(d: &Device) -> String {
    [Some(&d.name), d.model.as_ref(), d.serial_number.as_ref(), d.udid.as_ref(), d.imei.as_ref()]
        .into_iter()
        .flatten()
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `LIKE` pattern matching `s` literally anywhere.
fn contains_pattern(s: &str) -> String {
    let escaped = s.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

#[async_trait]
impl DeviceStore for SqlStore {
    async fn upsert_device(&self, d: &Device) -> StoreResult<()> {
        super::no_nul("the device's name, model or identifiers", &search_text(d))?;
        sqlx::query(
            "INSERT INTO devices (id, tenant_id, name, platform, primary_user_id, retired, search, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, platform = excluded.platform, primary_user_id = excluded.primary_user_id, \
             retired = excluded.retired, search = excluded.search, doc = excluded.doc",
        )
        .bind(d.id.to_string())
        .bind(d.tenant_id.to_string())
        .bind(d.name.clone())
        .bind(d.platform.as_str())
        .bind(d.primary_user_id.map(|u| u.to_string()))
        .bind(i64::from(d.retired_at.is_some()))
        .bind(search_text(d))
        .bind(to_doc(d))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn device(&self, tenant: TenantId, id: DeviceId) -> StoreResult<Option<Device>> {
        self.doc_in_tenant("devices", tenant, id).await
    }

    async fn list_devices(&self, tenant: TenantId, filter: &DeviceFilter, page: Page) -> StoreResult<PageOf<Device>> {
        let mut binds = vec![tenant.to_string()];
        let mut clause = String::from("tenant_id = $1");
        let mut add = |sql: &str, value: String| {
            binds.push(value);
            clause.push_str(&format!(" AND {}", sql.replace('?', &format!("${}", binds.len()))));
        };
        if let Some(p) = filter.platform {
            add("platform = ?", p.as_str().to_string());
        }
        if let Some(owner) = filter.owner {
            add("primary_user_id = ?", owner.to_string());
        }
        if let Some(group) = filter.group {
            add("id IN (SELECT device_id FROM device_group_members WHERE group_id = ?)", group.to_string());
        }
        if let Some(text) = filter.search.as_deref() {
            super::no_nul("search", text)?;
            add("search LIKE ? ESCAPE '\\'", contains_pattern(text));
        }
        if !filter.include_retired {
            clause.push_str(" AND retired = 0");
        }
        let count_sql = format!("SELECT COUNT(*) AS n FROM devices WHERE {clause}");
        let mut count = sqlx::query(&count_sql);
        for b in &binds {
            count = count.bind(b.clone());
        }
        let total: i64 = count.fetch_one(&self.pool).await.map_err(db_err)?.try_get("n").map_err(db_err)?;
        let n = binds.len();
        let list_sql = format!("SELECT doc FROM devices WHERE {clause} ORDER BY name, id LIMIT ${} OFFSET ${}", n + 1, n + 2);
        let mut list = sqlx::query(&list_sql);
        for b in &binds {
            list = list.bind(b.clone());
        }
        let rows = list.bind(i64::from(page.limit)).bind(i64::from(page.offset)).fetch_all(&self.pool).await.map_err(db_err)?;
        Ok(PageOf { items: docs(&rows)?, total: total as u64 })
    }

    async fn bind_identity(&self, kind: &str, external_id: &str, tenant: TenantId, device: DeviceId) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO device_identities (kind, external_id, tenant_id, device_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (kind, external_id) DO UPDATE SET tenant_id = excluded.tenant_id, device_id = excluded.device_id",
        )
        .bind(kind.to_owned())
        .bind(external_id.to_owned())
        .bind(tenant.to_string())
        .bind(device.to_string())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn device_by_identity(&self, kind: &str, external_id: &str) -> StoreResult<Option<Device>> {
        let rows = sqlx::query(
            "SELECT d.doc AS doc FROM device_identities i JOIN devices d ON d.id = i.device_id AND d.tenant_id = i.tenant_id \
             WHERE i.kind = $1 AND i.external_id = $2",
        )
        .bind(kind.to_owned())
        .bind(external_id.to_owned())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(docs(&rows)?.pop())
    }

    async fn unbind_identities(&self, device: DeviceId, kind: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM device_identities WHERE device_id = $1 AND kind = $2")
            .bind(device.to_string())
            .bind(kind.to_owned())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
