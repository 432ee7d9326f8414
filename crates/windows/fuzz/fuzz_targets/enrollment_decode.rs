#![no_main]
//! Arbitrary bytes into every MS-MDE2 decoder: Ok or Err, never a panic.

use libfuzzer_sys::fuzz_target;
use pinreset_windows::enrollment::{
    DiscoverRequest, DiscoverResponse, Fault, GetPoliciesRequest, PolicyResponse, RstRequest, RstrResponse,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(req) = DiscoverRequest::decode(data) {
        let _ = req.supports("OnPremise");
    }
    let _ = GetPoliciesRequest::decode(data);
    if let Ok(rst) = RstRequest::decode(data) {
        let _ = rst.csr_der();
        let _ = rst.device_id();
    }
    let _ = DiscoverResponse::decode(data);
    let _ = PolicyResponse::decode(data);
    let _ = RstrResponse::decode(data);
    let _ = Fault::decode(data);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = pinreset_windows::oma_uri::validate_uri(s);
        let _ = pinreset_windows::enrollment::provisioning::parm_value(s, &["APPLICATION"], "ADDR");
    }
});
