//! The living demo: `serve --demo` brings the demo devices a simulator exists for to life. Each
//! is a `pinreset-sim` device that enrolls over the real protocols (Windows MS-MDE2, Apple MDM
//! with a profile downloaded through the API, the Android agent with a token issued through the
//! API) against the server's own address, as the demo user who owns it, and then polls every few
//! seconds (Android: holds a long-poll) — so a reset requested on it completes.
//! Each keeps its identity in DATA/sim/demo-<simulator>.json (mode 0600), so restarting the
//! server on the same data dir resumes the same devices.

use anyhow::{bail, Context, Result};
use pinreset_server::demo::{DemoCredentials, SimulatedDemoDevice, CREDENTIALS_FILE};
use pinreset_sim::android::{AndroidDevice, AndroidProfile};
use pinreset_sim::apple::{AppleDevice, AppleKind, Transport};
use pinreset_sim::windows::{WindowsDevice, WindowsProfile};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// What every simulated device of the demo shares.
struct Shared {
    /// How the devices reach the server (its own address; loopback when it listens on all).
    base_url: String,
    ca_pem: String,
    creds: DemoCredentials,
    state_dir: PathBuf,
    interval: Duration,
    api: reqwest::Client,
}

/// Where a living demo device keeps its identity.
pub fn state_file(data_dir: &Path, simulator: &str) -> PathBuf {
    data_dir.join("sim").join(format!("demo-{simulator}.json"))
}

/// Start a task per simulated demo device; they run until the process ends.
pub fn start(running: &pinreset_server::Running, data_dir: &Path, interval: Duration) -> Result<()> {
    let Some(ca) = &running.ca_pem else {
        bail!("the living demo needs the generated CA (it does not run with --tls-cert); start with --no-living-demo");
    };
    let ca_pem = std::fs::read_to_string(ca).with_context(|| format!("reading {}", ca.display()))?;
    let creds_path = data_dir.join(CREDENTIALS_FILE);
    let creds: DemoCredentials =
        serde_json::from_slice(&std::fs::read(&creds_path).with_context(|| format!("reading {}", creds_path.display()))?)
            .with_context(|| format!("reading {}", creds_path.display()))?;
    let mut addr = running.addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() { std::net::Ipv4Addr::LOCALHOST.into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
    }
    let api = reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem.as_bytes())?)
        .timeout(Duration::from_secs(30))
        .build()?;
    let shared = Arc::new(Shared { base_url: format!("https://{addr}"), ca_pem, creds, state_dir: data_dir.to_path_buf(), interval, api });
    let devices = pinreset_server::demo::simulated_devices();
    tracing::info!(
        devices = devices.len(),
        "living demo: simulated devices enroll and poll every {}s (turn off with --no-living-demo)",
        interval.as_secs()
    );
    for d in devices {
        let shared = shared.clone();
        tokio::spawn(async move {
            if let Err(e) = live(&shared, &d).await {
                tracing::warn!(device = d.name, error = format!("{e:#}"), "living demo: the simulated device stopped");
            }
        });
    }
    Ok(())
}

/// A simulated device of any platform, as saved in a state file.
pub(crate) enum Sim {
    Windows(Box<WindowsDevice>),
    Apple(Box<AppleDevice>),
    Android(Box<AndroidDevice>),
}

/// A state file's content for a Windows device.
pub(crate) fn saved_windows(d: &WindowsDevice) -> serde_json::Value {
    serde_json::json!({ "platform": "windows", "device": d.save() })
}

/// A state file's content for an Apple device.
pub(crate) fn saved_apple(d: &AppleDevice) -> serde_json::Value {
    serde_json::json!({ "platform": "apple", "device": d.save() })
}

/// A state file's content for an Android device.
pub(crate) fn saved_android(d: &AndroidDevice) -> serde_json::Value {
    serde_json::json!({ "platform": "android", "device": d.save() })
}

