//! The reconciler: `operations.get` for operations whose outcome has not arrived by Pub/Sub,
//! paced (`pacing.rs`) and claimed through the store, so several instances never poll one
//! operation twice at once. An operation still not done past its command's `duration` is given
//! up: Google expires such a command unexecuted, so the action fails saying so.

use super::binding::Bound;
use super::google::google;
use super::pacing::Pacer;
use super::settle;
use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::{ErrorCode, TenantId};
use pinreset_store::AmapiOperation;
use std::sync::OnceLock;

fn pacer() -> &'static Pacer {
    static PACER: OnceLock<Pacer> = OnceLock::new();
    PACER.get_or_init(Pacer::default)
}

/// Look at the tenant's due operations, as many as its pace allows now.
pub async fn run(state: &AppState, tenant: TenantId, bound: &Bound) -> Result<u32, AppError> {
    let allowed = pacer().take(tenant, bound.settings.operations_per_minute, std::time::Instant::now());
    if allowed == 0 {
        return Ok(0);
    }
    let now = state.clock.now();
    let lease = now + chrono::Duration::seconds(bound.settings.operation_check_seconds.into());
    let claimed = state.store.claim_amapi_operations(tenant, now, lease, allowed).await?;
    let mut settled = 0;
    for op in claimed {
        if check(state, bound, &op).await? {
            settled += 1;
        }
    }
    Ok(settled)
}

async fn check(state: &AppState, bound: &Bound, op: &AmapiOperation) -> Result<bool, AppError> {
    match google().call(&bound.key, reqwest::Method::GET, &bound.amapi(&op.name), &[], None).await {
        Ok(operation) => {
            if settle::from_operation(state, op, &operation).await? {
                return Ok(true);
            }
        }
        // Google forgot the operation or is failing: the give-up below still applies.
        Err(e) => tracing::warn!(action_id = %op.action_id, status = e.status, "operations.get failed"),
    }
    if state.clock.now() >= op.give_up_at {
        return give_up(state, op).await;
    }
    Ok(false)
}

async fn give_up(state: &AppState, op: &AmapiOperation) -> Result<bool, AppError> {
    let Some(action) = state.store.action(op.tenant_id, op.action_id).await? else { return Ok(false) };
    if action.state.is_pending() {
        let waited = (op.give_up_at - op.issued_at).num_seconds();
        let said = format!("gave up after {waited} s: the device did not carry out the command within its duration ({})", op.name);
        match settle::fail(state, &action, ErrorCode::AmapiCommandGaveUp, said).await {
            Ok(())
            | Err(AppError::Catalogued { code: ErrorCode::ActionNotPending, .. })
            | Err(AppError::Store(pinreset_store::StoreError::Conflict(_))) => {}
            Err(e) => return Err(e),
        }
    }
    state.store.forget_amapi_operation(op.action_id).await?;
    Ok(true)
}
