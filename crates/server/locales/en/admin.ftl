# pinreset admin center — English. UI strings only: error reasons and remedies come from the
# Rust catalogue (crates/core/src/error.rs); the other languages translate those in errors.ftl.

## Frame
app-admin-center = Admin center
skip-to-content = Skip to content
header-tenant = Organisation
language = Language
language-apply = Apply
sign-out = Sign out
nav-open = Menu
nav-label = Admin center navigation
nav-home = Home
nav-devices = Devices
nav-device-actions = Device actions
nav-profiles = Configuration profiles
nav-users-groups = Users & groups
nav-tenant-admin = Tenant administration
nav-readiness = Reset readiness
nav-audit = Audit log
nav-settings = Settings
nav-coming-soon = Coming soon

## Sign-in
sign-in-title = Sign in
sign-in-intro = Sign in with your work account to manage your organisation's devices.
sign-in-email = Email address
sign-in-password = Password
sign-in-submit = Sign in
sign-in-wait-until = You can try again after { $when }.
sign-in-or = or
sign-in-sso = Sign in with { $organisation }

## Devices › All devices
devices-all = All devices
devices-search = Search
devices-search-placeholder = Search by name, model, serial number or IMEI
devices-platform = Platform
devices-platform-any = All platforms
devices-ownership = Ownership
devices-ownership-any = Any ownership
devices-owner-filter = Owner: { $owner }
devices-owner-filter-remove = Show every owner's devices
devices-only-owner = Only this owner's devices
devices-sort = Sort by
devices-sort-direction = Order
devices-sort-asc = Ascending
devices-sort-desc = Descending
devices-clear = Clear filters
devices-count = Showing { $first }–{ $last } of { $total } devices
devices-none = No devices match your search.
paging-label = Pages
paging-previous = Previous
paging-next = Next
col-name = Device name
col-owner = Primary user
col-platform = Platform
col-os-version = OS version
col-ownership = Ownership
col-management = Management state
col-last-check-in = Last check-in
col-pending = Pending actions
pending-badge = Pending
device-no-owner = No primary user
device-never = Never
management-managed = Managed
management-retired = Retired

## Device overview
device-actions-label = Device actions
device-sync = Sync
device-why-link = What to do
device-pending =
    { $count ->
        [one] 1 action pending
       *[other] { $count } actions pending
    }
device-properties = Properties
prop-name = Device name
prop-owner = Primary user
prop-platform = Platform
prop-os-version = OS version
prop-os-build = OS build
prop-model = Model
prop-serial = Serial number
prop-imei = IMEI
prop-ownership = Ownership
prop-management-mode = Management mode
prop-reset-token = Reset token
reset-token-none = None
reset-token-inactive = Inactive: the user must confirm their screen lock once
reset-token-active = Active
prop-join-type = Azure AD join type
prop-management-state = Management state
prop-enrolled = Enrolled
prop-last-check-in = Last check-in
device-result-title = Passcode reset
device-result-show = Show passcode
device-result-show-pin = Show PIN
device-result-expires = Available until { $when }
device-result-removed = The passcode was removed from the device. The user sets a new one after unlocking it.
device-passcode-label = Temporary passcode
device-pin-label = Lock PIN
device-passcode-hint = Give it to the user in person or by phone. They are asked to change it after unlocking.
device-copy = Copy
device-copied = Copied
device-copy-failed = Select the passcode and copy it
device-expires-in-days = Expires in { $days ->
        [one] 1 day
       *[other] { $days } days
    }{ $hours ->
        [0] {""}
        [one] {" "}1 hour
       *[other] {" "}{ $hours } hours
    }
device-expires-in-hours = Expires in { $hours ->
        [one] 1 hour
       *[other] { $hours } hours
    }
device-expires-in-minutes = Expires in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }
device-expired = Expired
confirm-lock-message = Message on the lock screen
confirm-optional = (optional)
confirm-lock-message-placeholder = e.g. This device is locked. Please call IT.
confirm-lock-phone = Phone number on the lock screen
confirm-lock-message-hint = The device shows both on its lock screen until it is unlocked.
device-history = Action history
device-history-none = No actions have been requested for this device.
device-detail = Device reported: { $detail }
device-commands = Command history
device-commands-none = No commands have been sent to this device yet.
col-action = Action
col-state = Status
col-requested = Requested
col-updated = Last change
col-outcome = Outcome
col-time = Time
col-direction = Direction
col-detail = Detail
command-sent = Sent
command-answered = Device answered
notice-queued = { $action } was requested. The device carries it out at its next check-in.
notice-synced = The device was asked to check in.

## Confirmation
confirm-title = { $action }: { $device }
confirm-submit = { $action }
confirm-cancel = Cancel
confirm-new-name = New device name
confirm-reset-passcode-temporary = The current passcode of { $device } is replaced by a temporary passcode. When the device answers, you can show the temporary passcode on the device's page for 7 days.
confirm-reset-passcode-clear = The passcode of { $device } is removed. No temporary passcode is set: the user unlocks the device without one and sets a new passcode.
confirm-remote-lock = { $device } is locked right away. The user unlocks it with their passcode.
confirm-remote-lock-pin = { $device } is locked with a 6-digit PIN that this server generates. You can show the PIN on the device's page.
confirm-reset-device = { $device } is erased and returned to its factory settings. Everything on it is lost. This cannot be undone.
confirm-remove = { $device } is removed from management: company apps, data and settings are deleted and it stops checking in.
confirm-rename = { $device } is renamed to the name below.

## Problems and the error catalogue
problem-title = Something went wrong
problem-what-to-do = What to do
problem-code = Error code
problem-back = Back to All devices
errors-title = Error catalogue
errors-intro = Every refusal and failure pinreset reports, and what to do about it.

## Values from the engine
action-reset-passcode = Reset passcode
action-remote-lock = Remote lock
action-reset-device = Reset device
action-remove = Remove
action-rename = Rename
state-requested = Requested
state-queued = Queued
state-delivered = Sent to device
state-acknowledged = Acknowledged
state-succeeded = Succeeded
state-failed = Failed
state-expired = Expired
state-cancelled = Cancelled
result-temporary-passcode = Temporary passcode set
result-passcode-removed = Passcode removed
result-lock-pin = Locked with a PIN
result-done = Done
platform-windows = Windows
platform-windows_mobile = Windows 10 Mobile
platform-windows_phone = Windows Phone 8.1
platform-ios = iOS
platform-ipados = iPadOS
platform-macos = macOS
platform-android = Android
ownership-corporate = Corporate
ownership-personal = Personal
mode-mdm = MDM
mode-user_enrollment = User Enrollment
mode-shared_ipad = Shared iPad
mode-device_admin = Device administrator
mode-device_owner = Fully managed
mode-work_profile = Work profile
join-azure_ad_joined = Azure AD joined
join-hybrid_azure_ad_joined = Hybrid Azure AD joined
join-azure_ad_registered = Azure AD registered
join-not_joined = Not joined
role-tenant_admin = Tenant admin
role-help_desk = Help desk operator
role-read_only = Read only
role-end_user = End user
