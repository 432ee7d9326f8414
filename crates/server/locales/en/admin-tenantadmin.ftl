# pinreset admin center — English: Tenant administration (PIN reset service, Enterprise
# applications, Single sign-on), Settings and Configuration profiles.

tenantadmin-save = Save

## Tenant administration › PIN reset service
tenantadmin-consent-title = PIN reset service
tenantadmin-consent-intro = Windows passcode reset relies on two applications of this server. As a tenant admin you consent on behalf of your organisation to what each may do. Until then, Windows passcode resets are refused.
tenantadmin-consent-may = This application may:
tenantadmin-app-service = PIN reset service
tenantadmin-app-service-about = The server side: it creates the temporary PIN and hands it to the device in a protected form.
tenantadmin-perm-service-signin = Sign in as your organisation's application and read your organisation's basic profile
tenantadmin-perm-service-reset = Create a temporary PIN for a Windows device when an admin or its owner asks for a passcode reset
tenantadmin-perm-service-directory = Read the Azure AD directory id of your organisation, to address the devices' PassportForWork settings
tenantadmin-app-client = PIN reset client
tenantadmin-app-client-about = The device side: the managed Windows device uses it to take the new PIN and replace its current one.
tenantadmin-perm-client-signin = Sign in on your organisation's Windows devices as the device's user
tenantadmin-perm-client-service = Call the PIN reset service on behalf of that user, to receive the new PIN
tenantadmin-consent-revocable = You can revoke this consent at any time on this page; Windows passcode resets are then refused again.
tenantadmin-consent-accept = Accept
tenantadmin-consent-revoke = Revoke consent
tenantadmin-consent-missing = Your organisation has not consented yet: Windows passcode reset is refused.
tenantadmin-consent-given = Consent given by { $by } on { $when }.
tenantadmin-consent-given-unknown = Consent was given.
tenantadmin-consent-admins-only = Only a tenant admin can accept.
tenantadmin-consent-revoked-notice = Consent was revoked. Windows passcode reset is refused until a tenant admin accepts again.
tenantadmin-consent-accepted-notice = Consent was given: both applications are enabled, and Windows passcode reset is available.
tenantadmin-consent-link = Consent to the PIN reset service

## Tenant administration › Enterprise applications
tenantadmin-apps-title = Enterprise applications
tenantadmin-col-app = Application
tenantadmin-col-status = Status
tenantadmin-col-consented-by = Consented by
tenantadmin-col-consented-at = Consented on
tenantadmin-enabled = Enabled
tenantadmin-not-consented = Not consented

## Tenant administration › Single sign-on
tenantadmin-sso-title = Single sign-on
tenantadmin-sso-current = Current set-up
tenantadmin-sso-none = Single sign-on is not set up: people sign in with their email address and password.
tenantadmin-sso-issuer = Issuer
tenantadmin-sso-client-id = Client id
tenantadmin-sso-client-secret = Client secret
tenantadmin-sso-login-claim = Login claim
tenantadmin-sso-redirect = Redirect URI to register at the provider
tenantadmin-sso-redirect-register = Register this redirect URI at your OpenID provider:
tenantadmin-sso-remove = Remove single sign-on
tenantadmin-sso-set-up = Set up single sign-on
tenantadmin-sso-replace = Replace the set-up
tenantadmin-sso-secret-hint = Stored encrypted and never shown again: type it each time you save.
tenantadmin-sso-claim-hint = The ID token claim that names the user: their login or email address (email by default).
tenantadmin-sso-saved = Single sign-on was saved. The sign-in page now offers it.
tenantadmin-sso-removed = Single sign-on was removed.

