//! Bulk actions: an admin locks, resets or syncs many devices at once (a device group, a
//! filter, or a list of ids). The request is checked and the devices chosen up front; a worker
//! then asks for the action on each device through the one pipeline (`actions::request`: the
//! capability matrix, deduplication, one transaction and an audit trail per device) and saves
//! the per-device outcome as it goes. Progress is read from the actions themselves. Cancel
//! stops the worker and cancels what it queued that no device has received yet.
//!
//! A job outlives the instance running it: its plan (the devices, who asked) is saved with it
//! and its runner holds a lease renewed by every progress save. When the runner's instance
//! dies, the maintenance worker of any instance takes the job over once the lease lapses and
//! continues after the last saved device; the devices handled after that save are found by
//! their actions' derived ids (`action_id_for`), so each device is asked once and audited once.

use super::actions;
use super::audit;
use super::view::{ReadAllDevices, View};
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{
    ActionId, ActionParams, ActionState, Actor, BulkItem, BulkJob, BulkKind, BulkOutcome, Cause, Detail, DetailCode, DeviceGroupId,
    DeviceId, ErrorCode, NewAuditEvent, Platform,
};
use pinreset_store::{BulkPlan, DeviceFilter, Page, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// The most devices one job takes.
pub const MAX_DEVICES: usize = 100_000;
/// Progress is saved (and a cancel noticed) every this many devices.
const SAVE_EVERY: usize = 200;
/// Devices asked for at once (a divisor of SAVE_EVERY, so saves fall where they did).
const IN_FLIGHT: usize = 50;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkInput {
    /// `remote-lock`, `reset-passcode`, `reset-device` (tenant admins) or `sync`.
    pub action: String,
    /// Exactly one of `device_ids`, `group_id` and `filter`.
    #[serde(default)]
    pub device_ids: Option<Vec<String>>,
    #[serde(default)]
    pub group_id: Option<String>,
    #[serde(default)]
    pub filter: Option<BulkFilter>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct BulkFilter {
    pub platform: Option<String>,
    /// Part of the name, model, serial, UDID or IMEI.
    pub search: Option<String>,
}

/// How far a job got: its items' outcomes and, for what it queued, the actions' states.
#[derive(Serialize, Deserialize, ToSchema, Default, Debug, Clone, PartialEq)]
pub struct BulkProgress {
    pub total: usize,
    /// Devices handled by the job so far.
    pub handled: usize,
    pub queued: usize,
    pub deduplicated: usize,
    pub refused: usize,
    pub woken: usize,
    /// Of the actions followed (queued or deduplicated): still waiting for the device.
    pub pending: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub expired: usize,
    pub cancelled: usize,
    /// Every device was handled and every followed action reached a terminal state.
    pub done: bool,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct BulkView {
    pub job: BulkJob,
    pub progress: BulkProgress,
}

fn field_problem(code: DetailCode, field: &str) -> AppError {
    AppError::invalid(Detail::field(code, field))
}

fn parse_id<T: std::str::FromStr>(field: &str, s: &str) -> Result<T, AppError> {
    s.parse().map_err(|_| {
        AppError::invalid(Detail::new(DetailCode::FieldNotAnId, [("field", field.into()), ("value", s.chars().take(40).collect())]))
    })
}

enum Selection {
    Ids(Vec<DeviceId>),
    Group(DeviceGroupId),
    Filter(DeviceFilter),
}

fn selection(input: &BulkInput) -> Result<Selection, AppError> {
    let given = [input.device_ids.is_some(), input.group_id.is_some(), input.filter.is_some()].iter().filter(|g| **g).count();
    if given != 1 {
        return Err(AppError::invalid(Detail::plain(DetailCode::BulkOneSelection)));
    }
    if let Some(ids) = &input.device_ids {
        if ids.len() > MAX_DEVICES {
            return Err(AppError::invalid(Detail::new(
                DetailCode::FieldTooLong,
                [("field", "device_ids".into()), ("max", MAX_DEVICES.to_string())],
            )));
        }
        let mut parsed: Vec<DeviceId> = ids.iter().map(|s| parse_id("device_ids", s)).collect::<Result<_, _>>()?;
        let mut seen = std::collections::HashSet::new();
        parsed.retain(|id| seen.insert(*id));
        return Ok(Selection::Ids(parsed));
    }
    if let Some(group) = &input.group_id {
        return Ok(Selection::Group(parse_id("group_id", group)?));
    }
    let f = input.filter.as_ref().expect("counted above");
    let platform = match f.platform.as_deref() {
        Some(p) => Some(p.parse::<Platform>().map_err(|_| {
            let allowed = Platform::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ");
            AppError::invalid(Detail::new(
                DetailCode::FieldUnknownValue,
                [("field", "filter.platform".into()), ("value", p.into()), ("allowed", allowed)],
            ))
        })?),
        None => None,
    };
    if let Some(s) = &f.search {
        pinreset_core::text::check_input("filter.search", s).map_err(AppError::invalid)?;
    }
    if platform.is_none() && f.search.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Err(field_problem(DetailCode::FieldEmpty, "filter"));
    }
    Ok(Selection::Filter(DeviceFilter { platform, search: f.search.clone().filter(|s| !s.trim().is_empty()), ..DeviceFilter::default() }))
}

/// Every device of the tenant the filter names, a page at a time.
async fn devices_matching(state: &AppState, actor: &Actor, filter: DeviceFilter) -> Result<Vec<DeviceId>, AppError> {
    let mut ids = Vec::new();
    let limit = 1000;
    loop {
        let page = state.store.list_devices(actor.tenant_id, &filter, Page { offset: ids.len() as u32, limit }).await?;
        let n = page.items.len();
        ids.extend(page.items.into_iter().map(|d| d.id));
        if n < limit as usize || ids.len() > MAX_DEVICES {
            break;
        }
    }
    if ids.len() > MAX_DEVICES {
        return Err(AppError::invalid(Detail::new(
            DetailCode::FieldTooLong,
            [("field", "selection".into()), ("max", MAX_DEVICES.to_string())],
        )));
    }
    Ok(ids)
}

/// Check the request, choose the devices, save the job and start its worker.
pub async fn start(view: &View<'_>, state: &AppState, input: BulkInput, rid: Option<String>) -> Result<BulkView, AppError> {
    let granted = view.grant::<ReadAllDevices>()?;
    let actor = granted.actor.clone();
    let kind = BulkKind::parse(input.action.trim()).ok_or_else(|| {
        let allowed = BulkKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ");
        AppError::invalid(Detail::new(
            DetailCode::FieldUnknownValue,
            [("field", "action".into()), ("value", input.action.chars().take(40).collect()), ("allowed", allowed)],
        ))
    })?;
    // What the role may never do is refused for the whole job, before anything is queued.
    let allowed = match kind.action() {
        Some(a) => actor.role.may_request(a),
        None => pinreset_core::ActionKind::ALL.into_iter().any(|k| actor.role.may_request(k)),
    };
    if !allowed {
        return Err(AppError::code(ErrorCode::RoleForbidden));
    }
    let devices = match selection(&input)? {
        Selection::Ids(ids) => ids,
        // The group's members as stored, not a paged listing: devices checking in meanwhile
        // (a name arriving with an inventory) reorder a listing, and offset pages over it skip
        // some. A member that is gone is refused by the pipeline like any device it cannot take.
        Selection::Group(group) => {
            let group = state.store.device_group(actor.tenant_id, group).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))?;
            if group.members.len() > MAX_DEVICES {
                return Err(AppError::invalid(Detail::new(
                    DetailCode::FieldTooLong,
                    [("field", "selection".into()), ("max", MAX_DEVICES.to_string())],
                )));
            }
            group.members
        }
        Selection::Filter(filter) => devices_matching(state, &actor, filter).await?,
    };
    let job = BulkJob {
        id: uuid::Uuid::new_v4(),
        tenant_id: actor.tenant_id,
        kind,
        requested_by: audit::actor_label(&actor),
        created_at: state.clock.now(),
        total: devices.len(),
        items: Vec::with_capacity(devices.len()),
        finished_at: None,
        cancelled_at: None,
    };
    let plan = BulkPlan { devices, actor, request_id: rid };
    state.store.create_bulk_job(&job, &plan, &state.instance, state.clock.now() + lease()).await?;
    tracing::info!(bulk_id = %job.id, kind = kind.as_str(), devices = plan.devices.len(), "bulk job started");
    spawn_runner(state, job.clone(), plan, false);
    Ok(BulkView { progress: progress_of(state, &job).await?, job })
}

