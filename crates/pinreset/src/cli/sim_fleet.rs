//! `pinreset sim fleet`: many simulated devices at once against a running server (or a load
//! balancer in front of several), for load and scale runs. Enrolls them over the real
//! protocols in parallel with a progress bar, keeps them checking in, and on Ctrl-C or after
//! --duration prints what they received (a command received twice by one device is listed)
//! and the time from request to verified success of the actions they completed.

use super::sim::{demo_credentials, server_ca, DataDir};
use super::Connection;
use anyhow::{Context, Result};
use clap::Args;
use pinreset_sim::fleet::{percentile, Fleet, FleetSpec};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Args)]
pub struct FleetArgs {
    /// Simulated iPhones (each with its own enrollment profile: needs an admin --token).
    #[arg(long, default_value_t = 0)]
    apple: usize,
    /// Simulated Windows 10 Mobile phones (enroll with --email and --password).
    #[arg(long, default_value_t = 0)]
    windows: usize,
    /// Simulated Android 14 agents, fully managed (one-time enrollment tokens: needs --token).
    #[arg(long, default_value_t = 0)]
    android: usize,
    /// The user the Apple and Android devices belong to; against `serve --demo` also the demo
    /// user whose e-mail and password the Windows devices enroll with.
    #[arg(long, default_value = "alice")]
    login: String,
    /// The work e-mail Windows devices enroll with (default: the demo user's).
    #[arg(long)]
    email: Option<String>,
    /// Its password (or PINRESET_SIM_PASSWORD; default: the demo user's).
    #[arg(long, env = "PINRESET_SIM_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// Seconds between a device's check-ins.
    #[arg(long, default_value_t = 30)]
    interval: u64,
    /// Stop after this long (`90s`, `10m`, `1h`, or seconds); default: at Ctrl-C.
    #[arg(long, value_parser = parse_duration)]
    duration: Option<Duration>,
    /// Enrollments and check-ins in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Wake the Apple devices by push: run a stand-in APNs that accepts this push certificate
    /// (PEM, the one uploaded with `pinreset tenant apns`) and start the server with the
    /// `--apns-url` and `--apns-ca-file` printed.
    #[arg(long)]
    apns_cert: Option<PathBuf>,
    /// Where the stand-in APNs listens.
    #[arg(long, default_value = "127.0.0.1:2197")]
    apns_listen: String,
    #[command(flatten)]
    data: DataDir,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = number.parse().map_err(|_| format!("{s:?} is not a duration like 90s, 10m or 1h"))?;
    match unit {
        "" | "s" => Ok(Duration::from_secs(n)),
        "m" => Ok(Duration::from_secs(n * 60)),
        "h" => Ok(Duration::from_secs(n * 3600)),
        _ => Err(format!("{s:?}: the unit is s, m or h")),
    }
}

fn millis(d: Option<Duration>) -> String {
    d.map_or_else(|| "-".into(), |d| format!("{:.0} ms", d.as_secs_f64() * 1000.0))
}

