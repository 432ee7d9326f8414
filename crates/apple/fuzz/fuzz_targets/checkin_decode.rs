#![no_main]
//! Arbitrary bytes into the check-in decoder: Ok or Err, never a panic.

use libfuzzer_sys::fuzz_target;
use pinreset_apple::CheckinMessage;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = CheckinMessage::decode(data) {
        let _ = m.udid();
        let _ = format!("{m:?}");
    }
});
