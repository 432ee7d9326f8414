//! `pinreset serve`.

use anyhow::Result;
use clap::Args;
use pinreset_server::metrics::Exposure;
use pinreset_server::{clock::SystemClock, ServeOptions};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

#[derive(Args)]
pub struct ServeArgs {
    /// Read options from this TOML file (keys are the flags without `--`, e.g.
    /// `listen = "0.0.0.0:8443"`); flags and environment variables win over it.
    #[arg(long, env = "PINRESET_CONFIG_FILE")]
    pub(super) config: Option<PathBuf>,
    /// Address to listen on (HTTPS).
    #[arg(long, env = "PINRESET_LISTEN", default_value = "127.0.0.1:8443")]
    pub(super) listen: SocketAddr,
    /// Also serve plain HTTP on this address, for a TLS-terminating load balancer in front of
    /// pinreset (needs --client-cert-header: devices then prove who they are by the certificate
    /// the proxy passes in that header). Never expose it directly.
    #[arg(long, env = "PINRESET_LISTEN_HTTP")]
    pub(super) listen_http: Option<SocketAddr>,
    /// Where the database, master key, TLS files and demo credentials live.
    #[arg(long, env = "PINRESET_DATA_DIR", default_value = "./data")]
    pub(super) data_dir: PathBuf,
    /// Database: default SQLite in the data dir; or postgres://user@host/db.
    #[arg(long, env = "PINRESET_DATABASE_URL")]
    pub(super) database_url: Option<String>,
    /// Your own TLS certificate (PEM); default: one signed by a CA generated into DATA/tls/ca.pem.
    #[arg(long, requires = "tls_key")]
    pub(super) tls_cert: Option<PathBuf>,
    /// Private key (PEM) for --tls-cert.
    #[arg(long, requires = "tls_cert")]
    pub(super) tls_key: Option<PathBuf>,
    /// Extra host names or IPs for the generated certificate (repeatable).
    #[arg(long = "hostname", env = "PINRESET_HOSTNAME", value_delimiter = ',')]
    pub(super) hostnames: Vec<String>,
    /// Seed a demo tenant and write DATA/demo-credentials.json.
    #[arg(long)]
    pub(super) demo: bool,
    /// With --demo: do not bring the demo devices to life. By default simulated devices
    /// (Windows 10 Mobile, Windows Phone 8.1, Windows 11, iPhone, Shared iPad, User Enrollment,
    /// Mac, Android phones) enroll against this server over the real protocols and poll it, so resets on them
    /// complete; they keep their identities in DATA/sim/.
    #[arg(long, env = "PINRESET_NO_LIVING_DEMO")]
    pub(super) no_living_demo: bool,
    /// Seconds between the living demo devices' check-ins.
    #[arg(long, env = "PINRESET_DEMO_POLL_SECS", value_parser = clap::value_parser!(u64).range(1..), default_value_t = 3)]
    pub(super) demo_poll_secs: u64,
    /// APNs endpoint for waking Apple devices.
    #[arg(long, env = "PINRESET_APNS_URL", default_value = "https://api.push.apple.com")]
    pub(super) apns_url: String,
    /// Extra CA (PEM) to trust for the APNs endpoint: a stand-in push service in load tests.
    #[arg(long, env = "PINRESET_APNS_CA_FILE")]
    pub(super) apns_ca_file: Option<PathBuf>,
    /// Behind a TLS-terminating proxy: the request header in which it passes the device's client
    /// certificate (URL-escaped PEM, as nginx's $ssl_client_escaped_cert, or base64 DER). Only set
    /// this when the proxy always overwrites that header.
    #[arg(long, env = "PINRESET_CLIENT_CERT_HEADER")]
    pub(super) client_cert_header: Option<String>,
    /// The URL devices are given for this server: https://host[:port], no path. Every URL
    /// handed to a device (Windows discovery and management, Apple enrollment profiles) uses it,
    /// never the request's Host header. Default: https://<first --hostname, else the first
    /// non-loopback name of the TLS certificate, else the listen address>:<listen port>.
    #[arg(long, env = "PINRESET_PUBLIC_URL")]
    pub(super) public_url: Option<String>,
    /// Trust this CA (PEM) for the tenants' OpenID providers, when one sits behind a private CA
    /// (single sign-on: `pinreset tenant sso set`).
    #[arg(long, env = "PINRESET_OIDC_CA_FILE")]
    pub(super) oidc_ca_file: Option<PathBuf>,
    /// Seconds a client has to finish the TLS handshake.
    #[arg(long, env = "PINRESET_HANDSHAKE_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..), default_value_t = 10)]
    pub(super) handshake_timeout_secs: u64,
    /// Seconds a client has to send a request's headers.
    #[arg(long, env = "PINRESET_HEADER_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..), default_value_t = 10)]
    pub(super) header_timeout_secs: u64,
    /// Seconds a client has to send a whole request body.
    #[arg(long, env = "PINRESET_BODY_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..), default_value_t = 30)]
    pub(super) body_timeout_secs: u64,
    /// Seconds after which a connection with no request in flight and no traffic is closed.
    #[arg(long, env = "PINRESET_IDLE_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..), default_value_t = 60)]
    pub(super) idle_timeout_secs: u64,
    /// Open connections at most; beyond it new connections are closed at once.
    #[arg(long, env = "PINRESET_MAX_CONNECTIONS", default_value_t = 10_000)]
    pub(super) max_connections: usize,
    /// Seconds between maintenance ticks (expiry, purges, push retries, resuming bulk jobs whose
    /// instance died). One instance at a time does a tick's work; another takes over within
    /// about two ticks of it stopping.
    #[arg(long, env = "PINRESET_MAINTENANCE_INTERVAL_SECS", value_parser = clap::value_parser!(u64).range(1..), default_value_t = 60)]
    pub(super) maintenance_interval_secs: u64,
    /// Password checks running at once (default: half the CPU cores, at least 1).
    #[arg(long, env = "PINRESET_PASSWORD_HASH_THREADS")]
    pub(super) password_hash_threads: Option<usize>,
    /// Password checks allowed to wait for a thread; more are refused as "busy, retry".
    #[arg(long, env = "PINRESET_PASSWORD_HASH_QUEUE", default_value_t = 32)]
    pub(super) password_hash_queue: usize,
    /// Failed sign-ins within the window that lock an account.
    #[arg(long, env = "PINRESET_SIGN_IN_MAX_FAILURES", default_value_t = 10)]
    pub(super) sign_in_max_failures: u32,
    /// Minutes over which failed sign-ins are counted.
    #[arg(long, env = "PINRESET_SIGN_IN_WINDOW_MINUTES", value_parser = clap::value_parser!(u64).range(1..), default_value_t = 15)]
    pub(super) sign_in_window_minutes: u64,
    /// Minutes a locked account stays locked.
    #[arg(long, env = "PINRESET_SIGN_IN_LOCKOUT_MINUTES", value_parser = clap::value_parser!(u64).range(1..), default_value_t = 15)]
    pub(super) sign_in_lockout_minutes: u64,
    /// Failed sign-ins from one address within the window before it must back off.
    #[arg(long, env = "PINRESET_SIGN_IN_ADDRESS_FREE_FAILURES", default_value_t = 20)]
    pub(super) sign_in_address_free_failures: u32,
    /// Serve Prometheus metrics at /metrics on the listeners above (no tenant data: counts and
    /// timings by endpoint family, channel, action kind and state).
    #[arg(long, env = "PINRESET_METRICS", conflicts_with = "metrics_listen")]
    pub(super) metrics: bool,
    /// Serve Prometheus metrics at http://ADDR/metrics instead, and nowhere else (plain HTTP:
    /// bind it to loopback or a monitoring network).
    #[arg(long, env = "PINRESET_METRICS_LISTEN")]
    pub(super) metrics_listen: Option<SocketAddr>,
    /// Wake Android agents over MQTT through this broker, mqtt://host[:port] (plain TCP: a
    /// broker on loopback or a private network). It needs Mosquitto's dynamic-security plugin:
    /// each device gets its own broker login that can subscribe to its own topic only.
    #[arg(long, env = "PINRESET_MQTT_URL")]
    pub(super) mqtt_url: Option<String>,
    /// The broker URL agents are told to connect to (e.g. mqtts://mdm.example.com:8883);
    /// default: --mqtt-url.
    #[arg(long, env = "PINRESET_MQTT_DEVICE_URL", requires = "mqtt_url")]
    pub(super) mqtt_device_url: Option<String>,
    /// The server's broker login: it must be allowed to use the dynamic-security API.
    #[arg(long, env = "PINRESET_MQTT_USERNAME", default_value = "pinreset")]
    pub(super) mqtt_username: String,
    /// File holding that login's password (or PINRESET_MQTT_PASSWORD).
    #[arg(long, env = "PINRESET_MQTT_PASSWORD_FILE")]
    pub(super) mqtt_password_file: Option<PathBuf>,
    /// Log as JSON lines.
    #[arg(long)]
    pub(super) log_json: bool,
}

