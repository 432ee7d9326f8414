//! Requesting a remote action: the front half of the spine.

use super::audit;
use super::scope;
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::action::ActionParams;
use pinreset_core::{
    capability, ActionId, ActionKind, ActionState, Actor, AuditKind, Capability, CapabilityContext, Cause, Detail, DetailCode, DeviceId,
    RemoteAction,
};
use pinreset_store::RequestOutcome;

pub struct Requested {
    pub action: RemoteAction,
    /// False when an identical action was already pending and is returned instead.
    pub created: bool,
}

/// Longest device name we accept; Windows and iOS both cap well below this.
const MAX_NAME_LEN: usize = 63;
/// Longest lock-screen message and phone number (Apple DeviceLock) we accept.
pub const MAX_LOCK_MESSAGE: usize = 200;
pub const MAX_LOCK_PHONE: usize = 32;

fn validate_params(kind: ActionKind, params: &ActionParams) -> Result<(), AppError> {
    if kind == ActionKind::Rename {
        let name = params.name.as_deref().map(str::trim).unwrap_or("");
        if name.is_empty() {
            return Err(AppError::invalid(Detail::plain(DetailCode::RenameNeedsName)));
        }
        if name.chars().count() > MAX_NAME_LEN {
            return Err(AppError::invalid(Detail::too_long("name", MAX_NAME_LEN)));
        }
        // No control characters, no bidirectional overrides (`a\u{202E}gpj.exe`).
        pinreset_core::text::check_name("name", name).map_err(AppError::invalid)?;
    } else if params.name.is_some() {
        return Err(AppError::invalid(Detail::new(DetailCode::FieldOnlyFor, [("field", "name".into()), ("action", "rename".into())])));
    }
    for (field, value, max) in [("message", &params.message, MAX_LOCK_MESSAGE), ("phone_number", &params.phone_number, MAX_LOCK_PHONE)] {
        if let Some(v) = value {
            if kind != ActionKind::RemoteLock {
                return Err(AppError::invalid(Detail::new(
                    DetailCode::FieldOnlyFor,
                    [("field", field.into()), ("action", "remote-lock".into())],
                )));
            }
            if v.chars().count() > max {
                return Err(AppError::invalid(Detail::too_long(field, max)));
            }
            // Shown on the device's lock screen: the same rules as a name.
            pinreset_core::text::check_name(field, v).map_err(AppError::invalid)?;
            if field == "phone_number" {
                pinreset_core::text::check_phone(field, v).map_err(AppError::invalid)?;
            }
        }
    }
    Ok(())
}

