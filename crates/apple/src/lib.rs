//! Apple MDM wire codecs for pinreset: what devices PUT to the check-in and command endpoints,
//! the commands we answer with, and the enrollment profile. Pure: no HTTP, no SQL, no clock or
//! RNG (UUIDs are handed in). Key names and types follow Apple's device-management schemas
//! (copied from `shared/specs/apple` into `tests/data/specs`); `tests/conformance.rs` holds every encoder to them.
//!
//! - [`limits`]: size/format/nesting guard and the typed [`DecodeError`] every decoder returns.
//! - [`checkin`]: Authenticate, TokenUpdate, CheckOut (others decode as `Unsupported`).
//! - [`result`]: the device's command results, with typed readers for
//!   [`security_info`] and [`device_information`] answers.
//! - [`command`]: commands as delivered ([`Command`]) and as queued, secret-free
//!   ([`command::QueuedRequest`]).
//! - [`profile`]: the unsigned enrollment `.mobileconfig`.

pub mod checkin;
pub mod command;
pub mod device_information;
pub mod limits;
pub mod profile;
pub mod result;
pub mod security_info;
mod write;

pub use checkin::CheckinMessage;
pub use command::Command;
pub use limits::{DecodeError, Limits, PlistType, MAX_BODY_BYTES};
pub use result::{CommandResult, ResultStatus};
