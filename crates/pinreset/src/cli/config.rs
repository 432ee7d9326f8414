//! The client's saved connection: `pinreset login` writes the server, its CA and an API token
//! to the user's config file, and every client command reads them from there.
//!
//! Where: `$PINRESET_CONFIG` when set, else `$XDG_CONFIG_HOME/pinreset/config.toml`, else
//! `~/.config/pinreset/config.toml`. The file holds a token, so it is written with mode 0600.
//! Its format is a small TOML subset: `key = "string"` lines (`server`, `ca`, `token`).

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub server: Option<String>,
    /// Absolute path of the server's CA certificate (PEM).
    pub ca: Option<PathBuf>,
    pub token: Option<String>,
}

/// The config file's path (it need not exist).
pub fn path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("PINRESET_CONFIG").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|p| !p.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").context("neither PINRESET_CONFIG nor HOME is set: no place for the config")?)
            .join(".config"),
    };
    Ok(base.join("pinreset").join("config.toml"))
}

/// The saved config; none saved yet is an empty one.
pub fn load() -> Result<Config> {
    load_from(&path()?)
}

pub fn load_from(path: &Path) -> Result<Config> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(e).with_context(|| format!("reading the config {}", path.display())),
    };
    parse(&text).with_context(|| format!("the config {} is not valid (run `pinreset login` to write it again)", path.display()))
}

fn parse(text: &str) -> Result<Config> {
    let mut c = Config::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { bail!("line {}: expected key = \"value\"", n + 1) };
        // TOML basic strings use JSON's escapes for everything we write.
        let value: String =
            serde_json::from_str(value.trim()).map_err(|_| anyhow::anyhow!("line {}: the value must be a quoted string", n + 1))?;
        match key.trim() {
            "server" => c.server = Some(value),
            "ca" => c.ca = Some(PathBuf::from(value)),
            "token" => c.token = Some(value),
            _ => {} // Unknown keys are kept for newer versions' sake: ignored, not an error.
        }
    }
    Ok(c)
}

fn render(c: &Config) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("a string serializes");
    let mut out = String::from("# Written by `pinreset login`. It holds an API token: keep it private (mode 0600).\n");
    if let Some(s) = &c.server {
        out += &format!("server = {}\n", q(s));
    }
    if let Some(ca) = &c.ca {
        out += &format!("ca = {}\n", q(&ca.to_string_lossy()));
    }
    if let Some(t) = &c.token {
        out += &format!("token = {}\n", q(t));
    }
    out
}

/// Write the config, readable by its owner only; returns where.
pub fn save(c: &Config) -> Result<PathBuf> {
    let path = path()?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    // A fresh file created 0600, then renamed over the old one: never a moment with the token
    // in a file others can read.
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let _ = std::fs::remove_file(&tmp);
    let mut f = opts.open(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    std::io::Write::write_all(&mut f, render(c).as_bytes()).with_context(|| format!("writing {}", tmp.display()))?;
    drop(f);
    std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_comments_and_unknown_keys() {
        let c = Config {
            server: Some("https://mdm.example:8443".into()),
            ca: Some(PathBuf::from("/srv/pin \"reset\"/ca.pem")),
            token: Some("prt_abc\\def".into()),
        };
        assert_eq!(parse(&render(&c)).unwrap(), c);
        let extra = format!("{}\n# note\nfuture = \"x\"\n", render(&c));
        assert_eq!(parse(&extra).unwrap(), c);
        assert!(parse("server = unquoted").is_err());
        assert!(parse("just words").is_err());
    }
}
