//! A local HTTP/2 TLS server standing in for Apple's push service: it requires the tenant's MDM
//! push certificate as the client certificate, as APNs does, records every push, and wakes the
//! simulated devices the pushes are addressed to.

use crate::error::SimError;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// One push as APNs received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Push {
    /// The device token, hex, from the request path.
    pub token_hex: String,
    pub topic: String,
    /// The JSON payload (`{"mdm": PushMagic}`).
    pub body: String,
}

#[derive(Default)]
struct Inbox {
    received: Mutex<Vec<Push>>,
    /// Tokens answered `410 Unregistered`, as APNs does for a device that left.
    unregistered: Mutex<Vec<String>>,
    arrived: Notify,
    /// The client address of every push: one per connection the pusher opened.
    peers: Mutex<std::collections::HashSet<std::net::SocketAddr>>,
    /// One signal per token, for load drivers: each push leaves a permit, so a device waiting on
    /// its own signal never scans (or misses) the pushes to a thousand others.
    signals: Mutex<std::collections::HashMap<String, Arc<Notify>>>,
}

impl Inbox {
    fn signal(&self, token_hex: &str) -> Arc<Notify> {
        self.signals.lock().expect("inbox").entry(token_hex.to_string()).or_default().clone()
    }
}

pub struct StandInApns {
    /// Where the server should send pushes (`https://127.0.0.1:PORT`).
    pub url: String,
    /// The CA of this stand-in's TLS certificate, for the server to trust.
    pub ca_pem: String,
    inbox: Arc<Inbox>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for StandInApns {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn receive(
    State(inbox): State<Arc<Inbox>>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, String) {
    inbox.peers.lock().expect("inbox").insert(peer);
    let topic = headers.get("apns-topic").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if inbox.unregistered.lock().expect("inbox").contains(&token) {
        return (StatusCode::GONE, r#"{"reason":"Unregistered","timestamp":1700000000000}"#.into());
    }
    let signal = inbox.signal(&token);
    inbox.received.lock().expect("inbox").push(Push { token_hex: token, topic, body });
    signal.notify_one();
    inbox.arrived.notify_waiters();
    (StatusCode::OK, String::new())
}

impl StandInApns {
    /// Listen on 127.0.0.1 with a fresh TLS certificate, accepting only `push_cert_der` as client.
    pub async fn start(push_cert_der: Vec<u8>) -> Result<Self, SimError> {
        Self::start_on(push_cert_der, "127.0.0.1:0").await
    }

    /// [`StandInApns::start`] on a chosen address (a server started separately is pointed at it
    /// with `--apns-url`).
    pub async fn start_on(push_cert_der: Vec<u8>, addr: &str) -> Result<Self, SimError> {
        use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
        let key_err = |e: rcgen::Error| SimError::Key(e.to_string());
        let ca_key = KeyPair::generate().map_err(key_err)?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(key_err)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = ca_params.self_signed(&ca_key).map_err(key_err)?;
        let key = KeyPair::generate().map_err(key_err)?;
        let cert =
            CertificateParams::new(vec!["127.0.0.1".to_string()]).map_err(key_err)?.signed_by(&key, &ca, &ca_key).map_err(key_err)?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.add(rustls::pki_types::CertificateDer::from(push_cert_der)).map_err(|e| SimError::Key(e.to_string()))?;
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| SimError::Key(e.to_string()))?;
        let tls_key = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).map_err(|e| SimError::Key(e.to_string()))?;
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|b| b.with_client_cert_verifier(verifier).with_single_cert(vec![cert.der().clone()], tls_key))
            .map_err(|e| SimError::Key(e.to_string()))?;
        config.alpn_protocols = vec![b"h2".to_vec()];
        let inbox = Arc::new(Inbox::default());
        let app = axum::Router::new().route("/3/device/{token}", axum::routing::post(receive)).with_state(inbox.clone());
        let listener = std::net::TcpListener::bind(addr).map_err(|e| SimError::Protocol(e.to_string()))?;
        listener.set_nonblocking(true).map_err(|e| SimError::Protocol(e.to_string()))?;
        let url = format!("https://{}", listener.local_addr().map_err(|e| SimError::Protocol(e.to_string()))?);
        let tls = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(config));
        let server = tokio::spawn(
            axum_server::from_tcp_rustls(listener, tls).serve(app.into_make_service_with_connect_info::<std::net::SocketAddr>()),
        );
        Ok(StandInApns { url, ca_pem: ca.pem(), inbox, server })
    }

    /// Every push received so far, oldest first.
    pub fn received(&self) -> Vec<Push> {
        self.inbox.received.lock().expect("inbox").clone()
    }

    /// How many connections pushes arrived on (a pusher that reuses its HTTP/2 connection
    /// opens one).
    pub fn connections(&self) -> usize {
        self.inbox.peers.lock().expect("inbox").len()
    }

    /// Answer pushes to this token with 410 Unregistered from now on.
    pub fn unregister(&self, token_hex: &str) {
        self.inbox.unregistered.lock().expect("inbox").push(token_hex.to_string());
    }

    /// Wait until more than `seen` pushes for `token_hex` have arrived; the newest one.
    pub async fn wait_for(&self, token_hex: &str, seen: usize, timeout: Duration) -> Option<Push> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.inbox.arrived.notified();
            let pushes: Vec<Push> = self.received().into_iter().filter(|p| p.token_hex == token_hex).collect();
            if pushes.len() > seen {
                return pushes.last().cloned();
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return None;
            }
        }
    }

    /// Signalled (one stored permit) whenever a push for `token_hex` arrives: what a load driver
    /// waits on instead of `wait_for`, which reads every push received so far.
    pub fn signal(&self, token_hex: &str) -> Arc<Notify> {
        self.inbox.signal(token_hex)
    }

    /// How many pushes `token_hex` has received.
    pub fn count_for(&self, token_hex: &str) -> usize {
        self.received().iter().filter(|p| p.token_hex == token_hex).count()
    }
}
