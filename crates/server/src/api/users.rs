//! Users of the tenant and their API tokens. Thin: every rule is in `app::users`.

use super::devices::parse_id;
use super::extract::{ApiPath, ApiQuery};
use crate::app::users::{self, DeletedUser, NewToken, NewUser, UserChanges, UserFilter};
use crate::app::view::{ManageUsers, ReadUsers};
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use pinreset_core::{ApiTokenInfo, UserAccount, UserId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::extract::json_body as json;

const USER_SHAPE: &str =
    "{\"login\", \"display_name\", \"email\", \"role\": \"tenant_admin\"|\"help_desk\"|\"read_only\"|\"end_user\", \"password\"?}";
const CHANGES_SHAPE: &str = "{\"login\"?, \"display_name\"?, \"email\"?, \"role\"?, \"disabled\"?, \"password\"?}";

fn user_id(s: &str) -> Result<UserId, AppError> {
    parse_id("user", s)
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserFilter),
    responses((status = 200, body = Vec<UserAccount>), (status = 400, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(filter): ApiQuery<UserFilter>,
) -> Result<Json<Vec<UserAccount>>, AppError> {
    Ok(Json(users::list(&state.view(actor).grant::<ReadUsers>()?, &filter).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = UserAccount), (status = 400, body = Problem, description = "A field is missing or not valid (the detail names it), or the password is shorter than 12 characters"),
        (status = 403, body = Problem), (status = 409, body = Problem, description = "login_taken")),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    body: Bytes,
) -> Result<(StatusCode, Json<UserAccount>), AppError> {
    let input: NewUser = json(&body, USER_SHAPE)?;
    Ok((StatusCode::CREATED, Json(users::create(&state.view(actor).grant::<ManageUsers>()?, input, rid).await?)))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = UserAccount), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<UserAccount>, AppError> {
    Ok(Json(users::get(&state.view(actor).grant::<ReadUsers>()?, user_id(&id)?).await?))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)), request_body = UserChanges,
    responses((status = 200, body = UserAccount), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "login_taken, or last_tenant_admin when demoting or disabling the last enabled tenant admin")),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    ApiPath(id): ApiPath<String>,
    body: Bytes,
) -> Result<Json<UserAccount>, AppError> {
    let id = user_id(&id)?;
    let changes: UserChanges = json(&body, CHANGES_SHAPE)?;
    Ok(Json(users::update(&state.view(actor).grant::<ManageUsers>()?, id, changes, rid).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Move the user's devices to this user (of the same tenant) instead of refusing.
    pub reassign_to: Option<String>,
}

#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path), DeleteQuery),
    responses((status = 200, body = DeletedUser), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "user_owns_devices (the detail says how many), or last_tenant_admin")),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<Json<DeletedUser>, AppError> {
    let id = user_id(&id)?;
    let to = q.reassign_to.as_deref().map(|s| parse_id::<UserId>("reassign_to", s)).transpose()?;
    Ok(Json(users::delete(&state.view(actor).grant::<ManageUsers>()?, id, to, rid).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for, e.g. "backup script".
    pub label: String,
}

#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", tag = "users", params(("id" = String, Path)), request_body = TokenRequest,
    responses((status = 201, body = NewToken, description = "The token's value, shown this once (Cache-Control: no-store)"),
        (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_token(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    ApiPath(id): ApiPath<String>,
    body: Bytes,
) -> Result<impl IntoResponse, AppError> {
    let id = user_id(&id)?;
    let req: TokenRequest = json(&body, "{\"label\"}")?;
    let token = users::create_token(&state.view(actor).grant::<ManageUsers>()?, id, &req.label, rid).await?;
    Ok((StatusCode::CREATED, [(header::CACHE_CONTROL, "no-store")], Json(token)))
}

#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = Vec<ApiTokenInfo>, description = "Never a token's value"), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<ApiTokenInfo>>, AppError> {
    Ok(Json(users::list_tokens(&state.view(actor).grant::<ReadUsers>()?, user_id(&id)?).await?))
}

#[utoipa::path(delete, path = "/api/v1/users/{id}/tokens/{token_id}", tag = "users", params(("id" = String, Path), ("token_id" = String, Path)),
    responses((status = 204, description = "Revoked: the token no longer authenticates"), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    ApiPath((id, token)): ApiPath<(String, String)>,
) -> Result<StatusCode, AppError> {
    let id = user_id(&id)?;
    let token = parse_id::<uuid::Uuid>("token", &token)?;
    users::revoke_token(&state.view(actor).grant::<ManageUsers>()?, id, token, rid).await?;
    Ok(StatusCode::NO_CONTENT)
}
