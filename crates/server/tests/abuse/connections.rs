//! Slow and idle connections, written as the attack: connections that never finish the
//! handshake, trickle their headers or body, or sit idle are closed by the timeouts, and
//! connections beyond the cap are refused.

use super::passwords::{new_client, POLICY};
use crate::*;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use std::time::{Duration as StdDuration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn tls_connector(h: &Harness) -> tokio_rustls::TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(h.server.ca_pem.as_ref().unwrap()).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

async fn tls_connect(h: &Harness) -> std::io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(h.server.addr).await?;
    tls_connector(h).connect(ServerName::from(h.server.addr.ip()), tcp).await
}

/// Read until the server closes the connection; how long that took (None: still open at `within`).
async fn closed_within(stream: &mut (impl AsyncRead + Unpin), within: StdDuration) -> Option<StdDuration> {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    let read_all = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(within, read_all).await.ok().map(|_| start.elapsed())
}

/// Send `head` and then one byte of `drip` every 200 ms until the server closes; how long the
/// server took to close the connection.
async fn trickle(h: &Harness, head: &str, within: StdDuration) -> Option<StdDuration> {
    let stream = tls_connect(h).await.unwrap();
    let (mut reader, mut writer) = tokio::io::split(stream);
    writer.write_all(head.as_bytes()).await.unwrap();
    let dripping = tokio::spawn(async move {
        loop {
            tokio::time::sleep(StdDuration::from_millis(200)).await;
            if writer.write_all(b"a").await.is_err() || writer.flush().await.is_err() {
                return;
            }
        }
    });
    let closed = closed_within(&mut reader, within).await;
    dripping.abort();
    closed
}

/// Connections that never finish the handshake, trickle their headers or body, or sit idle
/// are closed by the timeouts (configured short here), and the server still serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abuse_slow_and_idle_connections_are_closed_by_the_timeouts() {
    let secs = StdDuration::from_secs;
    let h = start_configured(Backend::Sqlite, |o| {
        o.connections.handshake_timeout = secs(1);
        o.connections.header_read_timeout = secs(1);
        o.connections.body_read_timeout = secs(1);
        o.connections.idle_timeout = secs(2);
    })
    .await;
    let limit = secs(6);

    // TCP connected, no TLS handshake ever: the handshake timeout.
    let mut tcp = TcpStream::connect(h.server.addr).await.unwrap();
    let took = closed_within(&mut tcp, limit).await.expect("a connection without a handshake is closed");
    assert!(took >= StdDuration::from_millis(800), "closed by the timeout, not at once: {took:?}");

    // TLS done, not a byte sent: the idle timeout (hyper waits for the first bytes untimed).
    let mut tls = tls_connect(&h).await.unwrap();
    let took = closed_within(&mut tls, limit).await.expect("a silent TLS connection is closed");
    assert!(took >= StdDuration::from_millis(1500), "closed by the idle timeout: {took:?}");

    // Headers trickled a byte at a time (so the idle timer never fires): the header timeout.
    let head = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
    trickle(&h, head, limit).await.expect("trickled headers are cut off");

    // A body trickled a byte at a time: the body timeout.
    let head = format!("POST {POLICY} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/soap+xml\r\nContent-Length: 1000\r\n\r\n");
    trickle(&h, &head, limit).await.expect("a trickled body is cut off");

    // A keep-alive connection left idle after its request.
    let mut tls = tls_connect(&h).await.unwrap();
    tls.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut buf = [0u8; 1024];
    let n = tls.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"), "{}", String::from_utf8_lossy(&buf[..n]));
    closed_within(&mut tls, limit).await.expect("an idle keep-alive connection is closed");

    let r = h.http.get(format!("{}/healthz", h.server.base_url())).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the server still serves");
}

/// With the cap reached, one more connection is closed at once; when one goes, the server
/// serves again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abuse_connections_beyond_the_cap_are_refused() {
    let h = start_configured(Backend::Sqlite, |o| o.connections.max_connections = 3).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(tls_connect(&h).await.expect("under the cap"));
    }
    let t = Instant::now();
    let refused = tokio::time::timeout(StdDuration::from_secs(5), tls_connect(&h)).await.expect("refused at once, not left hanging");
    assert!(refused.is_err(), "the connection beyond the cap is closed");
    assert!(t.elapsed() < StdDuration::from_secs(2), "{:?}", t.elapsed());

    drop(held.pop());
    let deadline = Instant::now() + StdDuration::from_secs(5);
    loop {
        let client = new_client(&h);
        match client.get(format!("{}/healthz", h.server.base_url())).send().await {
            Ok(r) if r.status() == StatusCode::OK => break,
            other => assert!(Instant::now() < deadline, "a freed slot is usable again: {other:?}"),
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
}