/// How long a runner's hold on its job lasts without a progress save; a job whose runner
/// stopped (its instance died) is taken over this long after the last save.
pub const LEASE_SECS: i64 = 15;
/// A runner saves (renewing its lease) at least this often, however slow its devices.
const RENEW_EVERY: std::time::Duration = std::time::Duration::from_secs(3);

fn lease() -> chrono::Duration {
    chrono::Duration::seconds(LEASE_SECS)
}

/// The id of the action a job asks for on a device: derived from both, so that a job resumed
/// after its runner died finds (and never repeats) what the dead runner queued but had not yet
/// saved. (SHA-256 of the two ids, formatted as a random UUID.)
pub fn action_id_for(job: uuid::Uuid, device: DeviceId) -> ActionId {
    use sha2::{Digest, Sha256};
    let digest =
        Sha256::new().chain_update(b"pinreset bulk action\0").chain_update(job.as_bytes()).chain_update(device.0.as_bytes()).finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    ActionId(uuid::Builder::from_random_bytes(bytes).into_uuid())
}

fn spawn_runner(state: &AppState, job: BulkJob, plan: BulkPlan, resumed: bool) {
    let state = state.clone();
    tokio::spawn(async move {
        let id = job.id;
        if let Err(e) = run(&state, job, plan, resumed).await {
            // The lease lapses and the maintenance worker of some instance resumes the job.
            tracing::error!(bulk_id = %id, error = %e, "bulk job stopped; it is resumed once its lease lapses");
        }
    });
}

