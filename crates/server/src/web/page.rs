//! What every admin center page shares: the frame around it (language, switcher, signed-in
//! user, tenant, CSRF token for its forms, navigation) and the ways a handler answers with
//! HTML — a page, a redirect, or a catalogue error in the page's language.

use super::assets;
use super::i18n::{self, Lang};
use super::templates;
use crate::error::AppError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pinreset_core::ErrorCode;
use serde::Serialize;

/// The frame of a page.
#[derive(Serialize, Clone)]
pub struct Chrome {
    pub lang: &'static str,
    pub langs: Vec<LangChoice>,
    /// The path to come back to after switching languages.
    pub here: String,
    pub css: &'static str,
    pub js: &'static str,
    /// Signed in: who, in which tenant, and the token forms send back.
    pub user: Option<String>,
    /// The user's role, translated.
    pub role: Option<String>,
    pub tenant: Option<String>,
    pub csrf: Option<String>,
    /// The navigation entry to highlight.
    pub nav: &'static str,
    /// The frame's template: the admin center's or the self-service portal's.
    pub layout: &'static str,
    /// Where "back" and the brand lead: the door's start page.
    pub home: &'static str,
    /// The portal's unread notifications (its flag at the top right).
    pub unread: Option<usize>,
}

#[derive(Serialize, Clone)]
pub struct LangChoice {
    pub tag: &'static str,
    pub name: &'static str,
    pub selected: bool,
}

impl Chrome {
    /// The frame of a page nobody is signed in to (sign-in, errors before sign-in).
    pub fn anonymous(lang: Lang, here: &str) -> Self {
        Chrome {
            lang: lang.tag(),
            langs: Lang::ALL.iter().map(|l| LangChoice { tag: l.tag(), name: l.native_name(), selected: *l == lang }).collect(),
            here: here.to_string(),
            css: assets::CSS_URL.as_str(),
            js: assets::JS_URL.as_str(),
            user: None,
            role: None,
            tenant: None,
            csrf: None,
            nav: "",
            layout: "layout.html",
            home: "/admin/devices",
            unread: None,
        }
    }

    /// The frame of a portal page nobody is signed in to.
    pub fn portal(lang: Lang, here: &str) -> Self {
        Chrome { layout: "portal_layout.html", home: "/portal", css: assets::PORTAL_CSS_URL.as_str(), ..Chrome::anonymous(lang, here) }
    }

    pub fn lang(&self) -> Lang {
        Lang::from_tag(self.lang).unwrap_or(Lang::En)
    }
}

/// A rendered page with its status.
pub fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))], body).into_response()
}

/// Render a template into a page; a template bug becomes a plain 500, logged.
pub fn render(status: StatusCode, template: &str, ctx: impl Serialize) -> Response {
    match templates::render_or_log(template, ctx) {
        Some(body) => html(status, body),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// 303 See Other: after a form, the browser loads the target with GET.
pub fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_string())]).into_response()
}

/// A catalogue error, translated, with its remedy and a link to its catalogue entry.
#[derive(Serialize, Clone)]
pub struct ErrorView {
    pub code: &'static str,
    pub reason: String,
    pub remedy: String,
    /// What exactly was wrong (which field, which limit), when the engine said.
    pub detail: Option<String>,
    /// The admin center's catalogue page, at this entry.
    pub href: String,
}

impl ErrorView {
    pub fn new(lang: Lang, code: ErrorCode) -> Self {
        let (reason, remedy) = i18n::error_texts(lang, code);
        ErrorView { code: code.code(), reason, remedy, detail: None, href: catalogue_href(code) }
    }

    /// An engine error with its specific detail, in `lang`.
    pub fn of(lang: Lang, error: &AppError) -> Self {
        let detail = error.detail().map(|d| i18n::detail_text(lang, &d));
        ErrorView { detail, ..Self::new(lang, error.error_code()) }
    }
}

/// The status of a form page shown again: its error's catalogue status, else 200.
pub fn form_status(error: Option<&ErrorView>) -> StatusCode {
    match error {
        Some(e) => ErrorCode::from_code(e.code).and_then(|c| StatusCode::from_u16(c.http_status()).ok()).unwrap_or(StatusCode::BAD_REQUEST),
        None => StatusCode::OK,
    }
}

pub fn catalogue_href(code: ErrorCode) -> String {
    format!("/admin/errors#{}", code.code())
}

/// A page saying what went wrong and what to do, with the catalogue's HTTP status.
pub fn problem(chrome: &Chrome, code: ErrorCode) -> Response {
    show_error(chrome, ErrorView::new(chrome.lang(), code), code)
}

/// The page for an engine error, with its specific detail.
pub fn error(chrome: &Chrome, e: &AppError) -> Response {
    with_retry_after(show_error(chrome, ErrorView::of(chrome.lang(), e), e.error_code()), e)
}

/// A 429 or 503 page for `e` says in `Retry-After` how long its detail says to wait.
pub fn with_retry_after(mut response: Response, e: &AppError) -> Response {
    let seconds = e.detail().and_then(|d| d.args.get("seconds").cloned());
    if let Some(v) = crate::error::retry_after(response.status(), seconds.as_deref()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

fn show_error(chrome: &Chrome, error: ErrorView, code: ErrorCode) -> Response {
    #[derive(Serialize)]
    struct Ctx<'a> {
        #[serde(flatten)]
        chrome: &'a Chrome,
        error: ErrorView,
    }
    let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    render(status, "problem.html", Ctx { chrome, error })
}
