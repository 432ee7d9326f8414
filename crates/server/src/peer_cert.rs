//! TLS client certificates for device channels. Devices present the certificate our device CA
//! issued at enrollment; rustls checks the chain against every tenant's device CA (optional,
//! so browsers and the CLI connect without one), and the acceptor hands the verified leaf to
//! handlers as a request extension. The trusted roots are refreshed when a tenant's CA appears.

use crate::conn_limits::cap::ConnectionCap;
use crate::conn_limits::idle::{IdleTimeout, InFlight, TrackRequests};
use crate::conn_limits::ConnectionLimits;
use axum_server::accept::{Accept, NoDelayAcceptor};
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use tokio::net::TcpStream;
use tower_http::add_extension::AddExtension;

/// The verified client certificate of this connection (DER), if the client sent one.
#[derive(Clone, Debug, Default)]
pub struct PeerCertificate(pub Option<Arc<Vec<u8>>>);

/// Accepts a connection under the connection limits: a slot under the cap (else closed at
/// once), the TLS handshake within its timeout, then the stream watched for idleness.
#[derive(Clone)]
pub struct PeerCertAcceptor {
    inner: RustlsAcceptor<NoDelayAcceptor>,
    cap: ConnectionCap,
    idle_timeout: std::time::Duration,
}

impl PeerCertAcceptor {
    pub fn new(config: RustlsConfig, limits: &ConnectionLimits) -> Self {
        PeerCertAcceptor {
            // TCP_NODELAY: a page written in several TLS records must not wait for the client's
            // delayed ACK (40 ms per response on Linux).
            inner: RustlsAcceptor::new(config).handshake_timeout(limits.handshake_timeout).acceptor(NoDelayAcceptor::new()),
            cap: ConnectionCap::new(limits.max_connections),
            idle_timeout: limits.idle_timeout,
        }
    }
}

impl<S> Accept<TcpStream, S> for PeerCertAcceptor
where
    S: Send + 'static,
{
    type Stream = IdleTimeout<tokio_rustls::server::TlsStream<TcpStream>>;
    type Service = TrackRequests<AddExtension<S, PeerCertificate>>;
    type Future = Pin<Box<dyn Future<Output = io::Result<(Self::Stream, Self::Service)>> + Send>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let acceptor = self.inner.clone();
        let slot = self.cap.try_admit();
        let idle = self.idle_timeout;
        Box::pin(async move {
            let Some(slot) = slot else {
                // Dropping the stream closes it: the cap is reached.
                tracing::debug!("connection refused: the connection cap is reached");
                return Err(io::Error::other("connection cap reached"));
            };
            let (stream, service) = acceptor.accept(stream, service).await?;
            let leaf = stream.get_ref().1.peer_certificates().and_then(|c| c.first()).map(|c| Arc::new(c.to_vec()));
            let in_flight = Arc::new(InFlight::default());
            let stream = IdleTimeout::new(stream, idle, in_flight.clone(), Some(slot));
            Ok((stream, TrackRequests::new(AddExtension::new(service, PeerCertificate(leaf)), in_flight)))
        })
    }
}

/// The common name of a certificate's subject (our device certificates carry the DeviceID).
pub fn subject_cn(der: &[u8]) -> Option<String> {
    use x509_parser::prelude::*;
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    let cn = cert.subject().iter_common_name().next()?.as_str().ok()?.to_string();
    Some(cn)
}

/// The certificate's serial as lower-case hex without leading zeros (how we bind it).
pub fn serial_hex(der: &[u8]) -> Option<String> {
    use x509_parser::prelude::*;
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    Some(normalize_serial(&hex::encode(cert.raw_serial())))
}

pub fn normalize_serial(hex: &str) -> String {
    let t = hex.trim_start_matches('0').to_ascii_lowercase();
    if t.is_empty() {
        "0".into()
    } else {
        t
    }
}
