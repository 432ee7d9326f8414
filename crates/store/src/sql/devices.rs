use super::audit::insert_audit;
use super::secrets::upsert_secret;
use super::{db_err, docs, to_doc, SqlStore};
use crate::ports::{DeviceFilter, DeviceStore, EnrollmentWrite, Keyset, Page, PageOf, StoreError, StoreResult};
use async_trait::async_trait;
use pinreset_core::{Device, DeviceId, IdentityKind, NewAuditEvent, ReenrollmentState, TenantId};
use sqlx::{Any, AnyConnection, Row, Transaction};

/// What free-text search looks in, lower-cased once at write time.
fn search_text(d: &Device) -> String {
    [Some(&d.name), d.model.as_ref(), d.serial_number.as_ref(), d.udid.as_ref(), d.imei.as_ref()]
        .into_iter()
        .flatten()
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) async fn upsert(conn: &mut AnyConnection, d: &Device) -> StoreResult<()> {
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
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Bind without ever moving a binding: taken by another device → `Conflict`.
async fn bind(conn: &mut AnyConnection, kind: IdentityKind, external_id: &str, tenant: TenantId, device: DeviceId) -> StoreResult<()> {
    let inserted = sqlx::query(
        "INSERT INTO device_identities (kind, external_id, tenant_id, device_id) VALUES ($1, $2, $3, $4) ON CONFLICT (kind, external_id) DO NOTHING",
    )
    .bind(kind.as_str())
    .bind(external_id.to_owned())
    .bind(tenant.to_string())
    .bind(device.to_string())
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    if inserted.rows_affected() == 1 {
        return Ok(());
    }
    let holder: Option<(String, String)> =
        sqlx::query_as("SELECT tenant_id, device_id FROM device_identities WHERE kind = $1 AND external_id = $2")
            .bind(kind.as_str())
            .bind(external_id.to_owned())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
    match holder {
        Some((t, d)) if t == tenant.to_string() && d == device.to_string() => Ok(()),
        _ => Err(StoreError::Conflict(format!("the {} is bound to another device", kind.as_str()))),
    }
}

async fn write_enrollment(tx: &mut Transaction<'static, Any>, key: &crate::seal::MasterKey, w: &EnrollmentWrite<'_>) -> StoreResult<()> {
    let d = w.device;
    upsert(tx, d).await?;
    for kind in w.replace_kinds {
        sqlx::query("DELETE FROM device_identities WHERE device_id = $1 AND kind = $2")
            .bind(d.id.to_string())
            .bind(kind.as_str())
            .execute(&mut **tx)
            .await
            .map_err(db_err)?;
    }
    for (kind, external_id) in w.identities {
        bind(tx, *kind, external_id, d.tenant_id, d.id).await?;
    }
    if w.drop_device_secrets {
        sqlx::query("DELETE FROM secrets WHERE owner_kind = 'device' AND owner_id = $1")
            .bind(d.id.to_string())
            .execute(&mut **tx)
            .await
            .map_err(db_err)?;
    }
    for secret in &w.secrets {
        upsert_secret(tx, key, secret).await?;
    }
    if let Some(nonce) = w.dm_nonce {
        sqlx::query(
            "INSERT INTO dm_nonces (device_id, nonce) VALUES ($1, $2) ON CONFLICT (device_id) DO UPDATE SET nonce = excluded.nonce",
        )
        .bind(d.id.to_string())
        .bind(nonce.to_owned())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    }
    if let Some(serial) = w.spend_grant {
        sqlx::query("UPDATE enrollment_grants SET spent_at = $1 WHERE cert_serial = $2 AND spent_at IS NULL")
            .bind(super::ms(d.enrolled_at))
            .bind(serial.to_owned())
            .execute(&mut **tx)
            .await
            .map_err(db_err)?;
    }
    if let Some(request) = w.complete_reenrollment {
        let mut done = request.clone();
        done.state = ReenrollmentState::Completed;
        super::reenrollments::save_in(tx, &done, ReenrollmentState::Approved).await?;
    }
    insert_audit(tx, w.audit).await
}

/// `LIKE` pattern matching `s` literally anywhere.
pub(crate) fn contains_pattern(s: &str) -> String {
    let escaped = s.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Below this many matches a search reads its matches through the search index and sorts them.
const FEW_MATCHES: i64 = 2_000;

#[async_trait]
impl DeviceStore for SqlStore {
    async fn upsert_device(&self, d: &Device) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        upsert(&mut conn, d).await
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
        // The total counts the whole filtered list; the keyset only picks the page.
        let (order, offset) = match &filter.keyset {
            None => ("name, id", page.offset),
            // Row values: both backends seek the (…, name, id) index to the position.
            Some(Keyset::After(c)) => {
                clause.push_str(&format!(" AND (name, id) > (${}, ${})", binds.len() + 1, binds.len() + 2));
                binds.extend([c.name.clone(), c.id.to_string()]);
                ("name, id", 0)
            }
            Some(Keyset::Before(c)) => {
                clause.push_str(&format!(" AND (name, id) < (${}, ${})", binds.len() + 1, binds.len() + 2));
                binds.extend([c.name.clone(), c.id.to_string()]);
                ("name DESC, id DESC", 0)
            }
        };
        let n = binds.len();
        // A search matching few devices: find them in the search index, then sort those few.
        // Matching many: walk the list in order and stop at the page (matches are dense).
        let source =
            if filter.search.is_some() && total <= FEW_MATCHES { format!("id IN (SELECT id FROM devices WHERE {clause})") } else { clause };
        let list_sql = format!("SELECT doc FROM devices WHERE {source} ORDER BY {order} LIMIT ${} OFFSET ${}", n + 1, n + 2);
        let mut list = sqlx::query(&list_sql);
        for b in &binds {
            list = list.bind(b.clone());
        }
        let rows = list.bind(i64::from(page.limit)).bind(i64::from(offset)).fetch_all(&self.pool).await.map_err(db_err)?;
        let mut items: Vec<Device> = docs(&rows)?;
        if matches!(filter.keyset, Some(Keyset::Before(_))) {
            items.reverse();
        }
        Ok(PageOf { items, total: total as u64 })
    }

    async fn bind_identity(&self, kind: IdentityKind, external_id: &str, tenant: TenantId, device: DeviceId) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        bind(&mut conn, kind, external_id, tenant, device).await
    }

    async fn enroll(&self, write: EnrollmentWrite<'_>) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        match write_enrollment(&mut tx, &self.key, &write).await {
            Ok(()) => tx.commit().await.map_err(db_err),
            Err(e) => {
                tx.rollback().await.map_err(db_err)?;
                Err(e)
            }
        }
    }

    async fn retire_device(&self, device: &Device, audit: &[NewAuditEvent]) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        upsert(&mut tx, device).await?;
        for table in ["device_identities", "dm_nonces"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE device_id = $1"))
                .bind(device.id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        sqlx::query("DELETE FROM secrets WHERE owner_kind = 'device' AND owner_id = $1")
            .bind(device.id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn dm_nonce(&self, device: DeviceId) -> StoreResult<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT nonce FROM dm_nonces WHERE device_id = $1")
            .bind(device.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.map(|(n,)| n))
    }

    async fn rotate_dm_nonce(&self, device: DeviceId, current: Option<&str>, next: &str) -> StoreResult<bool> {
        let query = match current {
            Some(current) => sqlx::query("UPDATE dm_nonces SET nonce = $2 WHERE device_id = $3 AND nonce = $1").bind(current.to_owned()),
            // A device enrolled before nonces had their own table: its first rotation inserts.
            None => sqlx::query("INSERT INTO dm_nonces (nonce, device_id) VALUES ($1, $2) ON CONFLICT (device_id) DO NOTHING"),
        };
        let updated = query.bind(next.to_owned()).bind(device.to_string()).execute(&self.pool).await.map_err(db_err)?;
        Ok(updated.rows_affected() == 1)
    }

    async fn device_by_identity(&self, kind: IdentityKind, external_id: &str) -> StoreResult<Option<Device>> {
        let rows = sqlx::query(
            "SELECT d.doc AS doc FROM device_identities i JOIN devices d ON d.id = i.device_id AND d.tenant_id = i.tenant_id \
             WHERE i.kind = $1 AND i.external_id = $2",
        )
        .bind(kind.as_str())
        .bind(external_id.to_owned())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(docs(&rows)?.pop())
    }

    async fn unbind_identities(&self, device: DeviceId, kind: IdentityKind) -> StoreResult<()> {
        sqlx::query("DELETE FROM device_identities WHERE device_id = $1 AND kind = $2")
            .bind(device.to_string())
            .bind(kind.as_str())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
