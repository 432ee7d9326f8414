//! Settings (`/admin/settings`, tenant admins only): the temporary passcode's length for each
//! complexity, the company support contact the portal shows, which self-service actions the
//! portal offers, and the re-authentication window. Saved through `app::tenant::update_settings`
//! (validated there, like `PUT /api/v1/tenant/settings`); a refusal is shown beside the form,
//! with what was typed kept.

use super::i18n::{self, Lang};
use super::labels;
use super::page::{self, Chrome, ErrorView};
use super::principal::AdminUser;
use crate::app::view::ManageTenant;
use crate::auth::RequestId;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::Form;
use pinreset_core::passcode::{length_range, PasscodeStyle};
use pinreset_core::{ActionKind, Detail, SupportContact, TenantSettings};
use serde::Serialize;

#[derive(Serialize)]
struct ActionChoice {
    slug: &'static str,
    label: String,
    offered: bool,
}

#[derive(Serialize)]
struct SettingsPage {
    #[serde(flatten)]
    chrome: Chrome,
    alphanumeric_length: String,
    numeric_length: String,
    alphanumeric_range: (u8, u8),
    numeric_range: (u8, u8),
    contact: SupportContact,
    actions: Vec<ActionChoice>,
    reauth_window_minutes: String,
    error: Option<ErrorView>,
    saved: bool,
}

/// What the form holds: the saved settings, or what was typed when a save was refused.
struct Values {
    alphanumeric_length: String,
    numeric_length: String,
    contact: SupportContact,
    offered: Vec<ActionKind>,
    reauth_window_minutes: String,
}

impl Values {
    fn of(s: &TenantSettings) -> Self {
        Values {
            alphanumeric_length: s.alphanumeric_length.to_string(),
            numeric_length: s.numeric_length.to_string(),
            contact: s.support_contact.clone(),
            offered: s.self_service_actions.clone(),
            reauth_window_minutes: s.reauth_window_minutes.to_string(),
        }
    }

    fn from_form(fields: &[(String, String)]) -> Self {
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
        Values {
            alphanumeric_length: get("alphanumeric_length"),
            numeric_length: get("numeric_length"),
            contact: SupportContact {
                name: get("support_name"),
                phone: get("support_phone"),
                email: get("support_email"),
                web_page: get("support_web_page"),
            },
            offered: ActionKind::ALL.into_iter().filter(|k| fields.iter().any(|(n, v)| n == "offer" && v == k.slug())).collect(),
            reauth_window_minutes: get("reauth_window_minutes"),
        }
    }

    /// The settings to save: these values over the current ones (fields this page does not
    /// show keep their value).
    fn apply(&self, mut s: TenantSettings) -> Result<TenantSettings, Detail> {
        fn number<T: std::str::FromStr>(field: &str, value: &str, min: impl ToString, max: impl ToString) -> Result<T, Detail> {
            value.trim().parse().map_err(|_| Detail::out_of_range(field, min, max))
        }
        let (a, n) = (length_range(PasscodeStyle::Alphanumeric), length_range(PasscodeStyle::Numeric));
        s.alphanumeric_length = number("alphanumeric_length", &self.alphanumeric_length, a.start(), a.end())?;
        s.numeric_length = number("numeric_length", &self.numeric_length, n.start(), n.end())?;
        s.reauth_window_minutes = number("reauth_window_minutes", &self.reauth_window_minutes, 1, 60)?;
        s.support_contact = self.contact.clone();
        s.self_service_actions = self.offered.clone();
        Ok(s)
    }
}

fn render(chrome: Chrome, lang: Lang, v: Values, error: Option<ErrorView>, saved: bool) -> Response {
    let status = page::form_status(error.as_ref());
    let (a, n) = (length_range(PasscodeStyle::Alphanumeric), length_range(PasscodeStyle::Numeric));
    let ctx = SettingsPage {
        chrome,
        alphanumeric_length: v.alphanumeric_length,
        numeric_length: v.numeric_length,
        alphanumeric_range: (*a.start(), *a.end()),
        numeric_range: (*n.start(), *n.end()),
        contact: v.contact,
        actions: ActionKind::ALL
            .into_iter()
            .map(|k| ActionChoice {
                slug: k.slug(),
                label: i18n::text(lang, &labels::action_kind(k), &[]),
                offered: v.offered.contains(&k),
            })
            .collect(),
        reauth_window_minutes: v.reauth_window_minutes,
        error,
        saved,
    };
    page::render(status, "settings.html", ctx)
}

#[derive(serde::Deserialize, Default)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn show(State(state): State<AppState>, user: AdminUser, axum::extract::Query(q): axum::extract::Query<Saved>) -> Response {
    let chrome = user.chrome("settings");
    let view = state.view(user.actor.clone());
    // Tenant admins only: the page changes what every user of the tenant gets.
    if let Err(e) = view.grant::<ManageTenant>() {
        return page::error(&chrome, &e);
    }
    match view.tenant().await {
        Ok(t) => render(chrome, user.lang(), Values::of(&t.settings), None, q.saved.is_some()),
        Err(e) => page::error(&chrome, &e),
    }
}

pub async fn save(
    State(state): State<AppState>,
    user: AdminUser,
    RequestId(rid): RequestId,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let chrome = user.chrome("settings");
    let lang = user.lang();
    let view = state.view(user.actor.clone());
    let grant = match view.grant::<ManageTenant>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    let current = match view.tenant().await {
        Ok(t) => t.settings,
        Err(e) => return page::error(&chrome, &e),
    };
    let values = Values::from_form(&fields);
    let settings = match values.apply(current) {
        Ok(s) => s,
        Err(d) => return render(chrome, lang, values, Some(ErrorView::of(lang, &crate::error::AppError::invalid(d))), false),
    };
    match crate::app::tenant::update_settings(&grant, settings, rid).await {
        Ok(_) => page::see_other("/admin/settings?saved=1"),
        Err(e) => render(chrome, lang, values, Some(ErrorView::of(lang, &e)), false),
    }
}
