//! Which language a request's page is in: the `lang` cookie the switcher sets (remembered a
//! year), else the browser's `Accept-Language`, else English.

use super::i18n::Lang;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use unic_langid::LanguageIdentifier;

pub const LANG_COOKIE: &str = "lang";
const ONE_YEAR_SECS: u32 = 365 * 24 * 60 * 60;

/// The language of this request's page.
#[derive(Clone, Copy, Debug)]
pub struct PageLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PageLang(choose(&parts.headers)))
    }
}

pub fn choose(headers: &HeaderMap) -> Lang {
    if let Some(lang) = crate::auth::cookie(headers, LANG_COOKIE).and_then(Lang::from_tag) {
        return lang;
    }
    let accepted = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    negotiate(accepted)
}

/// The best of our languages for an `Accept-Language` value (`zh-Hant`, `zh` and `zh-TW` all
/// get Traditional Chinese: it is the only Chinese we have).
pub fn negotiate(accept_language: &str) -> Lang {
    let requested = fluent_langneg::accepted_languages::parse(accept_language);
    let available: Vec<LanguageIdentifier> = Lang::ALL.iter().map(|l| l.tag().parse().expect("valid tags")).collect();
    let default: LanguageIdentifier = Lang::En.tag().parse().expect("valid tag");
    let chosen = negotiate_languages(&requested, &available, Some(&default), NegotiationStrategy::Filtering);
    chosen.first().and_then(|id| Lang::from_tag(&id.to_string())).unwrap_or(Lang::En)
}

/// `Set-Cookie` remembering the chosen language for a year. Not a secret; readable by
/// scripts is fine, but it is still sent only over TLS.
pub fn remember(lang: Lang) -> HeaderValue {
    HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; Max-Age={ONE_YEAR_SECS}; Secure; SameSite=Lax", lang.tag()))
        .expect("language tags are header-safe")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(negotiate("ja-JP,ja;q=0.9,en;q=0.8"), Lang::Ja);
        assert_eq!(negotiate("zh-TW"), Lang::ZhTw);
        assert_eq!(negotiate("zh-Hant, en;q=0.5"), Lang::ZhTw);
        assert_eq!(negotiate("zh"), Lang::ZhTw);
        assert_eq!(negotiate("sv-SE, en;q=0.5"), Lang::Sv);
        assert_eq!(negotiate("it"), Lang::It);
        assert_eq!(negotiate("de-DE, fr;q=0.9"), Lang::En);
        assert_eq!(negotiate(""), Lang::En);
    }

    #[test]
    fn the_cookie_wins_over_accept_language() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("ja"));
        h.insert(header::COOKIE, HeaderValue::from_static("pinreset_session=x; lang=sv"));
        assert_eq!(choose(&h), Lang::Sv);
        h.insert(header::COOKIE, HeaderValue::from_static("lang=klingon"));
        assert_eq!(choose(&h), Lang::Ja);
    }
}
