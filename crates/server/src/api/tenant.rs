//! The caller's tenant and its PIN reset service consent.

use super::views::ConsentBody;
use crate::app::tenant;
use crate::app::view::ManageTenant;
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use pinreset_core::{Detail, Tenant};

#[utoipa::path(get, path = "/api/v1/tenant", tag = "tenant",
    responses((status = 200, body = Tenant)), security(("bearer" = [])))]
pub async fn show(State(state): State<AppState>, Authenticated(actor): Authenticated) -> Result<Json<Tenant>, AppError> {
    Ok(Json(state.view(actor).tenant().await?))
}

#[utoipa::path(post, path = "/api/v1/tenant/pin-reset-consent", tag = "tenant", request_body = ConsentBody,
    responses((status = 200, body = Tenant), (status = 400, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_consent(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    body: Result<Json<ConsentBody>, JsonRejection>,
) -> Result<Json<Tenant>, AppError> {
    let Json(body) = body.map_err(|e| AppError::invalid(Detail::body_shape("{\"granted\": true|false}", e.body_text())))?;
    Ok(Json(tenant::set_pin_reset_consent(&state.view(actor).grant::<ManageTenant>()?, body.granted, request_id).await?))
}

#[utoipa::path(put, path = "/api/v1/tenant/settings", tag = "tenant", request_body = pinreset_core::TenantSettings,
    responses((status = 200, body = Tenant), (status = 400, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_settings(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    body: Result<Json<pinreset_core::TenantSettings>, JsonRejection>,
) -> Result<Json<Tenant>, AppError> {
    let Json(settings) = body.map_err(|e| AppError::invalid(Detail::body_shape("the tenant settings object", e.body_text())))?;
    Ok(Json(tenant::update_settings(&state.view(actor).grant::<ManageTenant>()?, settings, request_id).await?))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApnsCertificate {
    /// The MDM push certificate (PEM) from Apple's push certificates portal.
    cert_pem: String,
    /// Its private key (PEM); stored sealed.
    key_pem: String,
}

#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ApnsTopic {
    /// The APNs topic devices are enrolled with.
    pub topic: String,
}

#[utoipa::path(put, path = "/api/v1/tenant/apns", tag = "tenant", request_body = ApnsCertificate,
    responses((status = 200, body = ApnsTopic), (status = 400, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_apns(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    body: Result<Json<ApnsCertificate>, JsonRejection>,
) -> Result<Json<ApnsTopic>, AppError> {
    let Json(b) = body.map_err(|e| AppError::invalid(Detail::body_shape("{\"cert_pem\", \"key_pem\"}", e.body_text())))?;
    let topic = crate::app::push::set_certificate(&state.view(actor).grant::<ManageTenant>()?, &b.cert_pem, &b.key_pem, request_id).await?;
    Ok(Json(ApnsTopic { topic }))
}

#[utoipa::path(get, path = "/api/v1/tenant/sso", tag = "tenant",
    responses((status = 200, body = crate::app::sso::SsoView), (status = 403, body = Problem), (status = 404, body = Problem, description = "Single sign-on is not set up")),
    security(("bearer" = [])))]
pub async fn show_sso(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<crate::app::sso::SsoView>, AppError> {
    crate::app::sso::show(&state.view(actor).grant::<ManageTenant>()?)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::code(pinreset_core::ErrorCode::SsoNotConfigured))
}

/// Set up single sign-on: the provider is discovered before anything is saved.
#[utoipa::path(put, path = "/api/v1/tenant/sso", tag = "tenant", request_body = crate::app::sso::SsoInput,
    responses((status = 200, body = crate::app::sso::SsoView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 502, body = Problem, description = "The provider could not be discovered")),
    security(("bearer" = [])))]
pub async fn set_sso(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    body: Result<Json<crate::app::sso::SsoInput>, JsonRejection>,
) -> Result<Json<crate::app::sso::SsoView>, AppError> {
    let shape = "{\"issuer\", \"client_id\", \"client_secret\", \"login_claim\"}";
    let Json(input) = body.map_err(|e| AppError::invalid(Detail::body_shape(shape, e.body_text())))?;
    Ok(Json(crate::app::sso::configure(&state.view(actor).grant::<ManageTenant>()?, input, request_id).await?))
}

#[utoipa::path(delete, path = "/api/v1/tenant/sso", tag = "tenant",
    responses((status = 204, description = "Single sign-on is off; the client secret is destroyed"), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn remove_sso(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
) -> Result<axum::http::StatusCode, AppError> {
    crate::app::sso::remove(&state.view(actor).grant::<ManageTenant>()?, request_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
