//! `pinreset serve --config FILE`: the server's options in a TOML file, for a deployment that
//! keeps its settings in /etc rather than in a unit file's command line. The keys are the
//! flags' names without `--` (`listen = "0.0.0.0:8443"`, `database-url = "postgres://…"`,
//! `hostname = ["mdm.example.com"]`). A flag or an environment variable given as well wins over
//! the file; the file wins over the defaults. An unknown key is an error naming it, so a typo
//! never silently leaves a default in place.

use super::serve::ServeArgs;
use anyhow::{Context, Result};
use clap::parser::ValueSource;
use clap::ArgMatches;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServeFile {
    listen: Option<SocketAddr>,
    listen_http: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    hostname: Option<Vec<String>>,
    demo: Option<bool>,
    no_living_demo: Option<bool>,
    demo_poll_secs: Option<u64>,
    apns_url: Option<String>,
    apns_ca_file: Option<PathBuf>,
    client_cert_header: Option<String>,
    public_url: Option<String>,
    oidc_ca_file: Option<PathBuf>,
    handshake_timeout_secs: Option<u64>,
    header_timeout_secs: Option<u64>,
    body_timeout_secs: Option<u64>,
    idle_timeout_secs: Option<u64>,
    max_connections: Option<usize>,
    maintenance_interval_secs: Option<u64>,
    password_hash_threads: Option<usize>,
    password_hash_queue: Option<usize>,
    sign_in_max_failures: Option<u32>,
    sign_in_window_minutes: Option<u64>,
    sign_in_lockout_minutes: Option<u64>,
    sign_in_address_free_failures: Option<u32>,
    metrics: Option<bool>,
    metrics_listen: Option<SocketAddr>,
    mqtt_url: Option<String>,
    mqtt_device_url: Option<String>,
    mqtt_username: Option<String>,
    mqtt_password_file: Option<PathBuf>,
    log_json: Option<bool>,
}

pub fn read(path: &Path) -> Result<ServeFile> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading the config file {}", path.display()))?;
    // toml's message names the line, the column and the key.
    toml::from_str(&text).with_context(|| format!("in the config file {}", path.display()))
}

/// Given on the command line or in the environment: the file does not override it.
fn given(matches: &ArgMatches, id: &str) -> bool {
    matches!(matches.value_source(id), Some(ValueSource::CommandLine | ValueSource::EnvVariable))
}

impl ServeFile {
    /// Fill in every option the command line and environment left at its default. Paths in the
    /// file are relative to the file's own directory (the way a unit file's readers expect).
    pub fn apply(self, args: &mut ServeArgs, matches: &ArgMatches, dir: &Path) {
        let path = |p: PathBuf| if p.is_absolute() { p } else { dir.join(p) };
        // Options with a value (defaulted or not): the file's value replaces the default.
        macro_rules! set {
            ($($field:ident => $id:literal $(via $conv:expr)?),* $(,)?) => {$(
                if let Some(v) = self.$field {
                    if !given(matches, $id) {
                        args.$field = set!(@conv v $(, $conv)?);
                    }
                }
            )*};
            (@conv $v:ident) => { $v };
            (@conv $v:ident, $conv:expr) => { $conv($v) };
        }
        set!(
            listen => "listen",
            data_dir => "data_dir" via path,
            demo => "demo",
            no_living_demo => "no_living_demo",
            demo_poll_secs => "demo_poll_secs",
            apns_url => "apns_url",
            handshake_timeout_secs => "handshake_timeout_secs",
            header_timeout_secs => "header_timeout_secs",
            body_timeout_secs => "body_timeout_secs",
            idle_timeout_secs => "idle_timeout_secs",
            max_connections => "max_connections",
            maintenance_interval_secs => "maintenance_interval_secs",
            password_hash_queue => "password_hash_queue",
            sign_in_max_failures => "sign_in_max_failures",
            sign_in_window_minutes => "sign_in_window_minutes",
            sign_in_lockout_minutes => "sign_in_lockout_minutes",
            sign_in_address_free_failures => "sign_in_address_free_failures",
            metrics => "metrics",
            log_json => "log_json",
            listen_http => "listen_http" via Some,
            database_url => "database_url" via Some,
            tls_cert => "tls_cert" via (|p| Some(path(p))),
            tls_key => "tls_key" via (|p| Some(path(p))),
            client_cert_header => "client_cert_header" via Some,
            public_url => "public_url" via Some,
            oidc_ca_file => "oidc_ca_file" via (|p| Some(path(p))),
            apns_ca_file => "apns_ca_file" via (|p| Some(path(p))),
            password_hash_threads => "password_hash_threads" via Some,
            metrics_listen => "metrics_listen" via Some,
            mqtt_url => "mqtt_url" via Some,
            mqtt_device_url => "mqtt_device_url" via Some,
            mqtt_username => "mqtt_username",
            mqtt_password_file => "mqtt_password_file" via (|p| Some(path(p))),
        );
        if let Some(names) = self.hostname {
            if !given(matches, "hostnames") {
                args.hostnames = names;
            }
        }
    }
}
