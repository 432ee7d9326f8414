//! Configuration profiles and groups.

use super::devices::parse_id;
use super::extract::ApiPath;
use crate::app::profiles::{self, ProfileInput, ProfileStatus};
use crate::app::view::{ManageProfiles, ReadProfiles, ReadUsers};
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pinreset_core::profile::{Assignments, Profile, ProfileId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::json_body as json;

const PROFILE_SHAPE: &str = "{\"name\", \"description\", \"settings\": [{\"oma_uri\", \"data_type\", \"value\"}]}";

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ProfileView {
    #[serde(flatten)]
    pub profile: Profile,
    pub assignments: Assignments,
}

pub use crate::app::groups::Groups;

#[utoipa::path(get, path = "/api/v1/groups", tag = "profiles", responses((status = 200, body = Groups)), security(("bearer" = [])))]
pub async fn groups(State(state): State<AppState>, Authenticated(actor): Authenticated) -> Result<Json<Groups>, AppError> {
    Ok(Json(crate::app::groups::list(&state.view(actor).grant::<ReadUsers>()?).await?))
}

#[utoipa::path(get, path = "/api/v1/profiles", tag = "profiles", responses((status = 200, body = Vec<Profile>)), security(("bearer" = [])))]
pub async fn list(State(state): State<AppState>, Authenticated(actor): Authenticated) -> Result<Json<Vec<Profile>>, AppError> {
    Ok(Json(profiles::list(&state.view(actor).grant::<ReadProfiles>()?).await?))
}

#[utoipa::path(post, path = "/api/v1/profiles", tag = "profiles", request_body = ProfileInput,
    responses((status = 201, body = Profile), (status = 400, body = Problem, description = "Malformed OMA-URI or a value of the wrong type; the detail names the setting"), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    body: Bytes,
) -> Result<(StatusCode, Json<Profile>), AppError> {
    let input: ProfileInput = json(&body, PROFILE_SHAPE)?;
    Ok((StatusCode::CREATED, Json(profiles::save(&state.view(actor).grant::<ManageProfiles>()?, None, input, rid).await?)))
}

#[utoipa::path(get, path = "/api/v1/profiles/{id}", tag = "profiles", params(("id" = String, Path)),
    responses((status = 200, body = ProfileView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ProfileView>, AppError> {
    let id = parse_id::<ProfileId>("profile", &id)?;
    let view = state.view(actor);
    let reader = view.grant::<ReadProfiles>()?;
    let (profile, assignments) = (profiles::get(&reader, id).await?, profiles::assignments(&reader, id).await?);
    Ok(Json(ProfileView { profile, assignments }))
}

#[utoipa::path(put, path = "/api/v1/profiles/{id}", tag = "profiles", params(("id" = String, Path)), request_body = ProfileInput,
    responses((status = 200, body = Profile), (status = 400, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    ApiPath(id): ApiPath<String>,
    body: Bytes,
) -> Result<Json<Profile>, AppError> {
    let id = parse_id::<ProfileId>("profile", &id)?;
    let input: ProfileInput = json(&body, PROFILE_SHAPE)?;
    Ok(Json(profiles::save(&state.view(actor).grant::<ManageProfiles>()?, Some(id), input, rid).await?))
}

#[utoipa::path(put, path = "/api/v1/profiles/{id}/assignments", tag = "profiles", params(("id" = String, Path)), request_body = Assignments,
    responses((status = 200, body = Assignments), (status = 400, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn assign(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(rid): RequestId,
    ApiPath(id): ApiPath<String>,
    body: Bytes,
) -> Result<Json<Assignments>, AppError> {
    let id = parse_id::<ProfileId>("profile", &id)?;
    let a: Assignments = json(&body, "{\"include\": [{\"type\": \"user_group\"|\"device_group\", \"id\"}], \"exclude\": [...]}")?;
    Ok(Json(profiles::assign(&state.view(actor).grant::<ManageProfiles>()?, id, a, rid).await?))
}

#[utoipa::path(get, path = "/api/v1/profiles/{id}/status", tag = "profiles", params(("id" = String, Path)),
    responses((status = 200, body = ProfileStatus), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn status(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ProfileStatus>, AppError> {
    Ok(Json(profiles::status(&state.view(actor).grant::<ReadProfiles>()?, parse_id::<ProfileId>("profile", &id)?).await?))
}
