//! Tenants, their users and groups, and the per-tenant settings that shape resets.

use crate::detail::Detail;
use crate::ids::{DeviceGroupId, DeviceId, TenantId, UserGroupId, UserId};
use crate::role::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Tenant {
    pub id: TenantId,
    /// The organisation's directory (Azure AD / Entra) tenant id; filled into PassportForWork URIs.
    pub directory_id: uuid::Uuid,
    pub display_name: String,
    pub settings: TenantSettings,
    /// Single sign-on through the organisation's OpenID provider, when set up.
    #[serde(default)]
    pub sso: Option<crate::sso::SsoSettings>,
    /// The SMTP server notifications are e-mailed through, when set up.
    #[serde(default)]
    pub mail: Option<crate::mail::MailSettings>,
    /// The Android Enterprise reached through Google's Android Management API, when bound.
    #[serde(default)]
    pub android_enterprise: Option<crate::android_enterprise::AndroidEnterprise>,
}

/// The longest an action may wait for its device: reads of what happened recently (a person's
/// notifications) look this much further back for actions that finished late.
pub const MAX_ACTION_LIFETIME_DAYS: u16 = 30;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TenantSettings {
    /// Admin consent to the PIN reset service (gates Windows passcode reset).
    pub pin_reset_consented: bool,
    pub alphanumeric_length: u8,
    pub numeric_length: u8,
    /// Days a temporary passcode stays readable after the reset succeeded.
    pub passcode_retention_days: u16,
    /// Days an action may wait for its device before it expires (at most
    /// `MAX_ACTION_LIFETIME_DAYS`).
    pub action_lifetime_days: u16,
    /// How Windows devices sign their user in at enrollment.
    #[serde(default)]
    pub windows_enrollment_auth: WindowsEnrollmentAuth,
    /// Minutes within which a user must have signed in (again) for an operation that needs
    /// fresh authentication: an end user's passcode reset, reading a passcode in the portal.
    #[serde(default = "default_reauth_window")]
    pub reauth_window_minutes: u16,
    /// Who gave the PIN reset service consent, and when (kept while it stands; set and
    /// cleared only by the consent door, never by a settings update).
    #[serde(default)]
    pub pin_reset_consent: Option<ConsentRecord>,
    /// How end users reach the company's support, shown in the self-service portal.
    #[serde(default)]
    pub support_contact: SupportContact,
    /// The actions the self-service portal offers end users; any other is refused to them
    /// (`self_service_action_off`). Admins and the help desk are not affected.
    #[serde(default = "default_self_service_actions")]
    pub self_service_actions: Vec<crate::ActionKind>,
}

/// The record of a tenant admin's consent to the PIN reset service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConsentRecord {
    /// The consenting admin's login, as the audit names them.
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The company support contact; every field may be empty (not shown).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SupportContact {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// An `https://` address.
    #[serde(default)]
    pub web_page: String,
}

const MAX_CONTACT_NAME: usize = 100;
const MAX_CONTACT_PHONE: usize = 40;
const MAX_CONTACT_EMAIL: usize = 254;
const MAX_CONTACT_WEB: usize = 2000;

impl SupportContact {
    pub fn validate(&self) -> Result<(), Detail> {
        use crate::detail::DetailCode;
        for (field, value, max) in [
            ("support_contact.name", &self.name, MAX_CONTACT_NAME),
            ("support_contact.phone", &self.phone, MAX_CONTACT_PHONE),
            ("support_contact.email", &self.email, MAX_CONTACT_EMAIL),
            ("support_contact.web_page", &self.web_page, MAX_CONTACT_WEB),
        ] {
            // Shown to every end user: the rules of a name (no control characters, no
            // bidirectional overrides).
            crate::text::check_name(field, value)?;
            if value.chars().count() > max {
                return Err(Detail::too_long(field, max));
            }
        }
        if self.phone.chars().any(|c| !(c.is_ascii_digit() || " +-().".contains(c))) {
            return Err(Detail::new(
                DetailCode::FieldUnknownValue,
                [("field", "support_contact.phone".into()), ("value", self.phone.clone()), ("allowed", "0-9 + - ( ) . and spaces".into())],
            ));
        }
        if !self.email.is_empty() && !crate::text::is_email(&self.email) {
            return Err(Detail::field(DetailCode::FieldNotEmail, "support_contact.email"));
        }
        if !self.web_page.is_empty() {
            let host = self.web_page.strip_prefix("https://").unwrap_or("");
            if host.is_empty() || host.starts_with('/') || self.web_page.chars().any(char::is_whitespace) {
                return Err(Detail::field(DetailCode::FieldNotHttps, "support_contact.web_page"));
            }
        }
        Ok(())
    }

