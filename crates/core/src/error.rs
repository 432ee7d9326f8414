//! The error catalogue: every failure the product can report has a stable code, a reason that
//! says what happened, a remedy that says what to do, and a docs anchor. The API, the CLI and
//! the UIs all show these texts, so a refusal reads the same everywhere.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! catalogue {
    ($( $variant:ident = $code:literal, $status:literal, $reason:literal, $remedy:literal; )*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode { $($variant,)* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// Stable machine-readable code, e.g. `android_device_admin_unsupported`.
            pub fn code(self) -> &'static str { match self { $(ErrorCode::$variant => $code,)* } }
            /// What happened, in one sentence.
            pub fn reason(self) -> &'static str { match self { $(ErrorCode::$variant => $reason,)* } }
            /// What to do about it, in one sentence.
            pub fn remedy(self) -> &'static str { match self { $(ErrorCode::$variant => $remedy,)* } }
            /// The HTTP status an API answer carrying this code uses.
            pub fn http_status(self) -> u16 { match self { $(ErrorCode::$variant => $status,)* } }
        }
    };
}

catalogue! {
    // --- request problems
    InvalidInput = "invalid_input", 400, "The request is not valid.", "Correct the highlighted field and send the request again.";
    Unauthenticated = "unauthenticated", 401, "No valid credentials were presented.", "Sign in again or use a valid API token.";
    RoleForbidden = "role_forbidden", 403, "Your role does not allow this action.", "Ask a tenant admin to perform it or to grant you a role that allows it.";
    NotDeviceOwner = "not_device_owner", 403, "Only the device's primary user can do this from the self-service portal.", "Sign in as the device's owner, or contact support.";
    NotFound = "not_found", 404, "The requested item does not exist or is not visible to you.", "Check the identifier; the device may have been removed.";
    Conflict = "conflict", 409, "The item changed or already exists.", "Reload and try again.";
    SignInLocked = "sign_in_locked", 429, "Too many failed sign-ins for this account, so it is locked for a while.", "Wait until the lockout ends (the answer says when), or ask a tenant admin to unlock the account.";
    SignInThrottled = "sign_in_throttled", 429, "Too many failed sign-ins came from your network address.", "Wait as long as the answer says before trying again, and check the email address and password.";
    ServerBusy = "server_busy", 503, "The server is checking too many passwords at once.", "Try again in a few seconds.";
    CsrfTokenMissing = "csrf_token_missing", 403, "This change was sent with a session cookie but without the session's CSRF token.", "Reload the page and try again; scripts using the API should send the X-CSRF-Token header they got at sign-in, or use an API token.";
    ReauthRequired = "reauth_required", 401, "This action needs a recent sign-in (within your organisation's window, 5 minutes by default).", "Sign in again to confirm it is you, then repeat the action within the window.";
    ResetRateLimited = "reset_rate_limited", 429, "Too many passcode resets were asked for in the last hour, for this device or by you.", "Wait until the time this answer gives, then try again; if you are locked out now, contact your IT support.";
    SsoNotConfigured = "sso_not_configured", 404, "Single sign-on is not set up for this organisation.", "Sign in with your email address and password, or ask a tenant admin to set up single sign-on (Tenant administration > Single sign-on).";
    SsoRefused = "sso_refused", 401, "The answer from your organisation's identity provider could not be accepted.", "Sign in again from the start; if it happens again, tell your administrator the time (the server's log says why).";
    SsoUnknownUser = "sso_unknown_user", 403, "Your identity provider signed you in, but this organisation has no enabled pinreset user by that name.", "Ask your IT department to add you to pinreset (or to enable your account).";
    SsoProviderUnreachable = "sso_provider_unreachable", 502, "The identity provider could not be reached or did not answer as an OpenID provider.", "Check the issuer address and that the provider is up (and, for a private CA, that the server was started with --oidc-ca-file), then try again.";
    GoogleUnreachable = "google_unreachable", 502, "Google's Android Management API could not be reached or refused the request.", "Check the enterprise binding (enterprise name, service-account key and its roles) and that this server can reach Google; the answer is in the detail.";
    MailNotSent = "mail_not_sent", 502, "The mail server did not take the message.", "Check the host, port, security and sign-in of the mail settings, and that the server accepts mail from pinreset for that sender; its answer is in the detail.";
    // --- users, groups and tokens
    LoginTaken = "login_taken", 409, "Another user of this tenant already has this login.", "Choose another login, or change the existing user instead.";
    LastTenantAdmin = "last_tenant_admin", 409, "This is the tenant's last enabled tenant admin: without one, nobody could manage the tenant.", "Make another user a tenant admin (or enable one) first, then try again.";
    UserOwnsDevices = "user_owns_devices", 409, "The user is the primary user of devices, which would be left without an owner.", "Delete with reassign_to=<user id> to move the devices to another user, or reassign them first.";
    // --- capability refusals (the matrix)
    TenantNotOnboarded = "tenant_not_onboarded", 409, "Your organisation has not consented to the PIN reset service yet.", "A tenant admin must grant consent to the PIN reset service in Tenant administration, then try again.";
    CorporateDeviceSelfService = "corporate_device_self_service", 403, "Passcode reset of corporate-owned devices is not available in the self-service portal.", "Please contact support: your help desk can reset this corporate device's passcode.";
    SelfServiceActionOff = "self_service_action_off", 403, "Your organisation does not offer this action in the self-service portal.", "Contact your IT support (the portal shows how to reach them); an administrator can take the action for you.";
    WindowsMobileTooOld = "windows_mobile_too_old", 409, "Passcode reset needs Windows 10 Mobile Creators Update (build 15063) or later.", "Update the device to Windows 10 Mobile build 15063 or later, or reset the device.";
    WindowsNotAadJoined = "windows_not_aad_joined", 409, "Passcode reset needs the device to be Azure AD joined.", "Join the device to Azure AD (Settings > Accounts > Access work or school), then try again.";
    WindowsDesktopUnsupported = "windows_desktop_unsupported", 409, "Windows 10/11 desktop devices cannot have their PIN reset by the server.", "Use PIN recovery at the lock screen (\"I forgot my PIN\"); assign a profile that sets EnablePinRecovery so the device supports it.";
    MacosUnsupported = "macos_unsupported", 409, "macOS does not support passcode reset by the server.", "Use Remote lock: the Mac is locked with a 6-digit PIN that this server shows you.";
    IosNoUnlockToken = "ios_no_unlock_token", 409, "The server holds no UnlockToken for this device, so it cannot clear the passcode.", "The device must re-enroll (or send a TokenUpdate with an UnlockToken) before its passcode can be cleared; otherwise reset the device.";
    IosUnlockTokenRejected = "ios_unlock_token_rejected", 409, "The device refused the escrowed UnlockToken: it no longer matches the device's keys.", "Have the user reinstall the enrollment profile (its TokenUpdate escrows a new UnlockToken) and try again, or reset the device.";
    IosUserEnrollment = "ios_user_enrollment", 409, "Devices enrolled with User Enrollment do not allow the passcode to be cleared.", "The owner resets the passcode on the device; IT can only remove the managed data.";
    IosSharedIpad = "ios_shared_ipad", 409, "Shared iPad has no device passcode the server can clear.", "Sign the user out of the Shared iPad, or reset the device.";
    AndroidDeviceAdminUnsupported = "android_device_admin_unsupported", 409, "Android 7.0 and later do not allow device administrators to reset the passcode.", "Do a factory reset of the device (Reset device), then enroll it as fully managed or with a work profile to use passcode reset.";
    AndroidNoResetToken = "android_no_reset_token", 409, "The device has no active passcode reset token.", "Open the management app on the device and accept the passcode reset prompt, then try again.";
    AndroidUnsupportedMode = "android_unsupported_mode", 409, "Passcode reset is not supported for this Android version and management mode.", "Update the device to Android 8.0 or later with a work profile or as fully managed, or do a factory reset.";
    AndroidPasscodeRejected = "android_passcode_rejected", 409, "The device refused the temporary passcode: it does not meet the passcode policy set on the device.", "Make the tenant's temporary passcode settings (length, letters and digits) meet the device's passcode policy, then reset again.";
    AmapiCommandUnsupported = "amapi_command_unsupported", 409, "Android Device Policy on the device does not support this command.", "Update Android Device Policy on the device (Google Play), then try again.";
    AmapiCommandGaveUp = "amapi_command_gave_up", 409, "The device did not carry out the command within the time it was given, so pinreset stopped waiting for it.", "Make sure the device is on and online, then request the action again.";
    WindowsDesktopNoRemoteLock = "windows_desktop_no_remote_lock", 409, "Windows 10/11 desktop devices do not support remote lock.", "Ask the user to lock the PC (Windows+L), or reset the device if it is lost.";
    UserEnrollmentNoWipe = "user_enrollment_no_wipe", 409, "A device enrolled with User Enrollment belongs to its user and cannot be erased by the organisation.", "Use Remove to delete the managed apps and data instead.";
    WorkProfileNoWipe = "work_profile_no_wipe", 409, "A personal device with a work profile cannot be erased by the organisation.", "Use Remove to delete the work profile instead.";
    ChannelCannotDeliver = "channel_cannot_deliver", 409, "This server has no way to send that action to this kind of device.", "Choose another action for this device, or carry it out on the device itself.";
    AppleRenameUnsupported = "apple_rename_unsupported", 409, "Apple devices are renamed only with the MDM Settings command on supervised devices, which this server does not send.", "Rename the device on the device itself (Settings > General > About > Name; on a Mac, System Settings > General > Sharing).";
    ActionNotSupported = "action_not_supported", 409, "This device does not support that action.", "Choose another action for this device.";
    DeviceReenrolled = "device_reenrolled", 409, "The device enrolled again, so commands queued for its previous enrollment were dropped.", "Request the action again.";
    DeviceAlreadyEnrolled = "device_already_enrolled", 409, "This device is already enrolled, and the enrollment did not prove it is that device.", "A tenant admin must approve the re-enrollment (Re-enrollments in the admin API: pinreset reenrollments approve ID); then enroll the device again within 24 hours.";
    DeviceEnrolledElsewhere = "device_enrolled_elsewhere", 409, "This device is enrolled by another organisation on this server.", "Remove the device from the other organisation's management first, then enroll it again.";
    EnrollmentIdentitySpent = "enrollment_identity_spent", 403, "This enrollment profile was already used by another device.", "Download a new enrollment profile for this device.";
    ReenrollmentNotPending = "reenrollment_not_pending", 409, "The re-enrollment request was already decided or has expired.", "Ask the user to enroll the device again: a new request is created.";
    DeviceRetired = "device_retired", 409, "The device is no longer managed.", "Enroll the device again to manage it.";
    // --- results of actions
    PasscodeExpired = "passcode_expired", 410, "The temporary passcode has expired and was deleted (they are kept for 7 days).", "Reset the passcode again to get a new temporary passcode.";
    PasscodeNotAvailable = "passcode_not_available", 404, "This action has no temporary passcode to show.", "Only a succeeded passcode reset of a device that takes a temporary passcode has one; iOS devices get their passcode removed instead.";
    ActionExpired = "action_expired", 409, "The device did not answer within the action's lifetime.", "Make sure the device is on and online, then request the action again.";
    ActionNotPending = "action_not_pending", 409, "The action has already finished.", "Request a new action if needed.";
    DeviceRejected = "device_rejected", 409, "The device refused the command.", "Check the device's details for the status it reported; make sure it meets the requirements, then try again.";
    DeviceNoPinSet = "device_no_pin_set", 409, "No PIN is set on the device, so it cannot be locked.", "Ask the user to set a PIN on the device, or reset the device.";
    DeviceNoPasscodeReturned = "device_no_passcode_returned", 409, "The device reported success but returned no new passcode.", "Try the reset again; if it repeats, reset the device.";
    Internal = "internal", 500, "Something went wrong on the server.", "Try again; if it persists, give the request id to your administrator.";
}

