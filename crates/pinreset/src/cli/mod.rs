//! Command-line interface.

mod android_enterprise;
mod bulk;
mod client;
mod config;
mod device_ref;
mod doctor;
mod mail;
mod output;
mod serve;
mod serve_file;
mod sim;
mod sim_android;
mod sim_fleet;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use client::Client;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "pinreset",
    version,
    about = "Self-hosted passcode reset for managed phones, tablets and PCs",
    long_about = "pinreset resets the passcodes of managed devices safely.\n\n\
    Run the server with `pinreset serve --demo`. Then, from any directory, save its address, CA and \
    an API token once (the demo's token is in DATA/demo-credentials.json):\n  \
    pinreset login --server https://127.0.0.1:8443 --ca DATA/tls/ca.pem\n\
    and use the other commands:\n  pinreset devices list"
)]
pub struct Cli {
    /// Client options before the command (`pinreset --token T devices list`) still work; they
    /// belong after it, where each client command's --help lists them.
    #[command(flatten)]
    top: TopConnArgs,
    #[command(subcommand)]
    command: Command,
}

/// Where a client command connects. A flag wins over PINRESET_SERVER, PINRESET_TOKEN and
/// PINRESET_CA, which win over what `pinreset login` saved.
#[derive(Args, Clone, Default)]
pub struct ConnArgs {
    /// Server to talk to [env: PINRESET_SERVER] (default: the one `pinreset login` saved, else
    /// https://127.0.0.1:8443).
    #[arg(long, global = true, value_name = "URL")]
    server: Option<String>,
    /// API token (Bearer) [env: PINRESET_TOKEN] (default: the one `pinreset login` saved).
    #[arg(long, global = true)]
    token: Option<String>,
    /// The server's CA certificate, DATA/tls/ca.pem of its data dir [env: PINRESET_CA]
    /// (default: the one `pinreset login` saved, else ./data/tls/ca.pem when present).
    #[arg(long, global = true, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
}

/// The same options before the command, for scripts written for earlier versions (hidden).
#[derive(Args, Clone, Default)]
struct TopConnArgs {
    #[arg(long = "server", id = "top_server", hide = true)]
    server: Option<String>,
    #[arg(long = "token", id = "top_token", hide = true)]
    token: Option<String>,
    #[arg(long = "ca", id = "top_ca", hide = true)]
    ca: Option<PathBuf>,
    #[arg(long = "json", id = "top_json", hide = true)]
    json: bool,
}

/// A client command's connection, resolved: flags, then the environment, then the config.
#[derive(Clone)]
pub struct Connection {
    /// https://host:port, without a trailing slash.
    pub server: String,
    pub token: Option<String>,
    pub ca: Option<PathBuf>,
    pub json: bool,
    /// Where the CA came from (`--ca`, `PINRESET_CA`, `the saved login`, `./data`).
    pub ca_from: &'static str,
}

const DEFAULT_SERVER: &str = "https://127.0.0.1:8443";

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn normalize_server(s: &str) -> String {
    s.trim().trim_end_matches('/').to_string()
}

