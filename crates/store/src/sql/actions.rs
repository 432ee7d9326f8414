use super::devices::{Bind, Where};
use super::{audit::insert_audit, db_err, docs, ms, placeholders, to_doc, SqlStore};
use crate::ports::{
    ActionCounts, ActionFilter, ActionPathWrite, ActionPathWritten, ActionStore, OutboxEntry, Page, PageOf, StoreError, StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{ActionId, ActionKind, ActionState, DeviceId, NewAuditEvent, RemoteAction, TenantId};
use sqlx::{Any, Row, Transaction};
use std::collections::HashSet;

pub(super) fn pending_flag(state: ActionState) -> i64 {
    i64::from(state.is_pending())
}

/// The two parts of the actions monitor's list, failures first.
const FAILED: &str = " AND state = 'failed'";
const NOT_FAILED: &str = " AND state <> 'failed'";

/// How many of the tenant's actions match `clause` (and `part`).
fn count_sql(clause: &str, part: &str) -> String {
    format!("SELECT COUNT(*) AS n FROM actions WHERE {clause}{part}")
}

/// A page of the actions matching `clause` and `part` (after `binds` binds), newest first.
fn part_sql(clause: &str, part: &str, binds: usize) -> String {
    format!("SELECT doc FROM actions WHERE {clause}{part} ORDER BY requested_at DESC, id LIMIT ${} OFFSET ${}", binds + 1, binds + 2)
}

/// A device's actions, newest first (its page in the admin center and the portal).
const OF_DEVICE_SQL: &str = "SELECT doc FROM actions WHERE tenant_id = $1 AND device_id = $2 ORDER BY requested_at DESC, id";

/// The home page's standing counts: the tenant's actions still under way and those that failed,
/// by state. Only these: counting every state read every action the tenant ever had (mostly
/// succeeded), where these few states are short ranges of `actions_by_tenant_state`.
fn count_by_state_sql() -> String {
    let states: Vec<String> =
        ActionState::ALL.iter().filter(|s| s.is_pending() || **s == ActionState::Failed).map(|s| format!("'{}'", s.as_str())).collect();
    format!("SELECT state, COUNT(*) AS n FROM actions WHERE tenant_id = $1 AND state IN ({}) GROUP BY state", states.join(", "))
}

/// A UTC day in milliseconds since the epoch (the unit of `requested_at`).
const DAY_MS: i64 = 86_400_000;
/// Up to this many days the chart is counted one index range per (day, state).
const RANGED_DAYS: usize = 62;
/// The tenant's newest request time: the end of `actions_by_tenant`.
const NEWEST_SQL: &str = "SELECT MAX(requested_at) AS newest FROM actions WHERE tenant_id = $1";

/// The `[from, to)` millisecond spans of the UTC days from `since` to `newest`, the first cut
/// at `since`.
fn day_spans(since: i64, newest: i64) -> Vec<(i64, i64)> {
    let mut spans = Vec::new();
    let mut day = since.div_euclid(DAY_MS);
    while day * DAY_MS <= newest && spans.len() <= RANGED_DAYS {
        spans.push((since.max(day * DAY_MS), (day + 1) * DAY_MS));
        day += 1;
    }
    spans
}

/// The home page's chart, counted as one range of `actions_by_tenant_state` per day and state:
/// grouping the rows by `requested_at / DAY_MS` put every action of the window through a sort
/// (~0.1 s at 200,000 actions in 30 days), where each range is counted in the index. Each day
/// and state is a row, also those counting none. `day` is the UTC day since the epoch.
fn count_by_day_sql(spans: &[(i64, i64)]) -> String {
    let days: Vec<String> = spans.iter().map(|(from, to)| format!("({from}, {to})")).collect();
    let states: Vec<String> = ActionState::ALL.iter().map(|s| format!("('{}')", s.as_str())).collect();
    format!(
        "WITH days(from_ms, to_ms) AS (VALUES {}), states(s) AS (VALUES {}) \
         SELECT from_ms / {DAY_MS} AS day, s AS state, \
         (SELECT COUNT(*) FROM actions WHERE tenant_id = $1 AND state = s AND requested_at >= from_ms AND requested_at < to_ms) AS n \
         FROM days, states",
        days.join(", "),
        states.join(", ")
    )
}

/// The chart over a longer span than `RANGED_DAYS`: the tenant's actions requested since `$2`,
/// by day and state, grouped (a sort of the window's actions).
const COUNT_BY_DAY_SQL: &str = "SELECT requested_at / 86400000 AS day, state, COUNT(*) AS n FROM actions \
     WHERE tenant_id = $1 AND requested_at >= $2 GROUP BY requested_at / 86400000, state ORDER BY day";

/// Rows per multi-row INSERT: 9 binds a row stays far below both backends' parameter limit.
const ROWS_PER_INSERT: usize = 100;
/// Ids per `IN (…)` list: one bind each.
const IDS_PER_LIST: usize = 500;
/// What a device is sent at check-in: pending, and in a state a channel delivers (or re-asks).
const DELIVERABLE: &str = "pending = 1 AND state IN ('queued', 'delivered', 'acknowledged')";

/// Insert the actions, skipping any that collide (the same id, or a pending action of the same
/// kind for the device: the partial unique index `actions_one_pending`); the ids inserted.
pub(super) async fn insert_actions(tx: &mut Transaction<'_, Any>, actions: &[&RemoteAction]) -> Result<HashSet<ActionId>, sqlx::Error> {
    let mut inserted = HashSet::new();
    for chunk in actions.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO actions (id, tenant_id, device_id, kind, state, pending, requested_at, expires_at, doc) VALUES {} \
             ON CONFLICT DO NOTHING RETURNING id",
            placeholders(tx, chunk.len(), 9)
        );
        let mut q = sqlx::query(&sql);
        for action in chunk {
            q = q
                .bind(action.id.to_string())
                .bind(action.tenant_id.to_string())
                .bind(action.device_id.to_string())
                .bind(action.kind.as_str())
                .bind(action.state.as_str())
                .bind(pending_flag(action.state))
                .bind(ms(action.requested_at))
                .bind(ms(action.expires_at))
                .bind(to_doc(*action));
        }
        for row in q.fetch_all(&mut **tx).await? {
            let id: String = row.try_get("id")?;
            if let Ok(id) = id.parse() {
                inserted.insert(id);
            }
        }
    }
    Ok(inserted)
}

