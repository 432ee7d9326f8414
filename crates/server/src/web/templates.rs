//! The page templates (minijinja, compiled into the binary, HTML autoescaped) and the `t()`
//! function through which every template text is translated.

use super::i18n::{self, Lang};
use fluent_bundle::FluentValue;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, State};
use std::sync::LazyLock;

/// Every template, by name. The key test scans these same sources for `t("…")`.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../../templates/layout.html")),
    ("sign_in.html", include_str!("../../templates/sign_in.html")),
    ("devices.html", include_str!("../../templates/devices.html")),
    ("device.html", include_str!("../../templates/device.html")),
    ("confirm.html", include_str!("../../templates/confirm.html")),
    ("problem.html", include_str!("../../templates/problem.html")),
    ("errors.html", include_str!("../../templates/errors.html")),
    ("people_tabs.html", include_str!("../../templates/people_tabs.html")),
    ("roles.html", include_str!("../../templates/roles.html")),
    ("users.html", include_str!("../../templates/users.html")),
    ("user_new.html", include_str!("../../templates/user_new.html")),
    ("user.html", include_str!("../../templates/user.html")),
    ("user_delete.html", include_str!("../../templates/user_delete.html")),
    ("token.html", include_str!("../../templates/token.html")),
    ("groups.html", include_str!("../../templates/groups.html")),
    ("group.html", include_str!("../../templates/group.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("actions_monitor.html", include_str!("../../templates/actions_monitor.html")),
    ("readiness.html", include_str!("../../templates/readiness.html")),
    ("readiness_bars.html", include_str!("../../templates/readiness_bars.html")),
    ("audit.html", include_str!("../../templates/audit.html")),
    ("tenant_consent.html", include_str!("../../templates/tenant_consent.html")),
    ("tenant_apps.html", include_str!("../../templates/tenant_apps.html")),
    ("sso_setup.html", include_str!("../../templates/sso_setup.html")),
    ("mail_setup.html", include_str!("../../templates/mail_setup.html")),
    ("tenant_tabs.html", include_str!("../../templates/tenant_tabs.html")),
    ("error_alert.html", include_str!("../../templates/error_alert.html")),
    ("settings.html", include_str!("../../templates/settings.html")),
    ("profiles.html", include_str!("../../templates/profiles.html")),
    ("profile_form.html", include_str!("../../templates/profile_form.html")),
    ("profile.html", include_str!("../../templates/profile.html")),
    ("portal_layout.html", include_str!("../../templates/portal_layout.html")),
    ("portal_icon.html", include_str!("../../templates/portal_icon.html")),
    ("portal_sign_in.html", include_str!("../../templates/portal_sign_in.html")),
    ("portal_devices.html", include_str!("../../templates/portal_devices.html")),
    ("portal_device.html", include_str!("../../templates/portal_device.html")),
    ("portal_confirm.html", include_str!("../../templates/portal_confirm.html")),
    ("portal_step_up.html", include_str!("../../templates/portal_step_up.html")),
    ("portal_notifications.html", include_str!("../../templates/portal_notifications.html")),
    ("portal_support.html", include_str!("../../templates/portal_support.html")),
    ("portal_enroll.html", include_str!("../../templates/portal_enroll.html")),
];

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // Names end in .html, which minijinja autoescapes; said again so a rename cannot undo it.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source).unwrap_or_else(|e| panic!("template {name}: {e}"));
    }
    env.add_function("t", translate);
    env
});

/// `t("key", name=value, …)`: the text of `key` in the page's language (the `lang` variable
/// every page context carries).
fn translate(state: &State, key: &str, kwargs: Kwargs) -> Result<String, Error> {
    let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(Lang::from_tag)).unwrap_or(Lang::En);
    let mut args: Vec<(&str, FluentValue<'_>)> = vec![];
    for name in kwargs.args() {
        let v: Value = kwargs.get(name)?;
        let value = match v.as_i64() {
            Some(n) => FluentValue::from(n),
            None => FluentValue::from(v.to_string()),
        };
        args.push((name, value));
    }
    Ok(i18n::text(lang, key, &args))
}

/// Render a template with a serializable context (which must carry `lang`).
pub fn render(name: &str, ctx: impl serde::Serialize) -> Result<String, Error> {
    ENV.get_template(name)?.render(ctx)
}

/// A template error is a bug (templates are compiled in): say so in the log, not to the user.
pub fn render_or_log(name: &str, ctx: impl serde::Serialize) -> Option<String> {
    match render(name, ctx) {
        Ok(html) => Some(html),
        Err(e) => {
            tracing::error!(template = name, error = %e, kind = ?e.kind(), "template failed to render");
            None
        }
    }
}
