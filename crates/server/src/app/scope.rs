//! What an actor may see. End users see only devices whose primary user they are; everyone
//! else sees their whole tenant. Anything out of scope is "not found", so ids cannot be probed.

use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{ActionId, Actor, Device, DeviceId, ErrorCode, RemoteAction, Tenant};
use pinreset_store::{DeviceFilter, Page, PageOf};

pub async fn visible_device(state: &AppState, actor: &Actor, id: DeviceId) -> Result<Device, AppError> {
    in_scope(actor, state.store.device(actor.tenant_id, id).await?)
}

fn in_scope(actor: &Actor, device: Option<Device>) -> Result<Device, AppError> {
    match device {
        Some(d) if actor.role.sees_whole_tenant() || d.primary_user_id == Some(actor.user_id) => Ok(d),
        _ => Err(AppError::code(ErrorCode::NotFound)),
    }
}

/// `visible_device` and `tenant_of` in one read.
pub async fn visible_device_and_tenant(state: &AppState, actor: &Actor, id: DeviceId) -> Result<(Device, Tenant), AppError> {
    let (device, tenant) = state.store.device_with_tenant(actor.tenant_id, id).await?.unzip();
    Ok((in_scope(actor, device)?, tenant.ok_or_else(|| AppError::code(ErrorCode::NotFound))?))
}

/// A page of the devices the actor may see: an end user's filter is narrowed to their own
/// devices here, whatever the caller asked for.
pub async fn visible_devices(state: &AppState, actor: &Actor, mut filter: DeviceFilter, page: Page) -> Result<PageOf<Device>, AppError> {
    if !actor.role.sees_whole_tenant() {
        filter.owner = Some(actor.user_id);
    }
    Ok(state.store.list_devices(actor.tenant_id, &filter, page).await?)
}

pub async fn visible_action(state: &AppState, actor: &Actor, id: ActionId) -> Result<(RemoteAction, Device), AppError> {
    let action = state.store.action(actor.tenant_id, id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))?;
    let device = visible_device(state, actor, action.device_id).await?;
    Ok((action, device))
}

pub async fn tenant_of(state: &AppState, actor: &Actor) -> Result<Tenant, AppError> {
    state.store.tenant(actor.tenant_id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))
}
