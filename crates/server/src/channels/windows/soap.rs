//! SOAP answers of the enrollment services: the body, its content type, and a fault mapped to
//! an HTTP status a client can act on. Responses are sent with a Content-Length (devices do
//! not accept chunked SOAP).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use pinreset_windows::enrollment::{Fault, FaultCode};

const SOAP: &str = "application/soap+xml; charset=utf-8";

pub fn ok(body: String) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, SOAP)], body).into_response()
}

/// A fault with a reason the device shows its user.
pub fn fault(code: FaultCode, reason: impl Into<String>, relates_to: Option<&str>) -> Response {
    let status = match code {
        FaultCode::MessageFormat | FaultCode::CertificateRequest => StatusCode::BAD_REQUEST,
        FaultCode::Authentication | FaultCode::InvalidSecurity => StatusCode::UNAUTHORIZED,
        FaultCode::Authorization => StatusCode::FORBIDDEN,
        FaultCode::EnrollmentServer | FaultCode::InternalServiceFault => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (status, [(header::CONTENT_TYPE, SOAP)], Fault::new(code, reason).encode(relates_to)).into_response()
}
