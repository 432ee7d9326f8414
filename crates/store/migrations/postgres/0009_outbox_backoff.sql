-- A wake-up that failed is tried again later, with exponential backoff: when it is next due
-- (unix ms; 0 = at once). `attempts` already counts the failures.
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
