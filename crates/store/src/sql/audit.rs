use super::{db_err, from_ms, ms, SqlStore};
use crate::ports::{AuditFilter, AuditStore, StoreError, StoreResult};
use async_trait::async_trait;
use pinreset_core::{AuditEvent, AuditKind, NewAuditEvent, TenantId};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

const MAX_LIMIT: u32 = 1000;

/// Append events inside the caller's transaction, so an event exists iff what it records does.
pub(crate) async fn insert_audit(tx: &mut Transaction<'_, Any>, events: &[NewAuditEvent]) -> StoreResult<()> {
    for e in events {
        sqlx::query(
            "INSERT INTO audit (tenant_id, at, actor, kind, device_id, action_id, action, outcome, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(e.tenant_id.to_string())
        .bind(ms(e.at))
        .bind(e.actor.clone())
        .bind(e.kind.as_str())
        .bind(e.device_id.map(|d| d.to_string()))
        .bind(e.action_id.map(|a| a.to_string()))
        .bind(e.action.clone())
        .bind(e.outcome.clone())
        .bind(e.request_id.clone())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

fn parse<T: std::str::FromStr>(v: Option<String>) -> Option<T> {
    v.and_then(|s| s.parse().ok())
}

fn event(row: &AnyRow) -> StoreResult<AuditEvent> {
    let get_s = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    let get_o = |c: &str| row.try_get::<Option<String>, _>(c).map_err(db_err);
    let kind = get_s("kind")?;
    Ok(AuditEvent {
        seq: row.try_get("seq").map_err(db_err)?,
        event: NewAuditEvent {
            at: from_ms(row.try_get("at").map_err(db_err)?),
            tenant_id: get_s("tenant_id")?.parse().map_err(|_| StoreError::Backend("bad tenant id in audit".into()))?,
            actor: get_s("actor")?,
            kind: AuditKind::parse(&kind).ok_or_else(|| StoreError::Backend(format!("unknown audit kind {kind}")))?,
            device_id: parse(get_o("device_id")?),
            action_id: parse(get_o("action_id")?),
            action: get_o("action")?,
            outcome: get_s("outcome")?,
            request_id: get_o("request_id")?,
        },
    })
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
            add("actor", "=", actor.clone());
        }
        // Times are bound as text-free integers below, after the string binds.
        let mut times = Vec::new();
        if let Some(since) = f.since {
            times.push(("at >=", ms(since)));
        }
        if let Some(until) = f.until {
            times.push(("at <", ms(until)));
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
        rows.iter().map(event).collect()
    }
}
