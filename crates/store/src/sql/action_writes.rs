//! The action path's group commit: requests, transitions and device-exchange audit appends of
//! many callers in one transaction (`ActionStore::commit_writes`). One transaction for all three
//! kinds, not one stream each: on SQLite writers queue for a single lock, and three streams
//! committing side by side spent their time waiting on each other (`BEGIN IMMEDIATE` under
//! `busy_timeout` sleeps) instead of writing.

use super::actions::{devices_with_deliverable, insert_actions, insert_outbox, pending_flag};
use super::{audit::insert_audit, db_err, ms, placeholders, secrets::upsert_secret, to_doc, Backend, SqlStore};
use crate::ports::{
    ActionPathWrite, ActionPathWritten, ActionStore, NewSecret, RequestOutcome, StillPending, StoreError, StoreResult, TransitionWrite,
};
use pinreset_core::{DeviceId, NewAuditEvent, RemoteAction};
use sqlx::{Any, Row, Transaction};
use std::collections::HashSet;

/// Transactions for one batch, at most: a request is tried again only when the pending action it
/// collided with finished before it could be read back.
const ATTEMPTS: usize = 3;

pub(super) async fn commit_writes(store: &SqlStore, batch: &[ActionPathWrite]) -> StoreResult<Vec<ActionPathWritten>> {
    let mut written: Vec<Option<ActionPathWritten>> = batch.iter().map(|_| None).collect();
    let mut todo: Vec<usize> = (0..batch.len()).collect();
    for _attempt in 0..ATTEMPTS {
        if todo.is_empty() {
            break;
        }
        todo = commit_once(store, batch, &todo, &mut written).await?;
    }
    for i in todo {
        written[i] = Some(ActionPathWritten::Request(Err(StoreError::Conflict("the pending action keeps changing".into()))));
    }
    written.into_iter().map(|w| w.ok_or_else(|| StoreError::Backend("a write was left undecided".into()))).collect()
}

/// One transaction for the writes at `todo`: decides each into `written`, and returns the
/// requests to try again.
async fn commit_once(
    store: &SqlStore,
    batch: &[ActionPathWrite],
    todo: &[usize],
    written: &mut [Option<ActionPathWritten>],
) -> StoreResult<Vec<usize>> {
    let mut tx = store.write_tx().await?;
    // Whether each write is stored (and so its audit events with it).
    let mut stored = vec![false; batch.len()];
    let mut finished: Vec<DeviceId> = Vec::new();
    let transitions: Vec<(usize, &TransitionWrite)> =
        todo.iter().filter_map(|&i| if let ActionPathWrite::Transition(w) = &batch[i] { Some((i, w)) } else { None }).collect();
    let applied = update_transitions(&mut tx, &transitions, rows_per_update(store.backend)).await.map_err(db_err)?;
    for ((i, write), applied) in transitions.into_iter().zip(applied) {
        if !applied {
            let lost = StoreError::Conflict(format!("the action is no longer {}", write.expected.as_str()));
            written[i] = Some(ActionPathWritten::Transition(Err(lost)));
            continue;
        }
        let action = &write.action;
        if let Some((key, secret, expires_at)) = &write.secret {
            upsert_secret(&mut tx, &store.key, &NewSecret { key: key.clone(), secret, expires_at: *expires_at }).await?;
        }
        if action.state.is_terminal() {
            finished.push(action.device_id);
        }
        stored[i] = true;
    }

    // The partial unique index `actions_one_pending` is the arbiter: of concurrent inserts for
    // one (device, kind) exactly one commits; the others are skipped (ON CONFLICT DO NOTHING),
    // write nothing else, and are answered with the winner once this transaction committed.
    let requests: Vec<(usize, &RemoteAction)> =
        todo.iter().filter_map(|&i| if let ActionPathWrite::Request(a, _) = &batch[i] { Some((i, a)) } else { None }).collect();
    let actions: Vec<&RemoteAction> = requests.iter().map(|(_, a)| *a).collect();
    let inserted = insert_actions(&mut tx, &actions).await.map_err(db_err)?;
    let (created, skipped): (Vec<_>, Vec<_>) = requests.into_iter().partition(|(_, a)| inserted.contains(&a.id));
    let created_actions: Vec<&RemoteAction> = created.iter().map(|(_, a)| *a).collect();
    insert_outbox(&mut tx, &created_actions).await.map_err(db_err)?;
    for (i, _) in &created {
        stored[*i] = true;
    }

    for &i in todo {
        if matches!(batch[i], ActionPathWrite::Audit(_)) {
            stored[i] = true;
        }
    }
    // In the order the writes came, so a device's exchange reads in order in the audit.
    let events: Vec<NewAuditEvent> = todo.iter().filter(|&&i| stored[i]).flat_map(|&i| audit_of(&batch[i]).iter().cloned()).collect();
    insert_audit(&mut tx, &events).await?;
    let mut changed: Vec<DeviceId> = created_actions.iter().map(|a| a.device_id).collect();
    changed.extend(&finished);
    super::changes::notify_pending(store.backend, &mut tx, &changed).await?;
    // Only a finished action can leave its device with nothing deliverable.
    let still = devices_with_deliverable(&mut tx, &finished).await.map_err(db_err)?;
    tx.commit().await.map_err(db_err)?;

    for &i in todo.iter().filter(|&&i| stored[i]) {
        written[i] = Some(match &batch[i] {
            ActionPathWrite::Audit(_) => ActionPathWritten::Audit,
            ActionPathWrite::Request(action, _) => ActionPathWritten::Request(Ok(RequestOutcome::Created(action.clone()))),
            ActionPathWrite::Transition(w) => {
                let a = &w.action;
                ActionPathWritten::Transition(Ok(StillPending(!a.state.is_terminal() || still.contains(&a.device_id))))
            }
        });
    }
    let mut again = Vec::new();
    for (i, asked) in skipped {
        if let Some(same) = store.action_for_system(asked.id).await? {
            written[i] = Some(ActionPathWritten::Request(
                if (same.tenant_id, same.device_id, same.kind) == (asked.tenant_id, asked.device_id, asked.kind) {
                    Ok(RequestOutcome::Existing(same))
                } else {
                    Err(StoreError::Conflict("the action id is taken by another action".into()))
                },
            ));
        } else if let Some(pending) = store.pending_action(asked.device_id, asked.kind).await? {
            written[i] = Some(ActionPathWritten::Request(Ok(RequestOutcome::Existing(pending))));
        } else {
            // The winner finished in between: nothing is pending any more, so try again.
            again.push(i);
        }
    }
    Ok(again)
}