## Settings
tenantadmin-settings-saved = Settings were saved.
tenantadmin-settings-passcode = Temporary passcode
tenantadmin-settings-passcode-intro = The device decides the complexity: devices that accept letters get letters and digits without look-alikes (no 0/O, 1/l/I); the others get digits without easy runs such as 1234.
tenantadmin-settings-alphanumeric = Length of letters-and-digits passcodes
tenantadmin-settings-alphanumeric-hint = { $min } to { $max } characters.
tenantadmin-settings-numeric = Length of numeric passcodes (PINs)
tenantadmin-settings-numeric-hint = { $min } to { $max } digits.
tenantadmin-settings-support = Company support contact
tenantadmin-settings-support-intro = Shown to users in the self-service portal. Leave a field empty to hide it.
tenantadmin-settings-support-name = Name
tenantadmin-settings-support-phone = Phone number
tenantadmin-settings-support-email = Email address
tenantadmin-settings-support-web = Web page (https://)
tenantadmin-settings-self-service = Self-service actions
tenantadmin-settings-self-service-intro = The actions users may take on their own devices in the self-service portal. An action turned off here is refused to them; admins and the help desk are not affected.
tenantadmin-settings-reauth = Re-authentication window
tenantadmin-settings-reauth-minutes = Minutes
tenantadmin-settings-reauth-hint = A user must have signed in within this many minutes (1 to 60) to reset their passcode or to see it in the portal.

## Configuration profiles
tenantadmin-profiles-none = No configuration profiles yet.
tenantadmin-profile-new = Create profile
tenantadmin-profile-from-template = Create from the PIN recovery template
tenantadmin-profile-edit = Edit profile
tenantadmin-profile-platform = Platform: Windows 10 and later. Profile type: Custom (OMA-URI settings).
tenantadmin-profile-name = Name
tenantadmin-profile-description = Description
tenantadmin-profile-settings = OMA-URI settings
tenantadmin-col-profile = Profile
tenantadmin-col-settings = Settings
tenantadmin-col-version = Version
tenantadmin-col-oma-uri = OMA-URI
tenantadmin-col-data-type = Data type
tenantadmin-col-value = Value
tenantadmin-col-applies-to = Applies to
tenantadmin-remove-setting = Remove
tenantadmin-add-setting = + Add setting
tenantadmin-add-pin-recovery = + EnablePinRecovery (template)
tenantadmin-pin-recovery-hint = The template fills in your organisation's directory id. EnablePinRecovery applies to Windows desktop devices only; phones are reported as Not applicable.
tenantadmin-profile-pin-recovery-name = Windows PIN recovery
tenantadmin-profile-saved = The profile was saved. Assigned devices receive it at their next check-in.
tenantadmin-profile-assigned = Assignments were saved.
tenantadmin-profile-version = Version { $version }
tenantadmin-profile-updated = Last changed { $when }
tenantadmin-profile-status = Device status
tenantadmin-status-filter = Filter by status
tenantadmin-status-all = All ({ $count })
tenantadmin-status-none-in-filter = No device has this status.
tenantadmin-status-unassigned = The profile is not assigned to any device yet.
tenantadmin-status-error-detail = The device answered status { $status } for { $uri }.
tenantadmin-status-conflict-detail = Profile "{ $profile }" sets { $uri } to another value.
tenantadmin-state-succeeded = Succeeded
tenantadmin-state-error = Error
tenantadmin-state-conflict = Conflict
tenantadmin-state-pending = Pending
tenantadmin-state-not_applicable = Not applicable
tenantadmin-assignments = Assignments
tenantadmin-included = Included groups
tenantadmin-excluded = Excluded groups
tenantadmin-col-group = Group
tenantadmin-col-group-kind = Kind
tenantadmin-include = Include
tenantadmin-exclude = Exclude
tenantadmin-not-assigned = Not assigned
tenantadmin-group-user = Users
tenantadmin-group-device = Devices
tenantadmin-save-assignments = Save assignments

# Tenant administration › E-mail
tenantadmin-mail-title = E-mail
tenantadmin-mail-intro = When a passcode reset, remote lock or device reset finishes, the device's owner gets an e-mail through your organisation's mail server, with a link to the portal. A temporary passcode is never sent by e-mail.
tenantadmin-mail-none = No mail server is set up: people see their notifications in the portal only.
tenantadmin-mail-set-up = Set up e-mail
tenantadmin-mail-host = SMTP server
tenantadmin-mail-port = Port
tenantadmin-mail-security = Connection security
tenantadmin-mail-security-starttls = STARTTLS (usually port 587)
tenantadmin-mail-security-tls = TLS (usually port 465)
tenantadmin-mail-security-none = None: only for a relay on your own network (port 25)
tenantadmin-mail-from = Sender address
tenantadmin-mail-username = Sign-in name
tenantadmin-mail-password = Password
tenantadmin-mail-password-stored = password stored
tenantadmin-mail-password-none = no password
tenantadmin-mail-no-sign-in = None (the server takes mail without signing in)
tenantadmin-mail-language = Language of the e-mails
tenantadmin-mail-test-to = Send a test message to
tenantadmin-mail-test = Send test message
tenantadmin-mail-remove = Turn e-mail off
tenantadmin-mail-saved = The mail server was saved. Send a test message to check it.
tenantadmin-mail-removed = E-mail is off; the stored password was destroyed.
tenantadmin-mail-sent = The mail server took the test message.
