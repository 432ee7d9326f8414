//! Web sessions and the step-up rule. A session remembers when its user last proved who they
//! are (`authenticated_at`: a password check, or an OpenID provider's `auth_time`), not merely
//! when it was used: refreshing or using a session never makes it fresh. Operations that hand
//! over a device — an end user's passcode reset, reading a passcode in the portal — need that
//! proof to be recent (the tenant's window, 5 minutes by default), in the spirit of Kanidm's
//! time-boxed re-authentication.

use crate::error::ErrorCode;
use crate::ids::{TenantId, UserId};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long a session lives after sign-in, used or not.
pub const SESSION_LIFETIME_HOURS: i64 = 12;
/// Default step-up window (tenant setting `reauth_window_minutes`).
pub const DEFAULT_REAUTH_WINDOW_MINUTES: u16 = 5;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebSession {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The last time the user proved who they are in this session.
    pub authenticated_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// SHA-256 (hex) of the session's CSRF token: state-changing requests made with the session
    /// cookie must present the token itself.
    #[serde(default)]
    pub csrf_sha256: String,
}

impl WebSession {
    pub fn new(tenant_id: TenantId, user_id: UserId, csrf_sha256: String, now: DateTime<Utc>) -> Self {
        WebSession {
            id: uuid::Uuid::new_v4(),
            tenant_id,
            user_id,
            created_at: now,
            expires_at: now + Duration::hours(SESSION_LIFETIME_HOURS),
            authenticated_at: now,
            revoked_at: None,
            csrf_sha256,
        }
    }

    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// The step-up rule: allowed only when the user proved who they are within `window_minutes`
/// before `now` (and not in the future, which a skewed clock or a forged time would claim).
pub fn require_fresh_authentication(
    authenticated_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    window_minutes: u16,
) -> Result<(), ErrorCode> {
    match authenticated_at {
        Some(at) if at <= now && now - at <= Duration::minutes(window_minutes.into()) => Ok(()),
        _ => Err(ErrorCode::ReauthRequired),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_means_within_the_window_and_not_in_the_future() {
        let now = Utc::now();
        assert!(require_fresh_authentication(Some(now - Duration::minutes(4)), now, 5).is_ok());
        assert!(require_fresh_authentication(Some(now - Duration::minutes(5)), now, 5).is_ok());
        assert_eq!(require_fresh_authentication(Some(now - Duration::minutes(6)), now, 5), Err(ErrorCode::ReauthRequired));
        assert_eq!(require_fresh_authentication(Some(now + Duration::minutes(1)), now, 5), Err(ErrorCode::ReauthRequired));
        assert_eq!(require_fresh_authentication(None, now, 5), Err(ErrorCode::ReauthRequired), "a token holder never proved it");
    }

    #[test]
    fn sessions_end_at_expiry_or_revocation() {
        let now = Utc::now();
        let mut s = WebSession::new(TenantId::new(), UserId::new(), String::new(), now);
        assert!(s.is_live(now + Duration::hours(SESSION_LIFETIME_HOURS - 1)));
        assert!(!s.is_live(now + Duration::hours(SESSION_LIFETIME_HOURS)));
        s.revoked_at = Some(now);
        assert!(!s.is_live(now));
    }
}
