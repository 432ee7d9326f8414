-- What a device is sent when it checks in is its pending actions, oldest first. Read through
-- actions_by_device, that walked the device's whole action history, loading every row, to
-- find the few pending: each check-in with work waiting cost more with every action the device
-- ever had. This index holds only the pending actions, in the order they are sent.
CREATE INDEX actions_pending_by_device ON actions (device_id, requested_at, id) WHERE pending = 1;
-- The expiry worker's index held `pending` as its first column, and SQLite preferred it for
-- "does this device still have work?" (asked in every commit that finishes actions): a walk
-- over every pending action of every device instead of one look-up. Now it holds the pending
-- actions alone, by expiry, which is all the expiry worker asks of it.
DROP INDEX actions_overdue;
CREATE INDEX actions_overdue ON actions (expires_at) WHERE pending = 1;
