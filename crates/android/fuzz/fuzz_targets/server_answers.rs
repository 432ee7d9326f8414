#![no_main]
//! Arbitrary bytes as each answer the agent reads from the server (enrollment, check-in,
//! commands): the agent's side of the protocol must not panic on a broken or hostile answer
//! either, and what it reads re-encodes and decodes to the same message.

use libfuzzer_sys::fuzz_target;
use pinreset_android::wire::{CheckinResponse, Commands, EnrollResponse};

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<EnrollResponse>(data);
    let _ = serde_json::from_slice::<CheckinResponse>(data);
    if let Ok(c) = serde_json::from_slice::<Commands>(data) {
        let again = serde_json::to_vec(&c).expect("a decoded message encodes");
        let back: Commands = serde_json::from_slice(&again).expect("what we encode decodes");
        assert_eq!(back.commands.len(), c.commands.len());
    }
});