impl Connection {
    /// Flags after the command, then before it, then the environment, then the saved login.
    /// The saved token and CA are used only for the saved server: a token is never sent to a
    /// server it was not saved for.
    fn resolve(args: ConnArgs, top: TopConnArgs, saved: &config::Config) -> Connection {
        let saved_server = saved.server.as_deref().map(normalize_server);
        let server = args.server.or(top.server).or_else(|| env("PINRESET_SERVER")).map(|s| normalize_server(&s));
        let server = server.or_else(|| saved_server.clone()).unwrap_or_else(|| DEFAULT_SERVER.into());
        let same = saved_server.as_deref() == Some(server.as_str());
        let token = args.token.or(top.token).or_else(|| env("PINRESET_TOKEN")).or_else(|| saved.token.clone().filter(|_| same));
        let (ca, ca_from) = if let Some(ca) = args.ca.or(top.ca) {
            (Some(ca), "--ca")
        } else if let Some(ca) = env("PINRESET_CA") {
            (Some(PathBuf::from(ca)), "PINRESET_CA")
        } else if let Some(ca) = saved.ca.clone().filter(|_| same) {
            (Some(ca), "saved by pinreset login")
        } else {
            (Some(PathBuf::from("data/tls/ca.pem")).filter(|p| p.exists()), "./data of the current directory")
        };
        Connection { server, token, ca, json: args.json || top.json, ca_from }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve(Box<serve::ServeArgs>),
    /// Check a deployment (database, master key, certificates, clock) with the options `serve`
    /// would run with, and say what to fix. Exits 1 when something is wrong.
    Doctor(Box<serve::ServeArgs>),
    /// Save the server, its CA and an API token for the other commands (in your config
    /// directory, readable by you only); checks them first.
    Login(LoginArgs),
    /// Forget the saved API token (the server and CA stay saved).
    Logout,
    /// Managed devices: list, show (what can be done and why not), their commands and actions.
    Devices {
        #[command(subcommand)]
        cmd: DevicesCmd,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Reset a device's passcode (queues the action; see `actions show`).
    ResetPasscode {
        /// Device id, or a unique part of its name, model, serial, UDID or DeviceID.
        device: String,
        /// Wait for the device's answer (up to --wait-secs) and show the outcome: the temporary
        /// passcode when there is one (reading it is audited).
        #[arg(long)]
        wait: bool,
        #[arg(long, default_value_t = 60)]
        wait_secs: u64,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Lock a device (a Mac is locked with a 6-digit PIN: `actions passcode` shows it).
    Lock {
        /// Device id, or a unique part of its name, model, serial, UDID or DeviceID.
        device: String,
        /// Wait for the device's answer (up to --wait-secs) and show the outcome: a Mac's lock PIN.
        #[arg(long)]
        wait: bool,
        #[arg(long, default_value_t = 60)]
        wait_secs: u64,
        /// iOS: a message on the lock screen.
        #[arg(long)]
        message: Option<String>,
        /// iOS: a phone number on the lock screen.
        #[arg(long)]
        phone_number: Option<String>,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Erase a device: all its data, back to factory settings.
    Wipe {
        /// Device id.
        device: String,
        /// Do it without asking (needed when not at a terminal).
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Remove a device from management (its managed data and profiles go; it must enroll again).
    Remove {
        /// Device id.
        device: String,
        /// Do it without asking (needed when not at a terminal).
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Rename a device (on the device too, where its platform allows).
    Rename {
        /// Device id.
        device: String,
        /// The new name.
        name: String,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Ask a device to check in now (Apple: a push; others check in on their own schedule).
    Sync {
        /// Device id.
        device: String,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// One action over many devices (a group, a filter or ids), with a progress bar until every
    /// device reached a terminal state: `pinreset bulk lock --group "Sales phones"`.
    Bulk {
        #[command(flatten)]
        args: bulk::BulkArgs,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Remote actions: status and temporary passcodes.
    Actions {
        #[command(subcommand)]
        cmd: ActionsCmd,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Your tenant: settings and the PIN reset service consent.
    Tenant {
        #[command(subcommand)]
        cmd: TenantCmd,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Configuration profiles.
    Profiles {
        #[command(subcommand)]
        cmd: ProfilesCmd,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Enrolling devices.
    Enroll {
        #[command(subcommand)]
        cmd: EnrollCmd,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Enrollments that named an already-enrolled device without proving they are it: approve
    /// (the user may then enroll that device once, within 24 hours) or reject.
    Reenrollments {
        #[command(subcommand)]
        cmd: ReenrollmentsCmd,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Users of your tenant (reading: every admin role; changing: tenant admins).
    Users {
        #[command(subcommand)]
        cmd: UsersCmd,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// User and device groups (profiles are assigned to them).
    Groups {
        #[command(subcommand)]
        cmd: GroupsCmd,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Simulated devices speaking the real protocols (for demos and tests).
    Sim {
        #[command(subcommand)]
        cmd: SimCmd,
        #[command(flatten)]
        conn: ConnArgs,
    },
}

impl Command {
    /// The client options given after the command (none for serve, login and logout).
    fn take_conn(&mut self) -> Option<ConnArgs> {
        match self {
            Command::Serve(_) | Command::Doctor(_) | Command::Login(_) | Command::Logout => None,
            Command::Devices { conn, .. }
            | Command::ResetPasscode { conn, .. }
            | Command::Lock { conn, .. }
            | Command::Wipe { conn, .. }
            | Command::Remove { conn, .. }
            | Command::Rename { conn, .. }
            | Command::Sync { conn, .. }
            | Command::Bulk { conn, .. }
            | Command::Actions { conn, .. }
            | Command::Audit { conn, .. }
            | Command::Tenant { conn, .. }
            | Command::Profiles { conn, .. }
            | Command::Enroll { conn, .. }
            | Command::Reenrollments { conn, .. }
            | Command::Users { conn, .. }
            | Command::Groups { conn, .. }
            | Command::Sim { conn, .. } => Some(std::mem::take(conn)),
        }
    }
}

#[derive(Args)]
struct LoginArgs {
    /// The server's address [env: PINRESET_SERVER] (default: the saved one, else
    /// https://127.0.0.1:8443).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// The server's CA certificate: DATA/tls/ca.pem of its data dir (the server prints the path
    /// at start) [env: PINRESET_CA]. Saved by its absolute path.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// API token [env: PINRESET_TOKEN]; else asked for without echo at a terminal, or read from
    /// the first line of standard input.
    #[arg(long)]
    token: Option<String>,
}

#[derive(Subcommand)]
enum UsersCmd {
    /// List users.
    List {
        /// tenant_admin, help_desk, read_only or end_user.
        #[arg(long)]
        role: Option<String>,
        /// Part of the login, name or email.
        #[arg(long)]
        search: Option<String>,
        /// Only disabled users.
        #[arg(long)]
        disabled: bool,
    },
    /// Add a user.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// tenant_admin, help_desk, read_only or end_user.
        #[arg(long, default_value = "end_user")]
        role: String,
        /// Read the user's password (at least 12 characters) from the first line of standard
        /// input, so it is not in the shell history or the process list.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Show a user (by id or login).
    Show { user: String },
    /// Disable a user (by id or login): their API tokens and password stop working.
    Disable {
        user: String,
        /// Enable them again instead.
        #[arg(long)]
        enable: bool,
    },
}

#[derive(Subcommand)]
enum GroupsCmd {
    /// List user and device groups.
    List,
    /// Create a group.
    Add {
        name: String,
        #[arg(long, value_parser = ["user", "device"])]
        kind: String,
        /// A member's id (user or device); repeat for more.
        #[arg(long = "member")]
        members: Vec<String>,
    },
    /// Show a group's members; --add and --remove change them first.
    Members {
        group: String,
        /// A user or device id to add; repeat for more.
        #[arg(long)]
        add: Vec<String>,
        /// A user or device id to remove; repeat for more.
        #[arg(long)]
        remove: Vec<String>,
    },
}

/// A user's id from an id or a login.
async fn user_id(c: &Client, user: &str) -> Result<String> {
    if user.parse::<pinreset_core::UserId>().is_ok() {
        return Ok(user.to_string());
    }
    let found = c.get("/users", &[("search", user.to_string())]).await?;
    found
        .as_array()
        .and_then(|us| us.iter().find(|u| u["login"] == user))
        .and_then(|u| u["id"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no user with the login {user:?}"))
}

#[derive(Subcommand)]
enum SimCmd {
    /// A Windows device: enrolls (MS-MDE2) and runs OMA-DM sessions.
    Windows(sim::WindowsArgs),
    /// An Apple device: installs an enrollment profile, checks in and polls the command endpoint.
    Apple(sim::AppleArgs),
    /// An Android phone with the pinreset agent: enrolls with a one-time token, escrows its reset
    /// token, long-polls (or waits for MQTT wake-ups) and applies commands as Android would.
    Android(sim_android::AndroidArgs),
    /// Many devices at once (Apple, Windows, Android) enrolled in parallel and kept checking in,
    /// for load and scale runs: counts the commands each received and times the actions.
    Fleet(sim_fleet::FleetArgs),
}

#[derive(Subcommand)]
enum ReenrollmentsCmd {
    /// List re-enrollment requests, newest first.
    List,
    /// Let the requesting user enroll the device again (tenant admins; audited).
    Approve { id: String },
    /// Refuse the request (tenant admins; audited).
    Reject { id: String },
}

#[derive(Subcommand)]
enum EnrollCmd {
    /// Download a signed Apple enrollment profile (.mobileconfig) for a user to install on their
    /// iPhone, iPad or Mac (tenant admins only).
    Apple {
        /// The user's sign-in name.
        #[arg(long)]
        login: String,
        /// Where to write it (default: pinreset-enrollment-LOGIN.mobileconfig).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum TenantCmd {
    /// Show the tenant and its settings.
    Show,
    /// Grant or revoke consent to the PIN reset service (Windows passcode reset needs it).
    Consent {
        #[arg(value_parser = ["grant", "revoke"])]
        decision: String,
    },
    /// Upload the tenant's Apple MDM push certificate and key (PEM files).
    Apns {
        #[arg(long)]
        cert: PathBuf,
        #[arg(long)]
        key: PathBuf,
    },
    /// Single sign-on through the organisation's OpenID provider.
    #[command(subcommand)]
    Sso(SsoCmd),
    /// The mail server notification e-mail goes through.
    #[command(subcommand)]
    Mail(mail::MailCmd),
    /// The Android Enterprise reached through Google's Android Management API.
    #[command(subcommand)]
    AndroidEnterprise(android_enterprise::AndroidEnterpriseCmd),
}

#[derive(Subcommand)]
enum SsoCmd {
    /// Show the provider, the client and the redirect URI to register at the provider.
    Show,
    /// Set up (or replace) single sign-on; the provider is discovered before anything is saved.
    Set {
        /// The provider's issuer URL (https://; http:// only on a loopback address).
        #[arg(long)]
        issuer: String,
        #[arg(long)]
        client_id: String,
        /// A file holding the client secret (kept out of the shell history and process list).
        #[arg(long)]
        client_secret_file: PathBuf,
        /// The ID token claim that names the user (their login or email).
        #[arg(long, default_value = "email")]
        login_claim: String,
    },
    /// Turn single sign-on off and destroy the stored client secret.
    Clear,
}

#[derive(Subcommand)]
enum ProfilesCmd {
    /// List configuration profiles.
    List,
    /// Per-device status of a profile, with counts.
    Status { id: String },
}

#[derive(Subcommand)]
enum DevicesCmd {
    /// List devices.
    List {
        #[arg(long)]
        platform: Option<String>,
        /// Owner's user id.
        #[arg(long)]
        owner: Option<String>,
        /// Device group id.
        #[arg(long)]
        group: Option<String>,
        /// Text to look for in name, model, serial, UDID, IMEI.
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Show one device: how commands reach it, when it was last seen, and per action whether it
    /// can be done (and how) or why not and what to do.
    Show { id: String },
    /// The commands sent to a device and its answers, newest first.
    Commands { id: String },
    /// The actions requested for a device, newest first.
    Actions { id: String },
}

#[derive(Subcommand)]
enum ActionsCmd {
    /// Show an action's status (and how to get its temporary passcode).
    Show { id: String },
    /// Show the temporary passcode of a succeeded reset (audited).
    Passcode { id: String },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// List audit events, newest first.
    List {
        #[arg(long)]
        device: Option<String>,
        /// e.g. user:admin
        #[arg(long)]
        actor: Option<String>,
        /// RFC 3339 time.
        #[arg(long)]
        since: Option<String>,
        /// RFC 3339 time.
        #[arg(long)]
        until: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

/// A signed Apple enrollment profile for the user with this sign-in name.
pub async fn apple_profile(conn: &Connection, login: &str) -> Result<Vec<u8>> {
    Client::new(conn)?.post_json_for_bytes("/enrollment/apple/profiles", &serde_json::json!({ "login": login })).await
}

/// Print a group with its members' names (users: login and name; devices: name).
async fn group_members(c: &Client, g: &serde_json::Value, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(g)?);
        return Ok(());
    }
    let mut names = std::collections::HashMap::new();
    if g["kind"] == "user" {
        for u in c.get("/users", &[]).await?.as_array().into_iter().flatten() {
            names.insert(
                u["id"].as_str().unwrap_or_default().to_string(),
                format!("{} ({})", u["login"].as_str().unwrap_or("-"), u["display_name"].as_str().unwrap_or("-")),
            );
        }
    } else {
        let q = [
            ("group", g["id"].as_str().unwrap_or_default().to_string()),
            ("limit", "500".to_string()),
            ("include_retired", "true".to_string()),
        ];
        let page = c.get("/devices", &q).await?;
        for d in page["items"].as_array().into_iter().flatten() {
            names.insert(d["id"].as_str().unwrap_or_default().to_string(), d["name"].as_str().unwrap_or("-").to_string());
        }
    }
    output::group_members(g, &names);
    Ok(())
}

/// Queue a remote action (`slug` as in `POST /devices/{id}/actions/{slug}`) and print it.
/// Queue an action; returns its id.
async fn remote_action(conn: &Connection, device: &str, slug: &str, body: Option<serde_json::Value>) -> Result<String> {
    let c = Client::new(conn)?;
    let device = device_ref::resolve(&c, device).await?;
    let path = format!("/devices/{}/actions/{slug}", client::seg(&device));
    let a = match body {
        Some(b) => c.post_json(&path, &b).await?,
        None => c.post(&path).await?,
    };
    output::action(&a, conn.json)?;
    let id = a["id"].as_str().unwrap_or("ID").to_string();
    if !conn.json {
        println!("follow it: pinreset actions show {id}");
    }
    Ok(id)
}

/// Follow an action until the device answered (or `secs` passed), then show how it ended and,
/// for a temporary passcode or lock PIN, the value (an audited read, as `actions passcode`).
async fn wait_for(conn: &Connection, id: &str, secs: u64) -> Result<()> {
    let c = Client::new(conn)?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        let a = c.get(&format!("/actions/{}", client::seg(id)), &[]).await?;
        let state = a["state"].as_str().unwrap_or("").to_string();
        if matches!(state.as_str(), "succeeded" | "failed" | "expired" | "cancelled") {
            output::action(&a, conn.json)?;
            if state == "succeeded" && matches!(a["result"]["type"].as_str(), Some("temporary_passcode" | "lock_pin")) {
                output::passcode(&c.get(&format!("/actions/{}/passcode", client::seg(id)), &[]).await?, conn.json)?;
            }
            return if state == "succeeded" { Ok(()) } else { Err(anyhow::anyhow!("the action {state}")) };
        }
        if std::time::Instant::now() >= deadline {
            return Err(client::hinted(
                format!("the device has not answered within {secs} s (the action is {state})"),
                format!("it goes on without you: pinreset actions show {id}"),
            ));
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

/// Ask before an action that cannot be undone, unless --yes; without a terminal, --yes is needed.
async fn confirm(conn: &Connection, device: &str, yes: bool, cmd: &str, consequence: &str) -> Result<()> {
    use std::io::IsTerminal;
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(client::hinted(
            format!("`pinreset {cmd}` cannot be undone ({consequence}), and there is no terminal to confirm it at"),
            format!("add --yes to confirm: pinreset {cmd} {device} --yes"),
        ));
    }
    let d = Client::new(conn)?.get(&format!("/devices/{}", client::seg(device)), &[]).await?;
    let name = d["device"]["name"].as_str().unwrap_or(device);
    ask_yes(&format!("{cmd} {name} ({device})? It cannot be undone: {consequence}."))
}

/// Ask at the terminal; anything but "yes" does nothing.
pub(crate) fn ask_yes(question: &str) -> Result<()> {
    use std::io::{BufRead, Write};
    eprint!("{question} Type yes to go on: ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if answer.trim() != "yes" {
        anyhow::bail!("nothing was done");
    }
    Ok(())
}

/// `actions passcode` refused: when the action is not done yet (or failed), say that in its
/// own words instead of "this action has no temporary passcode".
async fn passcode_refused(c: &Client, id: &str, e: anyhow::Error) -> anyhow::Error {
    if e.downcast_ref::<client::ApiError>().is_none_or(|a| a.code != "passcode_not_available") {
        return e;
    }
    let Ok(a) = c.get(&format!("/actions/{}", client::seg(id)), &[]).await else { return e };
    let state = a["state"].as_str().unwrap_or("unknown");
    let summary = a["summary"].as_str().unwrap_or_default();
    let mut summary_lc = summary.to_string();
    if let Some(first) = summary_lc.get(..1) {
        summary_lc.replace_range(..1, &first.to_lowercase());
    }
    match state {
        "requested" | "queued" | "delivered" | "acknowledged" => client::hinted(
            format!("action {id} is still {state}: {summary_lc}; it has no passcode yet (passcode_not_available)"),
            format!("follow it with `pinreset actions show {id}`; the passcode can be read once the device has done the reset"),
        ),
        "succeeded" => e,
        _ => client::hinted(
            format!("action {id} {state}: {summary}; it has no passcode (passcode_not_available)"),
            "request the reset again: pinreset reset-passcode DEVICE",
        ),
    }
}

/// A simulated device's error, with a SOAP fault reduced to its reason (the envelope is for
/// devices, not for a terminal), and any other long answer cut short.
fn sim_error(e: anyhow::Error) -> anyhow::Error {
    let text = format!("{e:#}");
    let Some(start) = text.find(" answered HTTP ") else { return e };
    let Some(body_at) = text[start..].find(": ").map(|i| start + i + 2) else { return e };
    let body = text[body_at..].trim();
    if !body.starts_with('<') {
        return e;
    }
    // "enrollment failed: https://host/path answered HTTP 401: <s:Envelope …"
    let (lead, url) = text[..start].rsplit_once(' ').unwrap_or(("", &text[..start]));
    let status = &text[start + 1..body_at - 2];
    match pinreset_windows::enrollment::Fault::decode(body.as_bytes()) {
        Ok(f) => {
            let trace = f.trace_id.map(|t| format!(", trace id {t}")).unwrap_or_default();
            anyhow::anyhow!("{lead} the server refused: {}\n  ({url} {status}, {:?} fault{trace})", f.reason, f.code)
        }
        Err(_) => {
            let short: String = body.chars().take(200).collect();
            anyhow::anyhow!("{lead} {url} {status}: {short}…")
        }
    }
}

/// `pinreset login`: check the server, CA and token, then save them.
async fn login(args: LoginArgs) -> Result<()> {
    use std::io::IsTerminal;
    let saved = config::load()?;
    let saved_server = saved.server.as_deref().map(normalize_server);
    let server = args.server.or_else(|| env("PINRESET_SERVER")).map(|s| normalize_server(&s));
    let server = server.or_else(|| saved_server.clone()).unwrap_or_else(|| DEFAULT_SERVER.into());
    if !server.starts_with("https://") {
        return Err(client::hinted(
            format!("{server} is not an https:// address"),
            "pass the server's address as it prints it at start, e.g. --server https://127.0.0.1:8443",
        ));
    }
    let same = saved_server.as_deref() == Some(server.as_str());
    let (ca, ca_from) = match args.ca.map(|p| (p, "--ca")).or_else(|| env("PINRESET_CA").map(|p| (PathBuf::from(p), "PINRESET_CA"))) {
        Some((p, from)) => (Some(p), from),
        None => match saved.ca.clone().filter(|_| same) {
            Some(p) => (Some(p), "saved by pinreset login"),
            None => (Some(PathBuf::from("data/tls/ca.pem")).filter(|p| p.exists()), "./data of the current directory"),
        },
    };
    // Saved by absolute path, so every directory finds it.
    let ca = match ca {
        Some(p) => Some(std::fs::canonicalize(&p).map_err(|e| {
            client::hinted(
                format!("cannot read the CA certificate {} ({ca_from}): {e}", p.display()),
                "pass --ca with the server's DATA/tls/ca.pem (the server prints the path at start)",
            )
        })?),
        None => None,
    };
    let token = match args.token.or_else(|| env("PINRESET_TOKEN")) {
        Some(t) => t,
        None if std::io::stdin().is_terminal() => rpassword::prompt_password(format!("API token for {server}: "))?,
        None => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line
        }
    };
    let token = token.trim().to_string();
    if token.is_empty() {
        return Err(client::hinted(
            "no API token",
            "pass --token, set PINRESET_TOKEN, or type it when asked (the demo's is in DATA/demo-credentials.json)",
        ));
    }
    let conn = Connection { server: server.clone(), token: None, ca: ca.clone(), json: false, ca_from };
    let tenant = Client::with_token(&conn, token.clone())?.get("/tenant", &[]).await?;
    let path = config::save(&config::Config { server: Some(server.clone()), ca: ca.clone(), token: Some(token) })?;
    println!("logged in to {server}: tenant {} ({})", tenant["display_name"].as_str().unwrap_or("-"), tenant["id"].as_str().unwrap_or("-"));
    match &ca {
        Some(ca) => println!("trusting the CA {}", ca.display()),
        None => println!("trusting the system's CAs (no --ca given)"),
    }
    println!("saved to {} (readable by you only); `pinreset logout` forgets the token", path.display());
    Ok(())
}

/// `pinreset logout`: drop the saved token, keep the server and CA.
fn logout() -> Result<()> {
    let path = config::path()?;
    let mut saved = config::load()?;
    if saved.token.take().is_none() {
        println!("no token saved in {}", path.display());
        return Ok(());
    }
    config::save(&saved)?;
    println!("logged out: the token was removed from {}", path.display());
    Ok(())
}

pub async fn run(cli: Cli, matches: clap::ArgMatches) -> Result<()> {
    let Cli { top, mut command } = cli;
    let Some(args) = command.take_conn() else {
        if top.server.is_some() || top.token.is_some() || top.ca.is_some() || top.json {
            return Err(client::hinted(
                "--server, --token, --ca and --json are options of the client commands",
                "give them to the command that talks to the server, e.g. `pinreset devices list --server URL`; \
                 `pinreset login` saves them once",
            ));
        }
        return match command {
            Command::Serve(args) => serve::run(*args, matches.subcommand_matches("serve")).await,
            Command::Doctor(args) => doctor::run(*args, matches.subcommand_matches("doctor")).await,
            Command::Login(args) => login(args).await,
            Command::Logout => logout(),
            _ => unreachable!("client commands have connection options"),
        };
    };
    let conn = Connection::resolve(args, top, &config::load()?);
    match command {
        Command::Serve(_) | Command::Doctor(_) | Command::Login(_) | Command::Logout => unreachable!("handled above"),
        Command::Devices { cmd: DevicesCmd::List { platform, owner, group, search, limit, offset }, .. } => {
            let mut q = vec![("limit", limit.to_string()), ("offset", offset.to_string())];
            for (k, v) in [("platform", platform), ("owner", owner), ("group", group), ("search", search)] {
                if let Some(v) = v {
                    q.push((k, v));
                }
            }
            let page = Client::new(&conn)?.get("/devices", &q).await?;
            output::devices(&page, conn.json)
        }
        Command::Devices { cmd: DevicesCmd::Show { id }, .. } => {
            let c = Client::new(&conn)?;
            let id = device_ref::resolve(&c, &id).await?;
            let d = c.get(&format!("/devices/{}", client::seg(&id)), &[]).await?;
            output::device(&d, conn.json)
        }
        Command::ResetPasscode { device, wait, wait_secs, .. } => {
            let id = remote_action(&conn, &device, "reset-passcode", None).await?;
            if wait {
                wait_for(&conn, &id, wait_secs).await?;
            }
            Ok(())
        }
        Command::Lock { device, message, phone_number, wait, wait_secs, .. } => {
            let body = serde_json::json!({ "message": message, "phone_number": phone_number });
            let body = (message.is_some() || phone_number.is_some()).then_some(body);
            let id = remote_action(&conn, &device, "remote-lock", body).await?;
            if wait {
                wait_for(&conn, &id, wait_secs).await?;
            }
            Ok(())
        }
        Command::Wipe { device, yes, .. } => {
            confirm(&conn, &device, yes, "wipe", "all its data is deleted and it returns to factory settings").await?;
            remote_action(&conn, &device, "reset-device", None).await.map(drop)
        }
        Command::Remove { device, yes, .. } => {
            confirm(&conn, &device, yes, "remove", "it leaves management and must enroll again to come back").await?;
            remote_action(&conn, &device, "remove", None).await.map(drop)
        }
        Command::Rename { device, name, .. } => {
            remote_action(&conn, &device, "rename", Some(serde_json::json!({ "name": name }))).await.map(drop)
        }
        Command::Bulk { args, .. } => bulk::run(&conn, args).await,
        Command::Sync { device, .. } => {
            let c = Client::new(&conn)?;
            let device = device_ref::resolve(&c, &device).await?;
            let r = c.post(&format!("/devices/{}/sync", client::seg(&device))).await?;
            output::json_or(&r, conn.json, output::synced)
        }
        Command::Devices { cmd: DevicesCmd::Commands { id }, .. } => {
            let c = Client::new(&conn)?;
            let id = device_ref::resolve(&c, &id).await?;
            let events = c.get(&format!("/devices/{}/commands", client::seg(&id)), &[]).await?;
            output::json_or(&events, conn.json, output::commands)
        }
        Command::Devices { cmd: DevicesCmd::Actions { id }, .. } => {
            let c = Client::new(&conn)?;
            let id = device_ref::resolve(&c, &id).await?;
            let list = c.get(&format!("/devices/{}/actions", client::seg(&id)), &[]).await?;
            output::json_or(&list, conn.json, output::actions)
        }
        Command::Actions { cmd: ActionsCmd::Show { id }, .. } => {
            let a = Client::new(&conn)?.get(&format!("/actions/{}", client::seg(&id)), &[]).await?;
            output::action(&a, conn.json)
        }
        Command::Actions { cmd: ActionsCmd::Passcode { id }, .. } => {
            let c = Client::new(&conn)?;
            match c.get(&format!("/actions/{}/passcode", client::seg(&id)), &[]).await {
                Ok(p) => output::passcode(&p, conn.json),
                Err(e) => Err(passcode_refused(&c, &id, e).await),
            }
        }
        Command::Tenant { cmd: TenantCmd::Show, .. } => {
            output::json_or(&Client::new(&conn)?.get("/tenant", &[]).await?, conn.json, output::tenant)
        }
        Command::Tenant { cmd: TenantCmd::Consent { decision }, .. } => {
            let body = serde_json::json!({ "granted": decision == "grant" });
            let t = Client::new(&conn)?.post_json("/tenant/pin-reset-consent", &body).await?;
            output::json_or(&t, conn.json, output::tenant)
        }
        Command::Tenant { cmd: TenantCmd::Mail(cmd), .. } => mail::run(&conn, cmd).await,
        Command::Tenant { cmd: TenantCmd::AndroidEnterprise(cmd), .. } => android_enterprise::run(&conn, cmd).await,
        Command::Tenant { cmd: TenantCmd::Sso(cmd), .. } => {
            let client = Client::new(&conn)?;
            let r = match cmd {
                SsoCmd::Show => client.get("/tenant/sso", &[]).await?,
                SsoCmd::Set { issuer, client_id, client_secret_file, login_claim } => {
                    let secret = std::fs::read_to_string(&client_secret_file)
                        .map_err(|e| anyhow::anyhow!("reading {}: {e}", client_secret_file.display()))?;
                    let body = serde_json::json!({
                        "issuer": issuer, "client_id": client_id, "client_secret": secret.trim(), "login_claim": login_claim
                    });
                    client.put_json("/tenant/sso", &body).await?
                }
                SsoCmd::Clear => {
                    client.delete("/tenant/sso").await?;
                    println!("single sign-on is off; the client secret was destroyed");
                    return Ok(());
                }
            };
            output::json_or(&r, conn.json, |v| {
                println!("issuer        {}", v["issuer"].as_str().unwrap_or("-"));
                println!("client id     {}", v["client_id"].as_str().unwrap_or("-"));
                println!("login claim   {}", v["login_claim"].as_str().unwrap_or("-"));
                println!("redirect URI  {}  (register it at the provider)", v["redirect_uri"].as_str().unwrap_or("-"));
                Ok(())
            })
        }
        Command::Tenant { cmd: TenantCmd::Apns { cert, key }, .. } => {
            let read = |p: &PathBuf| std::fs::read_to_string(p).map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()));
            let body = serde_json::json!({ "cert_pem": read(&cert)?, "key_pem": read(&key)? });
            let r = Client::new(&conn)?.put_json("/tenant/apns", &body).await?;
            output::json_or(&r, conn.json, |v| {
                println!("push certificate stored; topic {}", v["topic"].as_str().unwrap_or("-"));
                Ok(())
            })
        }
        Command::Profiles { cmd: ProfilesCmd::List, .. } => {
            output::json_or(&Client::new(&conn)?.get("/profiles", &[]).await?, conn.json, output::profiles)
        }
        Command::Profiles { cmd: ProfilesCmd::Status { id }, .. } => {
            let st = Client::new(&conn)?.get(&format!("/profiles/{}/status", client::seg(&id)), &[]).await?;
            output::json_or(&st, conn.json, output::profile_status)
        }
        Command::Users { cmd: UsersCmd::List { role, search, disabled }, .. } => {
            let mut q = Vec::new();
            for (k, v) in [("role", role), ("search", search), ("disabled", disabled.then(|| "true".to_string()))] {
                if let Some(v) = v {
                    q.push((k, v));
                }
            }
            output::json_or(&Client::new(&conn)?.get("/users", &q).await?, conn.json, output::users)
        }
        Command::Users { cmd: UsersCmd::Add { login, name, email, role, password_stdin }, .. } => {
            let mut body = serde_json::json!({ "login": login, "display_name": name, "email": email, "role": role });
            if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                body["password"] = serde_json::Value::String(line.trim_end_matches(['\r', '\n']).to_string());
            }
            let u = Client::new(&conn)?.post_json("/users", &body).await?;
            output::json_or(&u, conn.json, output::user)
        }
        Command::Users { cmd: UsersCmd::Show { user }, .. } => {
            let c = Client::new(&conn)?;
            let id = user_id(&c, &user).await?;
            output::json_or(&c.get(&format!("/users/{}", client::seg(&id)), &[]).await?, conn.json, output::user)
        }
        Command::Users { cmd: UsersCmd::Disable { user, enable }, .. } => {
            let c = Client::new(&conn)?;
            let id = user_id(&c, &user).await?;
            let u = c.patch_json(&format!("/users/{}", client::seg(&id)), &serde_json::json!({ "disabled": !enable })).await?;
            output::json_or(&u, conn.json, output::user)
        }
        Command::Groups { cmd: GroupsCmd::List, .. } => {
            output::json_or(&Client::new(&conn)?.get("/groups", &[]).await?, conn.json, output::groups)
        }
        Command::Groups { cmd: GroupsCmd::Add { name, kind, members }, .. } => {
            let c = Client::new(&conn)?;
            let g = c.post_json("/groups", &serde_json::json!({ "kind": kind, "name": name, "members": members })).await?;
            group_members(&c, &g, conn.json).await
        }
        Command::Groups { cmd: GroupsCmd::Members { group, add, remove }, .. } => {
            let c = Client::new(&conn)?;
            let path = format!("/groups/{}", client::seg(&group));
            for m in &add {
                c.put(&format!("{path}/members/{}", client::seg(m))).await?;
            }
            for m in &remove {
                c.delete(&format!("{path}/members/{}", client::seg(m))).await?;
            }
            let g = c.get(&path, &[]).await?;
            group_members(&c, &g, conn.json).await
        }
        Command::Sim { cmd: SimCmd::Windows(args), .. } => sim::windows(&conn, args).await.map_err(sim_error),
        Command::Sim { cmd: SimCmd::Apple(args), .. } => sim::apple(&conn, args).await.map_err(sim_error),
        Command::Sim { cmd: SimCmd::Android(args), .. } => sim_android::android(&conn, args).await.map_err(sim_error),
        Command::Sim { cmd: SimCmd::Fleet(args), .. } => sim_fleet::fleet(&conn, args).await.map_err(sim_error),
        Command::Enroll { cmd: EnrollCmd::Apple { login, out }, .. } => {
            let profile = apple_profile(&conn, &login).await?;
            let out = out.unwrap_or_else(|| PathBuf::from(format!("pinreset-enrollment-{login}.mobileconfig")));
            std::fs::write(&out, &profile).map_err(|e| anyhow::anyhow!("writing {}: {e}", out.display()))?;
            println!("wrote {} ({} bytes); it holds {login}'s device identity: hand it to them only", out.display(), profile.len());
            Ok(())
        }
        Command::Reenrollments { cmd: ReenrollmentsCmd::List, .. } => {
            output::json_or(&Client::new(&conn)?.get("/reenrollments", &[]).await?, conn.json, output::reenrollments)
        }
        Command::Reenrollments { cmd: ReenrollmentsCmd::Approve { id }, .. } => {
            let r = Client::new(&conn)?.post(&format!("/reenrollments/{}/approve", client::seg(&id))).await?;
            output::json_or(&r, conn.json, output::reenrollment_decided)
        }
        Command::Reenrollments { cmd: ReenrollmentsCmd::Reject { id }, .. } => {
            let r = Client::new(&conn)?.post(&format!("/reenrollments/{}/reject", client::seg(&id))).await?;
            output::json_or(&r, conn.json, output::reenrollment_decided)
        }
        Command::Audit { cmd: AuditCmd::List { device, actor, since, until, limit }, .. } => {
            let mut q = vec![("limit", limit.to_string())];
            for (k, v) in [("device", device), ("actor", actor), ("since", since), ("until", until)] {
                if let Some(v) = v {
                    q.push((k, v));
                }
            }
            let events = Client::new(&conn)?.get("/audit", &q).await?;
            output::audit(&events, conn.json)
        }
    }
}