/// The broker to wake Android agents through, when --mqtt-url is given.
fn mqtt_config(args: &ServeArgs) -> Result<Option<pinreset_server::channels::android::mqtt::MqttConfig>> {
    let Some(url) = args.mqtt_url.clone() else { return Ok(None) };
    let password = match (&args.mqtt_password_file, std::env::var("PINRESET_MQTT_PASSWORD")) {
        (Some(file), _) => std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("reading --mqtt-password-file {}: {e}", file.display()))?
            .trim_end_matches(['\r', '\n'])
            .to_string(),
        (None, Ok(p)) if !p.is_empty() => p,
        _ => anyhow::bail!("--mqtt-url needs the broker password: --mqtt-password-file FILE or PINRESET_MQTT_PASSWORD"),
    };
    Ok(Some(pinreset_server::channels::android::mqtt::MqttConfig {
        url,
        device_url: args.mqtt_device_url.clone(),
        username: args.mqtt_username.clone(),
        password,
    }))
}

/// The options with the `--config` file's filled in where flags and the environment left defaults.
pub(super) fn resolved(mut args: ServeArgs, matches: Option<&clap::ArgMatches>) -> Result<ServeArgs> {
    if let (Some(file), Some(matches)) = (args.config.clone(), matches) {
        let dir = file.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
        super::serve_file::read(&file)?.apply(&mut args, matches, &dir);
        // What clap checks for flags, checked again for what came from the file.
        anyhow::ensure!(args.tls_cert.is_some() == args.tls_key.is_some(), "tls-cert and tls-key go together ({})", file.display());
        anyhow::ensure!(
            !(args.metrics && args.metrics_listen.is_some()),
            "metrics and metrics-listen exclude each other ({})",
            file.display()
        );
    }
    Ok(args)
}

