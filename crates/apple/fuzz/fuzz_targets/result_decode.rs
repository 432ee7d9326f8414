#![no_main]
//! Arbitrary bytes into the command-result decoder and its typed readers, and into the
//! device-side command decoder: Ok or a typed Err, never a panic.

use libfuzzer_sys::fuzz_target;
use pinreset_apple::{Command, CommandResult};

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = CommandResult::decode(data) {
        let _ = r.try_security_info();
        let _ = r.device_information();
        let _ = CommandResult::decode(&r.encode());
    }
    if let Ok(c) = Command::decode(data) {
        let _ = c.try_encode();
        let _ = format!("{c:?}");
    }
});
