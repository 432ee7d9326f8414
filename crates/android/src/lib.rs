//! The Android agent protocol's wire messages, apart from the server so that the decoders can
//! be fuzzed on their own (`fuzz/`) and the simulator and server read one definition.

pub mod wire;
