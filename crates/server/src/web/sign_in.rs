//! Signing in to and out of the admin center with a local account, through the engine's
//! sign-in gate (throttle, lockout, argon2id off the async workers), and switching language.

use super::csrf;
use super::i18n::Lang;
use super::lang::{self, PageLang};
use super::page::{self, Chrome, ErrorView};
use super::principal::{safe_next, AdminUser};
use crate::app::sessions;
use crate::auth::RequestId;
use crate::sign_in::ClientAddr;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use pinreset_core::ErrorCode;
use serde::{Deserialize, Serialize};

const HOME: &str = "/admin/devices";

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
}

#[derive(Serialize)]
struct SignInPage {
    #[serde(flatten)]
    chrome: Chrome,
    email: String,
    next: String,
    error: Option<ErrorView>,
    /// Locked out or throttled: until when, in UTC.
    wait_until: Option<String>,
}

fn form(
    lang: Lang,
    email: String,
    next: Option<&str>,
    error: Option<ErrorCode>,
    wait_until: Option<String>,
    status: StatusCode,
) -> Response {
    let next = next.and_then(safe_next).unwrap_or(HOME).to_string();
    let here = format!("/admin/sign-in?{}", serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default());
    let error = error.map(|code| ErrorView::new(lang, code));
    page::render(status, "sign_in.html", SignInPage { chrome: Chrome::anonymous(lang, &here), email, next, error, wait_until })
}

pub async fn show(PageLang(lang): PageLang, Query(q): Query<NextQuery>) -> Response {
    form(lang, String::new(), q.next.as_deref(), None, None, StatusCode::OK)
}

pub async fn submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    ClientAddr(client): ClientAddr,
    RequestId(rid): RequestId,
    Form(f): Form<SignInForm>,
) -> Response {
    let started = match sessions::start(&state, client, f.email.trim(), &f.password, rid).await {
        Ok(started) => started,
        Err(e) => {
            let code = e.error_code();
            let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::UNAUTHORIZED);
            let wait_until = if matches!(code, ErrorCode::SignInLocked | ErrorCode::SignInThrottled) {
                sessions::sign_in_wait_until(&state, client, f.email.trim())
                    .await
                    .ok()
                    .flatten()
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            } else {
                None
            };
            return form(lang, f.email, f.next.as_deref(), Some(code), wait_until, status);
        }
    };
    let max_age = (started.session.expires_at - state.clock.now()).num_seconds();
    let mut response = page::see_other(f.next.as_deref().and_then(safe_next).unwrap_or(HOME));
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, crate::api::sessions::session_cookie(&started.token, max_age));
    headers.append(header::SET_COOKIE, csrf::cookie(&started.csrf_token, max_age));
    response
}

/// Revoke the session (the CSRF check already passed: `AdminUser` came through `Principal`)
/// and clear both cookies.
pub async fn sign_out(State(state): State<AppState>, RequestId(rid): RequestId, user: AdminUser) -> Response {
    if let Err(e) = sessions::end(&state, &user.session, &user.actor.login, rid).await {
        return page::problem(&user.chrome, e.error_code());
    }
    let mut response = page::see_other("/admin/sign-in");
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, crate::api::sessions::session_cookie("", 0));
    headers.append(header::SET_COOKIE, csrf::cookie("", 0));
    response
}

#[derive(Deserialize)]
pub struct LangQuery {
    set: String,
    next: Option<String>,
}

/// The language switcher: remember the choice for a year and go back to the page.
pub async fn switch_language(Query(q): Query<LangQuery>) -> Response {
    let back = q.next.as_deref().and_then(safe_next).unwrap_or(HOME);
    let mut response = page::see_other(back);
    if let Some(lang) = Lang::from_tag(&q.set) {
        response.headers_mut().append(header::SET_COOKIE, lang::remember(lang));
    }
    response.into_response()
}
