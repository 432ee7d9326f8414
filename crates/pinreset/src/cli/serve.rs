//! `pinreset serve`.

use anyhow::Result;
use clap::Args;
use pinreset_server::{clock::SystemClock, ServeOptions};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on (HTTPS).
    #[arg(long, env = "PINRESET_LISTEN", default_value = "127.0.0.1:8443")]
    listen: SocketAddr,
    /// Where the database, master key, TLS files and demo credentials live.
    #[arg(long, env = "PINRESET_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// Database: default SQLite in the data dir; or postgres://user@host/db.
    #[arg(long, env = "PINRESET_DATABASE_URL")]
    database_url: Option<String>,
    /// Your own TLS certificate (PEM); default: one signed by a CA generated into DATA/tls/ca.pem.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// Private key (PEM) for --tls-cert.
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Extra host names or IPs for the generated certificate (repeatable).
    #[arg(long = "hostname")]
    hostnames: Vec<String>,
    /// Seed a demo tenant and write DATA/demo-credentials.json.
    #[arg(long)]
    demo: bool,
    /// APNs endpoint for waking Apple devices.
    #[arg(long, env = "PINRESET_APNS_URL", default_value = "https://api.push.apple.com")]
    apns_url: String,
    /// Behind a TLS-terminating proxy: the request header in which it passes the device's client
    /// certificate (URL-escaped PEM, as nginx's $ssl_client_escaped_cert, or base64 DER). Only set
    /// this when the proxy always overwrites that header.
    #[arg(long, env = "PINRESET_CLIENT_CERT_HEADER")]
    client_cert_header: Option<String>,
    /// The URL devices are given for this server: https://host[:port], no path. Every URL
    /// handed to a device (Windows discovery and management, Apple enrollment profiles) uses it,
    /// never the request's Host header. Default: https://<first --hostname, else the first
    /// non-loopback name of the TLS certificate, else the listen address>:<listen port>.
    #[arg(long, env = "PINRESET_PUBLIC_URL")]
    public_url: Option<String>,
    /// Log as JSON lines.
    #[arg(long)]
    log_json: bool,
}

pub async fn run(args: ServeArgs) -> Result<()> {
    // Default: info for our crates, warn for the rest. RUST_LOG overrides.
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,pinreset=info,pinreset_server=info,pinreset_store=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if args.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
    let opts = ServeOptions {
        listen: args.listen,
        data_dir: args.data_dir.clone(),
        database_url: args.database_url,
        tls_cert: args.tls_cert,
        tls_key: args.tls_key,
        hostnames: args.hostnames,
        demo: args.demo,
        push: pinreset_server::app::push::PushConfig { apns_url: args.apns_url, extra_root_pem: None },
        client_cert_header: args.client_cert_header,
        public_url: args.public_url,
        ..ServeOptions::new(args.listen, args.data_dir)
    };
    let running = pinreset_server::start(opts, Arc::new(SystemClock)).await?;
    if let Some(ca) = &running.ca_pem {
        eprintln!("pinreset is serving {} (trust {})", running.base_url(), ca.display());
    }
    tokio::select! {
        r = running.wait() => r,
        _ = tokio::signal::ctrl_c() => { eprintln!("shutting down"); Ok(()) }
    }
}
