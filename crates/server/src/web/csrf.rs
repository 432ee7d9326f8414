//! CSRF for the admin center's forms. Sign-in hands the session's CSRF token to the browser in
//! a `Secure; HttpOnly; SameSite=Strict` cookie; pages copy it into a hidden `csrf` field of
//! every form. A form POST carries it back in the body, where a page of another site cannot
//! put it (it can make the browser send cookies, never read them).
//!
//! This layer moves the field into the `X-CSRF-Token` header, so the one check every door uses
//! (`auth::Principal`: the token must hash to the session's `csrf_sha256`, compared in constant
//! time) decides; a header the client sent itself is dropped first, so only the form counts.

use crate::auth::CSRF_HEADER;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The name of the hidden form field.
pub const FIELD: &str = "csrf";
/// The cookie holding the session's CSRF token for pages to render.
pub const COOKIE: &str = "pinreset_csrf";
/// Admin forms are small; anything larger is refused before it is parsed.
const MAX_FORM_BYTES: usize = 16 * 1024;

pub async fn form_token_to_header(request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    parts.headers.remove(CSRF_HEADER);
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    if let Some(token) = fields.iter().find(|(k, _)| k == FIELD).and_then(|(_, v)| HeaderValue::from_str(v).ok()) {
        parts.headers.insert(CSRF_HEADER, token);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// `Set-Cookie` for the CSRF token, living as long as the session.
pub fn cookie(token: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}"))
        .expect("tokens are header-safe")
}
