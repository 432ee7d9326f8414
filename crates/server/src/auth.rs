//! Bearer API tokens. A token is shown once at creation; the store keeps only its SHA-256
//! (tokens are 256-bit random, so a fast hash is enough — no password stretching needed).

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use pinreset_core::{Actor, Detail, DetailCode, ErrorCode, WebSession};
use rand::RngCore;
use sha2::{Digest, Sha256};

const TOKEN_PREFIX: &str = "prt_";

/// A new random token and the hash to store for it.
pub fn new_api_token() -> (String, String) {
    let token = random_token(TOKEN_PREFIX);
    let hash = token_hash(&token);
    (token, hash)
}

/// 256 random bits, URL-safe, after a prefix that says what the token is for.
pub fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hash a password for storage (argon2id, PHC string).
pub fn hash_password(password: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2::Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 with default params").to_string()
}

/// Check a password against its stored argon2 hash (constant time inside argon2).
pub fn verify_password(password: &str, phc: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(phc).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// The cookie carrying a web session's token (`Secure; HttpOnly; SameSite=Lax`).
pub const SESSION_COOKIE: &str = "pinreset_session";
/// State-changing requests made with the session cookie must carry the session's CSRF token
/// in this header (a page from another site can make the browser send the cookie, never this).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Who is calling and how: an API token (`Authorization: Bearer`) or a web session cookie.
/// Every door (REST API, admin center, portal) gets its actor from here.
pub struct Principal {
    pub actor: Actor,
    /// The web session, when the caller came with the cookie.
    pub session: Option<WebSession>,
}

/// The authenticated caller of an API request (either way in).
pub struct Authenticated(pub Actor);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Authenticated(Principal::from_request_parts(parts, state).await?.actor))
    }
}

/// The value of one cookie in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The actor of a user: by an API token (`session: None`), or by a web session, whose sign-in
/// time and id the step-up rule reads.
fn actor_of(user: pinreset_core::User, session: Option<&pinreset_core::WebSession>, parts: &Parts) -> Actor {
    // The address as connected (not the sign-in throttle's /64 key): the audit names the host.
    let client = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| match c.0.ip() {
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(std::net::IpAddr::V6(v6), std::net::IpAddr::V4),
        v4 => v4,
    });
    Actor {
        tenant_id: user.tenant_id,
        user_id: user.id,
        role: user.role,
        login: user.login,
        authenticated_at: session.map(|s| s.authenticated_at),
        session_id: session.map(|s| s.id),
        client,
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let token = header
                .to_str()
                .ok()
                .and_then(|h| h.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| AppError::with_detail(ErrorCode::Unauthenticated, Detail::plain(DetailCode::BearerFormat)))?;
            let owner = state
                .store
                .user_by_api_token(&token_hash(token))
                .await?
                .ok_or_else(|| AppError::with_detail(ErrorCode::Unauthenticated, Detail::plain(DetailCode::TokenNotValid)))?;
            return Ok(Principal { actor: actor_of(owner.user, None, parts), session: None });
        }
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(AppError::with_detail(ErrorCode::Unauthenticated, Detail::plain(DetailCode::CredentialsMissing)));
        };
        let expired = || AppError::with_detail(ErrorCode::Unauthenticated, Detail::plain(DetailCode::SessionEnded));
        let session = state.store.session_by_token(&token_hash(token), state.clock.now()).await?.ok_or_else(expired)?;
        if !parts.method.is_safe() {
            let presented = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(token_hash).unwrap_or_default();
            if !digests_equal(presented.as_bytes(), session.csrf_sha256.as_bytes()) {
                return Err(AppError::code(ErrorCode::CsrfTokenMissing));
            }
        }
        let user = state.store.user(session.tenant_id, session.user_id).await?.ok_or_else(expired)?;
        Ok(Principal { actor: actor_of(user, Some(&session), parts), session: Some(session) })
    }
}

/// Compare two digests without an early exit (their length is public).
pub(crate) fn digests_equal(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The request id set by the request-id layer, for audit events. The layer only keeps a sane
/// client id; this checks again so no other route into a handler can bypass it.
pub struct RequestId(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestId(
            parts
                .headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .filter(|id| pinreset_core::text::is_sane_request_id(id))
                .map(str::to_owned),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_hash_stably() {
        let (a, ha) = new_api_token();
        let (b, _) = new_api_token();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_eq!(token_hash(&a), ha);
        assert_ne!(ha, a);
    }
}
