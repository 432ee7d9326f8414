//! Behind a TLS-terminating load balancer: `--listen-http` serves plain HTTP, and a device
//! proves who it is only by the certificate the proxy passes in the configured header.

use crate::*;
use rustls::pki_types::pem::PemObject;

const HEADER: &str = "X-Client-Cert";

pub(crate) async fn plain_http_behind_a_tls_terminating_proxy(b: Backend) {
    let h = start_configured(b, |o| {
        o.listen_http = Some("127.0.0.1:0".parse().unwrap());
        o.client_cert_header = Some(HEADER.into());
    })
    .await;
    let http_base = format!("http://{}", h.server.http_addr.expect("the plain-HTTP listener"));
    let plain = reqwest::Client::new();
    assert_eq!(plain.get(format!("{http_base}/healthz")).send().await.unwrap().status(), StatusCode::OK);

    support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let device = support::windows_device::enroll_w10m(&h.http, &h.server.base_url(), "W10M-PROXIED").await;
    let end = "-----END CERTIFICATE-----";
    let cert_pem = &device.identity_pem[..device.identity_pem.find(end).unwrap() + end.len()];
    let der = rustls::pki_types::CertificateDer::from_pem_slice(cert_pem.as_bytes()).unwrap().to_vec();
    wait_until_trusted(&h, &der).await;
    let escaped = percent_encoding::utf8_percent_encode(cert_pem, percent_encoding::NON_ALPHANUMERIC).to_string();
    let session = |with_cert: bool| {
        let mut req = plain.post(format!("{http_base}/ManagementServer/MDM.svc")).body(support::windows_device::device_message(
            &device.name,
            "p1",
            1,
            None,
            support::windows_device::FIRST_PACKAGE,
        ));
        if with_cert {
            req = req.header(HEADER, escaped.clone());
        }
        async move { pinreset_windows::syncml::decode(req.send().await.unwrap().text().await.unwrap().as_bytes()).unwrap() }
    };
    assert_eq!(header_status(&session(true).await), 200, "the proxied certificate proves the device");
    assert_eq!(header_status(&session(false).await), 407, "without it, plain HTTP proves nothing");

    // Plain HTTP without the header setting would trust nobody: refused at start, with the reason.
    let dir = tempfile::tempdir().unwrap();
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.listen_http = Some("127.0.0.1:0".parse().unwrap());
    let refused = pinreset_server::start(opts, h.clock.clone()).await.err().expect("refused");
    assert!(refused.to_string().contains("--client-cert-header"), "{refused}");
}