pub async fn run(args: ServeArgs, matches: Option<&clap::ArgMatches>) -> Result<()> {
    let args = resolved(args, matches)?;
    // Default: info for our crates, warn for the rest. RUST_LOG overrides.
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,pinreset=info,pinreset_server=info,pinreset_store=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if args.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
    let minutes = |m: u64| chrono::Duration::minutes(i64::try_from(m).unwrap_or(i64::MAX / 60_000));
    let defaults = pinreset_server::sign_in::SignInLimits::default();
    let sign_in = pinreset_server::sign_in::SignInLimits {
        max_concurrent_hashes: args.password_hash_threads.unwrap_or(defaults.max_concurrent_hashes).max(1),
        max_waiting_hashes: args.password_hash_queue,
        throttle: pinreset_server::sign_in::ThrottleLimits {
            window: minutes(args.sign_in_window_minutes),
            account_max_failures: args.sign_in_max_failures.max(1),
            account_lockout: minutes(args.sign_in_lockout_minutes),
            address_free_failures: args.sign_in_address_free_failures,
            ..defaults.throttle
        },
    };
    let connections = pinreset_server::conn_limits::ConnectionLimits {
        handshake_timeout: Duration::from_secs(args.handshake_timeout_secs),
        header_read_timeout: Duration::from_secs(args.header_timeout_secs),
        body_read_timeout: Duration::from_secs(args.body_timeout_secs),
        idle_timeout: Duration::from_secs(args.idle_timeout_secs),
        max_connections: args.max_connections.max(1),
    };
    let living = args.demo && !args.no_living_demo;
    let apns_ca = args.apns_ca_file.as_ref().map(std::fs::read).transpose()?;
    let data_dir = args.data_dir.clone();
    let mqtt = mqtt_config(&args)?;
    let mut opts = ServeOptions {
        listen: args.listen,
        listen_http: args.listen_http,
        data_dir: args.data_dir.clone(),
        database_url: args.database_url,
        tls_cert: args.tls_cert,
        tls_key: args.tls_key,
        hostnames: args.hostnames,
        demo: args.demo,
        demo_simulated: living,
        push: pinreset_server::app::push::PushConfig { apns_url: args.apns_url, extra_root_pem: apns_ca },
        client_cert_header: args.client_cert_header,
        public_url: args.public_url,
        oidc_ca_file: args.oidc_ca_file,
        sign_in,
        connections,
        metrics: match (args.metrics_listen, args.metrics) {
            (Some(at), _) => Exposure::Listen(at),
            (None, true) => Exposure::MainListener,
            (None, false) => Exposure::Off,
        },
        mqtt,
        ..ServeOptions::new(args.listen, args.data_dir)
    };
    opts.maintenance_interval = std::time::Duration::from_secs(args.maintenance_interval_secs);
    let running = pinreset_server::start(opts, Arc::new(SystemClock)).await?;
    if let Some(ca) = &running.ca_pem {
        eprintln!("pinreset is serving {} (trust {})", running.base_url(), ca.display());
    }
    if living {
        crate::living_demo::start(&running, &data_dir, Duration::from_secs(args.demo_poll_secs))?;
    }
    if let Some(http) = running.http_addr {
        eprintln!("plain HTTP for the TLS-terminating proxy on http://{http}");
    }
    if let Some(at) = running.metrics_addr {
        eprintln!("Prometheus metrics on http://{at}/metrics");
    }
    tokio::select! {
        r = running.wait() => r,
        _ = tokio::signal::ctrl_c() => { eprintln!("shutting down"); Ok(()) }
    }
}
