#![allow(dead_code)] // each benchmark includes this file and uses part of it
//! The tenant's MDM push certificate for benchmarks that wake Apple devices through the
//! stand-in APNs: made here, uploaded through the admin API.

/// A self-signed push certificate whose subject names the APNs topic, as Apple's do.
pub fn push_certificate() -> (rcgen::Certificate, rcgen::KeyPair) {
    use rcgen::{CertificateParams, DnType, KeyPair};
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    // The subject's UID is the APNs topic.
    params.distinguished_name.push(DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 1]), "com.apple.mgmt.External.bench");
    params.distinguished_name.push(DnType::CommonName, "APSP:bench");
    (params.self_signed(&key).unwrap(), key)
}

/// `PUT /api/v1/tenant/apns` with the certificate and its key (`base` ends in `/api/v1`).
pub async fn upload(api: &reqwest::Client, base: &str, token: &str, cert: &rcgen::Certificate, key: &rcgen::KeyPair) {
    let r = api
        .put(format!("{base}/tenant/apns"))
        .bearer_auth(token)
        .json(&serde_json::json!({"cert_pem": cert.pem(), "key_pem": key.serialize_pem()}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "the push certificate is accepted: {}", r.status());
}
