//! The stylesheet and the small progressive-enhancement script, compiled in and served with a
//! long cache under a URL that carries a hash of their content, so a new build is never stale.

use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

const CSS: &str = include_str!("../../static/admin.css");
const JS: &str = include_str!("../../static/admin.js");
const PORTAL_CSS: &str = include_str!("../../static/portal.css");

fn versioned(path: &str, content: &str) -> String {
    format!("{path}?v={}", &hex::encode(Sha256::digest(content.as_bytes()))[..12])
}

/// The URLs pages link to.
pub static CSS_URL: LazyLock<String> = LazyLock::new(|| versioned("/static/admin.css", CSS));
pub static PORTAL_CSS_URL: LazyLock<String> = LazyLock::new(|| versioned("/static/portal.css", PORTAL_CSS));
pub static JS_URL: LazyLock<String> = LazyLock::new(|| versioned("/static/admin.js", JS));

pub async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS)
}

pub async fn portal_css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], PORTAL_CSS)
}

pub async fn js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], JS)
}
