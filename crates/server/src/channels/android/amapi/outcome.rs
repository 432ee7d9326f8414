//! What a finished AMAPI operation means for the action: Google's `Operation` wraps the
//! `Command` (its `metadata`), whose `errorCode` says why a device did not carry it out.

use pinreset_core::{ActionKind, ErrorCode};
use serde_json::Value;

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Pending,
    Succeeded,
    Failed { code: ErrorCode, said: String },
}

/// The catalogue reason for a command's `errorCode`.
pub fn catalogue_code(kind: ActionKind, error_code: &str) -> ErrorCode {
    match (kind, error_code) {
        (ActionKind::ResetPasscode, "API_LEVEL" | "MANAGEMENT_MODE") => ErrorCode::AndroidUnsupportedMode,
        // Android refuses a new password its policy rejects (Android 14: numeric under 6 digits).
        (ActionKind::ResetPasscode, "INVALID_VALUE") => ErrorCode::AndroidPasscodeRejected,
        (_, "UNSUPPORTED") => ErrorCode::AmapiCommandUnsupported,
        _ => ErrorCode::DeviceRejected,
    }
}

pub fn outcome(kind: ActionKind, op: &Value) -> Outcome {
    if op["done"].as_bool() != Some(true) {
        return Outcome::Pending;
    }
    let error_code = op["metadata"]["errorCode"].as_str().filter(|c| *c != "COMMAND_ERROR_CODE_UNSPECIFIED");
    let message = op["error"]["message"].as_str();
    if error_code.is_none() && op.get("error").is_none_or(Value::is_null) {
        return Outcome::Succeeded;
    }
    let code = error_code.unwrap_or("UNKNOWN");
    let said = match message {
        Some(m) => format!("the Android Management API answered {code}: {m}"),
        None => format!("the Android Management API answered {code}"),
    };
    Outcome::Failed { code: catalogue_code(kind, code), said }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_map_to_outcomes() {
        let reset = ActionKind::ResetPasscode;
        assert_eq!(outcome(reset, &json!({"name": "x", "done": false})), Outcome::Pending);
        assert_eq!(outcome(reset, &json!({"name": "x"})), Outcome::Pending);
        assert_eq!(outcome(reset, &json!({"done": true, "metadata": {"type": "RESET_PASSWORD"}})), Outcome::Succeeded);
        let failed =
            outcome(reset, &json!({"done": true, "metadata": {"errorCode": "INVALID_VALUE"}, "error": {"code": 3, "message": "bad"}}));
        assert!(
            matches!(failed, Outcome::Failed { code: ErrorCode::AndroidPasscodeRejected, ref said } if said.contains("INVALID_VALUE: bad"))
        );
        for (code, want) in [
            ("API_LEVEL", ErrorCode::AndroidUnsupportedMode),
            ("MANAGEMENT_MODE", ErrorCode::AndroidUnsupportedMode),
            ("UNSUPPORTED", ErrorCode::AmapiCommandUnsupported),
            ("UNKNOWN", ErrorCode::DeviceRejected),
        ] {
            assert_eq!(catalogue_code(reset, code), want, "{code}");
        }
        assert_eq!(catalogue_code(ActionKind::RemoteLock, "API_LEVEL"), ErrorCode::DeviceRejected);
        // An error without a command errorCode is still a failure.
        assert!(matches!(
            outcome(reset, &json!({"done": true, "error": {"code": 2}})),
            Outcome::Failed { code: ErrorCode::DeviceRejected, .. }
        ));
    }
}
