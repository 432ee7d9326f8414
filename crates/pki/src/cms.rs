//! CMS SignedData (RFC 5652), the envelope Apple uses twice: a signed `.mobileconfig` (the
//! profile inside, signed by the server certificate) and the `Mdm-Signature` header (a
//! detached signature by the device identity over each request body).
//!
//! Parsing and encoding are the `cms` crate's; the digests and signatures are ring's. We sign
//! with signed attributes (content type, message digest, signing time) as Apple and OpenSSL do,
//! and verify either form. Verifying says only that the embedded signer certificate's key signed
//! these bytes: whether that certificate is trusted is the caller's decision.

use crate::PkiError;
use ::cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use ::cms::content_info::{CmsVersion, ContentInfo};
use ::cms::signed_data::{CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos};
use ::der::asn1::{OctetString, SetOfVec, UtcTime};
use ::der::{Any, Decode, Encode};
use const_oid::ObjectIdentifier as Oid;
use ring::signature::{self as sig, KeyPair};
use rustls_pki_types::PrivateKeyDer;
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::Certificate;

const ID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
const ATTR_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
const ATTR_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
const ATTR_SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
const P384: Oid = Oid::new_unwrap("1.3.132.0.34");

/// Largest signed message we parse (a profile with its identity is a few KiB; a header less).
pub const MAX_CMS_BYTES: usize = 256 * 1024;

fn bad(what: impl std::fmt::Display) -> PkiError {
    PkiError::Signature(what.to_string())
}

/// A private key that signs CMS messages: ECDSA P-256/P-384 or RSA (PKCS#1 v1.5), SHA-256/384.
pub struct CmsSigner {
    key: SignerKey,
    /// The signer's certificate first, then any intermediates to embed.
    chain: Vec<Certificate>,
}

enum SignerKey {
    Ecdsa(sig::EcdsaKeyPair, Oid, Oid),
    Rsa(sig::RsaKeyPair),
}

impl CmsSigner {
    /// `chain`: DER certificates, the signer's own first. The key may be PKCS#8 (any of the
    /// algorithms above) or PKCS#1 (RSA); a SEC1 EC key must be converted to PKCS#8 first.
    pub fn new(chain: &[Vec<u8>], key: &PrivateKeyDer<'_>) -> Result<Self, PkiError> {
        let rng = ring::rand::SystemRandom::new();
        let key = match key {
            PrivateKeyDer::Pkcs8(k) => {
                let der = k.secret_pkcs8_der();
                if let Ok(p) = sig::EcdsaKeyPair::from_pkcs8(&sig::ECDSA_P256_SHA256_ASN1_SIGNING, der, &rng) {
                    SignerKey::Ecdsa(p, SHA256, ECDSA_WITH_SHA256)
                } else if let Ok(p) = sig::EcdsaKeyPair::from_pkcs8(&sig::ECDSA_P384_SHA384_ASN1_SIGNING, der, &rng) {
                    SignerKey::Ecdsa(p, SHA384, ECDSA_WITH_SHA384)
                } else {
                    SignerKey::Rsa(sig::RsaKeyPair::from_pkcs8(der).map_err(|_| bad("the key is not ECDSA P-256/P-384 or RSA"))?)
                }
            }
            PrivateKeyDer::Pkcs1(k) => {
                SignerKey::Rsa(sig::RsaKeyPair::from_der(k.secret_pkcs1_der()).map_err(|_| bad("unusable RSA key"))?)
            }
            PrivateKeyDer::Sec1(_) => return Err(bad("SEC1 EC keys are not supported: convert with `openssl pkcs8 -topk8 -nocrypt`")),
            _ => return Err(bad("unsupported private key format")),
        };
        let chain: Vec<Certificate> = chain.iter().map(|c| Certificate::from_der(c)).collect::<Result<_, _>>().map_err(bad)?;
        let leaf = chain.first().ok_or_else(|| bad("no signer certificate"))?;
        let public = match &key {
            SignerKey::Ecdsa(p, ..) => p.public_key().as_ref().to_vec(),
            SignerKey::Rsa(p) => p.public_key().as_ref().to_vec(),
        };
        if leaf.tbs_certificate().subject_public_key_info().subject_public_key.raw_bytes() != public.as_slice() {
            return Err(bad("the key does not belong to the signer certificate"));
        }
        Ok(CmsSigner { key, chain })
    }

    fn digest_and_algorithm(&self) -> (Oid, Oid) {
        match &self.key {
            SignerKey::Ecdsa(_, digest, alg) => (*digest, *alg),
            SignerKey::Rsa(_) => (SHA256, SHA256_WITH_RSA),
        }
    }

