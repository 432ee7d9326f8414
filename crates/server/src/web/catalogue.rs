//! The error catalogue in the page's language: what every refusal means and what to do, each
//! at an anchor named by its code (the action bar's "why" links here).

use super::page::{self, Chrome, ErrorView};
use super::principal::AdminUser;
use axum::http::StatusCode;
use axum::response::Response;
use pinreset_core::ErrorCode;
use serde::Serialize;

#[derive(Serialize)]
struct CataloguePage {
    #[serde(flatten)]
    chrome: Chrome,
    entries: Vec<ErrorView>,
}

pub async fn show(user: AdminUser) -> Response {
    let lang = user.lang();
    let entries = ErrorCode::ALL.iter().map(|c| ErrorView::new(lang, *c)).collect();
    page::render(StatusCode::OK, "errors.html", CataloguePage { chrome: user.chrome(""), entries })
}
