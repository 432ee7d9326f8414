//! The tenant's device CA: issues client certificates (CN = device id, clientAuth) for keys
//! the devices generated, signed with a modern algorithm (ECDSA P-256 / SHA-256).

use crate::PkiError;
use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SerialNumber,
    SubjectPublicKeyInfo,
};
use rustls_pki_types::pem::PemObject;
use time::{Duration, OffsetDateTime};

pub struct DeviceCa {
    /// Used to sign; after a reload it is a re-signed twin of the saved root (same name, key
    /// and identifiers), since rcgen signs with a certificate object, not with bytes.
    cert: Certificate,
    key: KeyPair,
    /// The root exactly as devices received it.
    root_pem: String,
    root_der: Vec<u8>,
}

/// A certificate issued to a device.
pub struct IssuedCertificate {
    pub der: Vec<u8>,
    pub pem: String,
    /// Hex serial, to record on the device and revoke later.
    pub serial_hex: String,
}

impl DeviceCa {
    /// A new CA named after the tenant, valid for 20 years from `now`.
    pub fn generate(tenant_name: &str, now: OffsetDateTime) -> Result<Self, PkiError> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name.push(DnType::CommonName, format!("{tenant_name} device CA"));
        params.distinguished_name.push(DnType::OrganizationName, "pinreset");
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        params.not_before = now - Duration::hours(1);
        params.not_after = now + Duration::days(365 * 20);
        let cert = params.self_signed(&key)?;
        let (root_pem, root_der) = (cert.pem(), cert.der().to_vec());
        Ok(DeviceCa { cert, key, root_pem, root_der })
    }

    /// Reload a CA saved with `cert_pem` / `key_pem` (the key comes unsealed from the store).
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<Self, PkiError> {
        let key = KeyPair::from_pem(key_pem)?;
        let params = CertificateParams::from_ca_cert_pem(cert_pem)?;
        // Re-signing yields an equivalent certificate object to sign with; the saved PEM stays
        // the one devices trust, since issuer name and key are what chain building uses.
        let cert = params.self_signed(&key)?;
        let root_der = rcgen::CertificateParams::from_ca_cert_pem(cert_pem).map(|_| ()).and_then(|_| pem_der(cert_pem))?;
        Ok(DeviceCa { cert, key, root_pem: cert_pem.to_string(), root_der })
    }

    pub fn cert_der(&self) -> &[u8] {
        &self.root_der
    }
    pub fn cert_pem(&self) -> String {
        self.root_pem.clone()
    }
    /// The private key; callers seal it before it touches the disk.
    pub fn key_pem(&self) -> String {
        self.key.serialize_pem()
    }

    /// Issue a client certificate for `spki_der` with `common_name` (the device id).
    pub fn issue_client_cert(
        &self,
        spki_der: &[u8],
        common_name: &str,
        serial: u64,
        now: OffsetDateTime,
        days: i64,
    ) -> Result<IssuedCertificate, PkiError> {
        let public_key = SubjectPublicKeyInfo::from_der(spki_der).map_err(|_| PkiError::UnsupportedKey)?;
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name.push(DnType::CommonName, common_name);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
        params.not_before = now - Duration::hours(1);
        params.not_after = now + Duration::days(days);
        params.serial_number = Some(SerialNumber::from(serial.to_be_bytes().to_vec()));
        let cert = params.signed_by(&public_key, &self.cert, &self.key)?;
        Ok(IssuedCertificate { der: cert.der().to_vec(), pem: cert.pem(), serial_hex: format!("{serial:016x}") })
    }
}

