//! What can go wrong for a simulated device, whichever protocol it speaks.

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("HTTP request failed: {0}")]
    Http(#[from] reqwest::Error),
    #[error("{url} answered HTTP {status}: {body}")]
    HttpStatus { url: String, status: u16, body: String },
    #[error("could not decode the {what}: {detail}")]
    Decode { what: &'static str, detail: String },
    #[error("enrollment failed: {0}")]
    Enrollment(String),
    #[error("key or certificate: {0}")]
    Key(String),
    #[error("the server refused the device's credentials (SyncHdr status {0})")]
    Auth(u16),
    #[error("the device is offline (fault injection)")]
    Offline,
    #[error("the device dropped the connection mid-session (fault injection)")]
    DiedMidSession,
    #[error("the device was wiped and is no longer enrolled")]
    Wiped,
    #[error("protocol error: {0}")]
    Protocol(String),
}
