//! Google's side of the wire: the service account's OAuth 2.0 flow (an RS256 JWT assertion
//! exchanged at the key's `token_uri`, RFC 7523) and authenticated JSON calls. One HTTP client
//! and one token cache per process, shared by the backend, the sync and the reconcilers: a
//! token is reused until shortly before it expires, so steady work costs no token requests.

use crate::error::AppError;
use pinreset_core::{Detail, DetailCode, ErrorCode, Secret};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Both APIs pinreset calls with one token.
pub const SCOPES: &str = "https://www.googleapis.com/auth/androidmanagement https://www.googleapis.com/auth/pubsub";
/// A token is renewed this long before Google says it expires (clock skew, a slow request).
const RENEW_BEFORE: Duration = Duration::from_secs(120);
const TIMEOUT: Duration = Duration::from_secs(30);
/// Longest answer text kept for an error detail.
const MAX_ANSWER: usize = 300;

/// The fields of a Google service-account key file pinreset uses; the rest is ignored.
#[derive(Deserialize)]
pub struct ServiceAccountKey {
    #[serde(rename = "type")]
    pub kind: String,
    pub client_email: String,
    pub private_key: String,
    #[serde(default)]
    pub private_key_id: Option<String>,
    pub token_uri: String,
    #[serde(default)]
    pub project_id: Option<String>,
}

fn key_problem(problem: &str) -> AppError {
    AppError::invalid(Detail::new(DetailCode::ServiceAccountKey, [("problem", problem.into())]))
}

impl ServiceAccountKey {
    /// Parsed and checked: a service account's key, with a usable RSA private key and a token
    /// endpoint pinreset may send it to. The text of a refusal never quotes the key.
    pub fn parse(json: &str) -> Result<Self, AppError> {
        let key: ServiceAccountKey = serde_json::from_str(json)
            .map_err(|_| key_problem("it is not a service-account key file (JSON with type, client_email, private_key and token_uri)"))?;
        if key.kind != "service_account" {
            return Err(key_problem("its \"type\" is not \"service_account\""));
        }
        if !key.client_email.contains('@') || key.client_email.len() > 320 {
            return Err(key_problem("its \"client_email\" is not an address"));
        }
        jsonwebtoken::EncodingKey::from_rsa_pem(key.private_key.as_bytes())
            .map_err(|_| key_problem("its \"private_key\" is not an RSA private key in PEM"))?;
        pinreset_core::android_enterprise::check_base_url("token_uri", &key.token_uri)
            .map_err(|_| key_problem("its \"token_uri\" is not an https:// address"))?;
        Ok(key)
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: u64,
}

struct CachedToken {
    token: Secret,
    renew_at: Instant,
}

/// A token's owner: (token endpoint, account, SHA-256 of the private key).
type TokenKey = (String, String, [u8; 32]);

pub struct Google {
    http: reqwest::Client,
    /// By (token endpoint, account, digest of the key): a re-bound key never reuses a token.
    tokens: Mutex<HashMap<TokenKey, CachedToken>>,
}

/// The process's one client (connections and tokens reused by every caller).
pub fn google() -> &'static Google {
    static GOOGLE: OnceLock<Google> = OnceLock::new();
    GOOGLE.get_or_init(|| Google {
        http: reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client with rustls"),
        tokens: Mutex::default(),
    })
}

/// Google's refusal or an unreachable endpoint, as the catalogue says it.
pub fn unreachable(answer: impl Into<String>) -> AppError {
    let mut answer: String = answer.into();
    if answer.len() > MAX_ANSWER {
        let cut = (0..=MAX_ANSWER).rev().find(|&i| answer.is_char_boundary(i)).unwrap_or(0);
        answer.truncate(cut);
        answer.push('…');
    }
    AppError::with_detail(ErrorCode::GoogleUnreachable, Detail::new(DetailCode::GoogleAnswer, [("answer", answer)]))
}

/// A failed call: its status (0 when there was no answer) and what Google said.
#[derive(Debug)]
pub struct CallError {
    pub status: u16,
    pub message: String,
}

