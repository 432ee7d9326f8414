#![no_main]
//! Arbitrary bytes into the command-result and command decoders: Ok or Err, never a panic.

use libfuzzer_sys::fuzz_target;
use pinreset_apple::{Command, CommandResult};

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = CommandResult::decode(data) {
        let _ = r.security_info();
        let _ = r.query_responses();
    }
    let _ = Command::decode(data);
});
