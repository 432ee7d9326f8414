//! Extractors whose every refusal is problem details. axum's own `Query` and `Path` answer a
//! malformed query string or path (`?limit=abc`, a `%FF` that is not UTF-8) with a text/plain
//! body, which API clients cannot read as an error; and a `%00` would travel on to the
//! database, where PostgreSQL refuses it as a server failure.

use crate::error::AppError;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use pinreset_core::{Detail, DetailCode};
use serde::de::DeserializeOwned;

/// `Query<T>`, refusing a malformed query string or a NUL in any parameter as `invalid_input`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Every parameter as text first: one check for NUL, naming the parameter.
        let pairs = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map_err(|e| AppError::invalid(Detail::new(DetailCode::QueryInvalid, [("problem", e.body_text())])))?;
        for (name, value) in &pairs.0 {
            pinreset_core::text::check_input(name, value).map_err(AppError::invalid)?;
        }
        let Query(value) = Query::<T>::try_from_uri(&parts.uri)
            .map_err(|e| AppError::invalid(Detail::new(DetailCode::QueryInvalid, [("problem", e.body_text())])))?;
        Ok(ApiQuery(value))
    }
}

/// `Path<T>`, refusing what does not decode as `invalid_input`.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(e) => Err(AppError::invalid(Detail::new(DetailCode::PathInvalid, [("problem", e.body_text())]))),
        }
    }
}

/// A JSON request body, or `invalid_input` naming the shape expected and what was wrong.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &axum::body::Bytes, shape: &str) -> Result<T, crate::error::AppError> {
    serde_json::from_slice(body).map_err(|e| crate::error::AppError::invalid(Detail::body_shape(shape, e)))
}
