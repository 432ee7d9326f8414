//! Sign-in lockouts for admins: which accounts of the tenant the throttle has locked (in this
//! instance's memory), and an early unlock, audited before it happens.

use super::audit;
use super::view::{Granted, ReadSignInLockouts, UnlockAccounts};
use crate::error::AppError;
use crate::sign_in::throttle::{AccountKey, Lockout};
use pinreset_core::{AuditKind, ErrorCode};

impl Granted<'_, ReadSignInLockouts> {
    pub fn lockouts(&self) -> Vec<Lockout> {
        self.state.sign_in.throttle().lockouts(self.actor.tenant_id, self.state.clock.now())
    }
}

impl Granted<'_, UnlockAccounts> {
    pub async fn unlock(&self, login: String, request_id: Option<String>) -> Result<(), AppError> {
        let (state, actor) = (self.state, self.actor);
        let now = state.clock.now();
        let key = AccountKey { tenant_id: actor.tenant_id, login };
        let throttle = state.sign_in.throttle();
        if !throttle.lockouts(actor.tenant_id, now).iter().any(|l| l.login == key.login) {
            return Err(AppError::with_detail(
                ErrorCode::NotFound,
                pinreset_core::Detail::plain(pinreset_core::DetailCode::AccountNotLocked),
            ));
        }
        // Audited first: an unlock that cannot be recorded does not happen.
        let outcome = format!("unlocked:{}", key.login);
        let event = audit::for_tenant(now, actor.tenant_id, audit::by(actor), AuditKind::AccountUnlocked, outcome, request_id);
        state.store.append_audit(&[event]).await?;
        throttle.unlock(&key, now);
        Ok(())
    }
}
