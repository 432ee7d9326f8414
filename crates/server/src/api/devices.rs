//! Devices: list, detail with capabilities, and requesting actions on them.

use super::extract::{ApiPath, ApiQuery};
use super::views::{ActionView, DeviceDetail, DevicePage, OwnerView};
use crate::app::paging;
use crate::app::view::ReadAudit;
use crate::auth::{Authenticated, RequestId};
use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pinreset_core::action::ActionParams;
use pinreset_core::{ActionKind, AuditEvent, AuditKind, Detail, DetailCode, DeviceGroupId, DeviceId, Platform, RemoteAction, UserId};
use pinreset_store::{AuditFilter, DeviceFilter, DeviceSort, Keyset, Page};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// windows, windows_mobile, windows_phone, ios, ipados, macos, android
    platform: Option<String>,
    /// Primary user's id.
    owner: Option<String>,
    /// Device group id.
    group: Option<String>,
    /// Substring of name, model, serial, UDID or IMEI.
    search: Option<String>,
    #[param(default = 0)]
    offset: Option<u32>,
    /// 1..=500, default 50.
    limit: Option<u32>,
    /// Include devices that left management.
    include_retired: Option<bool>,
    /// The list's order, as in the admin center: name (default), owner (the primary user's
    /// display name), platform, os_version (numerically, part by part) or last_check_in
    /// (never checked in first, ascending); ties by device id.
    #[param(default = "name")]
    sort: Option<String>,
    /// asc (default) or desc.
    #[param(default = "asc")]
    dir: Option<String>,
    /// The page after this position (a `next` from a previous answer, taken with the same
    /// `sort` and `dir`): fast however deep; `offset` is then not used.
    after: Option<String>,
}

/// The order asked for; an unknown sort or direction is bad input naming the allowed values.
fn parse_order(sort: Option<&str>, dir: Option<&str>) -> Result<paging::Order, AppError> {
    let unknown = |field: &str, value: &str, allowed: String| {
        AppError::invalid(Detail::new(
            DetailCode::FieldUnknownValue,
            [("field", field.into()), ("value", value.chars().take(40).collect()), ("allowed", allowed)],
        ))
    };
    let sort = match sort {
        None => DeviceSort::default(),
        Some(s) => DeviceSort::parse(s)
            .ok_or_else(|| unknown("sort", s, DeviceSort::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")))?,
    };
    let descending = match dir {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(d) => return Err(unknown("dir", d, "asc, desc".into())),
    };
    Ok(paging::Order { sort, descending })
}

pub fn parse_id<T: std::str::FromStr>(what: &str, s: &str) -> Result<T, AppError> {
    s.parse().map_err(|_| {
        AppError::invalid(Detail::new(DetailCode::FieldNotAnId, [("field", what.into()), ("value", s.chars().take(40).collect())]))
    })
}

fn parse_platform(s: &str) -> Result<Platform, AppError> {
    s.parse().map_err(|_: String| {
        let allowed = Platform::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ");
        AppError::invalid(Detail::new(
            DetailCode::FieldUnknownValue,
            [("field", "platform".into()), ("value", s.chars().take(40).collect()), ("allowed", allowed)],
        ))
    })
}

#[utoipa::path(get, path = "/api/v1/devices", params(ListQuery), tag = "devices",
    responses((status = 200, body = DevicePage), (status = 400, body = Problem), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<DevicePage>, AppError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(AppError::invalid(Detail::out_of_range("limit", 1, 500)));
    }
    let order = parse_order(q.sort.as_deref(), q.dir.as_deref())?;
    let filter = DeviceFilter {
        platform: q.platform.as_deref().map(parse_platform).transpose()?,
        owner: q.owner.as_deref().map(|s| parse_id::<UserId>("owner", s)).transpose()?,
        group: q.group.as_deref().map(|s| parse_id::<DeviceGroupId>("group", s)).transpose()?,
        search: q.search.filter(|s| !s.trim().is_empty()),
        include_retired: q.include_retired.unwrap_or(false),
        sort: order.sort,
        descending: order.descending,
        // The position names its order: one taken in another order is refused.
        keyset: q.after.as_deref().map(|t| paging::parse_cursor_in("after", t, order).map(Keyset::After)).transpose()?,
        ..DeviceFilter::default()
    };
    let page = Page { offset: q.offset.unwrap_or(0), limit };
    let view = state.view(actor);
    let result = view.devices(filter, page).await?;
    let next = match result.items.last().filter(|_| result.items.len() == limit as usize) {
        None => None,
        Some(last) => {
            // The owner order's key is the owner's display name, which the device does not hold.
            let owner_name = match (order.sort, last.primary_user_id) {
                (DeviceSort::Owner, Some(id)) => view.user(id).await?.map(|u| u.display_name).unwrap_or_default(),
                _ => String::new(),
            };
            Some(paging::cursor_in(order, last, &owner_name))
        }
    };
    Ok(Json(DevicePage { items: result.items, total: result.total, offset: page.offset, limit, next }))
}

#[utoipa::path(get, path = "/api/v1/devices/{id}", tag = "devices",
    params(("id" = String, Path, description = "Device id")),
    responses((status = 200, body = DeviceDetail), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<DeviceDetail>, AppError> {
    let view = state.view(actor);
    let device = view.device(parse_id::<DeviceId>("device", &id)?).await?;
    let capabilities = view.capabilities(&device).await?;
    let owner = match device.primary_user_id {
        Some(uid) => view.user(uid).await?.map(OwnerView::from),
        None => None,
    };
    let reached_by = view.reach(&device).await?;
    Ok(Json(DeviceDetail { device, owner, capabilities, reached_by }))
}

/// Optional body of an action request; unknown fields are refused so a typo is not ignored.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequestBody {
    /// rename: the new device name.
    name: Option<String>,
    /// remote-lock (iOS): message on the lock screen.
    message: Option<String>,
    /// remote-lock (iOS): phone number on the lock screen.
    phone_number: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/devices/{id}/actions/{action}", tag = "actions",
    params(("id" = String, Path, description = "Device id"),
           ("action" = String, Path, description = "reset-passcode, remote-lock, reset-device, remove or rename")),
    request_body(content = Option<ActionRequestBody>, description = "rename needs {\"name\": …}; remote-lock takes an optional message and phone_number"),
    responses((status = 202, body = ActionView, description = "Queued (or the identical pending action, with deduplicated = true)"),
              (status = 400, body = Problem), (status = 403, body = Problem, description = "Role or ownership forbids it"),
              (status = 404, body = Problem), (status = 409, body = Problem, description = "The device cannot do this; reason and remedy say why")),
    security(("bearer" = [])))]