    fn raw_sign(&self, message: &[u8]) -> Result<Vec<u8>, PkiError> {
        let rng = ring::rand::SystemRandom::new();
        match &self.key {
            SignerKey::Ecdsa(p, ..) => Ok(p.sign(&rng, message).map_err(|_| bad("signing failed"))?.as_ref().to_vec()),
            SignerKey::Rsa(p) => {
                let mut out = vec![0; p.public().modulus_len()];
                p.sign(&sig::RSA_PKCS1_SHA256, &rng, message, &mut out).map_err(|_| bad("signing failed"))?;
                Ok(out)
            }
        }
    }

    /// A DER `ContentInfo` with `content` inside (`detached` false: a signed profile) or only
    /// its signature (`detached` true: an `Mdm-Signature`).
    pub fn sign(&self, content: &[u8], detached: bool, now_unix: u64) -> Result<Vec<u8>, PkiError> {
        self.sign_with_time(content, detached, Some(now_unix))
    }

    /// As `sign`, with the signingTime attribute only when given (`None` makes the kind of
    /// message the server must refuse: one that does not say when it was made).
    pub fn sign_with_time(&self, content: &[u8], detached: bool, signing_time: Option<u64>) -> Result<Vec<u8>, PkiError> {
        let (digest_oid, sig_oid) = self.digest_and_algorithm();
        let digest = digest(digest_oid, content)?;
        let attr = |oid: Oid, value: Any| -> Result<Attribute, PkiError> {
            Ok(Attribute { oid, values: SetOfVec::try_from(vec![value]).map_err(bad)? })
        };
        let mut attrs =
            vec![attr(ATTR_CONTENT_TYPE, any(&ID_DATA)?)?, attr(ATTR_MESSAGE_DIGEST, any(&OctetString::new(digest).map_err(bad)?)?)?];
        if let Some(t) = signing_time {
            let time = UtcTime::from_unix_duration(std::time::Duration::from_secs(t)).map_err(bad)?;
            attrs.push(attr(ATTR_SIGNING_TIME, any(&time)?)?);
        }
        let signed_attrs = SetOfVec::try_from(attrs).map_err(bad)?;
        let signature = self.raw_sign(&signed_attrs.to_der().map_err(bad)?)?;
        let leaf = &self.chain[0];
        let signer = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: leaf.tbs_certificate().issuer().clone(),
                serial_number: leaf.tbs_certificate().serial_number().clone(),
            }),
            digest_alg: AlgorithmIdentifierOwned { oid: digest_oid, parameters: None },
            signed_attrs: Some(signed_attrs),
            signature_algorithm: AlgorithmIdentifierOwned { oid: sig_oid, parameters: None },
            signature: OctetString::new(signature).map_err(bad)?,
            unsigned_attrs: None,
        };
        let certs: Vec<CertificateChoices> = self.chain.iter().cloned().map(CertificateChoices::Certificate).collect();
        let econtent = if detached { None } else { Some(any(&OctetString::new(content.to_vec()).map_err(bad)?)?) };
        let signed = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![AlgorithmIdentifierOwned { oid: digest_oid, parameters: None }]).map_err(bad)?,
            encap_content_info: EncapsulatedContentInfo { econtent_type: ID_DATA, econtent },
            certificates: Some(CertificateSet::try_from(certs).map_err(bad)?),
            crls: None,
            signer_infos: SignerInfos::try_from(vec![signer]).map_err(bad)?,
        };
        ContentInfo { content_type: ID_SIGNED_DATA, content: any(&signed)? }.to_der().map_err(bad)
    }
}

/// Any encodable value as an ASN.1 `ANY` (attribute values, the SignedData in its ContentInfo).
fn any<T: Encode>(value: &T) -> Result<Any, PkiError> {
    Any::from_der(&value.to_der().map_err(bad)?).map_err(bad)
}

fn digest(oid: Oid, data: &[u8]) -> Result<Vec<u8>, PkiError> {
    use ring::digest as d;
    let alg = match oid {
        SHA1 => &d::SHA1_FOR_LEGACY_USE_ONLY,
        SHA256 => &d::SHA256,
        SHA384 => &d::SHA384,
        SHA512 => &d::SHA512,
        other => return Err(bad(format!("unsupported digest algorithm {other}"))),
    };
    Ok(d::digest(alg, data).as_ref().to_vec())
}

/// What a verified message says: its content and who signed it.
#[derive(Debug, Clone)]
pub struct Verified {
    pub content: Vec<u8>,
    /// The signer's certificate (DER), as embedded in the message.
    pub signer: Vec<u8>,
    /// Every certificate the message carries (DER), the signer's included.
    pub certificates: Vec<Vec<u8>>,
    /// The signed signingTime attribute (seconds since the epoch), when the signer set one.
    pub signing_time: Option<u64>,
    /// This signature's identity for replay memory: two copies of one signature, however
    /// re-encoded (ECDSA's (r, n − s) twin included), have the same; two signatures made by the
    /// key (randomized ECDSA) differ even over the same bytes in the same second.
    pub signature_id: Vec<u8>,
}

