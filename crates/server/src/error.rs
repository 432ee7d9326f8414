//! Application errors and their one rendering: RFC 9457 problem details carrying our stable
//! catalogue code, the reason and the remedy. Messages never contain a secret or a row value
//! the caller did not send.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use pinreset_core::{Detail, DetailCode, ErrorCode};
use pinreset_store::StoreError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A catalogue error with an optional specific detail (e.g. which field was wrong), itself
    /// a catalogue key with arguments so every door can show it in its reader's language.
    #[error("{code:?}: {detail:?}")]
    Catalogued { code: ErrorCode, detail: Option<Detail> },
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl AppError {
    pub fn code(code: ErrorCode) -> Self {
        AppError::Catalogued { code, detail: None }
    }
    pub fn with_detail(code: ErrorCode, detail: Detail) -> Self {
        AppError::Catalogued { code, detail: Some(detail) }
    }
    pub fn invalid(detail: Detail) -> Self {
        Self::with_detail(ErrorCode::InvalidInput, detail)
    }
    /// Something failed inside the server: the cause goes to the log (it names no secret), the
    /// caller gets the catalogue's Internal answer and nothing of the internals.
    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "{context}");
        Self::code(ErrorCode::Internal)
    }
    /// The detail, if any, as the API shows it (store errors included).
    pub fn detail(&self) -> Option<Detail> {
        match self {
            AppError::Catalogued { detail, .. } => detail.clone(),
            AppError::Store(StoreError::Conflict(what)) => Some(Detail::new(DetailCode::StoreConflict, [("what", what.clone())])),
            // The store names the field, never the value.
            AppError::Store(StoreError::InvalidInput(what)) => Some(Detail::new(DetailCode::StoreInvalid, [("what", what.clone())])),
            AppError::Store(_) => None,
        }
    }
    pub fn error_code(&self) -> ErrorCode {
        match self {
            AppError::Catalogued { code, .. } => *code,
            AppError::Store(StoreError::NotFound) => ErrorCode::NotFound,
            AppError::Store(StoreError::Conflict(_)) => ErrorCode::Conflict,
            AppError::Store(StoreError::InvalidInput(_)) => ErrorCode::InvalidInput,
            AppError::Store(_) => ErrorCode::Internal,
        }
    }
}

/// The JSON body of every error answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// Link to the error's entry in the docs.
    #[serde(rename = "type")]
    pub type_: String,
    /// The catalogue's reason.
    pub title: String,
    pub status: u16,
    /// The specific detail of this occurrence, else the reason.
    pub detail: String,
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// What to do about it.
    pub remedy: String,
    /// The detail's own catalogue key, when there is a specific detail (`detail-<code>` in the
    /// web doors' message files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_code: Option<DetailCode>,
    /// The detail's arguments by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub detail_args: BTreeMap<String, String>,
}

impl Problem {
    pub fn new(code: ErrorCode, detail: Option<Detail>) -> Self {
        Problem {
            type_: format!("/{}", code.docs_anchor()),
            title: code.reason().to_string(),
            status: code.http_status(),
            detail: detail.as_ref().map_or_else(|| code.reason().to_string(), Detail::english),
            code,
            remedy: code.remedy().to_string(),
            detail_code: detail.as_ref().map(|d| d.code),
            detail_args: detail.map(|d| d.args).unwrap_or_default(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Store(e @ (StoreError::Backend(_) | StoreError::Unseal)) = &self {
            // Internal details go to the log (they carry no values), not to the caller.
            tracing::error!(error = %e, "store failure");
        }
        problem_response(Problem::new(self.error_code(), self.detail()))
    }
}

pub fn problem_response(p: Problem) -> Response {
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let retry = retry_after(status, p.detail_args.get("seconds").map(String::as_str));
    let mut response = (status, [(header::CONTENT_TYPE, "application/problem+json")], axum::Json(p)).into_response();
    if let Some(secs) = retry {
        response.headers_mut().insert(header::RETRY_AFTER, secs);
    }
    response
}

/// A wait the detail names (its `seconds` argument), as a Retry-After value for a 429 or 503.
pub fn retry_after(status: StatusCode, seconds: Option<&str>) -> Option<axum::http::HeaderValue> {
    let waits = matches!(status, StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE);
    let secs: u64 = seconds?.parse().ok()?;
    waits.then(|| secs.into())
}
