//! What an actor may see. End users see only devices whose primary user they are; everyone
//! else sees their whole tenant. Anything out of scope is "not found", so ids cannot be probed.

use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{ActionId, Actor, Device, DeviceId, ErrorCode, RemoteAction, Tenant};
use pinreset_store::{DeviceFilter, Page, PageOf};

pub async fn visible_device(state: &AppState, actor: &Actor, id: DeviceId) -> Result<Device, AppError> {
    let device = state.store.device(actor.tenant_id, id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))?;
    if !actor.role.sees_whole_tenant() && device.primary_user_id != Some(actor.user_id) {
        return Err(AppError::code(ErrorCode::NotFound));
    }
    Ok(device)
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
