//! `pinreset sim windows|apple`: a simulated device that enrolls with a running server over the
//! real protocols and then polls it, printing what it was told to do.

use super::Connection;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use pinreset_sim::apple::{AppleDevice, AppleKind, Transport};
use pinreset_sim::windows::{WindowsDevice, WindowsProfile};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Copy, ValueEnum)]
pub enum Profile {
    /// Windows 10 Mobile 1703 (build 15063), Azure AD joined: passcode reset works.
    W10m,
    /// Windows 10 Mobile 1607 (build 14393): too old for passcode reset.
    W10m1607,
    /// Windows Phone 8.1: a numeric PIN.
    Wp81,
    /// Windows 11 desktop: no server-side PIN reset.
    Win11,
}

impl From<Profile> for WindowsProfile {
    fn from(p: Profile) -> Self {
        match p {
            Profile::W10m => WindowsProfile::Windows10Mobile15063,
            Profile::W10m1607 => WindowsProfile::Windows10Mobile14393,
            Profile::Wp81 => WindowsProfile::WindowsPhone81,
            Profile::Win11 => WindowsProfile::Windows11Desktop,
        }
    }
}

#[derive(Args)]
pub struct WindowsArgs {
    /// Device model and OS.
    #[arg(long, value_enum, default_value = "w10m")]
    profile: Profile,
    /// The enrolling user's work email.
    #[arg(long)]
    email: String,
    /// Their password (or PINRESET_SIM_PASSWORD).
    #[arg(long, env = "PINRESET_SIM_PASSWORD", hide_env_values = true)]
    password: String,
    /// Management sessions to run after enrolling.
    #[arg(long, default_value_t = 1)]
    sessions: u32,
    /// Seconds between sessions (the device's poll interval).
    #[arg(long, default_value_t = 30)]
    interval_secs: u64,
}

/// The CA the simulated device trusts the server by: --ca, else ./data/tls/ca.pem.
fn server_ca(ca: Option<PathBuf>) -> Result<String> {
    let ca_path = ca
        .or_else(|| Some(PathBuf::from("data/tls/ca.pem")).filter(|p| p.exists()))
        .context("pass --ca with the server's CA certificate")?;
    std::fs::read_to_string(&ca_path).with_context(|| format!("reading {}", ca_path.display()))
}

pub async fn windows(server: &str, ca: Option<PathBuf>, args: WindowsArgs) -> Result<()> {
    let ca_pem = server_ca(ca)?;
    let mut device = WindowsDevice::enroll(server, &ca_pem, &args.email, &args.password, args.profile.into())
        .await
        .map_err(|e| anyhow::anyhow!("enrollment failed: {e}"))?;
    println!("enrolled device {} as {}", device.device_id, args.email);
    for n in 0..args.sessions {
        if n > 0 {
            tokio::time::sleep(Duration::from_secs(args.interval_secs)).await;
        }
        let log = device.run_session().await.map_err(|e| anyhow::anyhow!("session failed: {e}"))?;
        if log.executed.is_empty() {
            println!("session {}: nothing to do", log.session_id);
        }
        for e in &log.executed {
            println!("session {}: {} {} → {}", log.session_id, e.cmd, e.target.as_deref().unwrap_or(""), e.code);
        }
        if let Some(pin) = device.pin() {
            if log.executed.iter().any(|e| e.target.as_deref().is_some_and(|t| t.ends_with("LockAndResetPIN")) && e.code == 200) {
                println!("new PIN on the device: {pin}");
            }
        }
    }
    Ok(())
}

#[derive(Clone, Copy, ValueEnum)]
pub enum AppleKindArg {
    /// iPhone, iOS 17.5.1: its passcode can be cleared with the escrowed UnlockToken.
    Iphone,
    /// Shared iPad, iPadOS 17.5: no device passcode to clear.
    SharedIpad,
    /// iPhone under User Enrollment (BYOD): passcode reset is not allowed.
    UserEnrollment,
    /// Mac, macOS 14.5: locks and erases with a 6-digit PIN.
    Mac,
}

impl From<AppleKindArg> for AppleKind {
    fn from(k: AppleKindArg) -> Self {
        match k {
            AppleKindArg::Iphone => AppleKind::Iphone17,
            AppleKindArg::SharedIpad => AppleKind::SharedIpad,
            AppleKindArg::UserEnrollment => AppleKind::UserEnrollmentIphone,
            AppleKindArg::Mac => AppleKind::Macos14,
        }
    }
}

#[derive(Args)]
pub struct AppleArgs {
    /// Device model and OS.
    #[arg(long, value_enum, default_value = "iphone")]
    kind: AppleKindArg,
    /// An enrollment profile saved with `pinreset enroll apple`.
    #[arg(long, conflicts_with = "login", required_unless_present = "login")]
    mobileconfig: Option<PathBuf>,
    /// Or download a profile for this user now (needs an admin --token).
    #[arg(long)]
    login: Option<String>,
    /// Sign every message (Mdm-Signature header) instead of presenting the identity in TLS.
    #[arg(long)]
    sign_messages: bool,
    /// Connections to the command endpoint after enrolling.
    #[arg(long, default_value_t = 1)]
    polls: u32,
    /// Seconds between connections.
    #[arg(long, default_value_t = 30)]
    interval_secs: u64,
    /// Answer the first N commands with NotNow, as a busy device does.
    #[arg(long, default_value_t = 0)]
    not_now: u32,
}

pub async fn apple(conn: &Connection, args: AppleArgs) -> Result<()> {
    let ca_pem = server_ca(conn.ca.clone())?;
    let profile = match (&args.mobileconfig, &args.login) {
        (Some(path), _) => std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        (None, Some(login)) => super::apple_profile(conn, login).await?,
        (None, None) => anyhow::bail!("give --mobileconfig or --login"),
    };
    let transport = if args.sign_messages { Transport::MdmSignature } else { Transport::TlsClientCert };
    let mut device = AppleDevice::install(&profile, &ca_pem, args.kind.into(), transport)
        .map_err(|e| anyhow::anyhow!("the profile cannot be installed: {e}"))?;
    device.enroll().await.map_err(|e| anyhow::anyhow!("enrollment failed: {e}"))?;
    println!("enrolled {} {} (UDID {})", device.kind.model_name(), device.kind.os_version(), device.udid);
    device.answer_not_now(args.not_now);
    for n in 0..args.polls {
        if n > 0 {
            tokio::time::sleep(Duration::from_secs(args.interval_secs)).await;
        }
        let answered = device.poll().await.map_err(|e| anyhow::anyhow!("connection failed: {e}"))?;
        if answered.is_empty() {
            println!("poll {}: nothing to do", n + 1);
        }
        for a in &answered {
            println!("poll {}: {} → {}", n + 1, a.request_type, a.status);
        }
    }
    let passcode = if device.passcode().is_some() { "set" } else { "none" };
    println!("passcode: {passcode}; locked: {}", if device.locked() { "yes" } else { "no" });
    if let Some(pin) = device.lock_pin() {
        println!("PIN the Mac was locked with: {pin}");
    }
    Ok(())
}
