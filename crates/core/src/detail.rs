//! The specific detail of one refusal (which field, which limit, which value), as a catalogue
//! key plus named arguments. The API sends the key and the arguments beside the English text, so
//! the web doors render the same detail in the reader's language from their message files
//! (`detail-<code>` with `{ $name }` placeables) — English lives here, once.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

macro_rules! details {
    ($( $variant:ident = $code:literal, [$($arg:literal),*], $english:literal; )*) => {
        /// A kind of detail; its English template names its arguments as `{name}`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum DetailCode { $($variant,)* }

        impl DetailCode {
            pub const ALL: &'static [DetailCode] = &[$(DetailCode::$variant,)*];
            pub fn code(self) -> &'static str { match self { $(DetailCode::$variant => $code,)* } }
            /// The arguments a detail of this kind carries.
            pub fn args(self) -> &'static [&'static str] { match self { $(DetailCode::$variant => &[$($arg),*],)* } }
            pub fn english(self) -> &'static str { match self { $(DetailCode::$variant => $english,)* } }
        }
    };
}

details! {
    // --- fields of a request
    FieldEmpty = "field_empty", ["field"], "\"{field}\" must not be empty.";
    FieldTooLong = "field_too_long", ["field", "max"], "\"{field}\" must be at most {max} characters.";
    FieldTooShort = "field_too_short", ["field", "min"], "\"{field}\" must be at least {min} characters.";
    FieldLength = "field_length", ["field", "min", "max"], "\"{field}\" must be {min} to {max} characters.";
    FieldOutOfRange = "field_out_of_range", ["field", "min", "max"], "\"{field}\" must be between {min} and {max}.";
    FieldHasSpaces = "field_has_spaces", ["field"], "\"{field}\" must not contain spaces.";
    MailNotSetUp = "mail_not_set_up", [], "No mail server is set up for this organisation; PUT /api/v1/tenant/mail sets one.";
    MailServerAnswer = "mail_server_answer", ["answer"], "The mail server answered: {answer}";
    AndroidEnterpriseNotBound = "android_enterprise_not_bound", [], "No Android Enterprise is bound to this organisation; PUT /api/v1/tenant/android-enterprise binds one.";
    AndroidEnterpriseName = "android_enterprise_name", ["field", "value", "shape"], "{field} \"{value}\" must look like {shape}.";
    ServiceAccountKey = "service_account_key", ["problem"], "The service-account key cannot be used: {problem}.";
    GoogleAnswer = "google_answer", ["answer"], "Google answered: {answer}";
    FieldNotHost = "field_not_host", ["field"], "\"{field}\" must be a host name or address, without a scheme, port or path.";
    FieldNotEmail = "field_not_email", ["field"], "\"{field}\" must be an address like name@example.com.";
    FieldNotHttps = "field_not_https", ["field"], "\"{field}\" must be an https:// address.";
    FieldHasNul = "field_has_nul", ["field"], "\"{field}\" contains a NUL character (U+0000), which is never valid input.";
    FieldHasControl = "field_has_control", ["field", "character"], "\"{field}\" contains the character {character}; names may not contain control characters or bidirectional overrides.";
    FieldNotPhone = "field_not_phone", ["field"], "\"{field}\" must be a phone number: digits, spaces and the characters + - ( ) . only.";
    FieldOnlyFor = "field_only_for", ["field", "action"], "\"{field}\" applies only to {action}.";
    FieldNotAnId = "field_not_an_id", ["field", "value"], "{field} \"{value}\" is not a valid id (a UUID).";
    FieldNotATime = "field_not_a_time", ["field", "value"], "{field} \"{value}\" is not an RFC 3339 time such as 2026-11-23T08:00:00Z.";
    FieldUnknownValue = "field_unknown_value", ["field", "value", "allowed"], "{field} \"{value}\" is not known; use one of: {allowed}.";
    EitherField = "either_field", ["first", "second"], "Give either \"{first}\" or \"{second}\", not both or neither.";
    BodyShape = "body_shape", ["expected", "problem"], "Expected {expected}: {problem}";
    QueryInvalid = "query_invalid", ["problem"], "The query string is not valid: {problem}";
    PathInvalid = "path_invalid", ["problem"], "The path is not valid: {problem}";
    NoSuchEndpoint = "no_such_endpoint", [], "No such API endpoint.";
    PageCursorInvalid = "page_cursor_invalid", ["field"], "\"{field}\" is not a page position this server handed out; start again from the first page.";
    // --- signing in
    BearerFormat = "bearer_format", [], "The Authorization header must be \"Bearer <token>\".";
    TokenNotValid = "token_not_valid", [], "The API token is not valid.";
    CredentialsMissing = "credentials_missing", [], "Missing Authorization: Bearer <token> header (or a session: sign in).";
    SessionEnded = "session_ended", [], "The session has ended; sign in again.";
    NotASession = "not_a_session", [], "This request came with an API token, not a session.";
    WrongCredentials = "wrong_credentials", [], "The email address or password is not correct.";
    AccountLocked = "account_locked", ["wait", "seconds"], "Too many failed sign-ins for this account; try again in {wait}, or ask your IT department to unlock it.";
    AddressThrottled = "address_throttled", ["wait", "seconds"], "Too many failed sign-ins from your network; try again in {wait}.";
    SignInBusy = "sign_in_busy", [], "The server is busy checking other sign-ins; try again in a few seconds.";
    AccountNotLocked = "account_not_locked", [], "That account is not locked.";
    // --- single sign-on
    BulkOneSelection = "bulk_one_selection", [], "Choose the devices one way: exactly one of device_ids, group_id and filter.";
    StepUpNotAsked = "step_up_not_asked", [], "This session has not proved, for this device, that it is you: ask for the reset again and sign in again when asked.";
    StepUpBeforeRequest = "step_up_before_request", ["signed_in", "asked"], "The identity provider's sign-in ({signed_in}) happened before you asked to reset the passcode ({asked}): sign in again, with your password, at the provider.";
    StepUpTooOld = "step_up_too_old", ["signed_in", "minutes"], "Your sign-in ({signed_in}) is more than {minutes} minutes old: ask for the reset again.";
    StepUpNoAuthTime = "step_up_no_auth_time", [], "The identity provider did not say when you signed in (auth_time), so the sign-in cannot count as a new one.";
    ResetsPerDevice = "resets_per_device", ["limit", "wait", "seconds"], "At most {limit} passcode resets per device per hour can be asked for from the portal; try again in {wait}.";
    ResetsPerUser = "resets_per_user", ["limit", "wait", "seconds"], "You can ask for at most {limit} passcode resets per hour; try again in {wait}.";
    SsoIssuerNotHttps = "sso_issuer_not_https", ["issuer"], "The issuer \"{issuer}\" must be an https:// address (http:// only on a loopback address, for local development).";
    SsoClaimName = "sso_claim_name", ["claim"], "\"{claim}\" is not a claim name (letters, digits, _ . : - only).";
    SsoDiscovery = "sso_discovery", ["issuer", "problem"], "The OpenID provider \"{issuer}\" could not be discovered: {problem}";
    SsoStateMismatch = "sso_state_mismatch", [], "The sign-in answer does not belong to a sign-in started in this browser, or it was already used or took longer than 10 minutes.";
    SsoProviderError = "sso_provider_error", ["error"], "The identity provider refused the sign-in: {error}.";
    SsoTokenInvalid = "sso_token_invalid", ["problem"], "The identity provider's ID token was refused: {problem}";
    SsoClaimMissing = "sso_claim_missing", ["claim"], "The ID token has no \"{claim}\" claim to match a user with.";
    SsoNoSuchUser = "sso_no_such_user", ["value"], "No enabled user of this organisation has the login or email \"{value}\".";
    // --- users, groups, tokens
    NoSuchUser = "no_such_user", [], "No such user.";
    NoSuchToken = "no_such_token", [], "The user has no such API token.";
    NoSuchGroup = "no_such_group", [], "No such group.";
    NoSuchGroupOrMember = "no_such_group_or_member", [], "No such group or member in this tenant.";
    NotMemberKind = "not_member_kind", ["member", "kind"], "members: {member} is not a {kind} of this tenant.";
    TooManyMembers = "too_many_members", ["max"], "A group is created with at most {max} members; add more afterwards.";
    LoginTaken = "login_taken", ["login"], "The login \"{login}\" is already taken in this tenant.";
    ReassignToSelf = "reassign_to_self", [], "\"reassign_to\" must be another user than the one deleted.";
    ReassignToUnknown = "reassign_to_unknown", ["user"], "\"reassign_to\" {user} is not a user of this tenant.";
    OwnsDevices = "owns_devices", ["login", "count"], "{login} is the primary user of {count} device(s); delete with ?reassign_to=<user id> to move them to another user.";
    // --- configuration profiles
    SettingUriPrefix = "setting_uri_prefix", ["index", "uri"], "Setting {index}: OMA-URI \"{uri}\" must start with ./ (e.g. ./Device/Vendor/MSFT/...).";
    SettingUriTooLong = "setting_uri_too_long", ["index", "max"], "Setting {index}: the OMA-URI is longer than {max} characters.";
    SettingUriSpaces = "setting_uri_spaces", ["index", "uri"], "Setting {index}: OMA-URI \"{uri}\" contains white space or control characters.";
    SettingUriEmptySegment = "setting_uri_empty_segment", ["index", "uri"], "Setting {index}: OMA-URI \"{uri}\" has an empty segment (// or a trailing /).";
    SettingValueType = "setting_value_type", ["index", "uri", "value", "data_type"], "Setting {index} ({uri}): value \"{value}\" is not a valid {data_type}.";
    SettingTwice = "setting_twice", ["index", "uri"], "Setting {index}: {uri} appears twice in this profile.";
    SettingNotWindows = "setting_not_windows", ["index", "platform"], "Setting {index}: {platform} is not a Windows platform.";
    SettingsCount = "settings_count", ["max"], "A profile needs 1 to {max} settings.";
    NoSuchGroupForProfile = "no_such_group_for_profile", ["group"], "Group {group} does not exist in this tenant.";
    // --- actions, devices, tenants
    UnknownAction = "unknown_action", ["action"], "Unknown action \"{action}\"; use reset-passcode, remote-lock, reset-device, remove or rename.";
    RenameNeedsName = "rename_needs_name", [], "Rename needs a non-empty \"name\".";
    ActionAlreadyFinished = "action_already_finished", ["state"], "The action is already {state}.";
    ReenrollmentDecided = "reenrollment_decided", [], "The re-enrollment request was already decided.";
    ReenrollmentLapsed = "reenrollment_lapsed", [], "The re-enrollment request has expired; the user must try to enroll again.";
    ApnsCertNoTopic = "apns_cert_no_topic", [], "The certificate is not an MDM push certificate (its subject has no UID topic).";
    ApnsKeyMismatch = "apns_key_mismatch", [], "The private key does not belong to the certificate, or is not PEM.";
    StoreConflict = "store_conflict", ["what"], "Conflict: {what}.";
    StoreInvalid = "store_invalid", ["what"], "Invalid input: {what}.";
}

