//! Command-line interface.

mod client;
mod output;
mod serve;
mod sim;

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
    Run the server with `pinreset serve --demo`, then use the other commands against it with the \
    token from DATA/demo-credentials.json:\n  pinreset --token $TOKEN devices list"
)]
pub struct Cli {
    #[command(flatten)]
    conn: Connection,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
pub struct Connection {
    /// Server to talk to.
    #[arg(long, global = true, env = "PINRESET_SERVER", default_value = "https://127.0.0.1:8443")]
    server: String,
    /// API token (Bearer).
    #[arg(long, global = true, env = "PINRESET_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// CA certificate to trust for the server (default: DATA/tls/ca.pem of ./data when present).
    #[arg(long, global = true, env = "PINRESET_CA")]
    ca: Option<PathBuf>,
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve(Box<serve::ServeArgs>),
    /// Managed devices.
    #[command(subcommand)]
    Devices(DevicesCmd),
    /// Reset a device's passcode (queues the action; see `actions show`).
    ResetPasscode {
        /// Device id.
        device: String,
    },
    /// Remote actions.
    #[command(subcommand)]
    Actions(ActionsCmd),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Your tenant: settings and the PIN reset service consent.
    #[command(subcommand)]
    Tenant(TenantCmd),
    /// Configuration profiles.
    #[command(subcommand)]
    Profiles(ProfilesCmd),
    /// Enrolling devices.
    #[command(subcommand)]
    Enroll(EnrollCmd),
    /// Enrollments that named an already-enrolled device without proving they are it: approve
    /// (the user may then enroll that device once, within 24 hours) or reject.
    #[command(subcommand)]
    Reenrollments(ReenrollmentsCmd),
    /// Simulated devices speaking the real protocols (for demos and tests).
    #[command(subcommand)]
    Sim(SimCmd),
}

#[derive(Subcommand)]
enum SimCmd {
    /// A Windows device: enrolls (MS-MDE2) and runs OMA-DM sessions.
    Windows(sim::WindowsArgs),
    /// An Apple device: installs an enrollment profile, checks in and polls the command endpoint.
    Apple(sim::AppleArgs),
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
    /// Show one device with what can be done to it and why not.
    Show { id: String },
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

pub async fn run(cli: Cli) -> Result<()> {
    let conn = cli.conn;
    match cli.command {
        Command::Serve(args) => serve::run(*args).await,
        Command::Devices(DevicesCmd::List { platform, owner, group, search, limit, offset }) => {
            let mut q = vec![("limit", limit.to_string()), ("offset", offset.to_string())];
            for (k, v) in [("platform", platform), ("owner", owner), ("group", group), ("search", search)] {
                if let Some(v) = v {
                    q.push((k, v));
                }
            }
            let page = Client::new(&conn)?.get("/devices", &q).await?;
            output::devices(&page, conn.json)
        }
        Command::Devices(DevicesCmd::Show { id }) => {
            let d = Client::new(&conn)?.get(&format!("/devices/{}", client::seg(&id)), &[]).await?;
            output::device(&d, conn.json)
        }
        Command::ResetPasscode { device } => {
            let a = Client::new(&conn)?.post(&format!("/devices/{}/actions/reset-passcode", client::seg(&device))).await?;
            output::action(&a, conn.json)
        }
        Command::Actions(ActionsCmd::Show { id }) => {
            let a = Client::new(&conn)?.get(&format!("/actions/{}", client::seg(&id)), &[]).await?;
            output::action(&a, conn.json)
        }
        Command::Actions(ActionsCmd::Passcode { id }) => {
            let p = Client::new(&conn)?.get(&format!("/actions/{}/passcode", client::seg(&id)), &[]).await?;
            output::passcode(&p, conn.json)
        }
        Command::Tenant(TenantCmd::Show) => output::json_or(&Client::new(&conn)?.get("/tenant", &[]).await?, conn.json, output::tenant),
        Command::Tenant(TenantCmd::Consent { decision }) => {
            let body = serde_json::json!({ "granted": decision == "grant" });
            let t = Client::new(&conn)?.post_json("/tenant/pin-reset-consent", &body).await?;
            output::json_or(&t, conn.json, output::tenant)
        }
        Command::Tenant(TenantCmd::Apns { cert, key }) => {
            let read = |p: &PathBuf| std::fs::read_to_string(p).map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()));
            let body = serde_json::json!({ "cert_pem": read(&cert)?, "key_pem": read(&key)? });
            let r = Client::new(&conn)?.put_json("/tenant/apns", &body).await?;
            output::json_or(&r, conn.json, |v| {
                println!("push certificate stored; topic {}", v["topic"].as_str().unwrap_or("-"));
                Ok(())
            })
        }
        Command::Profiles(ProfilesCmd::List) => {
            output::json_or(&Client::new(&conn)?.get("/profiles", &[]).await?, conn.json, output::profiles)
        }
        Command::Profiles(ProfilesCmd::Status { id }) => {
            let st = Client::new(&conn)?.get(&format!("/profiles/{}/status", client::seg(&id)), &[]).await?;
            output::json_or(&st, conn.json, output::profile_status)
        }
        Command::Sim(SimCmd::Windows(args)) => sim::windows(&conn.server, conn.ca, args).await,
        Command::Sim(SimCmd::Apple(args)) => sim::apple(&conn, args).await,
        Command::Enroll(EnrollCmd::Apple { login, out }) => {
            let profile = apple_profile(&conn, &login).await?;
            let out = out.unwrap_or_else(|| PathBuf::from(format!("pinreset-enrollment-{login}.mobileconfig")));
            std::fs::write(&out, &profile).map_err(|e| anyhow::anyhow!("writing {}: {e}", out.display()))?;
            println!("wrote {} ({} bytes); it holds {login}'s device identity: hand it to them only", out.display(), profile.len());
            Ok(())
        }
        Command::Reenrollments(ReenrollmentsCmd::List) => {
            output::json_or(&Client::new(&conn)?.get("/reenrollments", &[]).await?, conn.json, output::reenrollments)
        }
        Command::Reenrollments(ReenrollmentsCmd::Approve { id }) => {
            let r = Client::new(&conn)?.post(&format!("/reenrollments/{}/approve", client::seg(&id))).await?;
            output::json_or(&r, conn.json, output::reenrollment_decided)
        }
        Command::Reenrollments(ReenrollmentsCmd::Reject { id }) => {
            let r = Client::new(&conn)?.post(&format!("/reenrollments/{}/reject", client::seg(&id))).await?;
            output::json_or(&r, conn.json, output::reenrollment_decided)
        }
        Command::Audit(AuditCmd::List { device, actor, since, until, limit }) => {
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