pub async fn fleet(conn: &Connection, args: FleetArgs) -> Result<()> {
    let ca_pem = server_ca(conn.ca.clone(), &args.data)?;
    let demo = demo_credentials(&args.data).ok();
    let token = conn.token.clone().or_else(|| demo.as_ref().map(|d| d.admin_token.clone()));
    if token.is_none() && args.apple + args.android > 0 {
        anyhow::bail!("Apple and Android devices need an admin --token (their profiles and enrollment tokens come from the API)");
    }
    let demo_user = demo.as_ref().and_then(|d| d.users.iter().find(|u| u.login == args.login));
    let email = args.email.clone().or_else(|| demo_user.map(|u| u.email.clone()));
    let password = args.password.clone().or_else(|| demo_user.map(|u| u.password.clone()));
    if args.windows > 0 && (email.is_none() || password.is_none()) {
        anyhow::bail!("Windows devices enroll as a user: give --email and --password (or --login of a demo user with --data-dir)");
    }
    let spec = FleetSpec {
        server: conn.server.clone(),
        ca_pem,
        token,
        apple: args.apple,
        windows: args.windows,
        android: args.android,
        login: args.login.clone(),
        windows_email: email.unwrap_or_default(),
        windows_password: password.unwrap_or_default(),
        concurrency: args.concurrency,
        interval: Duration::from_secs(args.interval.max(1)),
    };
    let apns = match &args.apns_cert {
        Some(path) => Some(Arc::new(stand_in_apns(path, &args.apns_listen, &args.data).await?)),
        None => None,
    };

    let total = (args.apple + args.windows + args.android) as u64;
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("enrolling {spinner} [{elapsed_precise}] {bar:40} {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let counter = bar.clone();
    let enrolled = std::time::Instant::now();
    let mut fleet = Fleet::enroll(spec, move |done| counter.set_position(done as u64)).await.context("enrolling the fleet")?;
    bar.finish_and_clear();
    println!("enrolled {} devices in {:.1} s", fleet.members.len(), enrolled.elapsed().as_secs_f64());

    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let live = indicatif::ProgressBar::new_spinner();
    live.set_style(
        indicatif::ProgressStyle::with_template("polling {spinner} [{elapsed_precise}] {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let (tally, status) = (fleet.tally.clone(), live.clone());
    let ticker = tokio::spawn(async move {
        loop {
            let s = tally.summary();
            status.set_message(format!(
                "{} check-ins, {} commands on {} devices, {} duplicates, {} errors (Ctrl-C stops)",
                s.check_ins,
                s.commands,
                s.devices_commanded,
                s.duplicates.len(),
                s.errors
            ));
            status.tick();
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    let duration = args.duration;
    tokio::spawn(async move {
        match duration {
            Some(d) => tokio::select! { _ = tokio::time::sleep(d) => {}, _ = tokio::signal::ctrl_c() => {} },
            None => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        let _ = stop_tx.send(true);
    });
    let report = fleet.run(apns, stop).await;
    ticker.abort();
    live.finish_and_clear();

    let s = &report.tally;
    println!(
        "{} devices ran {:.1} s: {} check-ins, {} commands received by {} devices, {} failed check-ins",
        s.devices,
        report.elapsed.as_secs_f64(),
        s.check_ins,
        s.commands,
        s.devices_commanded,
        s.errors
    );
    for e in &s.error_samples {
        println!("  failed: {e}");
    }
    if s.duplicates.is_empty() {
        println!("no device received a command twice");
    } else {
        println!("{} commands received more than once:", s.duplicates.len());
        for d in s.duplicates.iter().take(20) {
            println!("  {} got {} {} times", d.device, d.command, d.times);
        }
    }
    let verified = fleet.time_to_verified().await.context("reading the actions' times")?;
    if verified.times.is_empty() {
        println!("no action of these devices succeeded (time-to-verified needs an admin token)");
    } else {
        let t = &verified.times;
        println!(
            "time to verified for {} actions: p50 {}, p95 {}, p99 {}, max {}",
            t.len(),
            millis(percentile(t, 50.0)),
            millis(percentile(t, 95.0)),
            millis(percentile(t, 99.0)),
            millis(t.last().copied())
        );
    }
    for (state, n) in &verified.other_states {
        println!("  {n} actions {state}");
    }
    if !s.duplicates.is_empty() {
        anyhow::bail!("a device received the same command twice");
    }
    Ok(())
}

/// A stand-in APNs accepting the tenant's push certificate, its CA saved where `serve
/// --apns-ca-file` can read it.
async fn stand_in_apns(cert: &std::path::Path, listen: &str, data: &DataDir) -> Result<pinreset_sim::apple::StandInApns> {
    let pem = std::fs::read(cert).with_context(|| format!("reading {}", cert.display()))?;
    let der = first_certificate(&String::from_utf8_lossy(&pem)).context("no PEM certificate in the push certificate file")?;
    let apns = pinreset_sim::apple::StandInApns::start_on(der, listen).await.map_err(|e| anyhow::anyhow!("stand-in APNs: {e}"))?;
    let ca_file = data.dir.join("sim").join("stand-in-apns-ca.pem");
    if let Some(dir) = ca_file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&ca_file, &apns.ca_pem)?;
    println!("stand-in APNs at {}: serve with --apns-url {} --apns-ca-file {}", apns.url, apns.url, ca_file.display());
    Ok(apns)
}

/// The DER of the first `CERTIFICATE` block of a PEM file.
fn first_certificate(pem: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let body = pem.split_once("-----BEGIN CERTIFICATE-----")?.1.split_once("-----END CERTIFICATE-----")?.0;
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations() {
        use std::time::Duration;
        assert_eq!(super::parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(super::parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(super::parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(super::parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(super::parse_duration("soon").is_err());
    }
}
