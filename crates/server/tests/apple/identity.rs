//! Where an Apple device's identity may come from besides the TLS handshake: an `Mdm-Signature`
//! header (detached CMS over the body) or, only when configured, a TLS-terminating proxy's
//! header. Anything that does not hold up is refused and changes nothing.

use crate::*;
use base64::Engine;
use pinreset_pki::cms::CmsSigner;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const PROXY_HEADER: &str = "X-Client-Cert";

/// A device identity issued to `login` by the tenant's device CA: (certificate DER, signer).
pub(crate) async fn issued_identity(h: &Harness, login: &str) -> (Vec<u8>, CmsSigner) {
    let tenant = h.state().store.list_tenants().await.unwrap().pop().unwrap();
    let (user, _) = h.state().store.user_by_login(tenant.id, login).await.unwrap().unwrap();
    let id = pinreset_server::channels::apple::enrollment::issue_identity(h.state(), &user).await.unwrap();
    let cert = CertificateDer::from_pem_slice(id.cert_pem.as_bytes()).unwrap().to_vec();
    let signer =
        CmsSigner::new(std::slice::from_ref(&cert), &PrivateKeyDer::from_pem_slice(id.key_pem.expose().as_bytes()).unwrap()).unwrap();
    wait_until_trusted(h, &cert).await;
    (cert, signer)
}

/// A certificate and signer of our own making: right shape, wrong issuer.
fn self_made_identity() -> (Vec<u8>, CmsSigner) {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap().self_signed(&key).unwrap();
    let signer = CmsSigner::new(&[cert.der().to_vec()], &PrivateKeyDer::from_pem_slice(key.serialize_pem().as_bytes()).unwrap()).unwrap();
    (cert.der().to_vec(), signer)
}

pub(crate) fn signature(signer: &CmsSigner, body: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(signer.sign(body, true, chrono::Utc::now().timestamp() as u64).unwrap())
}

pub(crate) fn authenticate_plist(udid: &str, serial: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>MessageType</key><string>Authenticate</string>\
         <key>Topic</key><string>com.apple.mgmt.External.x</string><key>UDID</key><string>{udid}</string>\
         <key>ProductName</key><string>iPhone15,2</string><key>OSVersion</key><string>17.5</string>\
         <key>SerialNumber</key><string>{serial}</string></dict></plist>"
    )
    .into_bytes()
}

/// PUT with headers, no client certificate.
pub(crate) async fn put_with(h: &Harness, path: &str, ctype: &str, headers: &[(&str, String)], body: Vec<u8>) -> (StatusCode, Vec<u8>) {
    let mut r = h.http.put(format!("{}{path}", h.server.base_url())).header("content-type", ctype).body(body);
    for (k, v) in headers {
        r = r.header(*k, v);
    }
    let r = r.send().await.unwrap();
    (r.status(), r.bytes().await.unwrap().to_vec())
}

async fn device_count(h: &Harness) -> usize {
    h.get("/devices?platform=ios").await.1["items"].as_array().unwrap().len()
}

fn escaped_pem(der: &[u8]) -> String {
    let pem = pem("CERTIFICATE", der);
    percent_encoding::utf8_percent_encode(&pem, percent_encoding::NON_ALPHANUMERIC).to_string()
}

pub(crate) async fn apple_identity_from_a_signature_or_a_proxy_header(b: Backend) {
    let h = start_configured(b, |o| o.client_cert_header = Some(PROXY_HEADER.into())).await;
    let before = device_count(&h).await;
    let (_, signer) = issued_identity(&h, "alice").await;
    let body = authenticate_plist("00008120-AAAA000000000001", "SIGNEDSER01");

    // Refused, and nothing recorded: a header that is not base64, a signature over other bytes,
    // a signature by a certificate we never issued.
    let sig = |s: String| vec![("Mdm-Signature", s)];
    let (s, _) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig("not base64!".into()), body.clone()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig(signature(&signer, b"other bytes")), body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let old =
        base64::engine::general_purpose::STANDARD.encode(signer.sign(&body, true, chrono::Utc::now().timestamp() as u64 - 3600).unwrap());
    let (s, _) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig(old), body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a signature from an hour ago (a replay)");
    let (_, stranger) = self_made_identity();
    let (s, _) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig(signature(&stranger, &body)), body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(device_count(&h).await, before, "nothing was recorded");

    // The real signature enrolls the device, and its next messages are known by it.
    let (s, _) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig(signature(&signer, &body)), body.clone()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(first_device(&h, "SIGNEDSER01").await["model"], "iPhone15,2");
    let idle = apple_result("00008120-AAAA000000000001", "Idle", None, "");
    let (s, cmd) = put_with(&h, "/mdm/apple/connect", "application/x-apple-aspen-mdm", &sig(signature(&signer, &idle)), idle.clone()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(pinreset_apple::command::Command::decode(&cmd).unwrap().request.request_type(), "DeviceInformation");

    // Behind a proxy: the configured header's certificate, URL-escaped as nginx passes it.
    let (cert, _) = issued_identity(&h, "bob").await;
    let body = authenticate_plist("00008120-BBBB000000000002", "PROXIEDSER2");
    let proxied = |der: &[u8]| vec![(PROXY_HEADER, escaped_pem(der))];
    let (stranger_cert, _) = self_made_identity();
    let (s, _) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &proxied(&stranger_cert), body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a certificate we did not issue");
    let (s, _) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &[(PROXY_HEADER, "garbage".into())], body.clone()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &proxied(&cert), body.clone()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(first_device(&h, "PROXIEDSER2").await["serial_number"], "PROXIEDSER2");

    // A body over the limit is refused before it is read (a reset connection is retried: the
    // server may answer while the client is still sending).
    let mut status = None;
    for _ in 0..5 {
        let huge = vec![b' '; pinreset_apple::MAX_BODY_BYTES + 1];
        let sent = h.http.put(format!("{}/mdm/apple/checkin", h.server.base_url())).header("content-type", CHECKIN).body(huge).send().await;
        if let Ok(r) = sent {
            status = Some(r.status());
            break;
        }
    }
    assert_eq!(status, Some(StatusCode::PAYLOAD_TOO_LARGE));
    h.server.shutdown().await;

    // Without the setting the same header is just a header: no identity, refused.
    let h = start(b).await;
    let (cert, _) = issued_identity(&h, "bob").await;
    let (s, _) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &proxied(&cert), body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(first_device(&h, "PROXIEDSER2").await.is_null());
}
