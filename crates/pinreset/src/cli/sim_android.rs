//! `pinreset sim android`: a simulated Android phone running the pinreset agent. It enrolls with
//! a one-time token (issued here through the admin API for --login, or given with
//! --enrollment-token as the QR code carries it), checks in, escrows its reset token when asked,
//! and then long-polls (or waits for MQTT wake-ups), applying each command as Android would.

use super::sim::{print_device_next, read_state, server_ca, slug, write_state, DataDir};
use super::Connection;
use crate::living_demo::{saved_android, Sim};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use pinreset_sim::android::{AndroidDevice, AndroidProfile};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Copy, ValueEnum)]
pub enum ProfileArg {
    /// Android 6.0, device admin: the agent sets the temporary passcode itself.
    Android6Admin,
    /// Android 7.1, device admin with a passcode: refused (only a factory reset helps).
    Android7Admin,
    /// Android 13, fully managed (device owner): resets with its escrowed token once active.
    Android13,
    /// Android 14, fully managed (device owner).
    Android14,
    /// Android 14, work profile (profile owner): resets the work profile's passcode.
    Android14Work,
}

impl From<ProfileArg> for AndroidProfile {
    fn from(p: ProfileArg) -> Self {
        match p {
            ProfileArg::Android6Admin => AndroidProfile::Android6DeviceAdmin,
            ProfileArg::Android7Admin => AndroidProfile::Android7DeviceAdmin,
            ProfileArg::Android13 => AndroidProfile::Android13FullyManaged,
            ProfileArg::Android14 => AndroidProfile::Android14FullyManaged,
            ProfileArg::Android14Work => AndroidProfile::Android14WorkProfile,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OwnershipArg {
    Corporate,
    Personal,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailureArg {
    /// The reset token is not active on the device.
    TokenInactive,
    /// The passcode does not meet the device's password policy.
    PasswordRejectedByPolicy,
    ApiLevel,
    ManagementMode,
    Unknown,
}

impl FailureArg {
    fn code(self) -> &'static str {
        match self {
            FailureArg::TokenInactive => "token_inactive",
            FailureArg::PasswordRejectedByPolicy => "password_rejected_by_policy",
            FailureArg::ApiLevel => "api_level",
            FailureArg::ManagementMode => "management_mode",
            FailureArg::Unknown => "unknown",
        }
    }
}

#[derive(Args)]
pub struct AndroidArgs {
    /// Android version and management mode.
    #[arg(long, value_enum, default_value = "android13")]
    profile: ProfileArg,
    /// Enroll for this user: a one-time token is issued through the admin API (needs an admin
    /// --token; against the demo, its admin token is read from DATA/demo-credentials.json).
    #[arg(long, conflicts_with = "enrollment_token")]
    login: Option<String>,
    /// Or enroll with this one-time token (what the enrollment QR code carries).
    #[arg(long, env = "PINRESET_ENROLLMENT_TOKEN", hide_env_values = true)]
    enrollment_token: Option<String>,
    /// Who owns the device (with --login).
    #[arg(long, value_enum, default_value = "personal")]
    ownership: OwnershipArg,
    /// The device's name (default: "LOGIN's MODEL").
    #[arg(long)]
    name: Option<String>,
    /// File keeping the device's identity (0600: it holds its key and reset token). When it
    /// exists the device resumes from it instead of enrolling again.
    /// Default: DATA/sim/android-PROFILE-LOGIN.json.
    #[arg(long)]
    state: Option<PathBuf>,
    #[command(flatten)]
    data: DataDir,
    /// The user confirms their screen lock in the agent: Android activates the reset token.
    #[arg(long)]
    confirm_credential: bool,
    /// Restart the phone first: a reset token not yet activated is lost.
    #[arg(long)]
    reboot: bool,
    /// Answer the next command with this failure, whatever it asks.
    #[arg(long, value_enum)]
    fail_next: Option<FailureArg>,
    /// The shortest passcode the device's policy accepts.
    #[arg(long)]
    policy_min_length: Option<usize>,
    /// Long-polls (or MQTT waits) after enrolling.
    #[arg(long, default_value_t = 1)]
    polls: u32,
    /// Seconds each long-poll (or MQTT wait) lasts.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(0..=55))]
    wait_secs: u32,
    /// Wait for MQTT wake-ups instead of holding long-polls (the server must have a broker).
    #[arg(long)]
    mqtt: bool,
}

/// A one-time token for `login`, issued through the admin API.
async fn issue_token(conn: &Connection, data: &DataDir, login: &str, ownership: OwnershipArg) -> Result<String> {
    let mut admin = conn.clone();
    if admin.token.is_none() {
        admin.token = super::sim::demo_credentials(data).ok().map(|c| c.admin_token);
    }
    let ownership = match ownership {
        OwnershipArg::Corporate => "corporate",
        OwnershipArg::Personal => "personal",
    };
    let issued = super::client::Client::new(&admin)?
        .post_json("/enrollment/android/tokens", &serde_json::json!({ "login": login, "ownership": ownership }))
        .await
        .context("issuing an enrollment token")?;
    issued["token"].as_str().map(str::to_owned).context("the server answered no token")
}

pub async fn android(conn: &Connection, args: AndroidArgs) -> Result<()> {
    let ca_pem = server_ca(conn.ca.clone(), &args.data)?;
    let profile = AndroidProfile::from(args.profile);
    let state = match (&args.state, &args.login) {
        (Some(path), _) => path.clone(),
        (None, Some(login)) => args.data.dir.join("sim").join(format!("android-{}-{}.json", profile.key(), slug(login))),
        (None, None) => anyhow::bail!("give --login (or --enrollment-token with --state), or --state with a saved device"),
    };
    let mut device = match read_state(&state, &ca_pem)? {
        Some(Sim::Android(device)) => {
            println!("resuming {} ({}) from {}", device.name, device.profile.key(), state.display());
            device
        }
        Some(other) => anyhow::bail!("{} holds {}", state.display(), other.what()),
        None => {
            let token = match (&args.enrollment_token, &args.login) {
                (Some(t), _) => t.clone(),
                (None, Some(login)) => issue_token(conn, &args.data, login, args.ownership).await?,
                (None, None) => anyhow::bail!("{} does not exist yet: give --login or --enrollment-token to enroll", state.display()),
            };
            let mut device = AndroidDevice::new(profile, &conn.server, &ca_pem).map_err(|e| anyhow::anyhow!("{e}"))?;
            device.name = match (&args.name, &args.login) {
                (Some(name), _) => name.clone(),
                (None, Some(login)) => format!("{login}'s {}", profile.model()),
                (None, None) => device.name.clone(),
            };
            device.enroll(&token, false).await.map_err(|e| anyhow::anyhow!("enrollment failed: {e}"))?;
            write_state(&state, &saved_android(&device))?;
            println!("enrolled {} ({}); its identity is saved in {}", device.name, profile.key(), state.display());
            Box::new(device)
        }
    };
    let result = run(&mut device, &args, &state).await;
    write_state(&state, &saved_android(&device))?;
    if let Some(id) = &device.device_id {
        print_device_next(conn, id);
    }
    let shown = |p: Option<&str>| p.map_or("none".to_string(), str::to_owned);
    println!("passcode on the device: {}", shown(device.passcode()));
    if profile == AndroidProfile::Android14WorkProfile {
        println!("work profile passcode: {}", shown(device.work_passcode()));
    }
    println!("reset token: {}; locked: {}", device.token_state(), if device.locked() { "yes" } else { "no" });
    result
}

/// Check in (following the server's token instructions), then poll as asked.
async fn run(device: &mut AndroidDevice, args: &AndroidArgs, state: &std::path::Path) -> Result<()> {
    if let Some(n) = args.policy_min_length {
        device.set_policy_min_length(n);
    }
    if args.reboot {
        device.reboot();
        println!("rebooted: reset token {}", device.token_state());
    }
    device.check_in().await.map_err(|e| anyhow::anyhow!("check-in failed: {e}"))?;
    if args.confirm_credential {
        device.confirm_credential();
        device.check_in().await.map_err(|e| anyhow::anyhow!("check-in failed: {e}"))?;
    }
    if let Some(code) = args.fail_next {
        device.fail_next_with(code.code());
    }
    let mut wakeups = match args.mqtt {
        true => Some(device.mqtt_listen().await.map_err(|e| anyhow::anyhow!("MQTT: {e}"))?.1),
        false => None,
    };
    for n in 1..=args.polls {
        let wait = match &mut wakeups {
            Some(w) => {
                if w.next(Duration::from_secs(args.wait_secs.into())).await.is_none() {
                    println!("wait {n}: no wake-up");
                    continue;
                }
                0
            }
            None => args.wait_secs,
        };
        let answered = device.poll(wait).await.map_err(|e| anyhow::anyhow!("poll failed: {e}"))?;
        if answered.is_empty() {
            println!("poll {n}: nothing to do");
        }
        for a in &answered {
            println!("poll {n}: {} → {}", a.kind, a.outcome);
        }
        write_state(state, &saved_android(device))?;
        if !device.enrolled() {
            println!("the device left management (wiped or retired)");
            break;
        }
    }
    Ok(())
}
