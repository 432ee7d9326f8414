-- The portal's notifications are the outcomes of actions on a user's devices (nothing is
-- written on the action path); this keeps which of them the user has opened.
CREATE TABLE notification_reads (
    tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, action_id TEXT NOT NULL, read_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, action_id));