fn audit_of(write: &ActionPathWrite) -> &[NewAuditEvent] {
    match write {
        ActionPathWrite::Audit(events) | ActionPathWrite::Request(_, events) => events,
        ActionPathWrite::Transition(w) => &w.audit,
    }
}

/// Rows per multi-row compare-and-set on PostgreSQL (6 binds a row), where each statement is a
/// round trip to the server: a hundred moves cost one. SQLite runs in this process: there one row
/// a statement keeps a single statement text prepared once, where statements of every batch
/// size were prepared anew (measured: a 10,000-device bulk lock took a fifth longer that way).
fn rows_per_update(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 1,
        Backend::Postgres => 100,
    }
}

/// Each transition as a compare-and-set on the action's state, whether it was applied, in
/// order: a concurrent transition (a device answer racing the expiry worker) makes one of them
/// fail instead of both writing. On PostgreSQL many rows per statement (one round trip for a
/// hundred answers, not one each). One statement must not touch an action twice, so a second
/// write of one action waits for the next pass, which sees the first one's outcome: writes of
/// one action in one batch are decided in the order they came.
async fn update_transitions(
    tx: &mut Transaction<'_, Any>,
    writes: &[(usize, &TransitionWrite)],
    rows_per_statement: usize,
) -> Result<Vec<bool>, sqlx::Error> {
    let mut applied = vec![false; writes.len()];
    let mut left: Vec<usize> = (0..writes.len()).collect();
    while !left.is_empty() {
        let mut this_pass = Vec::new();
        let mut touched = HashSet::new();
        left.retain(|&k| {
            let first = touched.insert(writes[k].1.action.id);
            if first {
                this_pass.push(k);
            }
            !first
        });
        for chunk in this_pass.chunks(rows_per_statement) {
            // VALUES columns are column1… on both backends; `id` alone is the table's.
            let sql = format!(
                "UPDATE actions SET state = v.column3, pending = v.column4, expires_at = v.column5, doc = v.column6 \
                 FROM (VALUES {}) AS v WHERE actions.id = v.column1 AND actions.state = v.column2 RETURNING id",
                placeholders(tx, chunk.len(), 6)
            );
            let mut q = sqlx::query(&sql);
            for &k in chunk {
                let write = writes[k].1;
                let action = &write.action;
                q = q
                    .bind(action.id.to_string())
                    .bind(write.expected.as_str())
                    .bind(action.state.as_str())
                    .bind(pending_flag(action.state))
                    .bind(ms(action.expires_at))
                    .bind(to_doc(action));
            }
            let updated: HashSet<String> = q.fetch_all(&mut **tx).await?.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
            for &k in chunk {
                applied[k] = updated.contains(&writes[k].1.action.id.to_string());
            }
        }
    }
    Ok(applied)
}
