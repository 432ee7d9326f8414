//! The stand-in's HTTP side: Google's token endpoint, the AMAPI methods pinreset calls
//! (`devices.list`, `devices.get`, `devices.issueCommand`, `operations.get`) and Pub/Sub
//! `pull` / `acknowledge`. Every AMAPI request is first checked against the discovery
//! document; a violation is answered 400 as Google would and recorded for the tests.

use super::discovery::discovery;
use super::{Inner, StandIn};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

type Shared = Arc<Mutex<Inner>>;

fn error(status: StatusCode, google_status: &str, message: &str) -> Response {
    (status, Json(json!({ "error": { "code": status.as_u16(), "status": google_status, "message": message } }))).into_response()
}

#[derive(serde::Deserialize, serde::Serialize)]
struct Claims {
    iss: String,
    scope: String,
    aud: String,
    iat: u64,
    exp: u64,
}

/// POST /token: RFC 7523 — a JWT assertion signed with the service account's key.
pub async fn token(State(s): State<Shared>, body: Bytes) -> Response {
    let form: Vec<(String, String)> = form_pairs(&body);
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if get("grant_type").as_deref() != Some("urn:ietf:params:oauth:grant-type:jwt-bearer") {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "unsupported_grant_type" }))).into_response();
    }
    let Some(assertion) = get("assertion") else {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_request" }))).into_response();
    };
    let token_uri = s.lock().unwrap().token_uri.clone();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[token_uri]);
    validation.set_issuer(&[super::account::CLIENT_EMAIL]);
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(super::account::key_pair().public_pem.as_bytes()).expect("public key");
    let claims = match jsonwebtoken::decode::<Claims>(&assertion, &key, &validation) {
        Ok(t) => t.claims,
        Err(e) => {
            let detail = format!("Invalid JWT: {e}");
            return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_grant", "error_description": detail }))).into_response();
        }
    };
    if !claims.scope.split(' ').any(|sc| sc == "https://www.googleapis.com/auth/androidmanagement") {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_scope" }))).into_response();
    }
    let mut inner = s.lock().unwrap();
    inner.token_requests += 1;
    let token = format!("ya29.stand-in-{}", inner.token_requests);
    inner.tokens.push(token.clone());
    Json(json!({ "access_token": token, "expires_in": 3599, "token_type": "Bearer" })).into_response()
}

/// `application/x-www-form-urlencoded`, decoded by hand (the stand-in needs two fields).
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    text.split('&').filter_map(|pair| pair.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn authorized(s: &Shared, headers: &HeaderMap) -> bool {
    let Some(token) = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) else {
        return false;
    };
    s.lock().unwrap().tokens.iter().any(|t| t == token)
}

/// Every other request: AMAPI (checked against the discovery document) or Pub/Sub.
pub async fn api(State(s): State<Shared>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&s, &headers) {
        return error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
    }
    let path = uri.path().to_string();
    let query: Vec<(String, String)> = uri.query().map(|q| form_pairs(q.as_bytes())).unwrap_or_default();
    let json: Option<Value> = if body.is_empty() {
        None
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => Some(v),
            Err(_) => return error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", "Invalid JSON payload received."),
        }
    };
    if path.starts_with("/v1/projects/") {
        return pubsub(&s, &method, &path, json.as_ref());
    }
    let id = match discovery().check(method.as_str(), &path, &query, json.as_ref()) {
        Ok(m) => m.id.clone(),
        Err(violation) => {
            s.lock().unwrap().violations.push(violation.clone());
            return error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", &violation);
        }
    };
    let name = path.trim_start_matches("/v1/").to_string();
    let (response, delay) = answer(&s, &id, &name, &query, json);
    // Google's answer to issueCommand can come after the device finished and the outcome was
    // published; the delay makes that order happen for a test.
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    response
}

fn answer(s: &Shared, id: &str, name: &str, query: &[(String, String)], json: Option<Value>) -> (Response, Option<std::time::Duration>) {
    let mut inner = s.lock().unwrap();
    let enterprise = inner.enterprise.clone();
    if !name.starts_with(&format!("{enterprise}/")) && name != enterprise {
        return (error(StatusCode::FORBIDDEN, "PERMISSION_DENIED", "The caller does not have permission"), None);
    }
    let response = match id {
        "androidmanagement.enterprises.devices.list" => {
            let size = query.iter().find(|(k, _)| k == "pageSize").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(100).clamp(1, 100);
            // The stand-in pages small whatever is asked, so paging is always exercised.
            let size = size.min(inner.page_size);
            let from = query.iter().find(|(k, _)| k == "pageToken").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(0);
            let devices: Vec<Value> = inner.devices.iter().skip(from).take(size).map(|d| d.resource(&enterprise)).collect();
            let mut page = json!({ "devices": devices });
            if from + size < inner.devices.len() {
                page["nextPageToken"] = json!((from + size).to_string());
            }
            Json(page).into_response()
        }
        "androidmanagement.enterprises.devices.get" => match inner.device_named(name) {
            Some(d) => Json(d.resource(&enterprise)).into_response(),
            None => error(StatusCode::NOT_FOUND, "NOT_FOUND", "Device not found."),
        },
        "androidmanagement.enterprises.devices.issueCommand" => {
            let device = name.trim_end_matches(":issueCommand").to_string();
            match inner.issue(&device, json.unwrap_or_default()) {
                Some(op) => Json(op).into_response(),
                None => error(StatusCode::NOT_FOUND, "NOT_FOUND", "Device not found."),
            }
        }
        "androidmanagement.enterprises.devices.operations.get" => match inner.operations.get(name) {
            Some(op) => Json(op.clone()).into_response(),
            None => error(StatusCode::NOT_FOUND, "NOT_FOUND", "Operation not found."),
        },
        other => error(StatusCode::NOT_IMPLEMENTED, "UNIMPLEMENTED", &format!("the stand-in does not serve {other}")),
    };
    let delay = if id == "androidmanagement.enterprises.devices.issueCommand" { inner.issue_answer_delay } else { None };
    (response, delay)
}

