//! `syncml:auth-md5` credentials (OMA-DM Security 1.2, §5.3 "MD5 digest"):
//!
//! ```text
//! digest = B64( MD5( B64( MD5( username ":" password ) ) ":" nonce ) )
//! ```
//!
//! `nonce` is the raw nonce bytes (what the base64 in AAUTHDATA / NextNonce
//! decodes to), appended after the colon as bytes, not re-encoded. The nonce is
//! always handed in by the caller (this crate has no RNG or clock).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use md5::{Digest, Md5};

use super::Cred;

/// Meta Type of an MD5 credential.
pub const AUTH_MD5: &str = "syncml:auth-md5";

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("no credentials in the message")]
    Missing,
    #[error("credential type is not syncml:auth-md5")]
    WrongType,
    #[error("credential digest does not match")]
    Mismatch,
}

/// Computes the base64 MD5 digest the device puts in `<Cred><Data>`.
pub fn md5_digest(username: &str, password: &str, nonce: &[u8]) -> String {
    let inner = Md5::new().chain_update(username.as_bytes()).chain_update(b":").chain_update(password.as_bytes()).finalize();
    let outer = Md5::new().chain_update(B64.encode(inner).as_bytes()).chain_update(b":").chain_update(nonce).finalize();
    B64.encode(outer)
}

/// Byte comparison whose time does not depend on where the inputs differ.
/// (Length is not secret: an MD5 digest in base64 is always 24 characters.)
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // black_box keeps the optimiser from short-circuiting the fold.
    std::hint::black_box(diff) == 0
}

/// Verifies an MD5 `Cred` against the expected user, password and nonce.
/// The user name is not inside `Cred`: for MD5 the device sends it as the
/// SyncHdr Source `LocName`; the caller looks the account up by it.
pub fn verify_md5(cred: Option<&Cred>, username: &str, password: &str, nonce: &[u8]) -> Result<(), AuthError> {
    let cred = cred.ok_or(AuthError::Missing)?;
    if cred.meta.type_.as_deref().map(str::trim) != Some(AUTH_MD5) {
        return Err(AuthError::WrongType);
    }
    let expected = md5_digest(username, password, nonce);
    if constant_time_eq(expected.as_bytes(), cred.data.trim().as_bytes()) {
        Ok(())
    } else {
        Err(AuthError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syncml::Meta;

    // Known answer computed independently with Python:
    //   import hashlib, base64
    //   b64 = lambda b: base64.b64encode(b)
    //   inner = b64(hashlib.md5(b"testclient:password2").digest())
    //   base64.b64encode(hashlib.md5(inner + b":" + b"\x00\x01nonce").digest())
    const KAT_USER: &str = "testclient";
    const KAT_PASS: &str = "password2";
    const KAT_NONCE: &[u8] = b"\x00\x01nonce";
    //   → TvggrqE+H26EibKGukM19w==
    const KAT_DIGEST: &str = "TvggrqE+H26EibKGukM19w==";

    fn cred(data: &str) -> Cred {
        Cred { meta: Meta { format: Some("b64".into()), type_: Some(AUTH_MD5.into()), ..Default::default() }, data: data.into() }
    }

    #[test]
    fn known_answer() {
        assert_eq!(md5_digest(KAT_USER, KAT_PASS, KAT_NONCE), KAT_DIGEST.trim());
    }

    #[test]
    fn verify_accepts_right_and_refuses_wrong() {
        let good = cred(KAT_DIGEST.trim());
        assert_eq!(verify_md5(Some(&good), KAT_USER, KAT_PASS, KAT_NONCE), Ok(()));
        assert_eq!(verify_md5(Some(&good), KAT_USER, "password3", KAT_NONCE), Err(AuthError::Mismatch));
        assert_eq!(verify_md5(Some(&good), KAT_USER, KAT_PASS, b"other"), Err(AuthError::Mismatch));
        assert_eq!(verify_md5(None, KAT_USER, KAT_PASS, KAT_NONCE), Err(AuthError::Missing));
        let mut basic = good.clone();
        basic.meta.type_ = Some("syncml:auth-basic".into());
        assert_eq!(verify_md5(Some(&basic), KAT_USER, KAT_PASS, KAT_NONCE), Err(AuthError::WrongType));
    }

    #[test]
    fn constant_time_eq_basics() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