impl From<CallError> for AppError {
    fn from(e: CallError) -> Self {
        unreachable(if e.status == 0 { e.message } else { format!("{} {}", e.status, e.message) })
    }
}

fn describe(body: &Value, status: reqwest::StatusCode) -> String {
    // Google's errors: {"error": {"code", "message", "status"}}; the token endpoint's:
    // {"error": "...", "error_description": "..."}.
    let e = &body["error"];
    match (e["status"].as_str(), e["message"].as_str(), e.as_str(), body["error_description"].as_str()) {
        (Some(s), Some(m), _, _) => format!("{s}: {m}"),
        (_, Some(m), _, _) => m.to_string(),
        (_, _, Some(e), Some(d)) => format!("{e}: {d}"),
        (_, _, Some(e), None) => e.to_string(),
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    }
}

impl Google {
    /// An access token for `key`, from the cache while it has more than two minutes left.
    pub async fn access_token(&self, key: &ServiceAccountKey) -> Result<Secret, CallError> {
        let digest: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(key.private_key.as_bytes()).into();
        let cache_key = (key.token_uri.clone(), key.client_email.clone(), digest);
        if let Some(t) = self.tokens.lock().unwrap().get(&cache_key).filter(|t| t.renew_at > Instant::now()) {
            return Ok(Secret::new(t.token.expose()));
        }
        let assertion = assertion(key).map_err(|m| CallError { status: 0, message: m })?;
        let sent = self
            .http
            .post(&key.token_uri)
            .form(&[("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion.as_str())])
            .send()
            .await
            .map_err(|e| CallError { status: 0, message: format!("the token endpoint could not be reached ({})", without_url(&e)) })?;
        let status = sent.status();
        let body: Value = sent.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            return Err(CallError { status: status.as_u16(), message: format!("token endpoint: {}", describe(&body, status)) });
        }
        let answer: TokenAnswer = serde_json::from_value(body)
            .map_err(|_| CallError { status: status.as_u16(), message: "the token endpoint's answer has no access_token".into() })?;
        let lifetime = Duration::from_secs(answer.expires_in).saturating_sub(RENEW_BEFORE);
        let token = Secret::new(&answer.access_token);
        self.tokens
            .lock()
            .unwrap()
            .insert(cache_key, CachedToken { token: Secret::new(&answer.access_token), renew_at: Instant::now() + lifetime });
        Ok(token)
    }

    /// One authenticated JSON call; the answer's JSON (an empty object for an empty body).
    pub async fn call(
        &self,
        key: &ServiceAccountKey,
        method: reqwest::Method,
        url: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Value, CallError> {
        let token = self.access_token(key).await?;
        let mut req = self.http.request(method, url).bearer_auth(token.expose()).query(query);
        if let Some(b) = body {
            req = req.json(b);
        }
        let sent =
            req.send().await.map_err(|e| CallError { status: 0, message: format!("Google could not be reached ({})", without_url(&e)) })?;
        let status = sent.status();
        let bytes = sent.bytes().await.map_err(|e| CallError { status: status.as_u16(), message: without_url(&e) })?;
        let json: Value =
            if bytes.is_empty() { Value::Object(Default::default()) } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
        if status.is_success() {
            Ok(json)
        } else {
            Err(CallError { status: status.as_u16(), message: describe(&json, status) })
        }
    }
}

/// The signed assertion: the service account asks for a token for both scopes.
fn assertion(key: &ServiceAccountKey) -> Result<String, String> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let claims = Claims { iss: &key.client_email, scope: SCOPES, aud: &key.token_uri, iat: now, exp: now + 3600 };
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = key.private_key_id.clone();
    let signing =
        jsonwebtoken::EncodingKey::from_rsa_pem(key.private_key.as_bytes()).map_err(|_| "the private key cannot sign".to_string())?;
    jsonwebtoken::encode(&header, &claims, &signing).map_err(|_| "the assertion could not be signed".to_string())
}

/// What went wrong, without reqwest's text (which quotes the URL).
fn without_url(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "connection refused or unreachable".into()
    } else {
        "the request failed".into()
    }
}
