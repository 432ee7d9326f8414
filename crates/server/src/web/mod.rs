//! The admin center: server-rendered pages under `/admin` (and their assets under `/static`)
//! for the people who run the tenant. A door like the REST API: each handler gets its user
//! from the session cookie (`principal.rs`), asks the engine for that user's view and renders
//! what the view returns — never the store. Pages work without JavaScript; `admin.js` only
//! makes them nicer.
//!
//! One job per file: `i18n` (Fluent bundles), `lang` (a request's language), `templates`
//! (minijinja and `t()`), `labels` (engine enums → message keys), `page` (frame, responses,
//! errors), `security` (headers), `csrf` (form tokens), `principal` (who is signed in),
//! `sign_in`, `sso` (single sign-on), `devices`, `device`, `actions`, `catalogue`, `assets`;
//! `users`, `tokens`, `groups` (Users & groups), `roles` (what each role may do), `people`
//! (what those three share).
//! `home`, `actions_monitor`, `readiness`, `audit` (the monitoring pages);
//! `tenant_admin` (PIN reset consent, enterprise applications), `sso_setup`, `settings`,
//! `profiles`. The self-service portal (`portal/`) shares the frame, languages and sessions.

pub mod actions;
pub mod actions_monitor;
pub mod assets;
pub mod audit;
pub mod catalogue;
pub mod csrf;
pub mod device;
pub mod devices;
pub mod groups;
pub mod home;
pub mod i18n;
pub mod labels;
pub mod lang;
pub mod mail_setup;
pub mod page;
pub mod people;
pub mod portal;
pub mod principal;
pub mod profiles;
pub mod readiness;
pub mod roles;
pub mod security;
pub mod settings;
pub mod sign_in;
pub mod sso;
pub mod sso_setup;
pub mod templates;
pub mod tenant_admin;
pub mod tokens;
pub mod users;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    let admin = Router::new()
        .route("/admin", get(home::show))
        .route("/admin/actions", get(actions_monitor::list))
        .route("/admin/readiness", get(readiness::show))
        .route("/admin/readiness.csv", get(readiness::csv))
        .route("/admin/audit", get(audit::list))
        .route("/admin/audit.csv", get(audit::csv))
        .route("/admin/audit.jsonl", get(audit::jsonl))
        .route("/admin/sign-in", get(sign_in::show).post(sign_in::submit))
        .route("/admin/sign-out", post(sign_in::sign_out))
        .route("/admin/language", get(sign_in::switch_language))
        .route("/admin/errors", get(catalogue::show))
        .route("/admin/devices", get(devices::list))
        .route("/admin/devices/{id}", get(device::show))
        .route("/admin/devices/{id}/sync", post(actions::sync))
        .route("/admin/devices/{id}/actions/{action}/confirm", get(actions::confirm))
        .route("/admin/devices/{id}/actions/{action}", post(actions::request))
        .route("/admin/actions/{id}/passcode", post(device::reveal))
        .route("/admin/users", get(users::list).post(users::create))
        .route("/admin/users/new", get(users::new_form))
        .route("/admin/users/{id}", get(users::show).post(users::update))
        .route("/admin/users/{id}/status", post(users::set_status))
        .route("/admin/users/{id}/password", post(users::set_password))
        .route("/admin/users/{id}/delete", get(users::delete_confirm).post(users::delete))
        .route("/admin/users/{id}/tokens", post(tokens::create))
        .route("/admin/users/{id}/tokens/{token}/revoke", post(tokens::revoke))
        .route("/admin/groups", get(groups::list).post(groups::create))
        .route("/admin/groups/{id}", get(groups::show))
        .route("/admin/groups/{id}/members", post(groups::add_member))
        .route("/admin/groups/{id}/members/{member}/remove", post(groups::remove_member))
        .route("/admin/tenant/pin-reset", get(tenant_admin::consent))
        .route("/admin/tenant/pin-reset/accept", post(tenant_admin::accept))
        .route("/admin/tenant/pin-reset/revoke", post(tenant_admin::revoke))
        .route("/admin/tenant/applications", get(tenant_admin::applications))
        .route("/admin/tenant/sso", get(sso_setup::show).post(sso_setup::configure))
        .route("/admin/tenant/sso/remove", post(sso_setup::remove))
        .route("/admin/tenant/mail", get(mail_setup::show).post(mail_setup::configure))
        .route("/admin/tenant/mail/test", post(mail_setup::test))
        .route("/admin/tenant/mail/remove", post(mail_setup::remove))
        .route("/admin/settings", get(settings::show).post(settings::save))
        .route("/admin/profiles", get(profiles::list))
        .route("/admin/profiles/new", get(profiles::new).post(profiles::create))
        .route("/admin/profiles/{id}", get(profiles::show))
        .route("/admin/profiles/{id}/edit", get(profiles::edit).post(profiles::update))
        .route("/admin/profiles/{id}/assignments", post(profiles::assign))
        .route("/auth/oidc/start", get(sso::start))
        .route(crate::app::sso::CALLBACK_PATH, get(sso::callback))
        .merge(portal::routes())
        .layer(axum::middleware::from_fn(csrf::form_token_to_header))
        .layer(axum::middleware::from_fn(security::page_headers));
    let assets = Router::new()
        .route("/static/admin.css", get(assets::css))
        .route("/static/admin.js", get(assets::js))
        .route("/static/portal.css", get(assets::portal_css))
        .layer(axum::middleware::from_fn(security::asset_headers));
    admin.merge(assets)
}

#[cfg(test)]
mod tests;
