-- Where a person's request came from (their web session and client address), for the audit
-- trail of every step they take; NULL for devices, the system and events from before.
ALTER TABLE audit ADD COLUMN origin TEXT;
