//! What the users, tokens and groups pages share: parsing ids from the path, who may change
//! things (the engine's `ManageUsers`, asked once per page so forms show only to those who
//! may use them), the Users | Groups tabs, and the rule deciding whether an engine refusal
//! re-renders the form with its reason or becomes an error page.

use super::page::{self, Chrome, ErrorView};
use super::principal::AdminUser;
use crate::app::view::ManageUsers;
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::Response;
use pinreset_core::ErrorCode;

/// The navigation entry of these pages.
pub const NAV: &str = "users";

/// Whether this user may change users, groups and tokens (the view decides, not the page).
pub fn can_manage(state: &AppState, user: &AdminUser) -> bool {
    state.view(user.actor.clone()).grant::<ManageUsers>().is_ok()
}

/// A refusal that belongs next to the form that caused it (bad input, the last tenant admin,
/// a user owning devices) comes back as its status and text in the page's language; one that
/// ends the page (not found, forbidden, internal) as the error page.
#[allow(clippy::result_large_err)] // the page a handler returns at once: never held or moved around
pub fn form_error(chrome: &Chrome, e: &AppError) -> Result<(StatusCode, ErrorView), Response> {
    let code = e.error_code();
    if matches!(code, ErrorCode::NotFound | ErrorCode::RoleForbidden | ErrorCode::Unauthenticated | ErrorCode::Internal) {
        return Err(page::error(chrome, e));
    }
    let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    Ok((status, ErrorView::of(chrome.lang(), e)))
}

/// A path segment that is not an id of the right kind is "not found", as a tampered URL.
#[allow(clippy::result_large_err)] // as above
pub fn parse<T: std::str::FromStr>(chrome: &Chrome, s: &str) -> Result<T, Response> {
    s.parse().map_err(|_| page::problem(chrome, ErrorCode::NotFound))
}

/// An optional form field: blank means not given.
pub fn given(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use crate::web::i18n::{self, Lang};
    use std::collections::BTreeSet;

    /// The generic key test covers template keys; this one covers the keys these pages build in
    /// Rust (permission labels, notices) and that every language has exactly English's keys.
    #[test]
    fn people_keys_exist_in_every_language() {
        let english: BTreeSet<String> = i18n::message_ids(Lang::En, "admin-people.ftl").into_iter().collect();
        let mut needed: Vec<String> = crate::web::roles::all_keys();
        needed.extend(crate::web::users::NOTICE_KEYS.iter().map(|k| k.to_string()));
        needed.extend(["groups-notice-added", "groups-notice-removed", "users-delete-owns"].map(String::from));
        let mut missing = vec![];
        for lang in Lang::ALL {
            let own: BTreeSet<String> = i18n::message_ids(lang, "admin-people.ftl").into_iter().collect();
            missing.extend(english.symmetric_difference(&own).map(|k| format!("{}: {k}", lang.tag())));
            missing.extend(needed.iter().filter(|k| !i18n::has_message(lang, k)).map(|k| format!("{}: {k}", lang.tag())));
        }
        assert!(missing.is_empty(), "admin-people.ftl keys differ:\n{}", missing.join("\n"));
    }
}
