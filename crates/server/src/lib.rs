//! The pinreset server: HTTP(S) front, application services and background workers over the
//! storage ports. Business rules live in `pinreset-core`; this crate wires them to the world.

pub mod api;
pub mod app;
pub mod auth;
pub mod channels;
pub mod clock;
pub mod conn_limits;
pub mod demo;
pub mod device_trust;
pub mod doctor;
pub mod error;
pub mod export;
pub mod metrics;
pub mod oidc;
pub mod peer_cert;
pub mod pending;
pub mod public_url;
pub mod sign_in;
pub mod state;
pub mod tls;
pub mod web;

use anyhow::{Context, Result};
use clock::Clock;
use pinreset_store::MasterKey;
use state::AppState;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How `pinreset serve` runs.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    /// Also serve plain HTTP here, for a TLS-terminating load balancer in front (device identity
    /// then comes only from `client_cert_header`, which this needs).
    pub listen_http: Option<SocketAddr>,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: SQLite file in the data dir.
    pub database_url: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Extra DNS names / IPs for the generated server certificate.
    pub hostnames: Vec<String>,
    pub demo: bool,
    /// With `demo`: simulated devices (the `pinreset` binary's living demo) play the rows of the
    /// capability table a simulator exists for, so the seed leaves those rows out.
    pub demo_simulated: bool,
    pub maintenance_interval: Duration,
    /// APNs endpoint and extra trust (a stand-in in tests).
    pub push: app::push::PushConfig,
    /// Behind a TLS-terminating proxy: the header carrying the device's client certificate
    /// (URL-escaped PEM as nginx's `$ssl_client_escaped_cert`, or base64 DER).
    pub client_cert_header: Option<String>,
    /// The URL devices are given for this server (`https://host[:port]`); default: the first
    /// reachable TLS name on the listen port (see `public_url::default_for`).
    pub public_url: Option<String>,
    /// Password checks: hash pool size, throttle and lockout.
    pub sign_in: sign_in::SignInLimits,
    /// Timeouts and the cap on connections.
    pub connections: conn_limits::ConnectionLimits,
    /// Extra trust (PEM) for OpenID providers behind a private CA.
    pub oidc_ca_file: Option<PathBuf>,
    /// Prometheus metrics: off, `/metrics` on the main listeners, or on a separate address.
    pub metrics: metrics::Exposure,
    /// A broker to wake Android agents over MQTT (besides their long-polls).
    pub mqtt: Option<channels::android::mqtt::MqttConfig>,
}

impl ServeOptions {
    pub fn new(listen: SocketAddr, data_dir: PathBuf) -> Self {
        Self {
            listen,
            listen_http: None,
            data_dir,
            database_url: None,
            tls_cert: None,
            tls_key: None,
            hostnames: vec![],
            demo: false,
            demo_simulated: false,
            maintenance_interval: Duration::from_secs(60),
            push: Default::default(),
            client_cert_header: None,
            public_url: None,
            sign_in: Default::default(),
            connections: Default::default(),
            oidc_ca_file: None,
            metrics: Default::default(),
            mqtt: None,
        }
    }
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("pinreset.db").display()))
    }
}

/// A server that is accepting connections.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    /// The CA clients must trust, when the certificate was generated.
    pub ca_pem: Option<PathBuf>,
    /// The plain-HTTP address, when `listen_http` was given.
    pub http_addr: Option<SocketAddr>,
    /// Where `/metrics` is served alone, when `metrics` is `Exposure::Listen`.
    pub metrics_addr: Option<SocketAddr>,
    handle: axum_server::Handle,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    workers: tokio::task::JoinHandle<()>,
}

impl Running {
    pub fn base_url(&self) -> String {
        format!("https://{}", self.addr)
    }
    /// Until the server stops (it stops only on error or shutdown).
    pub async fn wait(self) -> Result<()> {
        let r = self.server.await.context("server task")?;
        self.workers.abort();
        Ok(r?)
    }
    pub async fn shutdown(self) {
        self.handle.graceful_shutdown(Some(Duration::from_secs(5)));
        self.workers.abort();
        let _ = self.server.await;
    }
}

fn master_key(data_dir: &std::path::Path) -> Result<MasterKey> {
    match std::env::var("PINRESET_MASTER_KEY") {
        Ok(v) if !v.is_empty() => MasterKey::from_env_value(&v).context("PINRESET_MASTER_KEY"),
        _ => MasterKey::load_or_create(data_dir).context("loading the master key"),
    }
}

