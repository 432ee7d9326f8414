#![no_main]
//! Arbitrary bytes into the check-in decoder: Ok or a typed Err, never a panic; what decodes
//! is re-encoded (the simulator's path) and decoded again, also without panicking.

use libfuzzer_sys::fuzz_target;
use pinreset_apple::profile::EnrollmentProfile;
use pinreset_apple::{CheckinMessage, Limits};

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = CheckinMessage::decode(data) {
        let _ = (m.udid(), m.message_type(), format!("{m:?}"));
        let _ = CheckinMessage::decode(&m.encode());
    }
    // The device simulator reads profiles with the same guard.
    let _ = EnrollmentProfile::decode(data, &Limits::default());
});
