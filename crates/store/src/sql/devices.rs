use super::audit::insert_audit;
use super::secrets::upsert_secret;
use super::{db_err, docs, to_doc, SqlStore};
use crate::ports::{
    DeviceFilter, DeviceSort, DeviceStore, EnrollmentWrite, Keyset, Page, PageOf, ReadinessClass, SortKey, StoreError, StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{Device, DeviceGroupId, DeviceId, IdentityKind, NewAuditEvent, Ownership, ReenrollmentState, Tenant, TenantId, UserId};
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

fn ownership_str(o: Ownership) -> &'static str {
    match o {
        Ownership::Corporate => "corporate",
        Ownership::Personal => "personal",
    }
}

/// The owner's display name as stored in the user's document, read inside the statement that
/// writes the device (so no extra round trip on a check-in). Per backend: JSON functions differ.
fn owner_name_sql(conn: &AnyConnection, user_param: &str) -> String {
    let name = if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        "u.doc::json->>'display_name'"
    } else {
        "json_extract(u.doc, '$.display_name')"
    };
    format!("COALESCE((SELECT {name} FROM users u WHERE u.id = {user_param}), '')")
}

pub(super) async fn upsert(conn: &mut AnyConnection, d: &Device) -> StoreResult<()> {
    super::no_nul("the device's name, model or identifiers", &search_text(d))?;
    let sort = |s: DeviceSort| s.key_of(d, "");
    let (SortKey::Text(os_key), SortKey::Int(last_seen)) = (sort(DeviceSort::OsVersion), sort(DeviceSort::LastCheckIn)) else {
        unreachable!("the OS version sorts as text, the last check-in as a number")
    };
    let sql = format!(
        "INSERT INTO devices (id, tenant_id, name, platform, primary_user_id, retired, search, doc, ownership, os_key, last_seen, \
         reset_class, contact_at, owner_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, {owner}) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, platform = excluded.platform, primary_user_id = excluded.primary_user_id, \
         retired = excluded.retired, search = excluded.search, doc = excluded.doc, ownership = excluded.ownership, os_key = excluded.os_key, \
         last_seen = excluded.last_seen, reset_class = excluded.reset_class, contact_at = excluded.contact_at, owner_name = excluded.owner_name",
        owner = owner_name_sql(conn, "$5")
    );
    sqlx::query(&sql)
        .bind(d.id.to_string())
        .bind(d.tenant_id.to_string())
        .bind(d.name.clone())
        .bind(d.platform.as_str())
        .bind(d.primary_user_id.map(|u| u.to_string()))
        .bind(i64::from(d.retired_at.is_some()))
        .bind(search_text(d))
        .bind(to_doc(d))
        .bind(ownership_str(d.ownership))
        .bind(os_key)
        .bind(last_seen)
        .bind(crate::ports::reset_class(d))
        // Readiness's "not in touch": the last check-in, else the enrollment (first contact).
        .bind(d.last_check_in.unwrap_or(d.enrolled_at).timestamp_millis())
        .execute(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Keep the owner sort in step with a renamed user (called in the transaction that saves it).
pub(super) async fn rename_owner(conn: &mut AnyConnection, tenant: TenantId, user: UserId, display_name: &str) -> StoreResult<()> {
    sqlx::query("UPDATE devices SET owner_name = $1 WHERE tenant_id = $2 AND primary_user_id = $3 AND owner_name <> $1")
        .bind(display_name.to_owned())
        .bind(tenant.to_string())
        .bind(user.to_string())
        .execute(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Migration 15 added the sort columns: fill them for the devices written before, with the
/// same code that writes them from now on (so a cursor's key always matches its column).
pub(super) async fn backfill_sort_columns(conn: &mut AnyConnection) -> StoreResult<()> {
    let rows = sqlx::query("SELECT doc FROM devices").fetch_all(&mut *conn).await.map_err(db_err)?;
    for d in docs::<Device>(&rows)? {
        upsert(conn, &d).await?;
    }
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

/// Up to this many matches a search sorts its matches itself (by primary key); beyond, it walks
/// the list's order, where matches are dense enough to fill a page quickly.
pub(super) const FEW_MATCHES: usize = 2_000;
/// Devices one query reads by id.
const IDS_PER_QUERY: usize = 500;

/// A value bound to a statement of a list (devices, actions; sort keys are text or numbers).
#[derive(Clone)]
pub(super) enum Bind {
    Text(String),
    Int(i64),
}

/// A `WHERE` clause with its numbered parameters (the device list's, and the actions monitor's).
#[derive(Clone)]
pub(super) struct Where {
    pub(super) clause: String,
    binds: Vec<Bind>,
}

impl Where {
    pub(super) fn new(sql: &str, value: Bind) -> Self {
        let mut w = Where { clause: String::new(), binds: vec![] };
        let mark = w.push(value);
        w.clause = sql.replace('?', &mark);
        w
    }

    /// How many values are bound: the next placeholder is `$len + 1`.
    pub(super) fn len(&self) -> usize {
        self.binds.len()
    }

    /// Bind a value; its placeholder (`$n`).
    pub(super) fn push(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    /// `AND` a condition with one `?`.
    pub(super) fn and(&mut self, sql: &str, value: Bind) {
        let mark = self.push(value);
        self.clause.push_str(&format!(" AND {}", sql.replace('?', &mark)));
    }

    pub(super) fn bound<'q>(
        &self,
        mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
        for b in &self.binds {
            q = match b {
                Bind::Text(t) => q.bind(t.clone()),
                Bind::Int(i) => q.bind(*i),
            };
        }
        q
    }
}

/// The list's order and the page's place in it. Both columns go the same way, so one row
/// value comparison `(key, id) > (…)` seeks the `(tenant_id, retired, key, id)` index.
struct Order {
    column: &'static str,
    descending: bool,
    /// `>` / `<` and the cursor, when paging by keyset.
    seek: Option<(&'static str, Bind, String)>,
    /// The page before a position is read backwards, then turned around.
    backwards: bool,
}

impl Order {
    fn of(filter: &DeviceFilter) -> Self {
        let column = filter.sort.column();
        let key = |k: &SortKey| match k {
            SortKey::Text(t) => Bind::Text(t.clone()),
            SortKey::Int(i) => Bind::Int(*i),
        };
        let (seek, backwards) = match &filter.keyset {
            None => (None, false),
            Some(Keyset::After(c)) => (Some((if filter.descending { "<" } else { ">" }, key(&c.key), c.id.to_string())), false),
            Some(Keyset::Before(c)) => (Some((if filter.descending { ">" } else { "<" }, key(&c.key), c.id.to_string())), true),
        };
        Order { column, descending: filter.descending, seek, backwards }
    }

    fn by(&self) -> String {
        let dir = if self.descending != self.backwards { " DESC" } else { "" };
        format!("{c}{dir}, id{dir}", c = self.column)
    }

    fn finish(&self, mut items: Vec<Device>) -> Vec<Device> {
        if self.backwards {
            items.reverse();
        }
        items
    }
}

impl Where {
    /// The clause with its values: what a kept count is filed under.
    pub(super) fn key(&self) -> String {
        let mut key = self.clause.clone();
        for b in &self.binds {
            match b {
                Bind::Text(t) => key.push_str(&format!("\u{1f}t{t}")),
                Bind::Int(i) => key.push_str(&format!("\u{1f}i{i}")),
            }
        }
        key
    }
}

impl SqlStore {
    /// How many devices `w` selects: on PostgreSQL a large total may be one counted moments
    /// ago (`device_totals`).
    pub(super) async fn count(&self, tenant: TenantId, w: &Where) -> StoreResult<u64> {
        let key = (self.backend == super::Backend::Postgres).then(|| w.key());
        if let Some(total) = key.as_deref().and_then(|k| self.device_totals.fresh(k)) {
            return Ok(total);
        }
        let sql = format!("SELECT COUNT(*) AS n FROM devices WHERE {}", w.clause);
        let n: i64 = w.bound(sqlx::query(&sql)).fetch_one(&self.pool).await.map_err(db_err)?.try_get("n").map_err(db_err)?;
        if let Some(key) = key {
            self.device_totals.keep(&tenant.to_string(), key, n as u64);
        }
        Ok(n as u64)
    }

    /// One page of the rows `w` selects, in `order` (the offset only without a keyset).
    async fn page_of(&self, mut w: Where, order: &Order, page: Page) -> StoreResult<Vec<sqlx::any::AnyRow>> {
        let offset = match &order.seek {
            None => page.offset,
            Some((cmp, key, id)) => {
                let (k, i) = (w.push(key.clone()), w.push(Bind::Text(id.clone())));
                w.clause.push_str(&format!(" AND ({}, id) {cmp} ({k}, {i})", order.column));
                0
            }
        };
        let (limit, skip) = (w.push(Bind::Int(i64::from(page.limit))), w.push(Bind::Int(i64::from(offset))));
        let sql = format!("SELECT doc FROM devices WHERE {} ORDER BY {} LIMIT {limit} OFFSET {skip}", w.clause, order.by());
        w.bound(sqlx::query(&sql)).fetch_all(&self.pool).await.map_err(db_err)
    }
}

#[async_trait]
impl DeviceStore for SqlStore {
    async fn upsert_device(&self, d: &Device) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        upsert(&mut conn, d).await
    }

    async fn device(&self, tenant: TenantId, id: DeviceId) -> StoreResult<Option<Device>> {
        self.doc_in_tenant("devices", tenant, id).await
    }

    async fn device_with_tenant(&self, tenant: TenantId, id: DeviceId) -> StoreResult<Option<(Device, Tenant)>> {
        let row = sqlx::query(
            "SELECT d.doc AS doc, t.doc AS tenant_doc FROM devices d JOIN tenants t ON t.id = d.tenant_id \
             WHERE d.tenant_id = $1 AND d.id = $2",
        )
        .bind(tenant.to_string())
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.map(|r| Ok((super::rows::doc(&r)?, super::rows::doc_in(&r, "tenant_doc")?))).transpose()
    }

    async fn list_devices(&self, tenant: TenantId, filter: &DeviceFilter, page: Page) -> StoreResult<PageOf<Device>> {
        let mut w = Where::new("tenant_id = ?", Bind::Text(tenant.to_string()));
        if let Some(p) = filter.platform {
            w.and("platform = ?", Bind::Text(p.as_str().to_string()));
        }
        if let Some(owner) = filter.owner {
            w.and("primary_user_id = ?", Bind::Text(owner.to_string()));
        }
        if let Some(o) = filter.ownership {
            w.and("ownership = ?", Bind::Text(ownership_str(o).to_string()));
        }
        if let Some(group) = filter.group {
            w.and("id IN (SELECT device_id FROM device_group_members WHERE group_id = ?)", Bind::Text(group.to_string()));
        }
        if !filter.include_retired {
            w.clause.push_str(" AND retired = 0");
        }
        let order = Order::of(filter);
        let Some(text) = filter.search.as_deref() else {
            let total = self.count(tenant, &w).await?;
            // The total counts the whole filtered list; the keyset only picks the page.
            let rows = self.page_of(w, &order, page).await?;
            return Ok(PageOf { items: order.finish(docs(&rows)?), total });
        };
        super::no_nul("search", text)?;
        // A search finds every match once (from the trigram index, or one scan of the search
        // index); their number is the total.
        let found = super::device_search::matches(self, tenant, w, &text.to_lowercase()).await?;
        let rows = match found.few {
            Some(ids) if ids.is_empty() => vec![],
            Some(ids) => {
                // Few matches: sort and page them by primary key, never reading the search index again.
                let mut by_id = Where { clause: String::new(), binds: vec![] };
                let marks: Vec<String> = ids.into_iter().map(|id| by_id.push(Bind::Text(id))).collect();
                by_id.clause = format!("id IN ({})", marks.join(", "));
                self.page_of(by_id, &order, page).await?
            }
            // Many: walk the list in order and stop at the page (the matches are dense).
            None => self.page_of(found.scan, &order, page).await?,
        };
        let total = found.total;
        Ok(PageOf { items: order.finish(docs(&rows)?), total })
    }

    async fn readiness_classes(
        &self,
        tenant: TenantId,
        group: Option<DeviceGroupId>,
        silent_before: DateTime<Utc>,
    ) -> StoreResult<Vec<ReadinessClass>> {
        let mut w = Where::new("tenant_id = ?", Bind::Text(tenant.to_string()));
        if let Some(group) = group {
            w.and("id IN (SELECT device_id FROM device_group_members WHERE group_id = ?)", Bind::Text(group.to_string()));
        }
        w.clause.push_str(" AND retired = 0");
        let cutoff = w.push(Bind::Int(silent_before.timestamp_millis()));
        // Reads the (tenant_id, retired, reset_class, contact_at, id) index only.
        let sql = format!(
            "SELECT reset_class, MIN(id) AS sample, COUNT(*) AS n, SUM(CASE WHEN contact_at < {cutoff} THEN 1 ELSE 0 END) AS silent \
             FROM devices WHERE {} GROUP BY reset_class",
            w.clause
        );
        let rows = w.bound(sqlx::query(&sql)).fetch_all(&self.pool).await.map_err(db_err)?;
        let mut classes = Vec::with_capacity(rows.len());
        for row in rows {
            let n: i64 = row.try_get("n").map_err(db_err)?;
            let silent: i64 = row.try_get("silent").map_err(db_err)?;
            let sample: String = row.try_get("sample").map_err(db_err)?;
            let sample = sample.parse().map_err(|_| StoreError::Backend("a device id that is not a UUID".into()))?;
            let class = row.try_get("reset_class").map_err(db_err)?;
            classes.push(ReadinessClass { class, sample, devices: n as u64, silent: silent as u64 });
        }
        Ok(classes)
    }

    async fn devices_by_ids(&self, tenant: TenantId, ids: &[DeviceId]) -> StoreResult<Vec<Device>> {
        // A few hundred per query (readiness samples: a fleet has few classes, but many OS
        // builds can make many).
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let mut by_id = Where::new("tenant_id = ?", Bind::Text(tenant.to_string()));
            let marks: Vec<String> = chunk.iter().map(|id| by_id.push(Bind::Text(id.to_string()))).collect();
            let sql = format!("SELECT doc FROM devices WHERE {} AND id IN ({})", by_id.clause, marks.join(", "));
            let rows = by_id.bound(sqlx::query(&sql)).fetch_all(&self.pool).await.map_err(db_err)?;
            found.extend(docs::<Device>(&rows)?);
        }
        Ok(found)
    }

    async fn bind_identity(&self, kind: IdentityKind, external_id: &str, tenant: TenantId, device: DeviceId) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        bind(&mut conn, kind, external_id, tenant, device).await
    }

    async fn enroll(&self, write: EnrollmentWrite<'_>) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        match write_enrollment(&mut tx, &self.key, &write).await {
            Ok(()) => {
                tx.commit().await.map_err(db_err)?;
                // After the commit: a count taken in between would be kept again.
                self.device_totals.forget(&write.device.tenant_id.to_string());
                Ok(())
            }
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
        tx.commit().await.map_err(db_err)?;
        self.device_totals.forget(&device.tenant_id.to_string());
        Ok(())
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