pub async fn request_action(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    RequestId(request_id): RequestId,
    ApiPath((id, action)): ApiPath<(String, String)>,
    body: Bytes,
) -> Result<(StatusCode, Json<ActionView>), AppError> {
    let kind = ActionKind::from_slug(&action)
        .ok_or_else(|| AppError::invalid(Detail::new(DetailCode::UnknownAction, [("action", action.chars().take(40).collect())])))?;
    let device_id = parse_id::<DeviceId>("device", &id)?;
    let body: ActionRequestBody = if body.iter().all(u8::is_ascii_whitespace) {
        ActionRequestBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| AppError::invalid(Detail::body_shape("a JSON object", e)))?
    };
    let params = ActionParams { name: body.name, message: body.message, phone_number: body.phone_number };
    let requested = state.view(actor).request_action(device_id, kind, params, request_id).await?;
    Ok((StatusCode::ACCEPTED, Json(ActionView::new(requested.action, state.clock.now(), !requested.created))))
}

#[utoipa::path(get, path = "/api/v1/devices/{id}/actions", tag = "actions",
    params(("id" = String, Path, description = "Device id")),
    responses((status = 200, body = Vec<ActionView>, description = "Newest first"), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn history(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<ActionView>>, AppError> {
    let now = state.clock.now();
    let actions: Vec<RemoteAction> = state.view(actor).device_actions(parse_id::<DeviceId>("device", &id)?).await?;
    Ok(Json(actions.into_iter().map(|a| ActionView::new(a, now, false)).collect()))
}

#[utoipa::path(get, path = "/api/v1/devices/{id}/commands", tag = "devices",
    params(("id" = String, Path, description = "Device id")),
    responses((status = 200, body = Vec<AuditEvent>,
        description = "Newest first: each command sent to the device (`command_sent`) and each answer (`command_result`, e.g. `ClearPasscode: NotNow`), among the device's latest 1000 events"),
        (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn commands(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<AuditEvent>>, AppError> {
    let view = state.view(actor);
    // The command history is part of the audit trail.
    let audit = view.grant::<ReadAudit>()?;
    let device = view.device(parse_id::<DeviceId>("device", &id)?).await?;
    let filter = AuditFilter { device_id: Some(device.id), limit: 1000, ..AuditFilter::default() };
    let events = audit.events(&filter).await?;
    Ok(Json(events.into_iter().filter(|e| matches!(e.event.kind, AuditKind::CommandSent | AuditKind::CommandResult)).collect()))
}

/// The answer to a sync request.
#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SyncView {
    /// How the device is reached: `push` (woken now) or `next_check_in` with the reason.
    pub reached_by: crate::app::push::Reach,
    /// Whether a wake-up push was sent now.
    pub pushed: bool,
}

#[utoipa::path(post, path = "/api/v1/devices/{id}/sync", tag = "devices",
    params(("id" = String, Path, description = "Device id")),
    responses((status = 200, body = SyncView, description = "Woken now by push, or the reason it is reached at its next check-in"),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 503, body = Problem)),
    security(("bearer" = [])))]
pub async fn sync(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<SyncView>, AppError> {
    let (reached_by, pushed) = state.view(actor).sync(parse_id::<DeviceId>("device", &id)?).await?;
    Ok(Json(SyncView { reached_by, pushed }))
}