/// Why an end user may not reset `device`'s passcode now (None: they may, and the step-up grant
/// is spent). Store failures are errors, not refusals.
async fn step_up_refusal(
    state: &AppState,
    actor: &Actor,
    device: &pinreset_core::Device,
    tenant: &pinreset_core::Tenant,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<AppError>, AppError> {
    if let Err(code) =
        pinreset_core::session::require_fresh_authentication(actor.authenticated_at, now, tenant.settings.reauth_window_minutes)
    {
        return Ok(Some(AppError::code(code)));
    }
    let refused = |e: AppError| match e {
        AppError::Catalogued { .. } => Ok(Some(e)),
        other => Err(other),
    };
    if let Err(e) = super::reset_limits::check(state, actor, device, now).await {
        return refused(e);
    }
    match super::step_up::spend(state, actor, device.id).await {
        Ok(()) => Ok(None),
        Err(e) => refused(e),
    }
}

/// Authorize, check the device's capability, and queue the action with its wake-up and audit
/// trail in one transaction. A refusal is audited and returned with its catalogue reason.
pub async fn request(
    state: &AppState,
    actor: &Actor,
    device_id: DeviceId,
    kind: ActionKind,
    params: ActionParams,
    request_id: Option<String>,
) -> Result<Requested, AppError> {
    request_with(state, actor, device_id, kind, params, request_id, ActionId::new(), None).await
}

/// `request` with the action's id chosen by the caller and, when `deferred` is given, the audit
/// events of a refusal or a deduplication handed back there instead of appended: a bulk job
/// chooses ids derived from itself and the device, so a job resumed after its instance died
/// finds what it already queued (asking again with the same id returns that action, created
/// once), and it commits those events with its saved progress, so a device handled twice
/// across a crash is audited once.
#[allow(clippy::too_many_arguments)]
pub async fn request_with(
    state: &AppState,
    actor: &Actor,
    device_id: DeviceId,
    kind: ActionKind,
    mut params: ActionParams,
    request_id: Option<String>,
    id: ActionId,
    deferred: Option<&mut Vec<pinreset_core::NewAuditEvent>>,
) -> Result<Requested, AppError> {
    validate_params(kind, &params)?;
    if let Some(name) = params.name.as_mut() {
        *name = name.trim().to_string();
    }
    let (device, tenant) = scope::visible_device_and_tenant(state, actor, device_id).await?;
    let now = state.clock.now();
    let ctx = CapabilityContext { actor, tenant: &tenant.settings, channels: state.channels.contracts() };
    let (support, refusal) = match capability(&device, kind, &ctx) {
        Capability::Supported { kind: support } => (Some(support), None),
        Capability::Unsupported { code, .. } => (None, Some(AppError::code(code))),
    };
    // The step-up rule: allowed for this device, but only moments after the user proved who
    // they are, within this hour's allowance, and spending the grant of that proof.
    let refusal = match refusal {
        None if actor.role.needs_fresh_authentication(kind) => step_up_refusal(state, actor, &device, &tenant, now).await?,
        other => other,
    };
    let (Some(support), None) = (support, refusal.as_ref()) else {
        let error = refusal.unwrap_or(AppError::code(pinreset_core::ErrorCode::ActionNotSupported));
        let event = pinreset_core::NewAuditEvent {
            at: now,
            tenant_id: actor.tenant_id,
            actor: audit::actor_label(actor),
            kind: AuditKind::ActionRefused,
            device_id: Some(device.id),
            action_id: None,
            action: Some(kind.as_str().into()),
            outcome: format!("refused:{}", error.error_code().code()),
            request_id,
            origin: audit::origin_of(actor.session_id, actor.client),
        };
        match deferred {
            Some(d) => d.push(event),
            None => state.store.append_audit(&[event]).await?,
        }
        state.metrics.action_refused(kind, error.error_code());
        return Err(error);
    };
    let cause = Cause::User { user_id: actor.user_id };
    let lifetime = chrono::Duration::days(tenant.settings.action_lifetime_days.into());
    let mut action = RemoteAction::request(id, actor.tenant_id, device.id, kind, params, cause, now, lifetime);
    // The channel encodes what the matrix chose, and delivery checks it still can.
    action.support = Some(support);
    action.transition(ActionState::Queued, Cause::System { component: "server".into() }, now, None).expect("requested → queued is an edge");
    let events = [
        audit::for_action(now, audit::by(actor), AuditKind::ActionRequested, &action, "requested", request_id.clone()),
        audit::for_action(now, "system:server", AuditKind::ActionTransition, &action, "queued", request_id),
    ];
    match state.writes.request_action(action.clone(), events.to_vec()).await? {
        RequestOutcome::Created(action) => {
            state.pending.mark(action.device_id);
            state.metrics.action_queued(&action);
            // Wake the device now (this instance's dispatcher claims the wake-up from the
            // outbox, which keeps it if this instance dies first).
            state.outbox_queued.notify_one();
            tracing::info!(action_id = %action.id, device_id = %action.device_id, kind = action.kind.as_str(), "action queued");
            Ok(Requested { action, created: true })
        }
        // The very action asked for again (same id): created once, by the first request.
        RequestOutcome::Existing(action) if action.id == id => Ok(Requested { action, created: true }),
        RequestOutcome::Existing(action) => {
            // Every request is audited, also the one that found its action already pending.
            let event =
                audit::for_action(now, audit::by(actor), AuditKind::ActionRequested, &action, "deduplicated", events[0].request_id.clone());
            match deferred {
                Some(d) => d.push(event),
                None => state.store.append_audit(&[event]).await?,
            }
            state.metrics.action_deduplicated(action.kind);
            Ok(Requested { action, created: false })
        }
    }
}
