//! Android agent enrollment tokens: one-time, time-limited, for one user; an admin shows the
//! QR code whose payload carries it (and the server's address) to the device. Only the token's
//! SHA-256 is stored; the value is in this one answer and nowhere else (never a URL, a log or
//! the audit). Issuing one is audited like an enrollment profile: it enrolls a device for that user.

use super::enrollment_profile::UserRef;
use super::view::{Granted, IssueEnrollmentProfiles};
use super::{audit, device_ca, scope};
use crate::auth::token_hash;
use crate::channels::android::ENROLL_PATH;
use crate::error::AppError;
use base64::Engine;
use chrono::{DateTime, Utc};
use pinreset_core::{AuditKind, Detail, ErrorCode, Ownership, Secret, User};
use pinreset_store::AndroidEnrollmentToken;
use rand::RngCore;

/// How long a token is good for, unless asked otherwise, and the most that may be asked.
pub const DEFAULT_VALID_HOURS: u32 = 24;
pub const MAX_VALID_HOURS: u32 = 7 * 24;
/// The agent's component, as Android's QR provisioning names the admin receiver.
pub const AGENT_COMPONENT: &str = "com.pinreset.agent/.AdminReceiver";

pub struct IssuedToken {
    pub token: Secret,
    pub expires_at: DateTime<Utc>,
    pub user: User,
    pub ownership: Ownership,
    /// What the QR code encodes: Android's provisioning keys, with ours in the admin extras.
    pub qr_payload: serde_json::Value,
}

pub async fn issue(
    g: &Granted<'_, IssueEnrollmentProfiles>,
    who: UserRef,
    ownership: Ownership,
    valid_hours: u32,
    request_id: Option<String>,
) -> Result<IssuedToken, AppError> {
    let (state, actor) = (g.state, g.actor);
    if !(1..=MAX_VALID_HOURS).contains(&valid_hours) {
        return Err(AppError::invalid(Detail::out_of_range("valid_hours", 1, MAX_VALID_HOURS)));
    }
    let user = match who {
        UserRef::Id(id) => state.store.user(actor.tenant_id, id).await?,
        UserRef::Login(login) => {
            pinreset_core::text::check_input("login", &login).map_err(AppError::invalid)?;
            state.store.user_by_login(actor.tenant_id, &login).await?.map(|(u, _)| u)
        }
    };
    let user = user.ok_or_else(|| AppError::code(ErrorCode::NotFound))?;
    let tenant = scope::tenant_of(state, actor).await?;
    // The CA exists (and TLS trusts it) before the agent comes back with its certificate.
    device_ca::load_or_create(state, &tenant).await?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = Secret::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let now = state.clock.now();
    let expires_at = now + chrono::Duration::hours(valid_hours.into());
    let record = AndroidEnrollmentToken { tenant_id: tenant.id, user_id: user.id, ownership, created_at: now, expires_at };
    let event = audit::for_tenant(
        now,
        tenant.id,
        audit::by(actor),
        AuditKind::EnrollmentProfileIssued,
        format!("android_enrollment_token:user:{}", user.login),
        request_id,
    );
    state.store.create_android_enrollment_token(&token_hash(token.expose()), &record, &[event]).await?;
    let qr_payload = serde_json::json!({
        "android.app.extra.PROVISIONING_DEVICE_ADMIN_COMPONENT_NAME": AGENT_COMPONENT,
        "android.app.extra.PROVISIONING_ADMIN_EXTRAS_BUNDLE": {
            "com.pinreset.agent.ENROLL_URL": format!("{}{ENROLL_PATH}", state.public_url),
            "com.pinreset.agent.ENROLLMENT_TOKEN": token.expose(),
            "com.pinreset.agent.ORGANIZATION": tenant.display_name,
        }
    });
    Ok(IssuedToken { token, expires_at, user, ownership, qr_payload })
}
