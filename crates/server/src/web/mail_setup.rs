//! Tenant administration › E-mail (`/admin/tenant/mail`, tenant admins only): the SMTP server
//! notification e-mail goes through. The form sets it up or replaces it — the password is a
//! password field, never filled in — a second form sends a test message and shows what the
//! server answered, and a button turns e-mail off. The engine is `app::mail`.

use super::i18n::Lang;
use super::page::{self, Chrome, ErrorView};
use super::principal::AdminUser;
use crate::app::mail::{self, MailInput, MailTestInput, MailView};
use crate::app::view::ManageTenant;
use crate::auth::RequestId;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use serde::{Deserialize, Serialize};

const PATH: &str = "/admin/tenant/mail";
/// The connection securities, in the order offered, with their labels.
const SECURITIES: [(&str, &str); 3] = [
    ("starttls", "tenantadmin-mail-security-starttls"),
    ("tls", "tenantadmin-mail-security-tls"),
    ("none", "tenantadmin-mail-security-none"),
];

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct MailPage {
    #[serde(flatten)]
    chrome: Chrome,
    current: Option<MailView>,
    /// The current set-up's security, in the page's language.
    security_label: String,
    /// What the form shows: what was typed after a refusal, else the current set-up.
    form: Typed,
    securities: Vec<Choice>,
    languages: Vec<Choice>,
    error: Option<ErrorView>,
    /// A refused test message, shown beside the test form.
    test_error: Option<ErrorView>,
    test_to: String,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct MailForm {
    host: String,
    port: String,
    security: String,
    from: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    language: String,
}

#[derive(Deserialize)]
pub struct TestForm {
    to: String,
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

#[derive(Serialize, Default)]
struct Typed {
    host: String,
    port: String,
    security: String,
    from: String,
    username: String,
    language: String,
}

impl Typed {
    fn of(current: Option<&MailView>, lang: Lang) -> Typed {
        match current {
            Some(c) => Typed {
                host: c.host.clone(),
                port: c.port.to_string(),
                security: c.security.clone(),
                from: c.from.clone(),
                username: c.username.clone().unwrap_or_default(),
                language: c.language.clone(),
            },
            // New set-ups: the usual submission port, and the admin's own language.
            None => Typed { port: "587".into(), security: "starttls".into(), language: lang.tag().into(), ..Typed::default() },
        }
    }
}

struct Shown {
    current: Option<MailView>,
    typed: Option<Typed>,
    error: Option<ErrorView>,
    test: Option<(String, ErrorView)>,
    notice: Option<&'static str>,
}

fn render(chrome: Chrome, lang: Lang, shown: Shown) -> Response {
    let form = shown.typed.unwrap_or_else(|| Typed::of(shown.current.as_ref(), lang));
    let t = |k: &str| super::i18n::text(lang, k, &[]);
    let securities = SECURITIES.into_iter().map(|(v, key)| Choice { value: v, label: t(key), selected: v == form.security }).collect();
    let security_label =
        shown.current.as_ref().and_then(|c| SECURITIES.iter().find(|(v, _)| *v == c.security)).map(|(_, key)| t(key)).unwrap_or_default();
    let languages = Lang::ALL
        .into_iter()
        .map(|l| Choice { value: l.tag(), label: l.native_name().into(), selected: l.tag() == form.language })
        .collect();
    let status = page::form_status(shown.error.as_ref().or(shown.test.as_ref().map(|(_, e)| e)));
    let (test_to, test_error) = shown.test.map_or((String::new(), None), |(to, e)| (to, Some(e)));
    let ctx = MailPage {
        chrome,
        current: shown.current,
        security_label,
        form,
        securities,
        languages,
        error: shown.error,
        test_error,
        test_to,
        notice: shown.notice,
    };
    page::render(status, "mail_setup.html", ctx)
}

pub async fn show(State(state): State<AppState>, user: AdminUser, Query(q): Query<Done>) -> Response {
    let (chrome, lang) = (user.chrome("tenant"), user.lang());
    let view = state.view(user.actor.clone());
    let grant = match view.grant::<ManageTenant>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    let notice = match q.done.as_deref() {
        Some("saved") => Some("tenantadmin-mail-saved"),
        Some("removed") => Some("tenantadmin-mail-removed"),
        Some("sent") => Some("tenantadmin-mail-sent"),
        _ => None,
    };
    match mail::show(&grant).await {
        Ok(current) => render(chrome, lang, Shown { current, typed: None, error: None, test: None, notice }),
        Err(e) => page::error(&chrome, &e),
    }
}

pub async fn configure(State(state): State<AppState>, user: AdminUser, RequestId(rid): RequestId, Form(form): Form<MailForm>) -> Response {
    let (chrome, lang) = (user.chrome("tenant"), user.lang());
    let view = state.view(user.actor.clone());
    let grant = match view.grant::<ManageTenant>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    let typed = Typed {
        host: form.host.clone(),
        port: form.port.clone(),
        security: form.security.clone(),
        from: form.from.clone(),
        username: form.username.clone(),
        language: form.language.clone(),
    };
    // A port that is not a number is refused by the engine like port 0, with its range.
    let input = MailInput {
        host: form.host,
        port: form.port.trim().parse().unwrap_or(0),
        security: form.security,
        from: form.from,
        username: Some(form.username),
        password: Some(form.password),
        language: Some(form.language),
    };
    match mail::configure(&grant, input, rid).await {
        Ok(_) => page::see_other(&format!("{PATH}?done=saved")),
        Err(e) => {
            let current = mail::show(&grant).await.ok().flatten();
            render(chrome, lang, Shown { current, typed: Some(typed), error: Some(ErrorView::of(lang, &e)), test: None, notice: None })
        }
    }
}

pub async fn test(State(state): State<AppState>, user: AdminUser, Form(form): Form<TestForm>) -> Response {
    let (chrome, lang) = (user.chrome("tenant"), user.lang());
    let view = state.view(user.actor.clone());
    let grant = match view.grant::<ManageTenant>() {
        Ok(g) => g,
        Err(e) => return page::error(&chrome, &e),
    };
    match mail::send_test(&grant, MailTestInput { to: form.to.clone() }).await {
        Ok(()) => page::see_other(&format!("{PATH}?done=sent")),
        Err(e) => {
            let current = mail::show(&grant).await.ok().flatten();
            let test = Some((form.to, ErrorView::of(lang, &e)));
            render(chrome, lang, Shown { current, typed: None, error: None, test, notice: None })
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
    match mail::remove(&grant, rid).await {
        Ok(()) => page::see_other(&format!("{PATH}?done=removed")),
        Err(e) => page::error(&chrome, &e),
    }
}
