//! Signing in to and out of the portal (the same accounts, gate and sessions as the admin
//! center, in the portal's frame), and the step-up's sign-in: a sign-in that follows "sign out
//! and sign in again" carries the step-up ticket in a cookie; the engine turns it into a grant
//! for the new session when the sign-in proves it is the same person, after they asked.

use super::super::csrf;
use super::super::i18n::Lang;
use super::super::lang::{self, PageLang};
use super::super::page::{self, Chrome, ErrorView};
use super::super::principal::safe_next;
use super::super::sign_in::{sso_buttons, SsoButton};
use super::user::PortalUser;
use crate::app::{sessions, step_up};
use crate::auth::{cookie, RequestId};
use crate::sign_in::ClientAddr;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::Form;
use serde::{Deserialize, Serialize};

pub const HOME: &str = "/portal";
/// The step-up ticket between "sign out and sign in again" and the sign-in (Path=/: the
/// single sign-on start reads it too).
pub const STEP_UP_COOKIE: &str = "pinreset_step_up";

pub fn step_up_cookie(value: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("{STEP_UP_COOKIE}={value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}"))
        .expect("a UUID is header-safe")
}

/// The ticket this browser carries, if any.
pub fn step_up_ticket(headers: &HeaderMap) -> Option<uuid::Uuid> {
    cookie(headers, STEP_UP_COOKIE).and_then(|v| v.parse().ok())
}

fn portal_next(next: Option<&str>) -> &str {
    next.and_then(safe_next).filter(|n| n.starts_with("/portal")).unwrap_or(HOME)
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
    tenant: Option<String>,
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
    wait_until: Option<String>,
    sso: Vec<SsoButton>,
    /// The user was signed out to prove it is them before a passcode reset.
    step_up: bool,
}

/// What the portal's sign-in page shows besides its form.
#[derive(Default)]
pub struct Notice {
    pub error: Option<ErrorView>,
    pub wait_until: Option<String>,
}

pub async fn form(state: &AppState, lang: Lang, headers: &HeaderMap, email: String, next: Option<&str>, notice: Notice) -> Response {
    form_for(state, lang, headers, email, next, None, notice).await
}

/// The form, offering single sign-on of `tenant` (a link an admin hands out) or the only one.
async fn form_for(
    state: &AppState,
    lang: Lang,
    headers: &HeaderMap,
    email: String,
    next: Option<&str>,
    tenant: Option<&str>,
    notice: Notice,
) -> Response {
    let next = portal_next(next).to_string();
    let here = format!("/portal/sign-in?{}", serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default());
    let status = page::form_status(notice.error.as_ref());
    let sso = sso_buttons(state, tenant, &next).await;
    let ctx = SignInPage {
        chrome: Chrome::portal(lang, &here),
        email,
        next,
        error: notice.error,
        wait_until: notice.wait_until,
        sso,
        step_up: step_up_ticket(headers).is_some(),
    };
    page::render(status, "portal_sign_in.html", ctx)
}

pub async fn show(State(state): State<AppState>, PageLang(lang): PageLang, headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    form_for(&state, lang, &headers, String::new(), q.next.as_deref(), q.tenant.as_deref(), Notice::default()).await
}

pub async fn submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    ClientAddr(client): ClientAddr,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> Response {
    let started = match sessions::start(&state, client, f.email.trim(), &f.password, rid.clone()).await {
        Ok(started) => started,
        Err(e) => {
            let (error, wait_until) = super::super::sign_in::refusal(&state, lang, client, f.email.trim(), &e).await;
            let response = form(&state, lang, &headers, f.email, f.next.as_deref(), Notice { error: Some(error), wait_until }).await;
            return page::with_retry_after(response, &e);
        }
    };
    let mut next = portal_next(f.next.as_deref()).to_string();
    if let Some(ticket) = step_up_ticket(&headers) {
        // A password checked just now is after the ask; the engine still checks it is the
        // same person and inside the ticket's time. If not, the reset page asks again.
        let origin = step_up::Origin { session: Some(started.session.id), client, request_id: rid };
        match step_up::check(&state, ticket, &started.user, started.session.authenticated_at, &origin).await {
            Ok(ticket) => {
                if let Ok(device) = step_up::grant(&state, &ticket, &started.session, &started.user.login, &origin).await {
                    next = format!("/portal/devices/{device}/reset-passcode");
                }
            }
            Err(e) => tracing::info!(code = e.error_code().code(), "a step-up ticket was not honoured"),
        }
    }
    let max_age = (started.session.expires_at - state.clock.now()).num_seconds();
    let mut response = page::see_other(&next);
    let h = response.headers_mut();
    h.append(header::SET_COOKIE, crate::api::sessions::session_cookie(&started.token, max_age));
    h.append(header::SET_COOKIE, csrf::cookie(&started.csrf_token, max_age));
    h.append(header::SET_COOKIE, step_up_cookie("", 0));
    response
}

/// End the session and clear its cookies; `then` is where the browser goes.
pub async fn end_session(state: &AppState, user: &PortalUser, rid: Option<String>, then: &str) -> Response {
    if let Err(e) = sessions::end(state, &user.session, &user.actor.login, rid).await {
        return page::error(&user.chrome, &e);
    }
    let mut response = page::see_other(then);
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, crate::api::sessions::session_cookie("", 0));
    headers.append(header::SET_COOKIE, csrf::cookie("", 0));
    response
}

#[derive(Deserialize, Default)]
pub struct SignOutForm {
    /// Where to come back to after signing in again (a page that needs a recent sign-in).
    next: Option<String>,
}

pub async fn sign_out(State(state): State<AppState>, RequestId(rid): RequestId, user: PortalUser, Form(f): Form<SignOutForm>) -> Response {
    let then = match f.next.as_deref() {
        Some(next) => super::user::sign_in_href(portal_next(Some(next))),
        None => "/portal/sign-in".to_string(),
    };
    end_session(&state, &user, rid, &then).await
}

#[derive(Deserialize)]
pub struct LangQuery {
    set: String,
    next: Option<String>,
}

pub async fn switch_language(Query(q): Query<LangQuery>) -> Response {
    let mut response = page::see_other(portal_next(q.next.as_deref()));
    if let Some(lang) = Lang::from_tag(&q.set) {
        response.headers_mut().append(header::SET_COOKIE, lang::remember(lang));
    }
    response
}
