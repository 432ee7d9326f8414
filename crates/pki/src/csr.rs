//! Lenient PKCS#10. Windows devices enroll with a request whose subject is
//! `CN=<guid>!<DeviceID>` plus a NUL, encoded as a PrintableString although `!` is not legal
//! there, signed with SHA-1; strict parsers refuse it. We take what we need — the public key
//! and the CN as sent — and do not check the signature: the enrollment is authenticated by
//! the user's credentials or federated token, and the certificate we issue binds the key.

use crate::der::{self, OID, SEQUENCE, SET};
use crate::PkiError;

/// Requests are a few KiB; anything much larger is not a device's request.
pub const MAX_CSR_BYTES: usize = 64 * 1024;

/// The OID 2.5.4.3 (commonName), DER-encoded content.
const CN_OID: &[u8] = &[0x55, 0x04, 0x03];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LenientCsr {
    /// The whole SubjectPublicKeyInfo, DER.
    pub spki_der: Vec<u8>,
    /// The subject CN as sent, with trailing NULs removed (may contain `!`).
    pub subject_cn: Option<String>,
}

pub fn parse_csr_leniently(der_bytes: &[u8]) -> Result<LenientCsr, PkiError> {
    if der_bytes.len() > MAX_CSR_BYTES {
        return Err(PkiError::RequestTooLarge(MAX_CSR_BYTES));
    }
    let outer = der::expect(der_bytes, SEQUENCE, "not a CertificationRequest SEQUENCE")?;
    let info = der::expect(outer.content, SEQUENCE, "no CertificationRequestInfo")?;
    let version = der::read(info.content)?;
    let subject = der::expect(version.rest, SEQUENCE, "no subject Name")?;
    let spki = der::expect(subject.rest, SEQUENCE, "no SubjectPublicKeyInfo")?;
    Ok(LenientCsr { spki_der: spki.whole.to_vec(), subject_cn: common_name(subject.content) })
}

/// Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }: the first commonName value,
/// whatever string type it claims to be.
fn common_name(mut rdns: &[u8]) -> Option<String> {
    while !rdns.is_empty() {
        let set = der::expect(rdns, SET, "rdn").ok()?;
        let mut atvs = set.content;
        while !atvs.is_empty() {
            let atv = der::expect(atvs, SEQUENCE, "atv").ok()?;
            let oid = der::expect(atv.content, OID, "oid").ok()?;
            if oid.content == CN_OID {
                let value = der::read(oid.rest).ok()?;
                let text = String::from_utf8_lossy(value.content);
                return Some(text.trim_end_matches('\0').to_string());
            }
            atvs = atv.rest;
        }
        rdns = set.rest;
    }
    None
}
