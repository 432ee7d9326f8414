//! Headers every admin center answer carries: a content security policy that allows no
//! inline script or style and no framing, no MIME sniffing, no referrer (URLs hold device
//! ids), and no caching of pages (they can show a temporary passcode).

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// For pages (everything under /admin).
pub async fn page_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    common(&mut response);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// For /static: the same protections, cached for a year (URLs carry the content's hash).
pub async fn asset_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    common(&mut response);
    if response.status().is_success() {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
    response
}

fn common(response: &mut Response) {
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(HeaderName::from_static("x-frame-options"), HeaderValue::from_static("DENY"));
}
