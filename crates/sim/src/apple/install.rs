//! Installing a `.mobileconfig` as a device does: check the signature when it is signed, find
//! the MDM payload and the identity it names, and open the PKCS#12 with its password.

use crate::error::SimError;
use plist::{Dictionary, Value};
use rustls_pki_types::pem::PemObject;

/// What the device keeps from an installed enrollment profile.
pub struct InstalledProfile {
    /// PayloadIdentifier of the whole profile (RemoveProfile names it).
    pub identifier: String,
    pub server_url: String,
    pub check_in_url: String,
    pub topic: String,
    pub sign_message: bool,
    pub check_out_when_removed: bool,
    pub access_rights: u64,
    /// The device identity: certificate (DER) and PKCS#8 private key (DER).
    pub cert_der: Vec<u8>,
    pub key_der: Vec<u8>,
    /// The certificate that signed the profile (DER), if it was signed; its chain to the server
    /// CA the device was given has been checked.
    pub signed_by: Option<Vec<u8>>,
}

fn bad(detail: impl std::fmt::Display) -> SimError {
    SimError::Decode { what: "enrollment profile", detail: detail.to_string() }
}

fn string(d: &Dictionary, key: &str) -> Result<String, SimError> {
    d.get(key).and_then(Value::as_string).map(str::to_owned).ok_or_else(|| bad(format!("missing {key}")))
}

/// Unwrap and check the signature (a profile that starts like a plist is unsigned).
fn open_envelope(bytes: &[u8], server_ca_pem: &str) -> Result<(Vec<u8>, Option<Vec<u8>>), SimError> {
    if bytes.starts_with(b"<?xml") || bytes.starts_with(b"bplist") {
        return Ok((bytes.to_vec(), None));
    }
    let verified = pinreset_pki::cms::verify(bytes, None).map_err(|e| bad(format!("signature: {e}")))?;
    // The device trusts the signer when its certificate chains to the CA it was told to trust.
    let ca =
        rustls_pki_types::CertificateDer::from_pem_slice(server_ca_pem.as_bytes()).map_err(|e| SimError::Key(format!("CA PEM: {e}")))?;
    let chained = issued_by(&verified.signer, &ca);
    if !chained {
        return Err(bad("the profile is signed by a certificate the device does not trust"));
    }
    Ok((verified.content, Some(verified.signer)))
}

/// Whether `cert` carries a valid signature by `issuer`'s key (one level, as our server CA issues
/// its certificate directly).
fn issued_by(cert: &[u8], issuer: &[u8]) -> bool {
    use x509_parser::prelude::*;
    match (X509Certificate::from_der(cert), X509Certificate::from_der(issuer)) {
        (Ok((_, c)), Ok((_, i))) => c.verify_signature(Some(i.public_key())).is_ok(),
        _ => false,
    }
}

pub fn install(mobileconfig: &[u8], server_ca_pem: &str) -> Result<InstalledProfile, SimError> {
    let (plist_bytes, signed_by) = open_envelope(mobileconfig, server_ca_pem)?;
    let root: Dictionary = plist::from_bytes(&plist_bytes).map_err(bad)?;
    if root.get("PayloadType").and_then(Value::as_string) != Some("Configuration") {
        return Err(bad("not a configuration profile"));
    }
    let payloads: Vec<&Dictionary> = root
        .get("PayloadContent")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no PayloadContent"))?
        .iter()
        .filter_map(Value::as_dictionary)
        .collect();
    let of_type = |t: &str| payloads.iter().copied().find(|p| p.get("PayloadType").and_then(Value::as_string) == Some(t));
    let mdm = of_type("com.apple.mdm").ok_or_else(|| bad("no com.apple.mdm payload"))?;
    let identity_uuid = string(mdm, "IdentityCertificateUUID")?;
    let identity = payloads
        .iter()
        .find(|p| p.get("PayloadUUID").and_then(Value::as_string) == Some(identity_uuid.as_str()))
        .ok_or_else(|| bad("the identity the MDM payload names is not in the profile"))?;
    let pkcs12 = identity.get("PayloadContent").and_then(Value::as_data).ok_or_else(|| bad("the identity payload has no data"))?;
    let password = identity.get("Password").and_then(Value::as_string).unwrap_or("");
    let store = p12_keystore::KeyStore::from_pkcs12(pkcs12, password, p12_keystore::Pkcs12ImportPolicy::Relaxed)
        .map_err(|e| bad(format!("PKCS#12: {e}")))?;
    let (_, chain) = store.private_key_chain().ok_or_else(|| bad("the PKCS#12 holds no key"))?;
    let cert_der = chain.certs().first().ok_or_else(|| bad("the PKCS#12 holds no certificate"))?.as_der().to_vec();
    let boolean = |k: &str| mdm.get(k).and_then(Value::as_boolean).unwrap_or(false);
    Ok(InstalledProfile {
        identifier: string(&root, "PayloadIdentifier")?,
        server_url: string(mdm, "ServerURL")?,
        check_in_url: mdm
            .get("CheckInURL")
            .and_then(Value::as_string)
            .map(str::to_owned)
            .unwrap_or_else(|| string(mdm, "ServerURL").unwrap_or_default()),
        topic: string(mdm, "Topic")?,
        sign_message: boolean("SignMessage"),
        check_out_when_removed: boolean("CheckOutWhenRemoved"),
        access_rights: mdm.get("AccessRights").and_then(Value::as_unsigned_integer).unwrap_or(0),
        cert_der,
        key_der: chain.key().as_der().to_vec(),
        signed_by,
    })
}
