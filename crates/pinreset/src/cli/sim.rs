//! `pinreset sim windows`: a simulated Windows device that enrolls with a running server over
//! the real protocols and then polls it, printing what it was told to do.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
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

pub async fn windows(server: &str, ca: Option<PathBuf>, args: WindowsArgs) -> Result<()> {
    let ca_path = ca
        .or_else(|| Some(PathBuf::from("data/tls/ca.pem")).filter(|p| p.exists()))
        .context("pass --ca with the server's CA certificate")?;
    let ca_pem = std::fs::read_to_string(&ca_path).with_context(|| format!("reading {}", ca_path.display()))?;
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
