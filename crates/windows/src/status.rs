//! SyncML status codes (OMA-DM RepPro §10, and the table in Microsoft's
//! oma-dm-protocol-support.md) mapped to a small typed outcome. The product's
//! error catalogue maps [`StatusOutcome`] further; this module only says whether
//! the device did it and, in a few English words, why not.

use serde::Serialize;

/// What a status code means for the command it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum StatusOutcome {
    /// The device did it (2xx other than the "not executed" family).
    Success { code: u16, reason: &'static str },
    /// The device did not do it.
    Failure { code: u16, reason: &'static str },
}

impl StatusOutcome {
    pub fn is_success(&self) -> bool {
        matches!(self, StatusOutcome::Success { .. })
    }
    pub fn code(&self) -> u16 {
        match self {
            StatusOutcome::Success { code, .. } | StatusOutcome::Failure { code, .. } => *code,
        }
    }
    pub fn reason(&self) -> &'static str {
        match self {
            StatusOutcome::Success { reason, .. } | StatusOutcome::Failure { reason, .. } => reason,
        }
    }
}

/// Classifies a SyncML status code.
///
/// 214/215/216 are 2xx but mean the command did *not* take effect (cancelled,
/// not executed, rolled back), so they are failures for our purposes. An
/// unknown code is classified by its class (1xx/2xx success, anything else
/// failure) so a new device code never reads as success by accident above 299.
pub fn classify(code: u16) -> StatusOutcome {
    use StatusOutcome::{Failure, Success};
    match code {
        200 => Success { code, reason: "completed successfully" },
        201 => Success { code, reason: "item added" },
        202 => Success { code, reason: "accepted for processing" },
        203 => Success { code, reason: "non-authoritative response" },
        204 => Success { code, reason: "no content" },
        205 => Success { code, reason: "reset content" },
        206 => Success { code, reason: "partial content" },
        207 => Success { code, reason: "conflict resolved with merge" },
        208 => Success { code, reason: "conflict resolved with client's command winning" },
        209 => Success { code, reason: "conflict resolved with duplicate" },
        210 => Success { code, reason: "delete without archive" },
        211 => Success { code, reason: "item not deleted, it was not found" },
        212 => Success { code, reason: "authentication accepted" },
        213 => Success { code, reason: "chunked item accepted" },
        214 => Failure { code, reason: "operation cancelled, no more commands will be processed in this session" },
        215 => Failure { code, reason: "not executed: cancelled by the user on the device" },
        216 => Failure { code, reason: "rolled back: another command in the same Atomic failed" },
        400 => Failure { code, reason: "bad request: malformed command" },
        401 => Failure { code, reason: "invalid credentials" },
        402 => Failure { code, reason: "payment required" },
        403 => Failure { code, reason: "forbidden" },
        404 => Failure { code, reason: "not found: the node does not exist on this device" },
        405 => Failure { code, reason: "command not allowed on this node (e.g. Lock with no PIN set)" },
        406 => Failure { code, reason: "optional feature not supported by this device" },
        407 => Failure { code, reason: "authentication required" },
        408 => Failure { code, reason: "request timeout" },
        409 => Failure { code, reason: "conflict" },
        410 => Failure { code, reason: "gone" },
        411 => Failure { code, reason: "size required" },
        412 => Failure { code, reason: "incomplete command" },
        413 => Failure { code, reason: "request entity too large" },
        414 => Failure { code, reason: "URI too long" },
        415 => Failure { code, reason: "unsupported media type or format" },
        416 => Failure { code, reason: "requested size too big" },
        417 => Failure { code, reason: "retry later" },
        418 => Failure { code, reason: "already exists" },
        419 => Failure { code, reason: "conflict resolved with server data" },
        420 => Failure { code, reason: "device full" },
        421 => Failure { code, reason: "unknown search grammar" },
        422 => Failure { code, reason: "bad CGI script" },
        423 => Failure { code, reason: "soft-delete conflict" },
        424 => Failure { code, reason: "size mismatch" },
        425 => Failure { code, reason: "permission denied" },
        500 => Failure { code, reason: "command failed on the device" },
        501 => Failure { code, reason: "command not implemented" },
        502 => Failure { code, reason: "bad gateway" },
        503 => Failure { code, reason: "service unavailable" },
        504 => Failure { code, reason: "gateway timeout" },
        505 => Failure { code, reason: "DTD version not supported" },
        506 => Failure { code, reason: "processing error" },
        507 => Failure { code, reason: "Atomic failed: one of its commands failed" },
        508 => Failure { code, reason: "refresh required" },
        510 => Failure { code, reason: "data store failure" },
        512 => Failure { code, reason: "synchronization failed" },
        513 => Failure { code, reason: "protocol version not supported" },
        516 => Failure { code, reason: "Atomic roll back failed" },
        100..=299 => Success { code, reason: "success (unlisted code)" },
        _ => Failure { code, reason: "failure (unlisted code)" },
    }
}

/// Parses the text of a Status `<Data>` element and classifies it. Text that is
/// not a number is a failure with code 0 (a device bug, not a success).
pub fn classify_text(data: &str) -> StatusOutcome {
    match data.trim().parse::<u16>() {
        Ok(code) => classify(code),
        Err(_) => StatusOutcome::Failure { code: 0, reason: "status is not a number" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_the_product_relies_on() {
        for ok in [200, 202, 204, 212] {
            assert!(classify(ok).is_success(), "{ok}");
        }
        for bad in [214, 215, 216, 400, 401, 403, 404, 405, 406, 407, 415, 418, 425, 500, 507, 516] {
            assert!(!classify(bad).is_success(), "{bad}");
        }
        assert!(classify(405).reason().contains("not allowed"));
        assert_eq!(classify(404).code(), 404);
    }

    #[test]
    fn unknown_codes_by_class_and_garbage() {
        assert!(classify(299).is_success());
        assert!(!classify(599).is_success());
        assert!(!classify(0).is_success());
        assert_eq!(classify_text(" 200 "), classify(200));
        assert_eq!(classify_text("OK").code(), 0);
        assert!(!classify_text("OK").is_success());
    }
}
