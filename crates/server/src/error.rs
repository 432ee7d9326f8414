//! Application errors and their one rendering: RFC 9457 problem details carrying our stable
//! catalogue code, the reason and the remedy. Messages never contain a secret or a row value
//! the caller did not send.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use pinreset_core::ErrorCode;
use pinreset_store::StoreError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A catalogue error with an optional specific detail (e.g. which field was wrong).
    #[error("{code:?}: {detail:?}")]
    Catalogued { code: ErrorCode, detail: Option<String> },
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl AppError {
    pub fn code(code: ErrorCode) -> Self {
        AppError::Catalogued { code, detail: None }
    }
    pub fn with_detail(code: ErrorCode, detail: impl Into<String>) -> Self {
        AppError::Catalogued { code, detail: Some(detail.into()) }
    }
    pub fn invalid(detail: impl Into<String>) -> Self {
        Self::with_detail(ErrorCode::InvalidInput, detail)
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
}

impl Problem {
    pub fn new(code: ErrorCode, detail: Option<String>) -> Self {
        Problem {
            type_: format!("/{}", code.docs_anchor()),
            title: code.reason().to_string(),
            status: code.http_status(),
            detail: detail.unwrap_or_else(|| code.reason().to_string()),
            code,
            remedy: code.remedy().to_string(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.error_code();
        let detail = match &self {
            AppError::Catalogued { detail, .. } => detail.clone(),
            AppError::Store(StoreError::Conflict(what)) => Some(format!("Conflict: {what}.")),
            // The store names the field, never the value.
            AppError::Store(StoreError::InvalidInput(what)) => Some(format!("Invalid input: {what}.")),
            AppError::Store(e) => {
                // Internal details go to the log (they carry no values), not to the caller.
                tracing::error!(error = %e, "store failure");
                None
            }
        };
        problem_response(Problem::new(code, detail))
    }
}

pub fn problem_response(p: Problem) -> Response {
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/problem+json")], axum::Json(p)).into_response()
}
