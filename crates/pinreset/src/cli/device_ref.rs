//! A device named on the command line by its id or by a unique part of its name, model,
//! serial, UDID or DeviceID (`pinreset reset-passcode "Lumia 950"`), as people say it.

use super::client::{self, Client};
use anyhow::Result;

/// The device's id: the argument itself when it is one, else the one device the search finds.
pub async fn resolve(c: &Client, arg: &str) -> Result<String> {
    if arg.trim().parse::<pinreset_core::DeviceId>().is_ok() {
        return Ok(arg.trim().to_string());
    }
    let page = c.get("/devices", &[("search", arg.to_string()), ("limit", "10".into())]).await?;
    let items = page["items"].as_array().cloned().unwrap_or_default();
    match items.as_slice() {
        [one] => Ok(one["id"].as_str().unwrap_or_default().to_string()),
        [] => Err(client::hinted(format!("no device matches \"{arg}\""), "list them with `pinreset devices list`, or give the device id")),
        many => {
            let names: Vec<String> =
                many.iter().map(|d| format!("  {}  {}", d["id"].as_str().unwrap_or("-"), d["name"].as_str().unwrap_or("-"))).collect();
            Err(client::hinted(
                format!("\"{arg}\" matches {} devices:\n{}", page["total"], names.join("\n")),
                "give the device id, or more of its name",
            ))
        }
    }
}
