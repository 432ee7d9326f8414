//! A small REST client for the admin API: trusts the server's CA, sends the token, and turns a
//! problem-details answer into an error worded for a terminal (not for the web UI's forms).

use super::Connection;
use anyhow::{Context, Result};
use serde_json::Value;

pub struct Client {
    http: reqwest::Client,
    server: String,
    base: String,
    token: String,
    /// Where the CA came from, for the hint when the server's certificate is not trusted.
    ca: Option<String>,
}

/// Percent-encode one path segment so an id cannot change the path.
pub fn seg(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// A problem-details answer of the API, as the CLI shows it: `<detail> (<code>)` and a hint
/// worded for a terminal.
#[derive(Debug)]
pub struct ApiError {
    pub code: String,
    pub detail: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.detail, self.code)?;
        if let Some(h) = &self.hint {
            write!(f, "\nhint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Any error with a hint on its own line (the CLI's own refusals, TLS and connection failures).
pub fn hinted(what: impl std::fmt::Display, hint: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{what}\nhint: {hint}")
}

impl ApiError {
    fn from_problem(body: &Value, method: &str, path: &str) -> Option<Self> {
        let (detail, remedy, code) = (body["detail"].as_str()?, body["remedy"].as_str()?, body["code"].as_str()?);
        let mut detail = detail.to_string();
        let hint = match code {
            // The remedy speaks of the web form's highlighted field; the detail names the field.
            "invalid_input" => None,
            "not_found" if detail == "No such API endpoint." => {
                detail = format!("the server has no API endpoint {method} /api/v1{}", path.split('?').next().unwrap_or(path));
                Some(format!(
                    "this pinreset CLI ({}) and the server are probably different versions: use the CLI built with the server, or upgrade the server",
                    env!("CARGO_PKG_VERSION")
                ))
            }
            "not_found" => Some(not_found_hint(path)),
            "unauthenticated" => Some(
                "the server did not accept the API token: run `pinreset login` with a valid one, or pass --token / set PINRESET_TOKEN"
                    .into(),
            ),
            "tenant_not_onboarded" => {
                Some("a tenant admin must grant the consent first: `pinreset tenant consent grant`, then try again".into())
            }
            "conflict" => Some("look at its current state (the `show` command) and try again".into()),
            _ => Some(remedy.to_string()),
        };
        Some(ApiError { code: code.to_string(), detail, hint })
    }
}

/// What to check when an id names nothing, by the kind of item the path is about.
fn not_found_hint(path: &str) -> String {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    match first {
        "devices" => "check the device id (`pinreset devices list`); the device may have been removed".into(),
        "actions" => "check the action id (the one `pinreset reset-passcode`, `lock`, … printed)".into(),
        "users" => "check the user id or login (`pinreset users list`)".into(),
        "groups" => "check the group id (`pinreset groups list`)".into(),
        "profiles" => "check the profile id (`pinreset profiles list`)".into(),
        "reenrollments" => "check the request id (`pinreset reenrollments list`)".into(),
        "enrollment" => "check the login (`pinreset users list`)".into(),
        _ => "check the identifier".into(),
    }
}

/// The TLS library's complaint about the server's certificate, if that is why a request failed.
fn certificate_problem(e: &reqwest::Error) -> Option<String> {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        let text = s.to_string();
        if text.contains("certificate") || text.contains("UnknownIssuer") {
            return Some(text);
        }
        source = s.source();
    }
    None
}

/// The error for a request that got no answer: an untrusted certificate, or no server there.
pub fn unreachable(e: reqwest::Error, server: &str, ca: Option<&str>) -> anyhow::Error {
    if let Some(why) = certificate_problem(&e) {
        let trusted = match ca {
            Some(ca) => format!("; it was checked against the CA {ca}, which did not sign it"),
            None => "; no CA certificate was given for it".into(),
        };
        return hinted(
            format!("the server's certificate is not trusted ({why}){trusted}"),
            format!(
                "pass --ca DATA/tls/ca.pem (the server prints the path at start: \"pinreset is serving … (trust …/tls/ca.pem)\") \
                 or save it once with `pinreset login --server {server} --ca DATA/tls/ca.pem`"
            ),
        );
    }
    if e.is_connect() || e.is_timeout() {
        return hinted(
            format!("cannot reach the server at {server}: {}", chain(&e)),
            "check the address (--server, or `pinreset login --server URL`) and that the server is running (`pinreset serve`)",
        );
    }
    anyhow::anyhow!("the request to {server} failed: {}", chain(&e))
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        source = s.source();
    }
    parts.join(": ")
}

impl Client {
    pub fn new(conn: &Connection) -> Result<Self> {
        let token = conn.token.clone().ok_or_else(|| {
            hinted(
                "no API token",
                "run `pinreset login --server URL --ca FILE` once (it saves the token), or pass --token / set PINRESET_TOKEN \
                 (the demo's is in DATA/demo-credentials.json)",
            )
        })?;
        Self::with_token(conn, token)
    }

    pub fn with_token(conn: &Connection, token: String) -> Result<Self> {
        let mut builder = reqwest::Client::builder().user_agent(concat!("pinreset-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(ca) = &conn.ca {
            let pem = std::fs::read(ca).map_err(|e| {
                hinted(
                    format!("cannot read the CA certificate {} ({}): {e}", ca.display(), conn.ca_from),
                    "pass --ca with the server's DATA/tls/ca.pem, or run `pinreset login --server URL --ca FILE` again",
                )
            })?;
            let cert = reqwest::Certificate::from_pem(&pem).with_context(|| format!("parsing the CA certificate {}", ca.display()))?;
            builder = builder.add_root_certificate(cert);
        }
        Ok(Client {
            http: builder.build()?,
            server: conn.server.clone(),
            base: format!("{}/api/v1", conn.server),
            token,
            ca: conn.ca.as_ref().map(|p| format!("{} ({})", p.display(), conn.ca_from)),
        })
    }

    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Value> {
        let req = self.http.get(format!("{}{path}", self.base)).query(query);
        self.send(req, "GET", path).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Result<Value> {
        self.send(self.http.post(format!("{}{path}", self.base)).json(body), "POST", path).await
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Result<Value> {
        self.send(self.http.put(format!("{}{path}", self.base)).json(body), "PUT", path).await
    }

    pub async fn patch_json(&self, path: &str, body: &Value) -> Result<Value> {
        self.send(self.http.patch(format!("{}{path}", self.base)).json(body), "PATCH", path).await
    }

    pub async fn put(&self, path: &str) -> Result<Value> {
        self.send(self.http.put(format!("{}{path}", self.base)), "PUT", path).await
    }

    pub async fn delete(&self, path: &str) -> Result<Value> {
        self.send(self.http.delete(format!("{}{path}", self.base)), "DELETE", path).await
    }

    pub async fn post(&self, path: &str) -> Result<Value> {
        self.send(self.http.post(format!("{}{path}", self.base)), "POST", path).await
    }

    /// POST JSON and take the answer as bytes (a file to save, not JSON).
    pub async fn post_json_for_bytes(&self, path: &str, body: &Value) -> Result<Vec<u8>> {
        self.send_raw(self.http.post(format!("{}{path}", self.base)).json(body), "POST", path).await
    }

    async fn send(&self, req: reqwest::RequestBuilder, method: &str, path: &str) -> Result<Value> {
        Ok(serde_json::from_slice(&self.send_raw(req, method, path).await?).unwrap_or(Value::Null))
    }

    async fn send_raw(&self, req: reqwest::RequestBuilder, method: &str, path: &str) -> Result<Vec<u8>> {
        let resp = req.bearer_auth(&self.token).send().await.map_err(|e| unreachable(e, &self.server, self.ca.as_deref()))?;
        let status = resp.status();
        let bytes = resp.bytes().await.with_context(|| format!("reading the answer of {}", self.server))?.to_vec();
        if status.is_success() {
            return Ok(bytes);
        }
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        match ApiError::from_problem(&body, method, path) {
            Some(e) => Err(e.into()),
            None => Err(hinted(
                format!("{} answered HTTP {status} to {method} /api/v1{path}", self.server),
                "is --server the pinreset server's address (https://host:port, no path)?",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problem(code: &str, detail: &str, remedy: &str) -> Value {
        json!({"code": code, "detail": detail, "remedy": remedy, "title": "t", "status": 400})
    }

    #[test]
    fn browser_wording_is_replaced() {
        let e = ApiError::from_problem(
            &problem("invalid_input", "role must be one of …", "Correct the highlighted field and send the request again."),
            "POST",
            "/users",
        )
        .unwrap();
        assert_eq!(e.to_string(), "role must be one of … (invalid_input)");
        let e = ApiError::from_problem(
            &problem("not_found", "No such API endpoint.", "Check the identifier; the device may have been removed."),
            "POST",
            "/devices/x/sync",
        )
        .unwrap();
        let text = e.to_string();
        assert!(text.contains("POST /api/v1/devices/x/sync") && text.contains("versions") && !text.contains("removed"), "{text}");
        let e = ApiError::from_problem(
            &problem("not_found", "gone", "Check the identifier; the device may have been removed."),
            "GET",
            "/users/1",
        )
        .unwrap();
        assert!(e.to_string().contains("pinreset users list") && !e.to_string().contains("device"), "{e}");
    }
}
