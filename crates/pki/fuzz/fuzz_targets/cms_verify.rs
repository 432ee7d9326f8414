//! The `Mdm-Signature` header is whatever a client sends: the CMS parser and verifier must
//! refuse garbage without panicking, detached (header) and attached (profile) alike.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.first().map(|b| *b as usize % (data.len().max(1))).unwrap_or(0);
    let (signature, body) = data.split_at(split.min(data.len()));
    let _ = pinreset_pki::cms::verify(signature, Some(body));
    let _ = pinreset_pki::cms::verify(data, None);
});
