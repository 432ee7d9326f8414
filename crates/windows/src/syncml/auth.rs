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

/// HTTP header carrying a message's MD5 HMAC (OMA-DM Security 1.2, "HMAC-MD5 integrity"):
/// `x-syncml-hmac: algorithm=MD5, username="<name>", mac=<base64>`.
pub const HMAC_HEADER: &str = "x-syncml-hmac";

/// The parsed `x-syncml-hmac` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HmacHeader {
    pub username: String,
    pub mac_b64: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HmacHeaderError {
    #[error("the x-syncml-hmac header is longer than 1024 bytes")]
    TooLong,
    #[error("the x-syncml-hmac header's algorithm is not MD5")]
    Algorithm,
    #[error("the x-syncml-hmac header has no username")]
    Username,
    #[error("the x-syncml-hmac header has no mac")]
    Mac,
    #[error("the x-syncml-hmac header is not a list of name=value pairs")]
    Syntax,
}

/// Parses `algorithm=MD5, username="…", mac=…` (names case-insensitive, values optionally
/// quoted, algorithm MD5 when absent as the spec allows).
pub fn parse_hmac_header(value: &str) -> Result<HmacHeader, HmacHeaderError> {
    if value.len() > 1024 {
        return Err(HmacHeaderError::TooLong);
    }
    let (mut username, mut mac, mut algorithm) = (None, None, None);
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, v) = part.split_once('=').ok_or(HmacHeaderError::Syntax)?;
        let v = v.trim();
        let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
        match name.trim().to_ascii_lowercase().as_str() {
            "algorithm" => algorithm = Some(v.to_owned()),
            "username" => username = Some(v.to_owned()),
            "mac" => mac = Some(v.to_owned()),
            _ => {}
        }
    }
    if algorithm.is_some_and(|a| !a.eq_ignore_ascii_case("MD5")) {
        return Err(HmacHeaderError::Algorithm);
    }
    Ok(HmacHeader {
        username: username.filter(|u| !u.is_empty()).ok_or(HmacHeaderError::Username)?,
        mac_b64: mac.filter(|m| !m.is_empty()).ok_or(HmacHeaderError::Mac)?,
    })
}

/// `B64(MD5(B64(MD5(username ":" password)) ":" nonce ":" B64(MD5(body))))`: the MAC a device
/// sends for one message body.
pub fn hmac_digest(username: &str, password: &str, nonce: &[u8], body: &[u8]) -> String {
    let inner = Md5::new().chain_update(username.as_bytes()).chain_update(b":").chain_update(password.as_bytes()).finalize();
    let body_digest = B64.encode(Md5::digest(body));
    let outer = Md5::new()
        .chain_update(B64.encode(inner).as_bytes())
        .chain_update(b":")
        .chain_update(nonce)
        .chain_update(b":")
        .chain_update(body_digest.as_bytes())
        .finalize();
    B64.encode(outer)
}

/// The header value a device sends for `body`.
pub fn hmac_header_value(username: &str, password: &str, nonce: &[u8], body: &[u8]) -> String {
    format!("algorithm=MD5, username=\"{username}\", mac={}", hmac_digest(username, password, nonce, body))
}

/// Checks a message's MAC: the header's user must be `username` and its MAC cover `body`.
pub fn verify_hmac(header: &HmacHeader, username: &str, password: &str, nonce: &[u8], body: &[u8]) -> Result<(), AuthError> {
    let expected = hmac_digest(username, password, nonce, body);
    if header.username == username && constant_time_eq(expected.as_bytes(), header.mac_b64.trim().as_bytes()) {
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
    fn hmac_covers_the_body_and_the_nonce() {
        let body = b"<SyncML>message 2</SyncML>";
        let value = hmac_header_value(KAT_USER, KAT_PASS, KAT_NONCE, body);
        let header = parse_hmac_header(&value).unwrap();
        assert_eq!(header.username, KAT_USER);
        assert_eq!(verify_hmac(&header, KAT_USER, KAT_PASS, KAT_NONCE, body), Ok(()));
        assert_eq!(verify_hmac(&header, KAT_USER, KAT_PASS, KAT_NONCE, b"<SyncML>forged</SyncML>"), Err(AuthError::Mismatch));
        assert_eq!(verify_hmac(&header, KAT_USER, KAT_PASS, b"next nonce", body), Err(AuthError::Mismatch));
        assert_eq!(verify_hmac(&header, "other-device", KAT_PASS, KAT_NONCE, body), Err(AuthError::Mismatch));
    }

    #[test]
    fn hmac_header_forms() {
        let h = parse_hmac_header("Algorithm=md5 ,Username=dev1, MAC=\"abc=\"").unwrap();
        assert_eq!((h.username.as_str(), h.mac_b64.as_str()), ("dev1", "abc="));
        assert_eq!(parse_hmac_header("username=\"d\", mac=x").unwrap().username, "d", "MD5 is the default");
        assert_eq!(parse_hmac_header("algorithm=SHA1, username=d, mac=x"), Err(HmacHeaderError::Algorithm));
        assert_eq!(parse_hmac_header("algorithm=MD5, mac=x"), Err(HmacHeaderError::Username));
        assert_eq!(parse_hmac_header("algorithm=MD5, username=d"), Err(HmacHeaderError::Mac));
        assert_eq!(parse_hmac_header("garbage"), Err(HmacHeaderError::Syntax));
        assert_eq!(parse_hmac_header(&"a".repeat(2000)), Err(HmacHeaderError::TooLong));
    }

    #[test]
    fn constant_time_eq_basics() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