    /// The same contact with surrounding white space removed (what a form sends).
    pub fn trimmed(&self) -> Self {
        SupportContact {
            name: self.name.trim().to_string(),
            phone: self.phone.trim().to_string(),
            email: self.email.trim().to_string(),
            web_page: self.web_page.trim().to_string(),
        }
    }
}

fn default_self_service_actions() -> Vec<crate::ActionKind> {
    crate::ActionKind::ALL.to_vec()
}

fn default_reauth_window() -> u16 {
    crate::session::DEFAULT_REAUTH_WINDOW_MINUTES
}

crate::string_enum::string_enum! {
    /// MS-MDE2 authentication policy offered to enrolling Windows devices.
    #[derive(Default)]
    pub enum WindowsEnrollmentAuth {
        /// Email and password in the enrollment requests.
        #[default]
        OnPremise = "on_premise",
        /// The device opens our sign-in page and presents the one-time token it returns.
        Federated = "federated",
    }
}

impl Default for TenantSettings {
    fn default() -> Self {
        Self {
            pin_reset_consented: false,
            alphanumeric_length: crate::passcode::DEFAULT_ALPHANUMERIC_LENGTH,
            numeric_length: crate::passcode::DEFAULT_NUMERIC_LENGTH,
            passcode_retention_days: 7,
            action_lifetime_days: 7,
            windows_enrollment_auth: WindowsEnrollmentAuth::OnPremise,
            reauth_window_minutes: crate::session::DEFAULT_REAUTH_WINDOW_MINUTES,
            pin_reset_consent: None,
            support_contact: SupportContact::default(),
            self_service_actions: default_self_service_actions(),
        }
    }
}

impl TenantSettings {
    /// Refuse settings the generator or the workers could not honour.
    pub fn validate(&self) -> Result<(), Detail> {
        use crate::passcode::{length_range, PasscodeStyle};
        fn within<T: PartialOrd + ToString>(field: &str, value: T, range: std::ops::RangeInclusive<T>) -> Result<(), Detail> {
            if range.contains(&value) {
                Ok(())
            } else {
                Err(Detail::out_of_range(field, range.start().to_string(), range.end().to_string()))
            }
        }
        within("alphanumeric_length", self.alphanumeric_length, length_range(PasscodeStyle::Alphanumeric))?;
        within("numeric_length", self.numeric_length, length_range(PasscodeStyle::Numeric))?;
        within("passcode_retention_days", self.passcode_retention_days, 1..=30)?;
        within("action_lifetime_days", self.action_lifetime_days, 1..=MAX_ACTION_LIFETIME_DAYS)?;
        within("reauth_window_minutes", self.reauth_window_minutes, 1..=60)?;
        self.support_contact.validate()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: UserId,
    pub tenant_id: TenantId,
    pub login: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
}

/// A user as the users API shows them: the user and the account's state. Never a password or
/// its hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserAccount {
    #[serde(flatten)]
    pub user: User,
    /// A disabled user's API tokens and password are refused.
    pub disabled: bool,
    /// Whether a password is set (it is never shown).
    pub has_password: bool,
}

/// An API token as listed: never its value or hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApiTokenInfo {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    pub label: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

crate::string_enum::string_enum! {
    /// Groups hold users or devices.
    pub enum GroupKind {
        User = "user",
        Device = "device",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserGroup {
    pub id: UserGroupId,
    pub tenant_id: TenantId,
    pub name: String,
    pub members: Vec<UserId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeviceGroup {
    pub id: DeviceGroupId,
    pub tenant_id: TenantId,
    pub name: String,
    pub members: Vec<DeviceId>,
}
