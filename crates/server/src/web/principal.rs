//! Who is using the admin center: the web session from the cookie (an API token does not open
//! pages), a role that sees the whole tenant (end users have the portal, not this), and the
//! page frame for them. Anyone else gets a page: the sign-in form, or "forbidden".

use super::csrf;
use super::i18n::Lang;
use super::lang;
use super::page::{self, Chrome};
use crate::app::view::ReadAllDevices;
use crate::auth::Principal;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use pinreset_core::{Actor, ErrorCode, WebSession};

/// A signed-in admin center user (tenant admin, help desk, read-only).
pub struct AdminUser {
    pub actor: Actor,
    pub session: WebSession,
    pub chrome: Chrome,
}

impl AdminUser {
    pub fn lang(&self) -> Lang {
        self.chrome.lang()
    }
    /// The frame with this page's navigation entry highlighted.
    pub fn chrome(&self, nav: &'static str) -> Chrome {
        Chrome { nav, ..self.chrome.clone() }
    }
}

/// Where the sign-in form sends the user back to: only paths of the admin center and the
/// portal, so the parameter cannot send anyone to another site.
pub fn safe_next(next: &str) -> Option<&str> {
    let door = next.starts_with("/admin") || next.starts_with("/portal");
    let ok = door && !next.starts_with("//") && !next.contains('\\') && !next.contains("://");
    ok.then_some(next)
}

fn path_and_query(parts: &Parts) -> String {
    parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_string(), |pq| pq.as_str().to_string())
}

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang::choose(&parts.headers);
        let here = path_and_query(parts);
        let anonymous = Chrome::anonymous(lang, &here);
        let safe = parts.method.is_safe();
        let to_sign_in = || {
            let next = if safe { here.clone() } else { "/admin/devices".to_string() };
            let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
            page::see_other(&format!("/admin/sign-in?{query}"))
        };
        let principal = match Principal::from_request_parts(parts, state).await {
            Ok(p) => p,
            Err(e) if e.error_code() == ErrorCode::Unauthenticated => return Err(to_sign_in()),
            Err(e) => return Err(page::error(&anonymous, &e)),
        };
        let Some(session) = principal.session else { return Err(to_sign_in()) };
        let view = state.view(principal.actor.clone());
        if let Err(e) = view.grant::<ReadAllDevices>() {
            return Err(page::error(&anonymous, &e));
        }
        let tenant = view.tenant().await.map(|t| t.display_name).ok();
        let user =
            view.user(principal.actor.user_id).await.ok().flatten().map_or_else(|| principal.actor.login.clone(), |u| u.display_name);
        let chrome = Chrome {
            user: Some(user),
            role: Some(super::i18n::text(lang, &super::labels::role(principal.actor.role), &[])),
            tenant,
            csrf: crate::auth::cookie(&parts.headers, csrf::COOKIE).map(str::to_owned),
            ..anonymous
        };
        Ok(AdminUser { actor: principal.actor, session, chrome })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_inside_the_admin_center() {
        use super::safe_next;
        assert_eq!(safe_next("/admin/devices?search=x"), Some("/admin/devices?search=x"));
        for bad in ["https://evil.example/admin", "//evil.example", "/admin\\@evil", "/api/v1/devices", ""] {
            assert_eq!(safe_next(bad), None, "{bad}");
        }
    }
}