/// `projects.subscriptions.pull` and `acknowledge` of the stand-in's one subscription.
fn pubsub(s: &Shared, method: &Method, path: &str, body: Option<&Value>) -> Response {
    let mut inner = s.lock().unwrap();
    let sub = format!("/v1/{}", inner.subscription);
    let allowed: &[&str] = match path.strip_prefix(&sub) {
        Some(":pull") => &["maxMessages", "returnImmediately"],
        Some(":acknowledge") => &["ackIds"],
        _ => return error(StatusCode::NOT_FOUND, "NOT_FOUND", "Resource not found (resource=subscription)."),
    };
    let fields = body.and_then(Value::as_object);
    if method != Method::POST || fields.is_none_or(|f| f.keys().any(|k| !allowed.contains(&k.as_str()))) {
        let v = format!("Pub/Sub {method} {path}: the body may hold only {allowed:?}");
        inner.violations.push(v.clone());
        return error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", &v);
    }
    let body = body.expect("checked");
    if path.ends_with(":pull") {
        let max = body["maxMessages"].as_u64().unwrap_or(0) as usize;
        if max == 0 {
            let v = "Pub/Sub pull: maxMessages must be positive".to_string();
            inner.violations.push(v.clone());
            return error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", &v);
        }
        let messages: Vec<Value> =
            inner.unacked.iter().take(max).map(|(ack, m)| json!({ "ackId": ack, "message": m, "deliveryAttempt": 1 })).collect();
        return Json(json!({ "receivedMessages": messages })).into_response();
    }
    let ids: Vec<String> = body["ackIds"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect();
    inner.unacked.retain(|(ack, _)| !ids.contains(ack));
    inner.acked += ids.len() as u32;
    Json(json!({})).into_response()
}

impl Inner {
    /// Issue a command: the device carries it out at once (or never, offline); the answer
    /// says the operation is running, as Google's does, and a COMMAND notification follows
    /// when it is done.
    fn issue(&mut self, device: &str, mut command: Value) -> Option<Value> {
        let idx = self.devices.iter().position(|d| format!("{}/devices/{}", self.enterprise, d.id) == device)?;
        self.next_operation += 1;
        let name = format!("{device}/operations/{}", self.next_operation);
        command["@type"] = json!("type.googleapis.com/google.android.devicemanagement.v1.Command");
        command["createTime"] = json!("2026-12-02T10:00:00Z");
        command["userName"] = json!(format!("{}/users/u1", self.enterprise));
        let answer = json!({ "name": name, "metadata": command.clone(), "done": false });
        self.commands.push((device.to_string(), command.clone()));
        let outcome = self.devices[idx].execute(&command);
        let mut op = answer.clone();
        match outcome {
            None => {}
            Some(Ok(())) => {
                op["done"] = json!(true);
                op["response"] = json!({});
            }
            Some(Err((code, message))) => {
                op["done"] = json!(true);
                op["metadata"]["errorCode"] = json!(code);
                op["error"] = json!({ "code": 9, "message": message });
            }
        }
        if op["done"] == true && self.publish {
            let data = base64::engine::general_purpose::STANDARD.encode(op.to_string());
            self.next_message += 1;
            let message = json!({
                "data": data,
                "attributes": { "notificationType": "COMMAND" },
                "messageId": self.next_message.to_string(),
                "publishTime": "2026-12-02T10:00:01Z",
            });
            self.unacked.push((format!("ack-{}", self.next_message), message));
        }
        self.operations.insert(name, op);
        Some(answer)
    }

    fn device_named(&self, name: &str) -> Option<&super::SimAmapiDevice> {
        self.devices.iter().find(|d| format!("{}/devices/{}", self.enterprise, d.id) == name)
    }
}

impl StandIn {
    pub(super) fn router(shared: Shared) -> axum::Router {
        axum::Router::new().route("/token", axum::routing::post(token)).fallback(api).with_state(shared)
    }
}