impl Sim {
    pub(crate) fn save(&self) -> serde_json::Value {
        match self {
            Sim::Windows(d) => saved_windows(d),
            Sim::Apple(d) => saved_apple(d),
            Sim::Android(d) => saved_android(d),
        }
    }
    /// "a Windows device", for messages about a state file holding another kind.
    pub(crate) fn what(&self) -> &'static str {
        match self {
            Sim::Windows(_) => "a Windows device",
            Sim::Apple(_) => "an Apple device",
            Sim::Android(_) => "an Android device",
        }
    }
    pub(crate) fn restore(saved: serde_json::Value, ca_pem: &str) -> Result<Self> {
        let device = saved["device"].clone();
        Ok(match saved["platform"].as_str() {
            Some("windows") => Sim::Windows(Box::new(WindowsDevice::restore(device, ca_pem)?)),
            Some("apple") => Sim::Apple(Box::new(AppleDevice::restore(device, ca_pem)?)),
            Some("android") => Sim::Android(Box::new(AndroidDevice::restore(device, ca_pem)?)),
            other => bail!("unknown platform {other:?}"),
        })
    }
    /// The identifier the server knows the device by (searchable in `devices list`).
    fn identifier(&self) -> String {
        match self {
            Sim::Windows(d) => d.device_id.clone(),
            Sim::Apple(d) => d.udid.clone(),
            Sim::Android(d) => d.device_id.clone().unwrap_or_default(),
        }
    }
}

fn windows_profile(simulator: &str) -> Option<WindowsProfile> {
    WindowsProfile::from_key(simulator)
}

async fn api_get(shared: &Shared, path: &str, query: &[(&str, &str)]) -> Result<serde_json::Value> {
    let resp = shared
        .api
        .get(format!("{}/api/v1{path}", shared.base_url))
        .query(query)
        .bearer_auth(&shared.creds.admin_token)
        .send()
        .await?
        .error_for_status()?;
    Ok(resp.json().await?)
}

/// Pinreset's id of the device the server knows by `identifier`.
async fn pinreset_id(shared: &Shared, identifier: &str) -> Option<String> {
    let page = api_get(shared, "/devices", &[("search", identifier)]).await.ok()?;
    page["items"].as_array()?.first()?["id"].as_str().map(str::to_owned)
}

async fn enroll(shared: &Shared, d: &SimulatedDemoDevice) -> Result<Sim> {
    let user = shared.creds.users.iter().find(|u| u.login == d.owner_login).with_context(|| format!("no demo user {}", d.owner_login))?;
    if let Some(profile) = windows_profile(d.simulator) {
        let mut device = WindowsDevice::new_unenrolled(profile)?;
        device.set_device_name(d.name);
        let device = device.enroll_now(&shared.base_url, &shared.ca_pem, &user.email, &user.password).await?;
        return Ok(Sim::Windows(Box::new(device)));
    }
    if let Some(profile) = AndroidProfile::from_key(d.simulator) {
        return Ok(Sim::Android(Box::new(enroll_android(shared, d, profile).await?)));
    }
    let kind = AppleKind::from_key(d.simulator).with_context(|| format!("no simulator {}", d.simulator))?;
    let profile = shared
        .api
        .post(format!("{}/api/v1/enrollment/apple/profiles", shared.base_url))
        .bearer_auth(&shared.creds.admin_token)
        .json(&serde_json::json!({ "login": user.login }))
        .send()
        .await?
        .error_for_status()
        .context("downloading the enrollment profile")?
        .bytes()
        .await?;
    let mut device = AppleDevice::install(&profile, &shared.ca_pem, kind, Transport::TlsClientCert)?;
    device.name = d.name.to_owned();
    device.enroll().await?;
    Ok(Sim::Apple(Box::new(device)))
}

/// An Android phone with the agent, enrolled with a token the admin issued for its owner (what
/// the QR code carries). Its owner then confirms their screen lock once in the agent, so a
/// device or profile owner's reset token is active and a reset can complete.
async fn enroll_android(shared: &Shared, d: &SimulatedDemoDevice, profile: AndroidProfile) -> Result<AndroidDevice> {
    let issued: serde_json::Value = shared
        .api
        .post(format!("{}/api/v1/enrollment/android/tokens", shared.base_url))
        .bearer_auth(&shared.creds.admin_token)
        .json(&serde_json::json!({ "login": d.owner_login, "ownership": d.ownership }))
        .send()
        .await?
        .error_for_status()
        .context("issuing the enrollment token")?
        .json()
        .await?;
    let token = issued["token"].as_str().context("no token in the answer")?;
    let mut device = AndroidDevice::new(profile, &shared.base_url, &shared.ca_pem)?;
    device.name = d.name.to_owned();
    device.enroll(token, false).await?;
    device.check_in().await?;
    device.confirm_credential();
    device.check_in().await?;
    Ok(device)
}

/// A failed check-in: the first of a run is a warning (the device tries again), the rest debug.
fn failed(failures: &mut u32, d: &SimulatedDemoDevice, e: &pinreset_sim::error::SimError) {
    *failures += 1;
    if *failures == 1 {
        tracing::warn!(device = d.name, error = %e, "living demo: the device could not check in (it keeps trying; a device reaches the server at the address it enrolled with)");
    } else {
        tracing::debug!(device = d.name, error = %e, "living demo: check-in failed");
    }
}

