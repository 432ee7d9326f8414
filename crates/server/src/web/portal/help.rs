//! Getting help and adding a device: the company's support contact (from the tenant's
//! settings), and how to enroll a device — the Apple enrollment profile for the signed-in user
//! and the Windows "Access work or school" steps with this server's address.

use super::super::page::{self, Chrome};
use super::user::PortalUser;
use crate::auth::RequestId;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use pinreset_core::SupportContact;
use serde::Serialize;

#[derive(Serialize)]
struct SupportPage {
    #[serde(flatten)]
    chrome: Chrome,
    contact: SupportContact,
    /// `tel:` form of the phone number (digits and a leading +).
    tel: String,
    /// Nothing set up yet: say whom to ask instead.
    empty: bool,
}

pub async fn support(State(state): State<AppState>, user: PortalUser) -> Response {
    let contact = match state.view(user.actor.clone()).tenant().await {
        Ok(t) => t.settings.support_contact,
        Err(e) => return page::error(&user.chrome, &e),
    };
    let tel: String = contact.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    let empty = [&contact.name, &contact.phone, &contact.email, &contact.web_page].iter().all(|v| v.trim().is_empty());
    page::render(StatusCode::OK, "portal_support.html", SupportPage { chrome: user.chrome("support"), contact, tel, empty })
}

#[derive(Serialize)]
struct EnrollPage {
    #[serde(flatten)]
    chrome: Chrome,
    server: String,
    email: String,
}

pub async fn enroll(State(state): State<AppState>, user: PortalUser) -> Response {
    let email = match state.view(user.actor.clone()).user(user.actor.user_id).await {
        Ok(u) => u.map(|u| u.email).unwrap_or_default(),
        Err(e) => return page::error(&user.chrome, &e),
    };
    // Windows asks for the server's host name ("Access work or school" > Enroll only in device
    // management) when discovery by the email's domain is not set up.
    let server = state.public_url.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_string();
    page::render(StatusCode::OK, "portal_enroll.html", EnrollPage { chrome: user.chrome("enroll"), server, email })
}

/// POST: the signed-in user's own Apple enrollment profile (audited as issued).
pub async fn apple_profile(State(state): State<AppState>, RequestId(rid): RequestId, user: PortalUser) -> Response {
    match crate::app::enrollment_profile::issue_own(&state, &user.actor, rid).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/x-apple-aspen-config"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"pinreset-enrollment.mobileconfig\""),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => page::error(&user.chrome, &e),
    }
}
