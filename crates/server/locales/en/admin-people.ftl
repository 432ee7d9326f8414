# Users & groups: users, roles, API tokens, user and device groups (English).

people-users = Users
people-groups = Groups

## What each role may do (from the engine's rules)
roles-title = What each role may do
roles-actions = Device actions: { $actions }
roles-no-actions = No device actions
roles-own-devices-only = Only their own devices, in the self-service portal
roles-show-passcodes = Show temporary passcodes and lock PINs
perm-read_tenant = See the organisation and its settings
perm-manage_tenant = Change settings, PIN reset consent, push certificate and single sign-on
perm-read_all_devices = See every device of the organisation
perm-read_audit = Read the audit log
perm-read_profiles = See configuration profiles
perm-manage_profiles = Create, change and assign configuration profiles
perm-issue_enrollment_profiles = Download enrollment profiles
perm-read_reenrollments = See re-enrollment requests
perm-decide_reenrollments = Approve or refuse re-enrollments
perm-read_users = See users and groups
perm-manage_users = Manage users, groups, roles and API tokens
perm-read_sign_in_lockouts = See locked-out sign-ins
perm-unlock_accounts = Unlock locked-out accounts

## Users
users-new = New user
users-search = Search
users-search-placeholder = Search by name, login or email
users-role = Role
users-role-any = All roles
users-count =
    { $total ->
        [one] 1 user
       *[other] { $total } users
    }
users-none = No users match your search.
users-col-name = Display name
users-col-login = Login
users-col-email = Email address
users-col-role = Role
users-col-status = Status
users-col-password = Password
users-enabled = Enabled
users-disabled = Disabled
users-password-set = Set
users-password-none = Not set
users-initial-password = Initial password (optional)
users-password-hint = At least { $min } characters.
users-initial-password-hint = Without one, the user cannot sign in with a password until you set it.
users-password-never-shown = The password is never shown again.
users-create = Create user
users-edit = Edit user
users-save = Save
users-set-password = Set password
users-reset-password = Reset password
users-new-password = New password
users-access = Access
users-enable = Enable user
users-disable = Disable user
users-disable-hint = A disabled user cannot sign in and their API tokens stop working.
users-delete = Delete user
users-delete-title = Delete { $user }?
users-delete-consequence = { $user } ({ $login }) is deleted with their API tokens and group memberships. This cannot be undone.
users-delete-reassign-hint = Choose who takes over their devices below, then delete again.
users-reassign-to = Move their devices to
users-reassign-none = Nobody (refused if they own devices)
users-reassign-hint = The chosen user becomes the primary user of every device the deleted user owns.
users-notice-created = The user was created.
users-notice-saved = The changes were saved.
users-notice-disabled = The user was disabled.
users-notice-enabled = The user was enabled.
users-notice-password = The password was set.
users-notice-deleted = The user was deleted.

## API tokens
tokens-title = API tokens
tokens-intro = Tokens let scripts call the REST API as this user, with this user's role.
tokens-col-name = Name
tokens-col-created = Created
tokens-revoke = Revoke
tokens-none = This user has no API tokens.
tokens-name-placeholder = Name of the new token, e.g. backup script
tokens-create = Create token
tokens-created-title = API token “{ $name }” created
tokens-shown-once = Copy this token now. It is not shown again: the server keeps only a hash of it.
tokens-value = Token
tokens-use-hint = Send it in the Authorization header: Bearer followed by the token.
tokens-done = Done
tokens-notice-revoked = The token was revoked. It no longer works.

## Groups
groups-user-groups = User groups
groups-device-groups = Device groups
groups-col-name = Group name
groups-col-members = Members
groups-none = No groups yet.
groups-new = New group
groups-name-placeholder = Name of the new group
groups-kind = Group type
groups-kind-user = User group
groups-kind-device = Device group
groups-create = Create group
groups-members = Members ({ $count })
groups-remove = Remove
groups-no-members = This group has no members.
groups-add = Add members
groups-find = Search
groups-find-users = Search users by name, login or email
groups-find-devices = Search devices by name, model or serial number
groups-add-member = Add
groups-no-candidates = Nothing found that is not already a member.
groups-notice-added = The member was added.
groups-notice-removed = The member was removed.
users-delete-owns =
    { $count ->
        [one] They are the primary user of 1 device.
       *[other] They are the primary user of { $count } devices.
    }
