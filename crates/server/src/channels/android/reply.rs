//! Answers to the agent: JSON, never cached, and every refusal `{"error", "message"}` with a
//! stable code the agent can act on (docs/android-agent-protocol.md, "Errors"). Messages name
//! what was wrong, never a secret the request carried.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], bytes).into_response()
}

pub fn refuse(status: StatusCode, error: &'static str, message: impl Into<String>) -> Response {
    #[derive(Serialize)]
    struct Refusal<'a> {
        error: &'a str,
        message: String,
    }
    json(status, &Refusal { error, message: message.into() })
}

pub fn invalid(message: impl Into<String>) -> Response {
    refuse(StatusCode::BAD_REQUEST, "invalid_request", message)
}

/// A server-side failure: logged with its cause, answered without it.
pub fn internal(e: impl std::fmt::Debug) -> Response {
    tracing::error!(error = ?e, "android agent request failed");
    refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal", "The server could not process the request; retry later.")
}

/// A refusal not yet rendered (small, so `Result`s carrying it stay cheap).
pub struct Refusal {
    status: StatusCode,
    error: &'static str,
    message: String,
}

impl From<Refusal> for Response {
    fn from(r: Refusal) -> Response {
        refuse(r.status, r.error, r.message)
    }
}

/// The body as `T`, or the refusal naming what is wrong with it.
pub fn decode<T: serde::de::DeserializeOwned>(headers: &axum::http::HeaderMap, body: &[u8]) -> Result<T, Refusal> {
    let ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ctype.starts_with("application/json") {
        return Err(Refusal {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            error: "invalid_request",
            message: "Send the body as application/json.".into(),
        });
    }
    // serde_json's messages name the field and position, never echo a value of ours.
    serde_json::from_slice(body).map_err(|e| Refusal {
        status: StatusCode::BAD_REQUEST,
        error: "invalid_request",
        message: format!("The body is not a valid message: {e}"),
    })
}
