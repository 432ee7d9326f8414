//! `pinreset sim windows|apple`: a simulated device that enrolls with a running server over the
//! real protocols and then polls it, printing what it was told to do.

use super::Connection;
use crate::living_demo::{saved_apple, saved_windows, Sim};
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
    #[arg(long, conflicts_with = "login")]
    email: Option<String>,
    /// Or a demo user's login: their email and password are looked up in
    /// DATA/demo-credentials.json (against `serve --demo`).
    #[arg(long)]
    login: Option<String>,
    /// Their password (or PINRESET_SIM_PASSWORD).
    #[arg(long, env = "PINRESET_SIM_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// The device's name (default: "LOGIN's MODEL").
    #[arg(long)]
    name: Option<String>,
    /// File keeping the device's identity (0600: it holds its key and credentials). When it
    /// exists the device resumes from it instead of enrolling again.
    /// Default: DATA/sim/windows-PROFILE-USER.json.
    #[arg(long)]
    state: Option<PathBuf>,
    #[command(flatten)]
    data: DataDir,
    /// Management sessions to run after enrolling.
    #[arg(long, default_value_t = 1)]
    sessions: u32,
    /// Seconds between sessions (the device's poll interval).
    #[arg(long, default_value_t = 30)]
    interval_secs: u64,
}

#[derive(Args)]
pub struct DataDir {
    /// The server's data dir on this machine: its CA (tls/ca.pem), the demo credentials and
    /// the simulators' state files (sim/).
    #[arg(long = "data-dir", env = "PINRESET_DATA_DIR", default_value = "./data")]
    pub(super) dir: PathBuf,
}

/// The CA the simulated device trusts the server by: --ca, else DATA/tls/ca.pem.
pub(super) fn server_ca(ca: Option<PathBuf>, data: &DataDir) -> Result<String> {
    let ca_path = ca
        .or_else(|| Some(data.dir.join("tls/ca.pem")).filter(|p| p.exists()))
        .context("pass --ca with the server's CA certificate (or --data-dir with the server's data dir)")?;
    std::fs::read_to_string(&ca_path).with_context(|| format!("reading {}", ca_path.display()))
}

pub(super) fn demo_credentials(data: &DataDir) -> Result<pinreset_server::demo::DemoCredentials> {
    let path = data.dir.join(pinreset_server::demo::CREDENTIALS_FILE);
    let bytes = std::fs::read(&path)
        .with_context(|| format!("reading {} (--login works against `serve --demo`; else give --email)", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("reading {}", path.display()))
}

/// The server's reason when it refused the enrollment with a SOAP fault, else the whole error.
fn enrollment_failed(e: pinreset_sim::error::SimError) -> anyhow::Error {
    if let pinreset_sim::error::SimError::HttpStatus { body, status, .. } = &e {
        let reason =
            body.split_once("<s:Text").and_then(|(_, rest)| rest.split_once('>')).and_then(|(_, rest)| rest.split_once("</s:Text>"));
        if let Some((reason, _)) = reason {
            return anyhow::anyhow!(
                "enrollment failed: the server refused it (HTTP {status}): {}",
                reason.replace("&apos;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            );
        }
    }
    anyhow::anyhow!("enrollment failed: {e}")
}

/// A file-name-safe form of a user name.
fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '_' }).collect()
}

fn write_state(path: &std::path::Path, saved: &serde_json::Value) -> Result<()> {
    pinreset_sim::state::write(path, saved).with_context(|| format!("saving the device in {}", path.display()))
}

fn read_state(path: &std::path::Path, ca_pem: &str) -> Result<Option<Sim>> {
    match pinreset_sim::state::read(path)? {
        Some(saved) => Ok(Some(Sim::restore(saved, ca_pem).with_context(|| format!("resuming from {}", path.display()))?)),
        None => Ok(None),
    }
}

