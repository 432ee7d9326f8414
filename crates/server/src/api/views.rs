//! Response bodies of the admin API. Domain types are reused where they already read well;
//! these add what a client needs to show them (reasons, remedies, human status).

use chrono::{DateTime, Utc};
use pinreset_core::action::Failure;
use pinreset_core::{ActionKind, ActionResult, Capability, Device, ErrorCode, RemoteAction, User};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DevicePage {
    pub items: Vec<Device>,
    pub total: u64,
    pub offset: u32,
    pub limit: u32,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct OwnerView {
    pub id: pinreset_core::UserId,
    pub login: String,
    pub display_name: String,
    pub email: String,
}

impl From<User> for OwnerView {
    fn from(u: User) -> Self {
        OwnerView { id: u.id, login: u.login, display_name: u.display_name, email: u.email }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DeviceDetail {
    pub device: Device,
    pub owner: Option<OwnerView>,
    /// For every action (`reset_passcode`, `remote_lock`, ...): supported and how, or the
    /// refusal with reason and remedy — for the caller's role.
    pub capabilities: BTreeMap<String, Capability>,
    /// How a queued action reaches the device: at once by push, or at its next check-in (why).
    pub reached_by: crate::app::push::Reach,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct FailureView {
    pub code: ErrorCode,
    pub reason: String,
    pub remedy: String,
    pub detail: Option<String>,
}

impl From<&Failure> for FailureView {
    fn from(f: &Failure) -> Self {
        FailureView { code: f.code, reason: f.code.reason().into(), remedy: f.code.remedy().into(), detail: f.detail.clone() }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ActionView {
    #[serde(flatten)]
    pub action: RemoteAction,
    /// One line for people, e.g. "Temporary passcode available until 2026-11-30 08:00 UTC".
    pub summary: String,
    pub failure_view: Option<FailureView>,
    /// Whether `GET /api/v1/actions/{id}/passcode` can return a value now.
    pub passcode_available: bool,
    /// True when this request found an identical pending action and returned it.
    #[serde(default)]
    pub deduplicated: bool,
}

impl ActionView {
    pub fn new(action: RemoteAction, now: DateTime<Utc>, deduplicated: bool) -> Self {
        let (summary, passcode_available) = summarize(&action, now);
        let failure_view = action.failure.as_ref().map(FailureView::from);
        ActionView { action, summary, failure_view, passcode_available, deduplicated }
    }
}

fn summarize(a: &RemoteAction, now: DateTime<Utc>) -> (String, bool) {
    use pinreset_core::ActionState::*;
    let fmt = |t: &DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    match (a.state, &a.result) {
        (Succeeded, Some(ActionResult::TemporaryPasscode { expires_at })) if *expires_at > now => {
            (format!("Temporary passcode available until {}", fmt(expires_at)), true)
        }
        (Succeeded, Some(ActionResult::TemporaryPasscode { .. })) => ("Temporary passcode expired".into(), false),
        (Succeeded, Some(ActionResult::LockPin { expires_at })) if *expires_at > now => {
            (format!("Locked; PIN available until {}", fmt(expires_at)), true)
        }
        (Succeeded, Some(ActionResult::PasscodeRemoved)) => ("Passcode removed; the user sets a new one".into(), false),
        (Succeeded, _) if a.kind == ActionKind::Rename => (format!("Renamed to {}", a.params.name.as_deref().unwrap_or("")), false),
        (Succeeded, _) => ("Done".into(), false),
        (Failed | Expired, _) => {
            (a.failure.as_ref().map(|f| format!("{} {}", f.code.reason(), f.code.remedy())).unwrap_or_else(|| "Failed".into()), false)
        }
        (Queued, _) => ("Waiting for the device to check in".into(), false),
        (Delivered, _) if a.deferrals > 0 => {
            (format!("The device answered \"not now\" {} time(s); it is asked again when it next checks in", a.deferrals), false)
        }
        (Delivered, _) => ("Sent to the device; waiting for its answer".into(), false),
        (Acknowledged, _) => ("The device accepted the command".into(), false),
        (Requested, _) => ("Requested".into(), false),
        (Cancelled, _) => ("Cancelled".into(), false),
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PasscodeView {
    /// The temporary passcode. Reading it is an audit event.
    pub passcode: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct RenameBody {
    pub name: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ConsentBody {
    pub granted: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub backend: String,
}
