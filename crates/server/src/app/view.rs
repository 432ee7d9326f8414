//! The engine's entry point for every door (REST API, CLI, admin center, portal): a `View` of
//! the application for one authenticated principal. Authorization lives in types here, not in
//! `if`s spread over handlers (the idea of lldap's access-control handlers):
//!
//! - `view.grant::<ManageProfiles>()` checks `Role::allows` (core's one definition) once and
//!   returns a `Granted<ManageProfiles>`; the application functions that change profiles take
//!   that value, so they cannot be called by a door that skipped the check.
//! - What every principal may do, scoped to what it may see (end users: their own devices),
//!   is on the view itself: devices, actions, passcodes (with the step-up rule inside).
//!
//! The view knows nothing of HTTP; doors turn its errors into their own answers.

use super::authz;
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{Actor, Permission};
use std::marker::PhantomData;

/// A permission as a type, so that holding a `Granted<C>` proves the check was made.
pub trait Capability {
    const NEEDS: Permission;
}

macro_rules! capabilities {
    ($($name:ident),* $(,)?) => {$(
        #[doc = concat!("Holding `Granted<", stringify!($name), ">` proves `Permission::", stringify!($name), "`.")]
        pub struct $name;
        impl Capability for $name {
            const NEEDS: Permission = Permission::$name;
        }
    )*};
}

capabilities!(
    ReadTenant,
    ReadAllDevices,
    ManageTenant,
    ReadAudit,
    ReadProfiles,
    ManageProfiles,
    IssueEnrollmentProfiles,
    ReadReenrollments,
    DecideReenrollments,
    ReadUsers,
    ManageUsers,
    ReadSignInLockouts,
    UnlockAccounts,
);

/// The application as one principal sees it.
pub struct View<'a> {
    state: &'a AppState,
    actor: Actor,
}

/// Proof that the view's principal holds `C`, and the handle the gated functions take.
pub struct Granted<'a, C: Capability> {
    pub state: &'a AppState,
    pub actor: &'a Actor,
    _capability: PhantomData<C>,
}

impl<'a> View<'a> {
    pub fn for_actor(state: &'a AppState, actor: Actor) -> Self {
        View { state, actor }
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The capability, or `role_forbidden` (audited by nobody: nothing happened).
    pub fn grant<C: Capability>(&self) -> Result<Granted<'_, C>, AppError> {
        authz::require(&self.actor, C::NEEDS)?;
        Ok(Granted { state: self.state, actor: &self.actor, _capability: PhantomData })
    }
}

impl AppState {
    /// The view of the application for this principal: the only way doors reach it.
    pub fn view(&self, actor: Actor) -> View<'_> {
        View::for_actor(self, actor)
    }
}

/// What every principal may do, within what it may see: `app::scope` applies the tenant and,
/// for end users, device ownership; `actions::request` and `passcodes::read` apply the role's
/// action rules and the step-up rule.
impl View<'_> {
    pub async fn tenant(&self) -> Result<pinreset_core::Tenant, AppError> {
        super::scope::tenant_of(self.state, &self.actor).await
    }

    pub async fn devices(
        &self,
        filter: pinreset_store::DeviceFilter,
        page: pinreset_store::Page,
    ) -> Result<pinreset_store::PageOf<pinreset_core::Device>, AppError> {
        super::scope::visible_devices(self.state, &self.actor, filter, page).await
    }

    pub async fn device(&self, id: pinreset_core::DeviceId) -> Result<pinreset_core::Device, AppError> {
        super::scope::visible_device(self.state, &self.actor, id).await
    }

    /// A visible device's actions, newest first.
    pub async fn device_actions(&self, id: pinreset_core::DeviceId) -> Result<Vec<pinreset_core::RemoteAction>, AppError> {
        let device = self.device(id).await?;
        Ok(self.state.store.actions_for_device(self.actor.tenant_id, device.id).await?)
    }

    /// A user of the principal's tenant, for showing a device's owner next to the device.
    pub async fn user(&self, id: pinreset_core::UserId) -> Result<Option<pinreset_core::User>, AppError> {
        Ok(self.state.store.user(self.actor.tenant_id, id).await?)
    }

    pub async fn action(&self, id: pinreset_core::ActionId) -> Result<(pinreset_core::RemoteAction, pinreset_core::Device), AppError> {
        super::scope::visible_action(self.state, &self.actor, id).await
    }

    pub async fn request_action(
        &self,
        device: pinreset_core::DeviceId,
        kind: pinreset_core::ActionKind,
        params: pinreset_core::ActionParams,
        request_id: Option<String>,
    ) -> Result<super::actions::Requested, AppError> {
        super::actions::request(self.state, &self.actor, device, kind, params, request_id).await
    }

    pub async fn read_passcode(
        &self,
        action: pinreset_core::ActionId,
        request_id: Option<String>,
    ) -> Result<super::passcodes::RevealedPasscode, AppError> {
        super::passcodes::read(self.state, &self.actor, action, request_id).await
    }

    /// What each action would do on this device for this principal, or why not (the matrix).
    pub async fn capabilities(
        &self,
        device: &pinreset_core::Device,
    ) -> Result<std::collections::BTreeMap<String, pinreset_core::Capability>, AppError> {
        use pinreset_core::{capability, ActionKind, CapabilityContext};
        let tenant = self.tenant().await?;
        let ctx = CapabilityContext { actor: &self.actor, tenant: &tenant.settings, channels: self.state.channels.contracts() };
        Ok(ActionKind::ALL.into_iter().map(|k| (k.as_str().to_string(), capability(device, k, &ctx))).collect())
    }

    /// Ask a visible device to check in now: pushed when it can be, else how it is reached and
    /// why. Roles that may request no action may not wake devices either.
    pub async fn sync(&self, id: pinreset_core::DeviceId) -> Result<(super::push::Reach, bool), AppError> {
        use super::push::{PushOutcome, Reach};
        let device = self.device(id).await?;
        if !pinreset_core::ActionKind::ALL.into_iter().any(|k| self.actor.role.may_request(k)) {
            return Err(AppError::code(pinreset_core::ErrorCode::RoleForbidden));
        }
        let reached_by = self.reach(&device).await?;
        if reached_by != Reach::Push {
            return Ok((reached_by, false));
        }
        let pushed = match super::push::wake(self.state, &device).await? {
            PushOutcome::Sent => true,
            PushOutcome::Retry(why) => {
                tracing::warn!(device_id = %device.id, error = %why, "sync: the push failed");
                false
            }
            _ => false,
        };
        tracing::info!(device_id = %device.id, pushed, "device asked to check in");
        Ok((reached_by, pushed))
    }

    /// Whether a visible device has actions waiting for it (from the in-memory pending index:
    /// no database read, so a list page can ask for every row).
    pub fn has_pending(&self, device: &pinreset_core::Device) -> bool {
        device.tenant_id == self.actor.tenant_id && self.state.pending.has_pending(device.id)
    }

    /// How actions reach a visible device (push, or its next check-in, and why).
    pub async fn reach(&self, device: &pinreset_core::Device) -> Result<super::push::Reach, AppError> {
        super::push::reach(self.state, device).await
    }
}

/// The audit trail (and a device's command history, which is part of it).
impl Granted<'_, ReadAudit> {
    pub async fn events(&self, filter: &pinreset_store::AuditFilter) -> Result<Vec<pinreset_core::AuditEvent>, AppError> {
        Ok(self.state.store.list_audit(self.actor.tenant_id, filter).await?)
    }
}
