//! Who is using the portal: the web session from the cookie, acting as an end user whatever
//! their role — in the portal everyone sees and acts on only the devices they own, under the
//! self-service rules (the tenant's offered actions, no corporate passcode resets, the step-up).

use super::super::lang;
use super::super::page::{self, Chrome};
use crate::auth::Principal;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use pinreset_core::{Actor, ErrorCode, Role, WebSession};

pub struct PortalUser {
    pub actor: Actor,
    pub session: WebSession,
    pub chrome: Chrome,
}

impl PortalUser {
    pub fn lang(&self) -> super::super::i18n::Lang {
        self.chrome.lang()
    }
    pub fn chrome(&self, nav: &'static str) -> Chrome {
        Chrome { nav, ..self.chrome.clone() }
    }
}

fn path_and_query(parts: &Parts) -> String {
    parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_string(), |pq| pq.as_str().to_string())
}

/// The portal's sign-in page, coming back to `next` afterwards.
pub fn sign_in_href(next: &str) -> String {
    format!("/portal/sign-in?{}", serde_urlencoded::to_string([("next", next)]).unwrap_or_default())
}

impl FromRequestParts<AppState> for PortalUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang::choose(&parts.headers);
        let here = path_and_query(parts);
        let anonymous = Chrome::portal(lang, &here);
        let next = if parts.method.is_safe() { here.clone() } else { "/portal".to_string() };
        let principal = match Principal::from_request_parts(parts, state).await {
            Ok(p) => p,
            Err(e) if e.error_code() == ErrorCode::Unauthenticated => return Err(page::see_other(&sign_in_href(&next))),
            Err(e) => return Err(page::error(&anonymous, &e)),
        };
        let Some(session) = principal.session else { return Err(page::see_other(&sign_in_href(&next))) };
        let actor = Actor { role: Role::EndUser, ..principal.actor };
        let view = state.view(actor.clone());
        let tenant = view.tenant().await.map(|t| t.display_name).ok();
        let user = view.user(actor.user_id).await.ok().flatten().map_or_else(|| actor.login.clone(), |u| u.display_name);
        let unread = crate::app::notifications::list(state, &actor).await.map(|n| n.iter().filter(|n| !n.read).count()).ok();
        let chrome = Chrome {
            user: Some(user),
            tenant,
            csrf: crate::auth::cookie(&parts.headers, super::super::csrf::COOKIE).map(str::to_owned),
            unread,
            ..anonymous
        };
        Ok(PortalUser { actor, session, chrome })
    }
}