/// Trust every tenant's device CA for client certificates: at once when this instance creates
/// one, and every minute for those other instances created.
async fn refresh_device_roots(state: AppState, files: tls::TlsFiles, config: axum_server::tls_rustls::RustlsConfig, cas: PathBuf) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = state.device_roots_changed.notified() => {}
        }
        if let Err(e) = trust_device_roots(&state, &files, &config, &cas).await {
            tracing::warn!(error = %e, "could not refresh the trusted device CAs");
        }
    }
}

async fn trust_device_roots(
    state: &AppState,
    files: &tls::TlsFiles,
    config: &axum_server::tls_rustls::RustlsConfig,
    cas: &std::path::Path,
) -> Result<()> {
    let roots = app::device_ca::all_roots(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let verifier = device_trust::client_verifier(&roots)?;
    config.reload_from_config(tls::server_config(files, verifier.clone())?);
    state.device_trust.set(verifier);
    write_device_cas(cas, &roots);
    Ok(())
}

/// Every tenant's device CA certificate, for a TLS-terminating load balancer to verify device
/// certificates against (HAProxy's `ca-file`; `deploy/haproxy.cfg`). Public certificates only.
pub const DEVICE_CAS_FILE: &str = "tls/device-cas.pem";

/// Write the device CAs' PEM bundle when it changed (a best effort: the server itself trusts
/// the roots from the store whatever becomes of the file).
fn write_device_cas(path: &std::path::Path, roots: &[rustls::pki_types::CertificateDer<'static>]) {
    use base64::Engine;
    let mut pem = String::new();
    for root in roots {
        let b64 = base64::engine::general_purpose::STANDARD.encode(root.as_ref());
        let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
        pem.push_str(&format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n")));
    }
    if roots.is_empty() || std::fs::read_to_string(path).is_ok_and(|old| old == pem) {
        return;
    }
    let written = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|_| {
        let tmp = path.with_extension("pem.tmp");
        std::fs::write(&tmp, &pem).and_then(|_| std::fs::rename(&tmp, path))
    });
    if let Err(e) = written {
        tracing::warn!(error = %e, path = %path.display(), "could not write the device CAs for a load balancer");
    }
}

/// Keep this instance's pending index true when other instances queue or finish actions.
async fn follow_other_instances(state: AppState, feed: Option<tokio::sync::mpsc::Receiver<pinreset_core::DeviceId>>) {
    let Some(mut feed) = feed else { return };
    while let Some(device) = feed.recv().await {
        if let Err(e) = state.pending.refresh(state.store.as_ref(), device).await {
            tracing::warn!(error = %e, "refreshing the pending index failed");
        }
    }
}

/// Open the store, seed the demo if asked, and start serving HTTPS.
pub async fn start(opts: ServeOptions, clock: Arc<dyn Clock>) -> Result<Running> {
    let public_url = opts.public_url.as_deref().map(public_url::validate).transpose()?;
    if opts.listen_http.is_some() && opts.client_cert_header.is_none() {
        anyhow::bail!(
            "--listen-http needs --client-cert-header: behind a TLS-terminating proxy, devices can prove who they are only through the \
             header in which the proxy passes their client certificate"
        );
    }
    std::fs::create_dir_all(&opts.data_dir).with_context(|| format!("creating data dir {}", opts.data_dir.display()))?;
    let key = master_key(&opts.data_dir)?;
    let store = pinreset_store::connect(&opts.database_url(), key).await.context("opening the database")?;
    let pending = Arc::new(pending::PendingIndex::load(store.as_ref()).await.context("loading pending actions")?);
    let files = tls::ensure_files(&opts.data_dir, opts.tls_cert.clone(), opts.tls_key.clone(), &opts.hostnames)?;
    // Bound before the state is built: the default public URL carries the port we really got.
    let listener = std::net::TcpListener::bind(opts.listen).with_context(|| format!("listening on {}", opts.listen))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let public_url = public_url.unwrap_or_else(|| public_url::default_for(&opts.hostnames, &files.cert, addr));
    let mqtt = opts.mqtt.as_ref().map(channels::android::mqtt::MqttWake::start).transpose().map_err(|e| anyhow::anyhow!(e.0))?;
    let state = AppState {
        writes: Arc::new(app::batched_writes::BatchedWrites::start(store.clone())),
        store,
        clock,
        pending,
        profiles_generation: Default::default(),
        device_roots_changed: Default::default(),
        push: Arc::new(opts.push.clone()),
        channels: Arc::new(channels::Registry::new(mqtt)),
        outbox_queued: Default::default(),
        instance: Arc::from(uuid::Uuid::new_v4().to_string()),
        maintenance_ticks: Default::default(),
        device_trust: Default::default(),
        profile_signer: tls::profile_signer(&files),
        client_cert_header: opts.client_cert_header.as_deref().map(Arc::from),
        public_url: Arc::from(public_url.as_str()),
        sign_in: Arc::new(sign_in::PasswordGate::new(&opts.sign_in)),
        oidc: Arc::new(oidc::OidcHttp::new(opts.oidc_ca_file.as_deref())?),
        metrics: Arc::new(metrics::Metrics::for_exposure(opts.metrics, &channels::CONTRACTS.iter().map(|c| c.name).collect::<Vec<_>>())),
        readiness_answers: Default::default(),
        mail_settings: Default::default(),
    };
    if opts.demo {
        demo::seed(&state, &opts.data_dir, opts.demo_simulated).await.context("seeding demo data")?;
    }
    let config = axum_server::tls_rustls::RustlsConfig::from_config(tls::server_config(&files, None)?);
    trust_device_roots(&state, &files, &config, &opts.data_dir.join(DEVICE_CAS_FILE)).await?;
    let handle = axum_server::Handle::new();
    let limits = &opts.connections;
    let app = api::router(state.clone()).layer(axum::middleware::map_request(conn_limits::body::with_deadline(limits.body_read_timeout)));
    let app = match opts.metrics {
        metrics::Exposure::Off => app,
        exposure => metrics::http::instrument(app, &state, exposure == metrics::Exposure::MainListener),
    };
    let mut server =
        axum_server::from_tcp(listener).acceptor(peer_cert::PeerCertAcceptor::new(config.clone(), limits)).handle(handle.clone());
    limits.configure_http(server.http_builder());
    // Connect info gives handlers the client's address (the sign-in throttle counts by it).
    let plain = app.clone();
    let server = tokio::spawn(server.serve(app.into_make_service_with_connect_info::<SocketAddr>()));
    let (http, http_addr) = match opts.listen_http {
        Some(at) => {
            let listener = std::net::TcpListener::bind(at).with_context(|| format!("listening on {at} (--listen-http)"))?;
            listener.set_nonblocking(true)?;
            let http_addr = listener.local_addr()?;
            let mut server =
                axum_server::from_tcp(listener).acceptor(conn_limits::plain::PlainAcceptor::new(limits)).handle(handle.clone());
            limits.configure_http(server.http_builder());
            let task = tokio::spawn(async move {
                if let Err(e) = server.serve(plain.into_make_service_with_connect_info::<SocketAddr>()).await {
                    tracing::error!(error = %e, "the plain-HTTP listener stopped");
                }
            });
            tracing::info!(%http_addr, "also serving plain HTTP for a TLS-terminating proxy");
            (Some(task), Some(http_addr))
        }
        None => (None, None),
    };
    let (metrics_task, metrics_addr) = match opts.metrics {
        metrics::Exposure::Listen(at) => {
            let (task, at) = metrics::http::listen(at, &state, limits, &handle)?;
            (Some(task), Some(at))
        }
        _ => (None, None),
    };
    let maintenance = tokio::spawn(app::maintenance::run_forever(state.clone(), opts.maintenance_interval));
    let dispatcher = tokio::spawn(app::push::run_dispatcher(state.clone()));
    // Android Management API: Pub/Sub pulls and the operations reconciler (idle without a binding).
    let amapi = tokio::spawn(channels::android::amapi::run_forever(state.clone()));
    let feed = state.store.pending_changes().await.context("listening for other instances' changes")?;
    let follow = tokio::spawn(follow_other_instances(state.clone(), feed));
    let ca_pem = files.ca.clone();
    let roots = tokio::spawn(refresh_device_roots(state.clone(), files, config, opts.data_dir.join(DEVICE_CAS_FILE)));
    // Aborting `workers` must stop both loops: abort them when it is dropped or aborted.
    let workers = tokio::spawn(async move {
        struct AbortOnDrop(Vec<tokio::task::JoinHandle<()>>);
        impl Drop for AbortOnDrop {
            fn drop(&mut self) {
                self.0.iter().for_each(|t| t.abort());
            }
        }
        let guard = AbortOnDrop([maintenance, dispatcher, amapi, roots, follow].into_iter().chain(http).chain(metrics_task).collect());
        std::future::pending::<()>().await;
        drop(guard);
    });
    tracing::info!(%addr, backend = state.store.backend(), public_url = %state.public_url, "pinreset is serving https://{addr}");
    Ok(Running { addr, state, ca_pem, http_addr, metrics_addr, handle, server, workers })
}
