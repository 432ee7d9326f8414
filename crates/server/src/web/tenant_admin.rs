//! Tenant administration › PIN reset service and › Enterprise applications: the consent page
//! names the two applications Windows passcode reset relies on and what each may do; a tenant
//! admin accepts it (or revokes it) through the engine (`app::tenant::set_pin_reset_consent`,
//! audited), and Enterprise applications lists them as enabled with who consented and when.

use super::devices::when;
use super::page::{self, Chrome};
use super::principal::AdminUser;
use crate::app::view::ManageTenant;
use crate::auth::RequestId;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

/// Where a refusal `tenant_not_onboarded` sends an admin.
pub const CONSENT_PATH: &str = "/admin/tenant/pin-reset";
const APPLICATIONS_PATH: &str = "/admin/tenant/applications";

/// One of the two applications: its message keys (name, what it does, each permission).
#[derive(Serialize)]
struct App {
    id: &'static str,
    name: &'static str,
    about: &'static str,
    permissions: &'static [&'static str],
}

const APPS: [App; 2] = [
    App {
        id: "pin-reset-service",
        name: "tenantadmin-app-service",
        about: "tenantadmin-app-service-about",
        permissions: &["tenantadmin-perm-service-signin", "tenantadmin-perm-service-reset", "tenantadmin-perm-service-directory"],
    },
    App {
        id: "pin-reset-client",
        name: "tenantadmin-app-client",
        about: "tenantadmin-app-client-about",
        permissions: &["tenantadmin-perm-client-signin", "tenantadmin-perm-client-service"],
    },
];

#[derive(Serialize)]
struct Consent {
    by: String,
    at: String,
}

#[derive(Serialize)]
struct ConsentPage {
    #[serde(flatten)]
    chrome: Chrome,
    apps: &'static [App],
    consented: bool,
    consent: Option<Consent>,
    /// Only a tenant admin sees Accept / Revoke (the engine refuses anyone else anyway).
    may_manage: bool,
    notice: Option<&'static str>,
}

#[derive(serde::Deserialize, Default)]
pub struct Notice {
    done: Option<String>,
}

async fn consent_state(state: &AppState, user: &AdminUser) -> Result<(bool, Option<Consent>), crate::error::AppError> {
    let tenant = state.view(user.actor.clone()).tenant().await?;
    let record = tenant.settings.pin_reset_consent.map(|c| Consent { by: c.by, at: when(c.at) });
    Ok((tenant.settings.pin_reset_consented, record))
}

pub async fn consent(State(state): State<AppState>, user: AdminUser, axum::extract::Query(q): axum::extract::Query<Notice>) -> Response {
    let chrome = user.chrome("tenant");
    let (consented, consent) = match consent_state(&state, &user).await {
        Ok(c) => c,
        Err(e) => return page::error(&chrome, &e),
    };
    let notice = match q.done.as_deref() {
        Some("revoked") => Some("tenantadmin-consent-revoked-notice"),
        _ => None,
    };
    let may_manage = state.view(user.actor.clone()).grant::<ManageTenant>().is_ok();
    page::render(StatusCode::OK, "tenant_consent.html", ConsentPage { chrome, apps: &APPS, consented, consent, may_manage, notice })
}

async fn set(state: AppState, user: AdminUser, rid: Option<String>, granted: bool) -> Response {
    let chrome = user.chrome("tenant");
    let view = state.view(user.actor.clone());
    let grant = match view.grant::<ManageTenant>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    match crate::app::tenant::set_pin_reset_consent(&grant, granted, rid).await {
        Ok(_) if granted => page::see_other(&format!("{APPLICATIONS_PATH}?done=accepted")),
        Ok(_) => page::see_other(&format!("{CONSENT_PATH}?done=revoked")),
        Err(e) => page::error(&chrome, &e),
    }
}

pub async fn accept(State(state): State<AppState>, user: AdminUser, RequestId(rid): RequestId) -> Response {
    set(state, user, rid, true).await
}

pub async fn revoke(State(state): State<AppState>, user: AdminUser, RequestId(rid): RequestId) -> Response {
    set(state, user, rid, false).await
}

#[derive(Serialize)]
struct AppRow {
    id: &'static str,
    name: &'static str,
    enabled: bool,
}

#[derive(Serialize)]
struct ApplicationsPage {
    #[serde(flatten)]
    chrome: Chrome,
    apps: Vec<AppRow>,
    consent: Option<Consent>,
    notice: Option<&'static str>,
}

pub async fn applications(
    State(state): State<AppState>,
    user: AdminUser,
    axum::extract::Query(q): axum::extract::Query<Notice>,
) -> Response {
    let chrome = user.chrome("tenant");
    let (consented, consent) = match consent_state(&state, &user).await {
        Ok(c) => c,
        Err(e) => return page::error(&chrome, &e),
    };
    let apps = APPS.iter().map(|a| AppRow { id: a.id, name: a.name, enabled: consented }).collect();
    let notice = (q.done.as_deref() == Some("accepted")).then_some("tenantadmin-consent-accepted-notice");
    page::render(StatusCode::OK, "tenant_apps.html", ApplicationsPage { chrome, apps, consent: consent.filter(|_| consented), notice })
}

/// Every message key this file names (for the key test).
pub fn keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> =
        APPS.iter().flat_map(|a| [a.name, a.about].into_iter().chain(a.permissions.iter().copied())).collect();
    keys.extend(["tenantadmin-consent-revoked-notice", "tenantadmin-consent-accepted-notice"]);
    keys
}

#[cfg(test)]
mod tests {
    use super::super::i18n::{self, Lang};

    /// The keys these pages build at run time, and every key of their message file, exist in
    /// every language (the shared key test covers the templates' literal keys).
    #[test]
    fn tenant_admin_keys_exist_in_every_language() {
        let mut keys: Vec<String> = super::keys().into_iter().map(String::from).collect();
        keys.extend(super::super::profiles::keys());
        keys.extend(i18n::message_ids(Lang::En, "admin-tenantadmin.ftl"));
        assert!(keys.len() > 100, "the English file is read");
        let mut missing = vec![];
        for lang in Lang::ALL {
            for key in &keys {
                if !i18n::has_message(lang, key) {
                    missing.push(format!("{}: {key}", lang.tag()));
                }
            }
            for key in i18n::message_ids(lang, "admin-tenantadmin.ftl") {
                if !keys.contains(&key) {
                    missing.push(format!("{} has {key}, English does not", lang.tag()));
                }
            }
        }
        assert!(missing.is_empty(), "{missing:#?}");
    }
}
