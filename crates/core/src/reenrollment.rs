//! Re-enrollment of a device that is already enrolled. A device's identity (Windows DeviceID,
//! Apple UDID) belongs to the device record it is bound to; an enrollment that names it but
//! cannot prove it is that device (by presenting the device's current certificate) must not
//! take it over. It becomes a request that a tenant admin approves or rejects; an approval lets
//! the requesting user enroll that device once, within a day.

use crate::detail::{Detail, DetailCode};
use crate::device::IdentityKind;
use crate::ids::{DeviceId, TenantId, UserId};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// How long an unanswered request waits for an admin.
pub const REQUEST_LIFETIME_DAYS: i64 = 7;
/// How long an approval may be used by the requesting user's next enrollment.
pub const APPROVAL_LIFETIME_HOURS: i64 = 24;

crate::string_enum::string_enum! {
    pub enum ReenrollmentState {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        /// The approved enrollment happened.
        Completed = "completed",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Reenrollment {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub tenant_id: TenantId,
    /// The enrolled device the request would take over.
    pub device_id: DeviceId,
    /// The channel identity named, e.g. `windows-device-id`, `apple-udid`.
    pub identity_kind: IdentityKind,
    pub external_id: String,
    pub requested_by: UserId,
    pub requested_by_login: String,
    pub requested_at: DateTime<Utc>,
    pub state: ReenrollmentState,
    /// `user:<login>` of the admin who decided.
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Pending: when the request lapses. Approved: until when the approval may be used.
    pub expires_at: DateTime<Utc>,
}

impl Reenrollment {
    pub fn new(
        tenant_id: TenantId,
        device_id: DeviceId,
        identity_kind: IdentityKind,
        external_id: &str,
        requested_by: UserId,
        requested_by_login: &str,
        now: DateTime<Utc>,
    ) -> Self {
        Reenrollment {
            id: Uuid::new_v4(),
            tenant_id,
            device_id,
            identity_kind,
            external_id: external_id.to_owned(),
            requested_by,
            requested_by_login: requested_by_login.to_owned(),
            requested_at: now,
            state: ReenrollmentState::Pending,
            decided_by: None,
            decided_at: None,
            expires_at: now + Duration::days(REQUEST_LIFETIME_DAYS),
        }
    }

    /// Still waiting for a decision, or approved and not yet used, at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        matches!(self.state, ReenrollmentState::Pending | ReenrollmentState::Approved) && now < self.expires_at
    }

    /// May the requesting user's enrollment of this device go ahead now?
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.state == ReenrollmentState::Approved && now < self.expires_at
    }

    /// An admin's decision; only a pending, unexpired request can be decided.
    pub fn decide(&mut self, approve: bool, by: &str, now: DateTime<Utc>) -> Result<(), Detail> {
        if self.state != ReenrollmentState::Pending {
            return Err(Detail::plain(DetailCode::ReenrollmentDecided));
        }
        if now >= self.expires_at {
            return Err(Detail::plain(DetailCode::ReenrollmentLapsed));
        }
        self.state = if approve { ReenrollmentState::Approved } else { ReenrollmentState::Rejected };
        self.decided_by = Some(by.to_owned());
        self.decided_at = Some(now);
        if approve {
            self.expires_at = now + Duration::hours(APPROVAL_LIFETIME_HOURS);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(now: DateTime<Utc>) -> Reenrollment {
        Reenrollment::new(TenantId::new(), DeviceId::new(), IdentityKind::WindowsDeviceId, "DEV-1", UserId::new(), "bob", now)
    }

    #[test]
    fn an_approval_is_usable_for_a_day_and_a_decision_is_final() {
        let now = Utc::now();
        let mut r = request(now);
        assert!(r.is_open(now) && !r.is_usable(now), "pending is not usable");
        r.decide(true, "user:admin", now).unwrap();
        assert!(r.is_usable(now + Duration::hours(23)));
        assert!(!r.is_usable(now + Duration::hours(25)), "an approval lapses");
        assert!(r.decide(false, "user:admin", now).is_err(), "decided once");
    }

    #[test]
    fn an_old_request_cannot_be_approved() {
        let now = Utc::now();
        let mut r = request(now);
        assert!(r.decide(true, "user:admin", now + Duration::days(REQUEST_LIFETIME_DAYS)).is_err());
        assert_eq!(r.state, ReenrollmentState::Pending);
        let mut r = request(now);
        r.decide(false, "user:admin", now).unwrap();
        assert!(!r.is_usable(now) && !r.is_open(now), "a rejection is final");
    }
}
