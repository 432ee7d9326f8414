use super::{db_err, ms, SqlStore};
use crate::ports::{AuditFilter, AuditStore, StoreResult};
use async_trait::async_trait;
use pinreset_core::{AuditEvent, NewAuditEvent, TenantId};
use sqlx::{Any, Transaction};

const MAX_LIMIT: u32 = 1000;

/// Append events inside the caller's transaction, so an event exists iff what it records does.
///
/// Every text field passes through one gate here, whoever built the event: much of it is
/// written by devices (command results, error chains, status details), so control characters
/// and NUL are dropped and each field is bounded to `DEVICE_TEXT_MAX_BYTES` — an audit row
/// stays a line, never a 201 KB blob, and PostgreSQL never refuses it. A request id that is not
/// a plain short token is not kept.
pub(crate) async fn insert_audit(tx: &mut Transaction<'_, Any>, events: &[NewAuditEvent]) -> StoreResult<()> {
    use pinreset_core::text::{bounded_device_text, is_sane_request_id};
    // Several rows per statement: a batch (a dispatch's pushes, a group commit of command
    // history) costs a statement per ROWS_PER_INSERT events, not one each. 10 binds a row stays
    // far below both backends' limit on parameters.
    const ROWS_PER_INSERT: usize = 50;
    for chunk in events.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO audit (tenant_id, at, actor, kind, device_id, action_id, action, outcome, request_id, origin) VALUES {}",
            super::placeholders(tx, chunk.len(), 10)
        );
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q
                .bind(e.tenant_id.to_string())
                .bind(ms(e.at))
                .bind(bounded_device_text(&e.actor))
                .bind(e.kind.as_str())
                .bind(e.device_id.map(|d| d.to_string()))
                .bind(e.action_id.map(|a| a.to_string()))
                .bind(e.action.as_deref().map(bounded_device_text))
                .bind(bounded_device_text(&e.outcome))
                .bind(e.request_id.clone().filter(|id| is_sane_request_id(id)))
                .bind(e.origin.as_deref().map(bounded_device_text));
        }
        q.execute(&mut **tx).await.map_err(db_err)?;
    }
    Ok(())
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn append_audit(&self, events: &[NewAuditEvent]) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        insert_audit(&mut tx, events).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn list_audit(&self, tenant: TenantId, f: &AuditFilter) -> StoreResult<Vec<AuditEvent>> {
        let mut binds: Vec<String> = vec![tenant.to_string()];
        let mut clause = String::from("tenant_id = $1");
        let mut add = |col: &str, op: &str, v: String| {
            binds.push(v);
            clause.push_str(&format!(" AND {col} {op} ${}", binds.len()));
        };
        if let Some(d) = f.device_id {
            add("device_id", "=", d.to_string());
        }
        if let Some(a) = f.action_id {
            add("action_id", "=", a.to_string());
        }
        if let Some(actor) = &f.actor {
            super::no_nul("actor", actor)?;
            add("actor", "=", actor.clone());
        }
        if let Some(kind) = f.kind {
            add("kind", "=", kind.as_str().to_string());
        }
        if let Some(action) = f.action {
            add("action", "=", action.as_str().to_string());
        }
        // Times are bound as text-free integers below, after the string binds.
        let mut times = Vec::new();
        if let Some(since) = f.since {
            times.push(("at >=", ms(since)));
        }
        if let Some(until) = f.until {
            times.push(("at <", ms(until)));
        }
        if let Some(seq) = f.before_seq {
            times.push(("seq <", seq));
        }
        let mut n = binds.len();
        for (op, _) in &times {
            n += 1;
            clause.push_str(&format!(" AND {op} ${n}"));
        }
        let limit = if f.limit == 0 { 100 } else { f.limit.min(MAX_LIMIT) };
        let sql = format!("SELECT * FROM audit WHERE {clause} ORDER BY seq DESC LIMIT ${}", n + 1);
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        for (_, t) in times {
            q = q.bind(t);
        }
        let rows = q.bind(i64::from(limit)).fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(super::rows::audit_event).collect()
    }
}
