#![no_main]
//! The `x-syncml-hmac` header arrives before any authentication: its parser must never panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pinreset_windows::syncml::auth::parse_hmac_header(text);
    }
});
