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

/// `pinreset serve --demo` (in `dir/data`) whose APNs is a stand-in in this process, with the
/// tenant's push certificate uploaded: Apple devices are woken the moment an action is queued.
pub async fn serve_with_apns(dir: &std::path::Path) -> (super::process::Demo, std::sync::Arc<pinreset_sim::apple::StandInApns>) {
    let (cert, key) = push_certificate();
    let apns = std::sync::Arc::new(pinreset_sim::apple::StandInApns::start(cert.der().to_vec()).await.unwrap());
    let apns_ca = dir.join("apns-ca.pem");
    std::fs::write(&apns_ca, &apns.ca_pem).unwrap();
    let demo = super::process::serve_demo(
        &dir.join("data"),
        // Every simulated device keeps its own TLS connection open: a fleet of 10,000 needs more
        // than the default cap of 10,000 connections (as a deployment of that size would).
        &[
            "--apns-url".as_ref(),
            apns.url.as_ref(),
            "--apns-ca-file".as_ref(),
            apns_ca.as_os_str(),
            "--max-connections".as_ref(),
            "30000".as_ref(),
        ],
    )
    .await;
    upload(&demo.api(), &format!("{}/api/v1", demo.base_url()), &demo.token, &cert, &key).await;
    (demo, apns)
}
