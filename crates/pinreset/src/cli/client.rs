//! A small REST client for the admin API: trusts the server's CA, sends the token, and turns a
//! problem-details answer into an error that reads like the UI's.

use super::Connection;
use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::path::PathBuf;

pub struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

/// Percent-encode one path segment so an id cannot change the path.
pub fn seg(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

impl Client {
    pub fn new(conn: &Connection) -> Result<Self> {
        let token =
            conn.token.clone().context("no API token: pass --token or set PINRESET_TOKEN (the demo's is in data/demo-credentials.json)")?;
        let mut builder = reqwest::Client::builder().user_agent(concat!("pinreset-cli/", env!("CARGO_PKG_VERSION")));
        let ca = conn.ca.clone().or_else(|| Some(PathBuf::from("data/tls/ca.pem")).filter(|p| p.exists()));
        if let Some(ca) = ca {
            let pem = std::fs::read(&ca).with_context(|| format!("reading CA certificate {}", ca.display()))?;
            let cert = reqwest::Certificate::from_pem(&pem).with_context(|| format!("parsing CA certificate {}", ca.display()))?;
            builder = builder.add_root_certificate(cert);
        }
        Ok(Client { http: builder.build()?, base: format!("{}/api/v1", conn.server.trim_end_matches('/')), token })
    }

    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Value> {
        let req = self.http.get(format!("{}{path}", self.base)).query(query);
        self.send(req).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Result<Value> {
        self.send(self.http.post(format!("{}{path}", self.base)).json(body)).await
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Result<Value> {
        self.send(self.http.put(format!("{}{path}", self.base)).json(body)).await
    }

    pub async fn patch_json(&self, path: &str, body: &Value) -> Result<Value> {
        self.send(self.http.patch(format!("{}{path}", self.base)).json(body)).await
    }

    pub async fn put(&self, path: &str) -> Result<Value> {
        self.send(self.http.put(format!("{}{path}", self.base))).await
    }

    pub async fn delete(&self, path: &str) -> Result<Value> {
        self.send(self.http.delete(format!("{}{path}", self.base))).await
    }

    pub async fn post(&self, path: &str) -> Result<Value> {
        self.send(self.http.post(format!("{}{path}", self.base))).await
    }

    /// POST JSON and take the answer as bytes (a file to save, not JSON).
    pub async fn post_json_for_bytes(&self, path: &str, body: &Value) -> Result<Vec<u8>> {
        self.send_raw(self.http.post(format!("{}{path}", self.base)).json(body)).await
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Value> {
        Ok(serde_json::from_slice(&self.send_raw(req).await?).unwrap_or(Value::Null))
    }

    async fn send_raw(&self, req: reqwest::RequestBuilder) -> Result<Vec<u8>> {
        let resp = req.bearer_auth(&self.token).send().await.with_context(|| format!("cannot reach {}", self.base))?;
        let status = resp.status();
        let bytes = resp.bytes().await.with_context(|| format!("reading the answer of {}", self.base))?.to_vec();
        if status.is_success() {
            return Ok(bytes);
        }
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        match (body["detail"].as_str(), body["remedy"].as_str(), body["code"].as_str()) {
            (Some(detail), Some(remedy), Some(code)) => bail!("{detail}\n  what to do: {remedy}\n  ({code}, HTTP {})", status.as_u16()),
            _ => bail!("the server answered HTTP {status}"),
        }
    }
}
