//! Bearer API tokens. A token is shown once at creation; the store keeps only its SHA-256
//! (tokens are 256-bit random, so a fast hash is enough — no password stretching needed).

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use pinreset_core::{Actor, ErrorCode};
use rand::RngCore;
use sha2::{Digest, Sha256};

const TOKEN_PREFIX: &str = "prt_";

/// A new random token and the hash to store for it.
pub fn new_api_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let hash = token_hash(&token);
    (token, hash)
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

/// The authenticated caller of an admin API request.
pub struct Authenticated(pub Actor);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| AppError::with_detail(ErrorCode::Unauthenticated, "Missing Authorization: Bearer <token> header."))?;
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| AppError::with_detail(ErrorCode::Unauthenticated, "The Authorization header must be \"Bearer <token>\"."))?;
        let owner = state
            .store
            .user_by_api_token(&token_hash(token))
            .await?
            .ok_or_else(|| AppError::with_detail(ErrorCode::Unauthenticated, "The API token is not valid."))?;
        Ok(Authenticated(Actor { tenant_id: owner.user.tenant_id, user_id: owner.user.id, role: owner.user.role, login: owner.user.login }))
    }
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
