#![no_main]
//! Arbitrary bytes into the SyncML decoder and everything that reads its
//! output: it must return Ok or Err, never panic, hang or blow the stack.

use libfuzzer_sys::fuzz_target;
use pinreset_windows::syncml::{self, ReplyIndex, ServerMessage};

fuzz_target!(|data: &[u8]| {
    if let Ok(msg) = syncml::decode(data) {
        let idx = ReplyIndex::new(&msg);
        let _ = idx.header_status(1);
        let _ = msg.unenrollment_alert();
        // Answering any decodable message must produce a decodable message.
        let mut reply = ServerMessage::reply_to(&msg.hdr, 1, "https://fuzz.invalid/dm", 200);
        reply.ack_all(&msg, 200);
        let sent = reply.push(pinreset_windows::syncml::commands::lock_and_reset_pin());
        let encoded = reply.encode();
        // Our reply can be larger than the request (one Status per command),
        // so re-read it without the size limit; every other rule still applies.
        let limits = pinreset_windows::XmlLimits { max_body_bytes: usize::MAX, ..Default::default() };
        let back = syncml::decode_with(encoded.as_bytes(), &limits).expect("our own encoding must decode");
        let _ = pinreset_windows::syncml::commands::pin_reset_result(&ReplyIndex::new(&back), 1, &sent);
    }
});