/// An Android agent's long-poll: ten check-in intervals, so a command reaches it at once while
/// the poll stays within what the server allows (55 s).
fn long_poll_secs(interval: Duration) -> u32 {
    u32::try_from(interval.as_secs().saturating_mul(10)).unwrap_or(55).clamp(1, 55)
}

/// Enroll (or resume) one device, then poll until the process ends.
async fn live(shared: &Shared, d: &SimulatedDemoDevice) -> Result<()> {
    let path = state_file(&shared.state_dir, d.simulator);
    let mut sim = match pinreset_sim::state::read(&path)? {
        Some(saved) => {
            let sim = Sim::restore(saved, &shared.ca_pem).with_context(|| format!("resuming from {}", path.display()))?;
            tracing::info!(device = d.name, state = %path.display(), "living demo: resumed");
            sim
        }
        None => {
            // A data dir seeded without the living demo already has this row: it stands in.
            let existing = api_get(shared, "/devices", &[("search", d.name)]).await?;
            if existing["items"].as_array().is_some_and(|items| items.iter().any(|i| i["name"] == d.name)) {
                tracing::info!(device = d.name, "living demo: this data dir has the seeded row; not simulating it");
                return Ok(());
            }
            let mut attempt = 0u32;
            let sim = loop {
                match enroll(shared, d).await {
                    Ok(sim) => break sim,
                    Err(e) if attempt < 5 => {
                        attempt += 1;
                        tracing::debug!(device = d.name, error = format!("{e:#}"), "living demo: enrollment failed; retrying");
                        tokio::time::sleep(Duration::from_secs(u64::from(attempt))).await;
                    }
                    Err(e) => return Err(e.context("enrolling")),
                }
            };
            pinreset_sim::state::write(&path, &sim.save()).with_context(|| format!("writing {}", path.display()))?;
            let id = pinreset_id(shared, &sim.identifier()).await.unwrap_or_else(|| "?".into());
            tracing::info!(device = d.name, id, user = d.owner_login, "living demo: enrolled");
            sim
        }
    };
    let mut failures = 0u32;
    loop {
        match &mut sim {
            Sim::Windows(device) => match device.run_session().await {
                Ok(log) => {
                    failures = 0;
                    for e in log.executed.iter().filter(|e| e.cmd == "Exec") {
                        tracing::info!(
                            device = d.name,
                            command = e.target.as_deref().unwrap_or(""),
                            status = e.code,
                            "living demo: executed"
                        );
                    }
                }
                Err(e) => failed(&mut failures, d, &e),
            },
            Sim::Apple(device) => {
                if device.erased() || !device.enrolled() {
                    tracing::info!(device = d.name, "living demo: the device was erased or unenrolled; it stops polling");
                    return Ok(());
                }
                match device.poll().await {
                    Ok(answered) => {
                        failures = 0;
                        for a in answered.iter().filter(|a| !matches!(a.request_type.as_str(), "DeviceInformation" | "SecurityInfo")) {
                            tracing::info!(device = d.name, command = a.request_type, status = a.status, "living demo: answered");
                        }
                    }
                    Err(e) => failed(&mut failures, d, &e),
                }
            }
            Sim::Android(device) => {
                if !device.enrolled() {
                    tracing::info!(device = d.name, "living demo: the device was wiped or retired; it stops polling");
                    return Ok(());
                }
                // A long-poll: a command queued meanwhile is answered at once.
                match device.poll(long_poll_secs(shared.interval)).await {
                    Ok(answered) => {
                        failures = 0;
                        for a in &answered {
                            tracing::info!(device = d.name, command = a.kind, outcome = a.outcome, "living demo: answered");
                        }
                    }
                    Err(e) => failed(&mut failures, d, &e),
                }
            }
        }
        pinreset_sim::state::write(&path, &sim.save()).with_context(|| format!("writing {}", path.display()))?;
        if matches!(sim, Sim::Android(_)) && failures == 0 {
            // Its long-poll was the wait (a failed one waits below, as the others do).
            continue;
        }
        if let Sim::Windows(device) = &sim {
            if device.wiped() || device.unenrolled_by_server() {
                tracing::info!(device = d.name, "living demo: the device was wiped or unenrolled; it stops polling");
                return Ok(());
            }
        }
        tokio::time::sleep(shared.interval).await;
    }
}
