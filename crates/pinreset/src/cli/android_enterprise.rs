//! `pinreset tenant android-enterprise`: the organisation's Android Enterprise, reached through
//! Google's Android Management API, and its device list sync.

use super::client::Client;
use super::{output, Connection};
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum AndroidEnterpriseCmd {
    /// Show the binding (never the service-account key).
    Show,
    /// Bind (or re-bind) the enterprise. Nothing is sent to Google: `sync` lists its devices.
    Set {
        /// The Google Cloud project of the service account.
        #[arg(long)]
        project_id: String,
        /// enterprises/LC0…
        #[arg(long)]
        enterprise: String,
        /// The service account's key file (JSON, from the Google Cloud console). Leave it out
        /// to keep the stored key when re-binding.
        #[arg(long)]
        key_file: Option<PathBuf>,
        /// projects/P/subscriptions/S: a pull subscription of the enterprise's notifications.
        #[arg(long)]
        pubsub_subscription: Option<String>,
        /// Another Android Management API endpoint (a test stand-in).
        #[arg(long)]
        amapi_url: Option<String>,
        /// Another Pub/Sub endpoint (a test stand-in).
        #[arg(long)]
        pubsub_url: Option<String>,
        /// operations.get calls a minute at most (default 60).
        #[arg(long)]
        operations_per_minute: Option<u32>,
        /// How long a command stays valid, in seconds (default 600).
        #[arg(long)]
        command_duration_seconds: Option<u32>,
    },
    /// List the enterprise's devices at Google now and create or update them here.
    Sync,
    /// Unbind the enterprise and destroy the stored key.
    Clear,
}

pub async fn run(conn: &Connection, cmd: AndroidEnterpriseCmd) -> Result<()> {
    let client = Client::new(conn)?;
    let r = match cmd {
        AndroidEnterpriseCmd::Show => client.get("/tenant/android-enterprise", &[]).await?,
        AndroidEnterpriseCmd::Set {
            project_id,
            enterprise,
            key_file,
            pubsub_subscription,
            amapi_url,
            pubsub_url,
            operations_per_minute,
            command_duration_seconds,
        } => {
            let key = match key_file {
                Some(p) => Some(std::fs::read_to_string(&p).map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()))?),
                None => None,
            };
            let body = serde_json::json!({
                "project_id": project_id, "enterprise_name": enterprise, "service_account_key": key,
                "pubsub_subscription": pubsub_subscription, "amapi_url": amapi_url, "pubsub_url": pubsub_url,
                "operations_per_minute": operations_per_minute, "command_duration_seconds": command_duration_seconds,
            });
            client.put_json("/tenant/android-enterprise", &body).await?
        }
        AndroidEnterpriseCmd::Sync => {
            let r = client.post_json("/tenant/android-enterprise/sync", &serde_json::json!({})).await?;
            return output::json_or(&r, conn.json, |v| {
                println!(
                    "{} listed, {} created, {} updated, {} retired (deleted at Google), {} skipped",
                    v["listed"], v["created"], v["updated"], v["retired"], v["skipped"]
                );
                Ok(())
            });
        }
        AndroidEnterpriseCmd::Clear => {
            client.delete("/tenant/android-enterprise").await?;
            println!("the Android Enterprise is unbound; the service-account key was destroyed");
            return Ok(());
        }
    };
    output::json_or(&r, conn.json, |v| {
        println!("enterprise       {}", v["enterprise_name"].as_str().unwrap_or("-"));
        println!("project          {}", v["project_id"].as_str().unwrap_or("-"));
        println!(
            "service account  {} (key {})",
            v["service_account"].as_str().unwrap_or("-"),
            if v["service_account_key_set"] == true { "stored" } else { "missing" }
        );
        println!("notifications    {}", v["pubsub_subscription"].as_str().unwrap_or("none (operations are polled)"));
        println!(
            "pace             {} operations.get a minute, commands valid {} s",
            v["operations_per_minute"], v["command_duration_seconds"]
        );
        Ok(())
    })
}
