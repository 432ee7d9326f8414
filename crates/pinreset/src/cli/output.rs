//! Printing API answers as tables (default) or JSON (--json).

use anyhow::Result;
use serde_json::Value;

fn s(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An RFC 3339 time as `2026-12-02 05:58:06 UTC`; anything else as it is.
fn time(v: &Value) -> String {
    match v.as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) {
        Some(t) => t.with_timezone(&chrono::Utc).format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        None => s(v),
    }
}

fn print_json(v: &Value) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// Left-aligned columns sized to their widest cell.
fn table(headers: &[&str], rows: Vec<Vec<String>>) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let parts: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(headers.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r);
    }
}

/// What tells a device apart on its own screen: the serial number, else the UDID (Apple) or
/// DeviceID (Windows), shortened; `devices list --search` finds it by any part of it.
fn identifier(d: &Value) -> String {
    let id = d["serial_number"].as_str().or(d["udid"].as_str()).unwrap_or("-");
    if id.chars().count() > 20 {
        format!("{}…", id.chars().take(16).collect::<String>())
    } else {
        id.to_string()
    }
}

pub fn devices(page: &Value, json: bool) -> Result<()> {
    if json {
        return print_json(page);
    }
    let rows = page["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|d| vec![s(&d["id"]), s(&d["name"]), identifier(d), s(&d["platform"]), s(&d["os_version"]), s(&d["ownership"])])
                .collect()
        })
        .unwrap_or_default();
    table(&["ID", "NAME", "IDENTIFIER", "PLATFORM", "OS", "OWNERSHIP"], rows);
    println!("{} of {} devices", page["items"].as_array().map_or(0, Vec::len), s(&page["total"]));
    Ok(())
}

/// The CLI command that requests an action (keys as in the device view's `capabilities`).
fn verb(action: &str, id: &str) -> String {
    match action {
        "reset_passcode" => format!("pinreset reset-passcode {id}"),
        "remote_lock" => format!("pinreset lock {id}"),
        "reset_device" => format!("pinreset wipe {id}"),
        "remove" => format!("pinreset remove {id}"),
        "rename" => format!("pinreset rename {id} NAME"),
        other => format!("({other})"),
    }
}

pub fn device(d: &Value, json: bool) -> Result<()> {
    if json {
        return print_json(d);
    }
    let dev = &d["device"];
    let id = s(&dev["id"]);
    println!("{}  ({id})", s(&dev["name"]));
    println!("  platform    {} {}", s(&dev["platform"]), s(&dev["os_version"]));
    println!("  model       {}", s(&dev["model"]));
    println!("  ownership   {}   management {}   join {}", s(&dev["ownership"]), s(&dev["management_mode"]), s(&dev["join_type"]));
    println!("  owner       {}", s(&d["owner"]["display_name"]));
    match dev["last_check_in"] {
        Value::Null => println!("  last seen   never (it has not checked in since it was added)"),
        ref t => println!("  last seen   {} (accurate to 5 minutes)", time(t)),
    }
    match d["reached_by"]["by"].as_str() {
        Some("push") => println!("  reached by  push: queued commands wake the device at once"),
        Some("next_check_in") => println!("  reached by  its next check-in: {}", s(&d["reached_by"]["reason"])),
        _ => println!("  reached by  {}", s(&d["reached_by"])),
    }
    println!("actions:");
    if let Some(caps) = d["capabilities"].as_object() {
        for (action, cap) in caps {
            if cap["status"] == "supported" {
                println!("  {action:<15} supported ({}): {}", s(&cap["kind"]), verb(action, &id));
            } else {
                println!("  {action:<15} refused: {} ({})", s(&cap["reason"]), s(&cap["code"]));
                println!("  {:<15}   what to do: {}", "", s(&cap["remedy"]));
            }
        }
    }
    println!("history: pinreset devices commands {id}   pinreset devices actions {id}");
    Ok(())
}

