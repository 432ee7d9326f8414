//! A secret in memory. It cannot be printed, logged or serialized by accident: the only way to
//! the plaintext is `expose()`, which makes every use visible in review.

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Overwrite the bytes before the allocation is freed so the plaintext does not linger.
        // SAFETY-free: zero bytes are valid UTF-8.
        let bytes = unsafe { self.0.as_bytes_mut() };
        for b in bytes.iter_mut() {
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Secret::new("Tr7xKp4m");
        assert!(!format!("{s:?}").contains("Tr7xKp4m"));
        assert!(!format!("{s}").contains("Tr7xKp4m"));
        assert_eq!(s.expose(), "Tr7xKp4m");
    }
}

crate::string_enum::string_enum! {
    /// What a device's sealed secret is. The name is stored beside the sealed value and is part
    /// of its associated data, so a value cannot be moved to another purpose.
    pub enum DeviceSecret {
        /// Apple: the UnlockToken escrowed at TokenUpdate, spent by ClearPasscode.
        UnlockToken = "unlock_token",
        /// Android: the escrowed reset-password token.
        ResetToken = "reset_token",
        /// Apple: the one-time secret inside a user's enrollment profile.
        EnrollmentSecret = "enrollment_secret",
        /// Windows: the OMA-DM client password the device proves itself with.
        DmPassword = "dm_password",
        /// Windows: the password the server proves itself to the device with.
        DmServerPassword = "dm_server_password",
        /// Windows: the nonce the device's next MD5 digest must use.
        DmNonce = "dm_nonce",
        /// macOS: the 6-digit PIN of the last DeviceLock.
        LockPin = "lock_pin",
        /// Apple: the APNs device token and push magic.
        PushToken = "push_token",
        PushMagic = "push_magic",
    }
}

crate::string_enum::string_enum! {
    /// What a tenant's sealed secret is.
    pub enum TenantSecret {
        DeviceCaKey = "device_ca_key",
        DeviceCaCert = "device_ca_cert",
        ApnsKey = "apns_key",
        ApnsCert = "apns_cert",
        /// The client secret pinreset authenticates with at the tenant's OpenID provider.
        OidcClientSecret = "oidc_client_secret",
        /// The password pinreset signs in to the tenant's SMTP server with.
        SmtpPassword = "smtp_password",
        /// The Google service-account key (JSON) pinreset calls the Android Management API with.
        AmapiServiceAccountKey = "amapi_service_account_key",
    }
}
