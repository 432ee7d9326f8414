#![no_main]
//! Arbitrary bytes as each message an agent sends the server (enroll, check-in, reset token,
//! command result), then through the checks the server applies: Ok or a typed refusal, never a
//! panic. What the server does next only sees what passed `check` and `reset_token_bytes`.

use libfuzzer_sys::fuzz_target;
use pinreset_android::wire::{reset_token_bytes, DeviceReport, EnrollRequest, ResetTokenRequest, ResultRequest};

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = serde_json::from_slice::<EnrollRequest>(data) {
        let _ = r.reset_token.as_deref().map(reset_token_bytes);
        let _ = r.device.check();
    }
    if let Ok(r) = serde_json::from_slice::<DeviceReport>(data) {
        let _ = r.check().map(|c| (c.os_version.to_string(), c.os_build));
    }
    if let Ok(r) = serde_json::from_slice::<ResetTokenRequest>(data) {
        let _ = reset_token_bytes(&r.reset_token);
    }
    let _ = serde_json::from_slice::<ResultRequest>(data);
});
