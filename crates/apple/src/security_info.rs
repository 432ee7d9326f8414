//! Typed reader for the `SecurityInfo` response (`information.security.yaml`, responsekeys).
//! A reset is only called done when the device itself says no passcode is present.

use crate::limits::{DecodeError, Fields};
use plist::Dictionary;

/// The parts of `SecurityInfo` the reset and compliance views rely on. Every key is optional:
/// which ones a device sends depends on platform and version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecurityInfo {
    pub passcode_present: Option<bool>,
    pub passcode_compliant: Option<bool>,
    pub passcode_compliant_with_profiles: Option<bool>,
    /// Seconds.
    pub passcode_lock_grace_period: Option<i64>,
    pub passcode_lock_grace_period_enforced: Option<i64>,
    pub auto_lock_time: Option<i64>,
    pub hardware_encryption_caps: Option<i64>,
    /// macOS FileVault.
    pub fde_enabled: Option<bool>,
    pub system_integrity_protection_enabled: Option<bool>,
    pub is_recovery_lock_enabled: Option<bool>,
    /// `allowed`, `disallowed` or `not supported` (macOS).
    pub bootstrap_token_allowed_for_authentication: Option<String>,
    pub management_status: Option<ManagementStatus>,
}

/// `SecurityInfo.ManagementStatus`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ManagementStatus {
    pub enrolled_via_dep: Option<bool>,
    pub user_approved_enrollment: Option<bool>,
    pub is_user_enrollment: Option<bool>,
    pub is_activation_lock_manageable: Option<bool>,
}

impl SecurityInfo {
    /// Read the `SecurityInfo` dictionary (the value of the result's `SecurityInfo` key).
    pub fn from_dictionary(d: &Dictionary) -> Result<Self, DecodeError> {
        let f = Fields(d);
        let management_status = match f.dictionary("ManagementStatus")? {
            None => None,
            Some(m) => {
                let m = Fields(m);
                Some(ManagementStatus {
                    enrolled_via_dep: m.boolean("EnrolledViaDEP")?,
                    user_approved_enrollment: m.boolean("UserApprovedEnrollment")?,
                    is_user_enrollment: m.boolean("IsUserEnrollment")?,
                    is_activation_lock_manageable: m.boolean("IsActivationLockManageable")?,
                })
            }
        };
        Ok(SecurityInfo {
            passcode_present: f.boolean("PasscodePresent")?,
            passcode_compliant: f.boolean("PasscodeCompliant")?,
            passcode_compliant_with_profiles: f.boolean("PasscodeCompliantWithProfiles")?,
            passcode_lock_grace_period: f.integer("PasscodeLockGracePeriod")?,
            passcode_lock_grace_period_enforced: f.integer("PasscodeLockGracePeriodEnforced")?,
            auto_lock_time: f.integer("AutoLockTime")?,
            hardware_encryption_caps: f.integer("HardwareEncryptionCaps")?,
            fde_enabled: f.boolean("FDE_Enabled")?,
            system_integrity_protection_enabled: f.boolean("SystemIntegrityProtectionEnabled")?,
            is_recovery_lock_enabled: f.boolean("IsRecoveryLockEnabled")?,
            bootstrap_token_allowed_for_authentication: f.string("BootstrapTokenAllowedForAuthentication")?,
            management_status,
        })
    }
}
