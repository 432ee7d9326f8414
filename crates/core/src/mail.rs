//! E-mail notifications, per tenant: the SMTP server pinreset hands its notifications to, how it
//! connects, and the sender address. The password (when the server wants one) is a sealed
//! tenant secret, never part of these settings.

use crate::detail::{Detail, DetailCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const MAX_TEXT: usize = 320;

crate::string_enum::string_enum! {
    /// How the connection to the SMTP server is protected.
    pub enum MailSecurity {
        /// TLS from the first byte (port 465).
        Tls = "tls",
        /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
        StartTls = "starttls",
        /// No TLS at all: only for a relay on the same host or network (port 25).
        None = "none",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    #[schema(value_type = String)]
    pub security: MailSecurity,
    /// The sender, `name@example.com`.
    pub from: String,
    /// The SMTP login, when the server asks for one.
    #[serde(default)]
    pub username: Option<String>,
    /// The language notifications are written in (a tag the server knows, e.g. `ja`).
    #[serde(default = "english")]
    pub language: String,
}

fn english() -> String {
    "en".into()
}

impl MailSettings {
    /// Trimmed and checked: a host name without spaces, a port, a known security, an address.
    /// The language tag is the server's to check (it knows its languages).
    pub fn new(host: &str, port: u16, security: &str, from: &str, username: Option<&str>, language: &str) -> Result<Self, Detail> {
        let host = host.trim().to_string();
        let from = from.trim().to_string();
        let username = username.map(str::trim).filter(|u| !u.is_empty()).map(str::to_string);
        for (field, value) in [("host", &host), ("from", &from)].into_iter().chain(username.as_ref().map(|u| ("username", u))) {
            crate::text::check_name(field, value)?;
            if value.is_empty() {
                return Err(Detail::field(DetailCode::FieldEmpty, field));
            }
            if value.chars().count() > MAX_TEXT {
                return Err(Detail::too_long(field, MAX_TEXT));
            }
        }
        if host.chars().any(|c| c.is_whitespace() || "/@:".contains(c)) {
            return Err(Detail::field(DetailCode::FieldNotHost, "host"));
        }
        if port == 0 {
            return Err(Detail::out_of_range("port", 1, u16::MAX));
        }
        let security = MailSecurity::parse(security.trim()).ok_or_else(|| {
            Detail::new(
                DetailCode::FieldUnknownValue,
                [("field", "security".into()), ("value", security.into()), ("allowed", "tls, starttls, none".into())],
            )
        })?;
        if !crate::text::is_email(&from) {
            return Err(Detail::field(DetailCode::FieldNotEmail, "from"));
        }
        Ok(MailSettings { host, port, security, from, username, language: language.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_field_by_field() {
        let ok = MailSettings::new(" smtp.example.com ", 587, "starttls", "pinreset@example.com", Some(" "), "en").unwrap();
        assert_eq!((ok.host.as_str(), ok.security, ok.username), ("smtp.example.com", MailSecurity::StartTls, None));
        let code = |r: Result<MailSettings, Detail>| r.unwrap_err().code;
        assert_eq!(code(MailSettings::new("", 25, "none", "a@b", None, "en")), DetailCode::FieldEmpty);
        assert_eq!(code(MailSettings::new("smtp example", 25, "none", "a@b", None, "en")), DetailCode::FieldNotHost);
        assert_eq!(code(MailSettings::new("smtp", 0, "none", "a@b", None, "en")), DetailCode::FieldOutOfRange);
        assert_eq!(code(MailSettings::new("smtp", 25, "ssl", "a@b", None, "en")), DetailCode::FieldUnknownValue);
        assert_eq!(code(MailSettings::new("smtp", 25, "none", "pinreset", None, "en")), DetailCode::FieldNotEmail);
        assert_eq!(code(MailSettings::new("smtp", 25, "none", "a@b", Some("x\u{7}"), "en")), DetailCode::FieldHasControl);
    }
}
