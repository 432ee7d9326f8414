//! Creating groups and changing their members (`GET /groups`, the list, is in `profiles`).
//! Thin: every rule is in `app::groups`.

use super::devices::parse_id;
use super::extract::json_body as json;
use super::extract::ApiPath;
use crate::app::groups::{self, GroupView, NewGroup};
use crate::app::view::{ManageUsers, ReadUsers};
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

#[utoipa::path(post, path = "/api/v1/groups", tag = "groups", request_body = NewGroup,
    responses((status = 201, body = GroupView), (status = 400, body = Problem, description = "Bad name, or a member that is not a user (device) of this tenant"),
        (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    body: Bytes,
) -> Result<(StatusCode, Json<GroupView>), AppError> {
    let input: NewGroup = json(&body, "{\"kind\": \"user\"|\"device\", \"name\", \"members\": [ids]}")?;
    Ok((StatusCode::CREATED, Json(groups::create(&state.view(actor).grant::<ManageUsers>()?, input, rid).await?)))
}

#[utoipa::path(get, path = "/api/v1/groups/{id}", tag = "groups", params(("id" = String, Path)),
    responses((status = 200, body = GroupView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<GroupView>, AppError> {
    Ok(Json(groups::get(&state.view(actor).grant::<ReadUsers>()?, parse_id("group", &id)?).await?))
}

#[utoipa::path(put, path = "/api/v1/groups/{id}/members/{member_id}", tag = "groups", params(("id" = String, Path), ("member_id" = String, Path, description = "A user id (user group) or device id (device group)")),
    responses((status = 200, body = GroupView, description = "The group with the member (adding one twice changes nothing)"), (status = 403, body = Problem),
        (status = 404, body = Problem, description = "No such group, or the member is not a user (device) of this tenant")),
    security(("bearer" = [])))]
pub async fn add_member(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    ApiPath((id, member)): ApiPath<(String, String)>,
) -> Result<Json<GroupView>, AppError> {
    let (id, member) = (parse_id("group", &id)?, parse_id("member", &member)?);
    Ok(Json(groups::set_member(&state.view(actor).grant::<ManageUsers>()?, id, member, true, rid).await?))
}

#[utoipa::path(delete, path = "/api/v1/groups/{id}/members/{member_id}", tag = "groups", params(("id" = String, Path), ("member_id" = String, Path)),
    responses((status = 200, body = GroupView, description = "The group without the member"), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn remove_member(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    ApiPath((id, member)): ApiPath<(String, String)>,
) -> Result<Json<GroupView>, AppError> {
    let (id, member) = (parse_id("group", &id)?, parse_id("member", &member)?);
    Ok(Json(groups::set_member(&state.view(actor).grant::<ManageUsers>()?, id, member, false, rid).await?))
}