impl ErrorCode {
    /// Stable anchor in docs/errors.md, e.g. `errors.md#android_device_admin_unsupported`.
    pub fn docs_anchor(self) -> String {
        format!("docs/errors.md#{}", self.code())
    }

    pub fn from_code(code: &str) -> Option<ErrorCode> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.reason(), self.remedy())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_round_trip_and_every_entry_has_texts() {
        let mut seen = HashSet::new();
        for c in ErrorCode::ALL {
            assert!(seen.insert(c.code()), "duplicate code {}", c.code());
            assert_eq!(ErrorCode::from_code(c.code()), Some(*c));
            assert!(c.reason().ends_with('.') && c.remedy().ends_with('.'), "{}", c.code());
            // serde name and stable code must agree: clients match on either.
            assert_eq!(serde_json::to_value(c).unwrap(), c.code());
        }
    }
}

/// docs/errors.md, generated from the catalogue so the docs cannot drift from the code.
pub fn render_docs() -> String {
    let mut out = String::from(
        "# Error catalogue\n\nEvery refusal and failure pinreset reports carries one of these codes, in the API's problem\n\
         details (`code`), the CLI and the UIs. Generated from `crates/core/src/error.rs`\n\
         (`PINRESET_BLESS=1 cargo nextest run -p pinreset-core docs_match` rewrites it).\n",
    );
    for c in ErrorCode::ALL {
        out.push_str(&format!(
            "\n<a id=\"{code}\"></a>\n## `{code}` (HTTP {status})\n\n**Why:** {reason}\n\n**What to do:** {remedy}\n",
            code = c.code(),
            status = c.http_status(),
            reason = c.reason(),
            remedy = c.remedy()
        ));
    }
    out.push_str(
        "\n# Details\n\nA refusal may also name its specific detail: `detail_code` and `detail_args` in the problem\n\
         details, rendered in English in `detail` and in the reader's language by the web pages.\n\n\
         | `detail_code` | arguments | English |\n|---|---|---|\n",
    );
    for d in crate::detail::DetailCode::ALL {
        let args = d.args().iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
        out.push_str(&format!("| `{}` | {args} | {} |\n", d.code(), d.english().replace('|', "\\|")));
    }
    out
}

#[cfg(test)]
mod docs_tests {
    #[test]
    fn docs_match_the_catalogue() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/errors.md");
        let expected = super::render_docs();
        if std::env::var_os("PINRESET_BLESS").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert!(actual == expected, "docs/errors.md is out of date; run with PINRESET_BLESS=1 to regenerate");
    }
}
