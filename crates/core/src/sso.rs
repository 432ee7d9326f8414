//! Single sign-on by OpenID Connect, per tenant: which provider, as which client, and which
//! claim of the ID token names the pinreset user. The client secret is a sealed tenant secret,
//! never part of these settings.

use crate::detail::{Detail, DetailCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The claim matched against users' logins and emails when the admin names none.
pub const DEFAULT_LOGIN_CLAIM: &str = "email";
const MAX_TEXT: usize = 512;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SsoSettings {
    /// The provider's issuer URL; its discovery document is at
    /// `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// The ID token claim whose value is a user's login or email (e.g. `email`,
    /// `preferred_username`, `upn`).
    pub login_claim: String,
}

impl SsoSettings {
    /// Trimmed and checked: an `https://` issuer (`http://` only on a loopback address), a
    /// client id, a plain claim name.
    pub fn new(issuer: &str, client_id: &str, login_claim: Option<&str>) -> Result<Self, Detail> {
        let issuer = issuer.trim().trim_end_matches('/').to_string();
        let client_id = client_id.trim().to_string();
        let login_claim = login_claim.map(str::trim).filter(|c| !c.is_empty()).unwrap_or(DEFAULT_LOGIN_CLAIM).to_string();
        for (field, value) in [("issuer", &issuer), ("client_id", &client_id), ("login_claim", &login_claim)] {
            crate::text::check_name(field, value)?;
            if value.is_empty() {
                return Err(Detail::field(DetailCode::FieldEmpty, field));
            }
            if value.chars().count() > MAX_TEXT {
                return Err(Detail::too_long(field, MAX_TEXT));
            }
        }
        if !issuer_is_allowed(&issuer) {
            return Err(Detail::new(DetailCode::SsoIssuerNotHttps, [("issuer", issuer)]));
        }
        if !login_claim.chars().all(|c| c.is_ascii_alphanumeric() || "_.:-".contains(c)) {
            return Err(Detail::new(DetailCode::SsoClaimName, [("claim", login_claim)]));
        }
        Ok(SsoSettings { issuer, client_id, login_claim })
    }
}

/// `https://host…`, or `http://` to a loopback host (a provider on the same machine, for local
/// development and tests): anything else would send the authorization code in clear.
pub fn issuer_is_allowed(issuer: &str) -> bool {
    if let Some(rest) = issuer.strip_prefix("https://") {
        return !host_of(rest).is_empty();
    }
    match issuer.strip_prefix("http://") {
        Some(rest) => {
            let host = host_of(rest);
            host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        None => false,
    }
}

/// The host of `host[:port][/path]`, without IPv6 brackets.
fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return ""; // user info in an issuer is never legitimate
    }
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    authority.split(':').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_must_be_https_except_on_loopback() {
        for ok in [
            "https://login.contoso.com",
            "https://idp.example/realms/x",
            "http://127.0.0.1:8080",
            "http://localhost:3000/",
            "http://[::1]:9000",
        ] {
            assert!(SsoSettings::new(ok, "pinreset", None).is_ok(), "{ok}");
        }
        for bad in [
            "http://login.contoso.com",
            "http://10.0.0.5",
            "ftp://x",
            "login.contoso.com",
            "https://",
            "http://127.0.0.1@evil.example",
            "https://user@idp.example",
        ] {
            let e = SsoSettings::new(bad, "pinreset", None).unwrap_err();
            assert_eq!(e.code, DetailCode::SsoIssuerNotHttps, "{bad}");
        }
    }

    #[test]
    fn fields_are_trimmed_checked_and_the_claim_defaults_to_email() {
        let s = SsoSettings::new(" https://idp.example/ ", " app ", Some(" ")).unwrap();
        assert_eq!((s.issuer.as_str(), s.client_id.as_str(), s.login_claim.as_str()), ("https://idp.example", "app", "email"));
        assert_eq!(SsoSettings::new("https://idp.example", " ", None).unwrap_err().code, DetailCode::FieldEmpty);
        assert_eq!(SsoSettings::new("https://idp.example", "a", Some("given name")).unwrap_err().code, DetailCode::SsoClaimName);
        assert_eq!(SsoSettings::new("https://idp.example", "a\u{202E}b", None).unwrap_err().code, DetailCode::FieldHasControl);
    }
}