/// `GET /devices/{id}/commands`: what was sent to the device and what it answered.
pub fn commands(events: &Value) -> Result<()> {
    let rows: Vec<Vec<String>> = events
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let what = match e["kind"].as_str() {
                Some("command_sent") => "sent".to_string(),
                Some("command_result") => "answer".to_string(),
                _ => s(&e["kind"]),
            };
            vec![time(&e["at"]), what, s(&e["action"]), s(&e["outcome"]), s(&e["action_id"])]
        })
        .collect();
    if rows.is_empty() {
        println!("no commands sent to this device yet");
        return Ok(());
    }
    table(&["TIME", "", "COMMAND", "RESULT", "ACTION"], rows);
    Ok(())
}

/// `GET /devices/{id}/actions`.
pub fn actions(list: &Value) -> Result<()> {
    let rows: Vec<Vec<String>> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| vec![s(&a["id"]), s(&a["kind"]), s(&a["state"]), time(&a["requested_at"]), s(&a["summary"])])
        .collect();
    if rows.is_empty() {
        println!("no actions requested for this device yet");
        return Ok(());
    }
    table(&["ID", "KIND", "STATE", "REQUESTED", "STATUS"], rows);
    Ok(())
}

/// `POST /devices/{id}/sync`.
pub fn synced(r: &Value) -> Result<()> {
    match r["reached_by"]["by"].as_str() {
        Some("push") if r["pushed"] == true => println!("asked the device to check in now (push sent)"),
        Some("push") => println!("the push could not be sent now; the device gets its commands when it next checks in"),
        _ => println!("not woken now: {}", s(&r["reached_by"]["reason"])),
    }
    Ok(())
}

pub fn action(a: &Value, json: bool) -> Result<()> {
    if json {
        return print_json(a);
    }
    println!("action   {}", s(&a["id"]));
    println!("kind     {}", s(&a["kind"]));
    println!("device   {}", s(&a["device_id"]));
    println!("state    {}{}", s(&a["state"]), if a["deduplicated"] == true { " (already pending; no second command sent)" } else { "" });
    println!("status   {}", s(&a["summary"]));
    if a["passcode_available"] == true {
        println!("passcode: pinreset actions passcode {}", s(&a["id"]));
    }
    Ok(())
}

pub fn passcode(p: &Value, json: bool) -> Result<()> {
    if json {
        return print_json(p);
    }
    println!("{}", s(&p["passcode"]));
    eprintln!("(valid until {}; this read was audited)", s(&p["expires_at"]));
    Ok(())
}

pub fn audit(events: &Value, json: bool) -> Result<()> {
    if json {
        return print_json(events);
    }
    let rows = events
        .as_array()
        .map(|es| {
            es.iter()
                .map(|e| vec![s(&e["at"]), s(&e["actor"]), s(&e["kind"]), s(&e["action"]), s(&e["device_id"]), s(&e["outcome"])])
                .collect()
        })
        .unwrap_or_default();
    table(&["TIME", "ACTOR", "EVENT", "ACTION", "DEVICE", "OUTCOME"], rows);
    Ok(())
}

/// JSON when asked, else the given table printer.
pub fn json_or(v: &Value, json: bool, table_printer: fn(&Value) -> Result<()>) -> Result<()> {
    if json {
        print_json(v)
    } else {
        table_printer(v)
    }
}

pub fn tenant(t: &Value) -> Result<()> {
    let st = &t["settings"];
    println!("{}  ({})", s(&t["display_name"]), s(&t["id"]));
    println!("  directory id               {}", s(&t["directory_id"]));
    println!("  PIN reset service consent  {}", if st["pin_reset_consented"] == true { "granted" } else { "not granted" });
    println!("  temporary passcode length  {} (alphanumeric), {} (numeric)", s(&st["alphanumeric_length"]), s(&st["numeric_length"]));
    println!("  Windows enrollment sign-in {}", s(&st["windows_enrollment_auth"]));
    Ok(())
}

pub fn profiles(list: &Value) -> Result<()> {
    let rows = list
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| vec![s(&p["id"]), s(&p["name"]), s(&p["version"]), p["settings"].as_array().map_or(0, Vec::len).to_string()])
                .collect()
        })
        .unwrap_or_default();
    table(&["ID", "NAME", "VERSION", "SETTINGS"], rows);
    Ok(())
}