fn pem_der(pem_text: &str) -> Result<Vec<u8>, rcgen::Error> {
    let der = rustls_pki_types::CertificateDer::from_pem_slice(pem_text.as_bytes()).map_err(|_| rcgen::Error::CouldNotParseCertificate)?;
    Ok(der.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_csr_leniently;
    use x509_parser::prelude::*;

    fn now() -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    /// A request shaped like a Windows device's: PrintableString CN with `!` and a trailing NUL,
    /// and a signature that would not verify (SHA-1 OID, junk bits).
    fn windows_like_csr(spki: &[u8], cn: &str) -> Vec<u8> {
        fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
            let mut out = vec![tag];
            let len = content.len();
            if len < 0x80 {
                out.push(len as u8);
            } else if len < 0x100 {
                out.extend([0x81, len as u8]);
            } else {
                out.extend([0x82, (len >> 8) as u8, len as u8]);
            }
            out.extend_from_slice(content);
            out
        }
        let mut cn_bytes = cn.as_bytes().to_vec();
        cn_bytes.push(0);
        let atv = tlv(0x30, &[tlv(0x06, &[0x55, 0x04, 0x03]), tlv(0x13, &cn_bytes)].concat());
        let name = tlv(0x30, &tlv(0x31, &atv));
        let info = tlv(0x30, &[tlv(0x02, &[0]), name, spki.to_vec(), tlv(0xa0, &[])].concat());
        let sha1_rsa = tlv(0x30, &[tlv(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05]), tlv(0x05, &[])].concat());
        let sig = tlv(0x03, &[0, 1, 2, 3, 4]);
        tlv(0x30, &[info, sha1_rsa, sig].concat())
    }

    #[test]
    fn issues_a_client_certificate_for_a_windows_style_request() {
        let ca = DeviceCa::generate("Contoso", now()).unwrap();
        let device_key = KeyPair::generate().unwrap();
        let device_id = "8F2C1C7B4B3A4C2E9A1D0E5F6A7B8C9D";
        let csr = windows_like_csr(&device_key.public_key_der(), &format!("B1C43CD0-1624-5FBB-8E54-34CF17DFD3A1!{device_id}"));
        // A strict parser refuses it (the reason leniency exists) ...
        assert!(!X509CertificationRequest::from_der(&csr).map(|(_, r)| r.verify_signature().is_ok()).unwrap_or(false));
        // ... we take the key and the CN.
        let parsed = parse_csr_leniently(&csr).unwrap();
        assert_eq!(parsed.subject_cn.as_deref(), Some(&*format!("B1C43CD0-1624-5FBB-8E54-34CF17DFD3A1!{device_id}")));
        assert_eq!(parsed.spki_der, device_key.public_key_der());

        let issued = ca.issue_client_cert(&parsed.spki_der, device_id, 42, now(), 365).unwrap();
        let (_, cert) = X509Certificate::from_der(&issued.der).unwrap();
        let (_, ca_cert) = X509Certificate::from_der(ca.cert_der()).unwrap();
        cert.verify_signature(Some(ca_cert.public_key())).expect("signed by the device CA");
        assert_eq!(cert.subject().iter_common_name().next().unwrap().as_str().unwrap(), device_id);
        assert_eq!(cert.issuer(), ca_cert.subject());
        assert!(cert.extended_key_usage().unwrap().unwrap().value.client_auth);
        assert_eq!(cert.public_key().raw, &device_key.public_key_der()[..]);
        assert!(cert.signature_algorithm.algorithm.to_id_string().starts_with("1.2.840.10045.4.3"), "ECDSA with SHA-2");
        assert_eq!(issued.serial_hex, "000000000000002a");
    }

    #[test]
    fn a_reloaded_ca_issues_certificates_that_chain_to_the_saved_root() {
        let ca = DeviceCa::generate("Contoso", now()).unwrap();
        let saved = ca.cert_pem();
        let reloaded = DeviceCa::from_pem(&saved, &ca.key_pem()).unwrap();
        assert_eq!(reloaded.cert_der(), ca.cert_der(), "devices keep the root they were given");
        let key = KeyPair::generate().unwrap();
        let issued = reloaded.issue_client_cert(&key.public_key_der(), "dev-1", 1, now(), 30).unwrap();
        let (_, cert) = X509Certificate::from_der(&issued.der).unwrap();
        let root_der = ::x509_parser::pem::parse_x509_pem(saved.as_bytes()).unwrap().1.contents;
        let (_, root) = X509Certificate::from_der(&root_der).unwrap();
        cert.verify_signature(Some(root.public_key())).expect("chains to the root devices already trust");
    }

    #[test]
    fn malformed_requests_are_refused_without_panicking() {
        for bad in [&[][..], &[0x30], &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff], &[0x02, 0x01, 0x00], &[0x30, 0x03, 0x30, 0x01]] {
            assert!(matches!(parse_csr_leniently(bad), Err(PkiError::MalformedRequest(_))), "{bad:?}");
        }
        assert_eq!(parse_csr_leniently(&vec![0x30; MAX_CSR_BYTES_PLUS]), Err(PkiError::RequestTooLarge(crate::csr::MAX_CSR_BYTES)));
        let ca = DeviceCa::generate("Contoso", now()).unwrap();
        assert_eq!(ca.issue_client_cert(b"\x30\x00", "x", 1, now(), 1).err(), Some(PkiError::UnsupportedKey));
    }

    const MAX_CSR_BYTES_PLUS: usize = crate::csr::MAX_CSR_BYTES + 1;
}
