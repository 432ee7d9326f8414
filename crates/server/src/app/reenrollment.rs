//! Who may enroll a device identity (Windows DeviceID, Apple UDID) that is already bound to an
//! enrolled device. The binding belongs to that device and its tenant; an enrollment moves it
//! only when it proves it is that device (it presents the device's current certificate) or a
//! tenant admin approved this user's re-enrollment. Anything else is refused and recorded as a
//! request for an admin to decide; the enrolled device is untouched.

use super::audit;
use super::view::{DecideReenrollments, Granted, ReadReenrollments};
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{AuditKind, Device, DeviceId, ErrorCode, IdentityKind, NewAuditEvent, Reenrollment, ReenrollmentState, User};

pub enum Admission {
    /// No device holds the identity: enroll a new device.
    New,
    /// The enrolling device presented this device's current certificate.
    Proven(Device),
    /// A tenant admin approved this user's re-enrollment of the device (spend it in the
    /// enrollment's transaction).
    Approved(Device, Reenrollment),
}

/// Why an enrollment was refused, for the channel to put in its own words on the wire.
pub enum Refusal {
    EnrolledElsewhere,
    NeedsApproval(Reenrollment),
}

impl Refusal {
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::EnrolledElsewhere => ErrorCode::DeviceEnrolledElsewhere,
            Refusal::NeedsApproval(_) => ErrorCode::DeviceAlreadyEnrolled,
        }
    }

    /// One sentence for the device's enrollment screen: reason, remedy, and the request's
    /// reference an admin will see.
    pub fn message(&self) -> String {
        match self {
            Refusal::EnrolledElsewhere => format!("{} {}", self.code().reason(), self.code().remedy()),
            Refusal::NeedsApproval(r) => format!(
                "This device is already enrolled. Your IT administrator must approve enrolling it again (request {}); then enroll it again within 24 hours.",
                short_reference(r)
            ),
        }
    }
}

/// The first block of the request id: enough for a user to read out to the help desk.
pub fn short_reference(r: &Reenrollment) -> String {
    r.id.to_string().split('-').next().unwrap_or_default().to_string()
}

/// Decide an enrollment by `user` naming `external_id`. `proven` is the device whose current
/// certificate the enrolling client presented, if any.
pub async fn admit(
    state: &AppState,
    identity_kind: IdentityKind,
    external_id: &str,
    user: &User,
    proven: Option<DeviceId>,
) -> Result<Result<Admission, Refusal>, AppError> {
    let Some(device) = state.store.device_by_identity(identity_kind, external_id).await?.filter(|d| d.retired_at.is_none()) else {
        return Ok(Ok(Admission::New));
    };
    if device.tenant_id != user.tenant_id {
        // Another organisation's device: never moved, and no request lands in their queue.
        tracing::warn!(device_id = %device.id, "an enrollment from another tenant named an enrolled device; refused");
        return Ok(Err(Refusal::EnrolledElsewhere));
    }
    if proven == Some(device.id) {
        return Ok(Ok(Admission::Proven(device)));
    }
    let now = state.clock.now();
    if let Some(r) = state.store.open_reenrollment(device.id, user.id, now).await? {
        if r.is_usable(now) {
            return Ok(Ok(Admission::Approved(device, r)));
        }
    }
    let request = Reenrollment::new(device.tenant_id, device.id, identity_kind, external_id, user.id, &user.login, now);
    let event = NewAuditEvent {
        at: now,
        tenant_id: device.tenant_id,
        actor: format!("user:{}", user.login),
        kind: AuditKind::ReenrollmentRequested,
        device_id: Some(device.id),
        action_id: None,
        action: None,
        outcome: format!("pending:{}", request.id),
        request_id: None,
        origin: None,
    };
    let stored = state.store.request_reenrollment(&request, &[event], now).await?;
    tracing::warn!(device_id = %device.id, request = %stored.id, "an enrollment named an enrolled device without proof; waiting for an admin");
    Ok(Err(Refusal::NeedsApproval(stored)))
}

/// The audit event of a completed re-enrollment.
pub fn reenrolled_event(state: &AppState, device: &Device, actor: String, how: &str) -> NewAuditEvent {
    NewAuditEvent {
        at: state.clock.now(),
        tenant_id: device.tenant_id,
        actor,
        kind: AuditKind::DeviceReenrolled,
        device_id: Some(device.id),
        action_id: None,
        action: None,
        outcome: how.to_string(),
        request_id: None,
        origin: None,
    }
}

pub async fn list(g: &Granted<'_, ReadReenrollments>) -> Result<Vec<Reenrollment>, AppError> {
    let (state, actor) = (g.state, g.actor);
    Ok(state.store.list_reenrollments(actor.tenant_id, 500).await?)
}

/// A tenant admin approves or rejects a pending request (audited).
pub async fn decide(
    g: &Granted<'_, DecideReenrollments>,
    id: uuid::Uuid,
    approve: bool,
    request_id: Option<String>,
) -> Result<Reenrollment, AppError> {
    let (state, actor) = (g.state, g.actor);
    let mut r = state.store.reenrollment(actor.tenant_id, id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))?;
    let now = state.clock.now();
    r.decide(approve, &audit::actor_label(actor), now).map_err(|why| AppError::with_detail(ErrorCode::ReenrollmentNotPending, why))?;
    let kind = if approve { AuditKind::ReenrollmentApproved } else { AuditKind::ReenrollmentRejected };
    let mut event = audit::for_tenant(now, actor.tenant_id, audit::by(actor), kind, format!("{}:{}", r.state.as_str(), r.id), request_id);
    event.device_id = Some(r.device_id);
    state.store.save_reenrollment(&r, ReenrollmentState::Pending, &[event]).await.map_err(|e| match e {
        pinreset_store::StoreError::Conflict(_) => AppError::code(ErrorCode::ReenrollmentNotPending),
        e => e.into(),
    })?;
    Ok(r)
}