/// Take over the jobs whose runner stopped (the maintenance worker calls this every tick):
/// each continues where its last save left it, on this instance. Returns how many.
pub async fn resume_lapsed(state: &AppState) -> Result<usize, StoreError> {
    let now = state.clock.now();
    let claimed = state.store.claim_bulk_jobs(&state.instance, now, now + lease(), 16).await?;
    let n = claimed.len();
    for (job, plan) in claimed {
        tracing::warn!(bulk_id = %job.id, handled = job.items.len(), total = job.total, "bulk job resumed after its runner stopped");
        spawn_runner(state, job, plan, true);
    }
    Ok(n)
}

/// One device: the action through the one pipeline (with the id `action_id_for` gives it, and
/// a refusal's or deduplication's audit event left in `deferred` for the next progress save),
/// or the wake-up for sync.
pub async fn handle_device(
    state: &AppState,
    actor: &Actor,
    job: &BulkJob,
    device: DeviceId,
    rid: Option<String>,
    deferred: &mut Vec<NewAuditEvent>,
) -> Result<BulkItem, AppError> {
    let item = |outcome, action_id, refusal| BulkItem { device_id: device, outcome, action_id, refusal };
    let id = action_id_for(job.id, device);
    let result = match job.kind.action() {
        Some(action) => {
            actions::request_with(state, actor, device, action, ActionParams::default(), rid, id, Some(deferred)).await.map(|r| {
                let outcome = if r.created { BulkOutcome::Queued } else { BulkOutcome::Deduplicated };
                item(outcome, Some(r.action.id), None)
            })
        }
        None => state.view(actor.clone()).sync(device).await.map(|_| item(BulkOutcome::Woken, None, None)),
    };
    match result {
        Ok(item) => Ok(item),
        // A refusal is this device's outcome; a store failure stops the job.
        Err(AppError::Catalogued { code, .. }) => Ok(item(BulkOutcome::Refused, None, Some(code))),
        // Another runner of this job (one that outlived its lease) queued it a moment ago.
        Err(e) if job.kind.action().is_some() => match state.store.action(job.tenant_id, id).await? {
            Some(_) => Ok(item(BulkOutcome::Queued, Some(id), None)),
            None => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// Save the items and renew the lease (with the deferred audit events, in one transaction).
/// False: this instance no longer holds the job — another runner took it over; stop.
async fn save(state: &AppState, job: &BulkJob, deferred: &mut Vec<NewAuditEvent>) -> Result<bool, AppError> {
    let saved = state.store.save_bulk_progress(job, &state.instance, state.clock.now() + lease(), deferred).await?;
    deferred.clear();
    Ok(saved)
}

async fn run(state: &AppState, mut job: BulkJob, plan: BulkPlan, resumed: bool) -> Result<(), AppError> {
    let BulkPlan { devices, actor, request_id: rid } = plan;
    let start = job.items.len().min(devices.len());
    // A runner that died may have queued actions for devices after its last save: those are
    // found by their derived ids and recorded as they are, never asked for again.
    let mut queued_before: std::collections::HashSet<ActionId> = std::collections::HashSet::new();
    if resumed && job.kind.action().is_some() {
        let window: Vec<ActionId> = devices[start..].iter().take(SAVE_EVERY).map(|d| action_id_for(job.id, *d)).collect();
        queued_before.extend(state.store.action_states(job.tenant_id, &window).await?.into_iter().map(|(id, _)| id));
    }
    let mut deferred = Vec::new();
    let (mut unsaved, mut saved_at) = (0usize, std::time::Instant::now());
    let mut cancelled = job.cancelled_at.is_some();
    let remaining: Vec<DeviceId> = devices.into_iter().skip(start).collect();
    for chunk in remaining.chunks(IN_FLIGHT) {
        if cancelled {
            break;
        }
        // The chunk's devices are asked for together: their requests share the group commits
        // (one transaction for the chunk, not one each); outcomes are kept in device order.
        let handled = futures_util::future::join_all(chunk.iter().map(|&device| {
            let (actor, job, rid) = (&actor, &job, rid.clone());
            let earlier = queued_before.contains(&action_id_for(job.id, device));
            async move {
                let mut events = Vec::new();
                let item = if earlier {
                    let id = action_id_for(job.id, device);
                    Ok(BulkItem { device_id: device, outcome: BulkOutcome::Queued, action_id: Some(id), refusal: None })
                } else {
                    handle_device(state, actor, job, device, rid, &mut events).await
                };
                item.map(|item| (item, events))
            }
        }))
        .await;
        for outcome in handled {
            let (item, events) = outcome?;
            job.items.push(item);
            deferred.extend(events);
        }
        unsaved += chunk.len();
        if unsaved >= SAVE_EVERY || saved_at.elapsed() >= RENEW_EVERY {
            if !save(state, &job, &mut deferred).await? {
                tracing::warn!(bulk_id = %job.id, "bulk job taken over by another instance; this runner stops");
                return Ok(());
            }
            (unsaved, saved_at) = (0, std::time::Instant::now());
            cancelled = state.store.bulk_job(job.tenant_id, job.id).await?.is_some_and(|j| j.cancelled_at.is_some());
        }
    }
    job.finished_at = Some(state.clock.now());
    if !save(state, &job, &mut deferred).await? {
        return Ok(());
    }
    // A cancel that arrived while the last devices were handled: cancel what they got too.
    if state.store.bulk_job(job.tenant_id, job.id).await?.is_some_and(|j| j.cancelled_at.is_some()) {
        cancel_queued(state, &job).await?;
    }
    tracing::info!(bulk_id = %job.id, handled = job.items.len(), "bulk job finished");
    Ok(())
}

async fn progress_of(state: &AppState, job: &BulkJob) -> Result<BulkProgress, AppError> {
    let mut p = BulkProgress { total: job.total, handled: job.items.len(), ..BulkProgress::default() };
    for item in &job.items {
        match item.outcome {
            BulkOutcome::Queued => p.queued += 1,
            BulkOutcome::Deduplicated => p.deduplicated += 1,
            BulkOutcome::Refused => p.refused += 1,
            BulkOutcome::Woken => p.woken += 1,
        }
    }
    let followed: Vec<ActionId> = job.items.iter().filter_map(|i| i.action_id).collect();
    for (_, s) in state.store.action_states(job.tenant_id, &followed).await? {
        match s {
            ActionState::Succeeded => p.succeeded += 1,
            ActionState::Failed => p.failed += 1,
            ActionState::Expired => p.expired += 1,
            ActionState::Cancelled => p.cancelled += 1,
            _ => p.pending += 1,
        }
    }
    p.done = job.finished_at.is_some() && p.pending == 0;
    Ok(p)
}

async fn job_of(state: &AppState, actor: &Actor, id: uuid::Uuid) -> Result<BulkJob, AppError> {
    state.store.bulk_job(actor.tenant_id, id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))
}

pub async fn show(view: &View<'_>, state: &AppState, id: uuid::Uuid) -> Result<BulkView, AppError> {
    let g = view.grant::<ReadAllDevices>()?;
    let job = job_of(state, g.actor, id).await?;
    Ok(BulkView { progress: progress_of(state, &job).await?, job })
}

/// Cancel the job's actions that no device has received yet (a state that moved meanwhile is
/// left as the device made it).
async fn cancel_queued(state: &AppState, job: &BulkJob) -> Result<(), AppError> {
    let followed: Vec<ActionId> = job.items.iter().filter(|i| i.outcome == BulkOutcome::Queued).filter_map(|i| i.action_id).collect();
    let states: HashMap<ActionId, ActionState> = state.store.action_states(job.tenant_id, &followed).await?.into_iter().collect();
    let now = state.clock.now();
    for id in followed.into_iter().filter(|id| states.get(id) == Some(&ActionState::Queued)) {
        let Some(mut action) = state.store.action(job.tenant_id, id).await? else { continue };
        let by = Cause::System { component: "bulk-cancel".into() };
        if action.transition(ActionState::Cancelled, by, now, None).is_err() {
            continue;
        }
        let event =
            audit::for_action(now, job.requested_by.clone(), pinreset_core::AuditKind::ActionTransition, &action, "cancelled", None);
        match state.store.save_transition(&action, ActionState::Queued, None, &[event]).await {
            Ok(()) => state.pending.refresh(state.store.as_ref(), action.device_id).await?,
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

pub async fn cancel(view: &View<'_>, state: &AppState, id: uuid::Uuid) -> Result<BulkView, AppError> {
    let g = view.grant::<ReadAllDevices>()?;
    let actor = g.actor;
    if !pinreset_core::ActionKind::ALL.into_iter().any(|k| actor.role.may_request(k)) {
        return Err(AppError::code(ErrorCode::RoleForbidden));
    }
    let job = job_of(state, actor, id).await?;
    state.store.cancel_bulk_job(actor.tenant_id, id, state.clock.now()).await?;
    cancel_queued(state, &job).await?;
    let job = job_of(state, actor, id).await?;
    Ok(BulkView { progress: progress_of(state, &job).await?, job })
}
