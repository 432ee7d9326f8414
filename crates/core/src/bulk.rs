//! A bulk action: one admin request over many devices (a group, a filter or a list of ids),
//! with what happened on each device — queued, deduplicated (the same action was already
//! pending) or refused with the capability matrix's reason — and, through the actions it
//! queued, how far the devices got.

use crate::action::ActionKind;
use crate::error::ErrorCode;
use crate::ids::{ActionId, DeviceId, TenantId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::string_enum::string_enum! {
    /// What a bulk job does to each device.
    pub enum BulkKind {
        RemoteLock = "remote-lock",
        ResetPasscode = "reset-passcode",
        /// Erase the device: tenant admins only.
        ResetDevice = "reset-device",
        /// Ask each device to check in now (push where it can be pushed).
        Sync = "sync",
    }
}

impl BulkKind {
    /// The remote action it queues (`None` for sync, which queues nothing).
    pub fn action(self) -> Option<ActionKind> {
        match self {
            BulkKind::RemoteLock => Some(ActionKind::RemoteLock),
            BulkKind::ResetPasscode => Some(ActionKind::ResetPasscode),
            BulkKind::ResetDevice => Some(ActionKind::ResetDevice),
            BulkKind::Sync => None,
        }
    }
}

crate::string_enum::string_enum! {
    /// What the job did on one device.
    pub enum BulkOutcome {
        Queued = "queued",
        /// The same action was already pending: that one is followed.
        Deduplicated = "deduplicated",
        /// The device cannot take it (or the role may not): `refusal` says why.
        Refused = "refused",
        /// Sync: the device was asked to check in.
        Woken = "woken",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BulkItem {
    pub device_id: DeviceId,
    pub outcome: BulkOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_id: Option<ActionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<ErrorCode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BulkJob {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    pub tenant_id: TenantId,
    pub kind: BulkKind,
    /// `user:<login>`, as the audit names them.
    pub requested_by: String,
    pub created_at: DateTime<Utc>,
    /// Devices selected when the job started.
    pub total: usize,
    /// One per device handled so far, in the order handled.
    pub items: Vec<BulkItem>,
    /// Every selected device was handled (or the job was cancelled).
    pub finished_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}
