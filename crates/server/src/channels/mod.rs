//! Device channels mounted into the server: each speaks one platform's protocol on the wire
//! (codecs in its own crate) and talks to the spine only through `app::delivery`,
//! `app::device_results`, `app::profiles` and the store's identity and secret ports.

pub mod apple;
pub mod windows;
