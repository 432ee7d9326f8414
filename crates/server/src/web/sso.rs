//! Signing in to the web doors through the organisation's OpenID provider: `start` sends the
//! browser to the provider with a fresh `state`, `nonce` and PKCE challenge; `callback` takes
//! what comes back, lets the engine (`app::sso`) verify it, and opens the same session a
//! password sign-in opens. A refusal is shown on the sign-in page in the reader's language.

use super::csrf;
use super::lang::PageLang;
use super::page::{self, ErrorView};
use super::portal;
use super::principal::safe_next;
use super::sign_in::{self, Notice};
use crate::app::sso::{self, Callback};
use crate::auth::{cookie, RequestId};
use crate::sign_in::ClientAddr;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use pinreset_core::TenantId;
use serde::Deserialize;

/// The cookie naming the sign-in in progress (its state is sealed in the store). `Lax`: the
/// provider's redirect back is a top-level cross-site navigation.
const COOKIE: &str = "pinreset_sso";
const HOME: &str = "/admin/devices";

fn sso_cookie(value: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE}={value}; Path=/auth/oidc; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}"))
        .expect("a UUID is header-safe")
}

#[derive(Deserialize)]
pub struct StartQuery {
    tenant: String,
    next: Option<String>,
}

/// The cookie's value: the sign-in in progress, and `portal.` before it when it was started
/// from the portal (so a refusal is shown on the portal's sign-in page).
fn cookie_value(sign_in_id: uuid::Uuid, portal: bool) -> String {
    if portal {
        format!("portal.{sign_in_id}")
    } else {
        sign_in_id.to_string()
    }
}

fn parse_cookie(value: &str) -> (Option<uuid::Uuid>, bool) {
    match value.strip_prefix("portal.") {
        Some(id) => (id.parse().ok(), true),
        None => (value.parse().ok(), false),
    }
}

pub async fn start(State(state): State<AppState>, PageLang(lang): PageLang, headers: HeaderMap, Query(q): Query<StartQuery>) -> Response {
    let next = q.next.as_deref().and_then(safe_next).unwrap_or(HOME);
    let portal = next.starts_with("/portal");
    let refused = |e: &crate::error::AppError| {
        let status = StatusCode::from_u16(e.error_code().http_status()).unwrap_or(StatusCode::BAD_REQUEST);
        sign_in::form(lang, String::new(), Some(next), Notice { error: Some(ErrorView::of(lang, e)), ..Notice::default() }, status)
    };
    let Ok(tenant) = q.tenant.parse::<TenantId>() else {
        return refused(&crate::error::AppError::code(pinreset_core::ErrorCode::SsoNotConfigured));
    };
    // A portal step-up in progress: the provider is asked for a new sign-in.
    let step_up = if portal { portal::sign_in::step_up_ticket(&headers) } else { None };
    match sso::begin(&state, tenant, next, step_up).await {
        Ok(begun) => {
            let mut response = page::see_other(&begun.authorize_url);
            response.headers_mut().append(header::SET_COOKIE, sso_cookie(&cookie_value(begun.sign_in_id, portal), 600));
            response
        }
        Err(e) => refused(&e),
    }
}

pub async fn callback(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    RequestId(rid): RequestId,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Query(cb): Query<Callback>,
) -> Response {
    let (sign_in_id, portal) = cookie(&headers, COOKIE).map_or((None, false), parse_cookie);
    let home = if portal { portal::sign_in::HOME } else { HOME };
    let mut response = match sso::complete(&state, sign_in_id, cb, client, rid).await {
        Ok((started, next)) => {
            let max_age = (started.session.expires_at - state.clock.now()).num_seconds();
            let mut response = page::see_other(safe_next(&next).unwrap_or(home));
            let h = response.headers_mut();
            h.append(header::SET_COOKIE, crate::api::sessions::session_cookie(&started.token, max_age));
            h.append(header::SET_COOKIE, csrf::cookie(&started.csrf_token, max_age));
            response
        }
        Err(e) if portal => {
            let notice = portal::sign_in::Notice { error: Some(ErrorView::of(lang, &e)), ..Default::default() };
            portal::sign_in::form(&state, lang, &HeaderMap::new(), String::new(), None, notice).await
        }
        Err(e) => {
            let status = StatusCode::from_u16(e.error_code().http_status()).unwrap_or(StatusCode::UNAUTHORIZED);
            let notice = Notice { error: Some(ErrorView::of(lang, &e)), ..Notice::default() };
            sign_in::form(lang, String::new(), None, notice, status)
        }
    };
    // Spent either way: a second use of the same answer finds nothing (nor the step-up's).
    response.headers_mut().append(header::SET_COOKIE, sso_cookie("", 0));
    if portal {
        response.headers_mut().append(header::SET_COOKIE, portal::sign_in::step_up_cookie("", 0));
    }
    response
}