/// The outbox entries of new actions, each due from its creation (`outbox_pending(now)` takes it
/// once `now` reaches it).
pub(super) async fn insert_outbox(tx: &mut Transaction<'_, Any>, actions: &[&RemoteAction]) -> Result<(), sqlx::Error> {
    for chunk in actions.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO outbox (tenant_id, device_id, action_id, created_at, attempts, next_attempt_at) VALUES {}",
            placeholders(tx, chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for action in chunk {
            let at = ms(action.requested_at);
            q = q
                .bind(action.tenant_id.to_string())
                .bind(action.device_id.to_string())
                .bind(action.id.to_string())
                .bind(at)
                .bind(0_i64)
                .bind(at);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A device's deliverable actions, oldest first: what it is sent when it checks in. Both this and
/// `with_deliverable_sql` say `pending = 1`, which lets them read a partial index of the pending
/// actions alone (`actions_pending_by_device`, migration 0022) instead of the device's history.
fn deliverable_of_device_sql() -> String {
    format!("SELECT doc FROM actions WHERE device_id = $1 AND {DELIVERABLE} ORDER BY requested_at, id")
}

/// The actions of `count` devices (binds `$3`…) of tenant `$1` requested at or after `$2`.
/// The time bound lets the database read `actions_by_device` (tenant, device,
/// requested_at) from `$2` on, so a person's recent resets cost the same however long their devices' history.
fn recent_of_devices_sql(count: usize) -> String {
    let list = (3..count + 3).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ");
    // No ORDER BY: the caller sorts. Asked to return rows newest first, SQLite would walk the
    // tenant's index (already in that order) rather than look each device up and sort.
    format!("SELECT doc FROM actions WHERE tenant_id = $1 AND requested_at >= $2 AND device_id IN ({list})")
}

/// Which of `ids` devices have deliverable actions. Before migration 0022 SQLite read this
/// through `actions_overdue (pending, expires_at)`, a walk over every pending action of every
/// device in each commit that finishes actions; now one look-up per device in the pending index.
fn with_deliverable_sql(conn: &sqlx::AnyConnection, ids: usize) -> String {
    format!("SELECT DISTINCT device_id FROM actions WHERE {DELIVERABLE} AND device_id IN {}", placeholders(conn, 1, ids))
}

/// Which of `devices` have deliverable actions.
pub(super) async fn devices_with_deliverable(
    tx: &mut Transaction<'_, Any>,
    devices: &[DeviceId],
) -> Result<HashSet<DeviceId>, sqlx::Error> {
    let mut found = HashSet::new();
    let mut unique: Vec<String> = devices.iter().map(|d| d.to_string()).collect();
    unique.sort();
    unique.dedup();
    for chunk in unique.chunks(IDS_PER_LIST) {
        let sql = with_deliverable_sql(tx, chunk.len());
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.as_str());
        }
        for row in q.fetch_all(&mut **tx).await? {
            let id: String = row.try_get("device_id")?;
            if let Ok(id) = id.parse() {
                found.insert(id);
            }
        }
    }
    Ok(found)
}

#[async_trait]
impl ActionStore for SqlStore {
    async fn action(&self, tenant: TenantId, id: ActionId) -> StoreResult<Option<RemoteAction>> {
        self.doc_in_tenant("actions", tenant, id).await
    }

    async fn action_for_system(&self, id: ActionId) -> StoreResult<Option<RemoteAction>> {
        let rows = sqlx::query("SELECT doc FROM actions WHERE id = $1").bind(id.to_string()).fetch_all(&self.pool).await.map_err(db_err)?;
        Ok(docs(&rows)?.pop())
    }

    async fn list_actions(&self, tenant: TenantId, filter: &ActionFilter, page: Page) -> StoreResult<PageOf<RemoteAction>> {
        let mut w = Where::new("tenant_id = ?", Bind::Text(tenant.to_string()));
        if let Some(kind) = filter.kind {
            w.and("kind = ?", Bind::Text(kind.as_str().to_string()));
        }
        if let Some(text) = filter.device_search.as_deref() {
            super::no_nul("search", text)?;
            w.and(
                "device_id IN (SELECT id FROM devices WHERE tenant_id = $1 AND search LIKE ? ESCAPE '\\')",
                Bind::Text(super::devices::contains_pattern(text)),
            );
        }
        if !filter.states.is_empty() {
            // Each state is a bind of its own; the list is short (at most every state).
            let marks: Vec<String> = filter.states.iter().map(|s| w.push(Bind::Text(s.as_str().to_string()))).collect();
            w.clause.push_str(&format!(" AND state IN ({})", marks.join(", ")));
        }
        let count = |extra: &'static str| {
            let (sql, w) = (count_sql(&w.clause, extra), &w);
            async move {
                let row = w.bound(sqlx::query(&sql)).fetch_one(&self.pool).await.map_err(db_err)?;
                Ok::<_, StoreError>(row.try_get::<i64, _>("n").map_err(db_err)?.max(0) as u64)
            }
        };
        // A large total may be one counted moments ago (`kept_totals`).
        let key = w.key();
        let total = match self.action_totals.fresh(&key) {
            Some(total) => total,
            None => {
                let total = count("").await?;
                self.action_totals.keep(&tenant.to_string(), key, total);
                total
            }
        };
        // Failures first: they are what the person watching has to act on. The failures and the
        // rest are each read newest first through an index (migration 0023) and the page is cut
        // from the two here: one ORDER BY over both sorted every action of the tenant.
        let failed = if filter.states.is_empty() || filter.states.contains(&ActionState::Failed) { count(FAILED).await? } else { 0 };
        let part = |extra: &'static str, limit: u64, offset: u64| {
            let (sql, w) = (part_sql(&w.clause, extra, w.len()), &w);
            async move {
                let q = w.bound(sqlx::query(&sql)).bind(limit as i64).bind(offset as i64);
                docs::<RemoteAction>(&q.fetch_all(&self.pool).await.map_err(db_err)?)
            }
        };
        let (offset, limit) = (u64::from(page.offset), u64::from(page.limit));
        let mut items = if offset < failed { part(FAILED, limit, offset).await? } else { Vec::new() };
        let wanted = limit.saturating_sub(items.len() as u64);
        if wanted > 0 && total > failed {
            items.extend(part(NOT_FAILED, wanted, offset.saturating_sub(failed)).await?);
        }
        Ok(PageOf { items, total })
    }

    async fn action_counts(&self, tenant: TenantId, since: DateTime<Utc>) -> StoreResult<ActionCounts> {
        let state_of = |r: &sqlx::any::AnyRow| -> StoreResult<ActionState> {
            let s: String = r.try_get("state").map_err(db_err)?;
            ActionState::parse(&s).ok_or_else(|| StoreError::Backend("bad state in actions".into()))
        };
        let count_of = |r: &sqlx::any::AnyRow| -> StoreResult<u64> { Ok(r.try_get::<i64, _>("n").map_err(db_err)?.max(0) as u64) };
        let rows = sqlx::query(&count_by_state_sql()).bind(tenant.to_string()).fetch_all(&self.pool).await.map_err(db_err)?;
        let by_state = rows.iter().map(|r| Ok((state_of(r)?, count_of(r)?))).collect::<StoreResult<Vec<_>>>()?;
        // The days from `since` to the tenant's newest action: one index look-up.
        let newest: Option<i64> = sqlx::query(NEWEST_SQL)
            .bind(tenant.to_string())
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?
            .try_get("newest")
            .map_err(db_err)?;
        let spans = newest.map(|newest| day_spans(ms(since), newest)).unwrap_or_default();
        let rows = if spans.is_empty() {
            Vec::new()
        } else if spans.len() <= RANGED_DAYS {
            sqlx::query(&count_by_day_sql(&spans)).bind(tenant.to_string()).fetch_all(&self.pool).await.map_err(db_err)?
        } else {
            sqlx::query(COUNT_BY_DAY_SQL).bind(tenant.to_string()).bind(ms(since)).fetch_all(&self.pool).await.map_err(db_err)?
        };
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
        let mut by_day = Vec::new();
        for r in &rows {
            let n = count_of(r)?;
            if n > 0 {
                let day: i64 = r.try_get("day").map_err(db_err)?;
                let date = epoch.checked_add_days(chrono::Days::new(day.max(0) as u64)).unwrap_or(epoch);
                by_day.push((date, state_of(r)?, n));
            }
        }
        by_day.sort_by_key(|(date, state, _)| (*date, state.as_str()));
        Ok(ActionCounts { by_state, by_day })
    }

    async fn actions_for_device(&self, tenant: TenantId, device: DeviceId) -> StoreResult<Vec<RemoteAction>> {
        let rows =
            sqlx::query(OF_DEVICE_SQL).bind(tenant.to_string()).bind(device.to_string()).fetch_all(&self.pool).await.map_err(db_err)?;
        docs(&rows)
    }

    async fn recent_actions_of_devices(
        &self,
        tenant: TenantId,
        devices: &[DeviceId],
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<RemoteAction>> {
        let mut found = Vec::new();
        for chunk in devices.chunks(IDS_PER_LIST) {
            let sql = recent_of_devices_sql(chunk.len());
            let mut q = sqlx::query(&sql).bind(tenant.to_string()).bind(ms(since));
            for device in chunk {
                q = q.bind(device.to_string());
            }
            found.extend(docs::<RemoteAction>(&q.fetch_all(&self.pool).await.map_err(db_err)?)?);
        }
        found.sort_by(|a, b| b.requested_at.cmp(&a.requested_at).then(a.id.cmp(&b.id)));
        Ok(found)
    }

    async fn pending_action(&self, device: DeviceId, kind: ActionKind) -> StoreResult<Option<RemoteAction>> {
        let rows = sqlx::query("SELECT doc FROM actions WHERE device_id = $1 AND kind = $2 AND pending = 1")
            .bind(device.to_string())
            .bind(kind.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(docs(&rows)?.pop())
    }

    async fn deliverable_actions(&self, device: DeviceId) -> StoreResult<Vec<RemoteAction>> {
        let rows = sqlx::query(&deliverable_of_device_sql()).bind(device.to_string()).fetch_all(&self.pool).await.map_err(db_err)?;
        docs(&rows)
    }

    async fn devices_with_pending_actions(&self) -> StoreResult<Vec<DeviceId>> {
        let rows = sqlx::query("SELECT DISTINCT device_id FROM actions WHERE pending = 1").fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter()
            .map(|r| {
                r.try_get::<String, _>("device_id")
                    .map_err(db_err)?
                    .parse()
                    .map_err(|_| StoreError::Backend("bad device id in actions".into()))
            })
            .collect()
    }

    async fn commit_writes(&self, batch: &[ActionPathWrite]) -> StoreResult<Vec<ActionPathWritten>> {
        super::action_writes::commit_writes(self, batch).await
    }

    async fn overdue_actions(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<RemoteAction>> {
        let rows = sqlx::query("SELECT doc FROM actions WHERE pending = 1 AND expires_at <= $1 ORDER BY expires_at LIMIT $2")
            .bind(ms(now))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        docs(&rows)
    }

    async fn outbox_pending(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<OutboxEntry>> {
        let rows = sqlx::query(
            "SELECT id, tenant_id, device_id, action_id, created_at, attempts, next_attempt_at FROM outbox \
             WHERE done_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
        )
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(super::rows::outbox_entry).collect()
    }

    async fn claim_outbox(&self, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: u32) -> StoreResult<Vec<OutboxEntry>> {
        // The subquery picks the due entries; PostgreSQL skips rows another claimer has locked
        // (it gets the others), SQLite runs the statement alone. Either way a claimed row is no
        // longer due, so a later claim cannot take it until the lease lapses.
        let lock = match self.backend {
            super::Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            super::Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET next_attempt_at = $1 WHERE id IN \
             (SELECT id FROM outbox WHERE done_at IS NULL AND next_attempt_at <= $2 ORDER BY id LIMIT $3{lock}) \
             RETURNING id, tenant_id, device_id, action_id, created_at, attempts, next_attempt_at"
        );
        let rows =
            sqlx::query(&sql).bind(ms(lease_until)).bind(ms(now)).bind(i64::from(limit)).fetch_all(&self.pool).await.map_err(db_err)?;
        let mut entries = rows.iter().map(super::rows::outbox_entry).collect::<StoreResult<Vec<_>>>()?;
        entries.sort_by_key(|e| e.id);
        Ok(entries)
    }

    async fn outbox_retry(&self, id: i64, next_at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1 WHERE id = $2 AND done_at IS NULL")
            .bind(ms(next_at))
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn outbox_done(&self, id: i64) -> StoreResult<()> {
        sqlx::query("UPDATE outbox SET done_at = $1 WHERE id = $2")
            .bind(ms(Utc::now()))
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn outbox_settle(&self, done: &[i64], audit: &[NewAuditEvent]) -> StoreResult<()> {
        if done.is_empty() && audit.is_empty() {
            return Ok(());
        }
        let mut tx = self.write_tx().await?;
        // Ids are integers we generated; bound one by one, in chunks well under both
        // backends' limit on parameters.
        for chunk in done.chunks(500) {
            let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!("UPDATE outbox SET done_at = $1 WHERE id IN ({})", placeholders.join(", "));
            let mut q = sqlx::query(&sql).bind(ms(Utc::now()));
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *tx).await.map_err(db_err)?;
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn outbox_depth(&self) -> StoreResult<u64> {
        let row = sqlx::query("SELECT COUNT(*) FROM outbox WHERE done_at IS NULL").fetch_one(&self.pool).await.map_err(db_err)?;
        let n: i64 = row.try_get(0).map_err(db_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MasterKey;

    /// How SQLite runs `sql` (one bind per `?`/`$N`, each an unknown id): the plan's lines.
    async fn plan(store: &SqlStore, sql: &str, binds: usize) -> Vec<String> {
        let explain = format!("EXPLAIN QUERY PLAN {sql}");
        let mut q = sqlx::query(&explain);
        for _ in 0..binds {
            q = q.bind("no-such-device");
        }
        q.fetch_all(&store.pool).await.unwrap().iter().map(|r| r.try_get::<String, _>("detail").unwrap()).collect()
    }

    /// A device that checks in with work waiting, and a commit that finishes actions, read the
    /// device's pending actions alone. Through `actions_by_device` they walked its whole history,
    /// row by row: measured on this schema (`scripts/pending-read-cost.py`), 282–409 µs a read at
    /// 500 past actions against 11–15 µs.
    #[tokio::test]
    async fn checking_in_reads_the_pending_actions_not_the_history() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::sql::connect(&crate::testing::fresh_sqlite_url(dir.path()), MasterKey::generate()).await.unwrap();
        let finishing = with_deliverable_sql(&store.pool.acquire().await.unwrap(), 2);
        let plans = [plan(&store, &deliverable_of_device_sql(), 1).await, plan(&store, &finishing, 2).await];
        for lines in plans {
            // Either partial index holds a device's pending actions alone.
            let by_device =
                |l: &String| l.contains("actions_pending_by_device (device_id=?") || l.contains("actions_one_pending (device_id=?");
            assert!(lines.iter().any(by_device), "not read device by device through a pending index: {lines:?}");
            let walks = |l: &String| l.contains("actions_by_device") || l.contains("actions_overdue") || l.contains("SCAN actions");
            assert!(!lines.iter().any(walks), "walks a device's history or every pending action: {lines:?}");
        }
    }

    /// A person's recent resets and notifications are read from the time bound on, device by
    /// device: not each device's whole history, not the tenant's actions (migration 0023 put
    /// the tenant in the device index so that SQLite does not prefer the tenant's).
    #[tokio::test]
    async fn recent_actions_are_read_from_their_time_bound() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::sql::connect(&crate::testing::fresh_sqlite_url(dir.path()), MasterKey::generate()).await.unwrap();
        for devices in [1, 3] {
            let lines = plan(&store, &recent_of_devices_sql(devices), 2 + devices).await;
            assert!(
                lines.iter().any(|l| l.contains("actions_by_device (tenant_id=? AND device_id=? AND requested_at>?)")),
                "not read device by device from the time bound on: {lines:?}"
            );
        }
        // Nor is the history of one device read through its tenant's actions.
        let lines = plan(&store, OF_DEVICE_SQL, 2).await;
        assert!(lines.iter().any(|l| l.contains("actions_by_device (tenant_id=? AND device_id=?)")), "{lines:?}");
    }

    /// The actions monitor and the home page read the tenant's actions through its indexes
    /// (migration 0023): no scan of every tenant's actions, no sort of them all for a page.
    #[tokio::test]
    async fn the_actions_monitor_reads_its_tenant_through_an_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::sql::connect(&crate::testing::fresh_sqlite_url(dir.path()), MasterKey::generate()).await.unwrap();
        let clause = "tenant_id = $1";
        // (statement, binds, a page: its rows must come in order from the index, not a sort)
        let statements = [
            (count_sql(clause, ""), 1, false),
            (count_sql(clause, FAILED), 1, false),
            (part_sql(clause, FAILED, 1), 3, true),
            (part_sql(clause, NOT_FAILED, 1), 3, true),
            (count_by_state_sql(), 1, false),
            (COUNT_BY_DAY_SQL.to_string(), 2, false),
            (count_by_day_sql(&day_spans(0, 3 * DAY_MS)), 1, false),
            (NEWEST_SQL.to_string(), 1, false),
        ];
        for (sql, binds, page) in statements {
            let lines = plan(&store, &sql, binds).await;
            // Any index led by the tenant will do (a count may read the device index's entries).
            assert!(
                lines.iter().any(|l| l.contains("INDEX actions_by_") && l.contains("(tenant_id=?")),
                "not through a tenant index: {sql}: {lines:?}"
            );
            assert!(!lines.iter().any(|l| l.contains("SCAN actions")), "scans every action: {sql}: {lines:?}");
            let sorts_all = lines.iter().any(|l| l.contains("TEMP B-TREE FOR ORDER BY"));
            assert!(!(page && sorts_all), "sorts every action for a page: {sql}: {lines:?}");
        }
        // The chart: one index range a day and state, no sort of the window's actions.
        let chart = plan(&store, &count_by_day_sql(&day_spans(0, 3 * DAY_MS)), 1).await;
        let ranged = "actions_by_tenant_state (tenant_id=? AND state=? AND requested_at>? AND requested_at<?)";
        assert!(chart.iter().any(|l| l.contains(ranged)), "{chart:?}");
        assert!(!chart.iter().any(|l| l.contains("TEMP B-TREE")), "sorts the window's actions: {chart:?}");
    }

    #[test]
    fn the_charts_days_start_at_since_and_end_with_the_newest_action() {
        let since = 10 * DAY_MS + 3_600_000;
        assert_eq!(day_spans(since, 12 * DAY_MS), [(since, 11 * DAY_MS), (11 * DAY_MS, 12 * DAY_MS), (12 * DAY_MS, 13 * DAY_MS)]);
        assert_eq!(day_spans(since, since - 1), [(since, 11 * DAY_MS)], "nothing newer: the day of since, counting none");
        assert_eq!(day_spans(since, 9 * DAY_MS), [], "the newest action before since's day: no day");
        assert_eq!(day_spans(0, 1000 * DAY_MS).len(), RANGED_DAYS + 1, "a longer span stops past the ranged days");
    }
}