/// Check a DER `ContentInfo` holding SignedData: with `detached` the signature covers those
/// bytes, otherwise the content inside. Exactly one signer, whose certificate is embedded.
pub fn verify(message: &[u8], detached: Option<&[u8]>) -> Result<Verified, PkiError> {
    if message.len() > MAX_CMS_BYTES {
        return Err(bad(format!("the signed message is larger than {MAX_CMS_BYTES} bytes")));
    }
    let info = ContentInfo::from_der(message).map_err(|e| bad(format!("not a CMS message: {e}")))?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(bad("the CMS message is not SignedData"));
    }
    let signed: SignedData = info.content.decode_as().map_err(|e| bad(format!("malformed SignedData: {e}")))?;
    let content = match (&signed.encap_content_info.econtent, detached) {
        (_, Some(bytes)) => bytes.to_vec(),
        (Some(inner), None) => OctetString::from_der(&inner.to_der().map_err(bad)?).map_err(bad)?.into_bytes().into_vec(),
        (None, None) => return Err(bad("the signature is detached but no content was given")),
    };
    let certificates: Vec<Certificate> = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    let [signer_info] = signed.signer_infos.0.as_slice() else { return Err(bad("expected exactly one signer")) };
    let signer =
        certificates.iter().find(|c| identifies(&signer_info.sid, c)).ok_or_else(|| bad("the signer's certificate is not included"))?;
    let digest_oid = signer_info.digest_alg.oid;
    let content_digest = digest(digest_oid, &content)?;
    let mut signing_time = None;
    let signed_bytes = match &signer_info.signed_attrs {
        Some(attrs) => {
            let value = |oid: Oid| attrs.iter().find(|a| a.oid == oid).and_then(|a| a.values.iter().next().cloned());
            signing_time =
                value(ATTR_SIGNING_TIME).and_then(|t| t.decode_as::<x509_cert::time::Time>().ok()).map(|t| t.to_unix_duration().as_secs());
            let md = value(ATTR_MESSAGE_DIGEST).ok_or_else(|| bad("the signed attributes lack the message digest"))?;
            let md: OctetString = md.decode_as().map_err(bad)?;
            if md.as_bytes() != content_digest.as_slice() {
                return Err(bad("the content does not match the signed digest"));
            }
            attrs.to_der().map_err(bad)?
        }
        None => content.clone(),
    };
    let spki = signer.tbs_certificate().subject_public_key_info();
    let mut curve_of_signer = None;
    let algorithm: &'static dyn sig::VerificationAlgorithm = match (spki.algorithm.oid, digest_oid) {
        (EC_PUBLIC_KEY, d) => {
            let curve: Option<Oid> = spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as().ok());
            let ecdsa: &'static dyn sig::VerificationAlgorithm = match (curve, d) {
                (Some(P256), SHA256) => &sig::ECDSA_P256_SHA256_ASN1,
                (Some(P256), SHA384) => &sig::ECDSA_P256_SHA384_ASN1,
                (Some(P384), SHA384) => &sig::ECDSA_P384_SHA384_ASN1,
                (Some(P384), SHA256) => &sig::ECDSA_P384_SHA256_ASN1,
                _ => return Err(bad("unsupported EC curve or digest")),
            };
            curve_of_signer = Some(if curve == Some(P256) { canonical::Curve::P256 } else { canonical::Curve::P384 });
            ecdsa
        }
        (RSA_ENCRYPTION, SHA1) => &sig::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
        (RSA_ENCRYPTION, SHA256) => &sig::RSA_PKCS1_2048_8192_SHA256,
        (RSA_ENCRYPTION, SHA384) => &sig::RSA_PKCS1_2048_8192_SHA384,
        (RSA_ENCRYPTION, SHA512) => &sig::RSA_PKCS1_2048_8192_SHA512,
        _ => return Err(bad("unsupported signer key algorithm")),
    };
    sig::UnparsedPublicKey::new(algorithm, spki.subject_public_key.raw_bytes())
        .verify(&signed_bytes, signer_info.signature.as_bytes())
        .map_err(|_| bad("the signature does not verify"))?;
    let der = |c: &Certificate| c.to_der().map_err(bad);
    Ok(Verified {
        content,
        signer: der(signer)?,
        certificates: certificates.iter().map(der).collect::<Result<_, _>>()?,
        signing_time,
        signature_id: canonical::canonical(signer_info.signature.as_bytes(), curve_of_signer),
    })
}

fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            &isn.issuer == cert.tbs_certificate().issuer() && &isn.serial_number == cert.tbs_certificate().serial_number()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            matches!(cert.tbs_certificate().get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>(), Ok(Some((_, s))) if &s == ski)
        }
    }
}

mod canonical;
#[cfg(test)]
mod tests;
