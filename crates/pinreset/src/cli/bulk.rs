//! `pinreset bulk`: one action over many devices (a device group, a filter or a list of ids),
//! followed with a progress bar until every device reached a terminal state.

use super::client::{self, Client};
use super::Connection;
use anyhow::Result;
use serde_json::{json, Value};
use std::time::Duration;

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum BulkAction {
    /// Lock every device.
    Lock,
    /// Reset every device's passcode (each device as its platform allows).
    ResetPasscode,
    /// Erase every device (tenant admins only; asks first).
    Wipe,
    /// Ask every device to check in now.
    Sync,
}

impl BulkAction {
    fn api(self) -> &'static str {
        match self {
            BulkAction::Lock => "remote-lock",
            BulkAction::ResetPasscode => "reset-passcode",
            BulkAction::Wipe => "reset-device",
            BulkAction::Sync => "sync",
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct BulkArgs {
    /// What to do to each device.
    #[arg(value_enum)]
    action: BulkAction,
    /// A device group, by name or id.
    #[arg(long, conflicts_with_all = ["device", "platform", "search"])]
    group: Option<String>,
    /// A device: its id, or a unique part of its name, model, serial, UDID or DeviceID (repeat
    /// for several).
    #[arg(long, conflicts_with_all = ["platform", "search"])]
    device: Vec<String>,
    /// Every device of this platform (ios, android, windows_mobile, …).
    #[arg(long)]
    platform: Option<String>,
    /// Every device whose name, model, serial, UDID or IMEI contains this.
    #[arg(long)]
    search: Option<String>,
    /// Start the job and return (follow it with `pinreset bulk-status ID`).
    #[arg(long)]
    no_wait: bool,
    /// Wipe without asking (needed when not at a terminal).
    #[arg(long)]
    yes: bool,
}

async fn group_id(c: &Client, group: &str) -> Result<String> {
    let groups = c.get("/groups", &[]).await?;
    let all = groups["device_groups"].as_array().cloned().unwrap_or_default();
    let found = all.iter().find(|g| g["id"].as_str() == Some(group) || g["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(group)));
    match found {
        Some(g) => Ok(g["id"].as_str().unwrap_or_default().to_string()),
        None => {
            let names: Vec<&str> = all.iter().filter_map(|g| g["name"].as_str()).collect();
            Err(client::hinted(format!("no device group is named {group:?}"), format!("device groups: {}", names.join(", "))))
        }
    }
}

fn confirm_wipe(yes: bool) -> Result<()> {
    use std::io::IsTerminal;
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(client::hinted("a bulk wipe erases every selected device and cannot be undone", "add --yes to confirm"));
    }
    super::ask_yes("Erase every selected device? All their data is deleted; it cannot be undone.")
}

/// Devices that reached the end: refused, woken, or their action finished.
fn settled(p: &Value) -> u64 {
    ["refused", "woken", "succeeded", "failed", "expired", "cancelled"].iter().map(|k| p[*k].as_u64().unwrap_or(0)).sum()
}

fn summary(p: &Value) -> String {
    let n = |k: &str| p[k].as_u64().unwrap_or(0);
    format!(
        "{} devices: {} succeeded, {} failed, {} expired, {} cancelled, {} refused, {} still pending{}",
        n("total"),
        n("succeeded"),
        n("failed"),
        n("expired"),
        n("cancelled"),
        n("refused"),
        n("pending"),
        if n("woken") > 0 { format!(", {} asked to check in", n("woken")) } else { String::new() }
    )
}

pub async fn run(conn: &Connection, args: BulkArgs) -> Result<()> {
    let c = Client::new(conn)?;
    if matches!(args.action, BulkAction::Wipe) {
        confirm_wipe(args.yes)?;
    }
    let mut body = json!({ "action": args.action.api() });
    if let Some(group) = &args.group {
        body["group_id"] = json!(group_id(&c, group).await?);
    } else if !args.device.is_empty() {
        let mut ids = Vec::with_capacity(args.device.len());
        for d in &args.device {
            ids.push(super::device_ref::resolve(&c, d).await?);
        }
        body["device_ids"] = json!(ids);
    } else if args.platform.is_some() || args.search.is_some() {
        body["filter"] = json!({ "platform": args.platform, "search": args.search });
    } else {
        return Err(client::hinted("which devices?", "choose them with --group NAME, --device ID (repeatable), or --platform/--search"));
    }
    let started = c.post_json("/actions/bulk", &body).await?;
    let id = started["job"]["id"].as_str().unwrap_or_default().to_string();
    if conn.json && args.no_wait {
        println!("{started}");
        return Ok(());
    }
    eprintln!("bulk job {id}: {} devices", started["job"]["total"]);
    if args.no_wait {
        println!("{id}");
        return Ok(());
    }
    let total = started["job"]["total"].as_u64().unwrap_or(0);
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let last = loop {
        let now = c.get(&format!("/actions/bulk/{}", client::seg(&id)), &[]).await?;
        let p = &now["progress"];
        bar.set_position(settled(p));
        bar.set_message(format!("{} handled, {} pending", p["handled"], p["pending"]));
        if p["done"] == true {
            break now;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    bar.finish_and_clear();
    if conn.json {
        println!("{last}");
    } else {
        println!("{}", summary(&last["progress"]));
    }
    Ok(())
}
