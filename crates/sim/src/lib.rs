//! pinreset device simulators: devices that speak the real wire protocols (Windows,
//! Apple, the Android agent) to a running pinreset server, for end-to-end tests, demos and load.
//!
//! The simulators build their own messages (they never call the server's
//! encoders), so a codec bug cannot hide on both sides; they may decode what
//! the server sends with the channel crates' decoders.

pub mod android;
pub mod apple;
pub mod error;
pub mod fleet;
pub mod state;
pub mod windows;
