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
use pinreset_core::{ErrorCode, TenantId};
use serde::{Deserialize, Serialize};

const HOME: &str = "/admin/devices";

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
    /// The organisation whose single sign-on to offer (a link an admin hands out).
    tenant: Option<String>,
}

/// "Sign in with <organisation>": single sign-on through the tenant's OpenID provider.
#[derive(Serialize)]
pub(super) struct SsoButton {
    href: String,
    organisation: String,
}

/// The SSO buttons to offer: the named organisation's, else the only one on this server that
/// has single sign-on (a server hosting several does not list them to strangers).
pub(super) async fn sso_buttons(state: &AppState, tenant: Option<&str>, next: &str) -> Vec<SsoButton> {
    let Ok(all) = crate::app::sso::tenants_with_sso(state).await else { return vec![] };
    let wanted: Option<TenantId> = tenant.and_then(|t| t.parse().ok());
    let chosen: Vec<_> = match wanted {
        Some(id) => all.into_iter().filter(|(t, _)| *t == id).collect(),
        None if all.len() == 1 => all,
        None => vec![],
    };
    chosen
        .into_iter()
        .map(|(id, organisation)| SsoButton {
            href: format!(
                "/auth/oidc/start?{}",
                serde_urlencoded::to_string([("tenant", id.to_string().as_str()), ("next", next)]).unwrap_or_default()
            ),
            organisation,
        })
        .collect()
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
    sso: Vec<SsoButton>,
}

/// What the sign-in page shows besides its form.
#[derive(Default)]
pub(super) struct Notice {
    pub error: Option<ErrorView>,
    pub wait_until: Option<String>,
    pub sso: Vec<SsoButton>,
}

pub(super) fn form(lang: Lang, email: String, next: Option<&str>, notice: Notice, status: StatusCode) -> Response {
    let next = next.and_then(safe_next).unwrap_or(HOME).to_string();
    let here = format!("/admin/sign-in?{}", serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default());
    let Notice { error, wait_until, sso } = notice;
    page::render(status, "sign_in.html", SignInPage { chrome: Chrome::anonymous(lang, &here), email, next, error, wait_until, sso })
}

pub async fn show(State(state): State<AppState>, PageLang(lang): PageLang, Query(q): Query<NextQuery>) -> Response {
    let next = q.next.as_deref().and_then(safe_next).unwrap_or(HOME);
    let sso = sso_buttons(&state, q.tenant.as_deref(), next).await;
    form(lang, String::new(), Some(next), Notice { sso, ..Notice::default() }, StatusCode::OK)
}

/// A refused sign-in as the form shows it: the error, and until when a lockout or throttle
/// lasts (in UTC; its own line then says it, so the detail's seconds are left out).
pub(super) async fn refusal(
    state: &AppState,
    lang: Lang,
    client: std::net::IpAddr,
    email: &str,
    e: &crate::error::AppError,
) -> (ErrorView, Option<String>) {
    let waits = matches!(e.error_code(), ErrorCode::SignInLocked | ErrorCode::SignInThrottled);
    let wait_until = if waits {
        sessions::sign_in_wait_until(state, client, email).await.ok().flatten().map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
    } else {
        None
    };
    let mut error = ErrorView::of(lang, e);
    if wait_until.is_some() {
        error.detail = None;
    }
    (error, wait_until)
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
            let status = StatusCode::from_u16(e.error_code().http_status()).unwrap_or(StatusCode::UNAUTHORIZED);
            let (error, wait_until) = refusal(&state, lang, client, f.email.trim(), &e).await;
            let sso = sso_buttons(&state, None, f.next.as_deref().and_then(safe_next).unwrap_or(HOME)).await;
            return form(lang, f.email, f.next.as_deref(), Notice { error: Some(error), wait_until, sso }, status);
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
        return page::error(&user.chrome, &e);
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