/// One detail: its kind and its arguments by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Detail {
    pub code: DetailCode,
    pub args: BTreeMap<String, String>,
}

impl Detail {
    /// A detail with its arguments; the names must be exactly the kind's (checked in tests for
    /// every constructor below, and in debug builds everywhere).
    pub fn new<const N: usize>(code: DetailCode, args: [(&'static str, String); N]) -> Self {
        debug_assert!(
            args.len() == code.args().len() && args.iter().all(|(n, _)| code.args().contains(n)),
            "{code:?} takes {:?}",
            code.args()
        );
        Detail { code, args: args.into_iter().map(|(n, v)| (n.to_string(), v)).collect() }
    }

    pub fn plain(code: DetailCode) -> Self {
        Self::new(code, [])
    }

    pub fn field(code: DetailCode, field: &str) -> Self {
        Self::new(code, [("field", field.to_string())])
    }

    pub fn too_long(field: &str, max: usize) -> Self {
        Self::new(DetailCode::FieldTooLong, [("field", field.to_string()), ("max", max.to_string())])
    }

    pub fn length(field: &str, min: usize, max: usize) -> Self {
        Self::new(DetailCode::FieldLength, [("field", field.into()), ("min", min.to_string()), ("max", max.to_string())])
    }

    pub fn out_of_range(field: &str, min: impl ToString, max: impl ToString) -> Self {
        Self::new(DetailCode::FieldOutOfRange, [("field", field.into()), ("min", min.to_string()), ("max", max.to_string())])
    }

    /// A request body or query that did not parse; `problem` is the parser's own words.
    pub fn body_shape(expected: &str, problem: impl ToString) -> Self {
        Self::new(DetailCode::BodyShape, [("expected", expected.into()), ("problem", problem.to_string())])
    }

    /// The English text, with the arguments in place.
    pub fn english(&self) -> String {
        let mut out = self.code.english().to_string();
        for (name, value) in &self.args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

impl std::fmt::Display for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_template_names_exactly_its_arguments() {
        let mut seen = HashSet::new();
        for c in DetailCode::ALL {
            assert!(seen.insert(c.code()), "duplicate {}", c.code());
            assert_eq!(serde_json::to_value(c).unwrap(), c.code());
            let named: HashSet<&str> =
                c.english().split('{').skip(1).filter_map(|s| s.split_once('}')).map(|(n, _)| n).filter(|n| !n.is_empty()).collect();
            let declared: HashSet<&str> = c.args().iter().copied().filter(|a| *a != "seconds").collect();
            assert_eq!(named, declared, "{}", c.code());
        }
    }

    #[test]
    fn english_fills_in_the_arguments() {
        assert_eq!(Detail::too_long("name", 64).english(), "\"name\" must be at most 64 characters.");
        assert_eq!(Detail::length("name", 1, 200).to_string(), "\"name\" must be 1 to 200 characters.");
        assert_eq!(Detail::out_of_range("limit", 1, 500).english(), "\"limit\" must be between 1 and 500.");
        assert_eq!(Detail::body_shape("{\"password\"}", "missing field").english(), "Expected {\"password\"}: missing field");
        assert_eq!(Detail::plain(DetailCode::SessionEnded).english(), "The session has ended; sign in again.");
    }
}
