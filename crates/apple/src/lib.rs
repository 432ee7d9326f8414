//! Apple MDM wire codecs for pinreset: what devices PUT to the check-in and command endpoints,
//! and the commands we send back. Pure: no HTTP, no SQL, no clock. Key names and types follow
//! Apple's device-management schemas (`shared/specs/apple`), checked by the conformance tests.

pub mod checkin;
pub mod command;
mod limits;
pub mod result;

pub use checkin::CheckinMessage;
pub use command::Command;
pub use limits::{DecodeError, MAX_BODY_BYTES};
pub use result::{CommandResult, ResultStatus};