/// Print the device's pinreset id and the command to try next (the id is looked up with
/// --token, else the demo's admin token when DATA/demo-credentials.json is there).
async fn print_next_steps(conn: &Connection, data: &DataDir, identifier: &str) {
    let mut lookup = conn.clone();
    if lookup.token.is_none() {
        lookup.token = demo_credentials(data).ok().map(|c| c.admin_token);
    }
    let server = if conn.server == "https://127.0.0.1:8443" { String::new() } else { format!("--server {} ", conn.server) };
    let found = match super::client::Client::new(&lookup) {
        Ok(c) => c.get("/devices", &[("search", identifier.to_string())]).await.ok(),
        Err(_) => None,
    };
    match found.as_ref().and_then(|p| p["items"].as_array()?.first()?["id"].as_str().map(str::to_owned)) {
        Some(id) => {
            println!("pinreset device id: {id}");
            println!("next: pinreset {server}--token $TOKEN reset-passcode {id}");
        }
        None => println!("find it: pinreset {server}--token $TOKEN devices list --search {identifier}"),
    }
}

pub async fn windows(conn: &Connection, args: WindowsArgs) -> Result<()> {
    let ca_pem = server_ca(conn.ca.clone(), &args.data)?;
    let (email, password) = match (&args.login, &args.email) {
        (Some(login), _) => {
            let creds = demo_credentials(&args.data)?;
            let user = creds.users.iter().find(|u| &u.login == login).with_context(|| format!("no demo user with the login {login:?}"))?;
            (Some(user.email.clone()), args.password.clone().or(Some(user.password.clone())))
        }
        (None, email) => (email.clone(), args.password.clone()),
    };
    let user = args.login.clone().or_else(|| email.as_deref().map(|e| e.split('@').next().unwrap_or(e).to_string()));
    let state = match (&args.state, &user) {
        (Some(path), _) => path.clone(),
        (None, Some(user)) => {
            args.data.dir.join("sim").join(format!("windows-{}-{}.json", WindowsProfile::from(args.profile).key(), slug(user)))
        }
        (None, None) => anyhow::bail!("give --email (or --login against the demo), or --state with a saved device"),
    };
    let mut device = match read_state(&state, &ca_pem)? {
        Some(Sim::Windows(device)) => {
            println!("resuming device {} ({}) from {}", device.device_id, device.device_name(), state.display());
            device
        }
        Some(Sim::Apple(_)) => anyhow::bail!("{} holds an Apple device", state.display()),
        None => {
            let (Some(email), Some(password)) = (email, password) else {
                anyhow::bail!("{} does not exist yet: give --email and --password (or --login against the demo) to enroll", state.display())
            };
            let profile = WindowsProfile::from(args.profile);
            let mut device = WindowsDevice::new_unenrolled(profile).map_err(|e| anyhow::anyhow!("{e}"))?;
            let owner = user.unwrap_or_default();
            device.set_device_name(args.name.as_deref().unwrap_or(&format!("{owner}'s {}", profile.model())));
            let device = device.enroll_now(&conn.server, &ca_pem, &email, &password).await.map_err(enrollment_failed)?;
            write_state(&state, &saved_windows(&device))?;
            println!(
                "enrolled device {} ({}) as {email}; its identity is saved in {}",
                device.device_id,
                device.device_name(),
                state.display()
            );
            Box::new(device)
        }
    };
    print_next_steps(conn, &args.data, &device.device_id).await;
    let mut result = Ok(());
    for n in 0..args.sessions {
        if n > 0 {
            tokio::time::sleep(Duration::from_secs(args.interval_secs)).await;
        }
        let log = match device.run_session().await {
            Ok(log) => log,
            Err(e) => {
                result = Err(anyhow::anyhow!("session failed: {e}"));
                break;
            }
        };
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
        // The nonce moved on: keep it for the next run.
        write_state(&state, &saved_windows(&device))?;
    }
    write_state(&state, &saved_windows(&device))?;
    result
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
    #[arg(long, conflicts_with = "login")]
    mobileconfig: Option<PathBuf>,
    /// Or download a profile for this user now (needs an admin --token; against the demo, its
    /// admin token is taken from DATA/demo-credentials.json when --token is not given).
    #[arg(long)]
    login: Option<String>,
    /// The device's name (default: "LOGIN's MODEL", or "Simulated MODEL").
    #[arg(long)]
    name: Option<String>,
    /// File keeping the device's identity (0600: it holds its key). When it exists the device
    /// resumes from it instead of enrolling again.
    /// Default: DATA/sim/apple-KIND-(LOGIN or profile file name).json.
    #[arg(long)]
    state: Option<PathBuf>,
    #[command(flatten)]
    data: DataDir,
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
    let ca_pem = server_ca(conn.ca.clone(), &args.data)?;
    let kind = AppleKind::from(args.kind);
    let owner = match (&args.login, &args.mobileconfig) {
        (Some(login), _) => Some(login.clone()),
        (None, Some(path)) => path.file_stem().map(|s| s.to_string_lossy().into_owned()),
        (None, None) => None,
    };
    let state = match (&args.state, &owner) {
        (Some(path), _) => path.clone(),
        (None, Some(owner)) => args.data.dir.join("sim").join(format!("apple-{}-{}.json", kind.key(), slug(owner))),
        (None, None) => anyhow::bail!("give --mobileconfig or --login, or --state with a saved device"),
    };
    let mut device = match read_state(&state, &ca_pem)? {
        Some(Sim::Apple(device)) => {
            println!("resuming {} {} (UDID {}) from {}", device.kind.model_name(), device.kind.os_version(), device.udid, state.display());
            device
        }
        Some(Sim::Windows(_)) => anyhow::bail!("{} holds a Windows device", state.display()),
        None => {
            let profile = match (&args.mobileconfig, &args.login) {
                (Some(path), _) => std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
                (None, Some(login)) => {
                    let mut admin = conn.clone();
                    if admin.token.is_none() {
                        admin.token = demo_credentials(&args.data).ok().map(|c| c.admin_token);
                    }
                    super::apple_profile(&admin, login).await?
                }
                (None, None) => anyhow::bail!("{} does not exist yet: give --mobileconfig or --login to enroll", state.display()),
            };
            let transport = if args.sign_messages { Transport::MdmSignature } else { Transport::TlsClientCert };
            let mut device = AppleDevice::install(&profile, &ca_pem, kind, transport)
                .map_err(|e| anyhow::anyhow!("the profile cannot be installed: {e}"))?;
            device.name = match (&args.name, &args.login) {
                (Some(name), _) => name.clone(),
                (None, Some(login)) => format!("{login}'s {}", kind.model_name()),
                (None, None) => device.name.clone(),
            };
            device.enroll().await.map_err(|e| anyhow::anyhow!("enrollment failed: {e}"))?;
            write_state(&state, &saved_apple(&device))?;
            println!(
                "enrolled {} {} (UDID {}) as {:?}; its identity is saved in {}",
                kind.model_name(),
                kind.os_version(),
                device.udid,
                device.name,
                state.display()
            );
            Box::new(device)
        }
    };
    print_next_steps(conn, &args.data, &device.udid).await;
    device.answer_not_now(args.not_now);
    let mut result = Ok(());
    for n in 0..args.polls {
        if n > 0 {
            tokio::time::sleep(Duration::from_secs(args.interval_secs)).await;
        }
        let answered = match device.poll().await {
            Ok(a) => a,
            Err(e) => {
                result = Err(anyhow::anyhow!("connection failed: {e}"));
                break;
            }
        };
        if answered.is_empty() {
            println!("poll {}: nothing to do", n + 1);
        }
        for a in &answered {
            println!("poll {}: {} → {}", n + 1, a.request_type, a.status);
        }
        write_state(&state, &saved_apple(&device))?;
    }
    write_state(&state, &saved_apple(&device))?;
    let passcode = if device.passcode().is_some() { "set" } else { "none" };
    println!("passcode: {passcode}; locked: {}", if device.locked() { "yes" } else { "no" });
    if let Some(pin) = device.lock_pin() {
        println!("PIN the Mac was locked with: {pin}");
    }
    result
}
