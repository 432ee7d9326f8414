//! Application services: the reset spine's orchestration (authorize → capability → state
//! machine → one store transaction). Rules live in core; this layer only sequences them, so
//! the REST API, the CLI, later the UIs and the device channels all go through the same code.

pub mod actions;
pub mod android_enrollment;
pub mod android_enterprise;
pub mod audit;
pub mod authz;
pub mod batched_writes;
pub mod bulk;
pub mod delivery;
pub mod device_ca;
pub mod device_results;
pub mod enrollment_profile;
pub mod group_commit;
pub mod groups;
pub mod lockouts;
pub mod mail;
pub mod mail_settings_cache;
pub mod maintenance;
pub mod monitor;
pub mod notifications;
pub mod paging;
pub mod passcodes;
pub mod profiles;
pub mod push;
pub mod readiness;
pub mod readiness_answers;
pub mod reenrollment;
pub mod reset_limits;
pub mod scope;
pub mod sessions;
pub mod sso;
pub mod step_up;
pub mod tenant;
pub mod users;
pub mod view;
