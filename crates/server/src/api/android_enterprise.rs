//! The tenant's Android Enterprise binding: `/api/v1/tenant/android-enterprise`.

use crate::app::android_enterprise::{self as ae, AndroidEnterpriseInput, AndroidEnterpriseView};
use crate::app::view::ManageTenant;
use crate::auth::{Authenticated, RequestId};
use crate::channels::android::amapi::sync::SyncReport;
use crate::error::AppError;
use crate::error::Problem;
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pinreset_core::Detail;

#[utoipa::path(get, path = "/api/v1/tenant/android-enterprise", tag = "tenant",
    responses((status = 200, body = AndroidEnterpriseView), (status = 403, body = Problem), (status = 404, body = Problem, description = "No Android Enterprise is bound")),
    security(("bearer" = [])))]
pub async fn show(State(state): State<AppState>, Authenticated(actor): Authenticated) -> Result<Json<AndroidEnterpriseView>, AppError> {
    Ok(Json(ae::show(&state.view(actor).grant::<ManageTenant>()?).await?))
}

/// Bind the organisation's Android Enterprise (Android Management API); nothing is sent to
/// Google until a sync or a device action.
#[utoipa::path(put, path = "/api/v1/tenant/android-enterprise", tag = "tenant", request_body = AndroidEnterpriseInput,
    responses((status = 200, body = AndroidEnterpriseView), (status = 400, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn set(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    body: Result<Json<AndroidEnterpriseInput>, JsonRejection>,
) -> Result<Json<AndroidEnterpriseView>, AppError> {
    let shape = "{\"project_id\", \"enterprise_name\", \"service_account_key\", \"amapi_url\", \"pubsub_url\", \"pubsub_subscription\", \
                 \"operations_per_minute\", \"operation_check_seconds\", \"command_duration_seconds\"}";
    let Json(input) = body.map_err(|e| AppError::invalid(Detail::body_shape(shape, e.body_text())))?;
    Ok(Json(ae::bind(&state.view(actor).grant::<ManageTenant>()?, input, request_id).await?))
}

#[utoipa::path(delete, path = "/api/v1/tenant/android-enterprise", tag = "tenant",
    responses((status = 204, description = "Unbound; the service-account key is destroyed"), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn remove(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
) -> Result<StatusCode, AppError> {
    ae::unbind(&state.view(actor).grant::<ManageTenant>()?, request_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// List the enterprise's devices at Google now and create or update them here.
#[utoipa::path(post, path = "/api/v1/tenant/android-enterprise/sync", tag = "tenant",
    responses((status = 200, body = SyncReport), (status = 403, body = Problem),
        (status = 404, body = Problem, description = "No Android Enterprise is bound"),
        (status = 502, body = Problem, description = "Google could not be reached or refused; its answer is in the detail")),
    security(("bearer" = [])))]
pub async fn sync(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
) -> Result<Json<SyncReport>, AppError> {
    Ok(Json(ae::sync_devices(&state.view(actor).grant::<ManageTenant>()?, request_id).await?))
}
