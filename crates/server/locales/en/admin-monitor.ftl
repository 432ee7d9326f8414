# Monitoring pages: Home, Device actions, Reset readiness, Audit log.

home-title = Home
home-devices = Devices
home-pending = Pending actions
home-failed = Failed actions
home-not-ready = Devices that could not be reset now
home-by-platform = Devices by platform
home-actions-chart = Actions per day, last 30 days
home-actions-chart-summary = { $count } actions in the last 30 days, { $failed } of them failed
home-day-summary = { $succeeded } succeeded, { $failed } failed, { $other } pending or other
home-succeeded = Succeeded
home-failed-short = Failed
home-other = Pending or other
home-chart-as-table = Show the numbers as a table
home-day = Day (UTC)
home-readiness-link = See every device that could not be reset (no check-in for { $days } days counts)

monitor-title = Device actions
monitor-intro = Every remote action in your organisation: failures first, then the newest.
monitor-device-search = Search devices by name, model or serial number
monitor-state-any = Any state
monitor-state-failed = Failed
monitor-state-pending = Pending
monitor-state-succeeded = Succeeded
monitor-state-expired = Expired
monitor-state-cancelled = Cancelled
monitor-kind-any = Any action
monitor-filter = Apply
monitor-count = Showing { $first }–{ $last } of { $total } actions
monitor-col-device = Device
monitor-col-requester = Requested by
monitor-col-finished = Finished
monitor-none = No actions match these filters.
monitor-requester-device = The device
monitor-requester-system = System ({ $component })

readiness-title = Reset readiness
readiness-intro = Devices whose passcode could not be reset if their owner were locked out right now, why, and how to fix it.
readiness-group = Device group
readiness-group-all = All devices
readiness-stale-days = No check-in for (days)
readiness-download-csv = Download CSV
readiness-devices = Managed devices
readiness-not-ready = Could not be reset now
readiness-col-reason = Reason
readiness-col-fix = Fix
readiness-all-ready = Every device could have its passcode reset right now.
readiness-by-reason = Devices that could not be reset, by reason
readiness-devices-count = { $count ->
    [one] { $count } device
   *[other] { $count } devices
}
readiness-stale = The device has not checked in for { $days } days or more, so it would not receive the reset.
readiness-stale-fix = Ask the owner to turn the device on and connect it to the internet, or sync it; remove it if it is gone.

audit-title = Audit log
audit-intro = Everything that happened in your organisation, newest first. Every passcode reveal is recorded.
audit-actor = Actor
audit-device = Device
audit-device-placeholder = Device id
audit-kind = Event
audit-any = Any
audit-from = From (UTC)
audit-to = To (UTC)
audit-export-csv = Export CSV
audit-export-jsonl = Export JSON lines
audit-col-at = Time
audit-passcode-revealed = Passcode revealed
audit-only-this-device = only this device
audit-none = No events match these filters.
audit-newest = Newest
audit-older = Older

## Audit event kinds (labels::audit_kind)
event-action_requested = Action requested
event-action_refused = Action refused
event-action_transition = Action state changed
event-passcode_read = Passcode revealed
event-passcode_read_refused = Passcode reveal refused
event-passcode_purged = Passcode purged
event-consent_changed = PIN reset consent changed
event-settings_changed = Settings changed
event-enrollment_profile_issued = Enrollment profile issued
event-push_sent = Push notification sent
event-push_failed = Push notification failed
event-device_deferred = Device postponed a command
event-command_sent = Command sent to the device
event-command_result = Device answered a command
event-profile_saved = Configuration profile saved
event-profile_assigned = Configuration profile assigned
event-token_created = API token created
event-sign_in = Signed in
event-reenrollment_requested = Re-enrollment requested
event-reenrollment_approved = Re-enrollment approved
event-reenrollment_rejected = Re-enrollment rejected
event-device_reenrolled = Device re-enrolled
event-sign_in_throttled = Sign-ins throttled
event-account_locked = Account locked
event-account_unlocked = Account unlocked
event-user_created = User created
event-user_changed = User changed
event-user_deleted = User deleted
event-device_owner_changed = Device owner changed
event-group_created = Group created
event-group_changed = Group membership changed
event-token_revoked = API token revoked
