//! API tokens of a user, from the user's page: create one (its value is on the answer to that
//! POST and nowhere else — no redirect carries it, the page is `no-store`, a reload does not
//! show it again) and revoke one. The engine (`app::users`) keeps only the token's hash.

use super::page::{self, Chrome, ErrorView};
use super::people::{self, form_error, NAV};
use super::principal::AdminUser;
use crate::app::users;
use crate::app::view::{ManageUsers, ReadUsers};
use crate::auth::RequestId;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Form;
use pinreset_core::UserId;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
}

#[derive(Serialize)]
struct TokenPage {
    #[serde(flatten)]
    chrome: Chrome,
    user_href: String,
    display_name: String,
    label: String,
    token: String,
}

#[derive(Serialize)]
struct RefusedPage {
    #[serde(flatten)]
    chrome: Chrome,
    user_href: String,
    display_name: String,
    error: ErrorView,
}

/// Never stored by the browser or a proxy, whatever the layers around it say.
fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn create(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Response {
    let chrome = user.chrome(NAV);
    let id: UserId = match people::parse(&chrome, &id) {
        Ok(id) => id,
        Err(page) => return page,
    };
    let view = state.view(user.actor.clone());
    let owner = match view.grant::<ReadUsers>() {
        Ok(g) => users::get(&g, id).await,
        Err(e) => Err(e),
    };
    let owner = match owner {
        Ok(a) => a,
        Err(e) => return page::error(&chrome, &e),
    };
    let created = match view.grant::<ManageUsers>() {
        Ok(g) => users::create_token(&g, id, &form.label, rid).await,
        Err(e) => Err(e),
    };
    let user_href = format!("/admin/users/{id}");
    match created {
        Ok(t) => no_store(page::render(
            StatusCode::OK,
            "token.html",
            TokenPage { user_href, display_name: owner.user.display_name, label: t.info.label, token: t.token, chrome },
        )),
        Err(e) => match form_error(&chrome, &e) {
            Ok((status, error)) => {
                page::render(status, "token.html", RefusedPage { user_href, display_name: owner.user.display_name, error, chrome })
            }
            Err(page) => page,
        },
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Path((id, token)): Path<(String, String)>,
) -> Response {
    let chrome = user.chrome(NAV);
    let (id, token): (UserId, uuid::Uuid) = match (people::parse(&chrome, &id), people::parse(&chrome, &token)) {
        (Ok(id), Ok(token)) => (id, token),
        (Err(page), _) | (_, Err(page)) => return page,
    };
    let result = match state.view(user.actor.clone()).grant::<ManageUsers>() {
        Ok(g) => users::revoke_token(&g, id, token, rid).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => page::see_other(&format!("/admin/users/{id}?done=revoked#tokens")),
        Err(e) => page::error(&chrome, &e),
    }
}
