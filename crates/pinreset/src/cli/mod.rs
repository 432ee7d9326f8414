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
    /// Users of your tenant (reading: every admin role; changing: tenant admins).
    #[command(subcommand)]
    Users(UsersCmd),
    /// User and device groups (profiles are assigned to them).
    #[command(subcommand)]
    Groups(GroupsCmd),
    /// Simulated devices speaking the real protocols (for demos and tests).
    #[command(subcommand)]
    Sim(SimCmd),
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
        Command::Users(UsersCmd::List { role, search, disabled }) => {
            let mut q = Vec::new();
            for (k, v) in [("role", role), ("search", search), ("disabled", disabled.then(|| "true".to_string()))] {
                if let Some(v) = v {
                    q.push((k, v));
                }
            }
            output::json_or(&Client::new(&conn)?.get("/users", &q).await?, conn.json, output::users)
        }
        Command::Users(UsersCmd::Add { login, name, email, role, password_stdin }) => {
            let mut body = serde_json::json!({ "login": login, "display_name": name, "email": email, "role": role });
            if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                body["password"] = serde_json::Value::String(line.trim_end_matches(['\r', '\n']).to_string());
            }
            let u = Client::new(&conn)?.post_json("/users", &body).await?;
            output::json_or(&u, conn.json, output::user)
        }
        Command::Users(UsersCmd::Show { user }) => {
            let c = Client::new(&conn)?;
            let id = user_id(&c, &user).await?;
            output::json_or(&c.get(&format!("/users/{}", client::seg(&id)), &[]).await?, conn.json, output::user)
        }
        Command::Users(UsersCmd::Disable { user, enable }) => {
            let c = Client::new(&conn)?;
            let id = user_id(&c, &user).await?;
            let u = c.patch_json(&format!("/users/{}", client::seg(&id)), &serde_json::json!({ "disabled": !enable })).await?;
            output::json_or(&u, conn.json, output::user)
        }
        Command::Groups(GroupsCmd::List) => output::json_or(&Client::new(&conn)?.get("/groups", &[]).await?, conn.json, output::groups),
        Command::Groups(GroupsCmd::Add { name, kind, members }) => {
            let c = Client::new(&conn)?;
            let g = c.post_json("/groups", &serde_json::json!({ "kind": kind, "name": name, "members": members })).await?;
            group_members(&c, &g, conn.json).await
        }
        Command::Groups(GroupsCmd::Members { group, add, remove }) => {
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
        Command::Sim(SimCmd::Windows(args)) => sim::windows(&conn, args).await,
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
