//! The pinreset domain. Everything here is pure: no I/O, no SQL, no HTTP, and no clock or
//! random-number generator that the caller did not hand in — so every rule is testable with a
//! table and a fixed time.

pub mod action;
pub mod android_enterprise;
pub mod audit;
pub mod bulk;
pub mod capability;
pub mod channel;
pub mod detail;
pub mod device;
pub mod error;
pub mod ids;
pub mod mail;
pub mod passcode;
pub mod profile;
pub mod reenrollment;
pub mod role;
pub mod secret;
pub mod session;
pub mod sso;
mod string_enum;
pub mod tenant;
pub mod text;

pub use action::{ActionKind, ActionParams, ActionResult, ActionState, Cause, RemoteAction, Transition};
pub use android_enterprise::AndroidEnterprise;
pub use audit::{AuditEvent, AuditKind, NewAuditEvent};
pub use bulk::{BulkItem, BulkJob, BulkKind, BulkOutcome};
pub use capability::{capability, Capability, CapabilityContext, SupportKind};
pub use channel::ChannelDeclaration;
pub use detail::{Detail, DetailCode};
pub use device::{Device, IdentityKind, JoinType, ManagementMode, OsVersion, Ownership, Platform, ResetTokenState};
pub use error::ErrorCode;
pub use ids::{ActionId, DeviceGroupId, DeviceId, TenantId, UserGroupId, UserId};
pub use mail::{MailSecurity, MailSettings};
pub use reenrollment::{Reenrollment, ReenrollmentState};
pub use role::{Actor, Permission, Role};
pub use secret::{DeviceSecret, Secret, TenantSecret};
pub use session::WebSession;
pub use sso::SsoSettings;
pub use tenant::{
    ApiTokenInfo, ConsentRecord, DeviceGroup, GroupKind, SupportContact, Tenant, TenantSettings, User, UserAccount, UserGroup,
    WindowsEnrollmentAuth, MAX_ACTION_LIFETIME_DAYS,
};
