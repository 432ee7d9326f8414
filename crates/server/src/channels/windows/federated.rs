//! Federated enrollment: the device opens our sign-in page in a web view
//! (`AuthenticationServiceUrl?appru=…&login_hint=…`); after a correct email and password the
//! page posts a one-time token back to the device's `appru`, and the device presents it as the
//! BinarySecurityToken of its policy and enrollment requests. The token lives 10 minutes, is
//! stored only as a hash, travels in a form body (never a URL) and is spent by the enrollment.

use crate::auth::{token_hash, RequestId};
use crate::sign_in::{ClientAddr, Refusal};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use base64::Engine;
use pinreset_core::User;
use rand::RngCore;
use serde::Deserialize;

pub const AUTH_PATH: &str = "/EnrollmentServer/AuthenticationService";
const TOKEN_LIFETIME_MINUTES: i64 = 10;

#[derive(Deserialize)]
pub struct PageQuery {
    appru: Option<String>,
    login_hint: Option<String>,
}

#[derive(Deserialize)]
pub struct SignIn {
    appru: String,
    email: String,
    password: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Only the device's own app may receive the token: no open redirect to the web.
fn valid_appru(appru: &str) -> bool {
    appru.starts_with("ms-app://") && appru.len() < 512 && !appru.chars().any(char::is_control)
}

fn html(status: StatusCode, body: String) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>Sign in to enroll your device</title></head><body>{body}</body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], page).into_response()
}

fn form(appru: &str, email: &str, error: Option<&str>) -> String {
    let error = error.map(|e| format!("<p role=\"alert\">{}</p>", escape(e))).unwrap_or_default();
    format!(
        "<main><h1>Sign in to enroll your device</h1>{error}<form method=\"post\">\
         <input type=\"hidden\" name=\"appru\" value=\"{appru}\">\
         <label>Work email <input name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"{email}\"></label>\
         <label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
         <button type=\"submit\">Sign in</button></form></main>",
        appru = escape(appru),
        email = escape(email)
    )
}

pub async fn page(Query(q): Query<PageQuery>) -> Response {
    match q.appru.as_deref().filter(|a| valid_appru(a)) {
        Some(appru) => html(StatusCode::OK, form(appru, q.login_hint.as_deref().unwrap_or(""), None)),
        None => html(
            StatusCode::BAD_REQUEST,
            "<p>This page is opened by Windows during device enrollment (the appru parameter is missing or not an app address).</p>".into(),
        ),
    }
}

pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    RequestId(request_id): RequestId,
    Form(f): Form<SignIn>,
) -> Response {
    if !valid_appru(&f.appru) {
        return html(StatusCode::BAD_REQUEST, "<p>The return address is not a Windows app address.</p>".into());
    }
    if let Err(e) = pinreset_core::text::check_input("email", &f.email) {
        // No account has such an address; refused as bad input rather than failing in the store.
        return html(StatusCode::BAD_REQUEST, form(&f.appru, "", Some(&e.english())));
    }
    if !f.email.contains('@') {
        return html(StatusCode::BAD_REQUEST, form(&f.appru, &f.email, Some(super::enrollment::USE_EMAIL_NOT_LOGIN)));
    }
    let candidates = match state.store.users_by_email(&f.email).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "looking up a signing-in user failed");
            return html(StatusCode::INTERNAL_SERVER_ERROR, "<p>The server could not sign you in; try again.</p>".into());
        }
    };
    // Through the sign-in gate: throttled, locked out, hashed off the async workers.
    let attempt = crate::sign_in::Attempt { client, candidates, password: &f.password, request_id };
    let user = match crate::sign_in::verify(&state, attempt).await {
        Ok(user) => user,
        Err(refusal) => return refused(&state, &f, &refusal),
    };
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let expires = state.clock.now() + chrono::Duration::minutes(TOKEN_LIFETIME_MINUTES);
    if let Err(e) = state.store.create_enrollment_token(&token_hash(&token), &user, expires).await {
        tracing::error!(error = %e, "storing an enrollment token failed");
        return html(StatusCode::INTERNAL_SERVER_ERROR, "<p>The server could not sign you in; try again.</p>".into());
    }
    // The token goes back to the device in a form post, as MS-MDE2's federated flow expects.
    html(
        StatusCode::OK,
        format!(
            "<form method=\"post\" action=\"{appru}\"><input type=\"hidden\" name=\"wresult\" value=\"{token}\">\
             <noscript><button type=\"submit\">Continue</button></noscript></form><script>document.forms[0].submit()</script>",
            appru = escape(&f.appru)
        ),
    )
}

/// The form again, saying why the sign-in was refused and, when it helps, when to retry.
fn refused(state: &AppState, f: &SignIn, refusal: &Refusal) -> Response {
    let now = state.clock.now();
    let status = StatusCode::from_u16(refusal.code().http_status()).unwrap_or(StatusCode::UNAUTHORIZED);
    let mut page = html(status, form(&f.appru, &f.email, Some(&refusal.detail(now).english())));
    if let Some(secs) = refusal.retry_after_secs(now) {
        page.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    page
}

/// The user behind a device's BinarySecurityToken; `spend` at the enrollment step.
pub async fn token_user(state: &AppState, token: &str, spend: bool) -> Option<User> {
    let token = token.trim();
    // Devices may send the token base64-encoded (EncodingType base64binary).
    let decoded = base64::engine::general_purpose::STANDARD.decode(token).ok().and_then(|b| String::from_utf8(b).ok());
    for candidate in [Some(token.to_string()), decoded].into_iter().flatten() {
        if let Ok(Some(u)) = state.store.enrollment_token_user(&token_hash(&candidate), state.clock.now(), spend).await {
            return Some(u);
        }
    }
    None
}
