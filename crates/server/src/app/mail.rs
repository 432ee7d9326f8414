//! E-mail notifications. When a reset, lock or wipe of a device finishes, its owner gets an
//! e-mail through the tenant's SMTP server, if the tenant set one up: the same news as the
//! portal's notification flag, for the person who is not looking at the portal (or whose
//! device was reset by someone else). Best effort: the portal's notifications are the record;
//! a message the mail server does not take after a few tries is logged (by ids) and dropped.
//! A mail never carries a passcode or any other secret — only what happened and a link.

use super::view::{Granted, ManageTenant};
use super::{audit, scope};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::i18n::{self, Lang};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use pinreset_core::{
    ActionKind, ActionState, AuditKind, Detail, DetailCode, ErrorCode, MailSecurity, MailSettings, RemoteAction, Secret, TenantSecret,
};
use pinreset_store::SecretKey;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::ToSchema;

/// How long one attempt may take (connect, TLS, sign-in, hand-over).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// Waits between the tries of one notification; a mail server restarting gets a minute.
const RETRY_WAITS: [Duration; 2] = [Duration::from_secs(5), Duration::from_secs(60)];

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailInput {
    pub host: String,
    /// 465 with `tls`, 587 with `starttls`, 25 with `none`.
    pub port: u16,
    /// `tls`, `starttls` or `none` (only for a relay on the same host or network).
    pub security: String,
    /// The sender, `name@example.com`.
    pub from: String,
    #[serde(default)]
    pub username: Option<String>,
    /// Stored sealed; never shown again. Needs `username`.
    #[serde(default)]
    pub password: Option<String>,
    /// The language notifications are written in: en, ja, zh-TW, sv or it (default en).
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MailView {
    pub host: String,
    pub port: u16,
    pub security: String,
    pub from: String,
    pub username: Option<String>,
    /// Whether a password is stored (it is never shown).
    pub password_set: bool,
    pub language: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailTestInput {
    /// Where the test message goes.
    pub to: String,
}

async fn password(state: &AppState, tenant: pinreset_core::TenantId) -> Result<Option<Secret>, AppError> {
    super::push::secret(state, SecretKey::Tenant(tenant, TenantSecret::SmtpPassword)).await
}

async fn view_of(state: &AppState, tenant: pinreset_core::TenantId, m: &MailSettings) -> Result<MailView, AppError> {
    Ok(MailView {
        host: m.host.clone(),
        port: m.port,
        security: m.security.as_str().into(),
        from: m.from.clone(),
        username: m.username.clone(),
        password_set: password(state, tenant).await?.is_some(),
        language: m.language.clone(),
    })
}

pub async fn show(g: &Granted<'_, ManageTenant>) -> Result<Option<MailView>, AppError> {
    let tenant = scope::tenant_of(g.state, g.actor).await?;
    match &tenant.mail {
        Some(m) => Ok(Some(view_of(g.state, tenant.id, m).await?)),
        None => Ok(None),
    }
}

/// Set up (or replace) the tenant's mail server. Nothing is sent here: `send_test` tries it.
pub async fn configure(g: &Granted<'_, ManageTenant>, input: MailInput, rid: Option<String>) -> Result<MailView, AppError> {
    let (state, actor) = (g.state, g.actor);
    let language = input.language.as_deref().map(str::trim).filter(|l| !l.is_empty()).unwrap_or("en");
    let lang = Lang::from_tag(language).ok_or_else(|| {
        AppError::invalid(Detail::new(
            DetailCode::FieldUnknownValue,
            [("field", "language".into()), ("value", language.into()), ("allowed", "en, ja, zh-TW, sv, it".into())],
        ))
    })?;
    let settings = MailSettings::new(&input.host, input.port, &input.security, &input.from, input.username.as_deref(), lang.tag())
        .map_err(AppError::invalid)?;
    let secret = match input.password.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => {
            pinreset_core::text::check_input("password", p).map_err(AppError::invalid)?;
            if settings.username.is_none() {
                return Err(AppError::invalid(Detail::field(DetailCode::FieldEmpty, "username")));
            }
            Some(Secret::new(p))
        }
        None => None,
    };
    let tenant = scope::tenant_of(state, actor).await?;
    let event = audit::for_tenant(
        state.clock.now(),
        tenant.id,
        audit::by(actor),
        AuditKind::SettingsChanged,
        format!("mail_configured:{}:{}", settings.host, settings.port),
        rid,
    );
    state.store.update_tenant_mail(tenant.id, Some((&settings, secret.as_ref())), &event).await?;
    state.mail_settings.forget(tenant.id);
    view_of(state, tenant.id, &settings).await
}

pub async fn remove(g: &Granted<'_, ManageTenant>, rid: Option<String>) -> Result<(), AppError> {
    let (state, actor) = (g.state, g.actor);
    let tenant = scope::tenant_of(state, actor).await?;
    let event = audit::for_tenant(state.clock.now(), tenant.id, audit::by(actor), AuditKind::SettingsChanged, "mail_removed", rid);
    state.store.update_tenant_mail(tenant.id, None, &event).await?;
    state.mail_settings.forget(tenant.id);
    Ok(())
}

/// Send a test message now, and say what the mail server answered when it refused.
pub async fn send_test(g: &Granted<'_, ManageTenant>, input: MailTestInput) -> Result<(), AppError> {
    let state = g.state;
    let tenant = scope::tenant_of(state, g.actor).await?;
    let settings = tenant.mail.ok_or_else(|| AppError::with_detail(ErrorCode::NotFound, Detail::plain(DetailCode::MailNotSetUp)))?;
    let to = mailbox("to", &input.to)?;
    let lang = Lang::from_tag(&settings.language).unwrap_or(Lang::En);
    let (subject, body) = (i18n::text(lang, "mail-test-subject", &[]), i18n::text(lang, "mail-test-body", &[]));
    let secret = password(state, tenant.id).await?;
    deliver(&settings, secret.as_ref(), to, subject, body)
        .await
        .map_err(|answer| AppError::with_detail(ErrorCode::MailNotSent, Detail::new(DetailCode::MailServerAnswer, [("answer", answer)])))
}

fn mailbox(field: &str, address: &str) -> Result<Mailbox, AppError> {
    address.trim().parse().map_err(|_| AppError::invalid(Detail::field(DetailCode::FieldNotEmail, field)))
}

/// An action reached its end: e-mail the device's owner, in the background, when the action is
/// one people are told about and the tenant has a mail server. Never fails the caller.
pub fn on_finished(state: &AppState, action: &RemoteAction) {
    let told = matches!(action.kind, ActionKind::ResetPasscode | ActionKind::RemoteLock | ActionKind::ResetDevice);
    if !told || !matches!(action.state, ActionState::Succeeded | ActionState::Failed | ActionState::Expired) {
        return;
    }
    let (state, action) = (state.clone(), action.clone());
    tokio::spawn(async move {
        if let Err(e) = notify(&state, &action).await {
            tracing::warn!(action_id = %action.id, error = %e.error_code().code(), "could not prepare the notification e-mail");
        }
    });
}

async fn notify(state: &AppState, action: &RemoteAction) -> Result<(), AppError> {
    let Some(settings) = state.mail_settings.get(state.store.as_ref(), action.tenant_id).await? else { return Ok(()) };
    let Some(device) = state.store.device(action.tenant_id, action.device_id).await? else { return Ok(()) };
    let Some(owner_id) = device.primary_user_id else { return Ok(()) };
    let Some(owner) = state.store.user(action.tenant_id, owner_id).await? else { return Ok(()) };
    let Ok(to) = owner.email.parse::<Mailbox>() else { return Ok(()) };
    let lang = Lang::from_tag(&settings.language).unwrap_or(Lang::En);
    let (subject, body) = notification_text(lang, state, action, &device.name, &owner.display_name);
    let secret = password(state, action.tenant_id).await?;
    for (attempt, wait) in std::iter::once(None).chain(RETRY_WAITS.map(Some)).enumerate() {
        if let Some(wait) = wait {
            tokio::time::sleep(wait).await;
        }
        match deliver(&settings, secret.as_ref(), to.clone(), subject.clone(), body.clone()).await {
            Ok(()) => return Ok(()),
            Err(answer) => tracing::warn!(action_id = %action.id, attempt, %answer, "the mail server did not take a notification"),
        }
    }
    Ok(())
}

/// Every message key a mail is written with (the web tests check each exists in every language).
pub const MESSAGE_KEYS: [&str; 8] = [
    "mail-subject-ok",
    "mail-subject-failed",
    "mail-greeting",
    "mail-open-portal",
    "mail-passcode-in-portal",
    "mail-not-you",
    "mail-test-subject",
    "mail-test-body",
];

/// Subject and plain-text body in the tenant's notification language.
fn notification_text(lang: Lang, state: &AppState, action: &RemoteAction, device: &str, name: &str) -> (String, String) {
    use fluent_bundle::FluentValue;
    let kind = i18n::text(lang, &crate::web::labels::action_kind(action.kind), &[]);
    let ok = action.state == ActionState::Succeeded;
    let args: [(&str, FluentValue<'_>); 2] = [("action", kind.into()), ("device", device.into())];
    let subject = i18n::text(lang, if ok { "mail-subject-ok" } else { "mail-subject-failed" }, &args);
    let what = i18n::text(lang, if ok { "portal-notification-ok" } else { "portal-notification-failed" }, &args);
    let url = format!("{}/portal/devices/{}", state.public_url, action.device_id);
    let mut lines = vec![
        i18n::text(lang, "mail-greeting", &[("name", name.into())]),
        String::new(),
        what,
        i18n::text(lang, "mail-open-portal", &[("url", url.into())]),
    ];
    if ok && action.kind == ActionKind::ResetPasscode {
        lines.push(i18n::text(lang, "mail-passcode-in-portal", &[]));
    }
    lines.extend([String::new(), i18n::text(lang, "mail-not-you", &[])]);
    (subject, lines.join("\n"))
}

/// One attempt to hand a message to the tenant's mail server; the error is the server's answer
/// (or why it could not be reached), never the password.
async fn deliver(settings: &MailSettings, password: Option<&Secret>, to: Mailbox, subject: String, body: String) -> Result<(), String> {
    let from: Mailbox = settings.from.parse().map_err(|e| format!("{e}"))?;
    let message =
        Message::builder().from(from).to(to).subject(subject).header(ContentType::TEXT_PLAIN).body(body).map_err(|e| format!("{e}"))?;
    let builder = match settings.security {
        MailSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host).map_err(|e| format!("{e}"))?,
        MailSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host).map_err(|e| format!("{e}"))?,
        MailSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host),
    };
    let mut builder = builder.port(settings.port).timeout(Some(ATTEMPT_TIMEOUT));
    if let (Some(user), Some(password)) = (&settings.username, password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_string()));
    }
    builder.build().send(message).await.map(|_| ()).map_err(|e| format!("{e}"))
}
