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

/// The server is too busy to check the credentials now: 503 with Retry-After, so the device
/// tries again instead of reporting a broken server.
pub fn busy(reason: impl Into<String>, relates_to: Option<&str>, retry_after_secs: u64) -> Response {
    let mut r = fault(FaultCode::EnrollmentServer, reason, relates_to);
    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    with_retry_after(r, retry_after_secs)
}

/// Tell the client when trying again makes sense.
pub fn with_retry_after(mut r: Response, secs: u64) -> Response {
    r.headers_mut().insert(header::RETRY_AFTER, secs.into());
    r
}
