//! The flag's list: what happened to the user's devices (a reset, lock or wipe that succeeded
//! or failed), newest first; opening one marks it read and shows the device.

use super::super::devices::when;
use super::super::i18n;
use super::super::labels;
use super::super::page::{self, Chrome};
use super::user::PortalUser;
use crate::app::notifications;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use pinreset_core::{ActionState, ErrorCode};
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    id: String,
    text: String,
    at: String,
    ok: bool,
    read: bool,
}

#[derive(Serialize)]
struct NotificationsPage {
    #[serde(flatten)]
    chrome: Chrome,
    rows: Vec<Row>,
}

pub async fn list(State(state): State<AppState>, user: PortalUser) -> Response {
    let lang = user.lang();
    let all = match notifications::list(&state, &user.actor).await {
        Ok(all) => all,
        Err(e) => return page::error(&user.chrome, &e),
    };
    let rows = all
        .into_iter()
        .map(|n| {
            let ok = n.action.state == ActionState::Succeeded;
            let action = i18n::text(lang, &labels::action_kind(n.action.kind), &[]);
            let key = if ok { "portal-notification-ok" } else { "portal-notification-failed" };
            let text = i18n::text(lang, key, &[("action", action.into()), ("device", n.device.name.clone().into())]);
            Row { id: n.action.id.to_string(), text, at: when(n.action.updated_at), ok, read: n.read }
        })
        .collect();
    page::render(StatusCode::OK, "portal_notifications.html", NotificationsPage { chrome: user.chrome("notifications"), rows })
}

pub async fn open(State(state): State<AppState>, user: PortalUser, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse() else { return page::problem(&user.chrome, ErrorCode::NotFound) };
    match notifications::open(&state, &user.actor, id).await {
        Ok((_, device)) => page::see_other(&format!("/portal/devices/{}", device.id)),
        Err(e) => page::error(&user.chrome, &e),
    }
}