pub fn profile_status(st: &Value) -> Result<()> {
    let c = &st["counts"];
    println!(
        "succeeded {}  error {}  conflict {}  pending {}  not applicable {}",
        s(&c["succeeded"]),
        s(&c["error"]),
        s(&c["conflict"]),
        s(&c["pending"]),
        s(&c["not_applicable"])
    );
    let rows = st["devices"]
        .as_array()
        .map(|ds| ds.iter().map(|d| vec![s(&d["device_name"]), s(&d["platform"]), s(&d["state"]), s(&d["detail"])]).collect())
        .unwrap_or_default();
    table(&["DEVICE", "PLATFORM", "STATE", "DETAIL"], rows);
    Ok(())
}

pub fn reenrollments(list: &Value) -> Result<()> {
    let rows = list
        .as_array()
        .map(|l| {
            l.iter()
                .map(|r| {
                    let kind = s(&r["identity_kind"]);
                    vec![
                        s(&r["id"]),
                        s(&r["state"]),
                        s(&r["requested_by_login"]),
                        s(&r["device_id"]),
                        format!("{kind} {}", s(&r["external_id"])),
                        s(&r["requested_at"]),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    table(&["ID", "STATE", "USER", "DEVICE", "IDENTITY", "REQUESTED"], rows);
    Ok(())
}

pub fn reenrollment_decided(r: &Value) -> Result<()> {
    match r["state"].as_str() {
        Some("approved") => println!(
            "approved: {} may enroll device {} again until {}",
            s(&r["requested_by_login"]),
            s(&r["device_id"]),
            s(&r["expires_at"])
        ),
        _ => println!("rejected: {} cannot enroll device {} again", s(&r["requested_by_login"]), s(&r["device_id"])),
    }
    Ok(())
}

pub fn users(list: &Value) -> Result<()> {
    let rows = list
        .as_array()
        .map(|us| {
            us.iter()
                .map(|u| {
                    let state = if u["disabled"].as_bool() == Some(true) { "disabled" } else { "enabled" };
                    vec![s(&u["id"]), s(&u["login"]), s(&u["display_name"]), s(&u["email"]), s(&u["role"]), state.to_string()]
                })
                .collect()
        })
        .unwrap_or_default();
    table(&["ID", "LOGIN", "NAME", "EMAIL", "ROLE", "STATE"], rows);
    Ok(())
}

pub fn user(u: &Value) -> Result<()> {
    println!("{} ({})", s(&u["display_name"]), s(&u["login"]));
    println!("  id        {}", s(&u["id"]));
    println!("  email     {}", s(&u["email"]));
    println!("  role      {}", s(&u["role"]));
    println!("  state     {}", if u["disabled"].as_bool() == Some(true) { "disabled" } else { "enabled" });
    println!("  password  {}", if u["has_password"].as_bool() == Some(true) { "set" } else { "not set" });
    Ok(())
}

/// `GET /groups`: both kinds in one table.
pub fn groups(g: &Value) -> Result<()> {
    let mut rows = Vec::new();
    for (key, kind) in [("user_groups", "user"), ("device_groups", "device")] {
        for g in g[key].as_array().into_iter().flatten() {
            rows.push(vec![s(&g["id"]), kind.to_string(), s(&g["name"]), g["members"].as_array().map_or(0, Vec::len).to_string()]);
        }
    }
    table(&["ID", "KIND", "NAME", "MEMBERS"], rows);
    Ok(())
}

/// One group's members, with the names the caller looked up (`names`: id → name).
pub fn group_members(g: &Value, names: &std::collections::HashMap<String, String>) {
    println!("{} group {} ({})", s(&g["kind"]), s(&g["name"]), s(&g["id"]));
    let rows = g["members"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| vec![s(m), names.get(&s(m)).cloned().unwrap_or_else(|| "-".into())])
        .collect();
    table(&["MEMBER", "NAME"], rows);
}
