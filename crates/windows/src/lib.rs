//! Windows device channel wire codecs for pinreset.
//!
//! Pure functions and types only: no HTTP, no SQL, no clock or RNG. The server
//! mounts these on its endpoints; the nonce, ids and URLs are handed in.
//!
//! - [`xml_limits`]: the hostile-XML guard every decoder goes through.
//! - [`syncml`]: OMA-DM 1.2 (SyncML) as Windows speaks it: decode device
//!   messages, encode server messages, MD5 auth, reply walking, command builders.
//! - [`status`]: SyncML status code → success/failure with a short reason.
//! - [`oma_uri`]: custom-profile OMA-URI settings validation.
//! - [`enrollment`]: MS-MDE2 discovery, MS-XCEP policy, MS-WSTEP enrollment,
//!   wap-provisioningdoc builder and SOAP faults.

pub mod enrollment;
pub mod oma_uri;
pub mod secret;
pub mod status;
pub mod syncml;
pub mod xml_limits;

pub use xml_limits::{XmlError, XmlLimits};
