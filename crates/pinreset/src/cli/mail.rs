//! `pinreset tenant mail`: the SMTP server notification e-mail goes through.

use super::client::Client;
use super::{output, Connection};
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum MailCmd {
    /// Show the mail server (never its password).
    Show,
    /// Set up (or replace) the mail server. Nothing is sent: `test` tries it.
    Set {
        #[arg(long)]
        host: String,
        /// 465 with tls, 587 with starttls, 25 with none.
        #[arg(long, default_value_t = 587)]
        port: u16,
        /// tls, starttls, or none (only for a relay on the same host or network).
        #[arg(long, default_value = "starttls", value_parser = ["tls", "starttls", "none"])]
        security: String,
        /// The sender address, e.g. pinreset@example.com.
        #[arg(long)]
        from: String,
        #[arg(long)]
        username: Option<String>,
        /// A file holding the SMTP password (kept out of the shell history and process list).
        #[arg(long, requires = "username")]
        password_file: Option<PathBuf>,
        /// The language notifications are written in.
        #[arg(long, default_value = "en", value_parser = ["en", "ja", "zh-TW", "sv", "it"])]
        language: String,
    },
    /// Send a test message through the mail server now.
    Test {
        /// Where it goes.
        to: String,
    },
    /// Stop notification e-mail and destroy the stored password.
    Clear,
}

pub async fn run(conn: &Connection, cmd: MailCmd) -> Result<()> {
    let client = Client::new(conn)?;
    let r = match cmd {
        MailCmd::Show => client.get("/tenant/mail", &[]).await?,
        MailCmd::Set { host, port, security, from, username, password_file, language } => {
            let password = match password_file {
                Some(p) => {
                    Some(std::fs::read_to_string(&p).map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()))?.trim().to_string())
                }
                None => None,
            };
            let body = serde_json::json!({
                "host": host, "port": port, "security": security, "from": from,
                "username": username, "password": password, "language": language,
            });
            client.put_json("/tenant/mail", &body).await?
        }
        MailCmd::Test { to } => {
            client.post_json("/tenant/mail/test", &serde_json::json!({ "to": to })).await?;
            println!("the mail server took the test message for {to}");
            return Ok(());
        }
        MailCmd::Clear => {
            client.delete("/tenant/mail").await?;
            println!("notification e-mail is off; the SMTP password was destroyed");
            return Ok(());
        }
    };
    output::json_or(&r, conn.json, |v| {
        println!("server      {}:{} ({})", v["host"].as_str().unwrap_or("-"), v["port"], v["security"].as_str().unwrap_or("-"));
        println!("from        {}", v["from"].as_str().unwrap_or("-"));
        println!(
            "sign-in     {}",
            v["username"]
                .as_str()
                .map_or("none".to_string(), |u| format!("{u} (password {})", if v["password_set"] == true { "stored" } else { "not set" }))
        );
        println!("language    {}", v["language"].as_str().unwrap_or("-"));
        Ok(())
    })
}
