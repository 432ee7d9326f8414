//! Tenant administration › Single sign-on (`/admin/tenant/sso`, tenant admins only): the
//! provider set up now (issuer, client id, login claim) and the redirect URI to register at
//! it; a form to set it up or replace it — the client secret is a password field, never
//! filled in — and a button to remove it. The engine (`app::sso`) discovers the issuer
//! before saving; a refusal is shown beside the form with its detail.

use super::page::{self, Chrome, ErrorView};
use super::principal::AdminUser;
use crate::app::sso::{self, SsoInput, SsoView};
use crate::app::view::ManageTenant;
use crate::auth::RequestId;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::Form;
use serde::{Deserialize, Serialize};

const PATH: &str = "/admin/tenant/sso";

#[derive(Serialize)]
struct SsoPage {
    #[serde(flatten)]
    chrome: Chrome,
    current: Option<SsoView>,
    /// The redirect URI to register, shown before anything is set up too.
    redirect_uri: String,
    /// What the form shows: what was typed after a refusal, else the current set-up.
    issuer: String,
    client_id: String,
    login_claim: String,
    error: Option<ErrorView>,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct SsoForm {
    issuer: String,
    client_id: String,
    client_secret: String,
    login_claim: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

struct Typed {
    issuer: String,
    client_id: String,
    login_claim: String,
}

fn render(
    state: &AppState,
    chrome: Chrome,
    current: Option<SsoView>,
    typed: Option<Typed>,
    error: Option<ErrorView>,
    notice: Option<&'static str>,
) -> Response {
    let typed = typed.unwrap_or_else(|| match &current {
        Some(c) => Typed { issuer: c.issuer.clone(), client_id: c.client_id.clone(), login_claim: c.login_claim.clone() },
        None => Typed { issuer: String::new(), client_id: String::new(), login_claim: "email".into() },
    });
    let status = page::form_status(error.as_ref());
    let ctx = SsoPage {
        chrome,
        redirect_uri: format!("{}{}", state.public_url, sso::CALLBACK_PATH),
        current,
        issuer: typed.issuer,
        client_id: typed.client_id,
        login_claim: typed.login_claim,
        error,
        notice,
    };
    page::render(status, "sso_setup.html", ctx)
}

pub async fn show(State(state): State<AppState>, user: AdminUser, axum::extract::Query(q): axum::extract::Query<Done>) -> Response {
    let chrome = user.chrome("tenant");
    let view = state.view(user.actor.clone());
    let grant = match view.grant::<ManageTenant>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    let notice = match q.done.as_deref() {
        Some("saved") => Some("tenantadmin-sso-saved"),
        Some("removed") => Some("tenantadmin-sso-removed"),
        _ => None,
    };
    match sso::show(&grant).await {
        Ok(current) => render(&state, chrome, current, None, None, notice),
        Err(e) => page::error(&chrome, &e),
    }
}

pub async fn configure(State(state): State<AppState>, user: AdminUser, RequestId(rid): RequestId, Form(form): Form<SsoForm>) -> Response {
    let chrome = user.chrome("tenant");
    let lang = user.lang();
    let view = state.view(user.actor.clone());
    let grant = match view.grant::<ManageTenant>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    let login_claim = form.login_claim.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    let typed = Typed {
        issuer: form.issuer.clone(),
        client_id: form.client_id.clone(),
        login_claim: login_claim.clone().unwrap_or_else(|| "email".into()),
    };
    let input = SsoInput { issuer: form.issuer, client_id: form.client_id, client_secret: form.client_secret, login_claim };
    match sso::configure(&grant, input, rid).await {
        Ok(_) => page::see_other(&format!("{PATH}?done=saved")),
        Err(e) => {
            let current = sso::show(&grant).await.ok().flatten();
            render(&state, chrome, current, Some(typed), Some(ErrorView::of(lang, &e)), None)
        }
    }
}

pub async fn remove(State(state): State<AppState>, user: AdminUser, RequestId(rid): RequestId) -> Response {
    let chrome = user.chrome("tenant");
    let view = state.view(user.actor.clone());
    let grant = match view.grant::<ManageTenant>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    match sso::remove(&grant, rid).await {
        Ok(()) => page::see_other(&format!("{PATH}?done=removed")),
        Err(e) => page::error(&chrome, &e),
    }
}
